// The one writer of audit entries. Every mutation the product makes on someone's behalf leaves
// one row naming its actor; callers say who and what, this file says how it is stored.
// test/security/audit.test.ts refuses any other `em.create(AuditLog` or `insert into audit_log`.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey, AuditLog, Customer, User } from '../entities';
import type { AuditActor } from './actor';
import { currentAuditOrigin } from './origin';

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  /** The brand it concerns; null for operator-wide actions. */
  customerId?: string | null;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  requestId?: string;
  /** The request's address; by default the one of the request being served (./origin.ts), if any. */
  ip?: string;
}

function actorColumns(em: EntityManager, actor: AuditActor): Pick<AuditLog, 'actorKind' | 'actor' | 'actorApiKey'> {
  switch (actor.kind) {
    case 'user':
    case 'operator':
      return { actorKind: actor.kind, actor: em.getReference(User, actor.userId) };
    case 'api_key':
      return { actorKind: actor.kind, actorApiKey: em.getReference(ApiKey, actor.apiKeyId) };
    default:
      return { actorKind: actor.kind };
  }
}

/** Adds the entry to the unit of work: it commits with the change it records, or not at all. */
export function recordAudit(em: EntityManager, entry: AuditEntry): AuditLog {
  return em.create(AuditLog, {
    ...actorColumns(em, entry.actor),
    customer: entry.customerId ? em.getReference(Customer, entry.customerId) : undefined,
    action: entry.action,
    targetType: entry.target?.type,
    targetId: entry.target?.id,
    details: entry.details ?? {},
    requestId: entry.requestId,
    ip: entry.ip ?? currentAuditOrigin()?.ip,
  });
}

/** For an action whose change is already committed (or lives outside PostgreSQL): its own write. */
export async function writeAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  recordAudit(em, entry);
  await em.flush();
}

/**
 * Writes the entry unless one with the same action and target exists: for activities that a
 * retry may repeat (one revenue row per purchase). Answers whether it wrote.
 */
export async function writeAuditOnce(em: EntityManager, entry: AuditEntry & { target: { type: string; id: string } }): Promise<boolean> {
  const exists = await em.count(AuditLog, { action: entry.action, targetType: entry.target.type, targetId: entry.target.id });
  if (exists > 0) return false;
  await writeAudit(em, entry);
  return true;
}
