import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { AppUsageTotals } from '../billing/vocabulary';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

/**
 * One reconciliation pass over one customer's debits, numbered per customer. It is written in
 * the same transaction as the usage rows it sums, and doubles as the outbox of the billing
 * workflow's usage signal: `signaledAt` is set once the workflow has it, and the workflow
 * ignores a sequence number it has already applied, so a resend is harmless.
 */
export class UsageBatch {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id!: string;
  customer!: Customer;
  seq!: number;
  uses!: number;
  tokens!: number;
  /** Keyed by app slug. */
  totals!: Record<string, AppUsageTotals>;
  firstDebitedAt!: Date;
  lastDebitedAt!: Date;
  createdAt: Date = new Date();
  signaledAt?: Date;
}

export const UsageBatchSchema = new EntitySchema<UsageBatch>({
  class: UsageBatch,
  tableName: 'usage_batches',
  uniques: [{ properties: ['customer', 'seq'] }],
  checks: [{ name: 'usage_batches_seq_check', expression: 'seq > 0' }],
  indexes: [{ name: 'usage_batches_unsignaled', expression: 'create index "usage_batches_unsignaled" on "usage_batches" ("customer_id", "seq") where signaled_at is null' }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    seq: { type: 'integer' },
    uses: { type: 'integer' },
    tokens: { type: bigintNumber() },
    totals: { type: 'json', columnType: 'jsonb' },
    firstDebitedAt: { ...timestamptz },
    lastDebitedAt: { ...timestamptz },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    signaledAt: { ...timestamptz, nullable: true },
  },
});
