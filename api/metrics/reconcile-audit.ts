// The reconciliation audit's figures on /metrics. The audit runs in the worker; it stores each
// run's result in reconcile_audit_runs, and these gauges read the newest one at scrape time, so
// every API process reports the same figures and none of them runs the audit.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import { driftKinds } from '../../domain/reconcile/compare';
import { auditFigures } from '../../domain/reconcile/runs';

export function registerReconcileAuditMetrics(registry: Registry, orm: MikroORM): void {
  // A database that does not answer leaves the last figures in place rather than fail the scrape.
  const figures = () => auditFigures(orm.em.fork()).catch(() => null);
  new Gauge({
    name: 'varai_balance_drift_tokens',
    help: 'Tokens of drift the newest reconciliation audit found, by kind (redis_balance, workflow_usage, pack_payment); 0 when none',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const read = await figures();
      if (!read) return;
      for (const kind of driftKinds) this.set({ kind }, read.drift?.[kind] ?? 0);
    },
  });
  new Gauge({
    name: 'varai_reconcile_audit_last_success_timestamp',
    help: 'Unix time (seconds) the newest reconciliation audit that checked every brand it meant to finished; 0 before the first',
    registers: [registry],
    async collect() {
      const read = await figures();
      if (read) this.set(read.lastSuccessAt ? read.lastSuccessAt.getTime() / 1000 : 0);
    },
  });
}
