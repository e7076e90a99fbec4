// A downgrade's period end on the real Temporal dev server: enforcePlanEntitlements turns off,
// through the appActivation workflow, every app the new plan does not include, with one notice each.
import { createEntitlementActivities } from '../../activities/entitlements';
import { loadConfig } from '../../domain/infra/config';
import { taskQueues } from '../../temporal.config';
import { startApi, type TestApi } from '../support/api-server';
import { signUp, type Session } from '../support/http';
import { startTestWorker, type TestWorker } from '../support/temporal';

let tw: TestWorker;
let api: TestApi;

beforeAll(async () => {
  tw = await startTestWorker(taskQueues.activations);
  api = await startApi();
});

afterAll(async () => {
  await api.close();
  await tw.stop();
});

const sql = <T>(query: string, params: unknown[]) => tw.orm.em.getConnection().execute<T[]>(query, params);

async function setPlan(customerId: string, plan: 'starter' | 'professional') {
  await sql(
    `insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = ?
     on conflict (customer_id) do update set plan_id = excluded.plan_id`,
    [customerId, plan],
  );
}

/** Polls GET /api/apps/:slug, as the portal does, for at most 15 s. */
async function waitForStatus(admin: Session, slug: string, status: string) {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await admin.get(`/api/apps/${slug}`);
    const current = res.body.app?.activation?.status;
    if (current === status || Date.now() > until) {
      expect(current).toBe(status);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const notices = (customerId: string) =>
  sql<{ subject: string; body: string; channel: string }>("select subject, body, channel from notifications where customer_id = ? and kind = 'app.deactivated_by_plan'", [customerId]);

describe('enforcePlanEntitlements', () => {
  it('after a downgrade to Starter, deactivates only the apps Starter lacks, with one notice each, and repeats nothing', async () => {
    const { session: admin, user } = await signUp(api.url);
    const customerId = user.customerId as string;
    await setPlan(customerId, 'professional');
    for (const slug of ['virtual-try-on', 'pd-calculator']) {
      expect((await admin.post(`/api/apps/${slug}/activate`)).status).toBe(202);
      await waitForStatus(admin, slug, 'active');
    }
    await setPlan(customerId, 'starter');
    const { enforcePlanEntitlements } = createEntitlementActivities({ orm: tw.orm, temporal: tw.env.client, taskQueuePrefix: loadConfig().temporal.taskQueuePrefix });

    expect(await enforcePlanEntitlements({ customerId })).toEqual({ plan: 'starter', deactivated: ['virtual-try-on'], notified: 1 });
    await waitForStatus(admin, 'virtual-try-on', 'inactive');
    await waitForStatus(admin, 'pd-calculator', 'active');
    expect(await notices(customerId)).toEqual([
      { channel: 'portal', subject: 'Virtual Try-On was turned off', body: expect.stringMatching(/Starter plan.*Professional plan includes it/) },
    ]);

    expect(await enforcePlanEntitlements({ customerId })).toEqual({ plan: 'starter', deactivated: [], notified: 0 });
    expect(await notices(customerId)).toHaveLength(1);
  });

  it('writes the notice once when retried before the deactivation has begun', async () => {
    const { session: admin, user } = await signUp(api.url);
    const customerId = user.customerId as string;
    await setPlan(customerId, 'professional');
    expect((await admin.post('/api/apps/virtual-try-on/activate')).status).toBe(202);
    await waitForStatus(admin, 'virtual-try-on', 'active');
    await setPlan(customerId, 'starter');
    // A client that cannot start workflows: the activity fails after writing the notice, as a crash would.
    const broken = { workflow: { signalWithStart: () => Promise.reject(new Error('Temporal unreachable')) } } as unknown as typeof tw.env.client;
    await expect(createEntitlementActivities({ orm: tw.orm, temporal: broken, taskQueuePrefix: '' }).enforcePlanEntitlements({ customerId })).rejects.toThrow('Temporal unreachable');
    expect((await notices(customerId)).length).toBe(1);

    const retried = await createEntitlementActivities({ orm: tw.orm, temporal: tw.env.client, taskQueuePrefix: loadConfig().temporal.taskQueuePrefix }).enforcePlanEntitlements({ customerId });
    expect(retried).toEqual({ plan: 'starter', deactivated: ['virtual-try-on'], notified: 0 });
    await waitForStatus(admin, 'virtual-try-on', 'inactive');
    expect((await notices(customerId)).length).toBe(1);
  });
});
