import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/**
 * Something VARAi's own staff must look at (a balance that drifted, a usage spike): raised once
 * per dedupe key, listed in the operators' console until one of them acknowledges it, and emailed
 * to every operator (`emailedAt` says it went out; the email is sent by a workflow, never by the
 * caller that raised it).
 */
export class OperatorAlert {
  declare [OptionalProps]?: 'id' | 'createdAt' | 'details';
  id: string = randomUUID();
  /** e.g. balance-drift, usage-spike, error-flood, auto-top-up-disabled. */
  kind!: string;
  /** Once per key, ever: e.g. balance-drift:redis_balance:<customer>:<ledger balance>:<cached>. */
  dedupeKey!: string;
  /** The brand it concerns; null for an alert about the platform as a whole. */
  customer?: Customer | null;
  subject!: string;
  text!: string;
  details: Record<string, unknown> = {};
  createdAt: Date = new Date();
  acknowledgedAt?: Date | null;
  acknowledgedBy?: User | null;
  emailedAt?: Date | null;
}

export const OperatorAlertSchema = new EntitySchema<OperatorAlert>({
  class: OperatorAlert,
  tableName: 'operator_alerts',
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    kind: { type: 'string', length: 64 },
    dedupeKey: { type: 'string', length: 300, unique: true },
    customer: { kind: 'm:1', entity: () => Customer, nullable: true, deleteRule: 'cascade', index: true },
    subject: { type: 'string', length: 300 },
    text: { type: 'text' },
    details: { type: 'json', columnType: 'jsonb', defaultRaw: "'{}'::jsonb" },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    acknowledgedAt: { ...timestamptz, nullable: true },
    acknowledgedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    emailedAt: { ...timestamptz, nullable: true },
  },
});
