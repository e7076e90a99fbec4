// Operator alerts: raised once per dedupe key, emailed once to every operator by a workflow,
// listed to operators until one acknowledges it, and closed to brand staff.
import { alertOperators } from '../../clients/operator-alerts';
import { loadConfig } from '../../domain/infra/config';
import { raiseOperatorAlert } from '../../domain/operator/alerts';
import { queueName, taskQueues } from '../../temporal.config';
import { startApi, type TestApi } from '../support/api-server';
import { logIn, Session, signUp } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';

let api: TestApi;
let worker: TestWorker;
let smtp: TestSmtp;
let op: Session;
let brand: Awaited<ReturnType<typeof signUp>>;
const opsQueue = queueName(taskQueues.ops, loadConfig().temporal.taskQueuePrefix);

beforeAll(async () => {
  smtp = await startSmtp();
  worker = await startTestWorker(taskQueues.ops, { SMTP_URL: smtp.url });
  api = await startApi();
  op = (await logIn(api.url)).session;
  brand = await signUp(api.url);
});
afterAll(async () => {
  await api.close();
  await worker.stop();
  await smtp.close();
});

const alertFor = (key: string) => ({ kind: 'balance-drift', dedupeKey: key, customerId: brand.user.customerId as string, subject: `Drift ${key}`, text: `Balance drift ${key}: 42 tokens`, details: { differenceTokens: 42 } });
const unique = (tag: string) => `test:${tag}:${Date.now()}:${Math.random().toString(36).slice(2)}`;

describe('raiseOperatorAlert', () => {
  it('records an alert once per dedupe key, answering the same id to the repeat', async () => {
    const key = unique('once');
    const first = await raiseOperatorAlert(api.deps.orm, alertFor(key));
    const second = await raiseOperatorAlert(api.deps.orm, alertFor(key));
    expect(first.raised).toBe(true);
    expect(second).toEqual({ alertId: first.alertId, raised: false });
    const rows = await api.deps.orm.em.getConnection().execute('select id from operator_alerts where dedupe_key = ?', [key]);
    expect(rows).toHaveLength(1);
  });
});

describe('the alert email', () => {
  it('goes to every operator once, however often the alert is raised', async () => {
    const key = unique('mail');
    const { alertId } = await alertOperators(api.deps.orm, worker.env.client, opsQueue, alertFor(key));
    await alertOperators(api.deps.orm, worker.env.client, opsQueue, alertFor(key));
    const mails = await waitFor(async () => smtp.mails.filter((m) => m.subject.includes(key)), (m) => m.length > 0, 20_000);
    const operators = await api.deps.orm.em.getConnection().execute<{ email: string }[]>(`select email from users where role = 'operator' and disabled_at is null`);
    expect(mails[0]!.to.map((t) => t.toLowerCase()).sort()).toEqual(operators.map((o) => o.email).sort());
    expect(mails[0]!.raw).toContain('42 tokens');
    const [row] = await api.deps.orm.em.getConnection().execute<{ emailed_at: Date | null }[]>('select emailed_at from operator_alerts where id = ?', [alertId]);
    expect(row!.emailed_at).not.toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.filter((m) => m.subject.includes(key))).toHaveLength(1);
  });
});

describe('GET /api/operator/alerts and acknowledge', () => {
  it('lists an open alert with its brand, then, once acknowledged, only under status=all', async () => {
    const key = unique('ack');
    const { alertId } = await raiseOperatorAlert(api.deps.orm, alertFor(key));
    const open = await op.get('/api/operator/alerts?status=open');
    expect(open.status).toBe(200);
    expect(open.body.alerts.find((a: { id: string }) => a.id === alertId)).toMatchObject({
      kind: 'balance-drift', customerId: brand.user.customerId, customerName: expect.any(String), details: { differenceTokens: 42 }, acknowledgedAt: null, acknowledgedBy: null,
    });
    const ack = await op.post(`/api/operator/alerts/${alertId}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.alert).toMatchObject({ id: alertId, acknowledgedBy: 'operator@varai.test', acknowledgedAt: expect.any(String) });
    const again = await op.post(`/api/operator/alerts/${alertId}/acknowledge`);
    expect(again.body.alert.acknowledgedAt).toBe(ack.body.alert.acknowledgedAt);
    const audits = await api.deps.orm.em.getConnection().execute(`select id from audit_log where action = 'operator_alert.acknowledged' and target_id = ?`, [alertId]);
    expect(audits).toHaveLength(1);
    expect((await op.get('/api/operator/alerts')).body.alerts.map((a: { id: string }) => a.id)).not.toContain(alertId);
    expect((await op.get('/api/operator/alerts?status=all')).body.alerts.map((a: { id: string }) => a.id)).toContain(alertId);
  });

  it('answers 404 NOT_FOUND for an unknown alert and 422 for a bad status or id', async () => {
    const unknown = await op.post('/api/operator/alerts/00000000-0000-4000-8000-000000000000/acknowledge');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await op.get('/api/operator/alerts?status=closed')).status).toBe(422);
    expect((await op.post('/api/operator/alerts/nope/acknowledge')).status).toBe(422);
  });

  it('refuses brand staff with 403 FORBIDDEN', async () => {
    const res = await brand.session.get('/api/operator/alerts');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});
