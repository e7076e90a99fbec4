import { BigIntType } from '@mikro-orm/core';
import { assertSafeInteger, fromBigintColumn } from '../units';

/**
 * Tokens and cents: bigint in PostgreSQL, a JS number in memory, checked both ways so a value
 * past 2^53 fails loudly instead of rounding.
 */
export class SafeBigIntType extends BigIntType<'number'> {
  constructor() {
    super('number');
  }

  override convertToDatabaseValue(value: number | null | undefined): string | null | undefined {
    return super.convertToDatabaseValue(value == null ? value : assertSafeInteger(value, 'bigint value'));
  }

  override convertToJSValue(value: string | bigint | null | undefined): number | null | undefined {
    return value == null ? value : fromBigintColumn(value, 'bigint column');
  }
}

export const bigintNumber = () => new SafeBigIntType();

export const timestamptz = { type: 'Date', columnType: 'timestamptz' } as const;
