// Erasure on request: an operator replaces a person's (or a whole brand's) personal data by
// pseudonyms. What is a fact stays: users and customers keep their ids, so the ledger, token
// usage and the audit log still add up and still say "this account did this"; only the fields
// that say who the person is change. The audit log is append-only; its personal fields (ip,
// details) are rewritten by the one database function allowed to (erase_audit_personal_data,
// migrations/Migration20261130060000_flags_privacy.ts). Sessions (Redis) and API-key caches are
// the caller's: this file answers which users and key prefixes to drop.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/record';
import { AppError } from '../errors';

interface Actor {
  userId: string;
  requestId?: string;
}

/** The same input gives the same pseudonym, and the pseudonym says nothing of the person. */
export const pseudonymOf = (kind: 'user' | 'brand', id: string) => `erased-${kind}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;

/** Where an erased address points: a reserved domain that can never receive mail. */
export const erasedEmail = (pseudonym: string) => `${pseudonym}@erased.invalid`;

export interface UserErasure {
  userId: string;
  pseudonym: string;
  auditRowsRewritten: number;
}

export interface BrandErasure {
  customerId: string;
  pseudonym: string;
  users: UserErasure[];
  apiKeyPrefixes: string[];
  auditRowsRewritten: number;
}

type Sql = Pick<EntityManager, 'execute'>;

/** One person's rows, inside the caller's transaction. */
async function eraseUserRows(tx: Sql, user: { id: string; email: string; name: string }): Promise<UserErasure> {
  const pseudonym = pseudonymOf('user', user.id);
  // The audit first: it finds the rows that name the person by the email about to go.
  const [rewritten] = await tx.execute<{ n: number }[]>('select erase_audit_personal_data(null, ?, ?, ?, ?) as n', [user.id, user.email, user.name, pseudonym]);
  // No login is possible any more: the hash matches no password, and the member is disabled.
  await tx.execute(`update users set email = ?, name = ?, password_hash = '!erased', disabled_at = coalesce(disabled_at, now()) where id = ?`, [erasedEmail(pseudonym), pseudonym, user.id]);
  await tx.execute('delete from user_phones where user_id = ?', [user.id]);
  await tx.execute(`update sign_ins set ip = 'erased', user_agent = null where user_id = ?`, [user.id]);
  await tx.execute(`update notification_deliveries set recipient = ? where user_id = ? and recipient is not null`, [erasedEmail(pseudonym), user.id]);
  // A notice keeps the list of addresses it was mailed to: the person's leaves it.
  await tx.execute(
    `update notifications set recipient = replace(recipient, ?, ?) where customer_id = (select customer_id from users where id = ?) and strpos(recipient, ?) > 0`,
    [user.email, erasedEmail(pseudonym), user.id, user.email],
  );
  await tx.execute('delete from team_invitations where email = ?', [user.email]);
  return { userId: user.id, pseudonym, auditRowsRewritten: Number(rewritten?.n ?? 0) };
}

async function usersWhere(tx: Sql, column: 'id' | 'customer_id', id: string): Promise<{ id: string; email: string; name: string }[]> {
  return tx.execute(`select id, email, name from users where ${column} = ? order by id for update`, [id]);
}

/** Erases one staff member (or operator). Audited, with the reason, under the person's brand. */
export async function eraseUser(em: EntityManager, userId: string, reason: string, actor: Actor): Promise<UserErasure> {
  return em.transactional(async (tx) => {
    const [user] = await usersWhere(tx, 'id', userId);
    if (!user) throw new AppError('NOT_FOUND', 'No user has this id.', { field: 'params.userId' });
    const [owner] = await tx.execute<{ customer_id: string | null }[]>('select customer_id from users where id = ?', [userId]);
    const erased = await eraseUserRows(tx, user);
    recordAudit(tx, {
      actor: { kind: 'operator', userId: actor.userId },
      customerId: owner?.customer_id ?? null,
      action: 'privacy.user_erased',
      target: { type: 'user', id: userId },
      details: { reason, pseudonym: erased.pseudonym, auditRowsRewritten: erased.auditRowsRewritten },
      requestId: actor.requestId,
    });
    return erased;
  });
}

/** Erases the brand's name, every member, its invitations and delivery addresses, and revokes its API keys. */
export async function eraseBrand(em: EntityManager, customerId: string, reason: string, actor: Actor): Promise<BrandErasure> {
  return em.transactional(async (tx) => {
    const [brand] = await tx.execute<{ name: string }[]>('select name from customers where id = ? for update', [customerId]);
    if (!brand) throw new AppError('NOT_FOUND', 'No brand has this id.', { field: 'params.customerId' });
    const pseudonym = pseudonymOf('brand', customerId);
    const users: UserErasure[] = [];
    for (const user of await usersWhere(tx, 'customer_id', customerId)) users.push(await eraseUserRows(tx, user));
    // Then every row of the brand: any address left in details (an invitee who never joined), and the brand's name.
    const [rewritten] = await tx.execute<{ n: number }[]>('select erase_audit_personal_data(?, null, null, ?, ?) as n', [customerId, brand.name, pseudonym]);
    await tx.execute('update customers set name = ? where id = ?', [pseudonym, customerId]);
    await tx.execute('delete from team_invitations where customer_id = ?', [customerId]);
    await tx.execute(
      `update notification_deliveries set recipient = 'erased' where recipient is not null and recipient <> 'erased'
         and notification_id in (select id from notifications where customer_id = ?) and user_id is null`,
      [customerId],
    );
    const keys = await tx.execute<{ prefix: string }[]>('update api_keys set revoked_at = now() where customer_id = ? and revoked_at is null returning prefix', [customerId]);
    const auditRowsRewritten = Number(rewritten?.n ?? 0);
    recordAudit(tx, {
      actor: { kind: 'operator', userId: actor.userId },
      customerId,
      action: 'privacy.brand_erased',
      target: { type: 'customer', id: customerId },
      details: { reason, pseudonym, users: users.length, apiKeysRevoked: keys.length, auditRowsRewritten },
      requestId: actor.requestId,
    });
    return { customerId, pseudonym, users, apiKeyPrefixes: keys.map((k) => k.prefix), auditRowsRewritten };
  });
}
