import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';

/**
 * One run of the reconciliation audit (workflows/reconcile-audit.ts). The API's /metrics reads
 * the newest finished run: its drift per kind and its finish time. `since`: the start of the
 * previous run, the audit looks at brands with activity after it (all of them on a full sweep).
 */
export class ReconcileAuditRun {
  declare [OptionalProps]?: 'id' | 'startedAt' | 'brands' | 'brandsFailed' | 'drift' | 'driftsFound';
  id: string = randomUUID();
  startedAt: Date = new Date();
  finishedAt?: Date | null;
  since?: Date | null;
  fullSweep!: boolean;
  brands = 0;
  /** Brands whose checks kept failing: a run with any is not a success (the metric's timestamp stays). */
  brandsFailed = 0;
  /** Tokens of drift found, per kind (redis_balance, workflow_usage, pack_payment), absolute. */
  drift: Record<string, number> = {};
  driftsFound = 0;
}

export const ReconcileAuditRunSchema = new EntitySchema<ReconcileAuditRun>({
  class: ReconcileAuditRun,
  tableName: 'reconcile_audit_runs',
  indexes: [{ properties: ['finishedAt'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    startedAt: { ...timestamptz, defaultRaw: 'now()' },
    finishedAt: { ...timestamptz, nullable: true },
    since: { ...timestamptz, nullable: true },
    fullSweep: { type: 'boolean' },
    brands: { type: 'integer', default: 0 },
    brandsFailed: { type: 'integer', default: 0 },
    drift: { type: 'json', columnType: 'jsonb', defaultRaw: "'{}'::jsonb" },
    driftsFound: { type: 'integer', default: 0 },
  },
});
