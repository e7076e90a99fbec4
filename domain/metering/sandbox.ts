// The sandbox test keys spend from: a balance and uses per app, in Redis under the brand's hash
// tag, written only by the sandbox debit script (admission-lua.ts) and by a refill. It is never
// reconciled: PostgreSQL, the ledger and billing never hear of test uses.
import type { RedisClient } from '../infra/redis';
import { meteringKeys } from './keys';

export interface SandboxView {
  /** What test keys may still spend; a sandbox never used shows its starting amount. */
  balanceTokens: number;
  startingTokens: number;
  /** Null until first used or refilled. */
  refilledAt: string | null;
  /** Test uses per app since the brand's first test use, most tokens first. */
  apps: { app: string; uses: number; tokens: number }[];
}

export async function readSandbox(redis: RedisClient, customerId: string, startingTokens: number): Promise<SandboxView> {
  const keys = meteringKeys(customerId);
  const [balance, usage] = await Promise.all([redis.hgetall(keys.sandbox), redis.hgetall(keys.sandboxUsage)]);
  const apps = Object.keys(usage)
    .filter((f) => f.startsWith('u:'))
    .map((f) => f.slice(2))
    .map((app) => ({ app, uses: Number(usage[`u:${app}`] ?? 0), tokens: Number(usage[`t:${app}`] ?? 0) }))
    .filter((a) => a.uses > 0 || a.tokens > 0)
    .sort((a, b) => b.tokens - a.tokens || a.app.localeCompare(b.app));
  return {
    balanceTokens: balance.tokens === undefined ? startingTokens : Number(balance.tokens),
    startingTokens,
    refilledAt: balance.refilledAt ? new Date(Number(balance.refilledAt)).toISOString() : null,
    apps,
  };
}

/** Sets the sandbox back to its starting amount (uses per app are kept: they are a history). */
export async function refillSandbox(redis: RedisClient, customerId: string, startingTokens: number, nowMs: number): Promise<void> {
  await redis.hset(meteringKeys(customerId).sandbox, 'tokens', startingTokens, 'refilledAt', nowMs);
}
