// Auto top-up's rules without I/O: the month a cap counts in, the cap, the declining test cards,
// the wording of the reason, and what proves an off-session payment.
import { autoTopUpConsentText, capAllows, decliningTestPaymentMethods, disabledForDecline, monthStartUtc } from '../../domain/billing/auto-top-up';
import { intentPaid } from '../../domain/billing/pack-payment';

describe('the monthly cap', () => {
  it('counts from the first instant of the calendar month, UTC', () => {
    expect(monthStartUtc(new Date('2026-11-30T23:59:59.999Z')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(monthStartUtc(new Date('2026-12-01T00:00:00.000Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    // 23:30 on 31 December in New York is already January in UTC.
    expect(monthStartUtc(new Date('2027-01-01T04:30:00.000Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it.each([
    [0, 1, true],
    [1, 1, false],
    [2, 3, true],
    [3, 3, false],
    [4, 3, false],
  ])('%p used of a cap of %p allows one more: %p', (used, cap, allowed) => {
    expect(capAllows(used, cap)).toBe(allowed);
  });
});

describe('declines', () => {
  it("declines Stripe's documented declining test cards with their codes", () => {
    expect(decliningTestPaymentMethods.pm_card_chargeDeclined).toBe('card_declined');
    expect(decliningTestPaymentMethods.pm_card_chargeDeclinedInsufficientFunds).toBe('insufficient_funds');
    expect(decliningTestPaymentMethods.pm_card_visa).toBeUndefined();
  });

  it('says why auto top-up was turned off and what to do', () => {
    expect(disabledForDecline('card_declined', '1,000 tokens')).toMatch(/declined twice \(card_declined\) while buying 1,000 tokens\. Update the card/);
  });

  it('asks consent for an off-session charge, a pack, a threshold, a monthly cap and the right to turn it off', () => {
    expect(autoTopUpConsentText).toMatch(/without asking each time/);
    expect(autoTopUpConsentText).toMatch(/calendar month/);
    expect(autoTopUpConsentText).toMatch(/turn auto top-up off/);
  });
});

describe('intentPaid', () => {
  it('believes a succeeded PaymentIntent made for this purchase only', () => {
    expect(intentPaid({ status: 'succeeded', metadata: { purchaseId: 'p1' } }, 'p1')).toBe(true);
    expect(intentPaid({ status: 'succeeded', metadata: { purchaseId: 'p2' } }, 'p1')).toBe(false);
    expect(intentPaid({ status: 'requires_payment_method', metadata: { purchaseId: 'p1' } }, 'p1')).toBe(false);
    expect(intentPaid({ status: 'succeeded', metadata: null }, 'p1')).toBe(false);
  });
});
