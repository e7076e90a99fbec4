// A brand for app-page tests: signed up through the API, on a plan written straight into its
// billing read model (no billing workflow needed), with a team member of any role.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Session, signUp, uniqueEmail } from './http';
import { addMember } from './team';

export interface PlannedBrand {
  customerId: string;
  admin: Session;
}

/** What the billing workflow leaves after a paid checkout, written directly: for tests of what a plan allows, not of billing. */
export async function putOnPlan(orm: MikroORM, customerId: string, plan: 'starter' | 'professional'): Promise<void> {
  await orm.em.getConnection().execute(
    `insert into customer_billing (customer_id, plan_id, status, cycle_start_at, updated_at)
     select ?, id, 'active', now(), now() from billing_plans where lookup_key = ?
     on conflict (customer_id) do update set plan_id = excluded.plan_id`,
    [customerId, plan],
  );
}

export async function brandOnPlan(baseUrl: string, orm: MikroORM, plan: 'starter' | 'professional' | null): Promise<PlannedBrand & { email: string; password: string }> {
  const { session, user, password } = await signUp(baseUrl);
  const customerId = user.customerId as string;
  if (plan) await putOnPlan(orm, customerId, plan);
  return { customerId, admin: session, email: user.email as string, password };
}

/** Adds a member with `role` (test/support/team.ts) and returns a logged-in session with the credentials. */
export async function memberOf(baseUrl: string, admin: Session, role: 'manager' | 'viewer'): Promise<{ session: Session; email: string; password: string }> {
  const email = uniqueEmail(role);
  const password = 'long-enough-pw';
  await addMember(admin, { email, name: `A ${role}`, role, password });
  const session = new Session(baseUrl);
  const login = await session.post('/api/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return { session, email, password };
}
