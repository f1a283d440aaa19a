import { hash, randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';

/** A random secret token for links and sessions (256 bits, base64url). Store only its hash. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256, hex. Every authenticated request hashes its session token: the one-shot form. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/**
 * AES-256-GCM for secrets at rest (Stripe keys...). Output: "v1.<iv>.<tag>.<ciphertext>" base64url.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length !== 32) throw new Error('RUCHE_ENCRYPTION_KEY must decode to 32 bytes');
    this.key = key;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
