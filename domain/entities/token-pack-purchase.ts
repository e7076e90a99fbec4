import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Currency } from '../units';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { TokenGrant } from './token-grant';
import { TokenPack } from './token-pack';

export const purchaseStatuses = ['pending', 'paid', 'credited', 'expired', 'refunded', 'failed'] as const;
export type PurchaseStatus = (typeof purchaseStatuses)[number];

/** One purchase of a token pack; the price is copied at purchase time. */
export class TokenPackPurchase {
  declare [OptionalProps]?: 'id' | 'status' | 'currency' | 'createdAt' | 'refundedCents';
  id: string = randomUUID();
  customer!: Customer;
  pack!: TokenPack;
  status: PurchaseStatus = 'pending';
  tokens!: number;
  amountCents!: number;
  currency: Currency = 'usd';
  stripeCheckoutSessionId?: string;
  stripePaymentIntentId?: string;
  grant?: TokenGrant;
  createdAt: Date = new Date();
  paidAt?: Date;
  creditedAt?: Date;
  refundedAt?: Date;
  /** Refunded so far, cumulative, in cents (Stripe's amount_refunded). */
  refundedCents = 0;
}

export const TokenPackPurchaseSchema = new EntitySchema<TokenPackPurchase>({
  class: TokenPackPurchase,
  tableName: 'token_pack_purchases',
  checks: [
    { name: 'token_pack_purchases_tokens_check', expression: 'tokens > 0' },
    { name: 'token_pack_purchases_amount_cents_check', expression: 'amount_cents >= 0' },
    { name: 'token_pack_purchases_refunded_cents_check', expression: 'refunded_cents >= 0' },
  ],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict', index: true },
    pack: { kind: 'm:1', entity: () => TokenPack, deleteRule: 'restrict' },
    status: { enum: true, items: () => purchaseStatuses, default: 'pending' },
    tokens: { type: bigintNumber() },
    amountCents: { type: bigintNumber() },
    currency: { type: 'string', length: 3, default: 'usd' },
    stripeCheckoutSessionId: { type: 'string', length: 255, nullable: true, unique: true },
    stripePaymentIntentId: { type: 'string', length: 255, nullable: true, unique: true },
    grant: { kind: '1:1', entity: () => TokenGrant, owner: true, nullable: true, deleteRule: 'restrict' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    paidAt: { ...timestamptz, nullable: true },
    creditedAt: { ...timestamptz, nullable: true },
    refundedAt: { ...timestamptz, nullable: true },
    refundedCents: { type: bigintNumber(), default: 0 },
  },
});
