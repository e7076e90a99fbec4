// The shared test stacks stop within a bound, whatever is still running when a file ends: an
// activity waiting on a workflow nobody serves, an activity stuck on a mail server that never
// answers, an open SSE stream, an SMTP client mid-session. A teardown that can hang fails
// `npm test` at random (jest's 30 s hook timeout) with every test green.
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sessionCookie } from '../../api/session';
import { taskQueues, workflowIds } from '../../temporal.config';
import { startApi, type TestApi } from './api-server';
import { signUp, type Session } from './http';
import { startSmtp, type TestSmtp } from './smtp';
import { startTestWorker, type TestWorker } from './temporal';
import { waitFor } from './wait';

/** Far below jest's 30 s hook timeout, far above a healthy stop on a loaded machine. */
const boundMs = 12_000;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await fn();
  return Date.now() - started;
}

/** Activity types a worker is running for the workflow now (not scheduled, not backing off). */
async function runningActivities(handle: WorkflowHandle): Promise<string[]> {
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  return pending.filter((a) => a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED).map((a) => a.activityType?.name ?? '');
}

/** Buys a pack and pays it in test mode; the purchase workflow goes on by itself. */
async function paidPack(api: TestApi): Promise<{ session: Session; purchaseId: string }> {
  const { session } = await signUp(api.url);
  const bought = await session.post('/api/billing/token-packs', { pack: 'tokens_1k' });
  if (bought.status !== 201) throw new Error(`purchase failed: ${bought.status} ${JSON.stringify(bought.body)}`);
  const purchaseId = bought.body.purchase.id as string;
  const paid = await session.post(`/api/billing/token-packs/${purchaseId}/complete-test-payment`);
  if (paid.status !== 200) throw new Error(`test payment failed: ${paid.status}`);
  return { session, purchaseId };
}

/** A TCP server that takes connections and never says a word: an SMTP client waits for its greeting. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a test worker', () => {
  let api: TestApi;
  let smtp: TestSmtp;
  let worker: TestWorker;

  beforeAll(async () => {
    smtp = await startSmtp();
    api = await startApi();
    // Token packs only, no billing worker: a credited pack's report to the billing workflow
    // (an update) waits for a workflow task that never comes, as it did when a file's billing
    // worker stopped before its token-pack worker.
    worker = await startTestWorker(taskQueues.tokenPacks, { SMTP_URL: smtp.url });
  });

  afterAll(async () => {
    await worker.stop();
    await api.close();
    await smtp.close();
  });

  it('stops within seconds while an activity is still waiting on a workflow nobody serves', async () => {
    const { purchaseId } = await paidPack(api);
    const handle = api.deps.temporal.workflow.getHandle(workflowIds.tokenPack(purchaseId));
    expect(await waitFor(() => runningActivities(handle), (names) => names.includes('reportPackCredited'))).toContain('reportPackCredited');

    expect(await timed(() => worker.stop())).toBeLessThan(boundMs);
    await handle.terminate('test done');
  });
});

describe('a billing stack’s workers', () => {
  let api: TestApi;
  let mailServer: Awaited<ReturnType<typeof silentServer>>;
  let workers: TestWorker[];

  beforeAll(async () => {
    mailServer = await silentServer();
    api = await startApi();
    workers = [await startTestWorker(taskQueues.billing, { SMTP_URL: mailServer.url }), await startTestWorker(taskQueues.tokenPacks, { SMTP_URL: mailServer.url })];
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api.close();
    await mailServer.close();
  });

  it('stop within seconds while an activity ignores its cancellation (a receipt mail stuck on a mail server that never answers)', async () => {
    const { purchaseId } = await paidPack(api);
    // The purchase only records its receipt; the mail goes out from the notice's own delivery
    // workflow, on the same worker, and that is where it sticks.
    const [notice] = await waitFor(
      () => api.deps.orm.em.getConnection().execute<{ id: string }[]>(
        `select n.id from notifications n join token_pack_purchases p on p.customer_id = n.customer_id where p.id = ? and n.kind = 'token_pack.receipt'`,
        [purchaseId],
      ),
      (rows) => rows.length > 0,
    );
    const handle = api.deps.temporal.workflow.getHandle(workflowIds.noticeDelivery(notice!.id));
    // nodemailer waits 30 s for a greeting and takes no abort signal: the worker must give up on it.
    expect(await waitFor(() => runningActivities(handle).catch((): string[] => []), (names) => names.includes('deliverNoticeChannel'))).toContain('deliverNoticeChannel');

    expect(await timed(() => Promise.all(workers.map((w) => w.stop())))).toBeLessThan(boundMs);
    await handle.terminate('test done');
    await api.deps.temporal.workflow.getHandle(workflowIds.tokenPack(purchaseId)).terminate('test done').catch(() => undefined);
  });
});

describe('a test API', () => {
  it('closes at once with a portal’s SSE stream still open', async () => {
    const api = await startApi();
    const { session } = await signUp(api.url);
    const stream = await fetch(`${api.url}/api/usage/stream`, { headers: { cookie: `${sessionCookie}=${session.cookie(sessionCookie)}` } });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: balance');

    expect(await timed(() => api.close())).toBeLessThan(boundMs);
    await reader.read().catch(() => undefined);
  });
});

describe('an SMTP catcher', () => {
  it('closes within seconds while a client is still connected', async () => {
    const smtp = await startSmtp();
    const { port } = new URL(smtp.url);
    const client = connect(Number(port), '127.0.0.1');
    const greeting = await new Promise<string>((resolve) => client.once('data', (d) => resolve(d.toString())));
    expect(greeting).toMatch(/^220 /);

    expect(await timed(() => smtp.close())).toBeLessThan(5_000);
    client.destroy();
  });
});
