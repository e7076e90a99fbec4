import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { ApiKey } from './api-key';
import { App } from './app';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

/**
 * Uses and tokens per customer, app, api key and hour: the rollup usage analytics read instead of
 * token_usage. Written only by the reconciler (domain/metering/record-debits.ts), in the statement
 * that writes each batch's ledger entries, from the debits that batch inserted and the refunds it
 * wrote for the first time, so it is exactly as idempotent as the rows it sums. A refund nets into
 * the hour, app and key of the use it gives back. Like token_usage it carries no foreign keys: each
 * would be a lookup per row on the reconciler's hot path.
 */
export class UsageHourly {
  declare [OptionalProps]?: 'id' | 'uses' | 'tokens' | 'refundedUses' | 'refundedTokens';
  id!: string;
  customer!: Customer;
  app!: App;
  /** Null: a use through no key (or a key not the customer's), as token_usage records it. */
  apiKey?: ApiKey | null;
  /** The key's mode when the use was reconciled; a use through no key is live. */
  mode!: 'live' | 'test';
  /** Start of the UTC hour (end exclusive: the next hour). */
  hour!: Date;
  uses = 0;
  tokens = 0;
  refundedUses = 0;
  refundedTokens = 0;
}

export const UsageHourlySchema = new EntitySchema<UsageHourly>({
  class: UsageHourly,
  tableName: 'usage_hourly',
  uniques: [
    {
      name: 'usage_hourly_bucket',
      // Mode and hour lead: every analytics query reads one customer's mode over a range of hours.
      expression: 'create unique index "usage_hourly_bucket" on "usage_hourly" ("customer_id", "mode", "hour", "app_id", "api_key_id") nulls not distinct',
    },
  ],
  checks: [{ name: 'usage_hourly_counts_check', expression: 'uses >= 0 and tokens >= 0 and refunded_uses >= 0 and refunded_tokens >= 0' }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, createForeignKeyConstraint: false },
    app: { kind: 'm:1', entity: () => App, createForeignKeyConstraint: false },
    apiKey: { kind: 'm:1', entity: () => ApiKey, nullable: true, createForeignKeyConstraint: false },
    mode: { enum: true, items: () => ['live', 'test'] },
    hour: { ...timestamptz },
    uses: { type: bigintNumber(), default: 0 },
    tokens: { type: bigintNumber(), default: 0 },
    refundedUses: { type: bigintNumber(), default: 0 },
    refundedTokens: { type: bigintNumber(), default: 0 },
  },
});
