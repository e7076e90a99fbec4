// Reconciler process: debit streams → PostgreSQL, usage batches → billing workflows, refunds
// of gateway runs whose API process died mid-run, Stripe events not yet handed to Temporal, and
// the anomaly watch (usage spikes and 4xx floods, once a minute).
// Safe to run several, and safe to kill at any point (see docs/ARCHITECTURE.md, metering).
import type { Logger } from 'pino';
import { loadConfigOrExit, type Config } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createRedis } from '../domain/infra/redis';
import { Reconciler } from './debit-reconciler';
import { refundStuckRuns } from './stuck-runs';
import { relayStripeEvents } from '../stripe-relay/outbox';
import { UsageSignaler } from './usage-signaler';
import { AnomalyWatch } from './anomaly-watch';
import { raiseNotice } from '../clients/notices';
import { alertOperators } from '../clients/operator-alerts';
import { queueName, taskQueues } from '../temporal.config';
import { createTemporalClient } from '../clients/temporal-client';
import { exitIfStuck, shutdownInOrder, type ShutdownWarn } from '../domain/infra/shutdown';
import { createLogger } from '../domain/infra/logger';

export async function runReconciler(config: Config, logger: Logger) {
  const orm = await createOrm(config);
  const redis = createRedis(config);
  const temporal = createTemporalClient(config);
  const reconciler = new Reconciler(orm, redis, config.metering, logger);
  const signaler = new UsageSignaler(orm, temporal, logger, config);
  // The ops workers deliver both: the reconciler runs no worker of its own.
  const opsQueue = queueName(taskQueues.ops, config.temporal.taskQueuePrefix);
  const anomalies = new AnomalyWatch({
    orm,
    redis,
    logger,
    notify: (notice) => raiseNotice(orm, temporal, opsQueue, notice),
    alertOperators: (alert) => alertOperators(orm, temporal, opsQueue, alert),
  });
  let stopping = false;
  // Sleeps end early on stop, so a long signal interval never delays a shutdown.
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const loop = async (name: string, everyMs: number, fn: () => Promise<unknown>) => {
    while (!stopping) {
      const started = Date.now();
      try {
        await fn();
      } catch (err) {
        logger.error({ err }, `${name} pass failed; retrying`);
      }
      await sleep(Math.max(0, everyMs - (Date.now() - started)));
    }
  };
  const running = Promise.all([
    loop('reconcile', config.metering.reconcileIntervalMs, () => reconciler.tick()),
    loop('usage signal', config.metering.signalIntervalMs, () => signaler.sendPending()),
    loop('stuck runs', 30_000, () => refundStuckRuns(orm, redis)),
    loop('anomaly watch', 10_000, () => anomalies.tick()),
    loop('stripe event relay', 5_000, () => relayStripeEvents({ config, orm, temporal, logger }, { graceMs: 10_000, limit: 100 })),
  ]);
  return {
    reconciler,
    /**
     * Bounded: the passes under way get `passLimitMs` to finish, then the connections close
     * under them (safe: a pass cut short is redone by the next process, see above).
     */
    async stop(passLimitMs = 8_000): Promise<boolean> {
      stopping = true;
      for (const wake of [...wakers]) wake();
      const warn: ShutdownWarn = (details, message) => logger.warn(details, message);
      return shutdownInOrder(
        [
          { name: 'passes under way', limitMs: passLimitMs, run: () => running },
          { name: 'temporal client', limitMs: 2_000, run: () => temporal.connection.close() },
          { name: 'redis', limitMs: 1_000, run: () => redis.disconnect() },
          { name: 'orm', limitMs: 2_000, run: () => orm.close() },
        ],
        warn,
      );
    },
  };
}

/** Its stop_grace_period is 15 s (docker-compose.yml); stop()'s own limits add up to 13 s. */
const exitAfterMs = 14_000;

if (require.main === module) {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'reconciler');
  runReconciler(config, logger)
    .then(({ stop, reconciler }) => {
      logger.info({ intervalMs: config.metering.reconcileIntervalMs }, 'reconciler running');
      const report = setInterval(() => logger.info(reconciler.stats, 'reconciled so far'), 60_000);
      const shutdown = () => {
        clearInterval(report);
        exitIfStuck(exitAfterMs, (message) => logger.error(message));
        void stop().then((clean) => process.exit(clean ? 0 : 1));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((err) => {
      logger.error({ err }, 'reconciler failed to start');
      process.exit(1);
    });
}
