// Uses reach the ledger per reconciled batch: one `usage` entry per app and grant burnt, saying
// how many uses it sums, while token_usage keeps each use and the grants it split over.
import { startApi, type TestApi } from '../../support/api-server';
import { consume, grant, meteredBrand, reconcileNow } from '../../support/metering';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const sql = <T>(query: string, params: unknown[]) => api.deps.orm.em.getConnection().execute<T[]>(query, params);

describe('usage ledger entries', () => {
  it('enters a batch of uses as one entry per app and grant, counting the uses it sums', async () => {
    const b = await meteredBrand(api);
    const older = await grant(api, b.customerId, 3);
    const newer = await grant(api, b.customerId, 100);
    // pd-calculator costs 1, virtual-try-on 5: the try-on takes older's last token and 4 of newer's.
    for (const app of ['pd-calculator', 'pd-calculator', 'virtual-try-on', 'pd-calculator', 'pd-calculator']) {
      expect((await consume(api, b.apiKey, { app })).status).toBe(200);
    }
    await reconcileNow(api, b.customerId);

    const entries = await sql<{ slug: string; grant_id: string; amount_tokens: string; uses: number; operation_key: string }>(
      `select a.slug, l.grant_id, l.amount_tokens, l.uses, l.operation_key from ledger_entries l join apps a on a.id = l.app_id
        where l.customer_id = ? and l.kind = 'usage' order by a.slug, l.amount_tokens, l.grant_id = ? desc`,
      [b.customerId, older.grantId],
    );
    expect(entries.map((e) => [e.slug, e.grant_id, Number(e.amount_tokens), e.uses])).toEqual([
      ['pd-calculator', older.grantId, -2, 2],
      ['pd-calculator', newer.grantId, -2, 2],
      ['virtual-try-on', newer.grantId, -4, 1],
      ['virtual-try-on', older.grantId, -1, 1],
    ]);
    const [batch] = await sql<{ seq: number }>('select seq from usage_batches where customer_id = ?', [b.customerId]);
    expect(new Set(entries.map((e) => e.operation_key.replace(/:[0-9a-f-]{36}$/, '')))).toEqual(new Set([`usage-batch:${batch!.seq}`]));
  });

  it('keeps each use and the grants it was split over in token_usage', async () => {
    const b = await meteredBrand(api);
    const older = await grant(api, b.customerId, 2);
    const newer = await grant(api, b.customerId, 10);
    expect((await consume(api, b.apiKey, { app: 'virtual-try-on' })).status).toBe(200);
    await reconcileNow(api, b.customerId);

    const rows = await sql<{ allocation: string; tokens: string }>('select allocation, tokens from token_usage where customer_id = ?', [b.customerId]);
    expect(rows).toEqual([{ allocation: `${older.grantId}:2;${newer.grantId}:3`, tokens: '5' }]);
  });
});
