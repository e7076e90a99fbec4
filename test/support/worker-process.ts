// A Temporal worker process for tests that kill one: the real worker entry (every task queue,
// the test file's queue prefix from the environment) on the bundle globalSetup built, so it starts
// in seconds. Prints "ready" once polling.
import { runWorkers } from '../../activities/worker';
import { loadConfig } from '../../domain/infra/config';
import { workflowBundlePath } from './paths';
import { quietTemporalLogs } from './temporal';

quietTemporalLogs();
runWorkers(loadConfig(), { workflowBundle: { codePath: workflowBundlePath } })
  .then(({ shutdown }) => {
    process.stdout.write('ready\n');
    process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
  })
  .catch((err) => {
    process.stderr.write(`worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
