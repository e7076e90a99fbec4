// Worker process: one Worker per task queue, sharing one connection and one set of deps.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import pino from 'pino';
import { loadConfig, type Config } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createMailer } from '../domain/notify/mailer';
import { createRedis } from '../domain/infra/redis';
import { createStripe } from '../domain/infra/stripe';
import { queueName, taskQueues } from '../temporal.config';
import { createActivities } from './index';
import { createTemporalClient } from '../clients/temporal-client';
import { temporalConnectionOptions } from '../clients/temporal-connection';

/** Tests pass a prebuilt bundle; the process entry bundles from source. */
export type WorkflowSource = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;

export const workflowsPath = require.resolve('../workflows');

export async function runWorkers(config: Config, source: WorkflowSource = { workflowsPath }) {
  const orm = await createOrm(config);
  const stripe = createStripe(config);
  const redis = createRedis(config);
  // Activities that start workflows (enforcePlanEntitlements) use a client of their own.
  const temporal = createTemporalClient(config);
  const mailer = createMailer(config);
  const activities = createActivities({ orm, stripe, redis, gateway: config.gateway, temporal, mailer, taskQueuePrefix: config.temporal.taskQueuePrefix, billingStart: config });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const workers = await Promise.all(
    Object.values(taskQueues).map((taskQueue) =>
      Worker.create({ connection, namespace: config.temporal.namespace, taskQueue: queueName(taskQueue, config.temporal.taskQueuePrefix), activities, ...source }),
    ),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    workers,
    async shutdown() {
      for (const w of workers) w.shutdown();
      await running;
      await connection.close();
      await temporal.connection.close();
      mailer.close();
      redis.disconnect();
      await orm.close();
    },
  };
}

if (require.main === module) {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'worker' } });
  const bundle = config.temporal.workflowBundlePath;
  runWorkers(config, bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath })
    .then(({ shutdown }) => {
      logger.info({ taskQueues: Object.values(taskQueues), address: config.temporal.address, workflowBundle: bundle ?? 'built at start' }, 'worker running');
      const stop = () => void shutdown().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      logger.error({ err }, 'worker failed to start');
      process.exit(1);
    });
}
