// Routes audit through here: who the request acts for, read from its session or API key, and
// the brand it concerns. domain/audit/record.ts stores the entry.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor } from '../domain/audit/actor';
import { recordAudit, writeAudit, writeAuditOnce, type AuditEntry } from '../domain/audit/record';
import { User } from '../domain/entities';
import { AppError } from '../domain/errors';
import type { AppContext, UserView } from './state';

const userActor = (user: Pick<UserView, 'id' | 'role'>): AuditActor => ({ kind: user.role === 'operator' ? 'operator' : 'user', userId: user.id });

/** The session's user (operator or brand staff), else the API key; a route with neither has no actor to name. */
export function actorOf(ctx: AppContext): AuditActor {
  const auth = ctx.state.auth;
  if (auth) return userActor(auth);
  if (ctx.state.apiKey) return { kind: 'api_key', apiKeyId: ctx.state.apiKey.id };
  throw new AppError('INTERNAL', 'An audited action ran without a session or an API key.');
}

type RouteEntry = Omit<AuditEntry, 'actor' | 'requestId' | 'customerId'> & { customerId?: string | null };

function entryFor(ctx: AppContext, entry: RouteEntry): AuditEntry {
  return { customerId: ctx.state.auth?.customerId ?? ctx.state.apiKey?.customerId ?? null, ...entry, actor: actorOf(ctx), requestId: ctx.state.requestId };
}

/** In the caller's unit of work: commits with the change. */
export function recordRouteAudit(ctx: AppContext, em: EntityManager, entry: RouteEntry): void {
  recordAudit(em, entryFor(ctx, entry));
}

/** For the routes that open or close a session, where the user is not (or no longer) the request's. */
export function auditSessionUser(ctx: AppContext, em: EntityManager, user: Pick<UserView, 'id' | 'role' | 'customerId'>, action: string): Promise<void> {
  return writeAudit(em, { actor: userActor(user), customerId: user.customerId, action, target: { type: 'user', id: user.id }, requestId: ctx.state.requestId });
}

/** A failed login has no actor yet; it is filed under the brand whose staff email was tried. */
export async function auditLoginFailure(ctx: AppContext, em: EntityManager, email: string): Promise<void> {
  const user = await em.findOne(User, { email }, { fields: ['id', 'customer'] });
  await writeAudit(em, {
    actor: { kind: 'anonymous' },
    customerId: user?.customer?.id ?? null,
    action: 'user.login_failed',
    target: user ? { type: 'user', id: user.id } : undefined,
    details: { email, ip: ctx.ip },
    requestId: ctx.state.requestId,
  });
}

/**
 * Its own write, for a change made elsewhere (a workflow, Stripe, Redis). `once`: not again for
 * the same action and target, for a request replayed by its idempotency key.
 */
export async function auditRoute(ctx: AppContext, em: EntityManager, entry: RouteEntry & { once?: boolean }): Promise<void> {
  const { once, ...rest } = entry;
  const full = entryFor(ctx, rest);
  if (once && full.target) await writeAuditOnce(em, { ...full, target: full.target });
  else await writeAudit(em, full);
}
