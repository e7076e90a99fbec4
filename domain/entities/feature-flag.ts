import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { timestamptz } from './common';
import { User } from './user';

export const flagKinds = ['app', 'feature'] as const;
export type FlagKind = (typeof flagKinds)[number];

/**
 * One rollout control, kept by operators (domain/flags/). An `app` flag gates an app of the
 * catalog (target = its slug); a `feature` flag names a part of the product (target = its name).
 * A brand is in when it is listed or its stable bucket falls under the percentage; a killed flag
 * lets no brand in. Each API process holds the whole table in memory (api/metering/flag-table.ts).
 */
export class FeatureFlag {
  declare [OptionalProps]?: 'percentage' | 'brands' | 'killed' | 'note' | 'updatedAt' | 'updatedBy';
  key!: string;
  kind!: FlagKind;
  target!: string;
  /** 0..100: the share of brands let in by their bucket (domain/flags/rollout.ts). */
  percentage = 0;
  /** Customer ids let in whatever the percentage. */
  brands: string[] = [];
  killed = false;
  note = '';
  updatedAt: Date = new Date();
  updatedBy?: User | null;
}

export const FeatureFlagSchema = new EntitySchema<FeatureFlag>({
  class: FeatureFlag,
  tableName: 'feature_flags',
  // One flag per app or feature: two rules for one app would leave its gate ambiguous.
  uniques: [{ properties: ['kind', 'target'] }],
  checks: [{ name: 'feature_flags_percentage_range', expression: 'percentage >= 0 and percentage <= 100' }],
  properties: {
    key: { type: 'string', length: 64, primary: true },
    kind: { enum: true, items: () => flagKinds },
    target: { type: 'string', length: 64 },
    percentage: { type: 'integer', default: 0 },
    brands: { type: 'json', columnType: 'jsonb', defaultRaw: "'[]'::jsonb" },
    killed: { type: 'boolean', default: false },
    note: { type: 'string', length: 500, default: '' },
    updatedAt: { ...timestamptz, defaultRaw: 'now()' },
    updatedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
  },
});
