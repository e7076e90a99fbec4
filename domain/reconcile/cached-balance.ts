// The Redis side of the audit: the cached balance against the ledger's. Under the customer's
// lock (the one every ledger change and rebuild takes) the debits still in the stream are
// written to the ledger first, as a rebuild does; then the cache and whatever reached the stream
// since are read in one script, so a debit landing meanwhile is counted on both sides or neither.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../infra/redis';
import { lockCustomer } from '../metering/customer-lock';
import { meteringKeys } from '../metering/keys';
import { ledgerBalance } from '../metering/ledger-balance';
import { drainStream, rebuildBalance } from '../metering/rebuild-balance';
import { invalidateBalance, trimDebits } from '../metering/scripts';
import { parseEntry, type DebitEntry, type RawEntry } from '../metering/stream-entries';
import { compareCachedBalance, grantsOfCachedHash, type BalanceComparison } from './compare';

const snapshotLua = `return {redis.call('HGETALL', KEYS[1]), redis.call('XRANGE', KEYS[2], '-', '+')}`;

async function snapshot(redis: RedisClient, customerId: string): Promise<{ hash: Record<string, string>; stream: DebitEntry[] }> {
  const keys = meteringKeys(customerId);
  const [flat, entries] = (await redis.eval(snapshotLua, 2, keys.balance, keys.debits)) as [string[], RawEntry[]];
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return { hash, stream: entries.filter((e) => Array.isArray(e[1])).map(parseEntry) };
}

/** Null when there is nothing to compare: no cached balance (the next debit loads it) or an unlimited plan. */
export async function auditCachedBalance(orm: MikroORM, redis: RedisClient, customerId: string, now: Date): Promise<BalanceComparison | null> {
  const drained: DebitEntry[] = [];
  const comparison = await orm.em.fork().transactional(async (tx) => {
    await lockCustomer(tx, customerId);
    drained.push(...(await drainStream(tx, redis, customerId)));
    const ledger = await ledgerBalance(tx, customerId, now);
    if (ledger.unlimited) return null;
    const { hash, stream } = await snapshot(redis, customerId);
    const cached = grantsOfCachedHash(hash);
    if (!cached) return null;
    const drainedIds = new Set(drained.map((e) => e.streamId));
    const pending = stream.filter((e) => !drainedIds.has(e.streamId));
    const ledgerGrants = ledger.grants.map((g) => ({ id: g.id, remainingTokens: g.remainingTokens, effectiveAtMs: g.effectiveAt.getTime(), expiresAtMs: g.expiresAt?.getTime() ?? null }));
    return compareCachedBalance(ledgerGrants, cached, pending, now.getTime());
  });
  // After COMMIT, as a rebuild does: the drained debits are in the ledger now.
  await trimDebits(redis, customerId, drained.map((e) => e.streamId));
  return comparison;
}

/** The repair: forget the cache and load it from the ledger (the ledger is not touched). */
export async function repairCachedBalance(orm: MikroORM, redis: RedisClient, customerId: string): Promise<void> {
  await invalidateBalance(redis, customerId);
  await rebuildBalance(orm, redis, customerId);
}
