// The key model from outside (docs/SECURITY.md, "API keys"): publishable keys only from their
// origins, with per-visitor windows and a daily cap; secret keys without CORS; test keys that
// never touch the ledger or billing; rotation; legacy vk_ keys; the limit of keys per brand.
import { randomUUID } from 'node:crypto';
import { hashApiKey } from '../../domain/metering/api-key-secret';
import { createEmptyFilter } from '../../domain/metering/idempotency-filter';
import { meteringKeys } from '../../domain/metering/keys';
import { debit, type DebitRequest } from '../../domain/metering/scripts';
import { startApi, type TestApi } from '../support/api-server';
import { signUp, type Res, type Session } from '../support/http';
import { activateApps, grant, reconcileNow } from '../support/metering';

jest.setTimeout(60_000);

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const shop = 'https://shop.example';
const pdInput = { leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } };

interface Brand {
  customerId: string;
  admin: Session;
  /** Portal calls as the portal makes them: same origin. */
  call(method: string, path: string, body?: unknown): Promise<Res>;
  key(body: Record<string, unknown>): Promise<{ secret: string; apiKey: Record<string, any> }>;
}

async function brand(target: TestApi = api, opts: { tokens?: number; apps?: string[] } = {}): Promise<Brand> {
  const { session, user } = await signUp(target.url);
  const customerId = user.customerId as string;
  if (opts.apps?.length) await activateApps(target.deps.orm, target.deps.redis, customerId, opts.apps);
  if (opts.tokens) await grant(target, customerId, opts.tokens);
  const call = (method: string, path: string, body?: unknown) => session.request(method, path, body, { origin: target.url });
  return {
    customerId,
    admin: session,
    call,
    async key(body) {
      const res = await call('POST', '/api/api-keys', { name: 'key', ...body });
      if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

interface V1 {
  key: string | null;
  origin?: string;
  body?: unknown;
  idempotencyKey?: string;
  method?: string;
  target?: TestApi;
}

async function v1(path: string, o: V1) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': o.idempotencyKey ?? randomUUID() };
  if (o.key !== null) headers.authorization = `Bearer ${o.key}`;
  if (o.origin) headers.origin = o.origin;
  const res = await fetch(`${(o.target ?? api).url}${path}`, { method: o.method ?? 'POST', headers, body: o.method === 'GET' ? undefined : JSON.stringify(o.body ?? {}) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const consume = (key: string, o: Omit<V1, 'key'> = {}) => v1('/v1/consume', { key, body: { app: 'pd-calculator' }, ...o });

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await api.deps.orm.em.getConnection().execute<{ n: number }[]>(sql, params);
  return Number(row!.n);
}

/** Polls until the check passes: a change reaches another API process through pub/sub. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** Waits out the end of a visitor minute, so a burst is counted in one window. */
async function startOfCalmMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
}

describe('key kinds and modes', () => {
  it('gives each kind and mode its prefix', async () => {
    const b = await brand();
    const made = await Promise.all([
      b.key({ kind: 'publishable', mode: 'live', allowedOrigins: [shop] }),
      b.key({ kind: 'publishable', mode: 'test', allowedOrigins: [shop] }),
      b.key({ kind: 'secret', mode: 'live' }),
      b.key({ kind: 'secret', mode: 'test' }),
    ]);
    expect(made.map((m) => m.secret.replace(/[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/, ''))).toEqual(['vpk_live_', 'vpk_test_', 'vsk_live_', 'vsk_test_']);
    expect(made.map((m) => [m.apiKey.kind, m.apiKey.mode, m.apiKey.legacy])).toEqual([
      ['publishable', 'live', false], ['publishable', 'test', false], ['secret', 'live', false], ['secret', 'test', false],
    ]);
  });

  it('makes a key without kind or mode a secret live key', async () => {
    const b = await brand();
    const { secret, apiKey } = await b.key({ appScopes: ['pd-calculator'] });
    expect(secret).toMatch(/^vsk_live_/);
    expect(apiKey).toMatchObject({ kind: 'secret', mode: 'live', allowedOrigins: [], dailyTokenCap: null });
  });

  it('lists a publishable key whole, and a secret key never', async () => {
    const b = await brand();
    const pk = await b.key({ kind: 'publishable', allowedOrigins: [shop] });
    const sk = await b.key({ kind: 'secret' });
    const listed = JSON.stringify((await b.call('GET', '/api/api-keys')).body);
    expect(listed).toContain(pk.secret);
    expect(listed).not.toContain(sk.secret.slice(20));
  });

  it('refuses an allowed origin with a path, naming its index', async () => {
    const b = await brand();
    const res = await b.call('POST', '/api/api-keys', { name: 'k', kind: 'publishable', allowedOrigins: [shop, 'https://shop.example/checkout'] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ path: 'body.allowedOrigins.1' })]);
  });

  it.each(['shop.example', 'ftp://shop.example', 'https://*.shop.example', 'https://shop.example/', 'https://user@shop.example'])('refuses %s as an allowed origin', async (origin) => {
    const b = await brand();
    const res = await b.call('POST', '/api/api-keys', { name: 'k', kind: 'publishable', allowedOrigins: [origin] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].path).toBe('body.allowedOrigins.0');
  });

  it('refuses allowed origins on a secret key', async () => {
    const b = await brand();
    const res = await b.call('POST', '/api/api-keys', { name: 'k', kind: 'secret', allowedOrigins: [shop] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].path).toBe('body.allowedOrigins');
  });
});

describe('publishable keys', () => {
  it('work only from an allowed origin, and debit nothing otherwise', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
    const { secret } = await b.key({ kind: 'publishable', allowedOrigins: [shop] });
    const missing = await consume(secret);
    const other = await consume(secret, { origin: 'https://evil.example' });
    const lookalike = await consume(secret, { origin: 'https://shop.example.evil.example' });
    expect([missing.status, other.status, lookalike.status]).toEqual([403, 403, 403]);
    expect(new Set([missing.body.error.code, other.body.error.code, lookalike.body.error.code])).toEqual(new Set(['ORIGIN_NOT_ALLOWED']));
    const allowed = await consume(secret, { origin: shop });
    expect(allowed.status).toBe(200);
    expect(allowed.body.remainingTokens).toBe(9);
  });

  it('refuses widget-config and runs from other origins too', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
    const { secret } = await b.key({ kind: 'publishable', allowedOrigins: [shop] });
    expect((await v1('/v1/widget-config/pd-calculator', { key: secret, method: 'GET', origin: 'https://evil.example' })).body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect((await v1('/v1/apps/pd-calculator/run', { key: secret, body: { input: pdInput } })).body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect((await v1('/v1/widget-config/pd-calculator', { key: secret, method: 'GET', origin: shop })).status).toBe(200);
  });

  it('work only for their scoped apps', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator', 'frame-finder'] });
    const { secret } = await b.key({ kind: 'publishable', allowedOrigins: [shop], appScopes: ['pd-calculator'] });
    const res = await consume(secret, { origin: shop, body: { app: 'frame-finder' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('KEY_NOT_ALLOWED_FOR_APP');
  });

  it('stop working from an origin taken off the key, at once', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
    const { secret, apiKey } = await b.key({ kind: 'publishable', allowedOrigins: [shop, 'https://old.example'] });
    expect((await consume(secret, { origin: 'https://old.example' })).status).toBe(200);
    const patched = await b.call('PATCH', `/api/api-keys/${apiKey.id}`, { allowedOrigins: [shop] });
    expect(patched.status).toBe(200);
    expect(patched.body.apiKey.allowedOrigins).toEqual([shop]);
    expect((await consume(secret, { origin: 'https://old.example' })).body.error.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('limit uses per widget session and per IP, with Retry-After and nothing debited', async () => {
    const limited = await startApi({ PUBLISHABLE_USES_PER_IP_PER_MINUTE: '5', PUBLISHABLE_USES_PER_SESSION_PER_MINUTE: '2' });
    try {
      const b = await brand(limited, { tokens: 100, apps: ['pd-calculator'] });
      const { secret } = await b.key({ kind: 'publishable', allowedOrigins: [shop] });
      await startOfCalmMinute();
      const use = (sessionId: string) => consume(secret, { origin: shop, target: limited, body: { app: 'pd-calculator', sessionId } });
      const a = [await use('a'), await use('a'), await use('a')];
      expect(a.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(a[2]!.body.error).toMatchObject({ code: 'VISITOR_RATE_LIMITED', details: { scope: 'session' } });
      expect(Number(a[2]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(a[2]!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // A fresh session id does not reset the visitor's address: the IP window is the fourth and fifth use, then no more.
      const b2 = [await use('b'), await use('b'), await use('c')];
      expect(b2.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(b2[2]!.body.error.details.scope).toBe('ip');
      const balance = await b.call('GET', '/api/usage/balance');
      expect(balance.body.availableTokens).toBe(96);
    } finally {
      await limited.close();
    }
  });

  it('does not limit a secret key per visitor', async () => {
    const limited = await startApi({ PUBLISHABLE_USES_PER_IP_PER_MINUTE: '1', PUBLISHABLE_USES_PER_SESSION_PER_MINUTE: '1' });
    try {
      const b = await brand(limited, { tokens: 10, apps: ['pd-calculator'] });
      const { secret } = await b.key({ kind: 'secret' });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await consume(secret, { target: limited, body: { app: 'pd-calculator', sessionId: 's' } })).status);
      expect(statuses).toEqual([200, 200, 200]);
    } finally {
      await limited.close();
    }
  });
});

describe('daily token cap', () => {
  it('refuses the use that would pass the cap with 429 DAILY_CAP_REACHED until 00:00 UTC', async () => {
    const b = await brand(api, { tokens: 100, apps: ['frame-finder'] });
    const { secret } = await b.key({ kind: 'secret', dailyTokenCap: 5 });
    const uses = [];
    for (let i = 0; i < 3; i += 1) uses.push(await consume(secret, { body: { app: 'frame-finder' } }));
    expect(uses.map((u) => u.status)).toEqual([200, 200, 429]);
    expect(uses[2]!.body.error.code).toBe('DAILY_CAP_REACHED');
    const untilMidnight = Math.ceil((Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000 - Date.now()) / 1000);
    expect(Math.abs(Number(uses[2]!.headers.get('retry-after')) - untilMidnight)).toBeLessThanOrEqual(2);
    expect((await b.call('GET', '/api/usage/balance')).body.availableTokens).toBe(96);
  });

  it('counts only the key it is set on, and can be lifted', async () => {
    const b = await brand(api, { tokens: 100, apps: ['frame-finder'] });
    const capped = await b.key({ kind: 'secret', dailyTokenCap: 2 });
    const other = await b.key({ kind: 'secret' });
    expect((await consume(capped.secret, { body: { app: 'frame-finder' } })).status).toBe(200);
    expect((await consume(capped.secret, { body: { app: 'frame-finder' } })).status).toBe(429);
    expect((await consume(other.secret, { body: { app: 'frame-finder' } })).status).toBe(200);
    expect((await b.call('PATCH', `/api/api-keys/${capped.apiKey.id}`, { dailyTokenCap: null })).status).toBe(200);
    expect((await consume(capped.secret, { body: { app: 'frame-finder' } })).status).toBe(200);
  });
});

describe('daily token cap at midnight', () => {
  it('resets at 00:00 UTC: refused at 23:59:59.999, allowed at 00:00:00.000', async () => {
    const customerId = randomUUID();
    await api.deps.redis.hset(meteringKeys(customerId).balance, 'status', 'active', 'unlimited', '1', 'order', '');
    await createEmptyFilter(api.deps.redis, customerId);
    const use = (iso: string) => {
      const r: DebitRequest = {
        customerId, usageId: randomUUID(), idempotencyKey: randomUUID(), requestHash: 'h'.repeat(64), appId: 'app', appSlug: 'pd-calculator',
        costTokens: 1, nowMs: Date.parse(iso), idempotencyTtlSeconds: 60, ratePerSecond: 1_000, admission: { dailyCap: { apiKeyId: 'key', tokens: 2 } },
      };
      return debit(api.deps.redis, r);
    };
    expect((await use('2026-03-01T23:59:58.000Z')).kind).toBe('debited');
    expect((await use('2026-03-01T23:59:59.000Z')).kind).toBe('debited');
    expect(await use('2026-03-01T23:59:59.999Z')).toEqual({ kind: 'daily_cap_reached', spentTokens: 2, retryAfterSeconds: 1 });
    expect((await use('2026-03-02T00:00:00.000Z')).kind).toBe('debited');
  });
});

describe('cached widget configuration', () => {
  it('is answered from memory, and dropped on every API process when the brand saves a configuration', async () => {
    const other = await startApi();
    try {
      const b = await brand(api, { apps: ['pd-calculator'] });
      const { secret } = await b.key({ kind: 'secret' });
      const read = async () => (await v1('/v1/widget-config/pd-calculator', { key: secret, method: 'GET', target: other })).body.configuration.buttonText;
      const before = await read();
      // A write behind the API's back is not seen: the answer comes from the cache.
      await api.deps.orm.em.getConnection().execute(
        `update customer_apps set configuration = jsonb_set(coalesce(configuration, '{}'), '{buttonText}', '"Behind the back"') where customer_id = ?`,
        [b.customerId],
      );
      expect(await read()).toBe(before);
      await other.deps.metering.live.whenReady();
      const current = (await b.call('GET', '/api/apps/pd-calculator/configuration')).body.configuration;
      const saved = await b.call('PUT', '/api/apps/pd-calculator/configuration', { ...current, buttonText: 'Find my PD' });
      expect(saved.status).toBe(200);
      expect(before).not.toBe('Find my PD');
      expect(await eventually(async () => (await read()) === 'Find my PD')).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('secret keys and CORS', () => {
  it('give a browser no Access-Control-Allow-Origin, even on a refusal', async () => {
    const b = await brand(api, { tokens: 1, apps: ['pd-calculator'] });
    const { secret } = await b.key({ kind: 'secret' });
    const ok = await consume(secret, { origin: shop });
    const refused = await consume(secret, { origin: shop });
    expect([ok.status, refused.status]).toEqual([200, 402]);
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('let a storefront read a publishable key’s answers', async () => {
    const b = await brand(api, { tokens: 1, apps: ['pd-calculator'] });
    const { secret } = await b.key({ kind: 'publishable', allowedOrigins: [shop] });
    expect((await consume(secret, { origin: shop })).headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('test mode', () => {
  it('works before any plan, payment or activation, answers testMode: true, and never reaches the ledger, token_usage or billing', async () => {
    const b = await brand();
    const pk = await b.key({ kind: 'publishable', mode: 'test', allowedOrigins: [shop] });
    const sk = await b.key({ kind: 'secret', mode: 'test' });
    const config = await v1('/v1/widget-config/pd-calculator', { key: pk.secret, method: 'GET', origin: shop });
    const used = await consume(sk.secret, { body: { app: 'frame-finder' } });
    const ran = await v1('/v1/apps/pd-calculator/run', { key: pk.secret, origin: shop, body: { input: pdInput, sessionId: 's1' } });
    expect([config.status, used.status, ran.status]).toEqual([200, 200, 200]);
    expect([config.body.testMode, used.body.testMode, ran.body.testMode]).toEqual([true, true, true]);
    expect(ran.body.result.pdMm).toBe(63);

    expect(await reconcileNow(api, b.customerId)).toBe(0);
    expect(await api.deps.redis.xlen(meteringKeys(b.customerId).debits)).toBe(0);
    expect(await count('select count(*) as n from token_usage where customer_id = ?', [b.customerId])).toBe(0);
    expect(await count('select count(*) as n from ledger_entries where customer_id = ?', [b.customerId])).toBe(0);
    expect(await count('select count(*) as n from usage_batches where customer_id = ?', [b.customerId])).toBe(0);
    await expect(api.deps.temporal.workflow.getHandle(`billing:${b.customerId}`).describe()).rejects.toThrow(/not found/i);

    const usage = (await b.call('GET', '/api/usage/balance')).body;
    expect(usage.availableTokens).toBe(0);
    expect(usage.test.balanceTokens).toBe(usage.test.startingTokens - 3);
    expect(usage.test.apps).toEqual([{ app: 'frame-finder', uses: 1, tokens: 2 }, { app: 'pd-calculator', uses: 1, tokens: 1 }]);
  });

  it('says testMode on refusals too, and is refilled on demand by an admin', async () => {
    const small = await startApi({ SANDBOX_STARTING_TOKENS: '2' });
    try {
      const b = await brand(small);
      const { secret } = await b.key({ kind: 'secret', mode: 'test' });
      expect((await consume(secret, { target: small, body: { app: 'frame-finder' } })).status).toBe(200);
      const empty = await consume(secret, { target: small, body: { app: 'frame-finder' } });
      expect(empty.status).toBe(402);
      expect(empty.body).toMatchObject({ error: { code: 'INSUFFICIENT_TOKENS' }, testMode: true });
      const refill = await b.call('POST', '/api/sandbox/refill');
      expect(refill.status).toBe(200);
      expect(refill.body.sandbox.balanceTokens).toBe(2);
      expect((await consume(secret, { target: small, body: { app: 'frame-finder' } })).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('keeps test and live idempotency keys apart, and a live key never says testMode', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
    const live = await b.key({ kind: 'secret', mode: 'live' });
    const test = await b.key({ kind: 'secret', mode: 'test' });
    const idem = randomUUID();
    const first = await consume(test.secret, { idempotencyKey: idem });
    const second = await consume(live.secret, { idempotencyKey: idem });
    expect([first.body.replayed, second.body.replayed]).toEqual([false, false]);
    expect(second.body.testMode).toBeUndefined();
    expect(second.body.remainingTokens).toBe(9);
  });

  it('lets only an admin refill the sandbox', async () => {
    const b = await brand();
    const outsider = await fetch(`${api.url}/api/sandbox/refill`, { method: 'POST', headers: { origin: api.url } });
    expect(outsider.status).toBe(401);
    expect((await b.call('POST', '/api/sandbox/refill')).status).toBe(200);
  });
});

describe('rotation', () => {
  it('keeps the old key working for the overlap, then refuses it like a revoked one', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
    const old = await b.key({ kind: 'secret' });
    const rotated = await b.call('POST', `/api/api-keys/${old.apiKey.id}/rotate`, { overlapSeconds: 2 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).toMatch(/^vsk_live_/);
    expect(Date.parse(rotated.body.previous.expiresAt) - Date.now()).toBeLessThanOrEqual(2_000);

    expect((await consume(old.secret)).status).toBe(200);
    expect((await consume(rotated.body.secret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(rotated.body.previous.expiresAt) - Date.now() + 50));
    const late = await consume(old.secret);
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('INVALID_API_KEY');
    expect((await consume(rotated.body.secret)).status).toBe(200);
  });

  it('carries the kind, origins, scopes and cap over to the new key', async () => {
    const b = await brand();
    const old = await b.key({ kind: 'publishable', mode: 'test', allowedOrigins: [shop], appScopes: ['pd-calculator'], dailyTokenCap: 7 });
    const rotated = await b.call('POST', `/api/api-keys/${old.apiKey.id}/rotate`, {});
    expect(rotated.body.secret).toMatch(/^vpk_test_/);
    expect(rotated.body.apiKey).toMatchObject({ allowedOrigins: [shop], appScopes: ['pd-calculator'], dailyTokenCap: 7 });
  });

  it('stops the old key on another API process at once when the overlap is zero', async () => {
    const other = await startApi();
    try {
      const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
      const old = await b.key({ kind: 'secret' });
      expect((await consume(old.secret, { target: other })).status).toBe(200); // now cached there
      await other.deps.metering.live.whenReady();
      expect((await b.call('POST', `/api/api-keys/${old.apiKey.id}/rotate`, { overlapSeconds: 0 })).status).toBe(201);
      expect(await eventually(async () => (await consume(old.secret, { target: other })).status === 401)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('legacy vk_ keys', () => {
  it('keep working as secret live keys and are listed as legacy', async () => {
    const b = await brand(api, { tokens: 10, apps: ['pd-calculator'] });
    const prefix = randomUUID().replace(/-/g, '').slice(0, 12);
    const plaintext = `vk_${prefix}_${'A'.repeat(43)}`;
    await api.deps.orm.em.getConnection().execute(
      `insert into api_keys (id, customer_id, name, prefix, key_hash, legacy) values (?, ?, 'old storefront', ?, ?, true)`,
      [randomUUID(), b.customerId, prefix, hashApiKey(plaintext)],
    );
    const used = await consume(plaintext, { origin: shop });
    expect(used.status).toBe(200);
    expect(used.headers.get('access-control-allow-origin')).toBeNull();
    const listed = (await b.call('GET', '/api/api-keys')).body.apiKeys.find((k: { prefix: string }) => k.prefix === prefix);
    expect(listed).toMatchObject({ legacy: true, kind: 'secret', mode: 'live', label: 'vk_' });
  });
});

describe('keys per brand', () => {
  it('refuses a key past the limit with 409 API_KEY_LIMIT_REACHED, and allows one again after a revocation', async () => {
    const limited = await startApi({ API_KEYS_PER_BRAND: '2' });
    try {
      const b = await brand(limited);
      const first = await b.key({ kind: 'secret' });
      await b.key({ kind: 'secret' });
      const third = await b.call('POST', '/api/api-keys', { name: 'third' });
      expect(third.status).toBe(409);
      expect(third.body.error.code).toBe('API_KEY_LIMIT_REACHED');
      await b.call('DELETE', `/api/api-keys/${first.apiKey.id}`);
      expect((await b.call('POST', '/api/api-keys', { name: 'third' })).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('cannot be passed by creating keys in parallel', async () => {
    const limited = await startApi({ API_KEYS_PER_BRAND: '3' });
    try {
      const b = await brand(limited);
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => b.call('POST', '/api/api-keys', { name: `k${i}` })));
      expect(all.filter((r) => r.status === 201)).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });
});
