// Import of a 100,000-row member list (CSV, `;`, French dates, 2% bad rows, 3% duplicates of
// earlier rows) through the API and the job: upload + preview, dry run, apply; rows/s and the
// API process's peak memory (VmHWM). The built API runs as its own process against a fresh
// database on the local PostgreSQL server. Usage: node bench/contacts-import.bench.mjs.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { call, signup, startBenchApi } from './support.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const FIRST = ['Jeanne', 'Paul', 'Inès', 'Karim', 'Sophie', 'Lucas', 'Chloé', 'Hugo', 'Fatou', 'Élise'];
const CITIES = [['69003', 'Lyon'], ['75011', 'Paris'], ['13001', 'Marseille'], ['59000', 'Lille'], ['44000', 'Nantes']];

function csvFile() {
  const lines = ['Civilité;Nom;Prénom;E-mail;Date de naissance;Code postal;Ville;Formule;Date d\'adhésion;Montant'];
  for (let n = 1; n <= ROWS; n++) {
    const k = n % 50 === 0 ? n - 7 : n; // every 50th row repeats an earlier person
    const [cp, city] = CITIES[k % CITIES.length];
    const email = n % 49 === 0 ? 'pas-un-email' : `membre${k}@example.org`;
    lines.push(`${k % 2 ? 'Mme' : 'M.'};Nom${k};${FIRST[k % FIRST.length]};${email};${String(1 + (k % 28)).padStart(2, '0')}/${String(1 + (k % 12)).padStart(2, '0')}/${1950 + (k % 50)};${cp};${city};Adhésion annuelle;15/01/2026;30,00`);
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

function peakMemoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024);
}

const api = await startBenchApi();
const port = api.port;
try {
  const { cookie, csrf, orgId } = await signup(port);
  const headers = { cookie, 'x-csrf-token': csrf };
  const base = `/api/v1/orgs/${orgId}`;
  const plan = await call(port, 'POST', `${base}/membership-plans`, { headers, body: { name: 'Adhésion annuelle', pricingKind: 'fixed', tiers: [{ code: 'std', label: 'Standard', amount: '30' }], validityKind: 'calendar_year' } });
  if (plan.status !== 201) throw new Error(plan.body);
  const file = csvFile();
  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}; ${ROWS} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB`);

  let t0 = Date.now();
  const uploaded = await call(port, 'POST', `${base}/imports`, { raw: file, headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'membres.csv' } });
  if (uploaded.status !== 201) throw new Error(`upload ${uploaded.status} ${uploaded.body}`);
  const view = JSON.parse(uploaded.body);
  console.log(`upload + preview (${view.rowCount} rows counted): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const mapped = await call(port, 'PUT', `${base}/imports/${view.id}/mapping`, { headers, body: { columns: view.suggestedColumns } });
  if (mapped.status !== 200) throw new Error(mapped.body);

  for (const mode of ['dry_run', 'apply']) {
    t0 = Date.now();
    const started = await call(port, 'POST', `${base}/imports/${view.id}/run`, { headers, body: { mode } });
    if (started.status !== 202) throw new Error(started.body);
    let state;
    do {
      await new Promise((r) => setTimeout(r, 500));
      state = JSON.parse((await call(port, 'GET', `${base}/imports/${view.id}`, { headers })).body);
    } while (state.status === 'queued' || state.status === 'running');
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `${mode.padEnd(8)} ${state.status}: ${seconds.toFixed(1)} s, ${Math.round(ROWS / seconds)} rows/s, counts ${JSON.stringify(state.counts)}; API peak memory ${peakMemoryMb(api.pid)} MB`,
    );
  }
} finally {
  await api.stop();
}
