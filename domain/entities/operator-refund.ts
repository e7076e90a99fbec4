import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

export const refundKinds = ['pack', 'invoice'] as const;
export type RefundKind = (typeof refundKinds)[number];

/**
 * A refund an operator asked Stripe for, from the console: one per pack purchase or invoice
 * (unique), so a second request is refused instead of refunding twice. Taking back the pack's
 * unused tokens is the job of the existing refund handling (tokenPackRefund), not of this row.
 */
export class OperatorRefund {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  customer!: Customer;
  kind!: RefundKind;
  /** Our purchase id for a pack, Stripe's invoice id for an invoice. */
  targetId!: string;
  stripeRefundId!: string;
  amountCents!: number;
  currency!: string;
  /** Stripe's refund status when it answered: succeeded, pending, failed… */
  status!: string;
  reason!: string;
  actor?: User | null;
  createdAt: Date = new Date();
}

export const OperatorRefundSchema = new EntitySchema<OperatorRefund>({
  class: OperatorRefund,
  tableName: 'operator_refunds',
  uniques: [{ properties: ['kind', 'targetId'] }],
  indexes: [{ properties: ['customer', 'createdAt'] }],
  checks: [{ name: 'operator_refunds_amount_cents_check', expression: 'amount_cents >= 0' }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    kind: { enum: true, items: () => refundKinds },
    targetId: { type: 'string', length: 255 },
    stripeRefundId: { type: 'string', length: 255, unique: true },
    amountCents: { type: bigintNumber() },
    currency: { type: 'string', length: 3 },
    status: { type: 'string', length: 32 },
    reason: { type: 'text' },
    actor: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
