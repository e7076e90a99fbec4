import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../domain/infra/config';
import { createOrm } from '../../domain/infra/db';
import { demoUsers } from '../../domain/catalog/demo';
import { ApiKey, App, BillingPlan, TokenPack, User } from '../../domain/entities';
import { createStripe } from '../../domain/infra/stripe';
import { seed } from '../../scripts/lib/seed';
import { syncStripeCatalog } from '../../scripts/lib/stripe-sync';

let orm: MikroORM;
beforeAll(async () => {
  orm = await createOrm(loadConfig());
});
afterAll(() => orm.close());

describe('seed', () => {
  it('is idempotent: a second run creates no rows', async () => {
    await seed(orm);
    // Other suites sign brands up in parallel, so only the rows the seed owns are counted.
    const em = orm.em.fork();
    const counts = async () => [
      await em.count(App), await em.count(BillingPlan), await em.count(TokenPack),
      await em.count(User, { email: { $in: demoUsers.map((u) => u.email) } }),
    ];
    const before = await counts();
    const second = await seed(orm);
    expect(second.usersCreated).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('gives the demo brand one publishable test key for the demo storefront, kept across runs', async () => {
    const origin = 'http://127.0.0.1:3999';
    const first = await seed(orm, { demo: true, storefrontOrigin: origin });
    expect(first.demoStorefrontKey).toMatch(/^vpk_test_/);
    const again = await seed(orm, { demo: true, storefrontOrigin: origin });
    expect(again.demoStorefrontKey).toBe(first.demoStorefrontKey);
    const key = await orm.em.fork().findOneOrFail(ApiKey, { publishableKey: first.demoStorefrontKey });
    expect(key.allowedOrigins).toEqual([origin]);
  });

  it('prices the plans and packs as sold', async () => {
    const em = orm.em.fork();
    const plans = await em.find(BillingPlan, {}, { orderBy: { priceCents: 'asc' } });
    expect(plans.map((p) => [p.lookupKey, p.allowanceTokens, p.priceCents])).toEqual([
      ['starter', 1_000, 2_900], ['professional', 10_000, 19_900], ['enterprise', null, 99_900],
    ]);
    const packs = await em.find(TokenPack, {}, { orderBy: { priceCents: 'asc' } });
    expect(packs.map((p) => [p.lookupKey, p.tokens, p.priceCents])).toEqual([
      ['tokens_1k', 1_000, 3_900], ['tokens_5k', 5_000, 17_900], ['tokens_10k', 10_000, 29_900],
    ]);
  });

  it('creates one demo user per role and one operator', async () => {
    const users = await orm.em.fork().find(User, { email: { $in: demoUsers.map((u) => u.email) } }, { orderBy: { email: 'asc' } });
    expect(users.map((u) => u.role).sort()).toEqual(['admin', 'manager', 'operator', 'viewer']);
  });
});

describe('stripe:sync', () => {
  it('gives every plan and pack a Stripe price found or created by lookup key', async () => {
    const result = await syncStripeCatalog(orm, createStripe(loadConfig()));
    expect([...result.found, ...result.created].sort()).toEqual(['enterprise', 'professional', 'starter', 'tokens_10k', 'tokens_1k', 'tokens_5k']);
    const em = orm.em.fork();
    for (const row of [...(await em.find(BillingPlan, {})), ...(await em.find(TokenPack, {}))]) expect(row.stripePriceId).toMatch(/^price_/);
  });
});
