import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { actorKinds, type ActorKind } from '../audit/actor';
import { timestamptz } from './common';
import { ApiKey } from './api-key';
import { Customer } from './customer';
import { User } from './user';

/**
 * Who did what, when, from which request. Append-only, like the ledger. Written only through
 * domain/audit/record.ts, which sets the actor's kind; rows from before actor kinds have none.
 */
export class AuditLog {
  declare [OptionalProps]?: 'id' | 'details' | 'createdAt';
  id!: string;
  customer?: Customer;
  actorKind?: ActorKind;
  /** Set for `user` and `operator`. */
  actor?: User;
  /** Set for `api_key`. */
  actorApiKey?: ApiKey;
  action!: string;
  targetType?: string;
  targetId?: string;
  details: Record<string, unknown> = {};
  requestId?: string;
  /** The request's address (ctx.ip); null for workflows, the reconciler and rows from before. */
  ip?: string;
  createdAt: Date = new Date();
}

export const AuditLogSchema = new EntitySchema<AuditLog>({
  class: AuditLog,
  tableName: 'audit_log',
  // The second serves the once-only writers, which look an entry up by its action's target; the
  // third the audit viewer's keyset pages (one brand, by id).
  indexes: [{ properties: ['customer', 'createdAt'] }, { properties: ['targetType', 'targetId'] }, { properties: ['customer', 'id'] }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, nullable: true, deleteRule: 'set null' },
    actorKind: { enum: true, items: () => actorKinds, nullable: true },
    actor: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    actorApiKey: { kind: 'm:1', entity: () => ApiKey, nullable: true, deleteRule: 'set null' },
    action: { type: 'string', length: 120 },
    targetType: { type: 'string', length: 64, nullable: true },
    targetId: { type: 'string', length: 255, nullable: true },
    details: { type: 'json', columnType: 'jsonb', defaultRaw: "'{}'::jsonb" },
    requestId: { type: 'string', length: 64, nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
