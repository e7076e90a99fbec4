// Two worker processes on every task queue, as production runs them; one is SIGKILLed in the
// middle of a workflow and the other finishes it, with every effect applied once.
import type { Client } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client as PgClient } from 'pg';
import { projectRoot } from '../../scripts/lib/profiles';
import { workflowIds } from '../../temporal.config';
import { startApi, type TestApi } from '../support/api-server';
import { signUp } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { waitFor } from '../support/wait';

let api: TestApi;
let smtp: TestSmtp;
let client: Client;
const workers = new Map<number, ChildProcess>();
const billingIds = new Set<string>();

/** The real worker entry on the prebuilt bundle, all four task queues; resolves once it polls. */
function startWorker(): Promise<ChildProcess> {
  // node itself, not the tsx wrapper: SIGKILL must reach the process that holds the task.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
    cwd: projectRoot,
    env: { ...process.env, SMTP_URL: smtp.url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.set(child.pid!, child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

async function kill(pid: number): Promise<void> {
  const child = workers.get(pid);
  if (!child) throw new Error(`no worker of ours has pid ${pid}`);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  workers.delete(pid);
}

/** Worker identities are `<pid>@<host>` (the SDK's default). */
const pidOf = (identity: string | null | undefined) => Number((identity ?? '').split('@')[0]);

beforeAll(async () => {
  smtp = await startSmtp();
  api = await startApi();
  client = api.deps.temporal;
  await Promise.all([startWorker(), startWorker()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([...billingIds].map((id) => client.workflow.getHandle(id).terminate('test file done').catch(() => undefined)));
  for (const [pid, child] of workers) {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    workers.delete(pid);
  }
  await api?.close();
  await smtp?.close();
}, 30_000);

const sql = <T = any>(q: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute<T[]>(q, params);

describe('two workers per task queue', () => {
  it('finishes an activation on the surviving worker when the one running its activity is killed, storing one configuration and one provisioning', async () => {
    const { session, user } = await signUp(api.url);
    const customerId = user.customerId as string;
    await sql(
      `insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = 'starter'
       on conflict (customer_id) do update set plan_id = excluded.plan_id`,
      [customerId],
    );
    // Holds storeDefaultConfiguration inside its transaction: this uncommitted version 1 makes the
    // activity's own insert of version 1 wait on the unique index.
    const blocker = new PgClient({ connectionString: api.deps.config.db.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(
      `insert into app_configuration_versions (customer_id, app_id, version, configuration, reason) select $1, id, 1, '{}', 'test blocker' from apps where slug = 'pd-calculator'`,
      [customerId],
    );
    const res = await session.post('/api/apps/pd-calculator/activate');
    expect(res.status).toBe(202);
    const handle = client.workflow.getHandle(workflowIds.activation(customerId, 'pd-calculator'));
    const held = await waitFor(
      async () => (await handle.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'storeDefaultConfiguration' && a.lastWorkerIdentity),
      (a) => a !== undefined,
    );
    const holder = pidOf(held?.lastWorkerIdentity);
    expect(workers.has(holder)).toBe(true);
    const killedAt = Date.now();
    await kill(holder);
    await blocker.query('rollback');
    await blocker.end();
    // A replacement starts meanwhile, as an orchestrator would restart it; the next test needs two.
    const replacement = startWorker();

    // The server retries the activity when its start-to-close timeout (10 s, `local` preset) passes.
    expect(await handle.result()).toEqual({ status: 'active' });
    const tookMs = Date.now() - killedAt;
    const versions = await sql<{ version: number; reason: string }>(
      `select v.version, v.reason from app_configuration_versions v join apps a on a.id = v.app_id where v.customer_id = ? and a.slug = 'pd-calculator'`,
      [customerId],
    );
    expect(versions).toEqual([{ version: 1, reason: 'defaults at activation' }]);
    const provisioned = await sql<{ n: number }>(`select count(*)::int as n from audit_log where customer_id = ? and action = 'app.provisioned'`, [customerId]);
    expect(provisioned).toEqual([{ n: 1 }]);
    expect((await session.get('/api/apps/pd-calculator')).body.app.activation.status).toBe('active');
    // History keeps the started event of the attempt that finished: the second, on another worker.
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'storeDefaultConfiguration');
    const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(scheduled?.eventId));
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    expect(pidOf(started?.activityTaskStartedEventAttributes?.identity)).not.toBe(holder);
    console.log(`Temporal: activation finished ${tookMs} ms after its activity's worker was killed`);
    await replacement;
  }, 60_000);

  it('credits a token pack once when the worker that ran the purchase so far is killed while it waits for payment', async () => {
    while (workers.size < 2) await startWorker();
    const { session, user } = await signUp(api.url);
    billingIds.add(workflowIds.billing(user.customerId as string));
    const bought = await session.post('/api/billing/token-packs', { pack: 'tokens_1k' });
    expect(bought.status).toBe(201);
    const purchaseId = bought.body.purchase.id as string;
    const handle = client.workflow.getHandle(workflowIds.tokenPack(purchaseId));
    const history = await handle.fetchHistory();
    const lastTask = [...(history.events ?? [])].reverse().find((e) => e.workflowTaskCompletedEventAttributes);
    const holder = pidOf(lastTask?.workflowTaskCompletedEventAttributes?.identity);
    expect(workers.has(holder)).toBe(true);
    const killedAt = Date.now();
    await kill(holder);

    const paid = await session.post(`/api/billing/token-packs/${purchaseId}/complete-test-payment`);
    expect(paid.status).toBe(200);
    expect(await handle.result()).toMatchObject({ step: 'credited' });
    const tookMs = Date.now() - killedAt;
    const grants = await sql<{ id: string; amount_tokens: string }>(`select id, amount_tokens from token_grants where source = 'token_pack' and source_ref = ?`, [purchaseId]);
    expect(grants.map((g) => Number(g.amount_tokens))).toEqual([1_000]);
    const ledger = await sql<{ n: number; tokens: number }>(`select count(*)::int as n, sum(amount_tokens)::int as tokens from ledger_entries where grant_id = ? and kind = 'grant'`, [grants[0]!.id]);
    expect(ledger).toEqual([{ n: 1, tokens: 1_000 }]);
    const revenue = await sql<{ n: number }>(`select count(*)::int as n from audit_log where action = 'revenue.token_pack' and target_id = ?`, [purchaseId]);
    expect(revenue).toEqual([{ n: 1 }]);
    console.log(`Temporal: token pack credited ${tookMs} ms after the worker holding the workflow was killed`);
  }, 60_000);
});
