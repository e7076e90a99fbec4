import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ApiKey } from './api-key';
import { App } from './app';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

/** One use of an app. The idempotency key is unique per customer: a retry never debits twice. */
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
  indexes: [{ properties: ['customer', 'debitedAt'] }, { properties: ['app', 'debitedAt'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    app: { kind: 'm:1', entity: () => App, deleteRule: 'restrict' },
    apiKey: { kind: 'm:1', entity: () => ApiKey, nullable: true, deleteRule: 'set null' },
    idempotencyKey: { type: 'string', length: 255 },
    requestHash: { type: 'string', length: 64 },
    tokens: { type: bigintNumber() },
    remainingTokens: { type: bigintNumber(), nullable: true },
    sessionId: { type: 'string', length: 128, nullable: true },
    metadata: { type: 'json', columnType: 'jsonb', nullable: true },
    debitedAt: { ...timestamptz },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
