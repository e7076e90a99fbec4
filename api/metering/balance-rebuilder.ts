// One rebuild per customer at a time in this process; concurrent debits wait on the same one.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../../domain/infra/redis';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import type { LoadOutcome } from '../../domain/metering/scripts';

export class BalanceRebuilder {
  private inflight = new Map<string, Promise<LoadOutcome>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly redis: RedisClient,
    private readonly timeoutMs: number,
  ) {}

  /** 'timeout' leaves the rebuild running; the caller answers 503 and the client retries. */
  rebuild(customerId: string): Promise<LoadOutcome | 'timeout'> {
    let running = this.inflight.get(customerId);
    if (!running) {
      running = rebuildBalance(this.orm, this.redis, customerId).finally(() => this.inflight.delete(customerId));
      this.inflight.set(customerId, running);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    return Promise.race([running, timeout]).finally(() => clearTimeout(timer));
  }
}
