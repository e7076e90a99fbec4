// The billing workflow's steps: each applies a rule to the state, then makes the world agree
// through activities. One step runs at a time (`exclusive`), whether it was started by a
// message or by the cycle timer, so a plan change never interleaves with a rollover.
import { ActivityFailure, ApplicationFailure, condition, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { activityPresets } from '../../temporal.config';
import { workflowNow, workflowNowIso } from './clock';
import type { BillingMessage, BillingRequest, BillingVerdict } from './messages';
import { applyInvoicePaid, applyPaymentFailed, applySubscription, nextWindow, type Window } from './rules';
import { planNames, planRank, stripeUnconfirmed, type PlanKey } from '../../domain/billing/vocabulary';
import { applyOperatorRequest, suspendAtIso } from './operator-requests';
import { applyPackCredit, rememberedVerdict, rememberMessage, resetCycleCounters, setAlertThresholds, type BillingCycleState } from './state';

const nonRetryableErrorTypes = ['NOT_FOUND', 'STRIPE_REQUEST_REFUSED'];

const ledger = proxyActivities<Activities>({ ...activityPresets.local, retry: { ...activityPresets.local.retry, nonRetryableErrorTypes } });
/** Reading Stripe's current object: after this long, the event's own copy is applied instead. */
const stripeRead = proxyActivities<Activities>({ ...activityPresets.external, scheduleToCloseTimeout: '5 minutes', retry: { ...activityPresets.external.retry, nonRetryableErrorTypes } });
/** A brand is waiting on these: bounded, and a refusal is reported, not retried. */
const stripeWrite = proxyActivities<Activities>({ ...activityPresets.external, scheduleToCloseTimeout: '2 minutes', retry: { ...activityPresets.external.retry, nonRetryableErrorTypes } });
const notify = proxyActivities<Activities>({ ...activityPresets.notify, retry: { ...activityPresets.notify.retry, nonRetryableErrorTypes } });

export interface BillingOptions {
  cycleLengthMs: number | null;
  gracePeriodMs: number;
}

/** Live mode: Stripe does not have what the event claims (activities/billing.ts currentSubscription). */
const unconfirmedByStripe = (err: unknown): err is ActivityFailure => err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === stripeUnconfirmed;

const reasonOf = (err: unknown) => (err instanceof ActivityFailure && err.cause ? err.cause.message : err instanceof Error ? err.message : String(err));

export class BillingSteps {
  private busy = false;
  /** True while an outbox notice is being sent: continue-as-new waits, so no notice goes out twice. */
  sending = false;

  /** `written` runs after each change reaches the read model: search attributes and details follow at once. */
  constructor(
    private readonly state: BillingCycleState,
    private readonly options: BillingOptions,
    private readonly written: () => void,
  ) {}

  async exclusive<T>(step: () => Promise<T>): Promise<T> {
    // Re-checked after each wake: several waiters wake together when the step before ends.
    while (this.busy) await condition(() => !this.busy);
    this.busy = true;
    try {
      return await step();
    } finally {
      this.busy = false;
    }
  }

  private readModel() {
    const s = this.state;
    return {
      planKey: s.plan,
      pendingPlanKey: s.pendingPlan,
      status: s.status ?? 'active',
      stripeSubscriptionId: s.subscriptionId,
      cycleStartAt: s.cycle?.startAt ?? null,
      cycleEndAt: s.cycle?.endAt ?? null,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      pastDueSince: s.pastDueSince,
      suspendAt: suspendAtIso(s, this.options.gracePeriodMs),
      alertThresholds: s.alertThresholds,
    };
  }

  private async save(): Promise<void> {
    const b = this.readModel();
    await ledger.saveBillingState.executeWithOptions({ summary: `Save ${b.planKey ?? 'no plan'}, ${b.status}${b.pendingPlanKey ? `, downgrade to ${b.pendingPlanKey} pending` : ''}${b.cancelAtPeriodEnd ? ', cancels at period end' : ''}` }, [{ customerId: this.state.customerId, billing: b }]);
    this.written();
  }

  /** Applies a message once: an id already applied (in this run or carried over) gets its first verdict again. */
  async handle(message: BillingMessage): Promise<BillingVerdict> {
    const earlier = rememberedVerdict(this.state, message.id);
    if (earlier) return earlier as BillingVerdict;
    const verdict = await this.apply(message.request, message.id);
    rememberMessage(this.state, message.id, verdict);
    return verdict;
  }

  private async apply(r: BillingRequest, messageId: string): Promise<BillingVerdict> {
    switch (r.kind) {
      case 'subscription':
        return this.subscription(r.snapshot);
      case 'invoice-payment-failed': {
        const { status } = await this.invoiceStatus(r.invoiceId);
        const outcome = applyPaymentFailed(this.state, { invoiceId: r.invoiceId, currentStatus: status }, workflowNowIso());
        if (outcome.kind === 'ignored') return { outcome: 'ignored', reason: outcome.reason };
        if (outcome.kind === 'past-due') {
          await this.save();
          const graceEndsAt = new Date(Date.parse(this.state.pastDueSince!) + this.options.gracePeriodMs).toISOString();
          this.state.outbox.push({ kind: 'billing-notice', notice: 'payment-failed', ref: r.invoiceId, graceEndsAt });
        }
        return { outcome: outcome.kind };
      }
      case 'invoice-paid': {
        const wasSuspended = this.state.status === 'suspended';
        const outcome = applyInvoicePaid(this.state, { invoiceId: r.invoiceId, currentStatus: 'paid' });
        if (outcome.kind !== 'reactivated') return { outcome: 'noted' };
        await this.save();
        if (wasSuspended) this.state.outbox.push({ kind: 'billing-notice', notice: 'reactivated', ref: r.invoiceId });
        return { outcome: 'reactivated' };
      }
      case 'pack-credited':
        return { outcome: applyPackCredit(this.state, { purchaseId: r.purchaseId, tokens: r.tokens }) ? 'credited' : 'noted' };
      case 'choose-plan':
        return this.choosePlan(r.plan, r.returnUrl, messageId);
      case 'cancel':
      case 'resume':
        return this.cancelOrResume(r.kind === 'cancel', messageId);
      case 'set-alert-thresholds':
        setAlertThresholds(this.state, r.thresholds);
        if (this.state.status !== null) await this.save();
        return { outcome: 'thresholds-set' };
      case 'adjustment':
      case 'extend-grace':
      case 'suspend':
      case 'unsuspend':
        return applyOperatorRequest({ state: this.state, gracePeriodMs: this.options.gracePeriodMs, save: () => this.save() }, r, messageId);
    }
  }

  private async invoiceStatus(invoiceId: string): Promise<{ status: string | null }> {
    try {
      return await stripeRead.currentInvoiceStatus({ invoiceId });
    } catch {
      return { status: null };
    }
  }

  private async subscription(given: Parameters<Activities['currentSubscription']>[0]['snapshot']): Promise<BillingVerdict> {
    let snapshot = given;
    try {
      snapshot = await stripeRead.currentSubscription({ snapshot: given });
    } catch (err) {
      // A failure type only live mode throws, and only since issue 11: older histories never take this branch.
      if (unconfirmedByStripe(err)) return { outcome: 'ignored', reason: reasonOf(err) };
      // Stripe unreachable for minutes: the signed event's own copy is the best we have.
    }
    const outcome = applySubscription(this.state, snapshot, workflowNow(), this.options.cycleLengthMs);
    switch (outcome.kind) {
      case 'ignored':
        return { outcome: 'ignored', reason: outcome.reason };
      case 'started':
        this.state.pendingCheckout = null;
        await this.startCycle(outcome.window);
        return { outcome: 'started' };
      case 'upgraded':
        await this.raiseAllowance(outcome.from);
        return { outcome: 'upgraded' };
      case 'ended':
        await this.endNow();
        return { outcome: 'ended' };
      case 'downgrade-scheduled':
      case 'updated':
        await this.save();
        return { outcome: outcome.kind };
    }
  }

  private async startCycle(window: Window): Promise<void> {
    const s = this.state;
    resetCycleCounters(s);
    s.cycle = { number: s.cyclesClosed + 1, ...window, allowanceTokens: 0, carriedTokens: 0 };
    s.anchorDay = new Date(window.startAt).getUTCDate();
    const opened = await ledger.openCycle.executeWithOptions({ summary: `Open cycle ${window.startAt} → ${window.endAt} on ${s.plan}: grant its allowance` }, [{ customerId: s.customerId, billing: this.readModel(), cycle: window }]);
    s.cycle.allowanceTokens = opened.allowanceTokens;
    s.cycle.carriedTokens = opened.carriedTokens;
    this.written();
  }

  private async raiseAllowance(from: PlanKey | null): Promise<void> {
    const s = this.state;
    if (!s.cycle) return void (await this.save());
    const { allowanceTokens } = await ledger.raiseAllowance.executeWithOptions({ summary: `Upgrade ${from ?? 'no plan'} → ${s.plan}: raise this cycle's allowance` }, [{ customerId: s.customerId, billing: this.readModel(), cycle: s.cycle, fromPlanKey: from }]);
    s.cycle.allowanceTokens = allowanceTokens;
    this.written();
  }

  private async choosePlan(plan: PlanKey, returnUrl: string, messageId: string): Promise<BillingVerdict> {
    const s = this.state;
    const live = s.subscriptionId !== null && s.status !== null && s.status !== 'canceled';
    if (!live) {
      try {
        const checkout = await stripeWrite.createSubscriptionCheckout({ customerId: s.customerId, plan, returnUrl, requestId: messageId });
        s.pendingCheckout = { sessionId: checkout.sessionId, plan, createdAt: workflowNowIso() };
        return { outcome: 'checkout', checkoutUrl: checkout.url };
      } catch (err) {
        return { outcome: 'ignored', reason: `Stripe could not create the checkout: ${reasonOf(err)}` };
      }
    }
    if (s.status === 'past_due' || s.status === 'suspended') return { outcome: 'ignored', reason: 'the open invoice must be paid before the plan can change' };
    if (plan === s.plan && s.pendingPlan === null) return { outcome: 'unchanged' };
    const upgrade = planRank.indexOf(plan) > planRank.indexOf(s.plan!);
    try {
      // Upgrades are prorated and invoiced now; a downgrade (or withdrawing one) bills the new price from the renewal.
      await stripeWrite.updateSubscription({ customerId: s.customerId, subscriptionId: s.subscriptionId!, plan, proration: upgrade ? 'always_invoice' : 'none', requestId: messageId });
    } catch (err) {
      return { outcome: 'ignored', reason: `Stripe refused the change: ${reasonOf(err)}` };
    }
    // What we asked Stripe for is now its state: a webhook older than this moment is stale.
    s.subscriptionObservedAtMs = workflowNow();
    if (upgrade) {
      const from = s.plan;
      Object.assign(s, { plan, pendingPlan: null });
      await this.raiseAllowance(from);
      return { outcome: 'upgraded' };
    }
    s.pendingPlan = plan === s.plan ? null : plan;
    await this.save();
    return { outcome: s.pendingPlan ? 'downgrade-scheduled' : 'updated' };
  }

  private async cancelOrResume(cancel: boolean, messageId: string): Promise<BillingVerdict> {
    const s = this.state;
    const live = s.subscriptionId !== null && s.status !== null && s.status !== 'canceled';
    if (!live) return { outcome: 'ignored', reason: 'there is no subscription to change' };
    if (s.cancelAtPeriodEnd === cancel) return { outcome: 'unchanged' };
    try {
      await stripeWrite.updateSubscription({ customerId: s.customerId, subscriptionId: s.subscriptionId!, cancelAtPeriodEnd: cancel, requestId: messageId });
    } catch (err) {
      return { outcome: 'ignored', reason: `Stripe refused the change: ${reasonOf(err)}` };
    }
    s.subscriptionObservedAtMs = workflowNow();
    s.cancelAtPeriodEnd = cancel;
    await this.save();
    return { outcome: cancel ? 'cancel-scheduled' : 'resumed' };
  }

  /** Grace period over and still unpaid: debits are refused until an invoice is paid. */
  async suspend(): Promise<void> {
    if (this.state.status !== 'past_due') return;
    this.state.status = 'suspended';
    await this.save();
    this.state.outbox.push({ kind: 'billing-notice', notice: 'suspended', ref: this.state.pastDueSince ?? workflowNowIso() });
  }

  /**
   * Sends the outbox for as long as the run lives. An item is removed once its activity has
   * finished; one that still fails after the notify preset's day of retries is dropped, so one
   * undeliverable notice cannot hold up the rest.
   */
  async sendOutbox(): Promise<never> {
    const customerId = this.state.customerId;
    for (;;) {
      await condition(() => this.state.outbox.length > 0);
      const item = this.state.outbox[0]!;
      this.sending = true;
      try {
        if (item.kind === 'usage-alert') await notify.sendUsageAlert.executeWithOptions({ summary: `Usage alert: ${item.thresholdPercent}% of ${item.availableTokens} tokens used` }, [{ customerId, ...item }]);
        else if (item.kind === 'adjustment-notice') await notify.sendAdjustmentNotice.executeWithOptions({ summary: 'Notice: tokens adjusted by VARAi' }, [{ customerId, adjustmentId: item.adjustmentId }]);
        else if (item.kind === 'cycle-summary') await notify.sendCycleSummary.executeWithOptions({ summary: `Mail the summary of the cycle from ${item.cycleStartAt}` }, [{ customerId, cycleStartAt: item.cycleStartAt, next: item.next }]);
        else await notify.sendBillingNotice.executeWithOptions({ summary: `Notice: ${item.notice}` }, [{ customerId, notice: item.notice, ref: item.ref, graceEndsAt: item.graceEndsAt }]);
      } catch (err) {
        log.warn('notice dropped after its retries', { kind: item.kind, error: reasonOf(err) });
      }
      this.state.outbox.shift();
      this.sending = false;
    }
  }

  /** The cycle end: close it, open the next (unless the subscription ends), apply a pending downgrade, mail the summary. */
  async rollOver(): Promise<void> {
    const s = this.state;
    const closing = s.cycle!;
    const ending = s.cancelAtPeriodEnd || s.status === 'canceled';
    const downgraded = s.pendingPlan !== null;
    const closingPlan = s.plan;
    if (ending) Object.assign(s, { status: 'canceled', plan: null, pendingPlan: null, cancelAtPeriodEnd: false, pastDueSince: null, failedInvoiceIds: [] });
    else Object.assign(s, { plan: s.pendingPlan ?? s.plan, pendingPlan: null });
    const opening = ending ? null : nextWindow(closing, this.options.cycleLengthMs, s.anchorDay);
    s.cycle = opening && { number: closing.number + 1, ...opening, allowanceTokens: 0, carriedTokens: 0 };
    const summary = opening ? `Close cycle ${closing.startAt} → ${closing.endAt}, open the next on ${s.plan}` : `Close cycle ${closing.startAt} → ${closing.endAt}; the subscription ends`;
    const { opened } = await ledger.rollOverCycle.executeWithOptions({ summary }, [{
      customerId: s.customerId,
      billing: this.readModel(),
      closing: { startAt: closing.startAt, endAt: closing.endAt },
      closingPlanKey: closingPlan,
      closingAllowanceTokens: closing.allowanceTokens,
      opening,
    }]);
    if (s.cycle && opened) Object.assign(s.cycle, { allowanceTokens: opened.allowanceTokens, carriedTokens: opened.carriedTokens });
    s.cyclesClosed += 1;
    resetCycleCounters(s);
    this.written();
    if (ending || downgraded) await ledger.enforcePlanEntitlements.executeWithOptions({ summary: `Turn off the apps ${s.plan ?? 'no plan'} does not include` }, [{ customerId: s.customerId }]);
    s.outbox.push({ kind: 'cycle-summary', cycleStartAt: closing.startAt, next: opening && s.plan ? { ...opening, planName: planNames[s.plan] } : null });
  }

  /** Stripe ended the subscription before our cycle end (canceled now, or its last renewal failed). */
  private async endNow(): Promise<void> {
    const s = this.state;
    if (!s.cycle) {
      Object.assign(s, { status: 'canceled', plan: null, pendingPlan: null, cancelAtPeriodEnd: false, pastDueSince: null });
      await this.save();
      await ledger.enforcePlanEntitlements({ customerId: s.customerId });
      return;
    }
    const now = workflowNow();
    if (now < Date.parse(s.cycle.endAt)) s.cycle.endAt = new Date(Math.max(now, Date.parse(s.cycle.startAt) + 1)).toISOString();
    s.status = 'canceled';
    await this.rollOver();
  }
}
