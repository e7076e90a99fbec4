import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { bigintNumber, timestamptz } from './common';

export const appStatuses = ['active', 'beta', 'deprecated'] as const;
export type AppStatus = (typeof appStatuses)[number];

/** An app of the marketplace; its cost is what one use debits. */
export class App {
  declare [OptionalProps]?: 'id' | 'status' | 'createdAt';
  id: string = randomUUID();
  slug!: string;
  name!: string;
  description!: string;
  category!: string;
  status: AppStatus = 'active';
  costTokens!: number;
  createdAt: Date = new Date();
}

export const AppSchema = new EntitySchema<App>({
  class: App,
  tableName: 'apps',
  checks: [
    { name: 'apps_cost_tokens_check', expression: 'cost_tokens > 0' },
  ],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    slug: { type: 'string', length: 64, unique: true },
    name: { type: 'string', length: 120 },
    description: { type: 'text' },
    category: { type: 'string', length: 64 },
    status: { enum: true, items: () => appStatuses, default: 'active' },
    costTokens: { type: bigintNumber() },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
