// POST /webhooks/stripe: its own router, mounted before the JSON body parser because the
// signature covers the raw bytes. Verify, store once, hand to Temporal, answer 200.
import Router from '@koa/router';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../domain/errors';
import type { Deps } from '../deps';
import { receiveStripeEvent, verifyStripeEvent } from '../stripe-dispatch';
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

export function stripeWebhookRouter(deps: Deps): Router<AppState> {
  const router = new Router<AppState>();
  router.post('/webhooks/stripe', async function stripeWebhook(ctx) {
    const rawBody = await readRawBody(ctx.req);
    const event = verifyStripeEvent(deps, rawBody, ctx.get('stripe-signature') || undefined);
    const { duplicate } = await receiveStripeEvent(deps, event);
    ctx.status = 200;
    ctx.body = duplicate ? { received: true, duplicate: true } : { received: true };
  });
  return router;
}
