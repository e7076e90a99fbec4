// A 402 from either paid endpoint tells the brand's staff what fixes it (details.hint) and where
// (details.portalUrl), keeping the details it always carried. The hint comes from the cached
// balance the debit script already read: a plan whose allowance is spent → buy_tokens; no plan,
// or a suspended brand → upgrade_plan; a test key's sandbox → buy_tokens on the API keys page.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { invalidateBalance } from '../../domain/metering/scripts';
import { startApi, type TestApi } from '../support/api-server';
import { consume, grant, meteredBrand, type MeteredBrand } from '../support/metering';

const publicUrl = 'https://portal.example.test';
let api: TestApi;
beforeAll(async () => {
  api = await startApi({ PUBLIC_URL: publicUrl, SANDBOX_STARTING_TOKENS: '1' });
});
afterAll(() => api.close());

const pdInput = { leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } };
// Virtual try-on runs on its built-in engine: a real face's landmarks pass its schema.
const tryOnInput = { landmarks: JSON.parse(readFileSync(`${__dirname}/../fixtures/landmarks/screenshot-faceid.json`, 'utf8')) };
const inputs: Record<string, unknown> = { 'pd-calculator': pdInput, 'virtual-try-on': tryOnInput };

type Endpoint = (b: { apiKey: string }, app: string) => Promise<{ status: number; body: any }>;
const endpoints: Record<string, Endpoint> = {
  '/v1/consume': (b, app) => consume(api, b.apiKey, { app }),
  '/v1/apps/:slug/run': (b, app) =>
    fetch(`${api.url}/v1/apps/${app}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.apiKey}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({ input: inputs[app] ?? {} }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })),
};

async function setBilling(b: MeteredBrand, status: 'active' | 'suspended' | 'canceled', plan: 'starter' | null) {
  await api.deps.orm.em.getConnection().execute(
    `insert into customer_billing (customer_id, plan_id, status, updated_at)
     values (?, (select id from billing_plans where lookup_key = ?), ?, now())
     on conflict (customer_id) do update set plan_id = excluded.plan_id, status = excluded.status`,
    [b.customerId, plan, status],
  );
  await invalidateBalance(api.deps.redis, b.customerId);
}

describe.each(Object.entries(endpoints))('a 402 from %s', (_name, call) => {
  it('says buy_tokens when the plan’s allowance is spent, keeping remainingTokens and costTokens', async () => {
    const b = await meteredBrand(api, { tokens: 4 });
    await setBilling(b, 'active', 'starter');
    const res = await call(b, 'virtual-try-on');
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      code: 'INSUFFICIENT_TOKENS',
      details: { remainingTokens: 4, costTokens: 5, hint: 'buy_tokens', portalUrl: `${publicUrl}/#/billing` },
    });
  });

  it('says upgrade_plan when the brand has no plan, or a canceled one', async () => {
    const b = await meteredBrand(api, { tokens: 4 });
    const none = await call(b, 'virtual-try-on');
    expect(none.body.error).toMatchObject({ code: 'INSUFFICIENT_TOKENS', details: { hint: 'upgrade_plan', portalUrl: `${publicUrl}/#/billing` } });
    await setBilling(b, 'canceled', 'starter');
    expect((await call(b, 'virtual-try-on')).body.error.details.hint).toBe('upgrade_plan');
  });

  it('says upgrade_plan for a suspended brand (PAYMENT_REQUIRED)', async () => {
    const b = await meteredBrand(api, { tokens: 50 });
    await setBilling(b, 'suspended', 'starter');
    const res = await call(b, 'pd-calculator');
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'PAYMENT_REQUIRED', details: { hint: 'upgrade_plan', portalUrl: `${publicUrl}/#/billing` } });
  });

  it('sends a test key to the sandbox refill on the API keys page', async () => {
    const b = await meteredBrand(api);
    const created = await b.admin.post('/api/api-keys', { name: 'test', mode: 'test' });
    expect(created.status).toBe(201);
    const res = await call({ apiKey: created.body.secret }, 'virtual-try-on');
    expect(res.status).toBe(402);
    expect(res.body.error.details).toMatchObject({ hint: 'buy_tokens', portalUrl: `${publicUrl}/#/api-keys` });
  });
});

it('a pack bought after the refusal is what buy_tokens promised: the next use passes', async () => {
  const b = await meteredBrand(api, { tokens: 4 });
  await setBilling(b, 'active', 'starter');
  expect((await endpoints['/v1/consume']!(b, 'virtual-try-on')).body.error.details.hint).toBe('buy_tokens');
  await grant(api, b.customerId, 10);
  expect((await endpoints['/v1/consume']!(b, 'virtual-try-on')).status).toBe(200);
});
