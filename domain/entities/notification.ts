import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';
import { Customer } from './customer';

export const notificationChannels = ['email', 'portal'] as const;

/** A message to a customer. The dedupe key makes "exactly once per threshold per cycle" a constraint. */
export class Notification {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  customer!: Customer;
  kind!: string;
  channel!: (typeof notificationChannels)[number];
  recipient?: string;
  subject!: string;
  body!: string;
  dedupeKey!: string;
  createdAt: Date = new Date();
  sentAt?: Date;
  readAt?: Date;
}

export const NotificationSchema = new EntitySchema<Notification>({
  class: Notification,
  tableName: 'notifications',
  indexes: [{ properties: ['customer', 'createdAt'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade' },
    kind: { type: 'string', length: 64 },
    channel: { enum: true, items: () => notificationChannels },
    recipient: { type: 'string', length: 320, nullable: true },
    subject: { type: 'string', length: 300 },
    body: { type: 'text' },
    dedupeKey: { type: 'string', length: 300, unique: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    sentAt: { ...timestamptz, nullable: true },
    readAt: { ...timestamptz, nullable: true },
  },
});
