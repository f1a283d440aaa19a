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
