// The billing workflow's usage side on the real Temporal dev server: the reconciler's batches
// arrive as one signal per interval, each batch applied once however often it is sent.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { UsageSignaler } from '../../reconciler/usage-signaler';
import { loadConfig } from '../../domain/infra/config';
import { queueName, searchAttributes, taskQueues, workflowIds } from '../../temporal.config';
import { randomUUID } from 'node:crypto';
import type { UsageBatch } from '../../domain/billing/vocabulary';
import type { billingCycle } from '../../workflows/billing-cycle';
import { describeBillingState } from '../../workflows/billing/describe';
import { cycleStateQuery, packCreditedSignal } from '../../workflows/billing/messages';
import { applyPackCredit, applyUsageBatches, emptyBillingState } from '../../workflows/billing/state';
import { startApi, type TestApi } from '../support/api-server';
import { consume, meteredBrand, reconcileNow } from '../support/metering';
import { startTestWorker, type TestWorker } from '../support/temporal';

let tw: TestWorker;
let env: TestWorkflowEnvironment;
let orm: MikroORM;
let api: TestApi;

beforeAll(async () => {
  tw = await startTestWorker(taskQueues.billing);
  ({ env, orm } = tw);
  api = await startApi();
});

afterAll(async () => {
  await api.close();
  await tw.stop();
});

const batch = (seq: number, tokens: number, slug = 'pd-calculator'): UsageBatch => ({
  seq, uses: tokens, tokens, totals: { [slug]: { uses: tokens, tokens } }, firstDebitedAt: '2026-11-25T00:00:00.000Z', lastDebitedAt: '2026-11-25T00:00:01.000Z',
});

describe('usage batches (pure)', () => {
  it('applies batches in sequence order and skips those already applied', () => {
    const state = emptyBillingState('c');
    applyUsageBatches(state, { batches: [batch(2, 5), batch(1, 3)] });
    applyUsageBatches(state, { batches: [batch(2, 5), batch(3, 1, 'virtual-try-on')] });
    expect(state).toMatchObject({
      lastAppliedSeq: 3, batchesApplied: 3, resendsIgnored: 1, sequenceGaps: 0,
      usage: { uses: 9, tokens: 9, byApp: { 'pd-calculator': { uses: 8, tokens: 8 }, 'virtual-try-on': { uses: 1, tokens: 1 } } },
    });
  });

  it('counts a skipped sequence number so support can see it', () => {
    const state = emptyBillingState('c');
    applyUsageBatches(state, { batches: [batch(1, 1), batch(3, 1)] });
    expect(state.sequenceGaps).toBe(1);
  });

  it('describes the state in plain words, with thousands separators', () => {
    const state = emptyBillingState('c');
    applyUsageBatches(state, { batches: [batch(1, 7_412)] });
    expect(describeBillingState(state)).toBe('No plan yet; 7,412 tokens in 7,412 uses of 1 app, usage batches applied through #1');
  });
});

describe('token pack credits (pure)', () => {
  it('records each purchase once, whatever the resends', () => {
    const state = emptyBillingState('c');
    applyPackCredit(state, { purchaseId: 'p1', tokens: 1_000 });
    applyPackCredit(state, { purchaseId: 'p1', tokens: 1_000 });
    applyPackCredit(state, { purchaseId: 'p2', tokens: 5_000 });
    expect(state.packCredits).toEqual([{ purchaseId: 'p1', tokens: 1_000 }, { purchaseId: 'p2', tokens: 5_000 }]);
    expect(describeBillingState(state)).toMatch(/^No plan yet, 2 token packs credited this cycle; /);
  });
});

describe('billingCycle packCredited signal', () => {
  it('keeps one record per purchase in the running workflow', async () => {
    const customerId = randomUUID();
    const handle = await env.client.workflow.start<typeof billingCycle>('billingCycle', { taskQueue: queueName(taskQueues.billing, loadConfig().temporal.taskQueuePrefix), workflowId: workflowIds.billing(customerId), args: [{ customerId }] });
    try {
      await handle.signal(packCreditedSignal, { purchaseId: 'purchase-1', tokens: 1_000 });
      await handle.signal(packCreditedSignal, { purchaseId: 'purchase-1', tokens: 1_000 });
      const state = await handle.query(cycleStateQuery);
      expect(state.packCredits).toEqual([{ purchaseId: 'purchase-1', tokens: 1_000 }]);
    } finally {
      await handle.terminate('test done');
    }
  });
});

describe('billingCycle usage signal', () => {
  it('receives each batch once, even when the outbox resends it', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    for (let i = 0; i < 3; i++) await consume(api, b.apiKey, { app: 'pd-calculator' });
    await reconcileNow(api, b.customerId);
    await consume(api, b.apiKey, { app: 'virtual-try-on' });
    await reconcileNow(api, b.customerId);

    const signaler = new UsageSignaler(orm, env.client, pino({ level: 'silent' }), loadConfig());
    await signaler.sendPending();
    const handle = env.client.workflow.getHandle(workflowIds.billing(b.customerId));
    const first = await handle.query(cycleStateQuery);
    expect(first).toMatchObject({ lastAppliedSeq: 2, usage: { uses: 4, tokens: 8 }, resendsIgnored: 0 });

    // A crash after the signal, before the rows were marked: the same batches go again.
    await orm.em.getConnection().execute('update usage_batches set signaled_at = null where customer_id = ?', [b.customerId]);
    await signaler.sendPending();
    const second = await handle.query(cycleStateQuery);
    expect(second).toMatchObject({ lastAppliedSeq: 2, usage: { uses: 4, tokens: 8, byApp: { 'virtual-try-on': { uses: 1, tokens: 5 } } }, resendsIgnored: 2 });

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.customerId)).toBe(b.customerId);
  });

  it('signals a brand with auto top-up on every interval, and any other once its oldest batch has waited the delay', async () => {
    const [plain, topUp, off] = [await meteredBrand(api, { tokens: 100 }), await meteredBrand(api, { tokens: 100 }), await meteredBrand(api, { tokens: 100 })];
    const sql = (q: string, params: unknown[]) => orm.em.getConnection().execute(q, params);
    const setting = "insert into auto_top_up_settings (customer_id, enabled, pack_id, threshold_tokens, monthly_cap) select ?, ?, id, 50, 2 from token_packs where lookup_key = 'tokens_5k'";
    await sql(setting, [topUp.customerId, true]);
    // Turned off: as good as none.
    await sql(setting, [off.customerId, false]);
    for (const b of [plain, topUp, off]) {
      await consume(api, b.apiKey, { app: 'pd-calculator' });
      await reconcileNow(api, b.customerId);
    }
    const config = loadConfig();
    const signaler = new UsageSignaler(orm, env.client, pino({ level: 'silent' }), { ...config, metering: { ...config.metering, signalMaxDelayMs: 60_000 } });
    const waiting = async (b: { customerId: string }) =>
      ((await sql('select count(*)::int as n from usage_batches where customer_id = ? and signaled_at is null', [b.customerId])) as { n: number }[])[0]!.n;

    await signaler.sendPending();
    expect([await waiting(plain), await waiting(topUp), await waiting(off)]).toEqual([1, 0, 1]);
    expect((await env.client.workflow.getHandle(workflowIds.billing(topUp.customerId)).query(cycleStateQuery)).usage.tokens).toBe(1);

    // A minute later (the batch written a minute ago), the others' batches go, in one signal each.
    await sql("update usage_batches set created_at = created_at - interval '61 seconds' where customer_id in (?, ?)", [plain.customerId, off.customerId]);
    await signaler.sendPending();
    expect([await waiting(plain), await waiting(off)]).toEqual([0, 0]);
    expect((await env.client.workflow.getHandle(workflowIds.billing(plain.customerId)).query(cycleStateQuery)).usage.tokens).toBe(1);
  });

  it('does not start a new workflow for a customer whose billing workflow has closed', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    await consume(api, b.apiKey, { app: 'pd-calculator' });
    await reconcileNow(api, b.customerId);
    const signaler = new UsageSignaler(orm, env.client, pino({ level: 'silent' }), loadConfig());
    await signaler.sendPending();
    const handle = env.client.workflow.getHandle(workflowIds.billing(b.customerId));
    await handle.terminate('test: the customer left');
    await consume(api, b.apiKey, { app: 'pd-calculator' });
    await reconcileNow(api, b.customerId);
    await signaler.sendPending();
    const [waiting] = await orm.em.getConnection().execute('select count(*)::int as n from usage_batches where customer_id = ? and signaled_at is null', [b.customerId]);
    expect(waiting!.n).toBe(1);
    expect((await handle.describe()).status.name).toBe('TERMINATED');
  });
});
