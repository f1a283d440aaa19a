import { z } from 'zod';
import { localDateSchema, type EntryInput, type EntryView } from '@ruche/contracts';

/** The editable columns of a line of the entry form, all typed as text. */
export const LINE_FIELDS = [
  'account',
  'debit',
  'credit',
  'label',
  'analytic',
  'counterpartyRef',
] as const;
export type LineField = (typeof LINE_FIELDS)[number];

const lineSchema = z.object({
  account: z.string().trim().min(1),
  debit: z.string().trim().max(20),
  credit: z.string().trim().max(20),
  label: z.string().trim().max(200),
  analytic: z.string().trim().max(50),
  counterpartyRef: z.string().trim().max(50),
});

/** Light checks only: amounts, accounts and balance are checked by the server. */
export const entryFormSchema = z.object({
  journal: z.string().trim().min(1),
  date: localDateSchema,
  label: z.string().trim().min(1).max(200),
  pieceRef: z.string().trim().max(50),
  pieceDate: z.union([z.literal(''), localDateSchema]),
  lines: z.array(lineSchema),
});
export type EntryFormValues = z.infer<typeof entryFormSchema>;
export type EntryLineValues = EntryFormValues['lines'][number];

export const emptyLine = (): EntryLineValues => ({
  account: '',
  debit: '',
  credit: '',
  label: '',
  analytic: '',
  counterpartyRef: '',
});

const optional = (value: string) => {
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
};

const centsToText = (cents: number) =>
  cents > 0 ? (cents / 100).toFixed(2).replace('.', ',') : '';

export function toEntryInput(values: EntryFormValues, post: boolean): EntryInput {
  return {
    journal: values.journal.trim(),
    date: values.date,
    label: values.label.trim(),
    pieceRef: optional(values.pieceRef),
    pieceDate: optional(values.pieceDate),
    lines: values.lines.map((line) => ({
      account: line.account.trim(),
      debit: optional(line.debit),
      credit: optional(line.credit),
      label: optional(line.label),
      analytic: optional(line.analytic),
      counterpartyRef: optional(line.counterpartyRef),
    })),
    post,
  };
}

export function toFormValues(entry: EntryView): EntryFormValues {
  return {
    journal: entry.journalCode,
    date: entry.date.slice(0, 10),
    label: entry.label,
    pieceRef: entry.pieceRef ?? '',
    pieceDate: entry.pieceDate?.slice(0, 10) ?? '',
    lines: entry.lines.map((line) => ({
      account: line.accountNumber,
      debit: centsToText(line.debitCents),
      credit: centsToText(line.creditCents),
      label: line.label ?? '',
      analytic: line.analytic ?? '',
      counterpartyRef: line.counterpartyRef ?? '',
    })),
  };
}

const LINE_ERROR = /^lines\.(\d+)\.(\w+)$/;
const LINE_ROW_ERROR = /^lines\.(\d+)$/;

/** Where a server error goes: a line's input, a whole line, or the general list. */
export function placeError(
  field: string,
  lineCount: number,
):
  | { kind: 'cell'; index: number; column: LineField }
  | { kind: 'row'; index: number }
  | { kind: 'general' } {
  const cell = LINE_ERROR.exec(field);
  if (cell) {
    const index = Number(cell[1]);
    const column = LINE_FIELDS.find((name) => name === cell[2]);
    if (column && index < lineCount) return { kind: 'cell', index, column };
    if (index < lineCount) return { kind: 'row', index };
  }
  const row = LINE_ROW_ERROR.exec(field);
  if (row && Number(row[1]) < lineCount) return { kind: 'row', index: Number(row[1]) };
  return { kind: 'general' };
}
