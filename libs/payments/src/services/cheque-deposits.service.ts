import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, In } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type {
  ChequeDepositInput,
  ChequeDepositView,
  ChequeView,
  Page,
  PaginationQuery,
} from '@ruche/contracts';
import { AuditService, Clock, pdfAmount, pdfDate, renderReportPdf } from '@ruche/platform';
import { LedgerService } from '@ruche/accounting';
import { OrganizationEntity } from '@ruche/organizations';
import { ChequeDepositEntity } from '../entities/cheque-deposit.entity';

const reference = (d: { year: number; number: number }) =>
  `REM-${d.year}-${String(d.number).padStart(3, '0')}`;

/**
 * Deposit slips: cheques received at the desk taken to the bank together. One entry for the slip
 * (debit bank the total, credit 5112 each cheque), so the bank statement's one line matches it;
 * numbered without gaps per year; a cheque is deposited once.
 */
@Injectable()
export class ChequeDepositsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async create(ctx: OrgContext, input: ChequeDepositInput): Promise<ChequeDepositView> {
    const ids = [...new Set(input.paymentIds)];
    const { id, posted } = await this.dataSource.transaction(async (m) => {
      const rows = await m.query<
        {
          id: string;
          method: string | null;
          provider: string;
          status: string;
          deposit_id: string | null;
          amount_cents: string;
          currency: string;
          label: string;
          paid_on: string | null;
        }[]
      >(
        `SELECT id, method, provider, status, deposit_id, amount_cents, currency, label, paid_on::text AS paid_on
           FROM payments WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY paid_on, id FOR UPDATE`,
        [ctx.organizationId, ids],
      );
      if (rows.length !== ids.length)
        throw DomainError.invalid(
          'payments.not_found',
          'Some of these cheques do not exist',
          'paymentIds',
        );
      const notCheques = rows.filter(
        (r) => r.method !== 'cheque' || r.provider !== 'manual' || r.status !== 'succeeded',
      );
      if (notCheques.length > 0)
        throw new DomainError(
          'conflict',
          'payments.not_a_cheque',
          `Not a cheque received at the desk: ${notCheques.map((r) => r.label).join(', ')}`,
          { field: 'paymentIds' },
        );
      const deposited = rows.filter((r) => r.deposit_id !== null);
      if (deposited.length > 0)
        throw new DomainError(
          'conflict',
          'payments.cheque_already_deposited',
          `Already taken to the bank: ${deposited.map((r) => r.label).join(', ')}`,
          { field: 'paymentIds' },
        );
      const currencies = new Set(rows.map((r) => r.currency));
      if (currencies.size > 1)
        throw DomainError.invalid(
          'payments.currencies_mixed',
          'One deposit slip holds cheques of one currency',
          'paymentIds',
        );
      const late = rows.filter((r) => r.paid_on && r.paid_on > input.depositedOn);
      if (late.length > 0)
        throw DomainError.invalid(
          'payments.deposit_before_receipt',
          'A cheque cannot be deposited before it was received',
          'depositedOn',
        );
      const year = Number(input.depositedOn.slice(0, 4));
      // Gapless numbering per year: the next number is taken under a lock of the organization's row.
      await m.query('SELECT id FROM organizations WHERE id = $1 FOR UPDATE', [ctx.organizationId]);
      const [{ next }] = await m.query<{ next: number }[]>(
        'SELECT coalesce(max(number), 0) + 1 AS next FROM cheque_deposits WHERE organization_id = $1 AND year = $2',
        [ctx.organizationId, year],
      );
      const depositId = newId();
      const ref = reference({ year, number: next });
      const amounts = rows.map((r) => Number(r.amount_cents));
      const total = amounts.reduce((sum, a) => sum + a, 0);
      const result = await this.ledger.postEvent(
        ctx,
        {
          event: { kind: 'cheque_deposit', chequesCents: amounts },
          date: input.depositedOn,
          label: `Remise de chèques ${ref} (${rows.length})`,
          source: `cheque-deposit:${depositId}`,
          pieceRef: ref,
        },
        m,
      );
      await m.getRepository(ChequeDepositEntity).insert({
        id: depositId,
        organizationId: ctx.organizationId,
        year,
        number: next,
        depositedOn: input.depositedOn,
        totalCents: String(total),
        currency: rows[0].currency,
        chequeCount: rows.length,
        entryId: result.entryId,
        createdBy: ctx.userId,
        createdAt: this.clock.now(),
      });
      await m.query(
        'UPDATE payments SET deposit_id = $3, updated_at = $4 WHERE organization_id = $1 AND id = ANY($2::uuid[])',
        [ctx.organizationId, ids, depositId, this.clock.now()],
      );
      await this.audit.record(
        ctx,
        {
          action: 'cheque-deposit.created',
          entityType: 'cheque_deposit',
          entityId: depositId,
          after: { reference: ref, totalCents: total, cheques: ids, entryId: result.entryId },
        },
        m,
      );
      return { id: depositId, posted: result };
    });
    if (posted.created) await this.ledger.publishPosted(ctx, posted.entryId, posted.number);
    return this.get(ctx, id);
  }

  async list(ctx: OrgContext, query: PaginationQuery): Promise<Page<ChequeDepositView>> {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      'SELECT count(*)::int AS total FROM cheque_deposits WHERE organization_id = $1',
      [ctx.organizationId],
    );
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM cheque_deposits WHERE organization_id = $1 ORDER BY deposited_on DESC, year DESC, number DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      [ctx.organizationId],
    );
    return {
      items: await this.views(
        ctx,
        rows.map((r) => r.id),
      ),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async get(ctx: OrgContext, id: string): Promise<ChequeDepositView> {
    const [view] = await this.views(ctx, [id]);
    if (!view) throw DomainError.notFound('payments.deposit_not_found', 'No such deposit slip');
    return view;
  }

  /** Slips with their cheques, in the order of `ids`: two queries whatever the page size. */
  private async views(ctx: OrgContext, ids: string[]): Promise<ChequeDepositView[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(ChequeDepositEntity)
      .find({ where: { organizationId: ctx.organizationId, id: In(ids) } });
    const cheques = await this.dataSource.query<
      {
        id: string;
        deposit_id: string;
        label: string;
        contact_name: string | null;
        amount_cents: string;
        paid_on: string;
        reference: string | null;
        cheque_bank: string | null;
        cheque_drawer: string | null;
      }[]
    >(
      `SELECT p.id, p.deposit_id, p.label, p.amount_cents, p.paid_on::text AS paid_on, p.reference, p.cheque_bank, p.cheque_drawer,
              CASE WHEN c.id IS NULL THEN NULL WHEN c.kind = 'organization' THEN c.organization_name ELSE trim(concat_ws(' ', c.last_name, c.first_name)) END AS contact_name
         FROM payments p LEFT JOIN contacts c ON c.organization_id = p.organization_id AND c.id = p.contact_id
        WHERE p.organization_id = $1 AND p.deposit_id = ANY($2::uuid[]) ORDER BY p.paid_on, p.id`,
      [ctx.organizationId, ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      return [
        {
          id: row.id,
          reference: reference(row),
          depositedOn: row.depositedOn,
          totalCents: Number(row.totalCents),
          currency: row.currency,
          chequeCount: row.chequeCount,
          entryId: row.entryId,
          createdAt: row.createdAt.toISOString(),
          cheques: cheques
            .filter((c) => c.deposit_id === id)
            .map((c): ChequeView => ({
              paymentId: c.id,
              label: c.label,
              contactName: c.contact_name,
              amountCents: Number(c.amount_cents),
              receivedOn: c.paid_on,
              number: c.reference,
              bank: c.cheque_bank,
              drawer: c.cheque_drawer,
            })),
        },
      ];
    });
  }

  /** The slip to hand to the bank with the cheques (PDF). */
  async pdf(ctx: OrgContext, id: string): Promise<{ fileName: string; body: Readable }> {
    const deposit = await this.get(ctx, id);
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const body = renderReportPdf(
      {
        title: `Bordereau de remise de chèques ${deposit.reference}`,
        subtitle: `Remise du ${pdfDate(deposit.depositedOn)} — ${deposit.chequeCount} chèque(s)`,
        organization: org.legalName ?? org.name,
        columns: [
          { label: 'N° chèque', width: 14 },
          { label: 'Banque', width: 20 },
          { label: 'Tireur', width: 26 },
          { label: 'Objet', width: 26 },
          { label: `Montant (${deposit.currency})`, width: 14, align: 'right' },
        ],
        rows: [
          ...deposit.cheques.map((c) => ({
            cells: [
              c.number ?? '',
              c.bank ?? '',
              c.drawer ?? c.contactName ?? '',
              c.label,
              pdfAmount(c.amountCents),
            ],
          })),
          {
            cells: ['', '', '', `Total (${deposit.chequeCount})`, pdfAmount(deposit.totalCents)],
            bold: true,
          },
        ],
        notes: ['Signature du déposant :'],
      },
      this.clock.now(),
    );
    return { fileName: `bordereau-${deposit.reference}.pdf`, body };
  }
}
