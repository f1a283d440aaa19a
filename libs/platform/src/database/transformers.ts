import type { ValueTransformer } from 'typeorm';

/** bigint columns (money in cents) as JS bigint, never as float. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};
