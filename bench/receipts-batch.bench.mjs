// The year-end batch of annual fiscal receipts (issue 6): N donors with gifts of last year, one
// annual summary receipt each — number, render (pdfkit, embedded DejaVu font), store with its
// SHA-256, email with the PDF attached to a local SMTP server — timed end to end from the
// request that starts the batch to the last message received. Compared in the same run with
// bare pdfkit rendering of the same page with the same font (the ceiling): one process, then
// two worker threads (both cores). The API runs the built server (dist/server) with its jobs in
// process, on a fresh database of the local PostgreSQL.
// Usage: npm run bench receipts (or node bench/receipts-batch.bench.mjs). BENCH_RECEIPTS=10000.
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { call, root, signup, startBenchApi } from './support.mjs';

const N = Number(process.env.BENCH_RECEIPTS ?? 10_000);
const BARE = Number(process.env.BENCH_BARE_PAGES ?? 600);
const require = createRequire(import.meta.url);
const renderModule = path.join(root, 'dist/server/libs/receipts/src/documents/receipt.pdf.js');
const year = new Date().getFullYear() - 1;

/** The page the batch renders: an annual receipt for one person with one gift. */
export const DOCUMENT = {
  model: '11580*05',
  reference: `${year + 1}-000123`,
  kind: 'annual',
  replacesReference: null,
  issuer: {
    name: 'Association Les Amis du Refuge',
    addressLines: ['12 rue des Lilas', '69003 Lyon'],
    siren: null,
    rna: 'W691234567',
    object: 'Recueillir et soigner les animaux abandonnés',
    organismType: 'general_interest',
    organismTypeOther: null,
    rupDecreeDate: null,
    rupJournalDate: null,
  },
  donor: {
    kind: 'person',
    name: 'MARTIN Élise',
    siren: null,
    addressLines: ['4 place Bellecour', '69002 Lyon'],
  },
  amountCents: 5042,
  currency: 'EUR',
  periodStart: `${year}-01-01`,
  periodEnd: `${year}-12-31`,
  gifts: [
    {
      receivedOn: `${year}-01-15`,
      amountCents: 5042,
      nature: 'money',
      form: 'manual_gift',
      method: 'transfer_card_debit',
      description: null,
      valuationMethod: null,
    },
  ],
  articles: ['200'],
  issuedOn: `${year + 1}-01-10`,
  place: 'Lyon',
  signer: { name: 'Claire Dubois', title: 'Trésorière' },
  signature: null,
};

async function bareOneProcess(pages) {
  const { renderReceiptPdf } = require(renderModule);
  await renderReceiptPdf(DOCUMENT, new Date()); // font loaded once, warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < pages; i++) await renderReceiptPdf(DOCUMENT, new Date());
  return pages / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function bareThreads(pages, threads) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { renderReceiptPdf } = require(workerData.module);
    (async () => {
      await renderReceiptPdf(workerData.doc, new Date());
      parentPort.postMessage('ready');
      await new Promise((r) => parentPort.once('message', r));
      for (let i = 0; i < workerData.pages; i++) await renderReceiptPdf(workerData.doc, new Date());
      parentPort.postMessage('done');
    })();`;
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(source, {
        eval: true,
        workerData: { module: renderModule, doc: DOCUMENT, pages: Math.ceil(pages / threads) },
      }),
  );
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const t0 = process.hrtime.bigint();
  const done = Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  workers.forEach((w) => w.postMessage('go'));
  await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await Promise.all(workers.map((w) => w.terminate()));
  return (Math.ceil(pages / threads) * threads) / seconds;
}

// A local SMTP server that counts whole messages (the PDF travels as an attachment).
let received = 0;
let bytes = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', (c) => (bytes += c.length));
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const smtpPort = sink.server.address().port;

console.log(
  `Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
const oneProcess = await bareOneProcess(BARE);
console.log(
  `bare pdfkit, same page and font, one process: ${oneProcess.toFixed(1)} pages/s (${BARE} pages)`,
);
const twoThreads = await bareThreads(BARE, 2);
console.log(
  `bare pdfkit, same page and font, two worker threads: ${twoThreads.toFixed(1)} pages/s`,
);

const api = await startBenchApi({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true` });
const db = new pg.Client({ connectionString: api.databaseUrl });
try {
  await db.connect();
  const { cookie, csrf, orgId } = await signup(api.port);
  const send = async (method, pathName, body) => {
    const res = await call(api.port, method, `/api/v1/orgs/${orgId}${pathName}`, {
      body,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    if (res.status >= 300) throw new Error(`${method} ${pathName}: ${res.status} ${res.body}`);
    return JSON.parse(res.body || 'null');
  };
  const org = await send('GET', '');
  await send('PUT', '', {
    name: org.name,
    legalName: DOCUMENT.issuer.name,
    addressLine1: '12 rue des Lilas',
    postalCode: '69003',
    city: 'Lyon',
    country: 'FR',
    rna: 'W691234567',
    object: DOCUMENT.issuer.object,
    organismType: 'general_interest',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    fiscalYearStartMonth: 1,
    locale: 'fr',
  });
  await send('PUT', '/receipts/settings/signature', {
    mimeType: 'image/png',
    contentBase64:
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  });
  await send('PUT', '/receipts/settings', {
    enabled: true,
    defaultMode: 'annual',
    recurringMode: 'annual',
    article200: true,
    article978: false,
    signerName: 'Claire Dubois',
    signerTitle: 'Trésorière',
    place: 'Lyon',
    sendByEmail: true,
  });
  const seeded = Date.now();
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO contacts (id, organization_id, number, kind, first_name, last_name, email, address_line1, postal_code, city, country, locale, custom_fields,
                           name_key, sort_name, search_text, last_activity_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, n, 'person', 'Élise', 'Donatrice' || n, 'donatrice.' || n || '@example.org', n || ' rue de la République', '69002', 'Lyon', 'FR', 'fr', '{}'::jsonb,
            'elise donatrice' || n, 'donatrice' || n || ' elise', 'elise donatrice' || n, now(), now(), now()
       FROM generate_series(1, $2::int) n`,
    [orgId, N],
  );
  await db.query(`INSERT INTO contact_counters (organization_id, last_number) VALUES ($1, $2)`, [
    orgId,
    N,
  ]);
  await db.query(
    `INSERT INTO receipt_gifts (id, organization_id, contact_id, source_kind, source_id, received_on, amount_cents, withdrawn_cents, currency, nature, form, method, mode, created_at, updated_at)
     SELECT gen_random_uuid(), organization_id, id, 'donation', gen_random_uuid(), make_date($2, 1 + number % 12, 1 + number % 28), 1000 + number % 9000, 0, 'EUR',
            'money', 'manual_gift', 'transfer_card_debit', 'annual', now(), now()
       FROM contacts WHERE organization_id = $1`,
    [orgId, year],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  console.log(
    `${N} donors with one gift of ${year} each, seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`,
  );

  const t0 = Date.now();
  await send('POST', '/receipts/annual', { year });
  let issuedAt = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM receipts WHERE organization_id = $1',
      [orgId],
    );
    if (!issuedAt && rows[0].n >= N) issuedAt = Date.now();
    if (issuedAt && received >= N) break;
    if (Date.now() - t0 > 30 * 60_000)
      throw new Error(`Stuck: ${rows[0].n} receipts, ${received} emails`);
  }
  const seconds = (Date.now() - t0) / 1000;
  const { rows: check } = await db.query(
    `SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct_numbers, min(number) AS first, max(number) AS last FROM receipts WHERE organization_id = $1`,
    [orgId],
  );
  const rate = N / seconds;
  console.log(
    `end to end: ${N} annual receipts numbered, rendered, stored and emailed in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} receipts/s (all stored after ${((issuedAt - t0) / 1000).toFixed(1)} s; ${(bytes / 2 ** 20).toFixed(0)} MiB of mail)`,
  );
  console.log(
    `numbers: ${check[0].n} receipts, ${check[0].distinct_numbers} distinct, ${check[0].first}..${check[0].last}; emails received: ${received}`,
  );
  console.log(
    `end to end / bare one process: ${((100 * rate) / oneProcess).toFixed(0)} %; / bare two threads: ${((100 * rate) / twoThreads).toFixed(0)} %`,
  );
} finally {
  await db.end().catch(() => {});
  await api.stop();
  sink.close();
}
