// `to-words` ships its types behind package "exports", which this repository's module resolution
// (node10, for the CommonJS build) does not read: the part of its API used here.
declare module 'to-words' {
  export class ToWords {
    constructor(options?: { localeCode?: string });
    convert(value: number, options?: { currency?: boolean; ignoreDecimal?: boolean }): string;
  }
}
