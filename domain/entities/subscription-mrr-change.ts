import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

/**
 * The history of each brand's monthly recurring revenue: one row whenever its billing read model
 * (customer_billing, written from Stripe's subscription objects) gains or changes its plan or
 * status, or loses its row. Written only by a PostgreSQL trigger on customer_billing
 * (migrations/Migration20261130010000_subscription_mrr_changes.ts), so no writer can forget it;
 * the operator's MRR movement and retention are read from it. Append-only in spirit: nothing
 * updates a row. No foreign key: the history outlives a deleted brand.
 */
export class SubscriptionMrrChange {
  declare [OptionalProps]?: 'id' | 'changedAt';
  id!: string;
  customer!: Customer;
  changedAt: Date = new Date();
  /** The plan's lookup key after the change; null without a plan. */
  planKey?: string | null;
  /** customer_billing.status after the change; null when the row was deleted. */
  status?: string | null;
  /** The plan's monthly price while the status is active or past_due, else 0. */
  mrrCents!: number;
}

export const SubscriptionMrrChangeSchema = new EntitySchema<SubscriptionMrrChange>({
  class: SubscriptionMrrChange,
  tableName: 'subscription_mrr_changes',
  indexes: [{ properties: ['customer', 'changedAt'] }],
  checks: [{ name: 'subscription_mrr_changes_mrr_cents_check', expression: 'mrr_cents >= 0' }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, createForeignKeyConstraint: false },
    changedAt: { ...timestamptz, defaultRaw: 'now()' },
    planKey: { type: 'string', length: 64, nullable: true },
    status: { type: 'string', length: 16, nullable: true },
    mrrCents: { type: bigintNumber() },
  },
});
