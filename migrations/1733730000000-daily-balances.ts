import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily balances: posted debits and credits per account and day, kept by the posting trigger in
 * the same transaction as the monthly `account_balances`. A report period that cuts a month reads
 * whole months from `account_balances` and the cut days from `account_daily_balances`, never the
 * lines. Like the monthly balances, the rows only move with postings (no DELETE, no TRUNCATE);
 * reversals and the reopening of a year are postings, so they feed both tables the same way.
 */
const postedFunction = (
  daily: boolean,
) => `CREATE OR REPLACE FUNCTION ruche_journal_entries_posted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE totals record;
      BEGIN
        SELECT count(*) AS n, coalesce(sum(debit_cents), 0) AS debit, coalesce(sum(credit_cents), 0) AS credit
          INTO totals FROM journal_entry_lines WHERE organization_id = NEW.organization_id AND entry_id = NEW.id;
        IF totals.n < 2 OR totals.debit <> totals.credit OR totals.debit <> NEW.total_cents THEN
          RAISE EXCEPTION 'posted entry % is unbalanced (% lines, debit %, credit %, total %)',
            NEW.id, totals.n, totals.debit, totals.credit, NEW.total_cents USING ERRCODE = 'check_violation';
        END IF;
        INSERT INTO account_balances AS b (organization_id, fiscal_year_id, account_id, period_month, debit_cents, credit_cents)
          SELECT NEW.organization_id, NEW.fiscal_year_id, l.account_id, date_trunc('month', NEW.entry_date)::date,
                 sum(l.debit_cents), sum(l.credit_cents)
            FROM journal_entry_lines l WHERE l.organization_id = NEW.organization_id AND l.entry_id = NEW.id
            GROUP BY l.account_id
          ON CONFLICT (organization_id, fiscal_year_id, account_id, period_month) DO UPDATE
            SET debit_cents = b.debit_cents + EXCLUDED.debit_cents, credit_cents = b.credit_cents + EXCLUDED.credit_cents;${
              daily
                ? `
        INSERT INTO account_daily_balances AS d (organization_id, fiscal_year_id, day, account_id, debit_cents, credit_cents)
          SELECT NEW.organization_id, NEW.fiscal_year_id, NEW.entry_date, l.account_id, sum(l.debit_cents), sum(l.credit_cents)
            FROM journal_entry_lines l WHERE l.organization_id = NEW.organization_id AND l.entry_id = NEW.id
            GROUP BY l.account_id
          ON CONFLICT (organization_id, fiscal_year_id, day, account_id) DO UPDATE
            SET debit_cents = d.debit_cents + EXCLUDED.debit_cents, credit_cents = d.credit_cents + EXCLUDED.credit_cents;`
                : ''
            }
        -- Outgoing webhooks: one delivery per subscribed endpoint, in this same transaction.
        INSERT INTO webhook_deliveries (id, organization_id, endpoint_id, event_type, event_key, payload)
          SELECT w.id, NEW.organization_id, w.endpoint_id, 'entry.posted', NEW.id::text,
                 json_build_object(
                   'id', w.id, 'type', 'entry.posted', 'createdAt', now(), 'organizationId', NEW.organization_id,
                   'data', json_build_object(
                     'entryId', NEW.id, 'number', NEW.number, 'fiscalYearId', NEW.fiscal_year_id,
                     'journal', (SELECT code FROM journals WHERE organization_id = NEW.organization_id AND id = NEW.journal_id),
                     'date', NEW.entry_date, 'label', NEW.label, 'pieceRef', NEW.piece_ref, 'source', NEW.source,
                     'reversalOfId', NEW.reversal_of_id, 'currency', NEW.currency, 'totalCents', NEW.total_cents,
                     'lines', (SELECT json_agg(json_build_object('account', a.number, 'debitCents', l.debit_cents, 'creditCents', l.credit_cents,
                                                                 'label', l.label, 'analytic', l.analytic, 'counterpartyRef', l.counterparty_ref) ORDER BY l.line_no)
                                FROM journal_entry_lines l JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
                               WHERE l.organization_id = NEW.organization_id AND l.entry_id = NEW.id)))
            FROM (SELECT gen_random_uuid() AS id, e.id AS endpoint_id FROM webhook_endpoints e
                   WHERE e.organization_id = NEW.organization_id AND e.active AND 'entry.posted' = ANY (e.events)) w
          ON CONFLICT (endpoint_id, event_type, event_key) DO NOTHING;
        RETURN NULL;
      END $$`;

/** The daily totals of the posted lines, as the posting trigger builds them (backfill and checks). */
export const DAILY_BALANCES_FROM_LINES_SQL = `
  SELECT e.organization_id, e.fiscal_year_id, e.entry_date AS day, l.account_id, sum(l.debit_cents) AS debit_cents, sum(l.credit_cents) AS credit_cents
    FROM journal_entries e JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
   WHERE e.status = 'posted'
   GROUP BY e.organization_id, e.fiscal_year_id, e.entry_date, l.account_id`;

export class DailyBalances1733730000000 implements MigrationInterface {
  name = 'DailyBalances1733730000000';

  async up(q: QueryRunner): Promise<void> {
    // Day before account: a period's cut days are one index range per fiscal year.
    await q.query(
      `CREATE TABLE "account_daily_balances" ("organization_id" uuid NOT NULL, "fiscal_year_id" uuid NOT NULL, "day" date NOT NULL, "account_id" uuid NOT NULL, "debit_cents" bigint NOT NULL DEFAULT '0', "credit_cents" bigint NOT NULL DEFAULT '0', CONSTRAINT "pk_account_daily_balances" PRIMARY KEY ("organization_id", "fiscal_year_id", "day", "account_id"))`,
    );
    await q.query(
      `ALTER TABLE "account_daily_balances" ADD CONSTRAINT "fk_account_daily_balances_account" FOREIGN KEY ("organization_id", "account_id") REFERENCES "accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "account_daily_balances" ADD CONSTRAINT "fk_account_daily_balances_fiscal_year" FOREIGN KEY ("organization_id", "fiscal_year_id") REFERENCES "fiscal_years"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // No posting may commit between the backfill's snapshot and the new trigger function: SHARE
    // waits for the transactions writing entries and holds new ones until this migration commits.
    await q.query(`LOCK TABLE "journal_entries" IN SHARE MODE`);
    await q.query(postedFunction(true));
    await q.query(
      `INSERT INTO "account_daily_balances" (organization_id, fiscal_year_id, day, account_id, debit_cents, credit_cents) ${DAILY_BALANCES_FROM_LINES_SQL}`,
    );
    await q.query(`CREATE TRIGGER trg_account_daily_balances_no_delete BEFORE DELETE ON "account_daily_balances"
      FOR EACH ROW EXECUTE FUNCTION ruche_forbid_change()`);
    await q.query(`CREATE TRIGGER ruche_account_daily_balances_no_truncate BEFORE TRUNCATE ON "account_daily_balances"
      FOR EACH STATEMENT EXECUTE FUNCTION ruche_no_truncate()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(postedFunction(false));
    await q.query(
      `DROP TRIGGER ruche_account_daily_balances_no_truncate ON "account_daily_balances"`,
    );
    await q.query(`DROP TRIGGER trg_account_daily_balances_no_delete ON "account_daily_balances"`);
    await q.query(`DROP TABLE "account_daily_balances"`);
  }
}
