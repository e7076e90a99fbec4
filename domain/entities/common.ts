import { BigIntType } from '@mikro-orm/core';

/** Tokens and cents: bigint in PostgreSQL, a checked JS number in memory. */
export const bigintNumber = () => new BigIntType('number');

export const timestamptz = { type: 'Date', columnType: 'timestamptz' } as const;
