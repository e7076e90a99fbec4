import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import { ApiKey } from './api-key';
import { App } from './app';
import { timestamptz } from './common';
import { Customer } from './customer';

/**
 * The first use of an app by a brand's storefront: a debit through a publishable key (live or
 * test), with the origin the key was used from. One row per brand and app, written once by the
 * API (domain/catalog/first-call.ts). token_usage cannot answer this alone: it keeps no origin,
 * and test keys' uses never reach PostgreSQL.
 */
export class WidgetFirstCall {
  declare [PrimaryKeyProp]?: ['customer', 'app'];
  customer!: Customer;
  app!: App;
  mode!: 'live' | 'test';
  /** The storefront's origin, as checked against the key's allowed origins; null on rows backfilled from token_usage. */
  origin?: string | null;
  apiKey?: ApiKey | null;
  firstCallAt!: Date;
}

export const WidgetFirstCallSchema = new EntitySchema<WidgetFirstCall>({
  class: WidgetFirstCall,
  tableName: 'widget_first_calls',
  properties: {
    customer: { kind: 'm:1', entity: () => Customer, primary: true, deleteRule: 'cascade' },
    app: { kind: 'm:1', entity: () => App, primary: true, deleteRule: 'restrict' },
    mode: { enum: true, items: () => ['live', 'test'] },
    origin: { type: 'text', nullable: true },
    apiKey: { kind: 'm:1', entity: () => ApiKey, nullable: true, deleteRule: 'set null' },
    firstCallAt: { ...timestamptz },
  },
});
