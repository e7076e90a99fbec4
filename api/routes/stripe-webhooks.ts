// POST /webhooks/stripe: its own middleware, mounted before the JSON body parser because the
// signature covers the raw bytes. Verify, store once, answer 200; the hand-over to Temporal
// runs after the answer (stripe-relay/outbox.ts).
import type { Middleware } from 'koa';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../domain/errors';
import type { Deps } from '../deps';
import { handOverLimit, receiveStripeEvent } from '../../stripe-relay/outbox';
import type Stripe from 'stripe';
import type { AppState } from '../state';

/** Stripe events are a few KB; this is far above any of them. */
const maxBodyBytes = 512 * 1024;

async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than 512 KB.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export const stripeWebhookPath = '/webhooks/stripe';

/** The event, if `signature` signs `rawBody` with our secret within Stripe's tolerance (5 minutes). */
function verifyStripeEvent(deps: Deps, rawBody: Buffer, signature: string | undefined): Stripe.Event {
  try {
    return deps.stripe.webhooks.constructEvent(rawBody, signature ?? '', deps.config.stripe.webhookSecret);
  } catch {
    throw new AppError('INVALID_SIGNATURE', 'The Stripe-Signature header is missing, does not sign this body, or is too old.');
  }
}

/** Hand-overs to Temporal at once per API process: a burst of events waits its turn in memory. */
const maxConcurrentHandOvers = 16;

/**
 * A plain middleware rather than a second router: every other request passes with one string
 * comparison, which keeps the widget path (/v1) free of a router's matching.
 */
export function stripeWebhook(deps: Deps): Middleware<AppState> {
  const limit = handOverLimit(maxConcurrentHandOvers);
  return async function stripeWebhookMiddleware(ctx, next) {
    if (ctx.path !== stripeWebhookPath) return next();
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      throw new AppError('METHOD_NOT_ALLOWED', 'This route does not accept that method.');
    }
    const rawBody = await readRawBody(ctx.req);
    const event = verifyStripeEvent(deps, rawBody, ctx.get('stripe-signature') || undefined);
    const { duplicate } = await receiveStripeEvent(deps, event, limit);
    ctx.status = 200;
    ctx.body = duplicate ? { received: true, duplicate: true } : { received: true };
  };
}
