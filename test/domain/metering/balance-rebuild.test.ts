// Redis losing its data, for real: a private redis-server (no AOF, no snapshots) is flushed
// under a running API. Debits answer 503 until the balance is rebuilt from the ledger, never
// pass against an unknown balance, and then continue from exactly the ledger's figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { lockCustomer } from '../../../domain/metering/customer-lock';
import { availableTokens, ledgerBalance } from '../../../domain/metering/ledger-balance';
import { meteringKeys } from '../../../domain/metering/keys';
import { readCachedBalance } from '../../../domain/metering/scripts';
import { ensureInstalled } from '../../../scripts/lib/install';
import { startApi, type TestApi } from '../../support/api-server';
import { freePort } from '../../support/ports';
import { consume, ledgerRows, meteredBrand, reconcileNow } from '../../support/metering';

let redisServer: ChildProcess;
let api: TestApi;

beforeAll(async () => {
  const port = await freePort();
  redisServer = spawn(ensureInstalled().redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  api = await startApi({ REDIS_URL: `redis://127.0.0.1:${port}`, BALANCE_REBUILD_TIMEOUT_MS: '300' });
});
afterAll(async () => {
  await api.close();
  redisServer.kill('SIGKILL');
});

async function ledgerAvailable(customerId: string): Promise<number | null> {
  return availableTokens(await ledgerBalance(api.deps.orm.em.fork(), customerId, new Date()), new Date());
}

describe('balance rebuild', () => {
  it('answers 503 BALANCE_UNAVAILABLE after a flush until the rebuild, then continues from the ledger', async () => {
    const b = await meteredBrand(api, { tokens: 50 });
    const key = randomUUID();
    const first = await consume(api, b.apiKey, { app: 'virtual-try-on' }, key);
    for (let i = 0; i < 5; i++) expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
    await reconcileNow(api, b.customerId);

    await api.deps.redis.flushall();
    // Hold the customer's lock, as a long reconciliation would: the rebuild cannot finish.
    await api.deps.orm.em.fork().transactional(async (tx) => {
      await lockCustomer(tx, b.customerId);
      const refused = await consume(api, b.apiKey, { app: 'pd-calculator' });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('BALANCE_UNAVAILABLE');
      expect(refused.headers.get('retry-after')).toBe('1');
    });

    const after = await consume(api, b.apiKey, { app: 'pd-calculator' });
    expect(after.status).toBe(200);
    expect(after.body.remainingTokens).toBe(50 - 5 - 5 - 1);
    // The flushed replay record is answered from PostgreSQL.
    expect((await consume(api, b.apiKey, { app: 'virtual-try-on' }, key)).body).toEqual({ ...first.body, replayed: true });
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 7, sum: -11 });
    expect(await ledgerAvailable(b.customerId)).toBe(39);
    expect((await readCachedBalance(api.deps.redis, b.customerId, Date.now()))?.availableTokens).toBe(39);
  });

  it('writes debits still in the stream to the ledger before rebuilding a dropped balance', async () => {
    const b = await meteredBrand(api, { tokens: 30 });
    for (let i = 0; i < 4; i++) expect((await consume(api, b.apiKey, { app: 'virtual-try-on' })).status).toBe(200);
    expect(await api.deps.redis.xlen(meteringKeys(b.customerId).debits)).toBe(4);
    await api.deps.redis.del(meteringKeys(b.customerId).balance);

    const res = await consume(api, b.apiKey, { app: 'pd-calculator' });
    expect(res.body.remainingTokens).toBe(30 - 20 - 1);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 4, sum: -20 });
    await reconcileNow(api, b.customerId);
    expect(await ledgerAvailable(b.customerId)).toBe(9);
  });
});
