// The reconciler as a real process, killed with SIGKILL in the middle of a batch (after it read
// the debits and wrote rows, before COMMIT), then restarted: every debit lands exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { inRawTransaction } from '../../domain/infra/raw-sql';
import { meteringKeys } from '../../domain/metering/keys';
import { reconcileCustomer } from '../../domain/metering/reconcile-customer';
import { recordDebits } from '../../domain/metering/record-debits';
import { readAllDebits } from '../../domain/metering/stream-entries';
import { projectRoot } from '../../scripts/lib/profiles';
import { startApi, type TestApi } from '../support/api-server';
import { consume, ledgerRows, meteredBrand } from '../support/metering';

let api: TestApi;
const children: ChildProcess[] = [];

beforeAll(async () => {
  api = await startApi({ CONSUME_RATE_PER_SECOND: '1000000' });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await api.close();
});

function startReconciler(): ChildProcess {
  // node itself, not the tsx wrapper: SIGKILL must reach the process that holds the batch.
  const child = spawn(process.execPath, ['--import', 'tsx', 'reconciler/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'silent', RECONCILE_BATCH_SIZE: '50', RECONCILE_INTERVAL_MS: '50', USAGE_SIGNAL_INTERVAL_MS: '60000' },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sql = (q: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute(q, params);

async function usageCount(customerId: string): Promise<number> {
  const [row] = await sql('select count(*)::int as n from token_usage where customer_id = ?', [customerId]);
  return row!.n as number;
}

async function debitMany(apiKey: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const res = await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => consume(api, apiKey, { app: 'pd-calculator' })));
    expect(res.every((r) => r.status === 200)).toBe(true);
  }
}

/**
 * This test starts two real processes; each cold `node --import tsx` start compiles the
 * service's whole import tree, measured at 6.6 s on the shared two-core machine during a
 * full run, so jest's default 30 s leaves too little for the rest under load.
 */
const twoProcessStartsMs = 60_000;

describe('reconciler crash', () => {
  it('records each debit exactly once after a SIGKILL mid-batch and a restart', async () => {
    const b = await meteredBrand(api, { tokens: 10_000 });
    await debitMany(b.apiKey, 1_000);
    // Block the reconciler's batch row: it will have read 50 debits and written their rows,
    // and wait on this open transaction's row with the same (customer, seq) before COMMIT.
    const blocker = new Client({ connectionString: api.deps.config.db.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(`insert into usage_batches (customer_id, seq, uses, tokens, totals, first_debited_at, last_debited_at) values ($1, 1, 0, 0, '{}', now(), now())`, [b.customerId]);

    const first = startReconciler();
    const stream = meteringKeys(b.customerId).debits;
    // Its batch insert waits on the blocker's row: the batch is read and its rows written, uncommitted.
    await until('the reconciler to hold a batch', async () => {
      const [row] = await sql(
        "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into usage_batches%' and pid <> pg_backend_pid()",
      );
      return row!.n > 0;
    });
    expect(await usageCount(b.customerId)).toBe(0);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await blocker.query('rollback');
    await blocker.end();

    // Nothing was trimmed: the next reconciler reads the same head of the stream again.
    expect(await api.deps.redis.xlen(stream)).toBe(1_000);

    const second = startReconciler();
    await until('every debit to be recorded', async () => {
      const n = await usageCount(b.customerId);
      const left = await api.deps.redis.xlen(stream);
      return n === 1_000 && left === 0;
    });
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 1_000, sum: -1_000 });
    const [batches] = await sql('select coalesce(sum(uses), 0)::int as uses, count(*)::int as n from usage_batches where customer_id = ?', [b.customerId]);
    expect(batches!.uses).toBe(1_000);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }, twoProcessStartsMs);

  it('adds nothing when a batch already committed is written again (killed before trimming)', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    await debitMany(b.apiKey, 20);
    const entries = await readAllDebits(api.deps.redis, b.customerId, 100);
    const once = await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, entries));
    const twice = await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, entries));
    expect(once.inserted).toHaveLength(20);
    expect(twice).toMatchObject({ inserted: [], conflicting: [], seq: null });
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 20, sum: -20 });
  });

  it('finishes a batch half recorded before a crash: the missing uses once, the recorded ones not again', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    await debitMany(b.apiKey, 20);
    const entries = await readAllDebits(api.deps.redis, b.customerId, 100);
    await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, entries.slice(0, 12)));
    // The plain insert meets the 12 rows already there; the pass is redone with on conflict.
    const r = await reconcileCustomer(api.deps.orm, api.deps.redis, b.customerId, { batchSize: 100 });
    expect(r).toMatchObject({ locked: true, conflicting: [] });
    expect(r.read).toHaveLength(20);
    expect(r.inserted.map((e) => e.usageId).sort()).toEqual(entries.slice(12).map((e) => e.usageId).sort());
    expect(await usageCount(b.customerId)).toBe(20);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 20, sum: -20 });
    expect(await api.deps.redis.xlen(meteringKeys(b.customerId).debits)).toBe(0);
  });

  it("records a debit naming another brand's key as made with no key, and marks only the brand's own key as used", async () => {
    const [b, other] = [await meteredBrand(api, { tokens: 100 }), await meteredBrand(api, { tokens: 100 })];
    await debitMany(b.apiKey, 2);
    const [own, foreign] = [await keyOf(b.customerId), await keyOf(other.customerId)];
    const [first, second] = await readAllDebits(api.deps.redis, b.customerId, 100);
    await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, [first!, { ...second!, apiKeyId: foreign.id }]));
    const rows = await sql('select id, api_key_id from token_usage where customer_id = ?', [b.customerId]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.api_key_id]))).toEqual({ [first!.usageId]: own.id, [second!.usageId]: null });
    expect((await keyOf(b.customerId)).last_used_at).not.toBeNull();
    expect((await keyOf(other.customerId)).last_used_at).toBeNull();
  });

  it('rolls a failed batch back whole and keeps reconciling on the same pool', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    await debitMany(b.apiKey, 3);
    const entries = await readAllDebits(api.deps.redis, b.customerId, 100);
    // An app PostgreSQL does not know: the batch's ledger entry fails its foreign key after the usage rows went in.
    const bad = entries.map((e) => ({ ...e, appId: '00000000-0000-4000-8000-000000000000' }));
    await expect(inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, bad))).rejects.toThrow(/foreign key/);
    expect(await usageCount(b.customerId)).toBe(0);
    const done = await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, entries));
    expect(done.inserted).toHaveLength(3);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 3, sum: -3 });
  });
});

async function keyOf(customerId: string): Promise<{ id: string; last_used_at: Date | null }> {
  const [row] = await sql('select id, last_used_at from api_keys where customer_id = ?', [customerId]);
  return row as { id: string; last_used_at: Date | null };
}
