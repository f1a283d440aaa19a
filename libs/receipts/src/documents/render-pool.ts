import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { renderReceiptPdf, type ReceiptDocument } from './receipt.pdf';

interface Pending {
  worker: Worker;
  resolve: (pdf: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * Renders receipts on worker threads, one per core (pdfkit is CPU-bound: a batch of annual
 * receipts renders on both cores while the main thread talks to the database and SMTP). Where
 * the compiled worker script is absent (TypeScript run by the test runner), renders in-thread.
 */
@Injectable()
export class ReceiptRenderPool implements OnModuleDestroy {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private sequence = 0;
  private readonly script = join(__dirname, 'receipt-render.worker.js');
  /** Checked once: the compiled script is there (built server) or not (tests on TypeScript). */
  private readonly compiled = existsSync(this.script);
  private readonly size = Math.max(
    0,
    Number(process.env['RECEIPT_RENDER_THREADS'] ?? Math.min(availableParallelism(), 4)),
  );

  render(document: ReceiptDocument, now: Date): Promise<Buffer> {
    const worker = this.worker();
    if (!worker) return renderReceiptPdf(document, now);
    const id = ++this.sequence;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ id, document, now: now.getTime() });
    });
  }

  private worker(): Worker | null {
    if (this.size === 0 || !this.compiled) return null;
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    this.next = (this.next + 1) % this.workers.length;
    return this.workers[this.next];
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
      const waiting = this.pending.get(m.id);
      if (!waiting) return;
      this.pending.delete(m.id);
      if (m.pdf) waiting.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
      else waiting.reject(new Error(m.error ?? 'Receipt rendering failed'));
    });
    worker.on('error', (error) => {
      // A dead thread fails what it held; the next render spawns a new one.
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        waiting.reject(error);
        this.pending.delete(id);
      }
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
    });
    return worker;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}
