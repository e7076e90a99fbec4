// Rebuilds a customer's cached balance from the ledger. Debits still in the stream are written
// to the ledger first, under the customer's lock, so the rebuilt figure counts every debit once.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { asSql, inRawTransaction, type Sql } from '../infra/raw-sql';
import type { RedisClient } from '../infra/redis';
import { lockCustomer } from './customer-lock';
import { rememberKeys } from './idempotency-filter';
import { ledgerBalance, toCachedBalance } from './ledger-balance';
import { recordDebits } from './record-debits';
import { loadBalance, trimDebits, type LoadOutcome } from './scripts';
import { newestStreamId, readAllDebits, type DebitEntry } from './stream-entries';

const drainChunk = 1_000;

/**
 * Inside a transaction holding the customer's lock: writes every entry still in the stream to
 * the ledger. Some may be committed already by a pass that died or has not trimmed yet, so they
 * are written idempotently. The caller trims the returned entries after COMMIT.
 */
export async function drainStream(tx: EntityManager | Sql, redis: RedisClient, customerId: string): Promise<DebitEntry[]> {
  const drained = await readAllDebits(redis, customerId, drainChunk);
  const sql = asSql(tx);
  for (let i = 0; i < drained.length; i += drainChunk) await recordDebits(sql, customerId, drained.slice(i, i + drainChunk));
  // Before COMMIT, as the reconciler does; a missing filter is left to the reconciler's next pass.
  await rememberKeys(sql, redis, customerId, drained, { rebuild: false });
  return drained;
}

/**
 * On a raw transaction, as the reconciler's passes: the API rebuilds a balance on a debit that
 * found none, and MikroORM's `transactional` would turn on AsyncLocalStorage's promise hooks
 * for the rest of the process (node 20 never turns them off), a cost on every promise of every
 * later /v1 request (≈ 6 % of the widget path's CPU).
 */
export async function rebuildBalance(orm: MikroORM, redis: RedisClient, customerId: string): Promise<LoadOutcome> {
  const drained: DebitEntry[] = [];
  const outcome = await inRawTransaction(orm, async (tx) => {
    await lockCustomer(tx, customerId);
    drained.push(...(await drainStream(tx, redis, customerId)));
    const balance = await ledgerBalance(tx, customerId, new Date());
    // Loaded before COMMIT, still under the lock: a grant that commits next invalidates it after
    // us. If this COMMIT fails, the drained debits stay in the stream and the loaded figure (which
    // already excludes them) is still right.
    return loadBalance(redis, customerId, toCachedBalance(balance), newestStreamId(drained));
  });
  await trimDebits(redis, customerId, drained.map((e) => e.streamId));
  return outcome;
}
