// Notices reach each user on the channels they chose, through the deliverNotice workflow: a
// failing SMS provider is retried with back-off (the attempts are on the delivery's row) while
// the billing workflow goes on; a refusal is recorded failed with its reason; channels turned
// off are recorded skipped. And the weekly summary: one Schedule, and the mail it sends.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { ensureWeeklySummarySchedule } from '../../clients/weekly-summary-schedule';
import { loadConfig } from '../../domain/infra/config';
import { UsageSignaler } from '../../reconciler/usage-signaler';
import { queueName, taskQueues } from '../../temporal.config';
import type { sendWeeklySummaries } from '../../workflows/send-weekly-summaries';
import type { TestApi } from '../support/api-server';
import { billingState, startBillingStack, startBillingWorkflow, subscribe, type BillingStack } from '../support/billing';
import { memberOf } from '../support/brand';
import type { Session } from '../support/http';
import { consume, meteredBrand, reconcileNow } from '../support/metering';
import { startSms, type TestSms } from '../support/sms';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let env: TestWorkflowEnvironment;
let orm: MikroORM;
let api: TestApi;
let sms: TestSms;

beforeAll(async () => {
  sms = await startSms();
  // Read by the workers' and the API's configuration as they start.
  process.env.SMS_API_BASE = sms.url;
  stack = await startBillingStack();
  ({ env, api } = stack);
  orm = api.deps.orm;
});
afterAll(async () => {
  await stack.stop();
  await sms.close();
});

interface DeliveryRow {
  channel: string;
  status: string;
  reason: string | null;
  attempts: number;
  recipient: string | null;
}

const deliveries = (customerId: string, kind: string) =>
  orm.em.getConnection().execute<DeliveryRow[]>(
    `select d.channel, d.status, d.reason, d.attempts, d.recipient from notification_deliveries d join notifications n on n.id = d.notification_id
      where n.customer_id = ? and n.kind = ? order by d.channel, d.recipient`,
    [customerId, kind],
  );

let phoneSeq = 0;
async function verifyPhone(session: Session): Promise<string> {
  const phone = `+1666${String(process.pid % 1000).padStart(3, '0')}${String(++phoneSeq).padStart(4, '0')}`;
  expect((await session.post('/api/account/phone', { phone })).status).toBe(202);
  const code = /\b(\d{6})\b/.exec(sms.messages.filter((m) => m.to === phone).at(-1)!.body)![1];
  expect((await session.post('/api/account/phone/verify', { code })).status).toBe(200);
  return phone;
}

/** A brand on the starter plan (1 000 tokens) alerting at 1 %, its admin taking usage alerts by email and SMS. */
async function alertingBrand() {
  const b = await meteredBrand(api, { apps: ['advanced-analytics'] });
  await startBillingWorkflow(env.client, b.customerId, { cycleLengthMs: 10 * 60_000 });
  await subscribe(b.admin, 'starter');
  expect((await b.admin.put('/api/billing/alerts', { thresholds: [1] })).status).toBe(200);
  const phone = await verifyPhone(b.admin);
  expect((await b.admin.put('/api/account/notification-preferences', { categories: [{ category: 'usage_alerts', email: true, sms: true }] })).status).toBe(200);
  return { ...b, phone };
}

async function crossThreshold(b: { customerId: string; apiKey: string }) {
  const r = await consume(api, b.apiKey, { app: 'advanced-analytics' });
  expect(r.status).toBe(200);
  await reconcileNow(api, b.customerId);
  await new UsageSignaler(orm, env.client, pino({ level: 'silent' }), loadConfig()).sendPending();
}

describe('delivering a usage alert', () => {
  it('retries a failing SMS with back-off until it is sent, counting attempts, while billing goes on', async () => {
    const b = await alertingBrand();
    sms.failNext(2, 500);
    await crossThreshold(b);
    // The billing workflow's outbox is done as soon as the notice is recorded, SMS or not.
    const state = await waitFor(() => billingState(env.client, b.customerId), (s) => s.outbox.length === 0 && s.alertsSent.length > 0, 10_000);
    expect(state.outbox).toEqual([]);
    const sent = await waitFor(
      () => deliveries(b.customerId, 'usage.alert'),
      (d) => d.find((x) => x.channel === 'sms')?.status === 'sent' && d.find((x) => x.channel === 'email')?.status !== 'pending',
      30_000,
    );
    expect(sent.find((d) => d.channel === 'sms')).toMatchObject({ status: 'sent', attempts: 3, reason: null, recipient: b.phone });
    expect(sent.find((d) => d.channel === 'email')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sent.find((d) => d.channel === 'portal')).toMatchObject({ status: 'sent' });
    expect(sms.messages.filter((m) => m.to === b.phone && /used 1%/.test(m.body))).toHaveLength(1);
    expect(stack.smtp.mails.some((m) => m.subject === "You have used 1% of this cycle's tokens" && m.to.length === 1)).toBe(true);
    // Billing never waited: the brand still consumes.
    expect((await consume(api, b.apiKey, { app: 'advanced-analytics' })).status).toBe(200);
  }, 60_000);

  it('records an SMS the provider refuses as failed, with its reason, after one attempt', async () => {
    const b = await alertingBrand();
    sms.failNext(1, 400);
    await crossThreshold(b);
    // The channels are delivered side by side: wait until both have ended, not just the SMS.
    const rows = await waitFor(
      () => deliveries(b.customerId, 'usage.alert'),
      (d) => d.find((x) => x.channel === 'sms')?.status === 'failed' && d.find((x) => x.channel === 'email')?.status !== 'pending',
      20_000,
    );
    const failed = rows.find((d) => d.channel === 'sms')!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.reason).toMatch(/SMS provider answered 400/);
    expect(rows.find((d) => d.channel === 'email')).toMatchObject({ status: 'sent' });
  }, 40_000);

  it('records channels a user turned off as skipped, saying why', async () => {
    const b = await alertingBrand();
    const viewer = await memberOf(api.url, b.admin, 'viewer');
    await crossThreshold(b);
    const rows = await waitFor(() => deliveries(b.customerId, 'usage.alert'), (d) => d.some((x) => x.status === 'sent' && x.channel === 'email'), 20_000);
    expect(rows.filter((d) => d.recipient === viewer.email)).toEqual([expect.objectContaining({ channel: 'email', status: 'skipped', reason: 'turned off in preferences', attempts: 0 })]);
    expect(rows.filter((d) => d.channel === 'sms' && d.status === 'skipped')).toEqual([expect.objectContaining({ reason: 'turned off in preferences', recipient: null })]);
  }, 40_000);
});

describe('the weekly summary', () => {
  it('has one Schedule however many workers start', async () => {
    const prefix = `sched-${process.pid}-${Date.now().toString(36)}-`;
    const first = await ensureWeeklySummarySchedule(env.client, prefix);
    const second = await ensureWeeklySummarySchedule(env.client, prefix);
    try {
      expect([first.created, second.created]).toEqual([true, false]);
      const ids: string[] = [];
      for await (const s of env.client.schedule.list()) if (s.scheduleId === first.scheduleId) ids.push(s.scheduleId);
      expect(ids).toEqual([`${prefix}weekly-usage-summary`]);
      const described = await env.client.schedule.getHandle(first.scheduleId).describe();
      expect(described.action).toMatchObject({ workflowType: 'sendWeeklySummaries', taskQueue: `${prefix}ops` });
    } finally {
      await env.client.schedule.getHandle(first.scheduleId).delete();
    }
  });

  it('mails tokens by app, the change from last week, the forecast and the usage page to those who want it', async () => {
    const b = await meteredBrand(api, { tokens: 1_000, apps: ['advanced-analytics', 'pd-calculator'] });
    const viewer = await memberOf(api.url, b.admin, 'viewer');
    for (const app of ['advanced-analytics', 'advanced-analytics', 'pd-calculator']) expect((await consume(api, b.apiKey, { app })).status).toBe(200);
    await reconcileNow(api, b.customerId);
    const [admin] = await orm.em.getConnection().execute<{ email: string }[]>("select email from users where customer_id = ? and role = 'admin'", [b.customerId]);
    // The week ending at the next midnight UTC holds today's uses.
    const weekEnd = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000).toISOString();
    const taskQueue = queueName(taskQueues.billing, loadConfig().temporal.taskQueuePrefix);
    const run = (id: string) => env.client.workflow.execute<typeof sendWeeklySummaries>('sendWeeklySummaries', { taskQueue, workflowId: id, args: [{ weekEnd, customerIds: [b.customerId] }] });
    expect(await run(`weekly-test-${b.customerId}`)).toEqual({ weekEnd, brands: 1 });
    const mail = await waitFor(async () => stack.smtp.mails.find((m) => m.to.includes(admin!.email) && m.subject.startsWith('Weekly usage')), (m) => m !== undefined, 20_000);
    const text = mail!.raw.replace(/=\r?\n/g, '');
    expect(mail!.subject).toMatch(/: \d[\d,]* tokens$/);
    expect(text).toMatch(/Advanced Analytics: [\d,]+ tokens \(2 uses\)/);
    expect(text).toMatch(/PD Calculator: [\d,]+ tokens? \(1 use\)/);
    expect(text).toMatch(/no use the week before/);
    expect(text).toMatch(/Forecast: [\d,]+ tokens left/);
    expect(text).toMatch(/\/#\/usage/);
    // The viewer left the weekly summary off (the default for viewers); a second run sends nothing again.
    expect(stack.smtp.mails.some((m) => m.to.includes(viewer.email) && m.subject.startsWith('Weekly usage'))).toBe(false);
    await run(`weekly-test-again-${b.customerId}`);
    const [count] = await orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from notifications where customer_id = ? and kind = 'usage.weekly_summary'", [b.customerId]);
    expect(count!.n).toBe(1);
  }, 40_000);
});
