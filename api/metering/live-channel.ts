// One subscriber connection per API process: it carries cache invalidations for every
// process, and live balances for the portal's SSE streams (subscribed while someone listens).
import type { RedisClient } from '../../domain/infra/redis';
import { meteringChannels } from '../../domain/metering/keys';
import type { BalanceMessage } from '../../domain/metering/publish';

/**
 * `configuration`: a brand saved an app's configuration (the widget-config cache drops the brand).
 * `frames`: a brand uploaded or reset its frame catalog (the frame-catalog cache drops the brand).
 * `flags`: an operator changed a feature flag (every process reloads its flag table).
 */
export type Invalidation =
  | { kind: 'api-key'; prefix: string }
  | { kind: 'activations'; customerId: string }
  | { kind: 'configuration'; customerId: string }
  | { kind: 'frames'; customerId: string }
  | { kind: 'flags' };

type BalanceListener = (m: BalanceMessage) => void;

export class LiveChannel {
  private readonly subscriber: RedisClient;
  private readonly listeners = new Map<string, Set<BalanceListener>>();
  private ready: Promise<unknown>;

  constructor(
    private readonly redis: RedisClient,
    onInvalidate: (i: Invalidation) => void,
  ) {
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => undefined);
    this.ready = this.subscriber.subscribe(meteringChannels.invalidate).catch(() => undefined);
    this.subscriber.on('message', (channel: string, raw: string) => {
      try {
        if (channel === meteringChannels.invalidate) return onInvalidate(JSON.parse(raw) as Invalidation);
        const message = JSON.parse(raw) as BalanceMessage;
        for (const l of this.listeners.get(message.customerId) ?? []) l(message);
      } catch {
        // A malformed message is dropped; the next change or the cache lifetime corrects it.
      }
    });
  }

  /** Resolves once invalidations are being received. */
  whenReady(): Promise<unknown> {
    return this.ready;
  }

  async publishInvalidation(i: Invalidation): Promise<void> {
    await this.redis.publish(meteringChannels.invalidate, JSON.stringify(i));
  }

  async watchBalance(customerId: string, listener: BalanceListener): Promise<() => void> {
    let set = this.listeners.get(customerId);
    if (!set) {
      set = new Set();
      this.listeners.set(customerId, set);
      await this.subscriber.subscribe(meteringChannels.balance(customerId));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(customerId) === set) {
        this.listeners.delete(customerId);
        void this.subscriber.unsubscribe(meteringChannels.balance(customerId)).catch(() => undefined);
      }
    };
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
