// A gateway run whose API process died between the debit and the answer is still `running`.
// Once it is older than any run could take, it is refunded from what the ledger says it paid
// (the debit is reconciled by then), so a brand never pays for a run it never got.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../domain/infra/redis';
import { refund } from '../domain/metering/scripts';

/** Far above the gateway's upstream timeout: a run this old is not coming back. */
export const stuckAfterMs = 2 * 60_000;

interface StuckRun {
  id: string;
  customer_id: string;
  app_id: string;
  slug: string;
  cost_tokens: number;
}

export async function refundStuckRuns(orm: MikroORM, redis: RedisClient, now = new Date()): Promise<number> {
  const conn = orm.em.getConnection();
  const stuck = await conn.execute<StuckRun[]>(
    `select r.id, r.customer_id, r.app_id, a.slug, a.cost_tokens from app_runs r join apps a on a.id = r.app_id
      where r.status = 'running' and r.created_at < ? order by r.created_at limit 100`,
    [new Date(now.getTime() - stuckAfterMs)],
  );
  for (const run of stuck) {
    const paid = await conn.execute<{ grant_id: string | null; tokens: string }[]>(
      `select grant_id, -amount_tokens as tokens from ledger_entries where customer_id = ? and operation_key = ? and kind = 'usage'`,
      [run.customer_id, `usage:${run.id}`],
    );
    // No usage entry this late means the debit never happened (or Redis lost it unreconciled):
    // there is nothing to give back.
    if (paid.length > 0) {
      await refund(redis, {
        customerId: run.customer_id,
        usageId: run.id,
        allocation: paid.filter((p) => p.grant_id).map((p) => `${p.grant_id}:${p.tokens}`).join(';'),
        costTokens: Number(run.cost_tokens),
        appId: run.app_id,
        appSlug: run.slug,
        nowMs: now.getTime(),
        reason: 'ABANDONED',
      });
    }
    await conn.execute(`update app_runs set status = 'refunded', error_code = 'ABANDONED', finished_at = now() where id = ? and status = 'running'`, [run.id]);
  }
  return stuck.length;
}
