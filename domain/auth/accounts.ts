// Sign-up, login and password changes: the rules, with no HTTP in sight.
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/record';
import { Customer, User } from '../entities';
import { AppError } from '../errors';
import type { PasswordHasher } from './password';

/** users.email is unique: the constraint, not a prior lookup, decides a race between two sign-ups. */
async function emailTakenOnConflict<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw new AppError('EMAIL_TAKEN', 'An account with this email already exists.', { field: 'email' });
    }
    throw err;
  }
}

export interface SignupInput {
  brandName: string;
  name: string;
  email: string;
  password: string;
}

/** Creates the brand and its first admin in one transaction. */
export async function signup(em: EntityManager, hasher: PasswordHasher, input: SignupInput, requestId?: string): Promise<User> {
  const passwordHash = await hasher.hash(input.password);
  return emailTakenOnConflict(() =>
    em.transactional(async (tx) => {
      const customer = tx.create(Customer, { name: input.brandName });
      const user = tx.create(User, { email: input.email, name: input.name, passwordHash, role: 'admin', customer });
      recordAudit(tx, { actor: { kind: 'user', userId: user.id }, customerId: customer.id, action: 'customer.signed_up', target: { type: 'customer', id: customer.id }, requestId });
      return user;
    }),
  );
}

/** The user for these credentials, or INVALID_CREDENTIALS without saying which part was wrong. */
export async function authenticate(em: EntityManager, hasher: PasswordHasher, email: string, password: string): Promise<User> {
  const user = await em.findOne(User, { email }, { populate: ['customer', 'passwordHash'] });
  const verdict = await hasher.verify(password, user?.passwordHash ?? (await hasher.dummyHash()));
  if (!user || !verdict.ok) throw new AppError('INVALID_CREDENTIALS', 'Invalid email or password.');
  // Only after the password is proven: a guesser learns nothing about which accounts are disabled.
  if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED', 'This account was disabled by an admin of your brand. Ask them to enable it again.');
  // Flushed by the caller together with its audit entry. The plain password is at hand only
  // now, so this is when an old bcrypt (or cheaper argon2id) hash is replaced.
  if (verdict.needsRehash) user.passwordHash = await hasher.hash(password);
  user.lastLoginAt = new Date();
  return user;
}

/**
 * Checks the current password and stores a new one's hash, flushed by the caller with its audit
 * entry. WRONG_PASSWORD (422, on body.currentPassword) when the current one is not right.
 */
export async function changePassword(em: EntityManager, hasher: PasswordHasher, userId: string, current: string, next: string): Promise<User> {
  const user = await em.findOneOrFail(User, { id: userId }, { populate: ['passwordHash'] });
  const verdict = await hasher.verify(current, user.passwordHash);
  if (!verdict.ok) {
    throw new AppError('WRONG_PASSWORD', 'Your current password is not right.', { fields: [{ path: 'body.currentPassword', message: 'This is not your current password.' }] });
  }
  user.passwordHash = await hasher.hash(next);
  return user;
}
