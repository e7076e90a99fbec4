import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/** Who did what, when, from which request. Append-only, like the ledger. */
export class AuditLog {
  declare [OptionalProps]?: 'id' | 'details' | 'createdAt';
  id!: string;
  customer?: Customer;
  actor?: User;
  action!: string;
  targetType?: string;
  targetId?: string;
  details: Record<string, unknown> = {};
  requestId?: string;
  createdAt: Date = new Date();
}

export const AuditLogSchema = new EntitySchema<AuditLog>({
  class: AuditLog,
  tableName: 'audit_log',
  indexes: [{ properties: ['customer', 'createdAt'] }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, nullable: true, deleteRule: 'set null' },
    actor: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    action: { type: 'string', length: 120 },
    targetType: { type: 'string', length: 64, nullable: true },
    targetId: { type: 'string', length: 255, nullable: true },
    details: { type: 'json', columnType: 'jsonb', defaultRaw: "'{}'::jsonb" },
    requestId: { type: 'string', length: 64, nullable: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
