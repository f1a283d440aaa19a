import { z } from 'zod';

export const uuidSchema = z.uuid();

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Invalid email address' }))
  .transform((value) => value.toLowerCase());

/** Long enough to resist guessing; bounded so that hashing stays cheap (argon2 on huge input). */
export const passwordSchema = z
  .string()
  .min(10, { message: 'At least 10 characters' })
  .max(200, { message: 'At most 200 characters' });

export const localeSchema = z.enum(['fr', 'en']);
export type Locale = z.infer<typeof localeSchema>;

export const paginationQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type PaginationQuery = z.infer<typeof paginationQuerySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** The body of every 4xx answer. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors: { field: string; code: string; message: string }[];
  requestId?: string;
}

/** An optional field where an empty form input means "none". */
export const blankAsNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), schema.nullable()).optional();

/** Optional free text: trimmed, bounded, empty means none. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/**
 * A non-negative amount typed by a person ("12.50", "12,5", 12.5) turned into integer cents.
 * More than 2 decimals, a sign or a float artefact is refused with the field and the reason.
 */
export const centsFromAmountSchema = z
  .union([z.string().trim().max(20), z.number()])
  .transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.replace(/\s/g, '');
    const match = /^(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(text);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'An amount in euros with at most 2 decimals, not negative' });
      return z.NEVER;
    }
    return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  });

/** A list sort: a column name, optionally prefixed with "-" for descending. */
export const sortSchema = <T extends readonly [string, ...string[]]>(columns: T) =>
  z
    .string()
    .regex(new RegExp(`^-?(${columns.join('|')})$`), { message: `One of ${columns.join(', ')}, "-" first for descending` })
    .transform((v) => ({ column: columns.find((c) => c === v.replace(/^-/, '')) ?? columns[0], descending: v.startsWith('-') }));
