import type {
  bankAccountInputSchema,
  BankAccountView,
  BankLineStatus,
  BankLineView,
  BankStatementView,
  Page,
  StatementImportView,
} from '@ruche/contracts';
import type { z } from 'zod';
import { request, uploadFile } from './client';
import type { PageQuery } from './orgs';

/** A bank account as sent: the IBAN as typed ("FR76 3000 …"), the BIC optional ('' or null). */
export type BankAccountBody = z.input<typeof bankAccountInputSchema>;

/** The filters of a bank account's lines (empty strings are not sent). */
export interface BankLineFilters {
  status?: BankLineStatus | '';
  /** First and last booking day, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Searched in the label and the counterparty's name. */
  q?: string;
}

const base = (orgId: string, path: string) =>
  `/orgs/${encodeURIComponent(orgId)}/bank-accounts${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** Rapprochement: the bank accounts, their statements (CAMT.053, OFX) and the lines to match. */
export const reconciliationApi = {
  /** Active accounts first, then by name; each with its last closing balance and unmatched lines. */
  accounts: (orgId: string, signal?: AbortSignal) =>
    request<BankAccountView[]>('GET', base(orgId, ''), { signal }),
  /**
   * 201; 400 with field errors (IBAN, BIC), 422 when the ledger account is not an active 512x one
   * of the chart, 409 when the IBAN is already one of the organization's bank accounts.
   */
  createAccount: (orgId: string, input: BankAccountBody) =>
    request<BankAccountView>('POST', base(orgId, ''), { body: input }),
  updateAccount: (orgId: string, bankAccountId: string, input: BankAccountBody) =>
    request<BankAccountView>('PUT', base(orgId, `/${segment(bankAccountId)}`), { body: input }),

  /**
   * Sends a statement file (CAMT.053 XML or OFX) as the raw body, always as
   * `application/octet-stream` (the server reads the format from the content): 201 with what was
   * imported; 422 when the file is not a statement or belongs to another account.
   */
  importStatement: (orgId: string, bankAccountId: string, file: File) =>
    uploadFile<StatementImportView>(base(orgId, `/${segment(bankAccountId)}/statements`), file, {
      contentType: 'application/octet-stream',
    }),
  /** The statements imported on this account, latest import first. */
  statements: (orgId: string, bankAccountId: string, signal?: AbortSignal) =>
    request<BankStatementView[]>('GET', base(orgId, `/${segment(bankAccountId)}/statements`), {
      signal,
    }),
  /** The account's lines, latest booking day first. */
  lines: (
    orgId: string,
    bankAccountId: string,
    filters: BankLineFilters,
    page: PageQuery,
    signal?: AbortSignal,
  ) =>
    request<Page<BankLineView>>('GET', base(orgId, `/${segment(bankAccountId)}/lines`), {
      query: {
        status: orUndefined(filters.status),
        from: orUndefined(filters.from),
        to: orUndefined(filters.to),
        q: orUndefined(filters.q),
        ...page,
      },
      signal,
    }),
};
