// Sign-up, login and team membership: the rules, with no HTTP in sight.
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/record';
import { Customer, User } from '../entities';
import { AppError } from '../errors';
import type { CustomerRole } from '../roles';
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
  // Flushed by the caller together with its audit entry. The plain password is at hand only
  // now, so this is when an old bcrypt (or cheaper argon2id) hash is replaced.
  if (verdict.needsRehash) user.passwordHash = await hasher.hash(password);
  user.lastLoginAt = new Date();
  return user;
}

export interface AddMemberInput {
  email: string;
  name: string;
  role: CustomerRole;
  password: string;
}

export async function addTeamMember(em: EntityManager, hasher: PasswordHasher, customerId: string, actorId: string, input: AddMemberInput, requestId?: string): Promise<User> {
  const passwordHash = await hasher.hash(input.password);
  return emailTakenOnConflict(() =>
    em.transactional(async (tx) => {
      const customer = tx.getReference(Customer, customerId);
      const user = tx.create(User, { email: input.email, name: input.name, passwordHash, role: input.role, customer });
      recordAudit(tx, { actor: { kind: 'user', userId: actorId }, customerId, action: 'team.member_added', target: { type: 'user', id: user.id }, details: { role: input.role }, requestId });
      return user;
    }),
  );
}
