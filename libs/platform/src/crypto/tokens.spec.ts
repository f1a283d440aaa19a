import { randomBytes } from 'node:crypto';
import { SecretBox, hashToken, newSecretToken } from './tokens';

describe('tokens and secrets', () => {
  it('makes distinct 256-bit tokens and hashes them deterministically', () => {
    const a = newSecretToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken()).not.toBe(a);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('encrypts secrets at rest and detects tampering', () => {
    const box = new SecretBox(randomBytes(32).toString('base64'));
    const sealed = box.encrypt('sk_test_123');
    expect(sealed).not.toContain('sk_test_123');
    expect(box.decrypt(sealed)).toBe('sk_test_123');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('sk_live_999').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).decrypt(sealed)).toThrow();
  });
});
