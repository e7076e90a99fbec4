// Role changes and disabling, with the one rule that keeps a brand manageable: it always has
// at least one active admin. The brand's row is locked first, so two admins demoting or
// disabling each other at the same moment cannot both pass the count.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Customer, User } from '../entities';
import { AppError } from '../errors';
import type { CustomerRole } from '../roles';

async function memberOfBrand(tx: EntityManager, customerId: string, memberId: string): Promise<User> {
  await tx.findOneOrFail(Customer, { id: customerId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const member = await tx.findOne(User, { id: memberId, customer: customerId }, { populate: ['customer'] });
  if (!member) throw new AppError('MEMBER_NOT_FOUND', 'No member with this id in your brand.');
  return member;
}

/** Refuses a change that would leave the brand without an active admin. */
async function keepAnAdmin(tx: EntityManager, customerId: string, member: User): Promise<void> {
  if (member.role !== 'admin' || member.disabledAt) return;
  const others = await tx.count(User, { customer: customerId, role: 'admin', disabledAt: null, id: { $ne: member.id } });
  if (others === 0) {
    throw new AppError('LAST_ADMIN', 'This is the only active admin of the brand. Make another member admin first.', { memberId: member.id });
  }
}

export interface MemberChange {
  member: User;
  /** What it was before, for the audit entry; undefined when nothing changed. */
  before?: { role: CustomerRole; disabled: boolean };
}

export async function changeRole(tx: EntityManager, customerId: string, memberId: string, role: CustomerRole): Promise<MemberChange> {
  const member = await memberOfBrand(tx, customerId, memberId);
  if (member.role === role) return { member };
  if (role !== 'admin') await keepAnAdmin(tx, customerId, member);
  const before = { role: member.role as CustomerRole, disabled: !!member.disabledAt };
  member.role = role;
  return { member, before };
}

/** Disabling is idempotent; the caller ends the member's sessions after the commit. */
export async function setDisabled(tx: EntityManager, customerId: string, memberId: string, disabled: boolean, now = new Date()): Promise<MemberChange> {
  const member = await memberOfBrand(tx, customerId, memberId);
  if (!!member.disabledAt === disabled) return { member };
  if (disabled) await keepAnAdmin(tx, customerId, member);
  const before = { role: member.role as CustomerRole, disabled: !disabled };
  member.disabledAt = disabled ? now : null;
  return { member, before };
}
