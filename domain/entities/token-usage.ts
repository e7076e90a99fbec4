import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ApiKey } from './api-key';
import { App } from './app';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

/**
 * One use of an app. The idempotency key is unique per customer: a retry never debits twice.
 * The hottest table: one row per debit, written by the reconciler in batches. It carries no
 * foreign keys (each would be a lookup and a row lock per debit); the batch's `usage` ledger
 * entries, written in the same transaction, reference the same customer and app, so a debit of
 * an unknown customer or app still fails its batch. The api key is joined when the row is written.
 */
export class TokenUsage {
  declare [OptionalProps]?: 'id' | 'createdAt' | 'remainingTokens';
  id: string = randomUUID();
  customer!: Customer;
  app!: App;
  apiKey?: ApiKey;
  idempotencyKey!: string;
  /** Hash of the request body, to tell a replay from a reused key. */
  requestHash!: string;
  tokens!: number;
  /** The balance the caller was told right after the debit; null when the plan is unlimited. Replays repeat it. */
  remainingTokens: number | null = null;
  sessionId?: string;
  metadata?: Record<string, unknown>;
  /** Grants it burnt, `grantId:tokens;…` in burn order (empty when unlimited; null on rows from before it was recorded). The ledger sums uses per batch, so this is where one use's split stays. */
  allocation?: string;
  /** When the debit happened on the fast path, not when it was reconciled. */
  debitedAt!: Date;
  createdAt: Date = new Date();
}

export const TokenUsageSchema = new EntitySchema<TokenUsage>({
  class: TokenUsage,
  tableName: 'token_usage',
  checks: [
    { name: 'token_usage_tokens_check', expression: 'tokens >= 0' },
  ],
  uniques: [{ properties: ['customer', 'idempotencyKey'] }],
  indexes: [{ properties: ['customer', 'debitedAt'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, createForeignKeyConstraint: false },
    app: { kind: 'm:1', entity: () => App, createForeignKeyConstraint: false },
    apiKey: { kind: 'm:1', entity: () => ApiKey, nullable: true, createForeignKeyConstraint: false },
    idempotencyKey: { type: 'string', length: 255 },
    requestHash: { type: 'string', length: 64 },
    tokens: { type: bigintNumber() },
    remainingTokens: { type: bigintNumber(), nullable: true },
    sessionId: { type: 'string', length: 128, nullable: true },
    metadata: { type: 'json', columnType: 'jsonb', nullable: true },
    allocation: { type: 'text', nullable: true },
    debitedAt: { ...timestamptz },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
