import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { ApiKey } from './api-key';
import type { App } from './app';
import { timestamptz } from './common';
import type { Customer } from './customer';
import { rollupProperties } from './usage-hourly';

/**
 * usage_hourly summed per UTC day, written by the reconciler in the same statement from the same
 * rows (domain/metering/usage-rollup.ts): a 90-day range by day reads about 2,000 rows, not 50,000.
 */
export class UsageDaily {
  declare [OptionalProps]?: 'id' | 'uses' | 'tokens' | 'refundedUses' | 'refundedTokens';
  id!: string;
  customer!: Customer;
  app!: App;
  apiKey?: ApiKey | null;
  mode!: 'live' | 'test';
  /** UTC midnight (end exclusive: the next midnight). */
  day!: Date;
  uses = 0;
  tokens = 0;
  refundedUses = 0;
  refundedTokens = 0;
}

export const UsageDailySchema = new EntitySchema<UsageDaily>({
  class: UsageDaily,
  tableName: 'usage_daily',
  uniques: [
    {
      name: 'usage_daily_bucket',
      expression: 'create unique index "usage_daily_bucket" on "usage_daily" ("customer_id", "mode", "day", "app_id", "api_key_id") nulls not distinct',
    },
  ],
  checks: [{ name: 'usage_daily_counts_check', expression: 'uses >= 0 and tokens >= 0 and refunded_uses >= 0 and refunded_tokens >= 0' }],
  properties: { ...rollupProperties, day: { ...timestamptz } },
});
