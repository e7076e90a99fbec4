// Plain constants only: workflows import this file, so it must stay deterministic
// (no process.env reads at module load inside the workflow sandbox).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ActivityOptions } from '@temporalio/workflow';

export const namespace = 'default';

export const taskQueues = {
  billing: 'billing',
  activations: 'activations',
  tokenPacks: 'token-packs',
  ops: 'ops',
} as const;

export type TaskQueue = (typeof taskQueues)[keyof typeof taskQueues];

/**
 * The name a task queue has on the server: TEMPORAL_TASK_QUEUE_PREFIX (empty in production)
 * before it. Each test file gets its own prefix, so workers of files running in parallel never
 * take each other's tasks.
 */
export const queueName = (queue: TaskQueue, prefix: string): string => `${prefix}${queue}`;

/** Registered on the server at start (scripts/lib/services.ts); support staff filter by them. */
export const searchAttributes = {
  customerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  planTier: defineSearchAttributeKey('PlanTier', SearchAttributeType.KEYWORD),
  billingStatus: defineSearchAttributeKey('BillingStatus', SearchAttributeType.KEYWORD),
} as const;

/** Activity presets: choose by what the activity talks to, not by which workflow calls it. */
export const activityPresets = {
  /** Our own database or Redis: fast, retried quickly. */
  local: {
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  },
  /** Stripe and other third parties: slower, rate limited, retried with longer backoff. */
  external: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
  },
  /**
   * One notice to one user on one channel (workflows/deliver-notice.ts): 12 attempts, 2 s
   * doubling to 30 minutes, about an hour in all; then the delivery is recorded failed.
   */
  delivery: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 12, nonRetryableErrorTypes: ['SMS_REFUSED'] },
  },
  /** Notifiers: best effort, but still retried for a day. */
  notify: {
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '24 hours',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
  },
} satisfies Record<string, ActivityOptions>;

/**
 * How a worker process stops: in-flight activities get `shutdownGraceTime` to finish (the
 * longest startToCloseTimeout above: past it the server retries them elsewhere anyway), then
 * are cancelled; a worker still not drained `shutdownForceTime` after the stop began is
 * abandoned. Both fit inside the worker's stop_grace_period (45 s, docker-compose.yml).
 */
export const workerShutdown: WorkerShutdown = { shutdownGraceTime: 30_000, shutdownForceTime: 36_000 };

/** WorkerOptions' shutdown times, in milliseconds. */
export interface WorkerShutdown {
  shutdownGraceTime: number;
  shutdownForceTime: number;
}

/** Workflow ids come from business keys so that a second start finds the first. */
export const workflowIds = {
  billing: (customerId: string) => `billing:${customerId}`,
  activation: (customerId: string, appSlug: string) => `activation:${customerId}:${appSlug}`,
  tokenPack: (purchaseId: string) => `token-pack:${purchaseId}`,
  /** One per refund level: Stripe reports the cumulative amount refunded with each charge.refunded. */
  tokenPackRefund: (purchaseId: string, refundedCents: number) => `token-pack-refund:${purchaseId}:${refundedCents}`,
  customerOnboarding: (customerId: string) => `onboarding:${customerId}`,
  /** The delivery of one notice on every channel its recipients chose. */
  noticeDelivery: (notificationId: string) => `notice-delivery:${notificationId}`,
  /** The email of one operator alert to every operator. */
  operatorAlertEmail: (alertId: string) => `operator-alert:${alertId}`,
} as const;

/** The one Schedule of the weekly summary; tests put their task queue prefix before it. */
export const weeklySummaryScheduleId = (prefix: string) => `${prefix}weekly-usage-summary`;

/** The one Schedule of the reconciliation audit (every RECONCILE_AUDIT_INTERVAL); tests put their prefix before it. */
export const reconcileAuditScheduleId = (prefix: string) => `${prefix}reconcile-audit`;
/** The one Schedule of the retention policy (clients/retention-schedule.ts). */
export const retentionScheduleId = (prefix: string) => `${prefix}data-retention`;
