// How much one brand used one app, from token_usage. Only reconciled uses count: a debit still
// in the Redis stream shows up here once the reconciler has written it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromBigintColumn } from '../units';

export const recentUsageDays = 30;

export interface AppUsage {
  uses: number;
  tokens: number;
  /** Uses debited in the last 30 days up to `now`. */
  last30Days: { uses: number; tokens: number };
}

interface UsageRow {
  uses: string;
  tokens: string;
  recent_uses: string;
  recent_tokens: string;
}

export async function appUsage(em: EntityManager, customerId: string, appId: string, now: Date): Promise<AppUsage> {
  const since = new Date(now.getTime() - recentUsageDays * 86_400_000);
  const [row] = await em.execute<UsageRow[]>(
    `select count(*) as uses, coalesce(sum(tokens), 0) as tokens,
            count(*) filter (where debited_at >= ?) as recent_uses,
            coalesce(sum(tokens) filter (where debited_at >= ?), 0) as recent_tokens
       from token_usage where customer_id = ? and app_id = ?`,
    [since, since, customerId, appId],
  );
  return {
    uses: fromBigintColumn(row!.uses, 'app uses'),
    tokens: fromBigintColumn(row!.tokens, 'app tokens'),
    last30Days: { uses: fromBigintColumn(row!.recent_uses, 'recent app uses'), tokens: fromBigintColumn(row!.recent_tokens, 'recent app tokens') },
  };
}
