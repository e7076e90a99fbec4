import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { ApiKeyKind, ApiKeyMode } from '../metering/api-key-secret';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/**
 * A key for the widget and server APIs. Only the prefix (to find it) and a hash (to check
 * it) are stored; a secret key's plaintext is shown once at creation. A publishable key's
 * plaintext is kept too (`publishableKey`): it sits in every storefront's HTML anyway, and the
 * portal shows it with the embed snippet at any time, as Stripe does.
 */
export class ApiKey {
  declare [OptionalProps]?: 'id' | 'appScopes' | 'createdAt' | 'kind' | 'mode' | 'legacy' | 'allowedOrigins' | 'dailyTokenCap';
  id: string = randomUUID();
  customer!: Customer;
  name!: string;
  prefix!: string;
  keyHash!: string;
  /** Null means every app of the customer; otherwise only these slugs. */
  appScopes: string[] | null = null;
  kind: ApiKeyKind = 'secret';
  mode: ApiKeyMode = 'live';
  /** A `vk_` key from before kinds: works as a secret live key; the portal suggests replacing it. */
  legacy = false;
  /** Publishable keys only: exact origins (`https://shop.example`); empty works from nowhere. */
  allowedOrigins: string[] = [];
  /** Tokens this key may spend per UTC day; null for no cap. */
  dailyTokenCap: number | null = null;
  publishableKey?: string;
  /** Set by a rotation: the key keeps working until then (end exclusive), then is refused like a revoked one. */
  expiresAt?: Date;
  createdBy?: User;
  createdAt: Date = new Date();
  lastUsedAt?: Date;
  revokedAt?: Date;
  /** Paused by the anomaly watch (its brand's choice): refused with API_KEY_PAUSED until an admin resumes it. */
  pausedAt?: Date;
  pausedReason?: string;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_keys',
  checks: [
    { name: 'api_keys_daily_token_cap_check', expression: 'daily_token_cap is null or daily_token_cap > 0' },
    { name: 'api_keys_origins_of_publishable', expression: `kind = 'publishable' or cardinality(allowed_origins) = 0` },
  ],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade', index: true },
    name: { type: 'string', length: 120 },
    prefix: { type: 'string', length: 32, unique: true },
    keyHash: { type: 'string', length: 128 },
    appScopes: { type: 'text[]', nullable: true },
    kind: { enum: true, items: () => ['publishable', 'secret'], default: 'secret' },
    mode: { enum: true, items: () => ['live', 'test'], default: 'live' },
    legacy: { type: 'boolean', default: false },
    allowedOrigins: { type: 'text[]', defaultRaw: `'{}'` },
    dailyTokenCap: { type: bigintNumber(), nullable: true },
    publishableKey: { type: 'text', nullable: true },
    expiresAt: { ...timestamptz, nullable: true },
    createdBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    lastUsedAt: { ...timestamptz, nullable: true },
    revokedAt: { ...timestamptz, nullable: true },
    pausedAt: { ...timestamptz, nullable: true },
    pausedReason: { type: 'string', length: 300, nullable: true },
  },
});
