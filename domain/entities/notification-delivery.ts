import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';
import { Notification } from './notification';
import { User } from './user';

export const deliveryStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * One notice on one channel to one user (the portal row has no user: the brand's list).
 * `pending` until sent, or `failed` once its retries are spent; `skipped` when the user's
 * preferences (or a missing verified phone) left the channel out. `reason` says why for the
 * last two, and the last error while still retrying.
 */
export class NotificationDelivery {
  declare [OptionalProps]?: 'id' | 'attempts' | 'createdAt' | 'updatedAt';
  id: string = randomUUID();
  notification!: Notification;
  user?: User | null;
  channel!: 'email' | 'sms' | 'portal';
  recipient?: string | null;
  status!: DeliveryStatus;
  reason?: string | null;
  attempts = 0;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  sentAt?: Date | null;
}

export const NotificationDeliverySchema = new EntitySchema<NotificationDelivery>({
  class: NotificationDelivery,
  tableName: 'notification_deliveries',
  uniques: [{ properties: ['notification', 'channel', 'user'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    notification: { kind: 'm:1', entity: () => Notification, deleteRule: 'cascade' },
    user: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'cascade', index: true },
    channel: { enum: true, items: () => ['email', 'sms', 'portal'] },
    recipient: { type: 'string', length: 320, nullable: true },
    status: { enum: true, items: () => deliveryStatuses },
    reason: { type: 'string', length: 500, nullable: true },
    attempts: { type: 'integer', default: 0 },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    updatedAt: { ...timestamptz, defaultRaw: 'now()' },
    sentAt: { ...timestamptz, nullable: true },
  },
});
