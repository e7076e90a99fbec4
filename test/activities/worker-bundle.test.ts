// The worker process started with WORKFLOW_BUNDLE_PATH runs the bundle it is given instead of
// bundling from source, which is what lets a supervised worker come back in seconds.
import { spawn } from 'node:child_process';
import { productEntries } from '../../scripts/lib/product-processes';
import { projectRoot } from '../../scripts/lib/profiles';
import { workflowBundlePath } from '../support/paths';

jest.setTimeout(90_000);

it('runs from the prebuilt workflow bundle it is given', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', productEntries.worker], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'info', WORKFLOW_BUNDLE_PATH: workflowBundlePath },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const running = await new Promise<Record<string, unknown> | null>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.includes('"worker running"'));
      if (line) resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.once('exit', () => resolve(null));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  expect(running).toMatchObject({ msg: 'worker running', workflowBundle: workflowBundlePath });
});
