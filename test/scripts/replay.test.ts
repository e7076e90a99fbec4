// `npm run replay` as support runs it: a child process against the test stack's Temporal
// (process.env holds the test profile here), replaying a workflow this test ran.
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../domain/infra/config';
import { queueName, taskQueues, workflowIds } from '../../temporal.config';
import type { billingCycle } from '../../workflows/billing-cycle';
import { cycleStateQuery, packCreditedSignal, usageBatchSignal } from '../../workflows/billing/messages';
import { divergencePoint } from '../../scripts/lib/workflow-history';
import { startTestWorker, type TestWorker } from '../support/temporal';

const root = path.resolve(__dirname, '../..');
let tw: TestWorker;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  tw = await startTestWorker(taskQueues.billing);
  ({ env } = tw);
});

afterAll(() => tw.stop());

async function replay(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', ...args], { cwd: root, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const batch = (seq: number) => ({ seq, uses: 2, tokens: 10, totals: { 'pd-calculator': { uses: 2, tokens: 10 } }, firstDebitedAt: '2026-11-25T00:00:00.000Z', lastDebitedAt: '2026-11-25T00:00:01.000Z' });

describe('npm run replay', () => {
  it('says a billing workflow that took usage, a resend and a pack credit replays cleanly, and exits 0', async () => {
    const customerId = randomUUID();
    const handle = await env.client.workflow.start<typeof billingCycle>('billingCycle', { taskQueue: queueName(taskQueues.billing, loadConfig().temporal.taskQueuePrefix), workflowId: workflowIds.billing(customerId), args: [{ customerId }] });
    try {
      await handle.signal(usageBatchSignal, { batches: [batch(1)] });
      await handle.signal(usageBatchSignal, { batches: [batch(1), batch(2)] });
      await handle.signal(packCreditedSignal, { purchaseId: randomUUID(), tokens: 1_000 });
      expect(await handle.query(cycleStateQuery)).toMatchObject({ lastAppliedSeq: 2, resendsIgnored: 1 });
      const { runId } = await handle.describe();
      const events = (await handle.fetchHistory()).events!.length;
      const r = await replay(handle.workflowId);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout.trim()).toBe(`replays cleanly: ${events} events of ${handle.workflowId} (run ${runId})`);
    } finally {
      await handle.terminate('test done');
    }
  }, 60_000);

  it('names the unknown workflow and exits non-zero', async () => {
    const workflowId = workflowIds.billing(randomUUID());
    const r = await replay(workflowId);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`cannot replay: no workflow ${workflowId} in namespace "default" at ${process.env.TEMPORAL_ADDRESS}`);
  }, 60_000);
});

describe('divergencePoint', () => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/histories/token-pack-purchase-credited.json'), 'utf8')));

  it('names the scheduled activity a reordered workflow no longer schedules first', () => {
    const message = "[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'recordPackRevenue' does not match activity type of activity command 'sendPackReceipt'";
    expect(divergencePoint(history, message)).toMatch(/^event \d+ \(EVENT_TYPE_ACTIVITY_TASK_SCHEDULED recordPackRevenue\)$/);
  });

  it('names an event the error gives by id', () => {
    expect(divergencePoint(history, 'Nondeterminism error: no command matches event id 5')).toBe('event 5 (EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)');
  });

  it('says nothing rather than guess when the error names no event', () => {
    expect(divergencePoint(history, 'Nondeterminism error: something else')).toBeNull();
  });
});
