// Who a flag lets in, decided in memory on every request of the widget path. Pure.
//
// A brand's bucket for a flag is the first 32 bits of SHA-256("<flag key>:<customer id>") read as
// an unsigned integer, scaled to 0..9999 (basis points). It never changes, so raising a flag from
// 10 % to 20 % keeps every brand of the first 10 % in and adds others; lowering it takes out the
// last ones let in. Keying the hash by the flag spreads each flag's first brands differently.
import { createHash } from 'node:crypto';

export interface FlagRule {
  key: string;
  percentage: number;
  brands: readonly string[];
  killed: boolean;
}

/** 0..9999, the same for a brand and a flag on every process and every day. */
export function bucketOf(flagKey: string, customerId: string): number {
  const digest = createHash('sha256').update(`${flagKey}:${customerId}`).digest();
  return Math.floor((digest.readUInt32BE(0) / 0x1_0000_0000) * 10_000);
}

/** A listed brand is in whatever the percentage; a killed flag lets no one in. */
export function isIn(rule: FlagRule, customerId: string): boolean {
  if (rule.killed) return false;
  if (rule.brands.includes(customerId)) return true;
  return bucketOf(rule.key, customerId) < rule.percentage * 100;
}

/** What the widget path does with an app: `killed` answers 503 APP_DISABLED, `not_released` 403 APP_NOT_RELEASED. */
export type AppGate = 'open' | 'killed' | 'not_released';

/** An app without a flag is open to every brand, as before flags existed. */
export function appGate(rule: FlagRule | undefined, customerId: string): AppGate {
  if (!rule) return 'open';
  if (rule.killed) return 'killed';
  return isIn(rule, customerId) ? 'open' : 'not_released';
}
