#!/usr/bin/env node
// Prints the text of a PDF read on stdin, one line per text line, pages separated by a form
// feed: how the tests read back the PDFs Ruche writes (pdfjs-dist is ESM-only, hence a script).
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), useSystemFonts: false, isEvalSupported: false }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  const lines = new Map();
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const y = Math.round(item.transform[5]);
    const line = lines.get(y) ?? [];
    line.push({ x: item.transform[4], str: item.str });
    lines.set(y, line);
  }
  pages.push(
    [...lines.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([, items]) => items.sort((a, b) => a.x - b.x).map((i) => i.str).join(' ').replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join('\n'),
  );
}
process.stdout.write(JSON.stringify({ pages: doc.numPages, text: pages.join('\n\f\n') }));
