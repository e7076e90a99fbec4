// Usage anomaly alerts on the real stack: a spike replayed through /v1/consume and the
// reconciler raises one brand notice and one operator alert with the numbers; a brand that
// chose so gets the key paused (403 API_KEY_PAUSED) until an admin resumes it; a steady ramp
// raises nothing; a 4xx flood from one key and IP is told too. Minutes before the replay are
// injected as counts (the evaluation takes any minute), so no test waits for hours.
import pino from 'pino';
import { anomalyKeys, countFields, minuteOf } from '../../domain/anomaly/counts';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import { recordNotice } from '../../domain/notify/notice';
import { raiseOperatorAlert } from '../../domain/operator/alerts';
import { Reconciler } from '../../reconciler/debit-reconciler';
import { AnomalyWatch, evaluationLagMs } from '../../reconciler/anomaly-watch';
import { startApi, type TestApi } from '../support/api-server';
import { consume, meteredBrand, type MeteredBrand } from '../support/metering';
import { waitFor } from '../support/wait';

let api: TestApi;
let watch: AnomalyWatch;
let reconciler: Reconciler;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  api = await startApi({ CONSUME_RATE_PER_SECOND: '1000000' });
  await api.deps.metering.live.whenReady();
  const { orm, redis } = api.deps;
  watch = new AnomalyWatch({ orm, redis, logger, notify: (n) => recordNotice(orm, n), alertOperators: (a) => raiseOperatorAlert(orm, a) });
  reconciler = new Reconciler(orm, redis, api.deps.config.metering, logger);
});
afterAll(() => api.close());

const sql = <R = Record<string, unknown>>(q: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute<R[]>(q, params);

async function keyIdOf(b: MeteredBrand): Promise<string> {
  const [row] = await sql<{ id: string }>('select id from api_keys where customer_id = ?', [b.customerId]);
  return row!.id;
}

/** Injects a minute's uses for the brand and its key, as the reconciler counts them. */
async function injectUses(customerId: string, keyId: string, minute: number, uses: number) {
  const key = anomalyKeys.counts(customerId, minute);
  await api.deps.redis.hset(key, countFields.brandUses, uses, countFields.keyUses(keyId), uses);
  await api.deps.redis.expire(key, 7_200);
  await api.deps.redis.sadd(anomalyKeys.active(minute), customerId);
}

/** Two hours of a steady 10 uses a minute, ending just before `beforeMinute`, each minute evaluated in order. */
async function warmBaseline(b: MeteredBrand, keyId: string, beforeMinute: number, minutes = 120, perMinute = () => 10) {
  for (let m = beforeMinute - minutes; m < beforeMinute; m += 1) {
    await injectUses(b.customerId, keyId, m, perMinute());
    await watch.evaluate(m);
  }
}

/** Not in a minute's last seconds: the replay's uses all land in one minute. */
async function startOfAMinute(): Promise<number> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
  return minuteOf(Date.now());
}

async function replaySpike(b: MeteredBrand, uses: number): Promise<number> {
  const minute = await startOfAMinute();
  // The burst must meet a cached balance: on a busy machine, hundreds of requests racing to
  // rebuild it get 503 BALANCE_UNAVAILABLE (retry later), which is not what this test is about.
  await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId);
  const results = await Promise.all(Array.from({ length: uses }, () => consume(api, b.apiKey, { app: 'pd-calculator' })));
  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  // The reconciler's own pass writes the minute's counts: nothing extra happened on /v1/consume.
  const counted = await waitFor(
    async () => {
      await reconciler.tick();
      return Number(await api.deps.redis.hget(anomalyKeys.counts(b.customerId, minute), countFields.brandUses));
    },
    (n) => n >= uses,
    20_000,
  );
  expect(counted).toBe(uses);
  return minute;
}

const noticesOf = (customerId: string) => sql<{ kind: string; subject: string; body: string }>(`select kind, subject, body from notifications where customer_id = ? and kind = 'usage.anomaly'`, [customerId]);
const alertsOf = (customerId: string) => sql<{ kind: string; text: string; details: Record<string, unknown> }>('select kind, text, details from operator_alerts where customer_id = ?', [customerId]);

describe('usage anomaly alerts', () => {
  it('tells the admins and the operators once, with the rate, baseline and threshold, about a replayed spike', async () => {
    const b = await meteredBrand(api, { tokens: 100_000 });
    const keyId = await keyIdOf(b);
    const now = minuteOf(Date.now());
    await warmBaseline(b, keyId, now);
    const minute = await replaySpike(b, 300);
    const findings = await watch.evaluate(minute);
    await watch.evaluate(minute + 1);

    expect(findings.filter((f) => f.customerId === b.customerId).map((f) => [f.kind, f.scope, f.rate])).toEqual([['usage-spike', 'key', 300]]);
    const notices = await noticesOf(b.customerId);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatch(/300 uses in the minute from .*; usual rate \d+(\.\d)? a minute .* alarm threshold 120 a minute/);
    const alerts = await alertsOf(b.customerId);
    expect(alerts.map((a) => a.kind)).toEqual(['usage-spike']);
    expect(alerts[0]!.details).toMatchObject({ scope: 'key', apiKeyId: keyId, rate: 300, threshold: 120, paused: false });
    // The key keeps working: this brand did not choose to pause keys.
    expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
  });

  it('pauses the key of a brand that chose so: 403 API_KEY_PAUSED until an admin resumes it, both audited', async () => {
    const b = await meteredBrand(api, { tokens: 100_000 });
    const keyId = await keyIdOf(b);
    expect((await b.admin.put('/api/anomaly-settings', { pauseKeysOnAnomaly: true })).body).toEqual({ pauseKeysOnAnomaly: true });
    await warmBaseline(b, keyId, minuteOf(Date.now()));
    const minute = await replaySpike(b, 300);
    await watch.evaluate(minute);

    const refused = await waitFor(() => consume(api, b.apiKey, { app: 'pd-calculator' }), (r) => r.status === 403, 5_000);
    expect(refused.body.error.code).toBe('API_KEY_PAUSED');
    const listed = await b.admin.get('/api/api-keys');
    expect(listed.body.apiKeys[0].pausedAt).not.toBeNull();
    expect(listed.body.apiKeys[0].pausedReason).toMatch(/^Usage spike: 300 uses in the minute from \d\d:\d\d UTC \(alarm above 120\)$/);
    expect((await alertsOf(b.customerId))[0]!.details).toMatchObject({ paused: true });
    expect((await noticesOf(b.customerId))[0]!.body).toContain('The key is paused');

    const resumed = await b.admin.post(`/api/api-keys/${keyId}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body.apiKey.pausedAt).toBeNull();
    expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
    const audit = await sql<{ action: string; actor_kind: string }>(
      `select action, actor_kind from audit_log where customer_id = ? and action in ('api_key.paused', 'api_key.resumed', 'anomaly_settings.updated') order by created_at`,
      [b.customerId],
    );
    expect(audit).toEqual([
      { action: 'anomaly_settings.updated', actor_kind: 'user' },
      { action: 'api_key.paused', actor_kind: 'system' },
      { action: 'api_key.resumed', actor_kind: 'user' },
    ]);
  });

  it('raises nothing for a steady ramp of +5 % a minute for an hour', async () => {
    const b = await meteredBrand(api, { tokens: 1_000 });
    const keyId = await keyIdOf(b);
    const start = minuteOf(Date.now()) - 240;
    await warmBaseline(b, keyId, start + 120, 120, () => 100);
    const found = [];
    for (let i = 0; i < 60; i += 1) {
      await injectUses(b.customerId, keyId, start + 120 + i, Math.round(100 * 1.05 ** i));
      found.push(...(await watch.evaluate(start + 120 + i)).filter((f) => f.customerId === b.customerId));
    }
    expect(found).toEqual([]);
    expect(await noticesOf(b.customerId)).toEqual([]);
    expect(await alertsOf(b.customerId)).toEqual([]);
  });

  it('tells of a 4xx flood from one key and its IP', async () => {
    const b = await meteredBrand(api, { tokens: 1_000 });
    const keyId = await keyIdOf(b);
    const minute = await startOfAMinute();
    const refused = await Promise.all(Array.from({ length: 130 }, () => consume(api, b.apiKey, { app: 'no-such-app' })));
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([404]));
    await api.deps.metering.errors.flush();
    const findings = await watch.evaluate(minute);
    const mine = findings.filter((f) => f.customerId === b.customerId);
    expect(mine.map((f) => [f.kind, f.scope, f.apiKeyId, f.rate])).toEqual([['error-flood', 'key', keyId, 130]]);
    // The test's IP is every suite's: its episode may have opened earlier, so its state is what is checked.
    const ipEpisodes = Object.values(await api.deps.redis.hgetall(anomalyKeys.ipState)).map((raw) => JSON.parse(raw) as { a: number | null });
    expect(ipEpisodes.some((e) => e.a === minute)).toBe(true);
    expect((await noticesOf(b.customerId))[0]!.subject).toMatch(/^Flood of refused requests \(4xx\) from API key "storefront"/);
    expect((await alertsOf(b.customerId)).map((a) => a.kind)).toEqual(['error-flood']);
  });

  it('evaluates each closed minute once, 30 s after it ends, however many reconcilers watch', async () => {
    const b = await meteredBrand(api);
    const keyId = await keyIdOf(b);
    // A minute of its own, far ahead, so no other run has claimed it.
    const minute = minuteOf(Date.now()) + 100_000 + Math.floor(Math.random() * 1_000_000);
    await api.deps.redis.hset(anomalyKeys.counts(b.customerId, minute), countFields.keyErrors(keyId), 500);
    await api.deps.redis.sadd(anomalyKeys.active(minute), b.customerId);
    const { orm, redis } = api.deps;
    const other = new AnomalyWatch({ orm, redis, logger, notify: (n) => recordNotice(orm, n), alertOperators: (a) => raiseOperatorAlert(orm, a) });
    const endOfMinute = (minute + 1) * 60_000;

    expect(await watch.tick(endOfMinute + evaluationLagMs - 1)).not.toContainEqual(expect.objectContaining({ minute }));
    const [first, second] = await Promise.all([watch.tick(endOfMinute + evaluationLagMs), other.tick(endOfMinute + evaluationLagMs)]);
    expect([...first, ...second].filter((f) => f.customerId === b.customerId).map((f) => [f.kind, f.minute])).toEqual([['error-flood', minute]]);
    expect(await noticesOf(b.customerId)).toHaveLength(1);
  });

  it('is off by default, and refuses a setting that is not a boolean, naming the field', async () => {
    const b = await meteredBrand(api);
    expect((await b.admin.get('/api/anomaly-settings')).body).toEqual({ pauseKeysOnAnomaly: false });
    const bad = await b.admin.put('/api/anomaly-settings', { pauseKeysOnAnomaly: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields[0].path).toBe('body.pauseKeysOnAnomaly');
  });
});
