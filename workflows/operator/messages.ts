// What crosses the boundary of the operator workflows (alert email, reconciliation audit):
// their type names, inputs and results. Imported by the workflows and by their callers (clients/).

export const deliverOperatorAlertWorkflowType = 'deliverOperatorAlert';
export const reconcileAuditWorkflowType = 'reconcileAudit';

export interface DeliverOperatorAlertInput {
  alertId: string;
}

export interface DeliverOperatorAlertResult {
  outcome: 'sent' | 'already-sent' | 'no-operators' | 'no-such-alert' | 'failed';
}

export type DeliverOperatorAlertWorkflow = (input: DeliverOperatorAlertInput) => Promise<DeliverOperatorAlertResult>;

/** The kinds of drift the audit reports (domain/reconcile/compare.ts names the same). */
export type AuditDriftKind = 'redis_balance' | 'workflow_usage' | 'pack_payment';

export interface ReconcileAuditInput {
  /** How often every brand is audited, not only the active ones (RECONCILE_AUDIT_FULL_SWEEP). */
  fullSweepEveryMs?: number;
  /** Force a full sweep now. */
  fullSweep?: boolean;
  /** How old a batch or a pending pack must be before its absence counts as drift; default two minutes. */
  graceMs?: number;
  /** Only these brands (support, tests): the run covers no period and moves no `since`. */
  customerIds?: string[];
  /** Carried over continue-as-new: the run, the keyset cursor and the sums so far. */
  run?: { runId: string; since: string | null; fullSweep: boolean };
  after?: string;
  brands?: number;
  brandsFailed?: number;
  driftsFound?: number;
  drift?: Partial<Record<AuditDriftKind, number>>;
}

export interface ReconcileAuditResult {
  runId: string;
  brands: number;
  brandsFailed: number;
  driftsFound: number;
  drift: Partial<Record<AuditDriftKind, number>>;
}

export type ReconcileAuditWorkflow = (input: ReconcileAuditInput) => Promise<ReconcileAuditResult>;
