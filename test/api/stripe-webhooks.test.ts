// POST /webhooks/stripe at the HTTP edge: the signature is checked against the raw body, each
// event id is stored once, and the answer comes at once (the hand-over to Temporal follows it). No purchase here has a workflow, so
// this file needs no worker (test/workflows/token-pack-purchase.test.ts covers the dispatch).
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { startApi, type TestApi } from '../support/api-server';
import { waitFor } from '../support/wait';

let api: TestApi;
let stripe: Stripe;
let secret: string;
beforeAll(async () => {
  api = await startApi();
  ({ stripe } = api.deps);
  secret = api.deps.config.stripe.webhookSecret;
});
afterAll(() => api.close());

const event = (type = 'customer.created', object: Record<string, unknown> = { id: `cus_${randomUUID().slice(0, 8)}`, object: 'customer' }) => ({
  id: `evt_${randomUUID().replace(/-/g, '')}`,
  object: 'event',
  type,
  livemode: false,
  created: Math.floor(Date.now() / 1000),
  data: { object },
});

async function post(payload: string, signature: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['stripe-signature'] = signature;
  const res = await fetch(`${api.url}/webhooks/stripe`, { method: 'POST', headers, body: payload });
  return { status: res.status, body: (await res.json()) as any };
}

const signed = (payload: string, extra: { secret?: string; timestamp?: number } = {}) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret: extra.secret ?? secret, timestamp: extra.timestamp });

async function storedEvent(id: string) {
  const rows = await api.deps.orm.em.getConnection().execute<{ type: string; processed_at: Date | null }[]>('select type, processed_at from stripe_events where id = ?', [id]);
  return rows;
}

describe('POST /webhooks/stripe', () => {
  it('refuses a signature made with another secret with 400 INVALID_SIGNATURE, storing nothing', async () => {
    const e = event();
    const payload = JSON.stringify(e);
    const res = await post(payload, signed(payload, { secret: 'whsec_someone_else' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
    expect(await storedEvent(e.id)).toHaveLength(0);
  });

  it('refuses a stale signature (older than five minutes)', async () => {
    const payload = JSON.stringify(event());
    const res = await post(payload, signed(payload, { timestamp: Math.floor(Date.now() / 1000) - 3_600 }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
  });

  it('refuses a body changed after signing', async () => {
    const payload = JSON.stringify(event());
    const res = await post(payload.replace('customer.created', 'charge.refunded'), signed(payload));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
  });

  it('refuses a request without a signature', async () => {
    const res = await post(JSON.stringify(event()), null);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
  });

  it('verifies the raw bytes, not a re-serialised body', async () => {
    const e = event();
    const payload = JSON.stringify(e, null, 3);
    const res = await post(payload, signed(payload));
    expect(res.status).toBe(200);
  });

  it('stores and acknowledges an event type this slice does not act on, within milliseconds', async () => {
    const e = event('invoice.created', { id: `in_${randomUUID().slice(0, 8)}`, object: 'invoice' });
    const payload = JSON.stringify(e);
    const started = performance.now();
    const res = await post(payload, signed(payload));
    expect(performance.now() - started).toBeLessThan(500);
    expect(res).toEqual({ status: 200, body: { received: true } });
    // Handed over after the answer, a moment later.
    const rows = await waitFor(() => storedEvent(e.id), (r) => r[0]?.processed_at != null, 5_000);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.type).toBe('invoice.created');
    expect(rows[0]!.processed_at).not.toBeNull();
  });

  it('answers a redelivered event as a duplicate', async () => {
    const payload = JSON.stringify(event());
    expect((await post(payload, signed(payload))).body).toEqual({ received: true });
    expect((await post(payload, signed(payload))).body).toEqual({ received: true, duplicate: true });
  });

  it('acknowledges a payment for a session that is not ours', async () => {
    const e = event('checkout.session.completed', { id: `cs_${randomUUID().slice(0, 8)}`, object: 'checkout.session', mode: 'subscription', metadata: { purchaseId: 'not-a-uuid' } });
    const payload = JSON.stringify(e);
    expect(await post(payload, signed(payload))).toEqual({ status: 200, body: { received: true } });
    expect(await storedEvent(e.id)).toHaveLength(1);
  });

  it('answers GET with 405', async () => {
    const res = await fetch(`${api.url}/webhooks/stripe`);
    expect(res.status).toBe(405);
  });
});
