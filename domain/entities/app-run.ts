import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { App } from './app';
import { timestamptz } from './common';
import { Customer } from './customer';

export const runStatuses = ['running', 'succeeded', 'refunded'] as const;
export type RunStatus = (typeof runStatuses)[number];

/**
 * One run of an app through the AI gateway; its id is the usage id of the debit that paid for
 * it. Kept so a replayed idempotency key answers the first result, and so a run whose process
 * died mid-way is found and refunded.
 */
export class AppRun {
  declare [OptionalProps]?: 'createdAt' | 'status' | 'allocation';
  id!: string;
  customer!: Customer;
  app!: App;
  idempotencyKey!: string;
  /** Hash of the request body: a reused key with another body is refused. */
  requestHash!: string;
  /** Which grants paid, as the debit script wrote it: a refund gives exactly this back. */
  allocation = '';
  status: RunStatus = 'running';
  result?: unknown;
  errorCode?: string;
  createdAt: Date = new Date();
  finishedAt?: Date;
}

export const AppRunSchema = new EntitySchema<AppRun>({
  class: AppRun,
  tableName: 'app_runs',
  indexes: [{ name: 'app_runs_running', expression: `create index "app_runs_running" on "app_runs" ("created_at") where status = 'running'` }],
  uniques: [{ properties: ['customer', 'idempotencyKey'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    app: { kind: 'm:1', entity: () => App, deleteRule: 'restrict' },
    idempotencyKey: { type: 'string', length: 255 },
    requestHash: { type: 'string', length: 64 },
    allocation: { type: 'text', default: '' },
    status: { enum: true, items: () => runStatuses, default: 'running' },
    result: { type: 'json', columnType: 'jsonb', nullable: true },
    errorCode: { type: 'string', length: 64, nullable: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    finishedAt: { ...timestamptz, nullable: true },
  },
});
