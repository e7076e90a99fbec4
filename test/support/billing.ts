// A brand's billing workflow under test: started with a short cycle and grace period (the
// input says how long, as `BILLING_CYCLE_LENGTH` does for a deployment), then driven through
// the API and signed webhooks exactly as in production.
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { taskQueues, type TaskQueue } from '../../temporal.config';
import { shutdownInOrder, warnToStderr } from '../../domain/infra/shutdown';
import { startApi, type TestApi } from './api-server';
import { startSmtp, type TestSmtp } from './smtp';
import { startTestWorker, type TestWorker } from './temporal';
import { billingStartOptions } from '../../clients/billing';
import { loadConfig } from '../../domain/infra/config';
import type { billingCycle } from '../../workflows/billing-cycle';
import { cycleStateQuery } from '../../workflows/billing/messages';
import type { BillingCycleState } from '../../workflows/billing/state';
import type { Session } from './http';
import { waitFor } from './wait';

const started = new Set<string>();

export async function startBillingWorkflow(client: Client, customerId: string, opts: { cycleLengthMs?: number; gracePeriodMs?: number; alertThresholds?: number[] } = {}) {
  const options = billingStartOptions(loadConfig(), customerId);
  const [input] = options.args;
  started.add(options.workflowId);
  return client.workflow.start<typeof billingCycle>('billingCycle', { ...options, args: [{ ...input, ...opts }] });
}

/**
 * Terminates the billing workflows this file started: their short cycles would otherwise keep
 * rolling over on the shared test server, under the next file's worker.
 */
export async function stopBillingWorkflows(client: Client): Promise<void> {
  await Promise.all([...started].map((id) => client.workflow.getHandle(id).terminate('test file done').catch(() => undefined)));
  started.clear();
}

export const billingState = (client: Client, customerId: string): Promise<BillingCycleState> =>
  client.workflow.getHandle(`billing:${customerId}`).query(cycleStateQuery);

export const billingOf = async (admin: Session) => (await admin.get('/api/billing')).body;

/** Chooses a plan without a subscription and pays the checkout in test mode; resolves once the plan is active. */
export async function subscribe(admin: Session, plan: 'starter' | 'professional' | 'enterprise') {
  const chosen = await admin.post('/api/billing/subscription', { plan });
  if (chosen.status !== 200 || chosen.body.outcome !== 'checkout') throw new Error(`choose plan: ${chosen.status} ${JSON.stringify(chosen.body)}`);
  const paid = await admin.post('/api/billing/subscription/complete-test-payment');
  if (paid.status !== 200) throw new Error(`complete test payment: ${paid.status} ${JSON.stringify(paid.body)}`);
  const billing = await waitFor(() => billingOf(admin), (b) => b.plan?.lookupKey === plan && b.status === 'active' && b.cycle !== null);
  if (billing.plan?.lookupKey !== plan) throw new Error(`subscription did not start: ${JSON.stringify(billing)}`);
  return { checkoutUrl: chosen.body.checkoutUrl as string, billing };
}

export interface BillingStack {
  api: TestApi;
  smtp: TestSmtp;
  env: TestWorkflowEnvironment;
  workers: TestWorker[];
  stop(): Promise<void>;
}

/** The API, an SMTP catcher, and workers on the billing queue (and `extraQueues`), all mailing to it. */
export async function startBillingStack(extraQueues: TaskQueue[] = []): Promise<BillingStack> {
  const smtp = await startSmtp();
  const workers: TestWorker[] = [];
  for (const queue of [taskQueues.billing, ...extraQueues]) workers.push(await startTestWorker(queue, { SMTP_URL: smtp.url }));
  // The API mails too (team invitations): to the same catcher.
  const api = await startApi({ SMTP_URL: smtp.url });
  const env = workers[0]!.env;
  return {
    api,
    smtp,
    env,
    workers,
    /**
     * Each part within its own bound (theirs inside, this one over it), so the hook stays far
     * below jest's 30 s whatever a file left running. The workers stop together: stopped one
     * after another, an activity of the second could wait on a workflow only the first served.
     */
    async stop() {
      await shutdownInOrder(
        [
          { name: 'billing workflows', limitMs: 3_000, run: () => stopBillingWorkflows(env.client) },
          { name: 'api', limitMs: 6_000, run: () => api.close() },
          { name: 'workers', limitMs: 12_000, run: () => Promise.all(workers.map((w) => w.stop())) },
          { name: 'smtp', limitMs: 2_000, run: () => smtp.close() },
        ],
        warnToStderr,
      );
    },
  };
}
