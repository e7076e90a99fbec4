// Worker process: one Worker per task queue, sharing one connection and one set of deps.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfigOrExit, type Config } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createMailer } from '../domain/notify/mailer';
import { createSmsSender } from '../domain/notify/sms';
import { createRedis } from '../domain/infra/redis';
import { createStripe } from '../domain/infra/stripe';
import { exitIfStuck, shutdownInOrder, warnToStderr, type ShutdownWarn } from '../domain/infra/shutdown';
import { queueName, taskQueues, workerShutdown, type WorkerShutdown } from '../temporal.config';
import { createActivities } from './index';
import { createTemporalClient } from '../clients/temporal-client';
import { ensureWeeklySummarySchedule } from '../clients/weekly-summary-schedule';
import { ensureReconcileAuditSchedule } from '../clients/reconcile-audit-schedule';
import { ensureRetentionSchedule } from '../clients/retention-schedule';
import { temporalConnectionOptions } from '../clients/temporal-connection';
import { createLogger } from '../domain/infra/logger';

/** Tests pass a prebuilt bundle; the process entry bundles from source. */
export type WorkflowSource = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;

export const workflowsPath = require.resolve('../workflows');

/** The stop's limits, apart from the workers' own (workerShutdown): within the 45 s stop_grace_period. */
const closeLimitMs = 2_000;
const exitAfterMs = 43_000;

export async function runWorkers(config: Config, source: WorkflowSource = { workflowsPath }, shutdownOptions: WorkerShutdown = workerShutdown, warn?: ShutdownWarn) {
  const orm = await createOrm(config);
  const stripe = createStripe(config);
  const redis = createRedis(config);
  // Activities that start workflows (enforcePlanEntitlements) use a client of their own.
  const temporal = createTemporalClient(config);
  const mailer = createMailer(config);
  const sms = createSmsSender(config);
  const activities = createActivities({
    orm, stripe, redis, gateway: config.gateway, temporal, mailer, sms, portalUrl: config.api.publicUrl,
    taskQueuePrefix: config.temporal.taskQueuePrefix, billingStart: config, stripeMode: config.stripe.mode,
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // Every worker makes sure the weekly summary has its one Schedule; the second finds it there.
  await ensureWeeklySummarySchedule(temporal, config.temporal.taskQueuePrefix);
  await ensureReconcileAuditSchedule(temporal, config.temporal.taskQueuePrefix, config.reconcileAudit);
  await ensureRetentionSchedule(temporal, config.temporal.taskQueuePrefix);
  const workers = await Promise.all(
    Object.values(taskQueues).map((taskQueue) =>
      Worker.create({ connection, namespace: config.temporal.namespace, taskQueue: queueName(taskQueue, config.temporal.taskQueuePrefix), activities, ...shutdownOptions, ...source }),
    ),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  // The Temporal runtime shuts the workers down on SIGTERM itself; a second shutdown() throws.
  const shutdownWorkers = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    return running;
  };
  const drainLimitMs = shutdownOptions.shutdownForceTime + closeLimitMs;
  let stopped: Promise<boolean> | undefined;
  return {
    workers,
    /** Bounded: the workers drain within shutdownForceTime, each connection within its own limit. */
    async shutdown(): Promise<boolean> {
      const log = warn ?? warnToStderr;
      stopped ??= shutdownInOrder(
        [
          { name: 'workers', limitMs: drainLimitMs, run: shutdownWorkers },
          { name: 'temporal worker connection', limitMs: closeLimitMs, run: () => connection.close() },
          { name: 'temporal client', limitMs: closeLimitMs, run: () => temporal.connection.close() },
          { name: 'mailer', limitMs: closeLimitMs, run: () => mailer.close() },
          { name: 'redis', limitMs: closeLimitMs, run: () => redis.disconnect() },
          { name: 'orm', limitMs: closeLimitMs, run: () => orm.close() },
        ],
        log,
      );
      return stopped;
    },
  };
}

if (require.main === module) {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'worker');
  const bundle = config.temporal.workflowBundlePath;
  runWorkers(config, bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath }, workerShutdown, (details, message) => logger.warn(details, message))
    .then(({ shutdown }) => {
      logger.info({ taskQueues: Object.values(taskQueues), address: config.temporal.address, workflowBundle: bundle ?? 'built at start' }, 'worker running');
      const stop = () => {
        exitIfStuck(exitAfterMs, (message) => logger.error(message));
        void shutdown().then((clean) => process.exit(clean ? 0 : 1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      logger.error({ err }, 'worker failed to start');
      process.exit(1);
    });
}
