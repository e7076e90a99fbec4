// The workflow code bundled once, by the script that starts the worker: a worker the supervisor
// restarts then loads it in a second instead of running webpack again (20-60 s on a busy
// machine), and every restart of one run executes the same workflow code.
import { bundleWorkflowCode } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { workflowsPath } from '../../activities/worker';

const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/** Bundles `workflows/` from source into `file`, and returns the file. */
export async function bundleWorkflows(file: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  return file;
}
