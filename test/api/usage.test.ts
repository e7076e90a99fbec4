// The brand's balance in the portal: derived from the ledger, and live over SSE.
import { startApi, type TestApi } from '../support/api-server';
import { Session } from '../support/http';
import { demoPassword } from '../../domain/catalog/demo';
import { consume, grant, meteredBrand } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** Reads SSE events until `count` have arrived. */
async function readEvents(res: Response, count: number): Promise<{ event: string; data: any }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { event: string; data: any }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

describe('usage routes', () => {
  it('shows the balance from the ledger, grants in burn order', async () => {
    const b = await meteredBrand(api, { tokens: 40 });
    await grant(api, b.customerId, 10, 'plan_allowance', { expiresAt: new Date(Date.now() + 86_400_000) });
    await consume(api, b.apiKey, { app: 'virtual-try-on' });
    const res = await b.admin.get('/api/usage/balance');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ availableTokens: 45, ledgerAvailableTokens: 50, unlimited: false, status: 'active' });
    expect(res.body.grants.map((g: { source: string; remainingTokens: number }) => [g.source, g.remainingTokens])).toEqual([
      ['plan_allowance', 10],
      ['token_pack', 40],
    ]);
  });

  it('streams the balance at once and again after it changes', async () => {
    const b = await meteredBrand(api, { tokens: 30 });
    const res = await fetch(`${api.url}/api/usage/stream`, { headers: { cookie: `varai_session=${b.admin.cookie('varai_session')}` } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = readEvents(res, 2);
    await new Promise((r) => setTimeout(r, 200));
    await grant(api, b.customerId, 70);
    const [first, second] = await events;
    expect(first).toMatchObject({ event: 'balance', data: { availableTokens: 30, status: 'active' } });
    expect(second).toMatchObject({ event: 'balance', data: { availableTokens: 100 } });
  });

  it('ends an open stream within one heartbeat (15 s) once its session is gone, e.g. logged out in another tab', async () => {
    const b = await meteredBrand(api, { tokens: 30 });
    const res = await fetch(`${api.url}/api/usage/stream`, { headers: { cookie: `varai_session=${b.admin.cookie('varai_session')}` } });
    const reader = res.body!.getReader();
    await reader.read();
    const started = Date.now();
    expect((await b.admin.post('/api/auth/logout')).status).toBe(204);
    // Read until the server ends the stream: keep-alives may come first, then done.
    for (;;) if ((await reader.read()).done) break;
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('refuses the stream to an operator, who has no brand', async () => {
    const operator = new Session(api.url);
    await operator.post('/api/auth/login', { email: 'operator@varai.test', password: demoPassword });
    expect((await operator.get('/api/usage/stream')).status).toBe(403);
  });
});
