import { parentPort } from 'node:worker_threads';
import { renderReceiptPdf, type ReceiptDocument } from './receipt.pdf';

/** A render thread of `ReceiptRenderPool`: documents in, PDF bytes out (the font loaded once). */
parentPort?.on('message', (message: { id: number; document: ReceiptDocument; now: number }) => {
  const document = message.document;
  // Buffers arrive as Uint8Array through the structured clone.
  if (document.signature)
    document.signature = { ...document.signature, image: Buffer.from(document.signature.image) };
  renderReceiptPdf(document, new Date(message.now)).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength).slice();
      parentPort?.postMessage({ id: message.id, pdf: bytes }, [bytes.buffer]);
    },
    (error: unknown) =>
      parentPort?.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
