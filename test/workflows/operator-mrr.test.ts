// The operator's MRR agrees with Stripe's objects as the billing workflow stores them: a plan
// bought through the real test-mode checkout (signed events, the billing workflow, its activities
// writing the read model as the app's database role) lands in the MRR history and the metrics,
// and an upgrade is an expansion of exactly the price difference.
import { randomUUID } from 'node:crypto';
import { taskQueues } from '../../temporal.config';
import { startBillingStack, startBillingWorkflow, subscribe, type BillingStack } from '../support/billing';
import { logIn } from '../support/http';
import { meteredBrand } from '../support/metering';

let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack([taskQueues.activations]);
});
afterAll(() => stack.stop());

const history = (customerId: string) =>
  stack.api.deps.orm.em
    .getConnection()
    .execute<{ plan_key: string | null; status: string | null; mrr_cents: string }[]>('select plan_key, status, mrr_cents from subscription_mrr_changes where customer_id = ? order by changed_at, id', [customerId]);

it('records a paid Starter checkout and its upgrade to Professional, and the metrics count them', async () => {
  const op = (await logIn(stack.api.url)).session;
  const before = (await op.get('/api/operator/metrics')).body;
  const b = await meteredBrand(stack.api, { apps: ['pd-calculator'] });
  await startBillingWorkflow(stack.env.client, b.customerId, { cycleLengthMs: 10 * 60_000 });
  await subscribe(b.admin, 'starter');
  expect((await b.admin.post('/api/billing/subscription', { plan: 'professional' }, { 'idempotency-key': randomUUID() })).body).toMatchObject({ outcome: 'upgraded' });

  expect((await history(b.customerId)).map((r) => [r.plan_key, r.status, Number(r.mrr_cents)])).toEqual([
    ['starter', 'active', 2900],
    ['professional', 'active', 19900],
  ]);
  const after = (await op.get('/api/operator/metrics')).body;
  const month = (m: { mrrMovement: { newCents: number }[] }) => m.mrrMovement[m.mrrMovement.length - 1]!;
  expect(after.mrrCents).toBeGreaterThanOrEqual(before.mrrCents + 19900);
  // Within one month a brand that starts paying is new at its month-end price.
  expect(month(after).newCents).toBeGreaterThanOrEqual(month(before).newCents + 19900);
  const brand = (await op.get(`/api/operator/brands/${b.customerId}`)).body;
  expect(brand).toMatchObject({ plan: 'professional', billingStatus: 'active', cycle: { startAt: expect.any(String), endAt: expect.any(String) } });
});
