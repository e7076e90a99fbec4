// The reconciliation audit on the real stack: each kind of drift injected (a tampered Redis
// balance, a usage batch that never reached the billing workflow, a pack paid in Stripe but not
// credited) is found by one run, alerted once to operators (console and email), repaired, and
// the next run finds nothing; /metrics shows the drift, then 0, and the last-success time moves.
// The audit is run directly (as its Schedule would start it) rather than waited for.
import { randomUUID } from 'node:crypto';
import { signalUsageBatches } from '../../clients/billing';
import { mailText } from '../../scripts/lib/mail-sink';
import { ensureReconcileAuditSchedule } from '../../clients/reconcile-audit-schedule';
import { loadConfig } from '../../domain/infra/config';
import { meteringKeys } from '../../domain/metering/keys';
import { raiseOperatorAlert } from '../../domain/operator/alerts';
import { availableTokens, ledgerBalance } from '../../domain/metering/ledger-balance';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import { readCachedBalance } from '../../domain/metering/scripts';
import { brandsToAudit } from '../../domain/reconcile/runs';
import { batchesAfter } from '../../domain/reconcile/usage-batches';
import { queueName, reconcileAuditScheduleId, taskQueues } from '../../temporal.config';
import type { ReconcileAuditResult } from '../../workflows/operator/messages';
import { startBillingStack, startBillingWorkflow, billingState, type BillingStack } from '../support/billing';
import { signUp } from '../support/http';
import { consume, grant, meteredBrand, reconcileNow } from '../support/metering';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);

let stack: BillingStack;
const config = loadConfig();
const prefix = config.temporal.taskQueuePrefix;

beforeAll(async () => {
  stack = await startBillingStack([taskQueues.tokenPacks, taskQueues.ops]);
});
afterAll(() => stack.stop());

const sql = () => stack.api.deps.orm.em.getConnection();

/** One audit run over these brands, with no grace: whatever is missing now counts. */
const audit = (customerIds: string[]): Promise<ReconcileAuditResult> =>
  stack.env.client.workflow.execute('reconcileAudit', { taskQueue: queueName(taskQueues.ops, prefix), workflowId: `test-reconcile-audit:${randomUUID()}`, args: [{ customerIds, graceMs: 0 }] });

const alertsOf = (customerId: string) =>
  sql().execute<{ id: string; subject: string; details: Record<string, unknown>; dedupe_key: string }[]>("select id, subject, details, dedupe_key from operator_alerts where customer_id = ? and kind = 'balance-drift'", [customerId]);

async function metrics(): Promise<{ drift: Record<string, number>; lastSuccess: number }> {
  const text = await (await fetch(`${stack.api.url}/metrics`)).text();
  const drift: Record<string, number> = {};
  for (const m of text.matchAll(/^varai_balance_drift_tokens\{kind="(\w+)"\} (\S+)$/gm)) drift[m[1]!] = Number(m[2]);
  const last = /^varai_reconcile_audit_last_success_timestamp (\S+)$/m.exec(text);
  return { drift, lastSuccess: Number(last?.[1] ?? NaN) };
}

const brandName = async (customerId: string) => (await sql().execute<{ name: string }[]>('select name from customers where id = ?', [customerId]))[0]!.name;

describe('a tampered Redis balance', () => {
  it('is found, alerted once (console and email), rebuilt from the ledger, and gone on the next run', async () => {
    const { user } = await signUp(stack.api.url);
    const customerId = user.customerId as string;
    await grant(stack.api, customerId, 1_000);
    await rebuildBalance(stack.api.deps.orm, stack.api.deps.redis, customerId);
    const [grantId] = (await stack.api.deps.redis.hget(meteringKeys(customerId).balance, 'order'))!.split(',');
    await stack.api.deps.redis.hincrby(meteringKeys(customerId).balance, `g:${grantId}`, 500);
    const before = await metrics();

    const first = await audit([customerId]);
    expect(first).toMatchObject({ brands: 1, brandsFailed: 0, driftsFound: 1, drift: { redis_balance: 500 } });
    const alerts = await alertsOf(customerId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toContain(await brandName(customerId));
    expect(alerts[0]!.subject).toContain('+500 tokens');
    expect(alerts[0]!.details).toMatchObject({ driftKind: 'redis_balance', differenceTokens: 500, expectedTokens: 1_000, actualTokens: 1_500, repaired: true });
    const cached = await readCachedBalance(stack.api.deps.redis, customerId, Date.now());
    expect(cached?.availableTokens).toBe(availableTokens(await ledgerBalance(stack.api.deps.orm.em.fork(), customerId, new Date()), new Date()));
    expect(cached?.availableTokens).toBe(1_000);
    const afterFirst = await metrics();
    expect(afterFirst.drift).toEqual({ redis_balance: 500, workflow_usage: 0, pack_payment: 0 });
    expect(afterFirst.lastSuccess).toBeGreaterThan(Number.isNaN(before.lastSuccess) ? 0 : before.lastSuccess);
    // Subjects this long are folded by the mailer: the body names the brand's id.
    const mailsOf = () => stack.smtp.mails.filter((m) => mailText(m.raw).includes(customerId));
    const mails = await waitFor(async () => mailsOf(), (m) => m.length > 0, 20_000);
    expect(mails[0]!.to).toContain('operator@varai.test');
    expect(mailText(mails[0]!.raw)).toContain('Difference: +500 tokens');

    const second = await audit([customerId]);
    expect(second).toMatchObject({ driftsFound: 0 });
    expect(await alertsOf(customerId)).toHaveLength(1);
    expect(mailsOf()).toHaveLength(1);
    const afterSecond = await metrics();
    expect(afterSecond.drift.redis_balance).toBe(0);
    expect(afterSecond.lastSuccess).toBeGreaterThan(afterFirst.lastSuccess);
  });

  it('counts debits not yet reconciled on both sides: a busy brand is not a drift', async () => {
    const b = await meteredBrand(stack.api, { tokens: 200 });
    await startBillingWorkflow(stack.env.client, b.customerId);
    for (let i = 0; i < 3; i++) expect((await consume(stack.api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
    // Not reconciled: the debits are in the stream only; the audit drains them into the ledger first.
    const result = await audit([b.customerId]);
    expect(result.drift.redis_balance ?? 0).toBe(0);
    expect((await alertsOf(b.customerId)).filter((a) => a.dedupe_key.includes('redis_balance'))).toEqual([]);
  });
});

describe('a usage batch that never reached the billing workflow', () => {
  it('is found, alerted once, sent again (applied once), and gone on the next run', async () => {
    const b = await meteredBrand(stack.api, { tokens: 100 });
    await startBillingWorkflow(stack.env.client, b.customerId);
    await consume(stack.api, b.apiKey, { app: 'pd-calculator' });
    await reconcileNow(stack.api, b.customerId);
    // Batch 1 reaches the workflow as the signaler would send it.
    await signalUsageBatches(stack.env.client, config, b.customerId, (await batchesAfter(stack.api.deps.orm, b.customerId, 0)).map(({ createdAtMs: _, ...x }) => x));
    await sql().execute('update usage_batches set signaled_at = now() where customer_id = ?', [b.customerId]);
    // Batch 2 is marked sent, but its signal was lost.
    await consume(stack.api, b.apiKey, { app: 'virtual-try-on' });
    await reconcileNow(stack.api, b.customerId);
    await sql().execute('update usage_batches set signaled_at = now() where customer_id = ?', [b.customerId]);
    const lost = (await batchesAfter(stack.api.deps.orm, b.customerId, 1))[0]!;
    expect(lost.seq).toBe(2);
    expect((await waitFor(() => billingState(stack.env.client, b.customerId), (s) => s.lastAppliedSeq === 1)).lastAppliedSeq).toBe(1);

    const first = await audit([b.customerId]);
    expect(first).toMatchObject({ driftsFound: 1, drift: { workflow_usage: lost.tokens } });
    const alerts = await alertsOf(b.customerId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ driftKind: 'workflow_usage', differenceTokens: -lost.tokens, batches: [2], repaired: true });
    const state = await waitFor(() => billingState(stack.env.client, b.customerId), (s) => s.lastAppliedSeq === 2);
    expect(state).toMatchObject({ lastAppliedSeq: 2, batchesApplied: 2, usage: { uses: 2 } });
    expect((await metrics()).drift.workflow_usage).toBe(lost.tokens);

    const second = await audit([b.customerId]);
    expect(second.driftsFound).toBe(0);
    expect(await alertsOf(b.customerId)).toHaveLength(1);
    expect((await metrics()).drift.workflow_usage).toBe(0);
  });
});

describe('usage batches behind a closed billing workflow', () => {
  it('are alerted once as not repaired, however many more batches pile up', async () => {
    const b = await meteredBrand(stack.api, { tokens: 100 });
    const handle = await startBillingWorkflow(stack.env.client, b.customerId);
    await waitFor(() => billingState(stack.env.client, b.customerId), (s) => s.lastAppliedSeq === 0);
    await handle.terminate('test: support closed it');
    for (let i = 0; i < 2; i++) {
      await consume(stack.api, b.apiKey, { app: 'pd-calculator' });
      await reconcileNow(stack.api, b.customerId);
      const result = await audit([b.customerId]);
      expect(result.driftsFound).toBe(1);
    }
    const alerts = await alertsOf(b.customerId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ driftKind: 'workflow_usage', batches: [1], repaired: false });
  });
});

describe('a token pack paid in Stripe but not credited', () => {
  it('is found, alerted once, credited through its purchase workflow, and gone on the next run', async () => {
    const { session, user } = await signUp(stack.api.url);
    const customerId = user.customerId as string;
    const bought = await session.post('/api/billing/token-packs', { pack: 'tokens_1k' });
    expect(bought.status).toBe(201);
    const purchaseId = bought.body.purchase.id as string;
    const [row] = await sql().execute<{ stripe_checkout_session_id: string }[]>('select stripe_checkout_session_id from token_pack_purchases where id = ?', [purchaseId]);
    // Stripe's signed checkout.session.completed was received and stored, but its hand-over to
    // the purchase workflow was lost (marked processed all the same).
    const event = {
      id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), livemode: false,
      data: { object: { id: row!.stripe_checkout_session_id, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid', client_reference_id: purchaseId, metadata: { purchaseId, customerId }, payment_intent: `pi_${purchaseId.replace(/-/g, '')}` } },
    };
    await sql().execute('insert into stripe_events (id, type, object_id, livemode, payload, processed_at) values (?, ?, ?, false, ?::jsonb, now())', [event.id, event.type, row!.stripe_checkout_session_id, JSON.stringify(event)]);

    const first = await audit([customerId]);
    expect(first).toMatchObject({ driftsFound: 1, drift: { pack_payment: 1_000 } });
    const alerts = await alertsOf(customerId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ driftKind: 'pack_payment', differenceTokens: -1_000, purchaseId, stripeEventId: event.id, repaired: true });
    const status = await waitFor(async () => (await session.get(`/api/billing/token-packs/${purchaseId}`)).body.purchase.status as string, (s) => s === 'credited', 30_000);
    expect(status).toBe('credited');
    const grants = await sql().execute("select id from token_grants where source = 'token_pack' and source_ref = ?", [purchaseId]);
    expect(grants).toHaveLength(1);
    expect((await metrics()).drift.pack_payment).toBe(1_000);

    const second = await audit([customerId]);
    expect(second.driftsFound).toBe(0);
    expect(await alertsOf(customerId)).toHaveLength(1);
    expect((await metrics()).drift.pack_payment).toBe(0);
  });

  it('leaves a pending pack alone while Stripe has not reported it paid', async () => {
    const { session, user } = await signUp(stack.api.url);
    expect((await session.post('/api/billing/token-packs', { pack: 'tokens_1k' })).status).toBe(201);
    const result = await audit([user.customerId as string]);
    expect(result.driftsFound).toBe(0);
    expect(await alertsOf(user.customerId as string)).toEqual([]);
  });
});

describe('an alert raised where no Temporal client is (an API process)', () => {
  it('is emailed by the next audit run', async () => {
    const { user } = await signUp(stack.api.url);
    const customerId = user.customerId as string;
    const { alertId } = await raiseOperatorAlert(stack.api.deps.orm, { kind: 'usage-spike', dedupeKey: `test-sweep:${customerId}`, customerId, subject: `Spike ${customerId}`, text: `Usage spike of brand ${customerId}` });
    // Older than the sweep's grace: its own delivery (had there been one) had its chance.
    await sql().execute(`update operator_alerts set created_at = now() - interval '2 minutes' where id = ?`, [alertId]);
    await audit([]);
    const mails = await waitFor(async () => stack.smtp.mails.filter((m) => mailText(m.raw).includes(`Usage spike of brand ${customerId}`)), (m) => m.length > 0, 20_000);
    expect(mails).toHaveLength(1);
    const [row] = await sql().execute<{ emailed: boolean }[]>('select emailed_at is not null as emailed from operator_alerts where id = ?', [alertId]);
    expect(row!.emailed).toBe(true);
  });
});

describe('a brand whose checks keep failing', () => {
  it('is counted, the run still finishes, and the last-success time does not move', async () => {
    const { user } = await signUp(stack.api.url);
    await audit([user.customerId as string]);
    const before = await metrics();
    // Not a uuid: every query about it fails, on every attempt.
    const result = await audit(['not-a-brand', user.customerId as string]);
    expect(result).toMatchObject({ brands: 2, brandsFailed: 1 });
    const [run] = await sql().execute<{ finished: boolean; brands_failed: number }[]>('select finished_at is not null as finished, brands_failed from reconcile_audit_runs where id = ?', [result.runId]);
    expect(run).toEqual({ finished: true, brands_failed: 1 });
    expect((await metrics()).lastSuccess).toBe(before.lastSuccess);
  });
});

describe('which brands a scheduled run audits', () => {
  it('takes brands with activity since the last run and leaves idle ones to the full sweep', async () => {
    const since = new Date().toISOString();
    const idle = (await signUp(stack.api.url)).user.customerId as string;
    const active = (await signUp(stack.api.url)).user.customerId as string;
    await grant(stack.api, active, 10);
    const page = await brandsToAudit(stack.api.deps.orm, { since, after: null, limit: 100_000 });
    expect(page).toContain(active);
    expect(page).not.toContain(idle);
    expect(await brandsToAudit(stack.api.deps.orm, { since: null, after: null, limit: 100_000 })).toEqual(expect.arrayContaining([idle, active]));
  });
});

describe('the audit Schedule', () => {
  it('exists with the configured interval (5 minutes by default), and follows a changed one', async () => {
    // test/support/env.ts sets a day for every test process; the product's default is 5 minutes.
    const configured = loadConfig({ ...process.env, RECONCILE_AUDIT_INTERVAL: undefined }).reconcileAudit;
    expect(configured.intervalMs).toBe(300_000);
    expect(loadConfig({ ...process.env, RECONCILE_AUDIT_INTERVAL: '90s' }).reconcileAudit.intervalMs).toBe(90_000);
    const client = stack.env.client;
    const handle = client.schedule.getHandle(reconcileAuditScheduleId(prefix));
    await handle.delete().catch(() => undefined);
    try {
      expect(await ensureReconcileAuditSchedule(client, prefix, configured)).toMatchObject({ created: true });
      expect(await ensureReconcileAuditSchedule(client, prefix, configured)).toMatchObject({ created: false, updated: false });
      const described = await handle.describe();
      expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 300_000 })]);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconcileAudit', taskQueue: queueName(taskQueues.ops, prefix) });
      expect(await ensureReconcileAuditSchedule(client, prefix, { ...configured, intervalMs: 60_000 })).toMatchObject({ created: false, updated: true });
      expect((await handle.describe()).spec.intervals).toEqual([expect.objectContaining({ every: 60_000 })]);
    } finally {
      await handle.delete();
    }
  });
});

