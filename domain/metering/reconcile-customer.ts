// One reconciliation pass over one customer: read the stream, write the rows, commit, trim.
import type { MikroORM } from '@mikro-orm/postgresql';
import { inRawTransaction } from '../infra/raw-sql';
import type { RedisClient } from '../infra/redis';
import { lockCustomer, tryLockCustomer } from './customer-lock';
import { dropFilter, rememberKeys } from './idempotency-filter';
import { isUniqueViolation, recordDebits, type RecordedBatch } from './record-debits';
import { invalidateBalance, trimDebits } from './scripts';
import { readDebits, type DebitEntry } from './stream-entries';

export interface ReconcileOptions {
  batchSize: number;
  /** Wait for the customer's lock instead of skipping a customer someone else is on. */
  wait?: boolean;
}

export interface ReconcileResult extends RecordedBatch {
  read: DebitEntry[];
  /** False when another transaction held the customer's lock. */
  locked: boolean;
}

export async function reconcileCustomer(orm: MikroORM, redis: RedisClient, customerId: string, opts: ReconcileOptions): Promise<ReconcileResult> {
  let read: DebitEntry[] | null = null;
  // A raw transaction, not the ORM's: nothing here is an entity, and the ORM's query formatting
  // was a large share of the reconciler's CPU per debit (domain/infra/raw-sql.ts).
  const pass = (assumeNew: boolean, wait: boolean) =>
    inRawTransaction(orm, async (sql): Promise<ReconcileResult> => {
      if (wait) await lockCustomer(sql, customerId);
      else if (!(await tryLockCustomer(sql, customerId))) return { read: [], inserted: [], conflicting: [], seq: null, locked: false };
      // Read under the lock: a rebuild waiting on it then sees these rows, never a half state.
      read ??= await readDebits(redis, customerId, opts.batchSize);
      const recorded = await recordDebits(sql, customerId, read, { assumeNew });
      // Before COMMIT: once these rows are visible, the filter already names their keys.
      await rememberKeys(sql, redis, customerId, read, { rebuild: true });
      return { read, ...recorded, locked: true };
    });
  let result: ReconcileResult;
  try {
    result = await pass(true, opts.wait === true);
  } catch (err) {
    // Some of these uses are recorded already (a batch written again after a crash before its
    // trim, or read by this pass between another's COMMIT and its trim): the same entries again,
    // idempotently, waiting for the lock rather than leave them half done.
    if (!isUniqueViolation(err) || read === null) throw err;
    result = await pass(false, true);
  }
  await trimDebits(redis, customerId, result.read.map((e) => e.streamId));
  // A key PostgreSQL already held under another usage: the cached balance is off by that debit,
  // so drop it and let the ledger speak. The filter missed that key too (Redis lost its newest
  // writes), so it goes as well and the next pass rebuilds it.
  if (result.conflicting.length > 0) await Promise.all([invalidateBalance(redis, customerId), dropFilter(redis, customerId)]);
  return result;
}
