import nodemailer, { type Transporter } from 'nodemailer';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** Sent as Message-ID-like header so that a resend of the same row is recognisable. */
  idempotencyKey: string;
}

export abstract class MailTransport {
  abstract send(message: MailMessage): Promise<{ messageId: string }>;
  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;
}

function toNodemailer(message: MailMessage) {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    headers: { 'X-Ruche-Idempotency-Key': message.idempotencyKey },
    // The same Message-ID for every send of one row: a second send (a worker killed between the
    // SMTP server's acceptance and the commit) is the same message to the receiving systems.
    messageId: stableMessageId(message.idempotencyKey, message.from),
  };
}

/** `<hash of the idempotency key@sender's domain>` (RFC 5322 msg-id). */
export function stableMessageId(idempotencyKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'ruche.local';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}

/** nodemailer over SMTP with a connection pool (about 50x one connection per message). */
export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    super();
    const parsed = new URL(url);
    this.transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: 5,
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
      secure: parsed.protocol === 'smtps:',
      auth: parsed.username
        ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
        : undefined,
      tls: { rejectUnauthorized: parsed.searchParams.get('tlsRejectUnauthorized') !== 'false' },
      ignoreTLS: parsed.searchParams.get('ignoreTLS') === 'true',
    });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const info = await this.transporter.sendMail(toNodemailer(message));
    return { messageId: String(info.messageId) };
  }

  async ping(): Promise<boolean> {
    try {
      return await this.transporter.verify();
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** The embedded start's mail: each email is an .eml file under <data>/outbox/, listed in the admin. */
export class OutboxMailTransport extends MailTransport {
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly directory: string) {
    super();
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const info = await this.composer.sendMail(toNodemailer(message));
    await mkdir(this.directory, { recursive: true });
    const safeKey = message.idempotencyKey.replace(/[^a-zA-Z0-9_.-]/g, '_').slice(0, 150);
    await writeFile(path.join(this.directory, `${safeKey}.eml`), info.message as Buffer);
    return { messageId: String(info.messageId) };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.composer.close();
  }
}
