// Compiles the server side (apps/api, apps/worker, apps/cli, libs, migrations) to dist/server
// with SWC: decorator metadata for NestJS/TypeORM, tsconfig path aliases rewritten to relative paths.
// Type checking is `npm run typecheck` (tsc --noEmit); this step only transpiles, in about a second.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile, rm, cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = path.join(root, 'dist/server');
const sources = ['apps/api/src', 'apps/worker/src', 'apps/cli/src', 'libs', 'migrations'];
const tsconfig = JSON.parse(
  (await import('node:fs')).readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'),
);

export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'admin') continue;
      yield* walk(full);
    } else yield full;
  }
}

await rm(outRoot, { recursive: true, force: true });
let count = 0;
const started = Date.now();
for (const source of sources) {
  for await (const file of walk(path.join(root, source))) {
    const rel = path.relative(root, file);
    const isTest = /\.(spec|int-spec|e2e-spec|test-support)\.ts$/.test(file) || rel.startsWith('libs/testing') || rel === 'apps/api/src/testing.ts';
    if (file.endsWith('.ts') && !file.endsWith('.d.ts') && !isTest) {
      const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
      const { code, map } = await transformFile(file, {
        ...swcOptions,
        filename: file,
        outputPath: out,
        sourceFileName: path.relative(path.dirname(out), file),
      });
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map`);
      await writeFile(`${out}.map`, map ?? '');
      count++;
    } else if (/\.(ttf|otf|json|sql|html|hbs)$/.test(file) && !file.endsWith('project.json')) {
      const out = path.join(outRoot, rel);
      await mkdir(path.dirname(out), { recursive: true });
      await cp(file, out);
    }
  }
}
console.log(`build-server: ${count} files in ${Date.now() - started} ms -> dist/server`);
