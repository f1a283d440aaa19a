import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments and Stripe: the organization's Stripe account (keys sealed), the events Stripe sent
 * (stored once by id), payments with their status history (append-only), refunds, disputes,
 * payouts with the balance transactions they settle, subscriptions (automatic renewal of a plan),
 * cheque deposit slips.
 */
export class Payments1732800000000 implements MigrationInterface {
  name = 'Payments1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "payments" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid, "purpose" character varying(20) NOT NULL, "purpose_id" uuid, "label" character varying(200) NOT NULL, "method" character varying(20), "provider" character varying(20) NOT NULL, "status" character varying(20) NOT NULL, "amount_cents" bigint NOT NULL, "fee_cents" bigint, "net_cents" bigint, "refunded_cents" bigint NOT NULL DEFAULT '0', "currency" character(3) NOT NULL, "paid_on" date, "available_on" date, "revenue_role" character varying(40) NOT NULL, "revenue_account" character varying(20), "analytic" character varying(40), "checkout_session_id" character varying(255), "payment_intent_id" character varying(255), "charge_id" character varying(255), "balance_transaction_id" character varying(255), "livemode" boolean, "stripe_invoice_id" character varying(255), "subscription_id" uuid, "reference" character varying(100), "cheque_bank" character varying(100), "cheque_drawer" character varying(200), "deposit_id" uuid, "entry_id" uuid, "locale" character varying(2) NOT NULL DEFAULT 'fr', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_payments_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_payments_provider" CHECK ("provider" IN ('stripe', 'manual')), CONSTRAINT "ck_payments_purpose" CHECK ("purpose" IN ('membership', 'donation', 'other')), CONSTRAINT "ck_payments_status" CHECK ("status" IN ('pending', 'processing', 'succeeded', 'failed', 'cancelled', 'partially_refunded', 'refunded', 'disputed')), CONSTRAINT "ck_payments_fee" CHECK ("fee_cents" IS NULL OR ("fee_cents" >= 0 AND "net_cents" = "amount_cents" - "fee_cents")), CONSTRAINT "ck_payments_amount" CHECK ("amount_cents" > 0 AND "refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents"), CONSTRAINT "pk_payments" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_payments_charge" ON "payments" ("organization_id", "charge_id") WHERE "charge_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_payments_payment_intent" ON "payments" ("organization_id", "payment_intent_id") WHERE "payment_intent_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_payments_checkout_session" ON "payments" ("organization_id", "checkout_session_id") WHERE "checkout_session_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_payments_org_purpose" ON "payments" ("organization_id", "purpose", "purpose_id")`);
    await q.query(`CREATE INDEX "ix_payments_org_contact" ON "payments" ("organization_id", "contact_id")`);
    await q.query(`CREATE INDEX "ix_payments_org_created" ON "payments" ("organization_id", "created_at")`);
    await q.query(`CREATE TABLE "payment_status_changes" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "payment_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "cause" character varying(255) NOT NULL, "note" character varying(500), "at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, CONSTRAINT "pk_payment_status_changes" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_payment_status_changes_payment" ON "payment_status_changes" ("organization_id", "payment_id", "seq")`);
    await q.query(`CREATE TABLE "stripe_accounts" ("organization_id" uuid NOT NULL, "mode" character varying(4) NOT NULL, "secret_key_sealed" text NOT NULL, "secret_key_hint" character varying(40) NOT NULL, "webhook_secret_sealed" text NOT NULL, "publishable_key" character varying(255), "account_id" character varying(255), "account_name" character varying(255), "connect_account_id" character varying(255), "last_checked_at" TIMESTAMP WITH TIME ZONE, "last_check_ok" boolean, "last_check_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_stripe_accounts_mode" CHECK ("mode" IN ('test', 'live')), CONSTRAINT "pk_stripe_accounts" PRIMARY KEY ("organization_id"))`);
    await q.query(`CREATE TABLE "stripe_events" ("organization_id" uuid NOT NULL, "id" character varying(255) NOT NULL, "type" character varying(100) NOT NULL, "api_version" character varying(20), "livemode" boolean NOT NULL, "account" character varying(255), "stripe_created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL, "state" character varying(20) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "error" character varying(1000), "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_stripe_events_state" CHECK ("state" IN ('received', 'processed', 'ignored', 'failed')), CONSTRAINT "pk_stripe_events" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_stripe_events_pending" ON "stripe_events" ("received_at") WHERE "state" = 'received'`);
    await q.query(`CREATE INDEX "ix_stripe_events_org_received" ON "stripe_events" ("organization_id", "received_at")`);
    await q.query(`CREATE TABLE "payment_refunds" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "payment_id" uuid NOT NULL, "stripe_refund_id" character varying(255), "amount_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "status" character varying(20) NOT NULL, "reason" character varying(500), "refunded_on" date, "entry_id" uuid, "requested_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_payment_refunds_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_payment_refunds_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'canceled')), CONSTRAINT "ck_payment_refunds_amount" CHECK ("amount_cents" > 0), CONSTRAINT "pk_payment_refunds" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_refunds_stripe" ON "payment_refunds" ("organization_id", "stripe_refund_id") WHERE "stripe_refund_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_payment_refunds_payment" ON "payment_refunds" ("organization_id", "payment_id")`);
    await q.query(`CREATE TABLE "payment_disputes" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "payment_id" uuid NOT NULL, "stripe_dispute_id" character varying(255) NOT NULL, "amount_cents" bigint NOT NULL, "fee_cents" bigint NOT NULL DEFAULT '0', "currency" character(3) NOT NULL, "status" character varying(40) NOT NULL, "reason" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_payment_disputes" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_disputes_stripe" ON "payment_disputes" ("organization_id", "stripe_dispute_id")`);
    await q.query(`CREATE INDEX "ix_payment_disputes_payment" ON "payment_disputes" ("organization_id", "payment_id")`);
    await q.query(`CREATE TABLE "payouts" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "stripe_payout_id" character varying(255) NOT NULL, "amount_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "status" character varying(20) NOT NULL, "arrival_date" date NOT NULL, "statement_descriptor" character varying(100), "items_net_cents" bigint NOT NULL DEFAULT '0', "item_count" integer NOT NULL DEFAULT '0', "entry_id" uuid, "reversal_entry_id" uuid, "failure_message" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_payouts_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "pk_payouts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_payouts_org_arrival" ON "payouts" ("organization_id", "arrival_date")`);
    await q.query(`CREATE UNIQUE INDEX "uq_payouts_stripe" ON "payouts" ("organization_id", "stripe_payout_id")`);
    await q.query(`CREATE TABLE "payout_items" ("organization_id" uuid NOT NULL, "payout_id" uuid NOT NULL, "balance_transaction_id" character varying(255) NOT NULL, "type" character varying(40) NOT NULL, "reporting_category" character varying(40) NOT NULL, "source" character varying(255), "amount_cents" bigint NOT NULL, "fee_cents" bigint NOT NULL, "net_cents" bigint NOT NULL, "payment_id" uuid, CONSTRAINT "ck_payout_items_net" CHECK ("net_cents" = "amount_cents" - "fee_cents"), CONSTRAINT "pk_payout_items" PRIMARY KEY ("organization_id", "payout_id", "balance_transaction_id"))`);
    await q.query(`CREATE INDEX "ix_payout_items_source" ON "payout_items" ("organization_id", "source")`);
    await q.query(`CREATE TABLE "payment_subscriptions" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "stripe_subscription_id" character varying(255) NOT NULL, "stripe_customer_id" character varying(255), "contact_id" uuid, "purpose" character varying(20) NOT NULL, "purpose_ref" uuid, "interval" character varying(10) NOT NULL, "amount_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "status" character varying(30) NOT NULL, "cancel_at_period_end" boolean NOT NULL DEFAULT false, "current_period_end" date, "canceled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_payment_subscriptions_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_payment_subscriptions_interval" CHECK ("interval" IN ('year', 'month')), CONSTRAINT "pk_payment_subscriptions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_payment_subscriptions_contact" ON "payment_subscriptions" ("organization_id", "contact_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_subscriptions_stripe" ON "payment_subscriptions" ("organization_id", "stripe_subscription_id")`);
    await q.query(`CREATE TABLE "cheque_deposits" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "year" integer NOT NULL, "number" integer NOT NULL, "deposited_on" date NOT NULL, "total_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "cheque_count" integer NOT NULL, "entry_id" uuid NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_cheque_deposits_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_cheque_deposits_total" CHECK ("total_cents" > 0 AND "cheque_count" > 0), CONSTRAINT "pk_cheque_deposits" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_cheque_deposits_number" ON "cheque_deposits" ("organization_id", "year", "number")`);
    await q.query(`ALTER TABLE "membership_plans" ADD "subscription" character varying(10) NOT NULL DEFAULT 'none'`);
    await q.query(`ALTER TABLE "payments" ADD CONSTRAINT "fk_payments_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "payment_status_changes" ADD CONSTRAINT "fk_payment_status_changes_payment" FOREIGN KEY ("organization_id", "payment_id") REFERENCES "payments"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "stripe_accounts" ADD CONSTRAINT "fk_stripe_accounts_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "stripe_events" ADD CONSTRAINT "fk_stripe_events_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "payment_refunds" ADD CONSTRAINT "fk_payment_refunds_payment" FOREIGN KEY ("organization_id", "payment_id") REFERENCES "payments"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "payment_disputes" ADD CONSTRAINT "fk_payment_disputes_payment" FOREIGN KEY ("organization_id", "payment_id") REFERENCES "payments"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "payout_items" ADD CONSTRAINT "fk_payout_items_payout" FOREIGN KEY ("organization_id", "payout_id") REFERENCES "payouts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "payment_subscriptions" ADD CONSTRAINT "fk_payment_subscriptions_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE OR REPLACE FUNCTION ruche_payment_status_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'payment status history is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER ruche_payment_status_changes_append_only BEFORE UPDATE OR DELETE ON "payment_status_changes" FOR EACH ROW EXECUTE FUNCTION ruche_payment_status_changes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "membership_plans" DROP COLUMN "subscription"`);
    await q.query(`DROP TABLE "cheque_deposits"`);
    await q.query(`DROP TABLE "payment_subscriptions"`);
    await q.query(`DROP TABLE "payout_items"`);
    await q.query(`DROP TABLE "payouts"`);
    await q.query(`DROP TABLE "payment_disputes"`);
    await q.query(`DROP TABLE "payment_refunds"`);
    await q.query(`DROP TABLE "payment_status_changes"`);
    await q.query(`DROP FUNCTION ruche_payment_status_changes_append_only()`);
    await q.query(`DROP TABLE "stripe_events"`);
    await q.query(`DROP TABLE "stripe_accounts"`);
    await q.query(`DROP TABLE "payments"`);
  }
}
