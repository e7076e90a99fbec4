// Money and tokens are integers end to end: cents in a named currency, whole tokens.
// PostgreSQL stores them as bigint; on the wire they must be safe integers.
export type Cents = number;
export type Tokens = number;
export type Currency = 'usd';

export function assertSafeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return value;
}

/** bigint columns arrive from the driver as strings; convert once, at the edge, checked. */
export function fromBigintColumn(value: string | number | bigint, what: string): number {
  return assertSafeInteger(Number(value), what);
}

export function formatCents(amountCents: Cents, currency: Currency = 'usd'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amountCents / 100);
}
