// The allow-list of a beta app: which brands may see, open and activate it. Operators keep it;
// every grant and revocation that changes the list is audited, a repeat changes nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/record';
import { App, AppBetaAccess, Customer } from '../entities';
import { AppError } from '../errors';

export interface BetaCustomer {
  id: string;
  name: string;
  grantedAt: Date;
}

interface Actor {
  userId: string;
  requestId?: string;
}

async function appOf(em: EntityManager, slug: string): Promise<App> {
  const app = await em.findOne(App, { slug });
  if (!app) throw new AppError('UNKNOWN_APP', `No app is called "${slug}".`, { field: 'params.slug' });
  return app;
}

async function customerOf(em: EntityManager, customerId: string): Promise<Customer> {
  const customer = await em.findOne(Customer, { id: customerId });
  if (!customer) throw new AppError('NOT_FOUND', 'No brand has this id.', { field: 'params.customerId' });
  return customer;
}

function view(row: AppBetaAccess): BetaCustomer {
  return { id: row.customer.id, name: row.customer.name, grantedAt: row.createdAt };
}

/** The brands let into the app, oldest grant first. */
export async function betaCustomers(em: EntityManager, slug: string): Promise<BetaCustomer[]> {
  const app = await appOf(em, slug);
  const rows = await em.find(AppBetaAccess, { app }, { populate: ['customer'], orderBy: { createdAt: 'asc', customer: { name: 'asc' } } });
  return rows.map(view);
}

/** Lets the brand in; a repeat keeps the first grant (and its time) and writes no audit row. */
export async function grantBetaAccess(em: EntityManager, slug: string, customerId: string, actor: Actor): Promise<BetaCustomer> {
  const app = await appOf(em, slug);
  const customer = await customerOf(em, customerId);
  return em.transactional(async (tx) => {
    const inserted = await tx.execute<{ created_at: Date }[]>(
      `insert into app_beta_access (app_id, customer_id, granted_by_id, created_at) values (?, ?, ?, now())
       on conflict (app_id, customer_id) do nothing
       returning created_at`,
      [app.id, customer.id, actor.userId],
    );
    if (inserted.length > 0) {
      recordAudit(tx, { actor: { kind: 'operator', userId: actor.userId }, customerId: customer.id, action: 'app.beta_granted', target: { type: 'app', id: slug }, requestId: actor.requestId });
    }
    const row = await tx.findOneOrFail(AppBetaAccess, { app, customer }, { populate: ['customer'] });
    return view(row);
  });
}

/** Takes the brand off the list; revoking a brand not on it changes nothing. Answers whether it was on it. */
export async function revokeBetaAccess(em: EntityManager, slug: string, customerId: string, actor: Actor): Promise<boolean> {
  const app = await appOf(em, slug);
  const customer = await customerOf(em, customerId);
  return em.transactional(async (tx) => {
    const deleted = await tx.nativeDelete(AppBetaAccess, { app, customer });
    if (deleted > 0) {
      recordAudit(tx, { actor: { kind: 'operator', userId: actor.userId }, customerId: customer.id, action: 'app.beta_revoked', target: { type: 'app', id: slug }, requestId: actor.requestId });
    }
    return deleted > 0;
  });
}
