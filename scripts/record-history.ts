// `npm run record-history -- <workflowId> <name> [runId]`: writes the workflow's history from
// the configured Temporal (the dev stack by default) to test/fixtures/histories/<name>.json,
// which the replay test then runs against every later version of the workflow code.
//
// Re-record a fixture only together with a `patched()` change that keeps the old history
// replaying, and keep the old file beside the new one. Never re-record to make a failing replay
// pass: that failure is the non-determinism a running workflow would hit in production.
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../domain/infra/config';
import { projectRoot } from './lib/profiles';
import { fetchWorkflowHistory, WorkflowMissingError } from './lib/workflow-history';

const historiesDir = path.join(projectRoot, 'test/fixtures/histories');

async function main() {
  const [workflowId, name, runId] = process.argv.slice(2);
  if (!workflowId || !name) throw new WorkflowMissingError('usage: npm run record-history -- <workflowId> <name> [runId]');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new WorkflowMissingError(`name "${name}" must be kebab-case, e.g. billing-cycle-usage-and-pack`);
  const fetched = await fetchWorkflowHistory(loadConfig(), workflowId, runId);
  const file = path.join(historiesDir, `${name}.json`);
  fs.mkdirSync(historiesDir, { recursive: true });
  // Pretty-printed so a re-recording shows up in review as a readable diff.
  fs.writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(fetched.history)), null, 2)}\n`);
  console.log(`recorded ${fetched.history.events?.length ?? 0} events of ${workflowId} (run ${fetched.runId}) to ${path.relative(projectRoot, file)}`);
}

main().catch((err) => {
  console.error(err instanceof WorkflowMissingError ? err.message : err);
  process.exit(1);
});
