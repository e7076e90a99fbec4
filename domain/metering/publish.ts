// Live balance for the portal: one message per change, read by the API's SSE stream.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../infra/redis';
import { meteringChannels } from './keys';
import { availableTokens, ledgerBalance } from './ledger-balance';
import { readCachedBalance } from './scripts';

export interface BalanceMessage {
  customerId: string;
  /** Null is unlimited. */
  availableTokens: number | null;
  status: string;
  at: string;
}

/**
 * The cache is the freshest figure (it already counts debits not yet reconciled); when it is
 * unknown the ledger answers, so the portal never shows a stale or missing balance.
 */
export async function currentBalance(orm: MikroORM, redis: RedisClient, customerId: string): Promise<BalanceMessage> {
  const now = new Date();
  const cached = await readCachedBalance(redis, customerId, now.getTime());
  if (cached) return { customerId, availableTokens: cached.availableTokens, status: cached.status, at: now.toISOString() };
  const ledger = await ledgerBalance(orm.em.fork(), customerId, now);
  return { customerId, availableTokens: availableTokens(ledger, now), status: ledger.status, at: now.toISOString() };
}

export async function publishBalance(orm: MikroORM, redis: RedisClient, customerId: string): Promise<void> {
  const message = await currentBalance(orm, redis, customerId);
  await redis.publish(meteringChannels.balance(customerId), JSON.stringify(message));
}
