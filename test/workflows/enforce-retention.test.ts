// The retention policy, run as its Schedule would run it: invitations, delivery logs and sign-ins
// past their periods go, younger rows and deliveries still in flight stay, and a second run
// finds nothing more. The Schedule itself exists once however many workers start.
import { randomUUID } from 'node:crypto';
import { ensureRetentionSchedule } from '../../clients/retention-schedule';
import { enforceRetentionPolicy, retentionDays } from '../../domain/privacy/retention';
import { queueName, taskQueues } from '../../temporal.config';
import { enforceRetentionWorkflowType } from '../../workflows/privacy/messages';
import { startApi, type TestApi } from '../support/api-server';
import { signUp } from '../support/http';
import { startTestWorker, type TestWorker } from '../support/temporal';

let api: TestApi;
let worker: TestWorker;
beforeAll(async () => {
  [api, worker] = await Promise.all([startApi(), startTestWorker(taskQueues.ops)]);
});
afterAll(async () => {
  await worker.stop();
  await api.close();
});

const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => api.deps.orm.em.getConnection().execute<T[]>(text, values);
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

interface Seeded {
  customerId: string;
  invitations: { old: string; accepted: string; recent: string };
  deliveries: { old: string; pending: string; recent: string };
  notices: { old: string; recent: string };
  signIns: { old: string; recent: string };
}

/** One brand's rows on both sides of each period. */
async function seed(): Promise<Seeded> {
  const { user } = await signUp(api.url);
  const customerId = user.customerId as string;
  const invitation = async (expiresAt: Date, acceptedAt: Date | null) =>
    (await sql<{ id: string }>(
      "insert into team_invitations (customer_id, email, role, token_hash, expires_at, accepted_at) values (?, ?, 'viewer', ?, ?, ?) returning id",
      [customerId, `${randomUUID()}@example.test`, randomUUID().replace(/-/g, ''), expiresAt, acceptedAt],
    ))[0]!.id;
  const notice = async (createdAt: Date) =>
    (await sql<{ id: string }>(
      "insert into notifications (customer_id, kind, channel, recipient, subject, body, dedupe_key, created_at) values (?, 'usage.alert', 'email', 'a@example.test', 's', 'b', ?, ?) returning id",
      [customerId, `retention:${randomUUID()}`, createdAt],
    ))[0]!.id;
  const oldNotice = await notice(daysAgo(retentionDays.deliveries + 10));
  const recentNotice = await notice(daysAgo(1));
  const delivery = async (notificationId: string, status: string, createdAt: Date) =>
    (await sql<{ id: string }>(
      "insert into notification_deliveries (notification_id, user_id, channel, recipient, status, created_at) values (?, ?, 'email', 'a@example.test', ?, ?) returning id",
      [notificationId, user.id, status, createdAt],
    ))[0]!.id;
  const signIn = async (at: Date) => (await sql<{ id: string }>("insert into sign_ins (user_id, at, ip, succeeded) values (?, ?, '203.0.113.9', true) returning id", [user.id, at]))[0]!.id;
  return {
    customerId,
    invitations: {
      old: await invitation(daysAgo(retentionDays.invitations + 5), null),
      accepted: await invitation(daysAgo(retentionDays.invitations + 20), daysAgo(retentionDays.invitations + 1)),
      recent: await invitation(daysAgo(1), null),
    },
    deliveries: {
      old: await delivery(oldNotice, 'sent', daysAgo(retentionDays.deliveries + 10)),
      pending: (await sql<{ id: string }>(
        "insert into notification_deliveries (notification_id, user_id, channel, recipient, status, created_at) values (?, ?, 'sms', '+15550001111', 'pending', ?) returning id",
        [oldNotice, user.id, daysAgo(retentionDays.deliveries + 10)],
      ))[0]!.id,
      recent: await delivery(recentNotice, 'sent', daysAgo(1)),
    },
    notices: { old: oldNotice, recent: recentNotice },
    signIns: { old: await signIn(daysAgo(retentionDays.signIns + 1)), recent: await signIn(daysAgo(1)) },
  };
}

const exists = async (table: string, id: string) => (await sql(`select 1 from ${table} where id = ?`, [id])).length === 1;

describe('the retention job', () => {
  it('deletes what is past its period and keeps the rest, when its workflow runs on the ops queue', async () => {
    const s = await seed();
    const result = await worker.env.client.workflow.execute(enforceRetentionWorkflowType, {
      taskQueue: queueName(taskQueues.ops, process.env.TEMPORAL_TASK_QUEUE_PREFIX!),
      workflowId: `retention-test-${randomUUID()}`,
      args: [],
    });
    expect(result).toEqual({ invitations: expect.any(Number), deliveries: expect.any(Number), noticeRecipients: expect.any(Number), signIns: expect.any(Number) });
    expect(result.invitations).toBeGreaterThanOrEqual(2);
    expect(result.signIns).toBeGreaterThanOrEqual(1);

    expect([await exists('team_invitations', s.invitations.old), await exists('team_invitations', s.invitations.accepted), await exists('team_invitations', s.invitations.recent)]).toEqual([false, false, true]);
    expect([await exists('notification_deliveries', s.deliveries.old), await exists('notification_deliveries', s.deliveries.pending), await exists('notification_deliveries', s.deliveries.recent)]).toEqual([false, true, true]);
    expect(await sql('select id, recipient from notifications where id in (?, ?) order by created_at', [s.notices.old, s.notices.recent])).toEqual([
      { id: s.notices.old, recipient: null },
      { id: s.notices.recent, recipient: 'a@example.test' },
    ]);
    expect([await exists('sign_ins', s.signIns.old), await exists('sign_ins', s.signIns.recent)]).toEqual([false, true]);
  });

  it('finds nothing more of a brand on a second run', async () => {
    const s = await seed();
    await enforceRetentionPolicy(api.deps.orm);
    const counted = async () => Number((await sql<{ n: string }>('select (select count(*) from team_invitations where customer_id = ?) + (select count(*) from sign_ins where user_id in (select id from users where customer_id = ?)) as n', [s.customerId, s.customerId]))[0]!.n);
    const after = await counted();
    await enforceRetentionPolicy(api.deps.orm);
    expect(await counted()).toBe(after);
  });

  it('has one Schedule, daily, on the ops queue, however many workers start', async () => {
    const prefix = `ret-${process.pid}-${Date.now().toString(36)}-`;
    const first = await ensureRetentionSchedule(worker.env.client, prefix);
    const second = await ensureRetentionSchedule(worker.env.client, prefix);
    try {
      expect([first.created, second.created]).toEqual([true, false]);
      expect(first.scheduleId).toBe(`${prefix}data-retention`);
      const described = await worker.env.client.schedule.getHandle(first.scheduleId).describe();
      expect(described.action).toMatchObject({ workflowType: 'enforceRetention', taskQueue: `${prefix}ops` });
      expect(described.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] })]);
    } finally {
      await worker.env.client.schedule.getHandle(first.scheduleId).delete();
    }
  });
});
