// Seeds the catalog (apps, plans, packs) and the demo brand. Idempotent: catalog rows are
// upserted by their business key; demo users are created once and never overwritten, and
// never in production. The demo brand's plan, activations and pack: `npm run up` gets them
// from the real workflows once the worker runs (demo-workflows.ts); the test suite's global
// setup, which has no worker, writes them directly (`demoUsage: 'direct'`, the default).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { hashPassword } from '../../domain/auth/password';
import { appCatalog } from '../../domain/catalog/apps';
import { demoCustomer, demoPassword, demoUsers } from '../../domain/catalog/demo';
import { packCatalog, planCatalog } from '../../domain/catalog/plans';
import { createApiKey } from '../../domain/metering/api-keys';
import { insertGrant } from '../../domain/metering/grants';
import { ApiKey, App, BillingPlan, Customer, CustomerApp, CustomerBilling, TokenPack, User } from '../../domain/entities';

export interface SeedOptions {
  demo: boolean;
  /** Where the demo storefront page is served (the API's own origin): its key allows just that origin. */
  storefrontOrigin?: string;
  /**
   * 'direct' (tests): every app active and the month's Professional allowance, as rows.
   * 'workflows' (`npm run up`): the brand and its users only, like a sign-up; the caller then
   * runs seedDemoThroughWorkflows once the worker is up.
   */
  demoUsage?: 'direct' | 'workflows';
  /** Another id for the demo brand: a test's own brand, since the test Temporal server outlives its scratch database. */
  demoCustomerId?: string;
}

export interface SeedResult {
  apps: number;
  plans: number;
  packs: number;
  usersCreated: number;
  demoGrantCreated: boolean;
  /** The demo brand's publishable test key for /demo/storefront, when a storefront origin was given. */
  demoStorefrontKey?: string;
}

export async function seed(orm: MikroORM, opts: SeedOptions = { demo: true }): Promise<SeedResult> {
  const em = orm.em.fork();
  return em.transactional(async (tx) => {
    await tx.upsertMany(App, appCatalog.map((a) => ({ ...a })), { onConflictFields: ['slug'], onConflictExcludeFields: ['id', 'createdAt'] });
    await tx.upsertMany(BillingPlan, planCatalog.map((p) => ({ ...p })), { onConflictFields: ['lookupKey'], onConflictExcludeFields: ['id', 'stripePriceId'] });
    await tx.upsertMany(TokenPack, packCatalog.map((p) => ({ ...p })), { onConflictFields: ['lookupKey'], onConflictExcludeFields: ['id', 'stripePriceId'] });

    if (!opts.demo) return { apps: appCatalog.length, plans: planCatalog.length, packs: packCatalog.length, usersCreated: 0, demoGrantCreated: false };
    const direct = (opts.demoUsage ?? 'direct') === 'direct';
    const id = opts.demoCustomerId ?? demoCustomer.id;
    let customer = await tx.findOne(Customer, { id });
    if (!customer) {
      customer = tx.create(Customer, { ...demoCustomer, id });
      if (direct) tx.create(CustomerBilling, { customer, plan: await tx.findOneOrFail(BillingPlan, { lookupKey: 'professional' }) });
    }
    const demoGrantCreated = direct ? await seedDemoUsage(tx, customer.id) : false;
    let usersCreated = 0;
    const passwordHash = await hashPassword(demoPassword);
    for (const u of demoUsers) {
      if (await tx.findOne(User, { email: u.email })) continue;
      tx.create(User, { ...u, passwordHash, customer: u.role === 'operator' ? undefined : customer });
      usersCreated++;
    }
    await tx.flush();
    const demoStorefrontKey = opts.storefrontOrigin ? await demoStorefrontKeyOf(tx, customer.id, opts.storefrontOrigin) : undefined;
    return { apps: appCatalog.length, plans: planCatalog.length, packs: packCatalog.length, usersCreated, demoGrantCreated, demoStorefrontKey };
  });
}

/**
 * The demo brand can use its widgets straight away: every app active, and the Professional
 * allowance for the current calendar month (the billing workflow owns cycles once Stripe is
 * linked). Returns true when a grant was created, so the caller drops a cached balance.
 */
async function seedDemoUsage(tx: EntityManager, customerId: string): Promise<boolean> {
  for (const app of await tx.find(App, {})) {
    if (await tx.findOne(CustomerApp, { customer: customerId, app })) continue;
    tx.create(CustomerApp, { customer: tx.getReference(Customer, customerId), app, status: 'active', activatedAt: new Date() });
  }
  const now = new Date();
  const cycleStartAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const cycleEndAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const billing = await tx.findOneOrFail(CustomerBilling, { customer: customerId }, { populate: ['plan'] });
  if (!billing.cycleStartAt || billing.cycleEndAt! <= now) Object.assign(billing, { cycleStartAt, cycleEndAt });
  const allowance = billing.plan?.allowanceTokens;
  if (!allowance) return false;
  await tx.flush();
  const ref = `cycle:${billing.cycleStartAt!.toISOString()}`;
  const grant = await insertGrant(tx, { customerId, source: 'plan_allowance', sourceRef: ref, amountTokens: allowance, effectiveAt: billing.cycleStartAt!, expiresAt: billing.cycleEndAt! });
  return grant.created;
}

const storefrontKeyName = 'Demo storefront';

/**
 * A publishable test key, so the widget can be tried on /demo/storefront straight after
 * `npm run up`: test mode spends the sandbox, never the demo brand's tokens. Made once, kept.
 */
async function demoStorefrontKeyOf(tx: EntityManager, customerId: string, origin: string): Promise<string> {
  const existing = await tx.findOne(ApiKey, { customer: customerId, name: storefrontKeyName, kind: 'publishable', mode: 'test', revokedAt: null, expiresAt: null });
  if (existing?.publishableKey && existing.allowedOrigins.includes(origin)) return existing.publishableKey;
  const admin = await tx.findOneOrFail(User, { customer: customerId, role: 'admin' }, { orderBy: { createdAt: 'asc' } });
  const { plaintext } = await createApiKey(tx, { customerId, actorId: admin.id, name: storefrontKeyName, kind: 'publishable', mode: 'test', allowedOrigins: [origin], limit: Number.MAX_SAFE_INTEGER });
  return plaintext;
}
