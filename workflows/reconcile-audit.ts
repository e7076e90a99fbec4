// The reconciliation audit, started by the Schedule `reconcile-audit` (clients/
// reconcile-audit-schedule.ts) every RECONCILE_AUDIT_INTERVAL on the `ops` queue. It opens a run,
// emails any operator alert nobody emailed yet, then walks the brands to audit a page at a time
// (those with activity since the last run, or all of them on a full sweep), a few in parallel;
// each page continues as new, so the history stays small however many brands there are. A
// brand whose checks keep failing is counted, not fatal: the run finishes, and does not count as
// a success (the metric's last-success timestamp stays where it was).
import { ActivityFailure, continueAsNew, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import type { AuditDriftKind, ReconcileAuditInput, ReconcileAuditResult } from './operator/messages';

const { startReconcileAudit, reconcileAuditBrands, finishReconcileAudit, emailPendingOperatorAlerts } = proxyActivities<Activities>({ ...activityPresets.local, startToCloseTimeout: '1 minute' });
/** Stripe and Temporal calls inside; a few attempts, then the brand is counted failed for this run. */
const { auditBrand } = proxyActivities<Activities>({ ...activityPresets.external, startToCloseTimeout: '2 minutes', retry: { ...activityPresets.external.retry, maximumAttempts: 4 } });

const pageSize = 200;
const parallel = 5;
const defaultFullSweepEveryMs = 3_600_000;
const defaultGraceMs = 120_000;

export async function reconcileAudit(input: ReconcileAuditInput): Promise<ReconcileAuditResult> {
  const given = input.customerIds;
  const run = input.run ?? (await startReconcileAudit({ fullSweepEveryMs: input.fullSweepEveryMs ?? defaultFullSweepEveryMs, fullSweep: input.fullSweep, onlyGivenBrands: given !== undefined }));
  if (!input.run) await emailPendingOperatorAlerts();
  const graceMs = input.graceMs ?? defaultGraceMs;
  const { customerIds } = given ? { customerIds: given } : await reconcileAuditBrands({ since: run.since, after: input.after ?? null, limit: pageSize });
  const drift: Partial<Record<AuditDriftKind, number>> = { ...input.drift };
  let brands = input.brands ?? 0;
  let brandsFailed = input.brandsFailed ?? 0;
  let driftsFound = input.driftsFound ?? 0;
  for (let i = 0; i < customerIds.length; i += parallel) {
    const outcomes = await Promise.all(
      customerIds.slice(i, i + parallel).map((customerId) =>
        auditBrand({ customerId, graceMs }).catch((err: unknown) => {
          if (!(err instanceof ActivityFailure)) throw err;
          return null;
        }),
      ),
    );
    for (const outcome of outcomes) {
      brands += 1;
      if (!outcome) {
        brandsFailed += 1;
        continue;
      }
      for (const f of outcome.found) drift[f.kind] = (drift[f.kind] ?? 0) + f.driftTokens;
      driftsFound += outcome.found.length;
    }
    setCurrentDetails(`Run ${run.runId}${run.fullSweep ? ' (full sweep)' : ''}: ${brands} brands audited, ${driftsFound} drifts found, ${brandsFailed} failed`);
  }
  if (!given && customerIds.length === pageSize) {
    await continueAsNew<typeof reconcileAudit>({ ...input, run, after: customerIds[customerIds.length - 1], brands, brandsFailed, driftsFound, drift });
  }
  await finishReconcileAudit({ runId: run.runId, brands, brandsFailed, drift, driftsFound });
  return { runId: run.runId, brands, brandsFailed, driftsFound, drift };
}
