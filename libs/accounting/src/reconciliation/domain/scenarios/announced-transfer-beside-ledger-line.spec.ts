// A bank credit carrying the structured creditor reference (ISO 11649 "RF…") of an announced
// transfer, of the same amount as a lone ledger line of the bank account (no counterparty name,
// no reference). Both kinds of candidates are weighed in one pass: the ledger line is not "the
// only item of this amount", and it is not the item whose reference the bank gives. The
// announced transfer is applied, never the ledger line.
import {
  DEFAULT_MATCHING,
  matchAll,
  type BankLineFacts,
  type Candidate,
  type MatchingOptions,
} from '../matching';

/** As the service runs it: announced transfers arrive weeks after being announced. */
const OPTIONS: MatchingOptions = {
  ...DEFAULT_MATCHING,
  windowDaysByKind: { expected_payment: 60 },
};
const credit: BankLineFacts = {
  id: 'L1',
  bookingDate: '2026-04-14',
  valueDate: null,
  amountCents: 4_500,
  label: 'VIR SEPA ADHESION 2026',
  structuredReference: 'RF47 AB20 2600 0118',
  endToEndId: 'NOTPROVIDED',
  counterpartyName: 'M CAMILLE FAURE',
};
const ledgerLine: Candidate = {
  id: 'entry-1:1',
  kind: 'ledger_line',
  date: '2026-04-14',
  amountCents: 4_500,
  references: [],
  name: null,
};
const announced: Candidate = {
  id: 'payment-1',
  kind: 'expected_payment',
  date: '2026-03-20',
  amountCents: 4_500,
  references: ['RF47AB2026000118'],
  name: 'Camille Faure',
};

describe('scenario: announced transfer beside a ledger line of the same amount', () => {
  it('applies the announced transfer whose reference the bank gives, not the lone ledger line', () => {
    const [result] = matchAll([credit], [ledgerLine, announced], OPTIONS);
    expect(result.auto?.candidateIds).toEqual(['payment-1']);
    expect(result.proposals.map((p) => [p.candidateIds[0], p.score, p.reasons])).toEqual([
      [
        'payment-1',
        100,
        ['amount equal', '25 day(s) apart', 'reference RF47AB2026000118', 'payer name'],
      ],
      ['entry-1:1', 25, ['amount equal', 'same day', 'reference of payment-1']],
    ]);
  });

  it('never applies the ledger line, even when the reference is all the bank gives', () => {
    const anonymous = { ...credit, counterpartyName: null, label: 'VIR SEPA' };
    const [result] = matchAll([anonymous], [ledgerLine, announced], OPTIONS);
    expect(result.auto?.candidateIds ?? null).not.toEqual(['entry-1:1']);
    expect(result.auto?.candidateIds).toEqual(['payment-1']);
  });

  it('would apply the ledger line if the announced transfers were weighed apart (the risk)', () => {
    const [ledgerPoolAlone] = matchAll([credit], [ledgerLine], OPTIONS);
    expect(ledgerPoolAlone.auto?.candidateIds).toEqual(['entry-1:1']);
  });

  it('leaves both as suggestions when the bank gives no reference at all', () => {
    const bare = { ...credit, structuredReference: null, counterpartyName: null };
    const [result] = matchAll([bare], [ledgerLine, announced], OPTIONS);
    expect(result.auto).toBeNull();
    expect(result.proposals.map((p) => p.candidateIds[0]).sort()).toEqual([
      'entry-1:1',
      'payment-1',
    ]);
  });
});
