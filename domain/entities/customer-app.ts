import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { App } from './app';
import { timestamptz } from './common';
import { Customer } from './customer';

export const activationStatuses = ['inactive', 'activating', 'active', 'deactivating', 'failed'] as const;
export type ActivationStatus = (typeof activationStatuses)[number];

/** One customer's activation of one app, with its configuration (kept across deactivation). */
export class CustomerApp {
  declare [OptionalProps]?: 'id' | 'status' | 'configuration' | 'updatedAt';
  id: string = randomUUID();
  customer!: Customer;
  app!: App;
  status: ActivationStatus = 'inactive';
  configuration: Record<string, unknown> = {};
  failureReason?: string;
  activatedAt?: Date;
  updatedAt: Date = new Date();
}

export const CustomerAppSchema = new EntitySchema<CustomerApp>({
  class: CustomerApp,
  tableName: 'customer_apps',
  uniques: [{ properties: ['customer', 'app'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade' },
    app: { kind: 'm:1', entity: () => App, deleteRule: 'restrict' },
    status: { enum: true, items: () => activationStatuses, default: 'inactive' },
    configuration: { type: 'json', columnType: 'jsonb', defaultRaw: "'{}'::jsonb" },
    failureReason: { type: 'text', nullable: true },
    activatedAt: { ...timestamptz, nullable: true },
    updatedAt: { ...timestamptz, onUpdate: () => new Date() },
  },
});
