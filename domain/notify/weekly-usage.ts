// The figures of a brand's weekly summary, shaped as domain/usage/summary.ts weeklyUsageSummary
// answers them (the usage-api contract of issue 13). Until that module lands, this reads
// token_usage and the ledger directly; once it does, `weeklyUsage` becomes a re-export of it and
// this body goes (one brand a week: the scan is cheap next to the mail).
import type { EntityManager } from '@mikro-orm/postgresql';
import { availableTokens, ledgerBalance } from '../metering/ledger-balance';
import { fromBigintColumn } from '../units';

export interface WeeklyUsage {
  byApp: { slug: string; name: string; uses: number; tokens: number }[];
  tokens: number;
  previousTokens: number;
  /** Percent change from the week before; null when that week had no use. */
  changePct: number | null;
  forecast: { balance: number | null; burnPerDay: number; exhaustsAt: string | null } | null;
}

const dayMs = 86_400_000;

/** The 7 days ending at `weekEnd` (exclusive), against the 7 before. */
export async function weeklyUsage(em: EntityManager, customerId: string, weekEnd: Date): Promise<WeeklyUsage> {
  const start = new Date(weekEnd.getTime() - 7 * dayMs);
  const before = new Date(weekEnd.getTime() - 14 * dayMs);
  const rows = await em.execute<{ slug: string; name: string; uses: string; tokens: string }[]>(
    `select a.slug, a.name, count(*) as uses, coalesce(sum(u.tokens), 0) as tokens
       from token_usage u join apps a on a.id = u.app_id
      where u.customer_id = ? and u.debited_at >= ? and u.debited_at < ?
      group by a.slug, a.name order by 4 desc, a.slug`,
    [customerId, start, weekEnd],
  );
  const [prev] = await em.execute<{ tokens: string }[]>(
    'select coalesce(sum(tokens), 0) as tokens from token_usage where customer_id = ? and debited_at >= ? and debited_at < ?',
    [customerId, before, start],
  );
  const byApp = rows.map((r) => ({ slug: r.slug, name: r.name, uses: Number(r.uses), tokens: fromBigintColumn(r.tokens, 'tokens') }));
  const tokens = byApp.reduce((s, a) => s + a.tokens, 0);
  const previousTokens = fromBigintColumn(prev?.tokens ?? 0, 'tokens');
  const balance = availableTokens(await ledgerBalance(em, customerId, weekEnd), weekEnd);
  const burnPerDay = Math.round(tokens / 7);
  const exhaustsAt = balance !== null && burnPerDay > 0 ? new Date(weekEnd.getTime() + Math.floor((balance / burnPerDay) * dayMs)).toISOString() : null;
  return {
    byApp,
    tokens,
    previousTokens,
    changePct: previousTokens > 0 ? Math.round(((tokens - previousTokens) / previousTokens) * 1000) / 10 : null,
    forecast: { balance, burnPerDay, exhaustsAt },
  };
}
