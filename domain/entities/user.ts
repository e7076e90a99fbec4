import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';
import type { Role } from '../roles';
import { Customer } from './customer';

export const roles = ['admin', 'manager', 'viewer', 'operator'] as const;

/** Brand staff belong to one customer; VARAi operators belong to none. */
export class User {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  /** Stored lower-cased: emails compare case-insensitively. */
  email!: string;
  name!: string;
  passwordHash!: string;
  role!: Role;
  customer?: Customer;
  createdAt: Date = new Date();
  lastLoginAt?: Date;
  /** Set while an admin has disabled the member: no login, no session. */
  disabledAt?: Date | null;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  checks: [{ name: 'users_operator_has_no_customer', expression: "(role = 'operator') = (customer_id is null)" }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    email: { type: 'string', length: 320, unique: true },
    name: { type: 'string', length: 200 },
    passwordHash: { type: 'string', length: 255, lazy: true },
    role: { enum: true, items: () => roles },
    customer: { kind: 'm:1', entity: () => Customer, nullable: true, deleteRule: 'cascade', index: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    lastLoginAt: { ...timestamptz, nullable: true },
    disabledAt: { ...timestamptz, nullable: true },
  },
});
