import { randomUUID } from 'node:crypto';
import type { OrgContext } from '@ruche/core';
import type { LedgerHarness } from '@ruche/testing';
import type { PostingEvent } from '../domain/posting-rules';

/** Posts one event with a unique source and returns its lines as [account, debit, credit] in cents. */
export async function postEvent(h: LedgerHarness, ctx: OrgContext, event: PostingEvent, date = '2026-03-02', source = `test:${randomUUID()}`) {
  const result = await h.ledger.postEvent(ctx, { event, date, label: event.kind, source });
  const entry = await h.ledger.get(ctx, result.entryId);
  return {
    result,
    entry,
    lines: entry.lines.map((l) => [l.accountNumber, l.debitCents, l.creditCents] as const),
  };
}
