// What the two floors under /v1/consume (koa-lua-server.ts, raw-lua-server.ts) share: brands with
// a loaded balance and the empty idempotency filter a reconciled brand has, and a clean stop.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { RedisClient } from '../../domain/infra/redis';
import { createEmptyFilter } from '../../domain/metering/idempotency-filter';
import { loadBalance, type DebitRequest } from '../../domain/metering/scripts';

// A sha256 hex is 64 characters; the script compares the first 64 of a stored result.
const requestHash = 'b'.repeat(64);

/** One use of a 1-token app, as /v1/consume would ask the script for it. */
export const floorDebit = (customerId: string, idempotencyKey: string): DebitRequest => ({
  customerId,
  usageId: randomUUID(),
  idempotencyKey,
  requestHash,
  appId: 'bench-app',
  appSlug: 'pd-calculator',
  costTokens: 1,
  nowMs: Date.now(),
  // Short: the bench deletes its keys anyway, this only bounds a crashed run's leftovers.
  idempotencyTtlSeconds: 600,
  ratePerSecond: 1_000_000_000,
});

export async function loadFloorBrands(redis: RedisClient, customerIds: string[], tokens: number): Promise<void> {
  for (const id of customerIds) {
    const loaded = await loadBalance(redis, id, { status: 'active', unlimited: false, grants: [{ id: 'bench', remainingTokens: tokens, effectiveAtMs: 0, expiresAtMs: null }] }, '0-0');
    if (loaded !== 'loaded') throw new Error(`balance of ${id} was not loaded: ${loaded}`);
    // An empty idempotency filter, as a reconciled brand has: the script checks it and debits.
    await createEmptyFilter(redis, id);
  }
}

/** Closes the server and Redis on SIGTERM or SIGINT (the bench stops its children so). */
export function stopOnSignal(server: Server, redis: RedisClient): void {
  const stop = () => {
    server.close(() => (redis.disconnect(), process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
