import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outgoing webhooks: endpoints and deliveries; posted entries emit `entry.posted`. */
export class Webhooks1732300000000 implements MigrationInterface {
  name = 'Webhooks1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "url" character varying(500) NOT NULL, "description" character varying(200), "events" text array NOT NULL, "secret_sealed" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_webhook_endpoints_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_webhook_endpoints_org" ON "webhook_endpoints" ("organization_id")`);
    await q.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "event_type" character varying(100) NOT NULL, "event_key" character varying(200) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_status" integer, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_webhook_deliveries_event" UNIQUE ("endpoint_id", "event_type", "event_key"), CONSTRAINT "ck_webhook_deliveries_status" CHECK ("status" IN ('pending', 'delivered', 'failed')), CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_webhook_deliveries_org" ON "webhook_deliveries" ("organization_id", "created_at")`);
    await q.query(`CREATE INDEX "ix_webhook_deliveries_status" ON "webhook_deliveries" ("status", "created_at")`);
    await q.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "fk_webhook_deliveries_endpoint" FOREIGN KEY ("organization_id", "endpoint_id") REFERENCES "webhook_endpoints"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE OR REPLACE FUNCTION ruche_journal_entries_posted() RETURNS trigger LANGUAGE plpgsql AS $$
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
            SET debit_cents = b.debit_cents + EXCLUDED.debit_cents, credit_cents = b.credit_cents + EXCLUDED.credit_cents;
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
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ruche_journal_entries_posted() RETURNS trigger LANGUAGE plpgsql AS $$
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
            SET debit_cents = b.debit_cents + EXCLUDED.debit_cents, credit_cents = b.credit_cents + EXCLUDED.credit_cents;
        RETURN NULL;
      END $$`);
    await q.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "fk_webhook_deliveries_endpoint"`);
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP TABLE "webhook_endpoints"`);
  }
}
