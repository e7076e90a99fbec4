// Auto top-up's crossing rule, on the billing state's own balance: a storm of debits crosses
// once, whether it arrives in one batch or in several; the watch re-arms only once a credit
// lifts the balance back above the line. No Temporal here; test/api/auto-top-up.test.ts drives
// the same rule through the workflow.
import { crossedBelow, triggerKeyOf } from '../../workflows/billing/auto-top-up-rules';
import { applyPackCredit, applyUsageBatches, availableThisCycle, emptyBillingState, type BillingCycleState } from '../../workflows/billing/state';
import { validateBillingMessage } from '../../workflows/billing/validate';

const threshold = 900;

function starter(): BillingCycleState {
  const s = emptyBillingState('c');
  s.cycle = { number: 1, startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-12-01T00:00:00.000Z', allowanceTokens: 1_000, carriedTokens: 0 };
  return s;
}

const balance = (s: BillingCycleState) => {
  const available = availableThisCycle(s);
  return available === null ? null : available - s.usage.tokens;
};

let seq = 0;
/** Applies one usage batch and says whether it crossed, as the workflow's signal handler does. */
function batch(s: BillingCycleState, tokens: number): boolean {
  const before = balance(s);
  applyUsageBatches(s, { batches: [{ seq: ++seq, uses: tokens, tokens, totals: {}, firstDebitedAt: '2026-11-02T00:00:00.000Z', lastDebitedAt: '2026-11-02T00:00:00.000Z' }] });
  return crossedBelow(before, balance(s), threshold);
}

describe('crossedBelow', () => {
  it.each([
    [1_000, 899, true],
    [900, 899, true],
    [1_000, 900, false],
    [899, 800, false],
    [800, 950, false],
    [null, 800, false],
    [1_000, null, false],
  ])('from %p to %p is a crossing: %p', (before, after, crossed) => {
    expect(crossedBelow(before, after, threshold)).toBe(crossed);
  });
});

describe('a storm of debits', () => {
  it('crosses once when the whole storm arrives in one batch', () => {
    const s = starter();
    expect(batch(s, 400)).toBe(true);
    expect(batch(s, 1)).toBe(false);
  });

  it('crosses once when it arrives as many batches, in whatever sizes', () => {
    const s = starter();
    const crossings = [30, 30, 30, 30, 30, 5, 100, 200].map((t) => batch(s, t)).filter(Boolean);
    expect(crossings).toHaveLength(1);
  });

  it('re-arms only once a credit lifts the balance back above, then crosses again', () => {
    const s = starter();
    expect(batch(s, 150)).toBe(true);
    expect(batch(s, 10)).toBe(false);
    applyPackCredit(s, { purchaseId: 'p1', tokens: 1_000 });
    expect(batch(s, 10)).toBe(false);
    expect(batch(s, 1_000)).toBe(true);
  });

  it('never crosses on a brand whose balance the workflow cannot know (no cycle, or unlimited)', () => {
    const none = emptyBillingState('c');
    expect(batch(none, 10_000)).toBe(false);
    const unlimited = starter();
    unlimited.cycle!.allowanceTokens = null;
    expect(batch(unlimited, 10_000)).toBe(false);
  });
});

describe('the crossing key and the message', () => {
  it('names the crossing by its cycle and batch, so each crossing has one purchase', () => {
    expect(triggerKeyOf('2026-11-01T00:00:00.000Z', 7)).toBe('cycle:2026-11-01T00:00:00.000Z:batch:7');
    expect(triggerKeyOf('2026-11-01T00:00:00.000Z', 7)).not.toBe(triggerKeyOf('2026-12-01T00:00:00.000Z', 7));
  });

  it('validates an auto-top-up request before it enters the history', () => {
    expect(() => validateBillingMessage({ id: 'm', request: { kind: 'auto-top-up', enabled: true, thresholdTokens: 500 } })).not.toThrow();
    expect(() => validateBillingMessage({ id: 'm', request: { kind: 'auto-top-up', enabled: false, thresholdTokens: null } })).not.toThrow();
    expect(() => validateBillingMessage({ id: 'm', request: { kind: 'auto-top-up', enabled: true, thresholdTokens: null } })).toThrow(/threshold/);
    expect(() => validateBillingMessage({ id: 'm', request: { kind: 'auto-top-up', enabled: true, thresholdTokens: 0 } })).toThrow(/threshold/);
  });
});
