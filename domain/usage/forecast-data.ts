// What the forecast reads for one brand: the ledger's balance, the cycle and plan, the packs and
// plans on sale, and daily net usage from the usage_daily rollup (never token_usage). The
// balance is the reconciled one (the ledger), as the rollup is: both lag the live balance by the
// reconciler's few seconds, and they agree with each other.
import type { EntityManager } from '@mikro-orm/postgresql';
import { availableTokens, ledgerBalance } from '../metering/ledger-balance';
import { fromBigintColumn } from '../units';
import { forecastExhaustion, type DailyTokens, type Forecast, type PackOffer, type PlanOffer } from './forecast';
import { dayMs } from './range';

export interface UsageForecast extends Forecast {
  /** The cycle so far (30 days without a cycle), the balance at each UTC midnight, then now. */
  balanceSeries: { at: string; balance: number }[];
}

const historyDays = 28;
const startOfDay = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/** Net live tokens per UTC day in [fromMs, toMs), zero-filled from the brand's first use (or fromMs). */
export async function dailyNetTokens(em: EntityManager, customerId: string, fromMs: number, toMs: number): Promise<DailyTokens[]> {
  const rows = await em.execute<{ day: Date; tokens: string }[]>(
    `select day, sum(tokens - refunded_tokens) as tokens
       from usage_daily where customer_id = ? and mode = 'live' and day >= ? and day < ? group by 1`,
    [customerId, new Date(fromMs), new Date(toMs)],
  );
  const [first] = await em.execute<{ at: Date | null }[]>(`select min(day) as at from usage_daily where customer_id = ? and mode = 'live'`, [customerId]);
  if (!first?.at) return [];
  const byDay = new Map(rows.map((r) => [new Date(r.day).getTime(), fromBigintColumn(r.tokens, 'tokens')]));
  const out: DailyTokens[] = [];
  for (let d = Math.max(startOfDay(fromMs), startOfDay(new Date(first.at).getTime())); d < toMs; d += dayMs) out.push({ dayMs: d, tokens: byDay.get(d) ?? 0 });
  return out;
}

export async function usageForecast(em: EntityManager, customerId: string, now: Date): Promise<UsageForecast> {
  const nowMs = now.getTime();
  const today = startOfDay(nowMs);
  const ledger = await ledgerBalance(em, customerId, now);
  const balance = availableTokens(ledger, now);
  const [billing] = await em.execute<{ cycle_start_at: Date | null; cycle_end_at: Date | null; status: string; plan_id: string | null }[]>(
    'select cycle_start_at, cycle_end_at, status, plan_id from customer_billing where customer_id = ?',
    [customerId],
  );
  const plans = (await em.execute<{ id: string; name: string; allowance_tokens: string | null; price_cents: string }[]>('select id, name, allowance_tokens, price_cents from billing_plans')).map(
    (p): PlanOffer => ({ id: p.id, name: p.name, allowanceTokens: p.allowance_tokens === null ? null : fromBigintColumn(p.allowance_tokens, 'allowance'), priceCents: fromBigintColumn(p.price_cents, 'price') }),
  );
  const packs = (await em.execute<{ id: string; name: string; tokens: string; price_cents: string }[]>('select id, name, tokens, price_cents from token_packs')).map(
    (p): PackOffer => ({ id: p.id, name: p.name, tokens: fromBigintColumn(p.tokens, 'tokens'), priceCents: fromBigintColumn(p.price_cents, 'price') }),
  );
  const hasCycle = billing?.plan_id != null && billing.status !== 'canceled' && billing.cycle_end_at != null;
  const cycleEndsAtMs = hasCycle ? new Date(billing.cycle_end_at!).getTime() : null;
  const cycleStartMs = hasCycle && billing.cycle_start_at ? new Date(billing.cycle_start_at).getTime() : today - 30 * dayMs;
  const history = await dailyNetTokens(em, customerId, today - historyDays * dayMs, today);
  const [todaySoFar] = await dailyNetTokens(em, customerId, today, today + dayMs);
  const forecast = forecastExhaustion({
    nowMs, balance, history, todayTokens: todaySoFar?.tokens ?? 0, cycleEndsAtMs, packs, plans,
    currentPlan: hasCycle ? (plans.find((p) => p.id === billing.plan_id) ?? null) : null,
  });
  return { ...forecast, balanceSeries: balance === null ? [] : await balanceSeries(em, customerId, balance, cycleStartMs, nowMs, ledger.grants) };
}

/**
 * The balance at each UTC midnight of the cycle so far, walked back from now: add back the net
 * tokens used after that midnight (the rollup) and take out the grants credited after it (packs
 * bought mid-cycle). Adjustments and clawbacks are not walked back: they are rare, and the series
 * only draws the cycle's shape.
 */
async function balanceSeries(em: EntityManager, customerId: string, balance: number, cycleStartMs: number, nowMs: number, grants: { effectiveAt: Date; grantedTokens: number }[]): Promise<UsageForecast['balanceSeries']> {
  const days = await dailyNetTokens(em, customerId, startOfDay(cycleStartMs), nowMs);
  const used = new Map(days.map((d) => [d.dayMs, d.tokens]));
  const out: UsageForecast['balanceSeries'] = [{ at: new Date(nowMs).toISOString(), balance }];
  let after = balance;
  for (let midnight = startOfDay(nowMs); midnight > cycleStartMs; midnight -= dayMs) {
    after += used.get(midnight) ?? 0;
    after -= grants.filter((g) => g.effectiveAt.getTime() > midnight && g.effectiveAt.getTime() <= midnight + dayMs).reduce((s, g) => s + g.grantedTokens, 0);
    out.unshift({ at: new Date(midnight).toISOString(), balance: Math.max(0, after) });
  }
  return out;
}
