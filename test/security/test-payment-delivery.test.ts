// Issue 11, item 2: a test payment delivers its signed events to our own webhook code in the
// process, never over HTTP to the host the request named: a forged Host header reaches no other
// server, and nothing a remote server answers is echoed to the caller.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { taskQueues } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { billingOf, startBillingStack, type BillingStack } from '../support/billing';
import { signUp, type Session } from '../support/http';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let api: TestApi;
let trap: { server: Server; port: number; requests: { method?: string; url?: string; headers: IncomingHttpHeaders }[] };

beforeAll(async () => {
  stack = await startBillingStack([taskQueues.tokenPacks]);
  api = stack.api;
  // The host an attacker names: it records whatever reaches it and answers like a webhook would.
  const requests: typeof trap.requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  trap = { server, port: (server.address() as AddressInfo).port, requests };
});

afterAll(async () => {
  await new Promise((resolve) => trap.server.close(resolve));
  await stack.stop();
});

/** POST as the admin's browser would, but with the Host and X-Forwarded-* headers an attacker picks. */
function postWithHost(session: Session, path: string, host: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const { port } = new URL(api.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          host,
          'x-forwarded-host': host,
          'x-forwarded-proto': 'http',
          origin: `http://${host}`,
          'sec-fetch-site': 'same-origin',
          cookie: `varai_session=${session.cookie('varai_session')}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The events' hand-overs finished: nothing is left for another file's relay pass when this file's API closes. */
async function handedOver(eventIds: string[]): Promise<void> {
  const conn = api.deps.orm.em.fork().getConnection();
  const pending = () => conn.execute<{ id: string }[]>('select id from stripe_events where id in (?) and processed_at is null', [eventIds]);
  expect(await waitFor(pending, (rows) => rows.length === 0)).toEqual([]);
}

const purchaseStatus = async (session: Session, id: string) => (await session.get(`/api/billing/token-packs/${id}`)).body.purchase.status as string;

describe('a test payment', () => {
  beforeEach(() => {
    trap.requests.length = 0;
  });

  it('pays a pack in-process: a forged Host reaches no other server and no remote status is echoed', async () => {
    const { session } = await signUp(api.url);
    const bought = await session.post('/api/billing/token-packs', { pack: 'tokens_1k' });
    expect(bought.status).toBe(201);
    const id = bought.body.purchase.id as string;
    const res = await postWithHost(session, `/api/billing/token-packs/${id}/complete-test-payment`, `127.0.0.1:${trap.port}`);
    expect(trap.requests).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('webhookStatus');
    expect(await waitFor(() => purchaseStatus(session, id), (s) => s === 'credited')).toBe('credited');
    await handedOver([res.body.eventId as string]);
  });

  it('pays a subscription and reports an invoice in-process, whatever Host the request names', async () => {
    const { session } = await signUp(api.url);
    const chosen = await session.post('/api/billing/subscription', { plan: 'starter' });
    expect(chosen.body.outcome).toBe('checkout');
    const paid = await postWithHost(session, '/api/billing/subscription/complete-test-payment', `127.0.0.1:${trap.port}`);
    expect(paid.status).toBe(200);
    expect(paid.body).not.toHaveProperty('webhookStatuses');
    const billing = await waitFor(() => billingOf(session), (b) => b.status === 'active');
    expect(billing.plan?.lookupKey).toBe('starter');
    const invoice = await postWithHost(session, '/api/billing/subscription/test-invoice', `127.0.0.1:${trap.port}`, { outcome: 'payment_failed' });
    expect(invoice.status).toBe(200);
    expect((await waitFor(() => billingOf(session), (b) => b.status === 'past_due')).status).toBe('past_due');
    expect(trap.requests).toEqual([]);
    await handedOver([...(paid.body.eventIds as string[]), ...(invoice.body.eventIds as string[])]);
  });
});
