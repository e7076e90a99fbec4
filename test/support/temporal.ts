// Temporal for tests: the dev server of the test stack, and a worker running the real
// workflow bundle and activities on one task queue.
import type { MikroORM } from '@mikro-orm/postgresql';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { loadConfig } from '../../domain/config';
import { createOrm } from '../../domain/db';
import { createStripe } from '../../domain/stripe';
import type { TaskQueue } from '../../temporal.config';
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
  stop(): Promise<void>;
}

export async function startTestWorker(taskQueue: TaskQueue): Promise<TestWorker> {
  quietTemporalLogs();
  const config = loadConfig();
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: config.temporal.address, namespace: config.temporal.namespace });
  const orm = await createOrm(config);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: { codePath: workflowBundlePath },
    activities: createActivities({ orm, stripe: createStripe(config) }),
  });
  const running = worker.run();
  return {
    env,
    orm,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await orm.close();
    },
  };
}
