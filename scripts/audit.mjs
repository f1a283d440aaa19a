// `npm run audit`: the production dependencies against npm's advisory database. Fails on any high
// or critical advisory that security/audit-allowlist.json does not explain (one entry per
// advisory: its GitHub id or URL, the package, and why Ruche is not exposed, with a review date).
// When the advisory database cannot be reached (an offline or proxied build machine), says so
// plainly and exits 0: nothing was checked, and the log shows it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
}
if (!report.vulnerabilities) {
  console.warn(
    `WARNING: npm's advisory database could not be reached (${report.message ?? 'no report'}): ` +
      'the production dependencies were NOT checked on this machine.',
  );
  process.exit(0);
}
const allowlist = JSON.parse(
  readFileSync(path.join(root, 'security/audit-allowlist.json'), 'utf8'),
);
const explained = new Set(allowlist.advisories.map((a) => a.url));
const blocking = [];
for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
  for (const via of vulnerability.via) {
    if (typeof via !== 'object') continue; // reached through another package, listed on its own
    if (via.severity !== 'high' && via.severity !== 'critical') continue;
    if (!explained.has(via.url))
      blocking.push(`${via.severity}: ${name} ${via.range} ${via.title} ${via.url}`);
  }
}
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
if (blocking.length > 0) {
  console.error(`Unexplained high or critical advisories:\n${blocking.join('\n')}`);
  process.exit(1);
}
console.log('No unexplained high or critical advisory.');
