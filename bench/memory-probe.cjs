// Preloaded into a process under benchmark (node --expose-gc --require bench/memory-probe.cjs):
// on SIGUSR2 it runs a full GC (when --expose-gc is given) and appends one JSON line of
// process.memoryUsage() to BENCH_MEMORY_FILE, so that the benchmark reads the retained heap of
// the API without any route in the product. Nothing else is changed in the process.
'use strict';
const { appendFileSync } = require('node:fs');

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    if (typeof global.gc === 'function') global.gc();
    const m = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`,
    );
  });
}
