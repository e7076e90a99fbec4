import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';

/** A brand: the unit of billing, data isolation and Redis hash tags. */
export class Customer {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  name!: string;
  stripeCustomerId?: string;
  createdAt: Date = new Date();
}

export const CustomerSchema = new EntitySchema<Customer>({
  class: Customer,
  tableName: 'customers',
  // The operator's brand list pages by name (domain/operator/brands.ts): keyset on this order.
  indexes: [{ name: 'customers_name_order', expression: 'create index "customers_name_order" on "customers" (lower("name"), "id")' }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    name: { type: 'string', length: 200 },
    stripeCustomerId: { type: 'string', length: 255, nullable: true, unique: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
