import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * DejaVu Sans (npm `dejavu-fonts-ttf`), read and parsed once per process (thread): pdfkit takes
 * the parsed font where it takes bytes, which spares parsing the 700 KB TTF for every document
 * (measured: 5 to 6 times more pages per second). Each document still embeds its own subset.
 * DejaVu draws every French letter, the narrow no-break space of French amounts and the ballot
 * boxes of the cerfa.
 */
let fonts: { regular: Font; bold: Font } | null = null;

export function receiptFonts(): { regular: Font; bold: Font } {
  if (!fonts) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fonts = {
      regular: create(readFileSync(join(dir, 'DejaVuSans.ttf'))),
      bold: create(readFileSync(join(dir, 'DejaVuSans-Bold.ttf'))),
    };
  }
  return fonts;
}
