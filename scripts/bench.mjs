// Runs every bench/*.bench.mjs against the built server (npm run build first).
// Results, machine and command go to BENCHMARKS.md by hand: benchmarks are never assertions.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
for (const file of readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.bench.mjs')).sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n# ${file}`);
  const run = spawnSync(process.execPath, [path.join(root, 'bench', file)], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
