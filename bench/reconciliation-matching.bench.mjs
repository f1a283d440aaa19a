// The bank matching engine on a year of a 5,000-member association, generated deterministically
// (seeded PRNG) with its ground truth: member fees by transfer (many identical amounts, names as
// banks print them, structured references sometimes), standing orders on the 5th, Stripe
// payouts, cheque deposit slips, cash deposits (some summing several receipts), supplier
// transfers, card purchases, direct debits, bank fees, donations nobody expected, unpaid fees.
// Runs matchAll (pure, in process, compiled in dist/server) and reports precision (wrong
// automatic matches against the ground truth: must be 0), the auto-match rate, the suggestions
// whose best is right, the label rules and learned suggestions on the lines no ledger line
// explains, and the times: the full year, 10,000 lines against 10,000 candidates (target
// < 2 s), and a scaling check. Every dataset is also matched with `applyOnNameAlone` (off by
// default) to show what the payer name alone would add and cost. Exit code 1 on any wrong
// automatic match with the default options.
// Usage: npm run -s build:server && node bench/reconciliation-matching.bench.mjs
//   BENCH_MEMBERS=5000 (the year), BENCH_SEED=20260101.
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const domain = path.join(root, 'dist/server/libs/accounting/src/reconciliation/domain');
const { matchAll, DEFAULT_MATCHING } = require(path.join(domain, 'matching.js'));
const { ruleFor, learnedSuggestion } = require(path.join(domain, 'rules.js'));

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 5_000);
const SEED = Number(process.env.BENCH_SEED ?? 20_260_101);
const YEAR = 2026;
const DAYS = 365;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and calendar.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomTools(seed) {
  const next = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const chance = (p) => next() < p;
  /** [[weight, value], ...] */
  const weighted = (pairs) => {
    const total = pairs.reduce((s, [w]) => s + w, 0);
    let r = next() * total;
    for (const [w, v] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][1];
  };
  const alnum = (n, chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') =>
    Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join('');
  return { next, int, pick, chance, weighted, alnum };
}

const EPOCH = Date.UTC(YEAR, 0, 1);
/** Day of the year (may run a few days into the next year) as YYYY-MM-DD. */
const iso = (day) => new Date(EPOCH + day * 86_400_000).toISOString().slice(0, 10);
const dayOf = (month, dayOfMonth) => (Date.UTC(YEAR, month, dayOfMonth) - EPOCH) / 86_400_000;
const ddmmyy = (day) => {
  const [y, m, d] = iso(day).split('-');
  return `${d}${m}${y.slice(2)}`;
};
const ddmm = (day) => {
  const [, m, d] = iso(day).split('-');
  return `${d}/${m}`;
};

// ---------------------------------------------------------------------------------------------
// Names: real first names, real and composed last names (about 48,000 combinations, so
// namesakes exist, as in a real association of this size).

/** A comma-separated list written on several lines. */
function list(text) {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const FIRST = list(`
  Jean, Marie, Pierre, Jeanne, Michel, Françoise, André, Monique, Philippe, Catherine, Alain,
  Nathalie, Jacques, Isabelle, Bernard, Sylvie, Patrick, Martine, François, Nicole,
  Christophe, Christine, Daniel, Sophie, Éric, Valérie, Frédéric, Sandrine, Laurent, Céline,
  Stéphane, Aurélie, Nicolas, Émilie, Julien, Camille, Thomas, Léa, Hugo, Chloé, Lucas, Manon,
  Louis, Inès, Gabriel, Zoé, Raphaël, Jade, Arthur, Louise, Jean-Marie, Marie-Claire,
  Jean-Pierre, Anne-Sophie, Jean-François, Marie-Hélène, Noël, Hélène, Gaëlle, Maël, Anaïs,
  Loïc, Benoît, Clémence, Adèle, Théo, Agnès, Josée, Jérôme, Grégoire, Béatrice, Cécile, Rémi,
  Maëlys, Océane, Thérèse, Geneviève, Dominique, Claude, Yannick
`);
const LAST_REAL = list(`
  Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon,
  Laurent, Lefèbvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard,
  André, Lefèvre, Mercier, Dupont, Lambert, Bonnet, François, Martinez, Legrand, Garnier,
  Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel, Nicolas, Perrin, Morin, Mathieu,
  Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier, Robin, Masson, Sanchez, Gérard,
  Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Gautier, Roger, Roche, Roy, Noël, Meyer, Lucas,
  Meunier, Jean, Pérez, Marchand, Dufour, Blanchard, Marie, Barbier, Brun, Dumas, Brunet,
  Schmitt, Leroux, Colin, Fernandez, Pierre, Renard, Arnaud, Rolland, Caron, Aubert, Giraud,
  Leclerc, Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard, Philippe, Leclercq, Lacroix,
  Fabre, Dupuis, Olivier, Rodriguez, Da Silva, Hubert, Louis, Charles, Guillot, Rivière,
  Le Gall, Guillaume, Adam, Rey, Moulin, Gonzalez, Berger, Lecomte, Ménard, Fleury, Deschamps,
  Carpentier, Julien, Benoît, Paris, Maillard, Marchal, Aubry, Vasseur, Le Roux, Renault,
  Jacquet, Collet, Prévost, Poirier, Charpentier, Royer, Huet, Baron, Dupuy, Pons, Paul,
  Laine, Carré, Breton, Rémy, Schneider, Perrot, Barré, Marty, Cousin, Dupré, N'Diaye, Lebrun,
  Texier
`);
const ROOTS = list(`
  Ber, Mar, Char, Bou, Gau, Lan, Per, Ten, Vau, Cour, Bel, Mon, Rou, Fer, Dal, Jou, Mau, Ser,
  Cas, Pol, Lar, Bar, Ger, Dor, Val, Tes, Rob, Lem, Gil, Cal
`);
const ENDS = list(`
  tin, det, chard, nier, lière, ret, vel, aud, ès, quet, nard, llon, rin, thé, mier
`);
const LAST = [...LAST_REAL, ...ROOTS.flatMap((r) => ENDS.map((e) => r + e))];

const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();

/** The payer as a bank prints it: uppercase, no accents, order and hyphens at random, maybe cut. */
function bankName(r, first, last) {
  const f = r.chance(0.3) ? fold(first).replace(/-/g, ' ') : fold(first);
  const l = fold(last).replace(/'/g, r.chance(0.5) ? ' ' : '');
  let text = r.weighted([
    [4, `${r.pick(['M ', 'MME ', 'M. ', 'MR ', ''])}${f} ${l}`],
    [4, `${l} ${f}`],
    [1, `${f.slice(0, 1)} ${l}`],
  ]);
  if (r.chance(0.1)) text = text.slice(0, r.int(14, 20)).trim();
  return text;
}

// ISO 11649 structured creditor reference: RF + 2 check digits + up to 21 letters/digits.
function creditorReference(body) {
  const digits = `${body}RF00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let mod = 0;
  for (const d of digits) mod = (mod * 10 + Number(d)) % 97;
  return `RF${String(98 - mod).padStart(2, '0')}${body}`;
}
const groupsOfFour = (s) => s.replace(/(.{4})/g, '$1 ').trim();
if (creditorReference('539007547034') !== 'RF18539007547034') throw new Error('RF check digits');

// ---------------------------------------------------------------------------------------------
// The year.

const SUPPLIERS = [
  { name: 'Imprimerie Moderne', bank: 'IMPRIMERIE MODERNE' },
  { name: 'Boulangerie Petit', bank: 'BOULANGERIE PETIT' },
  { name: 'Sport Équipement Lyon', bank: 'SPORT EQUIPEMENT LYON' },
  { name: 'Traiteur Les Saveurs', bank: 'TRAITEUR LES SAVEURS' },
  { name: 'Cabinet Comptable Roche', bank: 'CABINET COMPTABLE ROCH' },
  { name: 'Autocars Berthelet', bank: 'AUTOCARS BERTHELET' },
  { name: 'Mairie de Villeurbanne', bank: 'MAIRIE DE VILLEURBANNE' },
  { name: 'Fournitures Bureau Plus', bank: 'FOURNITURES BUREAU PLUS' },
];
const MERCHANTS = list(`
  CARREFOUR, LEROY MERLIN, DECATHLON, AMAZON PAYMENTS, SNCF, METRO, FNAC, LA POSTE
`);
const DEBITS = [
  {
    label: 'PRLV SEPA FREE MOBILE',
    name: 'Free Mobile',
    account: '626',
    amounts: [1_999],
    every: 'month',
    day: 15,
  },
  {
    label: 'PRLV SEPA OVH SAS',
    name: 'OVH SAS',
    account: '6156',
    amounts: [1_199],
    every: 'month',
    day: 3,
  },
  {
    label: 'PRLV SEPA EDF CLIENTS PARTICULIERS',
    name: 'Électricité de France',
    account: '6061',
    amounts: [6_540, 7_210, 8_930, 12_480],
    every: 'month',
    day: 20,
  },
  {
    label: 'PRLV SEPA MAIF',
    name: 'MAIF Assurances',
    account: '616',
    amounts: [14_200],
    every: 'quarter',
    day: 10,
  },
];
const FEES = [
  { label: 'FRAIS TENUE DE COMPTE', account: '627', amount: -850 },
  { label: 'COMMISSION VIREMENT INSTANTANE', account: '6278', amount: -100 },
];
const RULES = [
  {
    id: 'fees',
    name: 'Frais bancaires',
    labelContains: 'frais',
    direction: 'out',
    accountNumber: '627',
    autoApply: true,
    priority: 10,
  },
  {
    id: 'instant',
    name: 'Commissions virements instantanés',
    labelContains: 'commission virement instantané',
    direction: 'out',
    maxAmountCents: 500,
    accountNumber: '6278',
    autoApply: true,
    priority: 10,
  },
  {
    id: 'card',
    name: 'Cotisation carte',
    labelContains: 'cotis carte',
    direction: 'out',
    accountNumber: '6281',
    autoApply: false,
    priority: 1,
  },
  {
    id: 'interest',
    name: 'Intérêts',
    labelContains: 'interets crediteurs',
    direction: 'in',
    accountNumber: '768',
    autoApply: true,
    priority: 10,
  },
];

/**
 * Lines sorted by booking date, candidates by date, and the truth: per line the ids of the
 * candidates it is (sorted; empty when none) and, for lines no candidate explains, the account
 * a treasurer would use.
 */
function generateYear(members = MEMBERS, seed = SEED) {
  const r = randomTools(seed);
  const lines = [];
  const candidates = [];
  const truth = new Map();
  const accountOf = new Map();
  /** For the learned suggestions: what a line is, when no candidate explains it. */
  const family = new Map();
  let lineNo = 0;
  let candidateNo = 0;

  const addCandidate = (kind, day, amountCents, references, name) => {
    const c = { id: `C${++candidateNo}`, kind, date: iso(day), amountCents, references, name };
    candidates.push(c);
    return c;
  };
  const addLine = (bookingDay, amountCents, label, extra = {}, truthIds = []) => {
    const valueDay = r.weighted([
      [7, bookingDay],
      [1, bookingDay + (amountCents > 0 ? 1 : -1)],
      [2, null],
    ]);
    const l = {
      id: `L${++lineNo}`,
      bookingDate: iso(bookingDay),
      valueDate: valueDay === null ? null : iso(valueDay),
      amountCents,
      label,
      structuredReference: null,
      endToEndId: null,
      counterpartyName: null,
      ...extra,
    };
    lines.push(l);
    truth.set(l.id, [...truthIds].sort());
    return l;
  };
  /** Transfers arrive 0–4 days after the date the ledger expects them. */
  const delay = () =>
    r.weighted([
      [25, 0],
      [30, 1],
      [20, 2],
      [15, 3],
      [10, 4],
    ]);

  // Members and their fees.
  const people = Array.from({ length: members }, (_, i) => {
    const first = r.pick(FIRST);
    const last = r.chance(0.08) ? `${r.pick(LAST)}-${r.pick(LAST)}` : r.pick(LAST);
    return {
      no: i + 1,
      first,
      last,
      ledgerName: r.chance(0.6) ? `${first} ${last}` : `${last.toUpperCase()} ${first}`,
      reference: `ADH${String(i + 1).padStart(5, '0')}`,
    };
  });
  const cardPayments = [];
  const cheques = [];

  for (const p of people) {
    const plan = r.weighted([
      [55, 'annual'],
      [25, 'thirds'],
      [20, 'monthly'],
    ]);
    const dues = [];
    if (plan === 'annual') {
      const amount = r.weighted([
        [50, 3_000],
        [35, 5_000],
        [15, 8_000],
      ]);
      // Renewals crowd into September and early October.
      const day = r.chance(0.6) ? dayOf(8, 1) + r.int(0, 44) : r.int(0, DAYS - 10);
      const channel = r.weighted([
        [70, 'transfer'],
        [20, 'card'],
        [10, 'cheque'],
      ]);
      if (channel === 'card') cardPayments.push({ day, amount });
      else if (channel === 'cheque') cheques.push({ day, amount });
      else dues.push({ day, amount, period: 'A' });
    } else if (plan === 'thirds') {
      const amount = r.pick([2_000, 3_000]);
      const offset = r.int(0, 20);
      for (const [month, tag] of [
        [8, 'T1'],
        [0, 'T2'],
        [3, 'T3'],
      ]) {
        dues.push({ day: dayOf(month, 10) + offset, amount, period: tag });
      }
    } else {
      const amount = r.pick([1_000, 1_500]);
      for (let month = 0; month < 12; month++) {
        dues.push({
          day: dayOf(month, 5),
          amount,
          period: `M${String(month + 1).padStart(2, '0')}`,
          standing: true,
        });
      }
    }
    for (const due of dues) {
      const rf = creditorReference(`${p.reference}${due.period}`);
      const expected = addCandidate(
        'expected_payment',
        due.day,
        due.amount,
        [rf, p.reference],
        p.ledgerName,
      );
      // 4% never paid: a candidate without a bank line.
      if (r.chance(0.04)) continue;
      const booking = due.standing
        ? due.day +
          r.weighted([
            [6, 0],
            [3, 1],
            [1, 2],
          ])
        : due.day + delay();
      // Who pays: the member (as the bank prints it), a relative, another person, or no name.
      const payer = r.weighted([
        [84, () => bankName(r, p.first, p.last)],
        [5, () => bankName(r, r.pick(FIRST), p.last)],
        [5, () => bankName(r, r.pick(FIRST), r.pick(LAST))],
        [6, () => null],
      ])();
      const remittance = r.weighted([
        [30, 'rf'],
        [20, 'member'],
        [30, 'COTISATION 2026'],
        [20, ''],
      ]);
      // 1% pay another amount (the fee and a gift, or a wrong fee): no exact candidate.
      const amount = r.chance(0.01) ? due.amount + r.pick([500, 1_000, 2_000, -500]) : due.amount;
      const prefix = due.standing
        ? 'VIR PERM '
        : r.pick(['VIR SEPA ', 'VIR INST ', 'VIREMENT SEPA RECU DE ', 'VIR ']);
      const memberText =
        remittance === 'member'
          ? r.chance(0.5)
            ? p.reference
            : `ADH ${p.reference.slice(3)}`
          : remittance === 'rf'
            ? ''
            : remittance;
      const label = [prefix.trim(), payer ?? 'VIREMENT RECU', memberText].filter(Boolean).join(' ');
      addLine(
        booking,
        amount,
        label,
        {
          structuredReference: remittance === 'rf' ? (r.chance(0.5) ? groupsOfFour(rf) : rf) : null,
          endToEndId: r.chance(0.5) ? 'NOTPROVIDED' : `E2E${r.alnum(12, '0123456789')}`,
          counterpartyName: payer && r.chance(0.6) ? payer : null,
        },
        [expected.id],
      );
    }
  }

  // Card payments and online tickets go through Stripe: a payout about every week.
  for (let i = 0; i < 2_400; i++) {
    cardPayments.push({
      day: r.int(0, DAYS - 1),
      amount: r.pick([1_200, 1_500, 2_000, 2_500, 5_000, r.int(500, 20_000)]),
    });
  }
  cardPayments.sort((a, b) => a.day - b.day);
  const payouts = [];
  for (
    let day = 3, k = 0;
    day < DAYS;
    day += r.weighted([
      [6, 7],
      [1, 3],
      [1, 4],
    ])
  ) {
    let net = 0;
    while (k < cardPayments.length && cardPayments[k].day <= day - 2) {
      const gross = cardPayments[k++].amount;
      net += gross - Math.round(gross * 0.015) - 25;
    }
    if (net > 0) payouts.push({ day, net });
  }
  // Two payouts of the same net ten days apart, as the trap in the brief.
  if (payouts.length > 12) payouts[11].net = payouts[10].net;
  for (const po of payouts) {
    const id = `po_1${r.alnum(23)}`;
    // Stripe's statement descriptor is on every payout: a shared reference, not an identifying one.
    const payout = addCandidate('payout', po.day, po.net, [id, 'RUCHE ASSO'], null);
    const withId = r.chance(0.55);
    addLine(
      po.day +
        r.weighted([
          [7, 0],
          [3, 1],
        ]),
      po.net,
      `VIR STRIPE PAYMENTS EUROPE LTD RUCHE ASSO${withId ? ` ${id.toUpperCase()}` : ''}`,
      { counterpartyName: 'STRIPE PAYMENTS EUROPE LTD' },
      [payout.id],
    );
  }
  // Unrelated ledger lines with a payout's net within two days (a grant, a refund), each with its line.
  for (const po of payouts.filter((_, i) => i % 15 === 7)) {
    const grant = addCandidate(
      'ledger_line',
      po.day + 1,
      po.net,
      [],
      'Région Auvergne-Rhône-Alpes',
    );
    addLine(
      po.day + 2,
      po.net,
      'VIR REGION AUVERGNE RHONE ALPES SUBVENTION',
      { counterpartyName: 'REGION AUVERGNE RHONE ALPES' },
      [grant.id],
    );
  }

  // Cheques (fees and gifts) deposited every few days: one slip, one bank credit.
  for (let i = 0; i < 900; i++)
    cheques.push({
      day: r.int(0, DAYS - 1),
      amount: r.pick([2_000, 3_000, 5_000, 10_000, r.int(10, 300) * 100]),
    });
  cheques.sort((a, b) => a.day - b.day);
  let slipNo = 4_501_230;
  for (let day = 2, k = 0; day < DAYS; day += r.int(3, 5)) {
    let total = 0;
    while (k < cheques.length && cheques[k].day <= day) total += cheques[k++].amount;
    if (total === 0) continue;
    const number = String(++slipNo).padStart(7, '0');
    const slip = addCandidate('cheque_deposit', day, total, [number], null);
    const label = r.weighted([
      [70, `REMISE CHEQUES ${number}`],
      [15, `REM CHQ N°${number}`],
      [15, 'REMISE DE CHEQUES'],
    ]);
    addLine(day + r.int(1, 4), total, label, {}, [slip.id]);
  }

  // Cash deposits: one transfer entry, or (30%) several receipts the bank sums.
  for (let week = 0; week < 50; week += r.int(1, 3)) {
    const day = week * 7 + r.int(0, 4);
    const parts = r.chance(0.3) ? r.int(2, 3) : 1;
    const items = Array.from({ length: parts }, (_, i) =>
      addCandidate('ledger_line', day - i, r.int(20, 400) * 50, [], null),
    );
    const total = items.reduce((s, c) => s + c.amountCents, 0);
    addLine(
      day + r.int(0, 2),
      total,
      'VERSEMENT ESPECES AGENCE',
      {},
      items.map((c) => c.id),
    );
  }

  // Suppliers paid by transfer, the invoice number on the bank line more often than not.
  let invoiceNo = 0;
  for (let i = 0; i < 600; i++) {
    const s = r.pick(SUPPLIERS);
    const day = r.int(0, DAYS - 3);
    const invoice = `F${YEAR}-${String(++invoiceNo).padStart(4, '0')}`;
    const amount = -r.weighted([
      [3, r.int(20, 2_000) * 100],
      [7, r.int(1_000, 250_000)],
    ]);
    const c = addCandidate('ledger_line', day, amount, [invoice], s.name);
    // 5% issued, not yet debited: no bank line.
    if (r.chance(0.05)) continue;
    addLine(
      day + r.int(0, 1),
      amount,
      `VIR SEPA EMIS VERS ${s.bank}${r.chance(0.6) ? ` FACT ${invoice}` : ''}`,
      { counterpartyName: s.bank },
      [c.id],
    );
  }

  // Card purchases: the receipt is in the ledger, or (15%) it was lost.
  for (let i = 0; i < 450; i++) {
    const day = r.int(0, DAYS - 4);
    const amount = -r.int(150, 30_000);
    const merchant = r.pick(MERCHANTS);
    const known = r.chance(0.85);
    const c = known ? addCandidate('ledger_line', day, amount, [], null) : null;
    const l = addLine(
      day + r.int(1, 3),
      amount,
      `CB ${merchant} ${ddmm(day)} 4974XXXXXXXX${r.int(1000, 9999)}`,
      {},
      c ? [c.id] : [],
    );
    if (!c) accountOf.set(l.id, null);
  }

  // Direct debits: recorded from the invoice (60%) or left to the treasurer (rules, learning).
  for (const d of DEBITS) {
    const months = d.every === 'month' ? [...Array(12).keys()] : [0, 3, 6, 9];
    for (const month of months) {
      const day = dayOf(month, d.day);
      const amount = -r.pick(d.amounts);
      const label = `${d.label} ${r.int(10_000, 99_999)} ECH/${ddmmyy(day)}`;
      const recorded = r.chance(0.6);
      const c = recorded
        ? addCandidate(
            'ledger_line',
            day - r.int(0, 3),
            amount,
            [`RUM-${d.name.length}${d.account}`],
            d.name,
          )
        : null;
      const l = addLine(day, amount, label, { counterpartyName: fold(d.name) }, c ? [c.id] : []);
      if (!c) {
        accountOf.set(l.id, d.account);
        family.set(l.id, d.account);
      }
    }
  }

  // Bank fees and the card's yearly fee: rules.
  for (let month = 0; month < 12; month++) {
    const l = addLine(
      dayOf(month + 1, 0),
      FEES[0].amount,
      `${FEES[0].label} ${String(month + 1).padStart(2, '0')}/${YEAR}`,
    );
    accountOf.set(l.id, FEES[0].account);
  }
  for (let i = 0; i < 40; i++) {
    const l = addLine(r.int(0, DAYS - 1), FEES[1].amount, FEES[1].label);
    accountOf.set(l.id, FEES[1].account);
  }
  accountOf.set(addLine(dayOf(1, 2), -4_500, 'COTIS CARTE VISA BUSINESS').id, '6281');
  accountOf.set(addLine(dayOf(11, 31), 1_234, 'INTERETS CREDITEURS 2026').id, '768');

  // Gifts by transfer that nobody expected, often of the same amounts as the fees.
  for (let i = 0; i < 1_200; i++) {
    const payer = r.chance(0.93) ? bankName(r, r.pick(FIRST), r.pick(LAST)) : null;
    const amount = r.weighted([
      [3, 2_000],
      [3, 3_000],
      [3, 5_000],
      [2, 10_000],
      [3, r.int(5, 500) * 100],
    ]);
    const l = addLine(r.int(0, DAYS - 1), amount, `VIR SEPA ${payer ?? 'VIREMENT RECU'} DON`, {
      counterpartyName: payer && r.chance(0.6) ? payer : null,
    });
    accountOf.set(l.id, null);
  }

  // Supplier cheques issued and never cashed this year: candidates without a bank line.
  for (let i = 0; i < 60; i++)
    addCandidate(
      'ledger_line',
      r.int(0, DAYS - 1),
      -r.int(20, 800) * 100,
      [`CHQ${r.int(1_000_000, 9_999_999)}`],
      r.pick(SUPPLIERS).name,
    );

  lines.sort((a, b) =>
    a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : 0,
  );
  candidates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { lines, candidates, truth, accountOf, family };
}

// ---------------------------------------------------------------------------------------------
// Measures.

const same = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === b[i]);

function quality({ lines, candidates, truth, accountOf, family }, results) {
  let auto = 0;
  let wrong = 0;
  let matchable = 0;
  let suggested = 0;
  let bestRight = 0;
  let inTopFive = 0;
  let nothing = 0;
  let sums = 0;
  let sumsProposed = 0;
  let sumsBest = 0;
  const wrongExamples = [];
  const byId = new Map(candidates.map((c) => [c.id, c]));
  results.forEach((result, i) => {
    const expected = truth.get(result.lineId);
    const line = lines[i];
    const exact =
      expected.length > 0 &&
      expected.reduce((s, id) => s + byId.get(id).amountCents, 0) === line.amountCents;
    if (exact && expected.length === 1) matchable++;
    if (expected.length > 1) {
      sums++;
      if (result.proposals.some((p) => same(p.candidateIds, expected))) sumsProposed++;
      if (result.proposals[0] && same(result.proposals[0].candidateIds, expected)) sumsBest++;
    }
    if (result.auto) {
      auto++;
      if (!same(result.auto.candidateIds, expected)) {
        wrong++;
        if (wrongExamples.length < 5) wrongExamples.push({ line, expected, auto: result.auto });
      }
    } else if (result.proposals.length > 0) {
      suggested++;
      if (same(result.proposals[0].candidateIds, expected)) bestRight++;
      if (result.proposals.slice(0, 5).some((p) => same(p.candidateIds, expected))) inTopFive++;
    } else nothing++;
  });

  // The lines no candidate explains: label rules, then what was learned from January–March.
  let ruled = 0;
  let ruledRight = 0;
  let unexplained = 0;
  for (const line of lines) if (accountOf.has(line.id)) unexplained++;
  for (const line of lines) {
    if (!accountOf.has(line.id)) continue;
    const rule = ruleFor(line, RULES);
    if (rule) {
      ruled++;
      if (rule.accountNumber === accountOf.get(line.id)) ruledRight++;
    }
  }
  const examples = lines
    .filter((l) => family.has(l.id) && l.bookingDate < `${YEAR}-04-01`)
    .map((l) => ({ label: l.label, accountNumber: family.get(l.id), amountCents: l.amountCents }));
  let learnable = 0;
  let learned = 0;
  let learnedRight = 0;
  for (const line of lines) {
    if (!family.has(line.id) || line.bookingDate < `${YEAR}-04-01`) continue;
    learnable++;
    const s = learnedSuggestion(line, examples);
    if (s) {
      learned++;
      if (s.accountNumber === family.get(line.id)) learnedRight++;
    }
  }
  return {
    lines: lines.length,
    candidates: candidates.length,
    linesWithOneExactCandidate: matchable,
    auto,
    autoRate: +(auto / lines.length).toFixed(4),
    autoRateOfLinesWithOneExactCandidate: +(auto / matchable).toFixed(4),
    wrongAuto: wrong,
    suggestedOnly: suggested,
    suggestionsBestRight: bestRight,
    suggestionsRightInTopFive: inTopFive,
    noProposal: nothing,
    linesSummingSeveralItems: {
      lines: sums,
      rightSumProposed: sumsProposed,
      rightSumFirst: sumsBest,
    },
    unexplainedLines: unexplained,
    ruleApplied: ruled,
    ruleRight: ruledRight,
    learnedFromJanuaryToMarch: {
      examples: examples.length,
      linesAfter: learnable,
      suggested: learned,
      right: learnedRight,
    },
    wrongExamples,
  };
}

/**
 * Wall milliseconds (median and best of `runs` after one warm-up; the best is the one least
 * disturbed by other processes on a shared machine) and CPU milliseconds (median; counts the
 * GC helper threads too).
 */
function time(fn, runs) {
  fn();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t) / 1e6);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return {
    ms: +median(wall).toFixed(1),
    minMs: +Math.min(...wall).toFixed(1),
    cpuMs: +median(cpu).toFixed(1),
  };
}

function wrongAutos(data, results) {
  return results.filter((r) => r.auto && !same(r.auto.candidateIds, data.truth.get(r.lineId)))
    .length;
}

/** The first n lines and n candidates (both in date order). */
function cut(data, n) {
  if (data.lines.length < n || data.candidates.length < n)
    throw new Error(`dataset too small for ${n}`);
  return { ...data, lines: data.lines.slice(0, n), candidates: data.candidates.slice(0, n) };
}

/** Several consecutive years of the same association (same density), ids and dates shifted. */
function generateYears(members, years, seed) {
  const out = { lines: [], candidates: [], truth: new Map() };
  const shift = (date, y) =>
    date === null ? null : iso((Date.parse(date) - EPOCH) / 86_400_000 + 365 * y);
  for (let y = 0; y < years; y++) {
    const data = generateYear(members, seed + y);
    for (const l of data.lines)
      out.lines.push({
        ...l,
        id: `Y${y}-${l.id}`,
        bookingDate: shift(l.bookingDate, y),
        valueDate: shift(l.valueDate, y),
      });
    for (const c of data.candidates)
      out.candidates.push({ ...c, id: `Y${y}-${c.id}`, date: shift(c.date, y) });
    for (const [id, ids] of data.truth)
      out.truth.set(
        `Y${y}-${id}`,
        ids.map((c) => `Y${y}-${c}`),
      );
  }
  return out;
}

const cpu =
  /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0].model;
console.log(
  `Node ${process.version}, ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);

const started = Date.now();
const year = generateYear();
const generatedMs = Date.now() - started;
let yearResults = [];
const yearTime = time(() => {
  yearResults = matchAll(year.lines, year.candidates);
}, 3);
const q = quality(year, yearResults);
console.log(
  `year: ${MEMBERS} members, ${q.lines} lines, ${q.candidates} candidates (generated in ${generatedMs} ms); matchAll ${yearTime.ms} ms (CPU ${yearTime.cpuMs} ms)`,
);
console.log(
  `auto ${q.auto} (${(q.autoRate * 100).toFixed(1)} % of lines, ${(q.autoRateOfLinesWithOneExactCandidate * 100).toFixed(1)} % of the lines with one exact candidate), wrong ${q.wrongAuto}; suggestions only ${q.suggestedOnly}, best right ${q.suggestionsBestRight}, right in top 5 ${q.suggestionsRightInTopFive}; no proposal ${q.noProposal}`,
);
console.log(
  `lines no candidate explains: ${q.unexplainedLines}; label rule ${q.ruleApplied} (right ${q.ruleRight}); learned from January–March: ${q.learnedFromJanuaryToMarch.suggested} of ${q.learnedFromJanuaryToMarch.linesAfter} later direct debits (right ${q.learnedFromJanuaryToMarch.right})`,
);
console.log(
  `cash deposits summing several receipts: ${q.linesSummingSeveralItems.lines}, the right sum proposed for ${q.linesSummingSeveralItems.rightSumProposed} (first for ${q.linesSummingSeveralItems.rightSumFirst})`,
);
for (const w of q.wrongExamples) console.log('WRONG', JSON.stringify(w));

// The same year with the payer name alone allowed to apply a match (off by default).
const LENIENT = { ...DEFAULT_MATCHING, applyOnNameAlone: true };
const lenientYear = quality(year, matchAll(year.lines, year.candidates, LENIENT));
console.log(
  `with applyOnNameAlone: auto ${lenientYear.auto} (${(lenientYear.autoRate * 100).toFixed(1)} % of lines), wrong ${lenientYear.wrongAuto}`,
);
for (const w of lenientYear.wrongExamples) console.log('WRONG (name alone)', JSON.stringify(w));

// 10,000 x 10,000: a year of 2,950 members (the density of a 3,000-member association).
const ten = cut(generateYear(2_950, SEED + 1), 10_000);
let tenResults = [];
const tenTime = time(() => {
  tenResults = matchAll(ten.lines, ten.candidates);
}, 5);
const tenWrong = wrongAutos(ten, tenResults);
const tenWrongLenient = wrongAutos(ten, matchAll(ten.lines, ten.candidates, LENIENT));
console.log(
  `10,000 lines x 10,000 candidates: ${tenTime.ms} ms (CPU ${tenTime.cpuMs} ms), target < 2,000 ms; wrong automatic matches ${tenWrong} (with applyOnNameAlone ${tenWrongLenient})`,
);

// Scaling, two ways: more years of the same association (same density: the cost per line
// should stay flat up to the log factor), and one year of a larger association (the same
// amounts crowd the same days: the crowded-window bound is what keeps the cost per line).
const scaling = [];
for (const [shape, make] of [
  ['more years, same density', (n) => generateYears(700, n / 2_500, SEED + 2)],
  ['one year, more members', (n) => generateYear(Math.ceil(n / 3.4), SEED + n)],
]) {
  const rows = [];
  for (const n of [2_500, 5_000, 10_000, 20_000]) {
    const data = cut(make(n), n);
    let results = [];
    const t = time(() => {
      results = matchAll(data.lines, data.candidates);
    }, 5);
    rows.push({
      n,
      ...t,
      usPerLine: +((t.ms * 1000) / n).toFixed(1),
      wrongAuto: wrongAutos(data, results),
      wrongAutoWithNameAlone: wrongAutos(data, matchAll(data.lines, data.candidates, LENIENT)),
    });
  }
  for (const row of rows) {
    row.vsLinear = +(row.ms / rows[0].ms / (row.n / rows[0].n)).toFixed(2);
    row.vsNLogN = +(
      row.ms /
      rows[0].ms /
      ((row.n * Math.log2(row.n)) / (rows[0].n * Math.log2(rows[0].n)))
    ).toFixed(2);
    console.log(
      `${shape}: n = ${row.n}: ${row.ms} ms (CPU ${row.cpuMs} ms), ${row.usPerLine} µs per line; time ratio / n ratio ${row.vsLinear}, / n log n ratio ${row.vsNLogN}; wrong ${row.wrongAuto} (with applyOnNameAlone ${row.wrongAutoWithNameAlone})`,
    );
  }
  scaling.push({ shape, rows });
}

const { wrongExamples: _w, ...summary } = q;
const totalWrongLenient =
  lenientYear.wrongAuto +
  tenWrongLenient +
  scaling.flatMap((s) => s.rows).reduce((sum, r) => sum + r.wrongAutoWithNameAlone, 0);
const totalWrong =
  q.wrongAuto + tenWrong + scaling.flatMap((s) => s.rows).reduce((sum, r) => sum + r.wrongAuto, 0);
console.log(
  JSON.stringify(
    {
      machine: { node: process.version, cpus: os.cpus().length, cpu },
      seed: SEED,
      members: MEMBERS,
      year: { ...summary, matchAllMs: yearTime.ms, matchAllCpuMs: yearTime.cpuMs },
      yearWithApplyOnNameAlone: {
        auto: lenientYear.auto,
        autoRate: lenientYear.autoRate,
        wrongAuto: lenientYear.wrongAuto,
      },
      tenThousandByTenThousand: {
        ...tenTime,
        wrongAuto: tenWrong,
        wrongAutoWithNameAlone: tenWrongLenient,
      },
      scaling,
      wrongAutoInAllRuns: totalWrong,
      wrongAutoInAllRunsWithNameAlone: totalWrongLenient,
    },
    null,
    2,
  ),
);
if (totalWrong > 0) process.exitCode = 1;
