import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

export const grantSources = ['plan_allowance', 'token_pack', 'adjustment'] as const;
export type GrantSource = (typeof grantSources)[number];

/**
 * A bucket of tokens with a burn priority and an optional expiry. Its balance is the sum of
 * its ledger entries; the grant row itself never changes after it is written.
 * Burn order: plan allowance (expires at cycle end) first, then packs oldest first.
 */
export class TokenGrant {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  customer!: Customer;
  source!: GrantSource;
  /** The business id that created it (cycle or purchase); unique per customer and source. */
  sourceRef!: string;
  amountTokens!: number;
  effectiveAt!: Date;
  /** End exclusive; null never expires. */
  expiresAt?: Date;
  createdAt: Date = new Date();
}

export const TokenGrantSchema = new EntitySchema<TokenGrant>({
  class: TokenGrant,
  tableName: 'token_grants',
  uniques: [{ properties: ['customer', 'source', 'sourceRef'] }],
  checks: [
    { name: 'token_grants_amount_tokens_check', expression: 'amount_tokens > 0' },
    { name: 'token_grants_expiry_after_start', expression: 'expires_at is null or expires_at > effective_at' }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade', index: true },
    source: { enum: true, items: () => grantSources },
    sourceRef: { type: 'string', length: 255 },
    amountTokens: { type: bigintNumber() },
    effectiveAt: { ...timestamptz },
    expiresAt: { ...timestamptz, nullable: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
