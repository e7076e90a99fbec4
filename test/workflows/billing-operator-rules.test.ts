// The pure rules of operators' money operations: how a take-back is spread over grants, when a
// credit expires, how a grace extension moves the suspension, and suspension by hand. No
// Temporal here; test/api/operator-*.test.ts drive the same rules end to end.
import { adjustmentNoticeText } from '../../domain/billing/notices';
import { adjustmentReasonText, splitTakeBack } from '../../domain/billing/adjustment-rules';
import { adjustmentExpiry, extendGrace, setSuspension } from '../../workflows/billing/operator-requests';
import { applyInvoicePaid, applyPaymentFailed, suspendAtMs } from '../../workflows/billing/rules';
import { availableThisCycle, emptyBillingState, resetCycleCounters, upgradeState, type BillingCycleState } from '../../workflows/billing/state';
import { validateBillingMessage } from '../../workflows/billing/validate';

const day = 24 * 3600 * 1000;
const grace = 7 * day;

function subscribed(allowanceTokens: number | null = 1_000): BillingCycleState {
  const s = emptyBillingState('c');
  Object.assign(s, { plan: 'starter', status: 'active', subscriptionId: 'sub_1' });
  s.cycle = { number: 1, startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-12-01T00:00:00.000Z', allowanceTokens, carriedTokens: 0 };
  return s;
}

function pastDue(): BillingCycleState {
  const s = subscribed();
  applyPaymentFailed(s, { invoiceId: 'in_1', currentStatus: 'open' }, '2026-11-10T00:00:00.000Z');
  return s;
}

describe('splitTakeBack', () => {
  const grants = [{ id: 'allowance', remainingTokens: 30 }, { id: 'pack', remainingTokens: 50 }, { id: 'spent', remainingTokens: 0 }];

  it('takes from the grants in burn order, each at most what it holds', () => {
    expect(splitTakeBack(grants, 60)).toEqual([{ grantId: 'allowance', tokens: 30 }, { grantId: 'pack', tokens: 30 }]);
  });

  it('may take everything the grants hold, leaving each at zero', () => {
    expect(splitTakeBack(grants, 80)).toEqual([{ grantId: 'allowance', tokens: 30 }, { grantId: 'pack', tokens: 50 }]);
  });

  it('takes nothing, not a part, when the grants hold less than asked', () => {
    expect(splitTakeBack(grants, 81)).toBeNull();
  });

  it('never takes from a grant already below zero', () => {
    expect(splitTakeBack([{ id: 'over', remainingTokens: -5 }, { id: 'pack', remainingTokens: 10 }], 10)).toEqual([{ grantId: 'pack', tokens: 10 }]);
  });
});

describe('adjustmentExpiry', () => {
  it('expires a credit at the cycle end when asked', () => {
    expect(adjustmentExpiry(subscribed(), { tokens: 5, expiresAtCycleEnd: true })).toEqual({ expiresAt: '2026-12-01T00:00:00.000Z' });
  });

  it('never expires a credit not asked to, nor a take-back', () => {
    expect(adjustmentExpiry(subscribed(), { tokens: 5, expiresAtCycleEnd: false })).toEqual({ expiresAt: null });
    expect(adjustmentExpiry(subscribed(), { tokens: -5, expiresAtCycleEnd: true })).toEqual({ expiresAt: null });
  });

  it('refuses an expiring credit without a cycle, naming the field', () => {
    expect(adjustmentExpiry(emptyBillingState('c'), { tokens: 5, expiresAtCycleEnd: true })).toMatchObject({ outcome: 'refused', code: 'ADJUSTMENT_NOT_APPLICABLE', field: 'body.expiresAtCycleEnd' });
  });

  it('refuses any adjustment on an unlimited plan', () => {
    expect(adjustmentExpiry(subscribed(null), { tokens: 5, expiresAtCycleEnd: false })).toMatchObject({ outcome: 'refused', code: 'ADJUSTMENT_NOT_APPLICABLE', field: 'body.tokens' });
  });
});

describe('the usage alerts’ base', () => {
  it('counts this cycle’s net adjustments, and forgets them at the next cycle', () => {
    const s = subscribed();
    s.adjustedTokens = 500 - 200;
    expect(availableThisCycle(s)).toBe(1_300);
    resetCycleCounters(s);
    expect(availableThisCycle(s)).toBe(1_000);
  });

  it('reads state carried from before operator requests as having no adjustment', () => {
    const carried = { ...subscribed() } as Partial<BillingCycleState>;
    delete carried.adjustedTokens;
    expect(availableThisCycle(carried as BillingCycleState)).toBe(1_000);
  });
});

describe('extendGrace', () => {
  it('moves the suspension of a past-due brand by whole days, and again on a second extension', () => {
    const s = pastDue();
    const before = suspendAtMs(s, grace)!;
    expect(extendGrace(s, 3, grace)).toEqual({ suspendAtMs: before + 3 * day });
    expect(extendGrace(s, 1, grace)).toEqual({ suspendAtMs: before + 4 * day });
    expect(suspendAtMs(s, grace)).toBe(before + 4 * day);
  });

  it('refuses a brand that is not past due', () => {
    expect(extendGrace(subscribed(), 3, grace)).toMatchObject({ outcome: 'refused', code: 'BILLING_CHANGE_REFUSED' });
  });

  it('forgets the extension when the invoice is paid, so the next failure starts a plain grace period', () => {
    const s = pastDue();
    extendGrace(s, 5, grace);
    applyInvoicePaid(s, { invoiceId: 'in_1', currentStatus: 'paid' });
    applyPaymentFailed(s, { invoiceId: 'in_2', currentStatus: 'open' }, '2026-11-20T00:00:00.000Z');
    expect(suspendAtMs(s, grace)).toBe(Date.parse('2026-11-20T00:00:00.000Z') + grace);
  });

  it('reads state carried from before operator requests as having no extension', () => {
    const carried = { ...pastDue() } as Partial<BillingCycleState> & { customerId: string };
    delete carried.graceExtensionMs;
    expect(suspendAtMs(carried as BillingCycleState, grace)).toBe(Date.parse('2026-11-10T00:00:00.000Z') + grace);
    expect(upgradeState(carried).graceExtensionMs).toBe(0);
  });
});

describe('setSuspension', () => {
  it('suspends an active or past-due brand, and its suspension timer stops', () => {
    const s = pastDue();
    expect(setSuspension(s, true)).toEqual({ changed: true });
    expect(s.status).toBe('suspended');
    expect(suspendAtMs(s, grace)).toBeNull();
  });

  it('is not lifted by a paid invoice: only an operator resumes it', () => {
    const s = pastDue();
    setSuspension(s, true);
    expect(applyInvoicePaid(s, { invoiceId: 'in_1', currentStatus: 'paid' })).toEqual({ kind: 'noted' });
    expect(s.status).toBe('suspended');
    expect(setSuspension(s, false)).toEqual({ changed: true });
    expect(s).toMatchObject({ status: 'active', operatorSuspended: false, pastDueSince: null });
  });

  it('resumes a brand the grace period suspended', () => {
    const s = pastDue();
    s.status = 'suspended';
    expect(setSuspension(s, false)).toEqual({ changed: true });
    expect(s.status).toBe('active');
  });

  it('changes nothing when asked for the state in force', () => {
    expect(setSuspension(subscribed(), false)).toEqual({ changed: false });
    const s = subscribed();
    setSuspension(s, true);
    expect(setSuspension(s, true)).toEqual({ changed: false });
  });

  it('refuses to suspend a brand without a subscription', () => {
    expect(setSuspension(emptyBillingState('c'), true)).toMatchObject({ outcome: 'refused', code: 'BILLING_CHANGE_REFUSED' });
  });
});

describe('operator request messages', () => {
  const ok = (request: unknown) => () => validateBillingMessage({ id: 'm', request } as never);
  it.each([
    [{ kind: 'adjustment', tokens: 0, reasonCode: 'service_issue', note: null, expiresAtCycleEnd: false, actorId: 'u' }],
    [{ kind: 'adjustment', tokens: 1.5, reasonCode: 'service_issue', note: null, expiresAtCycleEnd: false, actorId: 'u' }],
    [{ kind: 'adjustment', tokens: 5, reasonCode: 'whim', note: null, expiresAtCycleEnd: false, actorId: 'u' }],
    [{ kind: 'adjustment', tokens: 5, reasonCode: 'other', note: ' ', expiresAtCycleEnd: false, actorId: 'u' }],
    [{ kind: 'adjustment', tokens: 5, reasonCode: 'fraud', note: null, expiresAtCycleEnd: false }],
    [{ kind: 'extend-grace', days: 31, reason: 'r', actorId: 'u' }],
    [{ kind: 'suspend', reason: '', actorId: 'u' }],
  ])('are refused before they enter the history when malformed: %j', (request) => {
    expect(ok(request)).toThrow();
  });

  it('accept a well-formed adjustment and suspension', () => {
    expect(ok({ kind: 'adjustment', tokens: -5, reasonCode: 'other', note: 'double charge', expiresAtCycleEnd: false, actorId: 'u' })).not.toThrow();
    expect(ok({ kind: 'unsuspend', reason: 'resolved', actorId: 'u' })).not.toThrow();
  });
});

describe('the adjustment notice', () => {
  it('says what was credited, why, and when it expires', () => {
    const { subject, text } = adjustmentNoticeText({ tokens: 1_500, reasonLabel: 'Service issue', note: 'outage on Nov 3', expiresAt: '2026-12-01T00:00:00.000Z' });
    expect(subject).toBe('1,500 tokens added to your balance');
    expect(text).toContain('Reason: Service issue (outage on Nov 3).');
    expect(text).toContain('2026-12-01 00:00 UTC');
  });

  it('says what was taken back, and the ledger reason carries the note', () => {
    expect(adjustmentNoticeText({ tokens: -20, reasonLabel: 'Billing error', note: null, expiresAt: null }).subject).toBe('20 tokens taken back from your balance');
    expect(adjustmentReasonText('other', 'duplicate')).toBe('Other: duplicate');
    expect(adjustmentReasonText('fraud', null)).toBe('Fraud');
  });
});
