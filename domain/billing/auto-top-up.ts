// Auto top-up's rules that need no I/O: the consent wording and its version, the packs and caps
// an admin may choose, the calendar month a cap counts in, and how many times one purchase may
// try the card. Imported by the API, the activities and the portal's copy of the wording.

/** Bumped whenever the wording below changes: a consent names the version its admin read. */
export const autoTopUpConsentVersion = 'auto-top-up-consent-v1';

export const autoTopUpConsentText =
  'I authorise VARAi to charge this brand’s saved payment method, without asking each time, for the token pack chosen here ' +
  'whenever the token balance falls below the chosen threshold, at most the chosen number of times per calendar month (UTC). ' +
  'Each purchase is charged at the pack’s listed price and receipted by email. Any admin can turn auto top-up off at any time on the Billing page.';

/** The packs auto top-up may buy, by lookup key (the same three as the manual purchase). */
export const autoTopUpPacks = ['tokens_1k', 'tokens_5k', 'tokens_10k'] as const;
export type AutoTopUpPack = (typeof autoTopUpPacks)[number];

/** A cap is required: at least one purchase a month, and never more than this many. */
export const monthlyCapLimits = { min: 1, max: 20 } as const;
/** The threshold is a balance in tokens; above a million it is a typo, not a choice. */
export const thresholdLimits = { min: 1, max: 1_000_000 } as const;

/** The first instant of `now`'s calendar month, UTC: the cap counts purchases from here. */
export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Whether one more purchase fits under the cap, given those already made this month. */
export function capAllows(usedThisMonth: number, monthlyCap: number): boolean {
  return usedThisMonth < monthlyCap;
}

/**
 * Stripe's test payment methods that decline (https://docs.stripe.com/testing#declined-payments).
 * Real Stripe test mode declines them itself; stripe-mock answers every charge with one canned
 * object, so in test mode the activity declines them as Stripe would, and tests can provoke a
 * decline by saving one of them as the brand's card.
 */
export const decliningTestPaymentMethods: Record<string, string> = {
  pm_card_chargeDeclined: 'card_declined',
  pm_card_visa_chargeDeclined: 'card_declined',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_chargeDeclinedExpiredCard: 'expired_card',
};

/** Why auto top-up was turned off after the card was declined twice, as the brand reads it. */
export function disabledForDecline(declineCode: string, packName: string): string {
  return `Turned off after the saved card was declined twice (${declineCode}) while buying ${packName}. Update the card in the billing portal, then turn auto top-up on again.`;
}
