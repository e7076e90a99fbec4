import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { App } from './app';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/**
 * One saved configuration of one customer's app, numbered per (customer, app) from 1.
 * Append-only: a rollback is a new version copying an older one, never an edit. The current
 * configuration is also kept in `customer_apps.configuration`, written in the same transaction.
 */
export class AppConfigurationVersion {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  customer!: Customer;
  app!: App;
  version!: number;
  configuration!: Record<string, unknown>;
  changedBy?: User;
  /** Why it was saved when not a plain edit, e.g. `rollback to v3`. */
  reason?: string;
  createdAt: Date = new Date();
}

export const AppConfigurationVersionSchema = new EntitySchema<AppConfigurationVersion>({
  class: AppConfigurationVersion,
  tableName: 'app_configuration_versions',
  uniques: [{ properties: ['customer', 'app', 'version'] }],
  checks: [{ name: 'app_configuration_versions_version_check', expression: 'version > 0' }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade' },
    app: { kind: 'm:1', entity: () => App, deleteRule: 'restrict' },
    version: { type: 'integer' },
    configuration: { type: 'json', columnType: 'jsonb' },
    changedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    reason: { type: 'text', nullable: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
