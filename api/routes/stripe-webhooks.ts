// POST /webhooks/stripe: its own middleware, mounted before the JSON body parser because the
// signature covers the raw bytes. Verify, store once, answer 200; the hand-over to Temporal
// runs after the answer (stripe-relay/outbox.ts). Events whose livemode is not the key's mode
// are refused before anything is stored.
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
function verifyStripeEvent(deps: Deps, rawBody: Buffer | string, signature: string | undefined): Stripe.Event {
  try {
    return deps.stripe.webhooks.constructEvent(rawBody, signature ?? '', deps.config.stripe.webhookSecret);
  } catch {
    throw new AppError('INVALID_SIGNATURE', 'The Stripe-Signature header is missing, does not sign this body, or is too old.');
  }
}

/**
 * A live key takes only live events and a test key only test events: an event of the other mode
 * was signed for another endpoint or forged, and what it names (customers, sessions,
 * subscriptions) does not exist in the Stripe we bill through. stripe-mock's objects and our
 * test events say `livemode: false`, as Stripe's test mode does.
 */
function assertLivemode(deps: Deps, event: Stripe.Event): void {
  const live = deps.config.stripe.mode === 'live';
  if ((event.livemode === true) === live) return;
  throw new AppError('LIVEMODE_MISMATCH', `This endpoint takes ${live ? 'live' : 'test'}-mode events only; the event says livemode ${String(event.livemode)}.`, { livemode: event.livemode ?? null });
}

/** Hand-overs to Temporal at once per API process: a burst of events waits its turn in memory. */
const maxConcurrentHandOvers = 16;

/** One limit per API (per deps), shared by the webhook route and the in-process test payments. */
const limits = new WeakMap<Deps, ReturnType<typeof handOverLimit>>();
function limitOf(deps: Deps): ReturnType<typeof handOverLimit> {
  let limit = limits.get(deps);
  if (!limit) {
    limit = handOverLimit(maxConcurrentHandOvers);
    limits.set(deps, limit);
  }
  return limit;
}

/**
 * What POST /webhooks/stripe does with a body: verify the signature and the mode, store the event
 * once, and start its hand-over to Temporal without waiting for it. The test payments hand their
 * signed payloads here in-process, so they take exactly the production path without any HTTP.
 */
export async function acceptStripeEvent(deps: Deps, rawBody: Buffer | string, signature: string | undefined): Promise<{ eventId: string; duplicate: boolean }> {
  const event = verifyStripeEvent(deps, rawBody, signature);
  assertLivemode(deps, event);
  const { duplicate } = await receiveStripeEvent(deps, event, limitOf(deps));
  return { eventId: event.id, duplicate };
}

/**
 * A plain middleware rather than a second router: every other request passes with one string
 * comparison, which keeps the widget path (/v1) free of a router's matching.
 */
export function stripeWebhook(deps: Deps): Middleware<AppState> {
  return async function stripeWebhookMiddleware(ctx, next) {
    if (ctx.path !== stripeWebhookPath) return next();
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      throw new AppError('METHOD_NOT_ALLOWED', 'This route does not accept that method.');
    }
    const rawBody = await readRawBody(ctx.req);
    const { duplicate } = await acceptStripeEvent(deps, rawBody, ctx.get('stripe-signature') || undefined);
    ctx.status = 200;
    ctx.body = duplicate ? { received: true, duplicate: true } : { received: true };
  };
}
