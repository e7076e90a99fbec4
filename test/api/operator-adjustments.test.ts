// Operators' goodwill adjustments on the real stack: each goes through the brand's billing
// workflow (201 once applied), moves the ledger under the brand's lock with pending debits
// counted once, leaves the Redis balance equal to the ledger, tells the brand, and is listed
// in its billing history; brand roles are refused and bad input names its field.
import type { MikroORM } from '@mikro-orm/postgresql';
import { demoPassword } from '../../domain/catalog/demo';
import { ledgerBalance } from '../../domain/metering/ledger-balance';
import { billingOf, startBillingStack, startBillingWorkflow, subscribe, type BillingStack } from '../support/billing';
import { logIn, Session } from '../support/http';
import { consume, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let orm: MikroORM;
let op: Session;
let operatorId: string;

beforeAll(async () => {
  stack = await startBillingStack();
  orm = stack.api.deps.orm;
  ({ session: op, userId: operatorId } = await logIn(stack.api.url));
});
afterAll(() => stack.stop());

const rows = <T>(sql: string, params: unknown[]) => orm.em.getConnection().execute<T[]>(sql, params);

/** A brand on `plan` with a live cycle (10 minutes), an API key and active apps. */
async function subscribedBrand(plan: 'starter' | 'enterprise' = 'starter'): Promise<MeteredBrand> {
  const b = await meteredBrand(stack.api, { apps: ['pd-calculator'] });
  await startBillingWorkflow(stack.env.client, b.customerId, { cycleLengthMs: 10 * 60_000, gracePeriodMs: 60_000 });
  await subscribe(b.admin, plan);
  return b;
}

const adjust = (customerId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => op.post(`/api/operator/brands/${customerId}/adjustments`, body, headers);

async function use(b: MeteredBrand, times: number): Promise<number> {
  let tokens = 0;
  for (let i = 0; i < times; i++) {
    const r = await consume(stack.api, b.apiKey, { app: 'pd-calculator' });
    if (r.status !== 200) throw new Error(`consume: ${r.status} ${JSON.stringify(r.body)}`);
    tokens += r.body.tokens as number;
  }
  return tokens;
}

/** The live balance (Redis, pending debits counted) and the ledger's, once every debit is reconciled. */
async function balances(b: MeteredBrand) {
  await reconcileNow(stack.api, b.customerId);
  const body = (await b.admin.get('/api/usage/balance')).body;
  return { live: body.availableTokens as number | null, ledger: body.ledgerAvailableTokens as number | null };
}

const adjustmentRows = (customerId: string) => rows<{ id: string; tokens: string }>('select id, tokens from token_adjustments where customer_id = ?', [customerId]);
const adjustmentEntries = (customerId: string) =>
  rows<{ grant_id: string; amount_tokens: string; actor_id: string; reason: string; operation_key: string }>(
    "select grant_id, amount_tokens, actor_id, reason, operation_key from ledger_entries where customer_id = ? and kind = 'adjustment' order by id",
    [customerId],
  );

describe('POST /api/operator/brands/{customerId}/adjustments', () => {
  it('credits tokens as a new grant with an adjustment ledger entry naming the operator and the reason', async () => {
    const b = await subscribedBrand();
    const res = await adjust(b.customerId, { tokens: 500, reasonCode: 'service_issue', note: 'outage on the 3rd' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ adjustmentId: expect.any(String), tokens: 500, reasonCode: 'service_issue', note: 'outage on the 3rd', expiresAt: null, balance: 1_500 });
    const entries = await adjustmentEntries(b.customerId);
    expect(entries).toEqual([{ grant_id: expect.any(String), amount_tokens: '500', actor_id: operatorId, reason: 'Service issue: outage on the 3rd', operation_key: `adjustment:${res.body.adjustmentId}` }]);
    const [grant] = await rows<{ source: string; amount_tokens: string; expires_at: Date | null }>('select source, amount_tokens, expires_at from token_grants where id = ?', [entries[0]!.grant_id]);
    expect(grant).toEqual({ source: 'adjustment', amount_tokens: '500', expires_at: null });
    expect(await balances(b)).toEqual({ live: 1_500, ledger: 1_500 });
    const page = await op.get(`/api/operator/brands/${b.customerId}`);
    expect(page.body.adjustments).toEqual([
      { adjustmentId: res.body.adjustmentId, tokens: 500, reasonCode: 'service_issue', note: 'outage on the 3rd', reason: 'Service issue: outage on the 3rd', expiresAt: null, actor: expect.stringContaining('@'), createdAt: expect.any(String) },
    ]);
    expect(page.body.balance).toBe(1_500);
  });

  it('lists the adjustment with its reason in the brand’s billing history, and records a notice for the brand', async () => {
    const b = await subscribedBrand();
    const res = await adjust(b.customerId, { tokens: 25, reasonCode: 'sales_concession' });
    expect(res.status).toBe(201);
    const history = await b.admin.get('/api/billing/adjustments');
    expect(history.status).toBe(200);
    expect(history.body.adjustments).toEqual([{ adjustmentId: res.body.adjustmentId, tokens: 25, reasonCode: 'sales_concession', reason: 'Sales concession', note: null, expiresAt: null, createdAt: expect.any(String) }]);
    const notices = await waitFor(
      () => rows<{ kind: string; subject: string; body: string }>('select kind, subject, body from notifications where customer_id = ? and dedupe_key = ?', [b.customerId, `adjustment:${res.body.adjustmentId}`]),
      (n) => n.length > 0,
      15_000,
    );
    expect(notices).toEqual([{ kind: 'billing.adjustment', subject: '25 tokens added to your balance', body: expect.stringContaining('Reason: Sales concession.') }]);
  });

  it('expires a credit at the end of the brand’s cycle when asked', async () => {
    const b = await subscribedBrand();
    const cycleEnd = (await billingOf(b.admin)).cycle.endAt as string;
    const res = await adjust(b.customerId, { tokens: 40, reasonCode: 'billing_error', expiresAtCycleEnd: true });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe(cycleEnd);
    const [grant] = await rows<{ expires_at: string }>("select g.expires_at from token_grants g where g.customer_id = ? and g.source = 'adjustment'", [b.customerId]);
    expect(new Date(grant!.expires_at).toISOString()).toBe(cycleEnd);
  });

  it('takes back across grants with pending debits counted once, never driving a grant negative, and Redis agrees with the ledger', async () => {
    const b = await subscribedBrand();
    expect((await adjust(b.customerId, { tokens: 300, reasonCode: 'service_issue' })).status).toBe(201);
    // Debits still in Redis, not reconciled: the take-back must count them, once.
    const used = await use(b, 3);
    const res = await adjust(b.customerId, { tokens: -(1_300 - used - 10), reasonCode: 'billing_error', note: 'credited twice' });
    expect(res.status).toBe(201);
    expect(res.body.balance).toBe(10);
    const taken = (await adjustmentEntries(b.customerId)).filter((e) => Number(e.amount_tokens) < 0);
    expect(taken.length).toBe(2);
    expect(taken.every((e) => e.actor_id === operatorId && e.reason === 'Billing error: credited twice')).toBe(true);
    const ledger = await ledgerBalance(orm.em.fork(), b.customerId, new Date());
    expect(ledger.grants.every((g) => g.remainingTokens >= 0)).toBe(true);
    expect(await balances(b)).toEqual({ live: 10, ledger: 10 });
    // The next debit spends from the adjusted figure, not the old one.
    const more = await use(b, 1);
    expect(await balances(b)).toEqual({ live: 10 - more, ledger: 10 - more });
  });

  it('loses and double-counts no debit made while a take-back is applied', async () => {
    const b = await subscribedBrand();
    const debits = Array.from({ length: 12 }, () => consume(stack.api, b.apiKey, { app: 'pd-calculator' }));
    const taken = adjust(b.customerId, { tokens: -100, reasonCode: 'billing_error' });
    const [answers, res] = await Promise.all([Promise.all(debits), taken]);
    expect(res.status).toBe(201);
    const spent = answers.filter((a) => a.status === 200).reduce((n, a) => n + (a.body.tokens as number), 0);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await balances(b)).toEqual({ live: 1_000 - 100 - spent, ledger: 1_000 - 100 - spent });
  });

  it('refuses a take-back larger than the grants hold with 409 ADJUSTMENT_EXCEEDS_BALANCE on body.tokens, and changes nothing', async () => {
    const b = await subscribedBrand();
    const used = await use(b, 2);
    const before = await balances(b);
    const res = await adjust(b.customerId, { tokens: -(1_000 - used + 1), reasonCode: 'fraud' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'ADJUSTMENT_EXCEEDS_BALANCE', details: { field: 'body.tokens' } });
    expect(await adjustmentRows(b.customerId)).toEqual([]);
    expect(await adjustmentEntries(b.customerId)).toEqual([]);
    expect(await balances(b)).toEqual(before);
  });

  it('applies a request repeated with its Idempotency-Key once, and answers the same', async () => {
    const b = await subscribedBrand();
    const headers = { 'idempotency-key': 'goodwill-ticket-42' };
    const first = await adjust(b.customerId, { tokens: 70, reasonCode: 'service_issue' }, headers);
    const second = await adjust(b.customerId, { tokens: 70, reasonCode: 'service_issue' }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await adjustmentRows(b.customerId)).toHaveLength(1);
    expect(await adjustmentEntries(b.customerId)).toHaveLength(1);
    expect((await balances(b)).ledger).toBe(1_070);
  });

  it('refuses an unlimited (Enterprise) brand with 409 ADJUSTMENT_NOT_APPLICABLE', async () => {
    const b = await subscribedBrand('enterprise');
    const res = await adjust(b.customerId, { tokens: 100, reasonCode: 'service_issue' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ADJUSTMENT_NOT_APPLICABLE');
    expect(await adjustmentRows(b.customerId)).toEqual([]);
  });

  it.each(['admin@demo.varai.test', 'manager@demo.varai.test', 'viewer@demo.varai.test'])('refuses brand staff (%s) with 403 FORBIDDEN', async (email) => {
    const s = new Session(stack.api.url);
    const login = await s.post('/api/auth/login', { email, password: demoPassword });
    const res = await s.post(`/api/operator/brands/${login.body.user.customerId}/adjustments`, { tokens: 1_000, reasonCode: 'other', note: 'me' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 404 for an unknown brand', async () => {
    const res = await adjust('00000000-0000-4000-8000-000000000000', { tokens: 5, reasonCode: 'service_issue' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'params.customerId' } });
  });

  it.each([
    [{ tokens: 0, reasonCode: 'service_issue' }, 'body.tokens'],
    [{ tokens: 1.5, reasonCode: 'service_issue' }, 'body.tokens'],
    [{ tokens: '5', reasonCode: 'service_issue' }, 'body.tokens'],
    [{ reasonCode: 'service_issue' }, 'body.tokens'],
    [{ tokens: 5, reasonCode: 'because' }, 'body.reasonCode'],
    [{ tokens: 5, reasonCode: 'other' }, 'body.note'],
    [{ tokens: 5, reasonCode: 'other', note: '   ' }, 'body.note'],
    [{ tokens: -5, reasonCode: 'fraud', expiresAtCycleEnd: true }, 'body.expiresAtCycleEnd'],
  ])('refuses %j with 422 VALIDATION_FAILED naming %s', async (body, field) => {
    const b = await meteredBrand(stack.api);
    const res = await adjust(b.customerId, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});
