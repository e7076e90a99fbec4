// `npm run replay -- <workflowId> [runId]`: fetches the workflow's history from the configured
// Temporal (the dev stack by default; TEMPORAL_* for another) and replays it against the
// workflow code in this checkout. Exit 0 when it replays cleanly, 1 when it diverges or cannot
// be fetched. Run it before any `temporal workflow reset` (docs/SUPPORT.md).
import { workflowsPath } from '../activities/worker';
import { loadConfig } from '../domain/infra/config';
import { fetchWorkflowHistory, quietReplayLogs, replayWorkflowHistory, WorkflowMissingError } from './lib/workflow-history';

async function main(): Promise<number> {
  const [workflowId, runId] = process.argv.slice(2);
  if (!workflowId) throw new WorkflowMissingError('usage: npm run replay -- <workflowId> [runId]');
  const fetched = await fetchWorkflowHistory(loadConfig(), workflowId, runId);
  quietReplayLogs();
  const verdict = await replayWorkflowHistory({ workflowsPath }, fetched);
  const run = `${workflowId} (run ${fetched.runId})`;
  if (verdict.ok) {
    console.log(`replays cleanly: ${verdict.events} events of ${run}`);
    return 0;
  }
  console.log(`does not replay: ${run} diverged${verdict.divergedAt ? ` at ${verdict.divergedAt}` : ''}; its history has ${verdict.events} events`);
  console.log(verdict.message);
  return 1;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof WorkflowMissingError ? `cannot replay: ${err.message}` : err);
    process.exit(1);
  });
