import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/**
 * A key for the widget and server APIs. Only the prefix (to find it) and a hash (to check
 * it) are stored; the plaintext is shown once at creation.
 */
export class ApiKey {
  declare [OptionalProps]?: 'id' | 'appScopes' | 'createdAt';
  id: string = randomUUID();
  customer!: Customer;
  name!: string;
  prefix!: string;
  keyHash!: string;
  /** Null means every app of the customer; otherwise only these slugs. */
  appScopes: string[] | null = null;
  createdBy?: User;
  createdAt: Date = new Date();
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_keys',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade', index: true },
    name: { type: 'string', length: 120 },
    prefix: { type: 'string', length: 32, unique: true },
    keyHash: { type: 'string', length: 128 },
    appScopes: { type: 'text[]', nullable: true },
    createdBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    lastUsedAt: { ...timestamptz, nullable: true },
    revokedAt: { ...timestamptz, nullable: true },
  },
});
