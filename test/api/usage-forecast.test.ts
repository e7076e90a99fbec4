// GET /api/usage/forecast and weeklyUsageSummary: the balance, burn rate and exhaustion of a brand
// from the ledger and the usage_hourly rollup.
import { weeklyUsageSummary } from '../../domain/usage/summary';
import { startApi, type TestApi } from '../support/api-server';
import { memberOf } from '../support/brand';
import { grant, meteredBrand } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const day = 86_400_000;
const today = () => Math.floor(Date.now() / day) * day;
const sql = (q: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute(q, params);

/** `tokens` net per day on pd-calculator, for each of the `days` complete days before today (or before `beforeMs`). */
async function burnt(customerId: string, days: number, tokens: number, beforeMs = today()) {
  await sql(
    `insert into usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens)
     select ?, 'live', d, a.id, null, ?, ? from generate_series(?::timestamptz, ?::timestamptz, interval '1 day') d, apps a where a.slug = 'pd-calculator'`,
    [customerId, tokens, tokens, new Date(beforeMs - days * day + 12 * 3_600_000), new Date(beforeMs - day + 12 * 3_600_000)],
  );
}

async function onPlan(customerId: string, plan: string, cycleEndMs: number | null) {
  await sql(
    `insert into customer_billing (customer_id, plan_id, status, cycle_start_at, cycle_end_at, updated_at)
     select ?, id, 'active', ?, ?, now() from billing_plans where lookup_key = ?
     on conflict (customer_id) do update set plan_id = excluded.plan_id, cycle_start_at = excluded.cycle_start_at, cycle_end_at = excluded.cycle_end_at`,
    [customerId, new Date(today() - 10 * day), cycleEndMs === null ? null : new Date(cycleEndMs), plan],
  );
}

describe('GET /api/usage/forecast', () => {
  it('forecasts exhaustion before the cycle end at the trailing 7-day rate, with a pack to cover it', async () => {
    const b = await meteredBrand(api, { tokens: 1_000 });
    await onPlan(b.customerId, 'starter', today() + 20 * day);
    await burnt(b.customerId, 7, 100);
    const viewer = (await memberOf(api.url, b.admin, 'viewer')).session;
    const res = await viewer.get('/api/usage/forecast');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ balance: 1_000, burnPerDay: 100, method: 'trailing-7-day', beforeCycleEnd: true, cycleEndsAt: new Date(today() + 20 * day).toISOString() });
    expect(Date.parse(res.body.exhaustsAt) - Date.now()).toBeGreaterThan(9.9 * day);
    expect(Date.parse(res.body.exhaustsAt) - Date.now()).toBeLessThan(10.1 * day);
    expect(res.body.suggestion).toMatchObject({ kind: 'pack', name: '1,000 tokens' });
    expect(res.body.forecastSeries[0].balance).toBe(1_000);
    expect(res.body.forecastSeries.at(-1).balance).toBe(0);
  });

  it('draws the balance over the cycle so far, ending at the balance now', async () => {
    const b = await meteredBrand(api, {});
    await grant(api, b.customerId, 1_000, 'token_pack', { effectiveAt: new Date(today() - 11 * day) });
    await onPlan(b.customerId, 'starter', today() + 20 * day);
    await burnt(b.customerId, 3, 100);
    const res = await b.admin.get('/api/usage/forecast');
    const series = res.body.balanceSeries as { at: string; balance: number }[];
    expect(series).toHaveLength(11);
    expect(series.at(-1)!.balance).toBe(1_000);
    expect(series.slice(-5, -1).map((p) => p.balance)).toEqual([1_300, 1_200, 1_100, 1_000]);
  });

  it('forecasts nothing for an unlimited plan: balance null and no exhaustion', async () => {
    const b = await meteredBrand(api, {});
    await onPlan(b.customerId, 'enterprise', today() + 20 * day);
    await burnt(b.customerId, 7, 100);
    const res = await b.admin.get('/api/usage/forecast');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ balance: null, burnPerDay: 100, exhaustsAt: null, beforeCycleEnd: false, suggestion: null, forecastSeries: [], balanceSeries: [] });
  });

  it('never runs out for a brand that uses nothing', async () => {
    const b = await meteredBrand(api, { tokens: 500 });
    const res = await b.admin.get('/api/usage/forecast');
    expect(res.body).toMatchObject({ balance: 500, burnPerDay: 0, exhaustsAt: null, beforeCycleEnd: false, suggestion: null, cycleEndsAt: null });
  });
});

describe('weeklyUsageSummary', () => {
  it('sums the week by app, compares it with the week before and adds the forecast', async () => {
    const b = await meteredBrand(api, {});
    // Effective before the week's end, which is when the summary reads the balance.
    await grant(api, b.customerId, 10_001, 'token_pack', { effectiveAt: new Date(today() - 20 * day) });
    await burnt(b.customerId, 7, 150);
    await burnt(b.customerId, 7, 100, today() - 7 * day);
    const s = await weeklyUsageSummary(api.deps.orm.em.fork(), b.customerId, new Date(today()));
    expect(s).toMatchObject({ byApp: [{ slug: 'pd-calculator', name: 'PD Calculator', uses: 1_050, tokens: 1_050 }], tokens: 1_050, previousTokens: 700, changePct: 50 });
    expect(s.forecast).toMatchObject({ balance: 10_001, burnPerDay: 150, method: 'weekday-aware' });
  });
});
