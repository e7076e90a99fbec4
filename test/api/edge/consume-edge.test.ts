// The widget edge (api/edge/consume.ts) answers POST /v1/consume outside koa. Every answer it
// gives must be the one koa's chain gives: the same request, sent to a server with the edge and
// to one with koa alone (app.callback()), on the same dependencies and on brands set up alike,
// must get the same status, body and headers. Each case also says which path answered, so a
// case the edge silently handed to koa cannot pass for an edge case.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../../api/app';
import { consumeEdge, edgeTakes } from '../../../api/edge/consume';
import { consumeRoutes } from '../../../api/routes/consume';
import { startApi, type TestApi } from '../../support/api-server';
import { signUp, type Session } from '../../support/http';
import { activateApps, grant } from '../../support/metering';

jest.setTimeout(60_000);

let api: TestApi;
const servers: Server[] = [];
let edgeUrl = '';
let koaUrl = '';
let taken = 0;
let latency: ReturnType<typeof createApp>['metrics']['latency'];

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  api = await startApi();
  const { app, metrics } = createApp(api.deps);
  latency = metrics.latency;
  const viaKoa = app.callback();
  const edge = consumeEdge({ deps: api.deps, koa: app, latency: metrics.latency, route: consumeRoutes[0]! });
  edgeUrl = await serve((req, res) => {
    if (edge(req, res)) taken++;
    else void viaKoa(req, res);
  });
  koaUrl = await serve((req, res) => void viaKoa(req, res));
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await api.close();
});

const shop = 'https://shop.example';

interface Side {
  customerId: string;
  admin: Session;
  key(body?: Record<string, unknown>): Promise<string>;
}

/** A brand with pd-calculator active and `tokens`, one per side, set up alike. */
async function side(tokens: number): Promise<Side> {
  const { session, user } = await signUp(api.url);
  const customerId = user.customerId as string;
  await activateApps(api.deps.orm, api.deps.redis, customerId, ['pd-calculator']);
  if (tokens > 0) await grant(api, customerId, tokens);
  return {
    customerId,
    admin: session,
    async key(body = {}) {
      const res = await session.request('POST', '/api/api-keys', { name: 'k', ...body }, { origin: api.url });
      if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.secret as string;
    },
  };
}

interface Sent {
  body?: string | Buffer;
  headers?: Record<string, string>;
  path?: string;
}

/** What a client can tell apart, with the values that are new on every request masked. */
async function send(base: string, o: Sent) {
  const res = await fetch(`${base}${o.path ?? '/v1/consume'}`, { method: 'POST', headers: o.headers, body: o.body });
  const text = await res.text();
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id', 'content-length', 'connection', 'keep-alive'].includes(name)));
  const body = JSON.parse(text, (k, v) => (k === 'usageId' || k === 'requestId' ? typeof v : v));
  return { status: res.status, headers, body };
}

/** The same request to both servers (built per side by `make`); both answers, and whether the edge took it. */
async function both(make: (s: 'edge' | 'koa') => Promise<Sent> | Sent) {
  const before = taken;
  const edge = await send(edgeUrl, await make('edge'));
  const byEdge = taken > before;
  const koa = await send(koaUrl, await make('koa'));
  expect(edge).toEqual(koa);
  return { ...edge, byEdge };
}

const json = (key: string | null, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  'idempotency-key': randomUUID(),
  ...(key ? { authorization: `Bearer ${key}` } : {}),
  ...extra,
});

describe('the widget edge answers /v1/consume as koa does', () => {
  let brands: Record<'edge' | 'koa', Side>;
  let keys: Record<'edge' | 'koa', string>;
  beforeAll(async () => {
    brands = { edge: await side(100), koa: await side(100) };
    keys = { edge: await brands.edge.key(), koa: await brands.koa.key() };
  });

  it('a debit, with the security headers and no CORS for a secret key', async () => {
    const res = await both((s) => ({ headers: json(keys[s]), body: JSON.stringify({ app: 'pd-calculator', sessionId: 'v1' }) }));
    expect(res).toMatchObject({ status: 200, byEdge: true, body: { usageId: 'string', app: 'pd-calculator', tokens: 1, replayed: false } });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a replay, and a key reused with another body', async () => {
    const idem = { edge: randomUUID(), koa: randomUUID() };
    const first = (s: 'edge' | 'koa') => ({ headers: json(keys[s], { 'idempotency-key': idem[s] }), body: JSON.stringify({ app: 'pd-calculator' }) });
    await both(first);
    expect(await both(first)).toMatchObject({ status: 200, byEdge: true, body: { replayed: true } });
    const reused = await both((s) => ({ headers: json(keys[s], { 'idempotency-key': idem[s] }), body: JSON.stringify({ app: 'pd-calculator', sessionId: 'x' }) }));
    expect(reused).toMatchObject({ status: 409, byEdge: true, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
  });

  it.each([
    ['no key', null, 401, 'INVALID_API_KEY'],
    ['an unknown key', 'vsk_live_nope', 401, 'INVALID_API_KEY'],
  ])('%s: %i %s, readable by a page', async (_name, key, status, code) => {
    const res = await both(() => ({ headers: json(key), body: JSON.stringify({ app: 'pd-calculator' }) }));
    expect(res).toMatchObject({ status, byEdge: true, body: { error: { code, requestId: 'string' } } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it.each([
    ['truncated JSON', '{"app":'],
    ['a JSON string, not an object', '"pd-calculator"'],
    ['a __proto__ key', '{"app":"pd-calculator","__proto__":{"admin":true}}'],
  ])('%s: 400 INVALID_JSON', async (_name, body) => {
    const res = await both((s) => ({ headers: json(keys[s]), body }));
    expect(res).toMatchObject({ status: 400, byEdge: true, body: { error: { code: 'INVALID_JSON' } } });
  });

  it('a body with a byte-order mark is read as the body parser reads it', async () => {
    const res = await both((s) => ({ headers: json(keys[s]), body: `\uFEFF${JSON.stringify({ app: 'pd-calculator' })}` }));
    expect(res).toMatchObject({ status: 200, byEdge: true });
  });

  it.each([
    ['no app', {}, {}, 'body.app'],
    ['an app slug with capitals', { app: 'PD' }, {}, 'body.app'],
    ['metadata over 4 KB', { app: 'pd-calculator', metadata: { x: 'y'.repeat(5_000) } }, {}, 'body.metadata'],
    ['a NUL in the session id', { app: 'pd-calculator', sessionId: 'a\u0000b' }, {}, 'body.sessionId'],
    ['an Idempotency-Key with a tab', { app: 'pd-calculator' }, { 'idempotency-key': 'a\tb' }, 'header.idempotency-key'],
  ])('%s: 422 VALIDATION_FAILED naming the field', async (_name, body, extra, field) => {
    const res = await both((s) => ({ headers: json(keys[s], extra), body: JSON.stringify(body) }));
    expect(res).toMatchObject({ status: 422, byEdge: true, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it('a missing Idempotency-Key: 422', async () => {
    const res = await both((s) => {
      const headers = json(keys[s]);
      delete (headers as Record<string, string>)['idempotency-key'];
      return { headers, body: JSON.stringify({ app: 'pd-calculator' }) };
    });
    expect(res).toMatchObject({ status: 422, byEdge: true, body: { error: { code: 'VALIDATION_FAILED' } } });
  });

  it('an unknown app (404) and an app the brand has not activated (403)', async () => {
    expect(await both((s) => ({ headers: json(keys[s]), body: JSON.stringify({ app: 'no-such-app' }) }))).toMatchObject({ status: 404, byEdge: true, body: { error: { code: 'UNKNOWN_APP' } } });
    expect(await both((s) => ({ headers: json(keys[s]), body: JSON.stringify({ app: 'virtual-try-on' }) }))).toMatchObject({ status: 403, byEdge: true, body: { error: { code: 'APP_NOT_ACTIVE' } } });
  });

  it('out of tokens: 402 with the hint and the portal page', async () => {
    const empty = { edge: await side(0), koa: await side(0) };
    const k = { edge: await empty.edge.key(), koa: await empty.koa.key() };
    const res = await both((s) => ({ headers: json(k[s]), body: JSON.stringify({ app: 'pd-calculator' }) }));
    expect(res).toMatchObject({ status: 402, byEdge: true, body: { error: { code: 'INSUFFICIENT_TOKENS', details: { costTokens: 1, portalUrl: expect.any(String) } } } });
  });

  it('a publishable key: CORS on its answers, refused from another origin', async () => {
    const pk = { edge: await brands.edge.key({ kind: 'publishable', allowedOrigins: [shop] }), koa: await brands.koa.key({ kind: 'publishable', allowedOrigins: [shop] }) };
    const ok = await both((s) => ({ headers: json(pk[s], { origin: shop }), body: JSON.stringify({ app: 'pd-calculator' }) }));
    expect(ok).toMatchObject({ status: 200, byEdge: true });
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    const refused = await both((s) => ({ headers: json(pk[s], { origin: 'https://evil.example' }), body: JSON.stringify({ app: 'pd-calculator' }) }));
    expect(refused).toMatchObject({ status: 403, byEdge: true, body: { error: { code: 'ORIGIN_NOT_ALLOWED', details: { origin: 'https://evil.example' } } } });
    const noOrigin = await both((s) => ({ headers: json(pk[s]), body: JSON.stringify({ app: 'pd-calculator' }) }));
    expect(noOrigin).toMatchObject({ status: 403, byEdge: true, body: { error: { code: 'ORIGIN_NOT_ALLOWED', details: { origin: null } } } });
  });

  it('a test key: testMode on the debit and on a refusal', async () => {
    const tk = { edge: await brands.edge.key({ mode: 'test' }), koa: await brands.koa.key({ mode: 'test' }) };
    expect(await both((s) => ({ headers: json(tk[s]), body: JSON.stringify({ app: 'pd-calculator' }) }))).toMatchObject({ status: 200, byEdge: true, body: { testMode: true } });
    expect(await both((s) => ({ headers: json(tk[s]), body: JSON.stringify({ app: 'nope' }) }))).toMatchObject({ status: 404, byEdge: true, body: { testMode: true } });
  });

  it("keeps the caller's X-Request-Id", async () => {
    // Both sides, so the two brands' balances stay alike for the cases after this one.
    for (const [base, key] of [[edgeUrl, keys.edge], [koaUrl, keys.koa]] as const) {
      const res = await fetch(`${base}/v1/consume`, { method: 'POST', headers: json(key, { 'x-request-id': 'trace-42' }), body: JSON.stringify({ app: 'pd-calculator' }) });
      expect(res.headers.get('x-request-id')).toBe('trace-42');
      expect(((await res.json()) as { usageId: unknown }).usageId).toEqual(expect.any(String));
    }
  });

  it('counts its answers in the latency histogram under the route template and the status they leave with, as koa does', async () => {
    const count = async (route: string, status: string) =>
      (await latency.get()).values.find((v) => v.metricName === 'http_request_duration_seconds_count' && v.labels.route === route && v.labels.status === status)?.value ?? 0;
    // Both servers count into the one histogram here: each request must add one to the same label set.
    for (const base of [edgeUrl, koaUrl]) {
      const key = base === edgeUrl ? keys.edge : keys.koa;
      const before = [await count('/v1/consume', '200'), await count('/v1/consume', '401'), await count('static', '400')];
      await send(base, { headers: json(key), body: JSON.stringify({ app: 'pd-calculator' }) });
      await send(base, { headers: json('vsk_live_nope'), body: JSON.stringify({ app: 'pd-calculator' }) });
      await send(base, { headers: json(key), body: '{' });
      expect([await count('/v1/consume', '200'), await count('/v1/consume', '401'), await count('static', '400')]).toEqual(before.map((n) => n + 1));
    }
  });

  it.each([
    ['a compressed body', (s: 'edge' | 'koa') => ({ headers: json(keys[s], { 'content-encoding': 'gzip' }), body: gzipSync(JSON.stringify({ app: 'pd-calculator' })) }), 200],
    ['another charset', (s: 'edge' | 'koa') => ({ headers: json(keys[s], { 'content-type': 'application/json; charset=latin1' }), body: JSON.stringify({ app: 'pd-calculator' }) }), 200],
    ['a query string', (s: 'edge' | 'koa') => ({ path: '/v1/consume?x=1', headers: json(keys[s]), body: JSON.stringify({ app: 'pd-calculator' }) }), 200],
    ['text/plain', (s: 'edge' | 'koa') => ({ headers: json(keys[s], { 'content-type': 'text/plain' }), body: JSON.stringify({ app: 'pd-calculator' }) }), 415],
    ['an empty body', (s: 'edge' | 'koa') => ({ headers: json(keys[s]), body: '' }), 422],
  ])('%s is left to koa, and answered the same', async (_name, make, status) => {
    const res = await both(make);
    expect(res).toMatchObject({ status, byEdge: false });
  });
});

describe('a client that goes away mid-body', () => {
  it('gets no answer and debits nothing, and the edge keeps serving', async () => {
    const brand = await side(10);
    const key = await brand.key();
    const { port } = new URL(edgeUrl);
    const before = taken;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        const body = JSON.stringify({ app: 'pd-calculator' });
        socket.write(
          `POST /v1/consume HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}\r\n` +
            `Idempotency-Key: ${randomUUID()}\r\nContent-Length: ${body.length + 10}\r\n\r\n${body}`,
        );
        // The edge has the request (headers and part of the body) once it is counted as taken.
        const wait = setInterval(() => {
          if (taken === before) return;
          clearInterval(wait);
          socket.destroy();
          resolve();
        }, 5);
      });
      socket.on('error', reject);
    });
    const after = await send(edgeUrl, { headers: json(key), body: JSON.stringify({ app: 'pd-calculator' }) });
    expect(after).toMatchObject({ status: 200, body: { remainingTokens: 9 } });
  });
});

describe('edgeTakes', () => {
  const req = (o: { method?: string; url?: string; headers?: Record<string, string> }) =>
    ({ method: o.method ?? 'POST', url: o.url ?? '/v1/consume', headers: { 'content-type': 'application/json', 'content-length': '20', ...o.headers } }) as unknown as IncomingMessage;

  it('takes a JSON POST to /v1/consume with a length within the limit', () => {
    expect(edgeTakes(req({}))).toBe(true);
    expect(edgeTakes(req({ headers: { 'content-type': 'application/json; charset=UTF-8' } }))).toBe(true);
    expect(edgeTakes(req({ headers: { origin: shop, 'sec-fetch-site': 'cross-site' } }))).toBe(true);
  });

  it.each([
    ['another method', { method: 'PUT' }],
    ['another path', { url: '/v1/apps/pd-calculator/run' }],
    ['a query string', { url: '/v1/consume?a=1' }],
    ['no length (chunked)', { headers: { 'content-length': '' } }],
    ['a body over 64 KB', { headers: { 'content-length': String(64 * 1024 + 1) } }],
    ['a compressed body', { headers: { 'content-encoding': 'br' } }],
    ['another media type', { headers: { 'content-type': 'application/vnd.api+json' } }],
    ['a same-origin call without Origin', { headers: { 'sec-fetch-site': 'same-origin' } }],
  ])('leaves %s to koa', (_name, o) => {
    expect(edgeTakes(req(o))).toBe(false);
  });
});
