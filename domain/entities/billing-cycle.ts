import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import type { AppUsageTotals } from '../billing/vocabulary';

/**
 * A closed billing cycle: what was granted, used and expired in [startAt, endAt). Written once
 * by the billing workflow at the cycle end; the monthly statement and the cycle summary mail
 * are read from it.
 */
export class BillingCycle {
  declare [OptionalProps]?: 'id' | 'closedAt';
  id!: string;
  customer!: Customer;
  startAt!: Date;
  /** End exclusive. */
  endAt!: Date;
  /** The plan's lookup key during the cycle; null without a plan. */
  planKey?: string;
  /** The plan allowance granted for the cycle (upgrades included); null is unlimited. */
  allowanceTokens?: number | null;
  /** Allowance left at the end and taken back by an `expiry` ledger entry. */
  expiredTokens!: number;
  /** Uses debited within the window (by debit time), and their tokens before refunds. */
  uses!: number;
  usedTokens!: number;
  /** Tokens given back for failed runs, by refund time within the window. */
  refundedTokens!: number;
  /** Keyed by app slug. */
  byApp!: Record<string, AppUsageTotals>;
  closedAt: Date = new Date();
}

export const BillingCycleSchema = new EntitySchema<BillingCycle>({
  class: BillingCycle,
  tableName: 'billing_cycles',
  uniques: [{ properties: ['customer', 'startAt'] }],
  checks: [
    { name: 'billing_cycles_window_order', expression: 'end_at > start_at' },
    { name: 'billing_cycles_expired_tokens_check', expression: 'expired_tokens >= 0' },
  ],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    startAt: { ...timestamptz },
    endAt: { ...timestamptz },
    planKey: { type: 'string', length: 64, nullable: true },
    allowanceTokens: { type: bigintNumber(), nullable: true },
    expiredTokens: { type: bigintNumber() },
    uses: { type: 'integer' },
    usedTokens: { type: bigintNumber() },
    refundedTokens: { type: bigintNumber() },
    byApp: { type: 'json', columnType: 'jsonb' },
    closedAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
