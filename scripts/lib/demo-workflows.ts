// The demo brand's billing, activations and one token pack, through the workflows a real brand
// goes through: the portal's own HTTP calls as the demo admin (choose a plan, pay the checkout in
// test mode, activate each app, buy and pay a pack), plus the onboarding start sign-up makes.
// So Temporal UI finds the demo brand's workflows by CustomerId right after `npm run up`.
//
// Needs the API and the worker running. Idempotent: each step first asks what is already
// there (the API's answers, and Temporal for whether a workflow ever ran), and repeats a
// half-done step with the same Idempotency-Key, so a second run buys no second pack and
// restarts nothing.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { startOnboarding } from '../../clients/temporal-client';
import { workflowIds } from '../../temporal.config';
import { cookieHeader, keepCookies, type CookieJar } from './cookie-jar';

export interface DemoWorkflowsInput {
  apiUrl: string;
  temporal: Client;
  taskQueuePrefix: string;
  customerId: string;
  adminEmail: string;
  password: string;
  plan?: 'starter' | 'professional' | 'enterprise';
  pack?: 'tokens_1k' | 'tokens_5k' | 'tokens_10k';
  /** How long to wait for each outcome (plan active, apps active, pack credited). */
  waitMs?: number;
}

export interface DemoWorkflowsResult {
  planStarted: boolean;
  activationsRequested: string[];
  packBought: boolean;
}

/** The few fields of the API's answers this script reads (the portal's types are generated; these are checked by the test). */
interface Json {
  status?: string | null;
  outcome?: string;
  plan?: { lookupKey: string } | null;
  cycle?: unknown;
  apps?: { slug: string; includedInPlan: boolean | null; activation: { status: string } | null }[];
  purchases?: { id: string; status: string }[];
  purchase?: { id: string; status: string };
}

/** One browser session of the demo admin: a cookie jar and the Origin the CSRF check wants. */
class AdminSession {
  private jar: CookieJar = new Map();
  constructor(private readonly apiUrl: string) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> {
    const h: Record<string, string> = { ...headers, cookie: cookieHeader(this.jar) };
    if (method === 'POST') h.origin = new URL(this.apiUrl).origin;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(this.apiUrl + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    keepCookies(this.jar, res.headers);
    const text = await res.text();
    if (res.status >= 300) throw new Error(`demo seed: ${method} ${path} answered ${res.status} ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as Json) : {};
  }
}

async function workflowRan(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`demo seed: timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sign-up's plan step: Checkout for the plan, paid the way the portal's test-payment button does. */
async function ensurePlan(s: AdminSession, input: DemoWorkflowsInput, plan: string, waitMs: number): Promise<boolean> {
  const billing = await s.call('GET', '/api/billing');
  // A brand seeded before the workflows did this (a direct row) has no billing workflow yet.
  if (billing.status !== null && (await workflowRan(input.temporal, workflowIds.billing(input.customerId)))) return false;
  // A fixed key: a run that stopped between choosing and paying gets the same checkout back.
  const verdict = await s.call('POST', '/api/billing/subscription', { plan }, { 'idempotency-key': `demo-seed:${plan}` });
  if (verdict.outcome === 'checkout') await s.call('POST', '/api/billing/subscription/complete-test-payment');
  await until(`the ${plan} plan`, () => s.call('GET', '/api/billing'), (b) => b.plan?.lookupKey === plan && b.status === 'active' && b.cycle !== null, waitMs);
  return true;
}

/** Every app the plan includes, each through its appActivation workflow. */
async function ensureActivations(s: AdminSession, input: DemoWorkflowsInput, waitMs: number): Promise<string[]> {
  const apps = (await s.call('GET', '/api/apps')).apps ?? [];
  const requested: string[] = [];
  for (const app of apps.filter((a) => a.includedInPlan)) {
    const status = app.activation?.status ?? 'inactive';
    const ran = await workflowRan(input.temporal, workflowIds.activation(input.customerId, app.slug));
    if (ran && (status === 'active' || status === 'activating')) continue;
    await s.call('POST', `/api/apps/${app.slug}/activate`);
    requested.push(app.slug);
  }
  if (requested.length) {
    await until('the demo activations', () => s.call('GET', '/api/apps'), (r) => (r.apps ?? []).filter((a) => requested.includes(a.slug)).every((a) => a.activation?.status === 'active'), waitMs);
  }
  return requested;
}

/** One pack, once: a purchase left unpaid by an interrupted run is paid rather than a second bought. */
async function ensurePack(s: AdminSession, pack: string, waitMs: number): Promise<boolean> {
  const purchases = (await s.call('GET', '/api/billing/token-packs')).purchases ?? [];
  if (purchases.some((p) => p.status !== 'pending')) return false;
  const purchase = purchases[0] ?? (await s.call('POST', '/api/billing/token-packs', { pack })).purchase!;
  await s.call('POST', `/api/billing/token-packs/${purchase.id}/complete-test-payment`);
  await until('the demo token pack', () => s.call('GET', `/api/billing/token-packs/${purchase.id}`), (r) => r.purchase?.status === 'credited', waitMs);
  return true;
}

export async function seedDemoThroughWorkflows(input: DemoWorkflowsInput): Promise<DemoWorkflowsResult> {
  const waitMs = input.waitMs ?? 60_000;
  // Only once: after the first run completed, a new start would make a second run.
  if (!(await workflowRan(input.temporal, workflowIds.customerOnboarding(input.customerId)))) await startOnboarding(input.temporal, input.taskQueuePrefix, input.customerId);
  const s = new AdminSession(input.apiUrl);
  await s.call('POST', '/api/auth/login', { email: input.adminEmail, password: input.password });
  const planStarted = await ensurePlan(s, input, input.plan ?? 'professional', waitMs);
  const activationsRequested = await ensureActivations(s, input, waitMs);
  const packBought = await ensurePack(s, input.pack ?? 'tokens_1k', waitMs);
  return { planStarted, activationsRequested, packBought };
}
