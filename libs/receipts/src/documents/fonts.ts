import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * DejaVu Sans (npm `dejavu-fonts-ttf`), read once per process: re-reading the TTF for every
 * document makes pdfkit four times slower. It draws every French letter, the narrow no-break
 * space of French amounts and the ballot boxes of the cerfa.
 */
let fonts: { regular: Buffer; bold: Buffer } | null = null;

export function receiptFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fonts = {
      regular: readFileSync(join(dir, 'DejaVuSans.ttf')),
      bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')),
    };
  }
  return fonts;
}
