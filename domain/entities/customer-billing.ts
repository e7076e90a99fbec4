import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { BillingPlan } from './billing-plan';
import { billingStatuses, type BillingStatus } from '../billing/vocabulary';
import { timestamptz } from './common';
import { Customer } from './customer';


/**
 * The read model of a customer's billing state. The billing workflow owns the truth and
 * writes it here so the API can answer without querying Temporal on every request.
 */
export class CustomerBilling {
  declare [OptionalProps]?: 'status' | 'cancelAtPeriodEnd' | 'updatedAt';
  customer!: Customer;
  plan?: BillingPlan;
  status: BillingStatus = 'active';
  stripeSubscriptionId?: string;
  /** Current cycle window; end exclusive. */
  cycleStartAt?: Date;
  cycleEndAt?: Date;
  cancelAtPeriodEnd = false;
  /** A downgrade waiting for the period end; the current plan stays until then. */
  pendingPlan?: BillingPlan;
  pastDueSince?: Date;
  /** When a past_due brand will be suspended (the grace period's end, with any extension an operator gave); null otherwise. */
  suspendAt?: Date | null;
  /** Usage alert thresholds in percent, ascending; null uses USAGE_ALERT_THRESHOLDS. */
  alertThresholds?: number[] | null;
  updatedAt: Date = new Date();
}

export const CustomerBillingSchema = new EntitySchema<CustomerBilling>({
  class: CustomerBilling,
  tableName: 'customer_billing',
  checks: [{ name: 'customer_billing_cycle_order', expression: 'cycle_end_at is null or cycle_end_at > cycle_start_at' }],
  properties: {
    customer: { kind: '1:1', entity: () => Customer, primary: true, owner: true, deleteRule: 'cascade' },
    plan: { kind: 'm:1', entity: () => BillingPlan, nullable: true, deleteRule: 'restrict' },
    status: { enum: true, items: () => billingStatuses, default: 'active' },
    stripeSubscriptionId: { type: 'string', length: 255, nullable: true, unique: true },
    cycleStartAt: { ...timestamptz, nullable: true },
    cycleEndAt: { ...timestamptz, nullable: true },
    cancelAtPeriodEnd: { type: 'boolean', default: false },
    pendingPlan: { kind: 'm:1', entity: () => BillingPlan, nullable: true, deleteRule: 'restrict' },
    pastDueSince: { ...timestamptz, nullable: true },
    suspendAt: { ...timestamptz, nullable: true },
    alertThresholds: { type: 'json', columnType: 'jsonb', nullable: true },
    updatedAt: { ...timestamptz, onUpdate: () => new Date() },
  },
});
