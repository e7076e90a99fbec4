// The billing workflow's pure rules: subscription versions, dunning, cycle windows, alerts and
// the plain-words details. No Temporal here; the end-to-end files drive the same rules.
import { billingNoticeText, cycleSummaryText, usageAlertText } from '../../domain/billing/notices';
import { describeBillingState } from '../../workflows/billing/describe';
import { addMonth, type SubscriptionSnapshot } from '../../domain/billing/vocabulary';
import { applyInvoicePaid, applyPaymentFailed, applySubscription, nextWindow, suspendAtMs } from '../../workflows/billing/rules';
import { emptyBillingState, queueDueAlerts, rememberedVerdict, rememberMessage, resetCycleCounters, setAlertThresholds, upgradeState, type BillingCycleState } from '../../workflows/billing/state';
import { validateBillingMessage } from '../../workflows/billing/validate';

const t0 = Date.parse('2026-11-01T00:00:00.000Z');
const snap = (over: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot => ({
  subscriptionId: 'sub_1',
  stripeStatus: 'active',
  plan: 'starter',
  periodStartAt: '2026-11-01T00:00:00.000Z',
  periodEndAt: '2026-12-01T00:00:00.000Z',
  cancelAtPeriodEnd: false,
  observedAtMs: t0,
  ...over,
});

function subscribed(plan: 'starter' | 'professional' = 'starter'): BillingCycleState {
  const s = emptyBillingState('c');
  applySubscription(s, snap({ plan }), t0, null);
  s.cycle = { number: 1, startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-12-01T00:00:00.000Z', allowanceTokens: plan === 'starter' ? 1_000 : 10_000, carriedTokens: 0 };
  return s;
}

describe('applySubscription', () => {
  it('starts the first cycle on the Stripe period', () => {
    const s = emptyBillingState('c');
    expect(applySubscription(s, snap(), t0, null)).toEqual({ kind: 'started', window: { startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-12-01T00:00:00.000Z' } });
    expect(s).toMatchObject({ plan: 'starter', status: 'active', subscriptionId: 'sub_1' });
  });

  it('starts the first cycle on the input length when one is fixed', () => {
    expect(applySubscription(emptyBillingState('c'), snap(), t0, 5_000)).toEqual({ kind: 'started', window: { startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-11-01T00:00:05.000Z' } });
  });

  it('waits for the first payment of an incomplete subscription', () => {
    expect(applySubscription(emptyBillingState('c'), snap({ stripeStatus: 'incomplete' }), t0, null)).toEqual({ kind: 'ignored', reason: 'the first invoice is not paid yet' });
  });

  it('ignores a price that is none of our plans', () => {
    expect(applySubscription(emptyBillingState('c'), snap({ plan: null }), t0, null).kind).toBe('ignored');
  });

  it('upgrades at once to a higher plan', () => {
    const s = subscribed();
    expect(applySubscription(s, snap({ plan: 'professional', observedAtMs: t0 + 1 }), t0, null)).toEqual({ kind: 'upgraded', from: 'starter', to: 'professional' });
    expect(s.plan).toBe('professional');
  });

  it('schedules a lower plan for the period end, keeping the current one', () => {
    const s = subscribed('professional');
    expect(applySubscription(s, snap({ plan: 'starter', observedAtMs: t0 + 1 }), t0, null)).toEqual({ kind: 'downgrade-scheduled', to: 'starter' });
    expect(s).toMatchObject({ plan: 'professional', pendingPlan: 'starter' });
  });

  it('ignores a version older than one already applied', () => {
    const s = subscribed();
    applySubscription(s, snap({ plan: 'professional', observedAtMs: t0 + 10 }), t0, null);
    expect(applySubscription(s, snap({ plan: 'starter', observedAtMs: t0 + 5 }), t0, null).kind).toBe('ignored');
    expect(s.pendingPlan).toBeNull();
  });

  it('ends the subscription once, and ignores anything said about it afterwards', () => {
    const s = subscribed();
    expect(applySubscription(s, snap({ stripeStatus: 'canceled', observedAtMs: t0 + 1 }), t0, null)).toEqual({ kind: 'ended' });
    expect(applySubscription(s, snap({ observedAtMs: t0 + 2 }), t0, null)).toEqual({ kind: 'ignored', reason: 'subscription sub_1 has already ended' });
  });

  it('ignores a second subscription while one is live', () => {
    expect(applySubscription(subscribed(), snap({ subscriptionId: 'sub_2', observedAtMs: t0 + 1 }), t0, null)).toEqual({ kind: 'ignored', reason: 'another subscription (sub_1) is live' });
  });

  it('follows the cancel flag, and aligns the cycle end to Stripe’s period', () => {
    const s = subscribed();
    const out = applySubscription(s, snap({ cancelAtPeriodEnd: true, periodEndAt: '2026-12-02T00:00:00.000Z', observedAtMs: t0 + 1 }), t0, null);
    expect(out).toEqual({ kind: 'updated', changes: ['cancels at the period end', 'cycle end aligned to 2026-12-02T00:00:00.000Z'] });
    expect(s.cycle!.endAt).toBe('2026-12-02T00:00:00.000Z');
  });
});

describe('dunning rules', () => {
  it('makes an active brand past_due on a failed payment, once', () => {
    const s = subscribed();
    expect(applyPaymentFailed(s, { invoiceId: 'in_1', currentStatus: 'open' }, '2026-11-02T00:00:00.000Z')).toEqual({ kind: 'past-due' });
    expect(applyPaymentFailed(s, { invoiceId: 'in_1', currentStatus: 'open' }, '2026-11-03T00:00:00.000Z')).toEqual({ kind: 'noted' });
    expect(s).toMatchObject({ status: 'past_due', pastDueSince: '2026-11-02T00:00:00.000Z' });
  });

  it('treats a failure as stale when Stripe or an earlier event says the invoice is paid', () => {
    const s = subscribed();
    expect(applyPaymentFailed(s, { invoiceId: 'in_1', currentStatus: 'paid' }, '2026-11-02T00:00:00.000Z').kind).toBe('ignored');
    applyInvoicePaid(s, { invoiceId: 'in_2', currentStatus: 'paid' });
    expect(applyPaymentFailed(s, { invoiceId: 'in_2', currentStatus: null }, '2026-11-02T00:00:00.000Z').kind).toBe('ignored');
    expect(s.status).toBe('active');
  });

  it('suspends after the grace period and reactivates when every failed invoice is paid', () => {
    const s = subscribed();
    applyPaymentFailed(s, { invoiceId: 'in_1', currentStatus: null }, '2026-11-02T00:00:00.000Z');
    applyPaymentFailed(s, { invoiceId: 'in_2', currentStatus: null }, '2026-11-03T00:00:00.000Z');
    expect(suspendAtMs(s, 7 * 86_400_000)).toBe(Date.parse('2026-11-09T00:00:00.000Z'));
    s.status = 'suspended';
    expect(applyInvoicePaid(s, { invoiceId: 'in_1', currentStatus: 'paid' })).toEqual({ kind: 'noted' });
    expect(applyInvoicePaid(s, { invoiceId: 'in_2', currentStatus: 'paid' })).toEqual({ kind: 'reactivated' });
    expect(s).toMatchObject({ status: 'active', pastDueSince: null });
  });
});

describe('cycle windows', () => {
  it('renews monthly on the anchor day, clamped to short months', () => {
    expect(addMonth('2027-01-31T09:00:00.000Z', 31)).toBe('2027-02-28T09:00:00.000Z');
    expect(addMonth('2027-02-28T09:00:00.000Z', 31)).toBe('2027-03-31T09:00:00.000Z');
    expect(addMonth('2026-12-15T00:00:00.000Z', 15)).toBe('2027-01-15T00:00:00.000Z');
  });

  it('uses the fixed length from the input when there is one', () => {
    expect(nextWindow({ startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-11-01T00:00:05.000Z' }, 5_000, 1)).toEqual({ startAt: '2026-11-01T00:00:05.000Z', endAt: '2026-11-01T00:00:10.000Z' });
  });
});

describe('usage alerts', () => {
  it('queues each threshold once per cycle, counting pack tokens as available', () => {
    const s = subscribed();
    s.packCredits.push({ purchaseId: 'p', tokens: 1_000 });
    s.usage.tokens = 1_000;
    queueDueAlerts(s);
    s.usage.tokens = 1_700;
    queueDueAlerts(s);
    queueDueAlerts(s);
    expect(s.outbox.map((o) => (o.kind === 'usage-alert' ? [o.thresholdPercent, o.usedTokens, o.availableTokens] : null))).toEqual([
      [50, 1_000, 2_000],
      [80, 1_700, 2_000],
    ]);
  });

  it('counts thresholds already passed as alerted when they are set, and alerts the next crossing', () => {
    const s = subscribed();
    s.usage.tokens = 600;
    setAlertThresholds(s, [90, 50, 50]);
    expect(s).toMatchObject({ alertThresholds: [50, 90], alertsSent: [50] });
    queueDueAlerts(s);
    expect(s.outbox).toEqual([]);
    s.usage.tokens = 950;
    queueDueAlerts(s);
    expect(s.outbox.map((o) => (o.kind === 'usage-alert' ? o.thresholdPercent : null))).toEqual([90]);
  });

  it('alerts again in the next cycle', () => {
    const s = subscribed();
    s.usage.tokens = 600;
    queueDueAlerts(s);
    resetCycleCounters(s);
    s.usage.tokens = 600;
    queueDueAlerts(s);
    expect(s.outbox.filter((o) => o.kind === 'usage-alert').map((o) => (o.kind === 'usage-alert' ? o.thresholdPercent : null))).toEqual([50, 50]);
  });

  it('does not alert an unlimited plan', () => {
    const s = subscribed();
    s.cycle!.allowanceTokens = null;
    s.usage.tokens = 10 ** 9;
    queueDueAlerts(s);
    expect(s.outbox).toEqual([]);
  });
});

describe('message memory', () => {
  it('gives back the first verdict of a message id, and forgets the oldest past the limit', () => {
    const s = emptyBillingState('c');
    for (let i = 0; i < 205; i++) rememberMessage(s, `m${i}`, { outcome: 'noted', i });
    expect(rememberedVerdict(s, 'm204')).toEqual({ outcome: 'noted', i: 204 });
    expect(rememberedVerdict(s, 'm0')).toBeUndefined();
    expect(s.recentMessages).toHaveLength(200);
  });

  it('upgrades state carried from the usage-only version with every new field', () => {
    const s = upgradeState({ customerId: 'c', lastAppliedSeq: 7 });
    expect(s).toMatchObject({ lastAppliedSeq: 7, plan: null, outbox: [], alertThresholds: [50, 80, 100] });
  });
});

describe('validateBillingMessage', () => {
  it.each([
    [{ id: '', request: { kind: 'cancel' } }, /an id/],
    [{ id: 'x', request: { kind: 'choose-plan', plan: 'gold', returnUrl: '' } }, /unknown plan gold/],
    [{ id: 'x', request: { kind: 'set-alert-thresholds', thresholds: [0] } }, /1–100/],
    [{ id: 'x', request: { kind: 'pack-credited', purchaseId: 'p', tokens: 1.5 } }, /positive whole number/],
    [{ id: 'x', request: { kind: 'nonsense' } }, /unknown billing request/],
  ])('rejects %j', (message, error) => {
    expect(() => validateBillingMessage(message as never)).toThrow(error);
  });
});

describe('plain words', () => {
  it('reads like the issue’s example', () => {
    const s = subscribed('professional');
    s.usage = { uses: 900, tokens: 7_412, byApp: { 'virtual-try-on': { uses: 900, tokens: 7_412 } } };
    s.cycle!.carriedTokens = 5_000;
    s.lastAppliedSeq = 12;
    expect(describeBillingState(s)).toBe(
      'Professional, cycle 2026-11-01 → 2026-12-01, 7,412 of 10,000 allowance used, 5,000 pack tokens; 7,412 tokens in 900 uses of 1 app, usage batches applied through #12',
    );
  });

  it('words the notices', () => {
    expect(usageAlertText({ thresholdPercent: 100, usedTokens: 1_000, availableTokens: 1_000, cycleStartAt: '2026-11-01T00:00:00.000Z' }).subject).toBe('You have used all the tokens of this cycle');
    expect(billingNoticeText('payment-failed', '2026-11-09T00:00:00.000Z').text).toContain('2026-11-09 00:00 UTC');
    const summary = cycleSummaryText(
      { start_at: '2026-11-01T00:00:00.000Z', end_at: '2026-12-01T00:00:00.000Z', allowance_tokens: '1000', used_tokens: '5', refunded_tokens: '0', expired_tokens: '995', uses: 5, by_app: { 'pd-calculator': { uses: 5, tokens: 5 } } },
      null,
    );
    expect(summary.subject).toBe('Your cycle summary, 2026-11-01 to 2026-12-01');
    expect(summary.text).toContain('Unused allowance expired: 995');
    expect(summary.text).toContain('Your subscription has ended');
  });
});
