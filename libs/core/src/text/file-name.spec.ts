import fc from 'fast-check';
import { sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['/etc/passwd', '_etc_passwd'],
    ['C:\\Windows\\System32\\evil.pdf', 'C:_Windows_System32_evil.pdf'],
    ['evil\u0000.pdf.exe', 'evil.pdf.exe'],
    ['name\r\nX-Injected: yes.pdf', 'nameX-Injected: yes.pdf'],
    ['\u202Efdp.exe', 'fdp.exe'],
    ['quote".pdf', 'quote_.pdf'],
    ['x\uD800y.pdf', 'x\uFFFDy.pdf'],
    ['  relevé mars.xml  ', 'relevé mars.xml'],
    ['..', ''],
    ['.', ''],
    ['\u0000', ''],
    ['facture.pdf', 'facture.pdf'],
  ])('%j -> %j', (name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
  });

  it('cuts long names at a character boundary', () => {
    expect(sanitizeFileName('😀'.repeat(300), 200)).toBe('😀'.repeat(200));
  });

  it('never leaves a separator, a control character or a lone surrogate, and stays short', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('/', '\\', '"', '.', ' ', '\u0000', '\r', '\u202e', '\uD800', '\uDFFF'),
            fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
          ),
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 300 }),
        (name, max) => {
          const safe = sanitizeFileName(name, max);
          const chars = Array.from(safe);
          expect(chars.length).toBeLessThanOrEqual(max);
          const unsafe = chars.filter((c) => {
            const cp = c.codePointAt(0) ?? 0;
            return (
              '/\\"'.includes(c) ||
              cp < 0x20 ||
              cp === 0x7f ||
              (cp >= 0x202a && cp <= 0x202e) ||
              (cp >= 0xd800 && cp <= 0xdfff)
            );
          });
          expect(unsafe).toEqual([]);
          expect(safe === '' || !/^\.+$/.test(safe)).toBe(true);
        },
      ),
    );
  });
});
