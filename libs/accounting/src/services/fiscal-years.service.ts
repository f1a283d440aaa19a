import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, newId, type OrgContext } from '@ruche/core';
import type { CreateFiscalYearInput, FiscalYearView } from '@ruche/contracts';
import { AuditService, pgErrorCode } from '@ruche/platform';
import { fiscalYearContaining, fiscalYearLengthProblem } from '../domain/fiscal-years';

interface FiscalYearRow {
  id: string;
  start_date: string;
  end_date: string;
  status: 'open' | 'closed';
  last_entry_number: number;
  closed_at: Date | null;
}

const PG_EXCLUSION_VIOLATION = '23P01';

export function toFiscalYearView(row: FiscalYearRow): FiscalYearView {
  return {
    id: row.id,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    lastEntryNumber: row.last_entry_number,
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  };
}

const COLUMNS = `id, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date, status, last_entry_number, closed_at`;

@Injectable()
export class FiscalYearsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext): Promise<FiscalYearView[]> {
    const rows: FiscalYearRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM fiscal_years WHERE organization_id = $1 ORDER BY start_date DESC`, [ctx.organizationId]);
    return rows.map(toFiscalYearView);
  }

  async get(ctx: OrgContext, id: string, tx?: EntityManager): Promise<FiscalYearView> {
    const rows: FiscalYearRow[] = await (tx ?? this.dataSource.manager).query(`SELECT ${COLUMNS} FROM fiscal_years WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, id]);
    const row = rows[0];
    if (!row) throw DomainError.notFound('accounting.fiscal_year_not_found');
    return toFiscalYearView(row);
  }

  async create(ctx: OrgContext, input: CreateFiscalYearInput): Promise<FiscalYearView> {
    const start = LocalDate.parse(input.startDate);
    const end = LocalDate.parse(input.endDate);
    const problem = fiscalYearLengthProblem(start, end);
    if (problem) throw DomainError.invalid('accounting.fiscal_year_length', problem, 'endDate');
    return this.dataSource.transaction(async (tx) => {
      const view = await this.insert(ctx, tx, start, end);
      await this.audit.record(ctx, { action: 'accounting.fiscal-year-created', entityType: 'fiscal_year', entityId: view.id, after: view }, tx);
      return view;
    });
  }

  /**
   * The fiscal year that contains `date`; when none does, the 12-month year of the
   * organization's calendar is opened (the first posting of a new year needs no setup), unless
   * it would overlap a custom year.
   */
  async forDate(ctx: OrgContext, tx: EntityManager, date: LocalDate): Promise<FiscalYearView> {
    const rows: FiscalYearRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM fiscal_years WHERE organization_id = $1 AND start_date <= $2 AND end_date >= $2`,
      [ctx.organizationId, date.toString()],
    );
    if (rows[0]) return toFiscalYearView(rows[0]);
    const [org] = await tx.query<{ fiscal_year_start_month: number }[]>('SELECT fiscal_year_start_month FROM organizations WHERE id = $1', [ctx.organizationId]);
    const period = fiscalYearContaining(date, org?.fiscal_year_start_month ?? 1);
    await tx.query('SAVEPOINT fiscal_year_open');
    try {
      const view = await this.insert(ctx, tx, period.start, period.end);
      await tx.query('RELEASE SAVEPOINT fiscal_year_open');
      return view;
    } catch (error) {
      // Rolled back, then left: the savepoint stays open after ROLLBACK TO, and an entry written
      // inside it would belong to a subtransaction, which the lines' guard refuses (500).
      await tx.query('ROLLBACK TO SAVEPOINT fiscal_year_open');
      await tx.query('RELEASE SAVEPOINT fiscal_year_open');
      if (error instanceof DomainError) {
        // Another transaction may just have opened it: read again.
        const again: FiscalYearRow[] = await tx.query(
          `SELECT ${COLUMNS} FROM fiscal_years WHERE organization_id = $1 AND start_date <= $2 AND end_date >= $2`,
          [ctx.organizationId, date.toString()],
        );
        if (again[0]) return toFiscalYearView(again[0]);
        throw DomainError.invalid('accounting.no_fiscal_year', `No fiscal year contains ${date.toString()}: create it first`, 'date');
      }
      throw error;
    }
  }

  /** Opens a fiscal year inside the caller's transaction (year close opens the next one). */
  async createIn(ctx: OrgContext, tx: EntityManager, start: LocalDate, end: LocalDate): Promise<FiscalYearView> {
    const view = await this.insert(ctx, tx, start, end);
    await this.audit.record(ctx, { action: 'accounting.fiscal-year-created', entityType: 'fiscal_year', entityId: view.id, after: view }, tx);
    return view;
  }

  private async insert(ctx: OrgContext, tx: EntityManager, start: LocalDate, end: LocalDate): Promise<FiscalYearView> {
    const id = newId();
    try {
      const rows: FiscalYearRow[] = await tx.query(
        `INSERT INTO fiscal_years (id, organization_id, start_date, end_date) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [id, ctx.organizationId, start.toString(), end.toString()],
      );
      return toFiscalYearView(rows[0]);
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === PG_EXCLUSION_VIOLATION || code === '23505') {
        throw DomainError.conflict('accounting.fiscal_year_overlap', `${start.toString()} – ${end.toString()} overlaps an existing fiscal year`, 'startDate');
      }
      throw error;
    }
  }
}
