// Each login attempt on a known account, for the member's own "recent sign-ins" page. An attempt
// on an unknown email has no account to file it under and is left to the audit log.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignIn, User } from '../entities';

export interface SignInAttempt {
  ip: string;
  userAgent?: string;
  succeeded: boolean;
  failureReason?: 'wrong_password' | 'account_disabled';
}

/** In the caller's unit of work. */
export function recordSignIn(em: EntityManager, userId: string, attempt: SignInAttempt): void {
  em.create(SignIn, {
    user: em.getReference(User, userId),
    ip: attempt.ip.slice(0, 64),
    userAgent: attempt.userAgent?.slice(0, 500) || null,
    succeeded: attempt.succeeded,
    failureReason: attempt.failureReason ?? null,
  });
}

/** A failed login by email: recorded only when the email is a member's. Its own write. */
export async function recordFailedSignIn(em: EntityManager, email: string, attempt: SignInAttempt): Promise<void> {
  const user = await em.findOne(User, { email }, { fields: ['id'] });
  if (!user) return;
  recordSignIn(em, user.id, attempt);
  await em.flush();
}

export function recentSignIns(em: EntityManager, userId: string, limit = 20): Promise<SignIn[]> {
  return em.find(SignIn, { user: userId }, { orderBy: { at: 'desc' }, limit });
}
