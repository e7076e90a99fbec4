// Drains debit streams into PostgreSQL: every interval, each recently active customer's
// stream; every sweep, every stream Redis holds (a debit whose activity mark was lost waits
// one sweep at most). Several reconcilers may run: a customer is reconciled by whoever takes
// its lock, and what a dead one read but did not trim is read again by the next pass.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Cluster } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../domain/infra/config';
import type { RedisClient } from '../domain/infra/redis';
import { countUses } from '../domain/anomaly/counts';
import { activeIndexParts } from '../domain/metering/keys';
import { publishBalance } from '../domain/metering/publish';
import { reconcileCustomer } from '../domain/metering/reconcile-customer';

const activeWindowMs = 10 * 60_000;
const sweepEveryMs = 30_000;
const parallelCustomers = 4;
const streamKey = /^\{c:([0-9a-f-]{36})\}:debits$/;

export interface ReconcilerStats {
  debitsRecorded: number;
  batches: number;
  conflicts: number;
  failures: number;
}

export class Reconciler {
  readonly stats: ReconcilerStats = { debitsRecorded: 0, batches: 0, conflicts: 0, failures: 0 };
  private lastSweep = 0;
  /** Customers whose pass failed, skipped until `until` (doubling up to a minute). */
  private failing = new Map<string, { until: number; delayMs: number }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly redis: RedisClient,
    private readonly settings: Config['metering'],
    private readonly logger: Logger,
  ) {}

  /** One pass; returns the number of debits newly recorded. */
  async tick(now = Date.now()): Promise<number> {
    const customers = new Set<string>();
    // Part by part: a shard failing over hides its parts for a moment, not every customer's debits.
    const parts = await Promise.allSettled(activeIndexParts.map((k) => this.redis.zrangebyscore(k, now - activeWindowMs, '+inf')));
    for (const p of parts) if (p.status === 'fulfilled') for (const id of p.value) customers.add(id);
    if (now - this.lastSweep >= sweepEveryMs) {
      const swept = await this.streamsInRedis();
      for (const id of swept.ids) customers.add(id);
      // A node that did not answer is swept again next tick, not a whole sweep interval later.
      if (swept.complete) this.lastSweep = now;
      await this.forgetIdle(now).catch(() => undefined);
    }
    const queue = [...customers];
    this.logger.debug({ customers: queue.length }, 'tick');
    let recorded = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallelCustomers, queue.length) }, async () => {
        // Not `recorded += await …`: that reads `recorded` before the await and loses the other workers' counts.
        for (let id = queue.shift(); id; id = queue.shift()) {
          const n = await this.reconcileIsolated(id, now);
          recorded += n;
        }
      }),
    );
    return recorded;
  }

  /** One customer's failure (PostgreSQL refusing a row) must not hold up the others. */
  private async reconcileIsolated(customerId: string, now: number): Promise<number> {
    const failed = this.failing.get(customerId);
    if (failed && failed.until > now) return 0;
    try {
      const n = await this.reconcileOne(customerId);
      this.failing.delete(customerId);
      return n;
    } catch (err) {
      const delayMs = Math.min((failed?.delayMs ?? 250) * 2, 60_000);
      this.failing.set(customerId, { until: now + delayMs, delayMs });
      this.stats.failures += 1;
      this.logger.error({ err, customerId, retryInMs: delayMs }, 'reconciling this customer failed; its debits stay in the stream and are retried');
      return 0;
    }
  }

  private async reconcileOne(customerId: string): Promise<number> {
    let total = 0;
    // Keep going while full batches come back, so a backlog drains within one tick.
    for (;;) {
      const r = await reconcileCustomer(this.orm, this.redis, customerId, { batchSize: this.settings.batchSize });
      total += r.inserted.length;
      // The anomaly watch's per-minute counts: off the request path, and only what this pass
      // inserted, so a batch re-read after a crash is not counted twice. Best effort: a lost
      // count only lowers one minute's figure.
      if (r.inserted.length > 0) await countUses(this.redis, customerId, r.inserted).catch((err: unknown) => this.logger.warn({ err, customerId }, 'anomaly counts not written'));
      this.logger.debug({ customerId, locked: r.locked, read: r.read.length, inserted: r.inserted.length, seq: r.seq }, 'reconcile pass');
      if (r.seq !== null) this.stats.batches += 1;
      if (r.conflicting.length > 0) {
        this.stats.conflicts += r.conflicting.length;
        this.logger.error({ customerId, usageIds: r.conflicting.map((e) => e.usageId) }, 'idempotency key already recorded under another usage; balance rebuilt from the ledger');
      }
      if (!r.locked || r.read.length < this.settings.batchSize) break;
    }
    this.stats.debitsRecorded += total;
    if (total > 0) await publishBalance(this.orm, this.redis, customerId).catch(() => undefined);
    return total;
  }

  /** SCAN is per node: on a cluster, every primary's keyspace in turn. */
  private async streamsInRedis(): Promise<{ ids: string[]; complete: boolean }> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    const ids: string[] = [];
    let complete = true;
    for (const node of nodes) {
      let cursor = '0';
      try {
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', '{c:*}:debits', 'COUNT', 1000);
          cursor = next;
          for (const k of keys) {
            const m = streamKey.exec(k);
            if (m?.[1]) ids.push(m[1]);
          }
        } while (cursor !== '0');
      } catch (err) {
        complete = false;
        this.logger.warn({ err }, 'a Redis node did not answer the sweep; sweeping again next tick');
      }
    }
    return { ids, complete };
  }

  /** Customers idle past the window drop out of the index; the sweep still finds their streams. */
  private async forgetIdle(now: number): Promise<void> {
    await Promise.all(activeIndexParts.map((k) => this.redis.zremrangebyscore(k, '-inf', now - activeWindowMs)));
  }
}
