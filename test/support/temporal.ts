// Temporal for tests: the dev server of the test stack, and a worker running the real
// workflow bundle and activities on one task queue.
import type { MikroORM } from '@mikro-orm/postgresql';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createSmsSender } from '../../domain/notify/sms';
import { createActivities, type ActivityDeps } from '../../activities';
import { loadConfig } from '../../domain/infra/config';
import { createOrm } from '../../domain/infra/db';
import { createMailer } from '../../domain/notify/mailer';
import { createRedis } from '../../domain/infra/redis';
import { createStripe } from '../../domain/infra/stripe';
import { shutdownInOrder, warnToStderr } from '../../domain/infra/shutdown';
import { queueName, type TaskQueue, type WorkerShutdown } from '../../temporal.config';
import { workflowBundlePath } from './paths';

/** Temporal's worker logs every state change at INFO; tests only want warnings and errors. */
export function quietTemporalLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier test file in this worker process.
  }
}

export interface TestWorker {
  env: TestWorkflowEnvironment;
  orm: MikroORM;
  /** Bounded, whatever the worker still holds; a second call waits for the first. */
  stop(): Promise<void>;
}

/**
 * A test file ends with whatever its workflows were doing: an activity still in flight gets a
 * second to finish, then is cancelled; a worker not drained 5 s after the stop is abandoned
 * (run() rejects), far inside jest's 30 s hook timeout.
 */
export const testWorkerShutdown: WorkerShutdown = { shutdownGraceTime: 1_000, shutdownForceTime: 5_000 };

/**
 * `overrides` are environment variables for this worker's config, e.g. AI_PROVISION_FAIL_SLUGS;
 * `activityDeps` replace what the activities are given, e.g. `stripeMode: 'live'` against
 * stripe-mock (which refuses live keys).
 */
export async function startTestWorker(taskQueue: TaskQueue, overrides: Partial<NodeJS.ProcessEnv> = {}, activityDeps: Partial<ActivityDeps> = {}): Promise<TestWorker> {
  quietTemporalLogs();
  const config = loadConfig({ ...process.env, ...overrides });
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: config.temporal.address, namespace: config.temporal.namespace });
  const orm = await createOrm(config);
  const redis = createRedis(config);
  const mailer = createMailer(config);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: queueName(taskQueue, config.temporal.taskQueuePrefix),
    workflowBundle: { codePath: workflowBundlePath },
    ...testWorkerShutdown,
    activities: createActivities({ orm, stripe: createStripe(config), redis, gateway: config.gateway, temporal: env.client, mailer, sms: createSmsSender(config), portalUrl: config.api.publicUrl, taskQueuePrefix: config.temporal.taskQueuePrefix, billingStart: config, stripeMode: config.stripe.mode, ...activityDeps }),
  });
  const running = worker.run();
  let stopped: Promise<unknown> | undefined;
  return {
    env,
    orm,
    async stop() {
      stopped ??= shutdownInOrder(
        [
          {
            name: `worker ${taskQueue}`,
            limitMs: 7_000,
            run: () => {
              if (worker.getState() === 'RUNNING') worker.shutdown();
              return running;
            },
          },
          { name: 'temporal test environment', limitMs: 3_000, run: () => env.teardown() },
          { name: 'mailer', limitMs: 1_000, run: () => mailer.close() },
          { name: 'redis', limitMs: 1_000, run: () => redis.disconnect() },
          { name: 'orm', limitMs: 3_000, run: () => orm.close() },
        ],
        warnToStderr,
      );
      await stopped;
    },
  };
}
