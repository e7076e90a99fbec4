// `npm run up`'s demo brand, seeded into a scratch database through the real workflows (the
// API and workers of this file pointed at it): Temporal then lists the brand's workflows by its
// CustomerId, and a second run changes nothing.
import { randomUUID } from 'node:crypto';
import { demoPassword, demoUsers } from '../../domain/catalog/demo';
import { App, Customer, CustomerApp, TokenPackPurchase } from '../../domain/entities';
import { loadConfig } from '../../domain/infra/config';
import { seedDemoThroughWorkflows, type DemoWorkflowsInput } from '../../scripts/lib/demo-workflows';
import { migrateUp } from '../../scripts/lib/migrations';
import { seed } from '../../scripts/lib/seed';
import { syncStripeCatalog } from '../../scripts/lib/stripe-sync';
import { createStripe } from '../../domain/infra/stripe';
import { taskQueues } from '../../temporal.config';
import { startApi, type TestApi } from '../support/api-server';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';

jest.setTimeout(180_000);

// Its own brand id: the test Temporal server keeps every earlier run's workflows.
const customerId = randomUUID();
let db: ScratchDb;
let smtp: TestSmtp;
const workers: TestWorker[] = [];
let api: TestApi;
let input: DemoWorkflowsInput;

beforeAll(async () => {
  db = await createScratchDb('seed_workflows');
  const overrides = { DATABASE_URL: db.url, DATABASE_MIGRATION_URL: db.url, DATABASE_READ_URLS: '' };
  const config = loadConfig({ ...process.env, ...overrides });
  await migrateUp(config);
  await seed(db.orm, { demo: true, demoUsage: 'workflows', demoCustomerId: customerId });
  await syncStripeCatalog(db.orm, createStripe(config));
  smtp = await startSmtp();
  for (const queue of [taskQueues.billing, taskQueues.activations, taskQueues.tokenPacks]) workers.push(await startTestWorker(queue, { ...overrides, SMTP_URL: smtp.url }));
  api = await startApi(overrides);
  const admin = demoUsers.find((u) => u.role === 'admin')!;
  input = { apiUrl: api.url, temporal: workers[0]!.env.client, taskQueuePrefix: config.temporal.taskQueuePrefix, customerId, adminEmail: admin.email, password: demoPassword };
});

afterAll(async () => {
  // The billing workflow never ends by itself: its cycles would roll over under the next file's worker.
  await workers[0]?.env.client.workflow.getHandle(`billing:${customerId}`).terminate('test done').catch(() => undefined);
  await api?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await smtp?.close();
  await db?.drop();
});

async function workflowIdsOfBrand(): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of input.temporal.workflow.list({ query: `CustomerId = "${customerId}"` })) ids.push(w.workflowId);
  return ids.sort();
}

describe('the demo brand through the workflows', () => {
  let first: Awaited<ReturnType<typeof seedDemoThroughWorkflows>>;

  it('starts the plan, activates every app and buys one pack', async () => {
    const started = Date.now();
    first = await seedDemoThroughWorkflows(input);
    console.log(`demo brand through the workflows: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(first.planStarted).toBe(true);
    expect(first.packBought).toBe(true);
    const rows = await db.orm.em.fork().find(CustomerApp, { customer: customerId }, { populate: ['app'] });
    expect(rows.map((r) => [r.app.slug, r.status]).sort()).toEqual(first.activationsRequested.map((s) => [s, 'active']).sort());
    expect(first.activationsRequested).toHaveLength(await db.orm.em.fork().count(App));
  });

  it('leaves the workflows in Temporal, found by CustomerId', async () => {
    const expected = 3 + first.activationsRequested.length;
    const ids = await waitFor(workflowIdsOfBrand, (l) => l.length >= expected, 15_000);
    expect(ids).toEqual(expect.arrayContaining([`billing:${customerId}`, `onboarding:${customerId}`, ...first.activationsRequested.map((s) => `activation:${customerId}:${s}`)]));
    expect(ids.filter((id) => id.startsWith('token-pack:'))).toHaveLength(1);
  });

  it('leaves the brand on Professional with the pack credited', async () => {
    const em = db.orm.em.fork();
    const purchases = await em.find(TokenPackPurchase, { customer: customerId });
    expect(purchases.map((p) => p.status)).toEqual(['credited']);
    expect(await em.count(Customer, { id: customerId })).toBe(1);
  });

  it('changes nothing on a second run: no second pack, no new workflow', async () => {
    // The first run's pack receipt is delivered by a workflow of its own, started once the purchase
    // workflow records the receipt: the list is taken once that workflow is visible too.
    const [purchase] = await db.orm.em.fork().find(TokenPackPurchase, { customer: customerId });
    const receiptId = async () =>
      (await db.orm.em.getConnection().execute<{ id: string }[]>('select id from notifications where dedupe_key = ?', [`receipt:${purchase!.id}`]))[0]?.id;
    const receipt = await waitFor(receiptId, (id) => id !== undefined, 15_000);
    const before = await waitFor(workflowIdsOfBrand, (l) => l.includes(`notice-delivery:${receipt}`), 15_000);
    const again = await seedDemoThroughWorkflows(input);
    expect(again).toEqual({ planStarted: false, activationsRequested: [], packBought: false });
    expect(await db.orm.em.fork().count(TokenPackPurchase, { customer: customerId })).toBe(1);
    expect(await workflowIdsOfBrand()).toEqual(before);
  });
});
