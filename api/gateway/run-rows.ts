// app_runs through the bare pool: the gateway's bookkeeping is three small statements per run.
import type { RunStatus } from '../../domain/entities';
import type { Deps } from '../deps';

export interface RunRow {
  id: string;
  requestHash: string;
  status: RunStatus;
  result: unknown;
  errorCode: string | null;
}

/** Null when this call claimed the key; otherwise the run that already holds it. */
export async function claimRun(deps: Deps, r: { id: string; customerId: string; appId: string; idempotencyKey: string; requestHash: string }): Promise<RunRow | null> {
  const conn = deps.orm.em.getConnection();
  const claimed = await conn.execute<{ id: string }[]>(
    `insert into app_runs (id, customer_id, app_id, idempotency_key, request_hash) values (?, ?, ?, ?, ?)
     on conflict (customer_id, idempotency_key) do nothing returning id`,
    [r.id, r.customerId, r.appId, r.idempotencyKey, r.requestHash],
  );
  if (claimed.length > 0) return null;
  const [row] = await conn.execute<{ id: string; request_hash: string; status: RunStatus; result: unknown; error_code: string | null }[]>(
    'select id, request_hash, status, result, error_code from app_runs where customer_id = ? and idempotency_key = ?',
    [r.customerId, r.idempotencyKey],
  );
  if (!row) return claimRun(deps, r); // forgotten in between: claim again
  return { id: row.id, requestHash: row.request_hash, status: row.status, result: row.result, errorCode: row.error_code };
}

export async function finishRun(deps: Deps, id: string, change: { allocation?: string; status?: RunStatus; result?: unknown; errorCode?: string }): Promise<void> {
  await deps.orm.em.getConnection().execute(
    `update app_runs set allocation = coalesce(?, allocation), status = coalesce(?, status), result = coalesce(?::jsonb, result),
            error_code = coalesce(?, error_code), finished_at = case when ?::text is null then finished_at else now() end
      where id = ?`,
    [change.allocation ?? null, change.status ?? null, change.result === undefined ? null : JSON.stringify(change.result), change.errorCode ?? null, change.status ?? null, id],
  );
}

/** A run that debited nothing leaves no trace, so its key can be retried. */
export async function forgetRun(deps: Deps, id: string): Promise<void> {
  await deps.orm.em.getConnection().execute(`delete from app_runs where id = ? and status = 'running' and allocation = ''`, [id]);
}
