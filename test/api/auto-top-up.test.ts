// Auto top-up end to end on the real stack (PostgreSQL, Redis, Temporal, stripe-mock): the
// settings' refusals, a storm of concurrent debits crossing the threshold buying exactly once,
// the monthly cap, and a card declined twice turning it off with one notice and no loop.
import { signup } from '../../domain/auth/accounts';
import type { UsageBatch } from '../../domain/billing/vocabulary';
import { signalUsageBatches } from '../../clients/billing';
import { taskQueues, workflowIds } from '../../temporal.config';
import type { tokenPackPurchase } from '../../workflows/token-pack-purchase';
import { startApi, type TestApi } from '../support/api-server';
import { billingState, stopBillingWorkflows, subscribe } from '../support/billing';
import { memberOf, putOnPlan } from '../support/brand';
import { Session, uniqueEmail } from '../support/http';
import { consume, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';

let api: TestApi;
let smtp: TestSmtp;
let workers: TestWorker[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  // A declined card is retried after a second here (an hour in production).
  const env = { SMTP_URL: smtp.url, AUTO_TOP_UP_RETRY_DELAY: '1s' };
  workers = [await startTestWorker(taskQueues.billing, env), await startTestWorker(taskQueues.tokenPacks, env)];
  api = await startApi({ SMTP_URL: smtp.url });
}, 60_000);

afterAll(async () => {
  await stopBillingWorkflows(workers[0]!.env.client);
  await api.close();
  await Promise.all(workers.map((w) => w.stop()));
  await smtp.close();
});

const client = () => workers[0]!.env.client;
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute<T[]>(text, params);
const turnOn = { enabled: true, packId: 'tokens_1k', thresholdTokens: 980, monthlyCap: 3, consent: true };

/** What the reconciler's usage signaler does, for this brand only (the test database holds other files' brands). */
async function sendBatches(customerId: string): Promise<void> {
  await reconcileNow(api, customerId);
  const rows = await sql<{ seq: number; uses: number; tokens: string; totals: UsageBatch['totals']; first_debited_at: Date; last_debited_at: Date }>(
    'select seq, uses, tokens, totals, first_debited_at, last_debited_at from usage_batches where customer_id = ? and signaled_at is null order by seq',
    [customerId],
  );
  if (!rows.length) return;
  const batches = rows.map((r) => ({ seq: r.seq, uses: r.uses, tokens: Number(r.tokens), totals: r.totals, firstDebitedAt: new Date(r.first_debited_at).toISOString(), lastDebitedAt: new Date(r.last_debited_at).toISOString() }));
  await signalUsageBatches(client(), api.deps.config, customerId, batches);
  await sql('update usage_batches set signaled_at = now() where customer_id = ? and seq <= ?', [customerId, batches.at(-1)!.seq]);
}

/** A usage batch as the reconciler would report it, without the debits: for crossings that would take a thousand requests. */
async function reportUsage(customerId: string, tokens: number): Promise<void> {
  const { lastAppliedSeq } = await billingState(client(), customerId);
  const now = new Date().toISOString();
  await signalUsageBatches(client(), api.deps.config, customerId, [{ seq: lastAppliedSeq + 1, uses: tokens, tokens, totals: { 'pd-calculator': { uses: tokens, tokens } }, firstDebitedAt: now, lastDebitedAt: now }]);
}

const autoTopUps = (customerId: string) =>
  sql<{ purchase_id: string; status: string; attempts: number; decline_code: string | null }>(
    'select a.purchase_id, p.status, a.attempts, a.decline_code from auto_top_ups a join token_pack_purchases p on p.id = a.purchase_id where a.customer_id = ? order by a.created_at',
    [customerId],
  );

const packGrants = async (customerId: string) =>
  Number((await sql<{ n: string }>("select count(*) as n from ledger_entries l join token_grants g on g.id = l.grant_id where l.customer_id = ? and g.source = 'token_pack' and l.kind = 'grant'", [customerId]))[0]!.n);

/** A brand on Starter (1,000 tokens) through the real checkout, with pd-calculator (1 token a use) and a key. */
async function starterBrand(): Promise<MeteredBrand> {
  const b = await meteredBrand(api, { apps: ['pd-calculator'] });
  await subscribe(b.admin, 'starter');
  return b;
}

/** A brand made through the domain: no onboarding workflow links a Stripe customer, so it has no saved card. */
async function brandWithoutStripe(): Promise<Session> {
  const email = uniqueEmail('no-card');
  const user = await signup(api.deps.orm.em.fork(), api.deps.passwords, { brandName: 'Cardless Optics', name: 'Cam Cardless', email, password: 'long-enough-pw' });
  await putOnPlan(api.deps.orm, user.customer!.id, 'starter');
  const session = new Session(api.url);
  expect((await session.post('/api/auth/login', { email, password: 'long-enough-pw' })).status).toBe(200);
  return session;
}

describe('PUT /api/billing/auto-top-up refuses', () => {
  let admin: Session;
  beforeAll(async () => {
    admin = await brandWithoutStripe();
  });

  it.each([
    ['no consent', { ...turnOn, consent: undefined }, 'body.consent'],
    ['consent false', { ...turnOn, consent: false }, 'body.consent'],
    ['no cap', { ...turnOn, monthlyCap: undefined }, 'body.monthlyCap'],
    ['a cap of 0', { ...turnOn, monthlyCap: 0 }, 'body.monthlyCap'],
    ['a cap of 21', { ...turnOn, monthlyCap: 21 }, 'body.monthlyCap'],
    ['a fractional threshold', { ...turnOn, thresholdTokens: 10.5 }, 'body.thresholdTokens'],
    ['no threshold', { ...turnOn, thresholdTokens: undefined }, 'body.thresholdTokens'],
    ['an unknown pack', { ...turnOn, packId: 'tokens_2k' }, 'body.packId'],
    ['an unknown field', { ...turnOn, card: 'pm_123' }, 'body'],
  ])('%s with 422 VALIDATION_FAILED naming the field', async (_name, body, path) => {
    const res = await admin.put('/api/billing/auto-top-up', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(path);
  });

  it('a brand without a saved card with 409 NO_PAYMENT_METHOD on body.enabled', async () => {
    const res = await admin.put('/api/billing/auto-top-up', turnOn);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'NO_PAYMENT_METHOD', details: { fields: [{ path: 'body.enabled' }] } });
    expect((await admin.get('/api/billing/auto-top-up')).body.enabled).toBe(false);
  });

  it('a brand without a plan with 409 AUTO_TOP_UP_NO_PLAN', async () => {
    const { admin: session } = await meteredBrand(api);
    const res = await session.put('/api/billing/auto-top-up', turnOn);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AUTO_TOP_UP_NO_PLAN');
  });

  it('an Enterprise (unlimited) brand with 409 AUTO_TOP_UP_UNLIMITED', async () => {
    const b = await meteredBrand(api);
    await sql("insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = 'enterprise'", [b.customerId]);
    const res = await b.admin.put('/api/billing/auto-top-up', turnOn);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'AUTO_TOP_UP_UNLIMITED', details: { fields: [{ path: 'body.enabled' }] } });
  });

  it('a manager and a viewer with 403, while both may read the settings', async () => {
    for (const role of ['manager', 'viewer'] as const) {
      const { session } = await memberOf(api.url, admin, role);
      expect((await session.put('/api/billing/auto-top-up', turnOn)).status).toBe(403);
      const read = await session.get('/api/billing/auto-top-up');
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ enabled: false, usedThisMonth: 0, consentText: expect.stringContaining('I authorise VARAi') });
    }
  });
});

describe('auto top-up on a Starter brand', () => {
  let b: MeteredBrand;
  beforeAll(async () => {
    b = await starterBrand();
  }, 60_000);

  it('records the consent: version, who and when, the card it names, and an audit entry', async () => {
    const res = await b.admin.put('/api/billing/auto-top-up', { ...turnOn, monthlyCap: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      enabled: true, packId: 'tokens_1k', thresholdTokens: 980, monthlyCap: 1, usedThisMonth: 0,
      consentVersion: 'auto-top-up-consent-v1', consentedAt: expect.any(String), consentedBy: { userId: expect.any(String), name: expect.any(String) },
      paymentMethod: expect.stringMatching(/ending \d{4}$/), disabledReason: null,
    });
    const [audit] = await sql<{ details: Record<string, unknown> }>("select details from audit_log where customer_id = ? and action = 'billing.auto_top_up_enabled'", [b.customerId]);
    expect(audit!.details).toMatchObject({ pack: 'tokens_1k', thresholdTokens: 980, monthlyCap: 1, consentVersion: 'auto-top-up-consent-v1' });
    expect((await billingState(client(), b.customerId)).autoTopUp).toEqual({ enabled: true, thresholdTokens: 980, crossings: 0 });
  });

  it('buys exactly one pack, credited once, when a storm of concurrent debits crosses the threshold', async () => {
    // 40 debits at once, reconciled and reported while they land: several batches, one crossing.
    let storming = true;
    const reporting = (async () => {
      while (storming) await sendBatches(b.customerId);
    })();
    const answers = await Promise.all(Array.from({ length: 40 }, () => consume(api, b.apiKey, { app: 'pd-calculator' })));
    storming = false;
    await reporting;
    await sendBatches(b.customerId);
    expect(answers.every((a) => a.status === 200)).toBe(true);

    const [bought] = await waitFor(() => autoTopUps(b.customerId), (rows) => rows[0]?.status === 'credited', 30_000);
    await client().workflow.getHandle(workflowIds.tokenPack(bought!.purchase_id)).result();
    const state = await waitFor(() => billingState(client(), b.customerId), (s) => s.packCredits.length > 0);
    expect(await autoTopUps(b.customerId)).toHaveLength(1);
    expect(await packGrants(b.customerId)).toBe(1);
    expect(state.packCredits).toEqual([{ purchaseId: bought!.purchase_id, tokens: 1_000 }]);
    expect(state.autoTopUp?.crossings).toBe(1);
    expect((await b.admin.get('/api/billing/auto-top-up')).body.usedThisMonth).toBe(1);
  }, 60_000);

  it('stops at the monthly cap: a second crossing in the month buys nothing and tells the admins once', async () => {
    // Back above the threshold after the credit (1,960 tokens), then well below it again.
    await reportUsage(b.customerId, 1_500);
    const state = await waitFor(() => billingState(client(), b.customerId), (s) => s.autoTopUp?.crossings === 2 && s.outbox.length === 0);
    expect(state.autoTopUp?.crossings).toBe(2);
    const [started] = await sql<{ n: string }>("select count(*) as n from audit_log where customer_id = ? and action = 'token_pack.auto_top_up_started'", [b.customerId]);
    expect(Number(started!.n)).toBe(1);
    expect(await autoTopUps(b.customerId)).toHaveLength(1);
    const capped = await sql<{ subject: string }>('select subject from notifications where customer_id = ? and kind = ?', [b.customerId, 'billing.auto_top_up_capped']);
    expect(capped).toEqual([{ subject: 'Auto top-up reached this month’s cap' }]);
    const view = (await b.admin.get('/api/billing/auto-top-up')).body;
    expect(view).toMatchObject({ enabled: true, usedThisMonth: 1, monthlyCap: 1 });
  }, 30_000);
});

describe('a card declined twice', () => {
  it('is tried twice with a back-off, then auto top-up is off with the reason, one notice, one operator alert, and no loop', async () => {
    const b = await starterBrand();
    expect((await b.admin.put('/api/billing/auto-top-up', turnOn)).status).toBe(200);
    // Stripe's declining test card, as if the brand's saved card had become it.
    await sql("update auto_top_up_settings set payment_method_id = 'pm_card_chargeDeclined' where customer_id = ?", [b.customerId]);
    await reportUsage(b.customerId, 100);

    const [failed] = await waitFor(() => autoTopUps(b.customerId), (rows) => rows[0]?.status === 'failed', 30_000);
    expect(failed).toMatchObject({ attempts: 2, decline_code: 'card_declined' });
    const result = await client().workflow.getHandle<typeof tokenPackPurchase>(workflowIds.tokenPack(failed!.purchase_id)).result();
    expect(result).toEqual({ step: 'failed', grantId: null });

    const view = (await b.admin.get('/api/billing/auto-top-up')).body;
    expect(view).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('declined twice (card_declined)'), disabledAt: expect.any(String) });
    const notices = await sql<{ kind: string }>('select kind from notifications where customer_id = ? and kind = ?', [b.customerId, 'billing.auto_top_up_disabled']);
    expect(notices).toHaveLength(1);
    const [audit] = await sql<{ actor_kind: string }>("select actor_kind from audit_log where customer_id = ? and action = 'billing.auto_top_up_disabled'", [b.customerId]);
    expect(audit!.actor_kind).toBe('system');
    const alerts = await sql<{ kind: string; details: Record<string, unknown> }>('select kind, details from operator_alerts where customer_id = ?', [b.customerId]);
    expect(alerts).toEqual([{ kind: 'auto-top-up-disabled', details: expect.objectContaining({ purchaseId: failed!.purchase_id, declineCode: 'card_declined' }) }]);

    // No loop: a while later, still two attempts and one purchase; a new crossing buys nothing.
    await new Promise((r) => setTimeout(r, 3_000));
    await reportUsage(b.customerId, 10);
    await waitFor(() => billingState(client(), b.customerId), (s) => s.outbox.length === 0);
    const rows = await autoTopUps(b.customerId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBe(2);
    expect(await packGrants(b.customerId)).toBe(0);
  }, 60_000);

  it('can be turned on again by an admin, which clears the reason', async () => {
    const b = await starterBrand();
    await sql("insert into auto_top_up_settings (customer_id, enabled, pack_id, threshold_tokens, monthly_cap, disabled_reason, disabled_at) select ?, false, id, 500, 2, 'declined', now() from token_packs where lookup_key = 'tokens_5k'", [b.customerId]);
    const res = await b.admin.put('/api/billing/auto-top-up', { ...turnOn, packId: 'tokens_5k' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: true, packId: 'tokens_5k', disabledReason: null, disabledAt: null });
    const off = await b.admin.put('/api/billing/auto-top-up', { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, disabledReason: null, packId: 'tokens_5k', consentVersion: 'auto-top-up-consent-v1' });
    expect((await billingState(client(), b.customerId)).autoTopUp?.enabled).toBe(false);
  }, 60_000);
});
