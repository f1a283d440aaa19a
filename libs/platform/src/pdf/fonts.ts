import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';

let fonts: { regular: Font; bold: Font } | null = null;

/**
 * DejaVu Sans (npm `dejavu-fonts-ttf`), regular and bold, read and parsed once per process: for
 * documents that print people's names (invoices), which the standard Helvetica cannot draw beyond
 * Latin-1 (Ł, ễ, Cyrillic...). pdfkit takes the parsed font where it takes bytes
 * (`doc.registerFont(name, font as unknown as Buffer)`); each document embeds its own subset.
 */
export function documentFonts(): { regular: Font; bold: Font } {
  if (!fonts) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fonts = {
      regular: create(readFileSync(join(dir, 'DejaVuSans.ttf'))),
      bold: create(readFileSync(join(dir, 'DejaVuSans-Bold.ttf'))),
    };
  }
  return fonts;
}
