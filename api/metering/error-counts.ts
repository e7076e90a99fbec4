// Counts 4xx answers of /v1/* per key and per IP for the anomaly watch (domain/anomaly/).
// The request path only adds to a Map; a timer flushes the sums to Redis once a second in one
// pipeline, so a flood of refusals costs Redis one round trip a second per process, not one per
// refusal. A process killed between flushes loses at most a second of counts: fine for an alarm
// whose threshold is a hundred and more a minute.
import { flushErrorCounts, minuteOf, type ErrorCounts } from '../../domain/anomaly/counts';
import type { RedisClient } from '../../domain/infra/redis';

const flushEveryMs = 1_000;

export class ErrorCounter {
  private counts: ErrorCounts = { byKey: new Map(), byIp: new Map() };
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: RedisClient) {
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
  }

  note(customerId: string | null, apiKeyId: string | null, ip: string, nowMs: number): void {
    const minute = minuteOf(nowMs);
    let ips = this.counts.byIp.get(minute);
    if (!ips) this.counts.byIp.set(minute, (ips = new Map()));
    ips.set(ip, (ips.get(ip) ?? 0) + 1);
    if (!customerId || !apiKeyId) return;
    let minutes = this.counts.byKey.get(customerId);
    if (!minutes) this.counts.byKey.set(customerId, (minutes = new Map()));
    let keys = minutes.get(minute);
    if (!keys) minutes.set(minute, (keys = new Map()));
    keys.set(apiKeyId, (keys.get(apiKeyId) ?? 0) + 1);
  }

  /** Best effort: a failed flush drops that second's counts rather than grow without bound while Redis is away. */
  async flush(): Promise<void> {
    const counts = this.counts;
    if (counts.byIp.size === 0) return;
    this.counts = { byKey: new Map(), byIp: new Map() };
    await flushErrorCounts(this.redis, counts).catch(() => undefined);
  }

  close(): void {
    clearInterval(this.timer);
    void this.flush();
  }
}
