import { spawn } from 'node:child_process';
import path from 'node:path';

/** The text of a PDF, read back with pdfjs-dist (in a child process: it is ESM-only). */
export async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const script = path.resolve(__dirname, '../../../scripts/pdf-text.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { pages: number; text: string }) : reject(new Error(`pdf-text failed (${code}): ${err}`))));
    child.stdin.end(pdf);
  });
}
