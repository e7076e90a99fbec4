// Which Stripe the product bills through, decided once from the key, and whether the test-mode
// payment actions exist. config.ts asks these functions and everything else reads its answer
// (config.stripe.mode, config.stripe.testPayments), so the portal's buttons, the routes, the
// webhook's livemode check and the activities can never disagree.
export type StripeMode = 'live' | 'test';

/**
 * `live` for any key that says `_live_` (sk_live_, rk_live_ restricted keys, and any other kind
 * Stripe adds), `test` otherwise. Deciding by the `_live_` marker rather than by a list of known
 * test prefixes means an unknown key is treated as money, never as a sandbox.
 */
export function stripeKeyMode(secretKey: string): StripeMode {
  return secretKey.includes('_live_') ? 'live' : 'test';
}

/**
 * The test-payment actions (complete-test-payment, test-invoice) pay without a card, so they exist
 * only where no real money can be involved: a test key, outside production.
 */
export function testPaymentsEnabled(opts: { env: string; secretKey: string }): boolean {
  return stripeKeyMode(opts.secretKey) === 'test' && opts.env !== 'production';
}
