// Stripe is reached over the network on some requests; when it is down or slow the caller
// gets 503 SERVICE_UNAVAILABLE with a message it may show, never a 500.
import Stripe from 'stripe';
import { AppError } from '../errors';

/** Network failures, Stripe's own 5xx and its rate limit: transient, worth retrying later. */
export function isStripeOutage(err: unknown): boolean {
  if (!(err instanceof Stripe.errors.StripeError)) return false;
  return (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    (err.statusCode ?? 0) >= 500
  );
}

/**
 * Runs one Stripe call and turns an outage into SERVICE_UNAVAILABLE. Other Stripe errors
 * (a bad key, a malformed request) are our bugs: they stay unmapped, so they are logged.
 */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isStripeOutage(err)) {
      throw new AppError('SERVICE_UNAVAILABLE', `Stripe, our billing provider, cannot be reached right now (${what}). Try again in a minute.`);
    }
    throw err;
  }
}
