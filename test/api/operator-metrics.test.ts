// The operator's revenue and adoption figures move exactly with what a test does to the
// database: a paid plan adds its price to MRR, a paid pack its price to pack revenue, a refund
// its amount to refunds, an activation one to the app's adoption. Other files run beside this one
// on the same database, so each check is a delta this file caused (at least), or a rule that
// holds whatever the data (a rate is its parts' quotient).
import { randomUUID } from 'node:crypto';
import { defaultConfiguration } from '../../domain/catalog/app-settings';
import { monthKey, monthStart } from '../../domain/operator/mrr-history';
import { startApi, type TestApi } from '../support/api-server';
import { putOnPlan } from '../support/brand';
import { logIn, Session, signUp, type Res } from '../support/http';
import { activateApps, consume, grant, reconcileNow } from '../support/metering';

let api: TestApi;
let op: Session;
beforeAll(async () => {
  api = await startApi();
  op = await login();
});
afterAll(() => api.close());

const login = async (email?: string) => (await logIn(api.url, email)).session;

const sql = (text: string, values: unknown[] = []) => api.deps.orm.em.getConnection().execute(text, values);
const metrics = async () => {
  const res = await op.get('/api/operator/metrics');
  expect(res.status).toBe(200);
  return res.body;
};
const thisMonth = () => monthKey(new Date());
// Answers are JSON (`any`, as every Session answer): these pick one month's or one app's row.
const ofMonth = (rows: { month: string }[], month = thisMonth()) => rows.find((r) => r.month === month) as Res['body'];
const ofSlug = (rows: { slug: string }[], slug: string) => rows.find((r) => r.slug === slug) as Res['body'];

async function brand(plan: 'starter' | 'professional' | null) {
  const { session, user } = await signUp(api.url, { brandName: `Metrics ${randomUUID().slice(0, 8)}` });
  const customerId = user.customerId as string;
  if (plan) await putOnPlan(api.deps.orm, customerId, plan);
  return { customerId, admin: session };
}

describe('GET /api/operator/metrics', () => {
  it('answers no consume latency before this API served a consume', async () => {
    expect((await metrics()).consumeP95Ms).toBeNull();
  });

  it('adds a paid Starter and a paid Professional brand’s prices to MRR, its movement and paying brands', async () => {
    const before = await metrics();
    await brand('starter');
    await brand('professional');
    const after = await metrics();
    expect(after.mrrCents).toBeGreaterThanOrEqual(before.mrrCents + 2900 + 19900);
    expect(after.payingBrands).toBeGreaterThanOrEqual(before.payingBrands + 2);
    expect(after.arpuCents).toBe(Math.round(after.mrrCents / after.payingBrands));
    expect(ofMonth(after.mrrMovement).newCents).toBeGreaterThanOrEqual(ofMonth(before.mrrMovement).newCents + 2900 + 19900);
    expect(ofMonth(after.mrrMovement).mrrCents).toBeGreaterThanOrEqual(ofMonth(before.mrrMovement).mrrCents + 2900 + 19900);
    expect(after.mrrMovement).toHaveLength(12);
    expect(after.mrrMovement[11].month).toBe(thisMonth());
  });

  it('classifies an upgrade from last month as expansion and a cancellation as churn', async () => {
    const before = await metrics();
    const upgraded = await brand(null);
    const lastMonth = new Date(monthStart(new Date()).getTime() - 5 * 86_400_000);
    // Its history as the trigger would have written it last month: Starter, paid.
    await sql(`insert into subscription_mrr_changes (customer_id, changed_at, plan_key, status, mrr_cents) values (?, ?, 'starter', 'active', 2900)`, [upgraded.customerId, lastMonth]);
    await putOnPlan(api.deps.orm, upgraded.customerId, 'professional');
    const canceled = await brand(null);
    await sql(`insert into subscription_mrr_changes (customer_id, changed_at, plan_key, status, mrr_cents) values (?, ?, 'professional', 'active', 19900)`, [canceled.customerId, lastMonth]);
    await putOnPlan(api.deps.orm, canceled.customerId, 'professional');
    await sql(`update customer_billing set status = 'canceled' where customer_id = ?`, [canceled.customerId]);
    const after = await metrics();
    expect(ofMonth(after.mrrMovement).expansionCents).toBeGreaterThanOrEqual(ofMonth(before.mrrMovement).expansionCents + 19900 - 2900);
    expect(ofMonth(after.mrrMovement).churnCents).toBeGreaterThanOrEqual(ofMonth(before.mrrMovement).churnCents + 19900);
    const [row] = await sql('select count(*) as n from subscription_mrr_changes where customer_id = ?', [canceled.customerId]);
    expect(Number((row as { n: string }).n)).toBe(3);
  });

  it('adds a paid pack’s price to pack revenue (total and this month) and its refund to refunds', async () => {
    const { customerId } = await brand(null);
    const before = await metrics();
    const purchaseId = randomUUID();
    await sql(
      `insert into token_pack_purchases (id, customer_id, pack_id, status, tokens, amount_cents, paid_at, refunded_cents)
       select ?, ?, id, 'credited', tokens, price_cents, now(), 0 from token_packs where lookup_key = 'tokens_5k'`,
      [purchaseId, customerId],
    );
    const paid = await metrics();
    expect(paid.packRevenueCents).toBeGreaterThanOrEqual(before.packRevenueCents + 17900);
    expect(ofMonth(paid.packRevenueByMonth).cents).toBeGreaterThanOrEqual(ofMonth(before.packRevenueByMonth).cents + 17900);
    await sql(`update token_pack_purchases set refunded_cents = 17900, refunded_at = now(), status = 'refunded' where id = ?`, [purchaseId]);
    const refunded = await metrics();
    expect(refunded.refundsCents).toBeGreaterThanOrEqual(paid.refundsCents + 17900);
    expect(ofMonth(refunded.refundsByMonth).cents).toBeGreaterThanOrEqual(ofMonth(paid.refundsByMonth).cents + 17900);
    // Gross: a refund does not lower pack revenue.
    expect(refunded.packRevenueCents).toBeGreaterThanOrEqual(paid.packRevenueCents);
  });

  it('adds a refund of a charge that is not a pack’s (an invoice) to refunds, at its latest cumulative amount', async () => {
    const before = await metrics();
    const charge = `ch_m${randomUUID().slice(0, 12)}`;
    for (const refunded of [1000, 2500]) {
      const id = `evt_m${randomUUID().slice(0, 12)}`;
      await sql(`insert into stripe_events (id, type, object_id, payload, processed_at) values (?, 'charge.refunded', ?, ?::jsonb, now())`, [
        id,
        charge,
        JSON.stringify({ id, type: 'charge.refunded', data: { object: { id: charge, object: 'charge', invoice: `in_${charge}`, amount: 19900, amount_refunded: refunded } } }),
      ]);
    }
    const after = await metrics();
    expect(after.refundsCents).toBeGreaterThanOrEqual(before.refundsCents + 2500);
    expect(ofMonth(after.refundsByMonth).cents).toBeGreaterThanOrEqual(ofMonth(before.refundsByMonth).cents + 2500);
  });

  it('counts adoption as brands with the app active over brands whose plan includes it', async () => {
    const before = await metrics();
    const starter = await brand('starter');
    await activateApps(api.deps.orm, api.deps.redis, starter.customerId, ['pd-calculator']);
    const after = await metrics();
    const pd = { before: ofSlug(before.adoption, 'pd-calculator'), after: ofSlug(after.adoption, 'pd-calculator') };
    expect(pd.after.eligibleBrands).toBeGreaterThanOrEqual(pd.before.eligibleBrands + 1);
    expect(pd.after.activeBrands).toBeGreaterThanOrEqual(pd.before.activeBrands + 1);
    for (const a of after.adoption) {
      expect(a.activeBrands).toBeLessThanOrEqual(a.eligibleBrands);
      expect(a.rate).toBeCloseTo(a.eligibleBrands === 0 ? 0 : a.activeBrands / a.eligibleBrands, 10);
    }
    expect(after.adoption).toHaveLength(10);
    const month = ofMonth(after.adoptionByMonth);
    expect(Object.keys(month.bySlug).sort()).toEqual(after.adoption.map((a: { slug: string }) => a.slug).sort());
  });

  it('counts an app as configured once its saved configuration differs from the defaults', async () => {
    const { customerId } = await brand('starter');
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['frame-finder']);
    const before = ofSlug((await metrics()).configurationCompletion, 'frame-finder');
    const save = async (version: number, configuration: Record<string, unknown>) => {
      await sql(
        `insert into app_configuration_versions (customer_id, app_id, version, configuration) select ?, id, ?, ?::jsonb from apps where slug = 'frame-finder'`,
        [customerId, version, JSON.stringify(configuration)],
      );
      await sql(`update customer_apps set configuration = ?::jsonb where customer_id = ? and app_id = (select id from apps where slug = 'frame-finder')`, [JSON.stringify(configuration), customerId]);
    };
    const defaults = defaultConfiguration('frame-finder');
    await save(1, defaults);
    const unchanged = ofSlug((await metrics()).configurationCompletion, 'frame-finder');
    expect(unchanged.configuredBrands - before.configuredBrands).toBeLessThanOrEqual(unchanged.activeBrands - before.activeBrands);
    const changedKey = Object.keys(defaults)[0]!;
    await save(2, { ...defaults, [changedKey]: typeof defaults[changedKey] === 'string' ? `${String(defaults[changedKey])}-x` : !defaults[changedKey] });
    const changed = ofSlug((await metrics()).configurationCompletion, 'frame-finder');
    expect(changed.configuredBrands).toBeGreaterThanOrEqual(unchanged.configuredBrands + 1);
    expect(changed.rate).toBeCloseTo(changed.configuredBrands / changed.activeBrands, 10);
  });

  it('counts live uses per active app, time to a first storefront call, and the consume latency', async () => {
    const before = await metrics();
    const { customerId, admin } = await brand('starter');
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['frame-finder']);
    await grant(api, customerId, 100);
    const key = await admin.post('/api/api-keys', { name: 'server' });
    for (let i = 0; i < 4; i++) expect((await consume(api, key.body.secret, { app: 'frame-finder' })).status).toBe(200);
    await reconcileNow(api, customerId);
    await sql(`insert into widget_first_calls (customer_id, app_id, mode, first_call_at) select ?, id, 'live', now() from apps where slug = 'frame-finder'`, [customerId]);
    const after = await metrics();
    const ff = { before: ofSlug(before.usagePerActiveApp, 'frame-finder'), after: ofSlug(after.usagePerActiveApp, 'frame-finder') };
    expect(ff.after.uses).toBeGreaterThanOrEqual(ff.before.uses + 4);
    expect(ff.after.tokens).toBeGreaterThanOrEqual(ff.before.tokens + 8);
    expect(ff.after.tokensPerActiveBrand).toBe(Math.round(ff.after.tokens / ff.after.activeBrands));
    expect(after.timeToFirstCall.brands).toBeGreaterThanOrEqual(before.timeToFirstCall.brands + 1);
    expect(after.timeToFirstCall.medianHours).toBeLessThanOrEqual(after.timeToFirstCall.p90Hours);
    expect(after.consumeP95Ms).toBeGreaterThan(0);
  });

  it('answers retention for 30, 60 and 90 days, and defines every figure it answers', async () => {
    const m = await metrics();
    expect(m.retention.map((r: { days: number }) => r.days)).toEqual([30, 60, 90]);
    for (const r of m.retention) {
      expect(r.retained).toBeLessThanOrEqual(r.cohort);
      expect(r.rate).toBeCloseTo(r.cohort === 0 ? 0 : r.retained / r.cohort, 10);
    }
    for (const figure of Object.keys(m).filter((k) => k !== 'definitions')) expect({ figure, defined: typeof m.definitions[figure] }).toEqual({ figure, defined: 'string' });
  });

  it('counts a brand paying 90 days ago and still paying in the 90-day cohort and as retained', async () => {
    const before = (await metrics()).retention.find((r: { days: number }) => r.days === 90);
    const { customerId } = await brand(null);
    await sql(`insert into subscription_mrr_changes (customer_id, changed_at, plan_key, status, mrr_cents) values (?, now() - interval '100 days', 'starter', 'active', 2900)`, [customerId]);
    const after = (await metrics()).retention.find((r: { days: number }) => r.days === 90);
    expect(after.cohort).toBeGreaterThanOrEqual(before.cohort + 1);
    expect(after.retained).toBeGreaterThanOrEqual(before.retained + 1);
  });
});

describe('GET /api/operator/metrics refuses everyone but operators', () => {
  it.each(['admin@demo.varai.test', 'manager@demo.varai.test', 'viewer@demo.varai.test'])('answers %s 403 FORBIDDEN', async (email) => {
    const res = await (await login(email)).get('/api/operator/metrics');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'operate' } });
  });

  it('answers 401 without a session', async () => {
    expect((await new Session(api.url).get('/api/operator/metrics')).status).toBe(401);
  });
});
