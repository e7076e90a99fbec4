import { assertSafeInteger, formatCents, fromBigintColumn } from '../../domain/units';
import { SafeBigIntType } from '../../domain/entities/common';

describe('money and token units', () => {
  it('accepts safe integers and refuses fractions and overflow', () => {
    expect(assertSafeInteger(29_900, 'priceCents')).toBe(29_900);
    expect(() => assertSafeInteger(1.5, 'tokens')).toThrow(/tokens must be a safe integer/);
    expect(() => assertSafeInteger(2 ** 53, 'tokens')).toThrow(RangeError);
  });

  it('converts bigint column strings, refusing values past 2^53', () => {
    expect(fromBigintColumn('10000', 'tokens')).toBe(10_000);
    expect(() => fromBigintColumn('9007199254740993', 'tokens')).toThrow(RangeError);
  });

  it('formats cents as dollars', () => {
    expect(formatCents(99_900)).toBe('$999.00');
  });
});

describe('SafeBigIntType', () => {
  const type = new SafeBigIntType();

  it('maps bigint columns to numbers and back', () => {
    expect(type.convertToJSValue('29900')).toBe(29_900);
    expect(type.convertToDatabaseValue(29_900)).toBe('29900');
  });

  it('refuses a value that a JS number cannot hold exactly', () => {
    expect(() => type.convertToJSValue('9007199254740993')).toThrow(RangeError);
    expect(() => type.convertToDatabaseValue(2 ** 53)).toThrow(RangeError);
  });
});
