// Grants credit tokens: the grant row and its ledger entry commit together, once per
// (customer, source, sourceRef). The cached balance is then dropped, so the next debit sees
// the grant through a rebuild instead of through a second, racing write path.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { GrantSource } from '../entities';
import type { RedisClient } from '../infra/redis';
import { assertSafeInteger } from '../units';
import { lockCustomer } from './customer-lock';
import { invalidateBalance } from './scripts';
import { publishBalance } from './publish';

export interface GrantRequest {
  customerId: string;
  source: GrantSource;
  /** The business id that causes the grant: a cycle, a purchase, an adjustment ticket. */
  sourceRef: string;
  amountTokens: number;
  effectiveAt: Date;
  /** End exclusive; omit for never. */
  expiresAt?: Date;
  reason?: string;
  actorId?: string;
}

/**
 * Inside the caller's transaction: locks the customer, writes the grant and its ledger entry
 * once. The caller drops the cached balance after COMMIT when `created` is true.
 */
export async function insertGrant(tx: EntityManager, g: GrantRequest): Promise<{ grantId: string; created: boolean }> {
  assertSafeInteger(g.amountTokens, 'amountTokens');
  await lockCustomer(tx, g.customerId);
  const [inserted] = await tx.execute<{ id: string }[]>(
    `insert into token_grants (customer_id, source, source_ref, amount_tokens, effective_at, expires_at)
     values (?, ?, ?, ?, ?, ?) on conflict (customer_id, source, source_ref) do nothing returning id`,
    [g.customerId, g.source, g.sourceRef, g.amountTokens, g.effectiveAt, g.expiresAt ?? null],
  );
  if (!inserted) {
    const [existing] = await tx.execute<{ id: string }[]>(`select id from token_grants where customer_id = ? and source = ? and source_ref = ?`, [g.customerId, g.source, g.sourceRef]);
    return { grantId: existing!.id, created: false };
  }
  await tx.execute(
    `insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, reason, actor_id)
     values (?, ?, 'grant', ?, ?, ?, ?)`,
    [g.customerId, inserted.id, g.amountTokens, `grant:${g.source}:${g.sourceRef}`, g.reason ?? null, g.actorId ?? null],
  );
  return { grantId: inserted.id, created: true };
}

export async function grantTokens(orm: MikroORM, redis: RedisClient, g: GrantRequest): Promise<{ grantId: string; created: boolean }> {
  const result = await orm.em.fork().transactional((tx) => insertGrant(tx, g));
  if (result.created) {
    await invalidateBalance(redis, g.customerId);
    await publishBalance(orm, redis, g.customerId);
  }
  return result;
}
