import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { TokenGrant } from './token-grant';
import { User } from './user';

export const adjustmentReasonCodes = ['service_issue', 'sales_concession', 'billing_error', 'fraud', 'other'] as const;
export type AdjustmentReasonCode = (typeof adjustmentReasonCodes)[number];

/**
 * A goodwill adjustment an operator made: the brand-facing record of it (reason, note, who).
 * The tokens themselves move in `ledger_entries` (kind `adjustment`, operation
 * `adjustment:<id>`); a credit also has its own grant. One row per billing message id, so a
 * retried request or activity finds the first.
 */
export class TokenAdjustment {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  customer!: Customer;
  /** The billing message that made it: `adjustment:<customerId>:<Idempotency-Key>`. */
  messageId!: string;
  /** Positive credits, negative takes back. */
  tokens!: number;
  reasonCode!: AdjustmentReasonCode;
  note?: string | null;
  /** A credit's grant expiry (end exclusive); null never expires, and always null for a take-back. */
  expiresAt?: Date | null;
  /** The credit's grant; null for a take-back (its entries are spread over the grants it took from). */
  grant?: TokenGrant | null;
  actor?: User | null;
  createdAt: Date = new Date();
}

export const TokenAdjustmentSchema = new EntitySchema<TokenAdjustment>({
  class: TokenAdjustment,
  tableName: 'token_adjustments',
  indexes: [{ properties: ['customer', 'createdAt'] }],
  uniques: [{ properties: ['customer', 'messageId'] }],
  checks: [{ name: 'token_adjustments_tokens_check', expression: 'tokens <> 0' }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    messageId: { type: 'string', length: 300 },
    tokens: { type: bigintNumber() },
    reasonCode: { enum: true, items: () => adjustmentReasonCodes },
    note: { type: 'text', nullable: true },
    expiresAt: { ...timestamptz, nullable: true },
    grant: { kind: 'm:1', entity: () => TokenGrant, nullable: true, deleteRule: 'restrict' },
    actor: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
