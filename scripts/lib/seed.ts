// Seeds the catalog (apps, plans, packs) and the demo brand. Idempotent: catalog rows are
// upserted by their business key; demo users are created once and never overwritten, and
// never in production.
import type { MikroORM } from '@mikro-orm/postgresql';
import { hashPassword } from '../../domain/auth/password';
import { appCatalog } from '../../domain/catalog/apps';
import { demoCustomer, demoPassword, demoUsers } from '../../domain/catalog/demo';
import { packCatalog, planCatalog } from '../../domain/catalog/plans';
import { App, BillingPlan, Customer, CustomerBilling, TokenPack, User } from '../../domain/entities';

export async function seed(orm: MikroORM, opts: { demo: boolean } = { demo: true }): Promise<{ apps: number; plans: number; packs: number; usersCreated: number }> {
  const em = orm.em.fork();
  return em.transactional(async (tx) => {
    await tx.upsertMany(App, appCatalog.map((a) => ({ ...a })), { onConflictFields: ['slug'], onConflictExcludeFields: ['id', 'createdAt'] });
    await tx.upsertMany(BillingPlan, planCatalog.map((p) => ({ ...p })), { onConflictFields: ['lookupKey'], onConflictExcludeFields: ['id', 'stripePriceId'] });
    await tx.upsertMany(TokenPack, packCatalog.map((p) => ({ ...p })), { onConflictFields: ['lookupKey'], onConflictExcludeFields: ['id', 'stripePriceId'] });

    if (!opts.demo) return { apps: appCatalog.length, plans: planCatalog.length, packs: packCatalog.length, usersCreated: 0 };
    let customer = await tx.findOne(Customer, { id: demoCustomer.id });
    if (!customer) {
      customer = tx.create(Customer, demoCustomer);
      const professional = await tx.findOneOrFail(BillingPlan, { lookupKey: 'professional' });
      tx.create(CustomerBilling, { customer, plan: professional });
    }
    let usersCreated = 0;
    const passwordHash = await hashPassword(demoPassword);
    for (const u of demoUsers) {
      if (await tx.findOne(User, { email: u.email })) continue;
      tx.create(User, { ...u, passwordHash, customer: u.role === 'operator' ? undefined : customer });
      usersCreated++;
    }
    return { apps: appCatalog.length, plans: planCatalog.length, packs: packCatalog.length, usersCreated };
  });
}
