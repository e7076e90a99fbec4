// Session cookie and the user behind it. The cookie is HttpOnly and SameSite=Lax; writes that
// carry it must also come from our own origin (middleware/same-origin.ts).
import type { Context } from 'koa';
import { absoluteLifetimeMs } from '../domain/auth/sessions';
import { User } from '../domain/entities';
import type { Deps } from './deps';
import type { AuthContext, UserView } from './state';

export const sessionCookie = 'varai_session';

export function setSessionCookie(ctx: Context, deps: Deps, token: string): void {
  ctx.cookies.set(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.session.cookieSecure,
    path: '/',
    // Redis enforces the idle timeout; the cookie need not outlive the session's absolute limit.
    maxAge: absoluteLifetimeMs,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(sessionCookie, null, { path: '/' });
}

/** The live user of a session token, or null when the session or the user is gone. */
export async function loadSessionUser(deps: Deps, token: string): Promise<AuthContext | null> {
  const session = await deps.sessions.touch(token);
  if (!session) return null;
  const em = deps.orm.em.fork();
  const user = await em.findOne(User, { id: session.userId }, { populate: ['customer'] });
  // Read on every request, by every process: a member disabled a moment ago is refused here
  // even if ending their sessions in Redis failed half-way.
  if (!user || user.disabledAt) return null;
  return userView(user);
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    customerId: user.customer?.id ?? null,
    customerName: user.customer?.name ?? null,
  };
}
