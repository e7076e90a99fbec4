import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import { timestamptz } from './common';
import { User } from './user';

/**
 * One user's choice for one category and channel, stored only once they choose; without a row
 * the role's default holds (domain/notify/vocabulary.ts defaultPreferences).
 */
export class NotificationPreference {
  declare [PrimaryKeyProp]?: ['user', 'category', 'channel'];
  user!: User;
  category!: string;
  channel!: 'email' | 'sms';
  enabled!: boolean;
  updatedAt: Date = new Date();
}

export const NotificationPreferenceSchema = new EntitySchema<NotificationPreference>({
  class: NotificationPreference,
  tableName: 'notification_preferences',
  properties: {
    user: { kind: 'm:1', entity: () => User, primary: true, deleteRule: 'cascade' },
    category: { type: 'string', length: 32, primary: true },
    channel: { enum: true, items: () => ['email', 'sms'], primary: true },
    enabled: { type: 'boolean' },
    updatedAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
