// fontkit (pdfkit's font engine) ships no types: the one call used here.
declare module 'fontkit' {
  /** A parsed font; pdfkit accepts it where it accepts font bytes. */
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Buffer | Uint8Array): Font;
}
