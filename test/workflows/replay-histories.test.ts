// Histories recorded on a real Temporal (test/fixtures/histories, see scripts/record-history.ts)
// replayed against the current workflow bundle: a change that would break the runs already in
// flight fails here, before it is deployed.
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { workflowBundlePath } from '../support/paths';
import { quietTemporalLogs } from '../support/temporal';

const dir = path.resolve(__dirname, '../fixtures/histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/** The started event names the workflow id; the file name stands in for histories that do not. */
function recorded(file: string): { workflowId: string; history: History } {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? path.basename(file, '.json');
  return { workflowId, history };
}

describe('recorded histories', () => {
  it('include billing cycles from before and after cycles existed (and a run moving between them, and one taking operator requests), credited and expired token pack purchases, and an activation from before actors were carried', () => {
    expect(files).toEqual(expect.arrayContaining([
      'billing-cycle-usage-resend-and-pack.json', 'billing-cycle-subscribe-change-dunning-rollover.json', 'billing-cycle-usage-only-run-moved-to-cycles.json',
      'billing-cycle-operator-requests.json',
      'token-pack-purchase-credited-reported-by-update.json', 'token-pack-purchase-credited.json', 'token-pack-purchase-expired.json',
      'app-activation-activate-then-deactivate-before-actors.json']));
  });

  it('all replay against the current workflow code without a determinism error', async () => {
    quietTemporalLogs();
    const results: ReplayResult[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath } }, files.map(recorded))) results.push(result);
    const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error!.name}: ${r.error!.message}`);
    expect(failures).toEqual([]);
    expect(results).toHaveLength(files.length);
  });
});
