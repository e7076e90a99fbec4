// The billing flow under faults, through the API and signed test webhooks as a brand admin
// would drive it: subscribe to a plan, then buy token packs. Each step retries what the API
// says to retry (a 503 with a code, or no answer) until a deadline.
import { randomUUID } from 'node:crypto';
import type { Answer, Client } from './http';
import { retryable, sleep } from './http';

async function retrying(deadlineMs: number, attempt: () => Promise<Answer>, ok: (a: Answer) => boolean): Promise<Answer> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const a = await attempt();
    if (ok(a) || !retryable(a) || Date.now() > until) return a;
    await sleep(300);
  }
}

async function until<T>(what: string, deadlineMs: number, read: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not done within ${deadlineMs / 1000} s`);
    await sleep(250);
  }
}

/** Chooses a plan and pays its checkout in test mode; resolves once the plan is active with a cycle. */
export async function subscribe(admin: Client, plan: 'starter' | 'professional' | 'enterprise', deadlineMs = 60_000): Promise<void> {
  const key = randomUUID();
  const chosen = await retrying(deadlineMs, () => admin.send('choose plan', 'POST', '/api/billing/subscription', { plan }, { 'idempotency-key': key }), (a) => a.status === 200);
  if (chosen.status !== 200 || chosen.body.outcome !== 'checkout') throw new Error(`choose plan: ${chosen.status} ${JSON.stringify(chosen.body)}`);
  const paid = await retrying(deadlineMs, () => admin.send('pay plan', 'POST', '/api/billing/subscription/complete-test-payment'), (a) => a.status === 200);
  if (paid.status !== 200) throw new Error(`complete test payment: ${paid.status} ${JSON.stringify(paid.body)}`);
  await until(`plan ${plan} active`, deadlineMs, async () => {
    const b = await admin.send('read billing', 'GET', '/api/billing');
    return b.status === 200 && b.body.plan?.lookupKey === plan && b.body.status === 'active' && b.body.cycle ? true : undefined;
  });
}

/** Buys a pack and pays it in test mode; resolves with the purchase id once it is credited. */
export async function buyPack(admin: Client, pack: string, deadlineMs = 90_000): Promise<string> {
  const created = await retrying(deadlineMs, () => admin.send('buy pack', 'POST', '/api/billing/token-packs', { pack }), (a) => a.status === 201);
  if (created.status !== 201) throw new Error(`buy pack: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.purchase.id as string;
  const paid = await retrying(deadlineMs, () => admin.send('pay pack', 'POST', `/api/billing/token-packs/${id}/complete-test-payment`), (a) => a.status === 200);
  if (paid.status !== 200) throw new Error(`pay pack: ${paid.status} ${JSON.stringify(paid.body)}`);
  await until(`pack ${id} credited`, deadlineMs, async () => {
    const p = await admin.send('read pack', 'GET', `/api/billing/token-packs/${id}`);
    return p.status === 200 && p.body.purchase.status === 'credited' ? true : undefined;
  });
  return id;
}
