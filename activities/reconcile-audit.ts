// Activities of the reconciliation audit (workflows/reconcile-audit.ts). One brand's audit
// compares each derived copy with its truth, alerts operators once per drift and repairs what is
// derived: the Redis balance is rebuilt from the ledger, missed usage batches are sent again to
// the billing workflow (which skips numbers it has), and a pack Stripe says is paid is reported
// to its purchase workflow, which credits it the usual way. Nothing here writes the ledger.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type Stripe from 'stripe';
import { signalUsageBatches, type BillingStartConfig } from '../clients/billing';
import { billingCycleState } from '../clients/billing-state';
import { alertOperators, startOperatorAlertEmail } from '../clients/operator-alerts';
import { signalPackPaid } from '../clients/token-packs';
import type { StripeMode } from '../domain/billing/stripe-mode';
import type { RedisClient } from '../domain/infra/redis';
import { alertsAwaitingEmail } from '../domain/operator/alert-email';
import { driftAlert, type DriftReport } from '../domain/reconcile/alert-text';
import { auditCachedBalance, repairCachedBalance } from '../domain/reconcile/cached-balance';
import { driftTotals, unappliedBatches, type DriftKind, type FoundDrift } from '../domain/reconcile/compare';
import { paidInStripe, uncreditedPurchases } from '../domain/reconcile/pack-payments';
import { brandsToAudit, finishAuditRun, startAuditRun, type AuditRunStart } from '../domain/reconcile/runs';
import { batchesAfter } from '../domain/reconcile/usage-batches';

export interface ReconcileAuditActivityDeps {
  orm: MikroORM;
  redis: RedisClient;
  stripe: Stripe;
  temporal: Client;
  billingStart: BillingStartConfig;
  stripeMode: StripeMode;
}

/**
 * A cache drift is confirmed by a second look this much later: a grant committed just before the
 * first look invalidates the cache right after its COMMIT, and that moment is not a drift.
 */
const confirmAfterMs = 300;

/** An alert raised by an API process (no Temporal client there) is emailed by the next run after this. */
const emailGraceMs = 60_000;

export function createReconcileAuditActivities({ orm, redis, stripe, temporal, billingStart, stripeMode }: ReconcileAuditActivityDeps) {
  const brandName = async (customerId: string) =>
    (await orm.em.fork().getConnection().execute<{ name: string }[]>('select name from customers where id = ?', [customerId]))[0]?.name ?? 'unknown brand';

  async function report(r: Omit<DriftReport, 'brandName'>, driftTokens: number, repaired: boolean): Promise<FoundDrift> {
    const alert = driftAlert({ ...r, brandName: await brandName(r.customerId) });
    await alertOperators(orm, temporal, Context.current().info.taskQueue, { ...alert, details: { ...alert.details, repaired } });
    return { kind: r.kind, differenceTokens: r.differenceTokens, driftTokens, repaired };
  }

  async function cachedBalanceDrift(customerId: string): Promise<FoundDrift[]> {
    const first = await auditCachedBalance(orm, redis, customerId, new Date());
    if (!first || first.grants.length === 0) return [];
    await Context.current().sleep(confirmAfterMs);
    const again = await auditCachedBalance(orm, redis, customerId, new Date());
    if (!again || again.grants.length === 0 || again.differenceTokens !== first.differenceTokens) return [];
    // Alerted before the repair: a retry after a failed repair finds the drift again (and the
    // same dedupe key), whereas one after a failed alert would find nothing left to report.
    const found = await report(
      {
        kind: 'redis_balance',
        customerId,
        dedupeKey: `balance-drift:redis_balance:${customerId}:${again.expectedTokens}:${again.cachedTokens}`,
        differenceTokens: again.differenceTokens,
        summary: `The cache held ${again.cachedTokens} tokens where the ledger (less debits not yet reconciled) gives ${again.expectedTokens}.`,
        repair: 'Repaired: the cached balance was rebuilt from the ledger.',
        details: { expectedTokens: again.expectedTokens, actualTokens: again.cachedTokens, grants: again.grants },
      },
      again.driftTokens,
      true,
    );
    await repairCachedBalance(orm, redis, customerId);
    return [found];
  }

  async function workflowUsageDrift(customerId: string, graceMs: number): Promise<FoundDrift[]> {
    const state = await billingCycleState(temporal, customerId);
    const lastAppliedSeq = state?.lastAppliedSeq ?? 0;
    const after = await batchesAfter(orm, customerId, lastAppliedSeq);
    const missed = unappliedBatches(after, lastAppliedSeq, Date.now(), graceMs);
    if (missed.length === 0) return [];
    const tokens = missed.reduce((sum, b) => sum + b.tokens, 0);
    let repaired = true;
    try {
      // Every batch after the workflow's number, in order: it applies them one by one and skips any it has.
      await signalUsageBatches(temporal, billingStart, customerId, after.map(({ createdAtMs: _, ...batch }) => batch));
    } catch {
      repaired = false;
    }
    const range = `${missed[0]!.seq}-${missed[missed.length - 1]!.seq}`;
    return [
      await report(
        {
          kind: 'workflow_usage',
          customerId,
          // By the first batch missing: batches piling up behind a closed workflow are one drift, not one per run.
          dedupeKey: `balance-drift:workflow_usage:${customerId}:${missed[0]!.seq}`,
          differenceTokens: -tokens,
          summary: `The billing workflow applied usage batches up to number ${lastAppliedSeq}; batches ${range} (${tokens} tokens) are in the ledger but not in its totals.`,
          repair: repaired
            ? 'Repaired: the batches were sent to the billing workflow again (it skips numbers it already has).'
            : 'NOT repaired: the billing workflow refused the batches (closed?); restart it as docs/SUPPORT.md says.',
          details: { expectedTokens: tokens, actualTokens: 0, lastAppliedSeq, batches: missed.map((b) => b.seq) },
        },
        tokens,
        repaired,
      ),
    ];
  }

  async function packPaymentDrift(customerId: string, graceMs: number): Promise<FoundDrift[]> {
    const found: FoundDrift[] = [];
    for (const purchase of await uncreditedPurchases(orm, customerId, graceMs)) {
      const paid = await paidInStripe({ orm, stripe, stripeMode }, purchase);
      if (!paid) continue;
      const repaired = await signalPackPaid(temporal, purchase.purchaseId, { eventId: paid.eventId ?? `reconcile-audit:${purchase.purchaseId}`, paymentIntentId: paid.paymentIntentId });
      found.push(
        await report(
          {
            kind: 'pack_payment',
            customerId,
            dedupeKey: `balance-drift:pack_payment:${purchase.purchaseId}`,
            differenceTokens: -purchase.tokens,
            summary: `Purchase ${purchase.purchaseId} (${purchase.tokens} tokens, Checkout Session ${purchase.sessionId}) is paid in Stripe but not credited.`,
            repair: repaired
              ? 'Repaired: the payment was reported to the purchase workflow, which credits the pack the usual way.'
              : 'NOT repaired: the purchase workflow is no longer running; credit the pack as docs/SUPPORT.md says.',
            details: { expectedTokens: purchase.tokens, actualTokens: 0, purchaseId: purchase.purchaseId, sessionId: purchase.sessionId, stripeEventId: paid.eventId },
          },
          purchase.tokens,
          repaired,
        ),
      );
    }
    return found;
  }

  return {
    async startReconcileAudit(input: { fullSweepEveryMs: number; fullSweep?: boolean; onlyGivenBrands?: boolean }): Promise<AuditRunStart> {
      return startAuditRun(orm, input);
    },

    async reconcileAuditBrands(input: { since: string | null; after: string | null; limit: number }): Promise<{ customerIds: string[] }> {
      return { customerIds: await brandsToAudit(orm, input) };
    },

    /** Each comparison on its own: one failing (Stripe down) still lets the others run and report. */
    async auditBrand(input: { customerId: string; graceMs: number }): Promise<{ found: FoundDrift[] }> {
      const checks = await Promise.allSettled([cachedBalanceDrift(input.customerId), workflowUsageDrift(input.customerId, input.graceMs), packPaymentDrift(input.customerId, input.graceMs)]);
      const failed = checks.find((c) => c.status === 'rejected');
      if (failed) throw failed.reason;
      return { found: checks.flatMap((c) => (c.status === 'fulfilled' ? c.value : [])) };
    },

    async finishReconcileAudit(input: { runId: string; brands: number; brandsFailed: number; drift: Partial<Record<DriftKind, number>>; driftsFound: number }): Promise<void> {
      await finishAuditRun(orm, input.runId, { ...input, drift: driftTotals([], input.drift) });
    },

    /** Alerts an API process raised (it has no Temporal client): their email starts here. */
    async emailPendingOperatorAlerts(): Promise<{ started: number }> {
      const ids = await alertsAwaitingEmail(orm, emailGraceMs);
      for (const id of ids) await startOperatorAlertEmail(temporal, Context.current().info.taskQueue, id);
      return { started: ids.length };
    },
  };
}
