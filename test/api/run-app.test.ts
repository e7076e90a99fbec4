// POST /v1/apps/:slug/run through the real API, Redis and PostgreSQL, with real HTTP upstreams
// started by the test: a brand pays for a run that answers, and never for one that fails.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { refundStuckRuns, stuckAfterMs } from '../../reconciler/stuck-runs';
import { currentBalance } from '../../domain/metering/publish';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import { debit } from '../../domain/metering/scripts';
import { startApi, type TestApi } from '../support/api-server';
import { ledgerRows, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';

const pdInput = { leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } };
let upstreamMode: 'ok' | 'fail' | 'slow' = 'ok';
let upstream: Server;
let upstreamUrl: string;
let api: TestApi;
let unconfigured: TestApi;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (upstreamMode === 'fail') return void res.writeHead(500).end('{"error":"boom"}');
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tryOn: 'ok', echo: JSON.parse(body) }));
      if (upstreamMode === 'slow') setTimeout(answer, 1_000);
      else answer();
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/run`;
  api = await startApi({ AI_UPSTREAM_URLS: `virtual-try-on=${upstreamUrl}`, AI_TIMEOUT_MS: '300', AI_BREAKER_FAILURES: '2', AI_BREAKER_COOLDOWN_MS: '400' });
  unconfigured = await startApi();
});
afterAll(async () => {
  await api.close();
  await unconfigured.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});
beforeEach(() => {
  upstreamMode = 'ok';
});

function run(target: TestApi, b: MeteredBrand, slug: string, input: unknown, key = randomUUID()) {
  return fetch(`${target.url}/v1/apps/${slug}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b.apiKey}`, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as any }));
}

/** The live figure (Redis, or the ledger while nothing is cached). */
const available = async (target: TestApi, b: MeteredBrand) => (await currentBalance(target.deps.orm, target.deps.redis, b.customerId)).availableTokens;

describe('POST /v1/apps/:slug/run', () => {
  it('runs a built-in engine, charges its cost once, and replays the first result', async () => {
    const b = await meteredBrand(api, { tokens: 10 });
    const key = randomUUID();
    const first = await run(api, b, 'pd-calculator', pdInput, key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ app: 'pd-calculator', tokens: 1, remainingTokens: 9, replayed: false, result: { pdMm: 63, method: 'card' } });
    const again = await run(api, b, 'pd-calculator', pdInput, key);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    const reused = await run(api, b, 'pd-calculator', { ...pdInput, reference: { kind: 'iris', diameterPx: 60 } }, key);
    expect(reused.status).toBe(409);
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 1, sum: -1 });
  });

  it('refuses bad engine input before charging, naming the field', async () => {
    const b = await meteredBrand(api, { tokens: 10 });
    const res = await run(api, b, 'pd-calculator', { ...pdInput, reference: { kind: 'card', widthPx: 2 } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path).join(' ')).toContain('body.input.reference');
    expect(await available(api, b)).toBe(10);
  });

  it('refunds exactly the cost when no upstream is configured, and the ledger shows both entries', async () => {
    // Conversational AI has no built-in engine: only an upstream answers it.
    const b = await meteredBrand(unconfigured, { tokens: 20, apps: ['conversational-ai'] });
    const res = await run(unconfigured, b, 'conversational-ai', { message: 'hi' });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'UPSTREAM_NOT_CONFIGURED', details: { refunded: true, refundedTokens: 3 } });
    expect(await available(unconfigured, b)).toBe(20);
    await reconcileNow(unconfigured, b.customerId);
    expect(await ledgerRows(unconfigured.deps.orm, b.customerId, 'usage')).toEqual({ count: 1, sum: -3 });
    expect(await ledgerRows(unconfigured.deps.orm, b.customerId, 'refund')).toEqual({ count: 1, sum: 3 });
  });

  it('calls the configured upstream instead of the built-in engine and returns its answer', async () => {
    const b = await meteredBrand(api, { tokens: 20 });
    const res = await run(api, b, 'virtual-try-on', { frameId: 'f1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokens: 5, remainingTokens: 15, result: { tryOn: 'ok', echo: { app: 'virtual-try-on', input: { frameId: 'f1' } } } });
  });

  it('refunds a failed upstream (502) and a timed-out one (504), and replays the failure', async () => {
    const b = await meteredBrand(api, { tokens: 20 });
    upstreamMode = 'fail';
    const key = randomUUID();
    const failed = await run(api, b, 'virtual-try-on', { frameId: 'f1' }, key);
    expect(failed.status).toBe(502);
    expect(failed.body.error.details).toMatchObject({ refunded: true, refundedTokens: 5 });
    const replayed = await run(api, b, 'virtual-try-on', { frameId: 'f1' }, key);
    expect(replayed.body.error).toMatchObject({ code: 'UPSTREAM_FAILED', details: { refunded: true } });
    upstreamMode = 'ok';
    await new Promise((r) => setTimeout(r, 10));
    upstreamMode = 'slow';
    const slow = await run(api, b, 'virtual-try-on', { frameId: 'f2' });
    expect(slow.status).toBe(504);
    expect(await available(api, b)).toBe(20);
    await reconcileNow(api, b.customerId);
    expect((await ledgerRows(api.deps.orm, b.customerId, 'refund')).sum).toBe(10);
  });

  it('opens the circuit after repeated failures, refuses without charging, then half-opens and closes', async () => {
    const b = await meteredBrand(api, { tokens: 50 });
    // Start from a closed breaker whatever earlier tests left: a cooled-down trial that succeeds.
    await new Promise((r) => setTimeout(r, 450));
    expect((await run(api, b, 'virtual-try-on', {})).status).toBe(200);
    upstreamMode = 'fail';
    expect((await run(api, b, 'virtual-try-on', {})).status).toBe(502);
    expect((await run(api, b, 'virtual-try-on', {})).status).toBe(502);
    const open = await run(api, b, 'virtual-try-on', {});
    expect(open.status).toBe(503);
    expect(open.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(open.headers.get('retry-after')).toBe('1');
    expect(await available(api, b)).toBe(45);
    upstreamMode = 'ok';
    await new Promise((r) => setTimeout(r, 450));
    expect((await run(api, b, 'virtual-try-on', {})).status).toBe(200); // the half-open trial
    expect((await run(api, b, 'virtual-try-on', {})).status).toBe(200); // closed again
    expect(await available(api, b)).toBe(35);
  });

  it('refunds a run whose API process died mid-way, from what the ledger says it paid', async () => {
    const b = await meteredBrand(api, { tokens: 30 });
    const runId = randomUUID();
    const [app] = await api.deps.orm.em.getConnection().execute(`select id from apps where slug = 'virtual-try-on'`);
    await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId);
    await debit(api.deps.redis, {
      customerId: b.customerId, usageId: runId, idempotencyKey: `run:${runId}`, requestHash: 'a'.repeat(64), appId: app!.id, appSlug: 'virtual-try-on',
      costTokens: 5, nowMs: Date.now(), idempotencyTtlSeconds: 60, ratePerSecond: 1_000,
      // As the run route debits: app_runs holds the run's key, so the script skips the filter.
      archiveChecked: true,
    });
    await api.deps.orm.em.getConnection().execute(
      `insert into app_runs (id, customer_id, app_id, idempotency_key, request_hash, created_at) values (?, ?, ?, ?, ?, now() - interval '1 hour')`,
      [runId, b.customerId, app!.id, runId, 'a'.repeat(64)],
    );
    await reconcileNow(api, b.customerId);
    expect(await available(api, b)).toBe(25);
    expect(await refundStuckRuns(api.deps.orm, api.deps.redis, new Date(Date.now() + stuckAfterMs))).toBeGreaterThanOrEqual(1);
    expect(await available(api, b)).toBe(30);
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId, 'refund')).toEqual({ count: 1, sum: 5 });
    const [row] = await api.deps.orm.em.getConnection().execute('select status, error_code from app_runs where id = ?', [runId]);
    expect(row).toEqual({ status: 'refunded', error_code: 'ABANDONED' });
  });
});
