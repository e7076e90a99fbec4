// Invitations: an admin names an email and a role; the invitee sets their own password through
// a one-time link, so nobody else ever knows it. The link carries 32 random bytes; only their
// SHA-256 is stored, so the table alone cannot accept anything.
import { randomBytes } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { hashToken } from '../auth/sessions';
import { Customer, TeamInvitation, User } from '../entities';
import { AppError } from '../errors';
import type { CustomerRole } from '../roles';

/** How long a mailed link works. */
export const invitationLifetimeMs = 72 * 3600 * 1000;

export interface NewInvitation {
  invitation: TeamInvitation;
  /** The plain token: mailed once, never stored. */
  token: string;
}

/**
 * A pending invitation for the same email in the same brand is replaced (its link stops working):
 * inviting again is how an admin resends. An email that already has an account, in any brand,
 * is refused: users.email is unique across brands.
 */
export async function createInvitation(tx: EntityManager, customerId: string, invitedById: string, input: { email: string; role: CustomerRole }, now = new Date()): Promise<NewInvitation> {
  if (await tx.count(User, { email: input.email })) {
    throw new AppError('EMAIL_TAKEN', 'An account with this email already exists.', { fields: [{ path: 'body.email', message: 'This email already has an account.' }] });
  }
  await tx.nativeDelete(TeamInvitation, { customer: customerId, email: input.email, acceptedAt: null });
  const token = randomBytes(32).toString('base64url');
  const invitation = tx.create(TeamInvitation, {
    customer: tx.getReference(Customer, customerId),
    email: input.email,
    role: input.role,
    tokenHash: hashToken(token),
    invitedBy: tx.getReference(User, invitedById),
    expiresAt: new Date(now.getTime() + invitationLifetimeMs),
  });
  return { invitation, token };
}

/** The invitation a link names, if it can still be accepted; else a 404 or 410 saying why not. */
export async function usableInvitation(em: EntityManager, token: string, now = new Date(), lock = false): Promise<TeamInvitation> {
  const invitation = await em.findOne(TeamInvitation, { tokenHash: hashToken(token) }, { populate: ['customer'], ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) });
  if (!invitation) throw new AppError('INVITATION_NOT_FOUND', 'This invitation link is not valid. It may have been removed; ask an admin of the brand for a new one.');
  if (invitation.acceptedAt) throw new AppError('INVITATION_USED', 'This invitation was already used. Log in with the password you set.');
  if (invitation.expiresAt <= now) throw new AppError('INVITATION_EXPIRED', 'This invitation expired (links work for 72 hours). Ask an admin of the brand to invite you again.');
  return invitation;
}

/**
 * Creates the member and uses the invitation up, in the caller's transaction. The row lock
 * makes two simultaneous accepts of one link end with one account and one INVITATION_USED.
 */
export async function acceptInvitation(tx: EntityManager, token: string, input: { name?: string; passwordHash: string }, now = new Date()): Promise<User> {
  const invitation = await usableInvitation(tx, token, now, true);
  invitation.acceptedAt = now;
  const user = tx.create(User, { email: invitation.email, name: input.name ?? invitation.email.split('@')[0]!, passwordHash: input.passwordHash, role: invitation.role, customer: invitation.customer });
  try {
    await tx.flush();
  } catch (err) {
    // Someone signed up with this email after the invitation was sent.
    if (err instanceof UniqueConstraintViolationException) throw new AppError('EMAIL_TAKEN', 'An account with this email already exists. Log in instead.');
    throw err;
  }
  return user;
}

/** Removes a pending invitation of this brand; its link then answers INVITATION_NOT_FOUND. */
export async function removeInvitation(tx: EntityManager, customerId: string, id: string): Promise<TeamInvitation> {
  const invitation = await tx.findOne(TeamInvitation, { id, customer: customerId, acceptedAt: null });
  if (!invitation) throw new AppError('INVITATION_NOT_FOUND', 'No pending invitation with this id in your brand.');
  tx.remove(invitation);
  return invitation;
}

/** Pending (not accepted) invitations of a brand, newest first; expired ones are listed as such. */
export function pendingInvitations(em: EntityManager, customerId: string): Promise<TeamInvitation[]> {
  return em.find(TeamInvitation, { customer: customerId, acceptedAt: null }, { orderBy: { createdAt: 'desc' } });
}
