// A brand's week of usage for the weekly summary mail: tokens by app (net of refunds, live keys),
// the change from the week before, and the exhaustion forecast as of the week's end. Read from the
// usage_hourly rollup only.
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromBigintColumn } from '../units';
import type { Forecast } from './forecast';
import { usageForecast } from './forecast-data';
import { dayMs } from './range';

export interface WeeklyUsageSummary {
  /** [weekStart, weekEnd): the 7 days before `weekEnd`, end exclusive. */
  weekStart: string;
  weekEnd: string;
  /** Most tokens first. */
  byApp: { slug: string; name: string; uses: number; tokens: number }[];
  tokens: number;
  previousTokens: number;
  /** Percent change from the week before, rounded to one decimal; null when that week used nothing. */
  changePct: number | null;
  forecast: Forecast;
}

export async function weeklyUsageSummary(em: EntityManager, customerId: string, weekEnd: Date): Promise<WeeklyUsageSummary> {
  const end = weekEnd.getTime();
  const start = end - 7 * dayMs;
  const rows = await em.execute<{ slug: string; name: string; uses: string; tokens: string }[]>(
    `with agg as (
       select app_id, sum(uses - refunded_uses) as uses, sum(tokens - refunded_tokens) as tokens
         from usage_hourly where customer_id = ? and mode = 'live' and hour >= ? and hour < ? group by 1
     )
     select a.slug, a.name, agg.uses, agg.tokens from agg join apps a on a.id = agg.app_id order by agg.tokens desc, a.slug`,
    [customerId, new Date(start), new Date(end)],
  );
  const [previous] = await em.execute<{ tokens: string | null }[]>(
    `select sum(tokens - refunded_tokens) as tokens from usage_hourly where customer_id = ? and mode = 'live' and hour >= ? and hour < ?`,
    [customerId, new Date(start - 7 * dayMs), new Date(start)],
  );
  const byApp = rows.map((r) => ({ slug: r.slug, name: r.name, uses: fromBigintColumn(r.uses, 'uses'), tokens: fromBigintColumn(r.tokens, 'tokens') }));
  const tokens = byApp.reduce((s, a) => s + a.tokens, 0);
  const previousTokens = previous?.tokens == null ? 0 : fromBigintColumn(previous.tokens, 'tokens');
  const { balanceSeries: _series, ...forecast } = await usageForecast(em, customerId, weekEnd);
  return {
    weekStart: new Date(start).toISOString(),
    weekEnd: weekEnd.toISOString(),
    byApp,
    tokens,
    previousTokens,
    changePct: previousTokens === 0 ? null : Math.round(((tokens - previousTokens) / previousTokens) * 1000) / 10,
    forecast,
  };
}
