import { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; points stay far below 2^53, so a number is exact. */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
