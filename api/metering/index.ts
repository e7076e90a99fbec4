// The widget path's in-process helpers, built once per API process.
import type { MikroORM } from '@mikro-orm/postgresql';
import { createPgPool } from '../../domain/infra/db';
import type { Config } from '../../domain/infra/config';
import type { RedisClient } from '../../domain/infra/redis';
import { markActive } from '../../domain/metering/scripts';
import { Breakers } from '../../domain/gateway/circuit-breaker';
import { ActivationCache } from './activation-cache';
import { ApiKeyCache } from './api-key-cache';
import { AppPrices } from './app-prices';
import { BalanceRebuilder } from './balance-rebuilder';
import { ErrorCounter } from './error-counts';
import { FirstCalls } from './first-calls';
import { FlagTable } from './flag-table';
import { FrameCatalogCache } from './frame-catalog-cache';
import { IdempotencyArchive } from './idempotency-archive';
import { LiveChannel, type Invalidation } from './live-channel';
import { WidgetConfigCache } from './widget-config-cache';

export interface Metering {
  settings: Config['metering'];
  apiKeys: ApiKeyCache;
  activations: ActivationCache;
  widgetConfigs: WidgetConfigCache;
  /** Each brand's frames for the catalog engines: its upload, or the sample. */
  frames: FrameCatalogCache;
  apps: AppPrices;
  archive: IdempotencyArchive;
  rebuilder: BalanceRebuilder;
  live: LiveChannel;
  /** Each brand's first storefront use of each app, for the Embed panel and onboarding. */
  firstCalls: FirstCalls;
  /** Operators' feature flags and kill switches, whole in memory (flag-table.ts). */
  flags: FlagTable;
  /** Circuit breakers of the upstream AI services, per process. */
  breakers: Breakers;
  /** /v1 4xx answers per key and IP, for the anomaly watch. */
  errors: ErrorCounter;
  /** Adds the customer to the reconciler's index, at most once a second per process. */
  noteActivity(customerId: string, nowMs: number): void;
  close(): void;
}

export function createMetering(config: Config, orm: MikroORM, redis: RedisClient): Metering {
  const apiKeys = new ApiKeyCache(orm);
  const activations = new ActivationCache(orm);
  const widgetConfigs = new WidgetConfigCache(orm);
  const frames = new FrameCatalogCache(orm);
  const flags = new FlagTable(orm);
  const invalidate = (i: Invalidation) => {
    if (i.kind === 'api-key') return apiKeys.forget(i.prefix);
    if (i.kind === 'frames') return frames.forget(i.customerId);
    if (i.kind === 'flags') return void flags.reload().catch(() => undefined);
    // An activation change may also store the app's first configuration: both caches go.
    if (i.kind === 'activations') activations.forget(i.customerId);
    widgetConfigs.forget(i.customerId);
  };
  const live = new LiveChannel(redis, invalidate);
  const lastMarked = new Map<string, number>();
  const errors = new ErrorCounter(redis);
  const archivePool = createPgPool(config, Math.max(2, Math.ceil(config.db.poolMax / 2)));
  archivePool.on('error', () => undefined);
  return {
    settings: config.metering,
    apiKeys,
    activations,
    widgetConfigs,
    frames,
    apps: new AppPrices(orm),
    archive: new IdempotencyArchive(archivePool),
    rebuilder: new BalanceRebuilder(orm, redis, config.metering.rebuildTimeoutMs),
    live,
    firstCalls: new FirstCalls(orm),
    flags,
    breakers: new Breakers(config.gateway.breaker),
    errors,
    noteActivity(customerId, nowMs) {
      const second = Math.floor(nowMs / 1000);
      if (lastMarked.get(customerId) === second) return;
      if (lastMarked.size > 100_000) lastMarked.clear();
      lastMarked.set(customerId, second);
      // Best effort: the reconciler also sweeps every stream, so a lost mark delays, never loses.
      markActive(redis, customerId, nowMs).catch(() => lastMarked.delete(customerId));
    },
    close() {
      live.close();
      errors.close();
      flags.close();
      void archivePool.end().catch(() => undefined);
    },
  };
}
