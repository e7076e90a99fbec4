// The onboarding workflow on the real Temporal dev server, with real activities against
// PostgreSQL and stripe-mock.
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { startOnboarding } from '../../clients/temporal-client';
import { signup } from '../../domain/auth/accounts';
import { AuditLog, Customer } from '../../domain/entities';
import { searchAttributes, taskQueues, workflowIds } from '../../temporal.config';
import { onboardingStateQuery } from '../../workflows/onboarding/messages';
import { uniqueEmail } from '../support/http';

const prefix = loadConfig().temporal.taskQueuePrefix;
import { Worker } from '@temporalio/worker';
import { createCustomerActivities } from '../../activities/customers';
import { PasswordHasher } from '../../domain/auth/password';
import { loadConfig } from '../../domain/infra/config';
import { createStripe } from '../../domain/infra/stripe';
import { workflowBundlePath } from '../support/paths';
import { startTestWorker, type TestWorker } from '../support/temporal';

const config = loadConfig();
let tw: TestWorker;
let env: TestWorkflowEnvironment;
let orm: MikroORM;

beforeAll(async () => {
  tw = await startTestWorker(taskQueues.billing);
  ({ env, orm } = tw);
});

afterAll(() => tw.stop());

async function newCustomer(): Promise<string> {
  const user = await signup(orm.em.fork(), new PasswordHasher(config.passwordHash), { brandName: 'Workflow Optics', name: 'W', email: uniqueEmail('wf'), password: 'long-enough-pw' });
  return user.customer!.id;
}

describe('onboardCustomer', () => {
  it('links the brand to a new Stripe customer and records it', async () => {
    const customerId = await newCustomer();
    await startOnboarding(env.client, prefix, customerId);
    const result = await env.client.workflow.getHandle(workflowIds.customerOnboarding(customerId)).result();
    expect(result.stripeCustomerId).toMatch(/^cus_/);
    const em = orm.em.fork();
    expect((await em.findOneOrFail(Customer, customerId)).stripeCustomerId).toBe(result.stripeCustomerId);
    expect(await em.count(AuditLog, { customer: customerId, action: 'customer.stripe_linked' })).toBe(1);
  });

  it('starts once per customer: a second start is a no-op on the same run', async () => {
    const customerId = await newCustomer();
    await startOnboarding(env.client, prefix, customerId);
    const handle = env.client.workflow.getHandle(workflowIds.customerOnboarding(customerId));
    const { runId } = await handle.describe();
    await startOnboarding(env.client, prefix, customerId);
    expect((await handle.describe()).runId).toBe(runId);
    await handle.result();
    // Also once the run has completed: a later start (a re-run seed, a retried sign-up) adds no run.
    await startOnboarding(env.client, prefix, customerId);
    expect((await handle.describe()).runId).toBe(runId);
  });

  it('tags the run with the CustomerId search attribute and answers its state query', async () => {
    const customerId = await newCustomer();
    await startOnboarding(env.client, prefix, customerId);
    const handle = env.client.workflow.getHandle(workflowIds.customerOnboarding(customerId));
    const { stripeCustomerId } = await handle.result();
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.customerId)).toBe(customerId);
    expect(await handle.query(onboardingStateQuery)).toEqual({ step: 'done', stripeCustomerId });
  });

  it('fails at once, without retrying, for a customer that does not exist', async () => {
    const customerId = randomUUID();
    await startOnboarding(env.client, prefix, customerId);
    const handle = env.client.workflow.getHandle(workflowIds.customerOnboarding(customerId));
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'NOT_FOUND' });
  });

  it('replays its own recorded history deterministically', async () => {
    const customerId = await newCustomer();
    await startOnboarding(env.client, prefix, customerId);
    const handle = env.client.workflow.getHandle(workflowIds.customerOnboarding(customerId));
    await handle.result();
    const history = await handle.fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath } }, history, handle.workflowId)).resolves.toBeUndefined();
  });
});

describe('ensureStripeCustomer', () => {
  it('returns the stored Stripe customer on a repeat call instead of creating another', async () => {
    const customerId = await newCustomer();
    const { ensureStripeCustomer } = createCustomerActivities({ orm, stripe: createStripe(config) });
    const first = await ensureStripeCustomer({ customerId });
    const second = await ensureStripeCustomer({ customerId });
    expect(first.created).toBe(true);
    expect(second).toEqual({ stripeCustomerId: first.stripeCustomerId, created: false });
  });
});
