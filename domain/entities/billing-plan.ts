import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Currency } from '../units';
import { bigintNumber } from './common';

/** A monthly plan. A null allowance means unlimited (Enterprise). */
export class BillingPlan {
  declare [OptionalProps]?: 'id' | 'currency' | 'interval' | 'allowanceTokens';
  id: string = randomUUID();
  lookupKey!: string;
  name!: string;
  allowanceTokens: number | null = null;
  priceCents!: number;
  currency: Currency = 'usd';
  interval = 'month' as const;
  stripePriceId?: string;
}

export const BillingPlanSchema = new EntitySchema<BillingPlan>({
  class: BillingPlan,
  tableName: 'billing_plans',
  checks: [
    { name: 'billing_plans_allowance_tokens_check', expression: 'allowance_tokens is null or allowance_tokens > 0' },
    { name: 'billing_plans_price_cents_check', expression: 'price_cents >= 0' },
  ],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    lookupKey: { type: 'string', length: 64, unique: true },
    name: { type: 'string', length: 120 },
    allowanceTokens: { type: bigintNumber(), nullable: true },
    priceCents: { type: bigintNumber() },
    currency: { type: 'string', length: 3, default: 'usd' },
    interval: { type: 'string', length: 16, default: 'month' },
    stripePriceId: { type: 'string', length: 255, nullable: true },
  },
});
