// A brand's audit entries for its admins: newest first, filtered, in keyset pages by id (ids only
// grow, so a page boundary never skips or repeats a row written meanwhile). Each row names its
// actor as people know them (email, key name and prefix) and the address it came from.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActorKind } from './actor';

/** `id` narrows a user, an operator or an API key to one; without it, every actor of the kind. */
export interface ActorFilter {
  kind: ActorKind;
  id?: string;
}

export interface AuditFilter {
  actor?: ActorFilter;
  action?: string;
  from?: Date;
  /** End exclusive. */
  to?: Date;
}

export interface AuditActorView {
  kind: ActorKind;
  /** How the portal names it: "Ada Lovelace <ada@brand.example>", "Storefront (vsk_live_ab12…)", "System". */
  label: string;
  userId: string | null;
  email: string | null;
  name: string | null;
  apiKeyId: string | null;
  apiKeyName: string | null;
  apiKeyPrefix: string | null;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: AuditActorView;
  action: string;
  target: { type: string; id: string } | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

interface Raw {
  id: string;
  created_at: Date | string;
  kind: ActorKind;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown> | string | null;
  user_id: string | null;
  email: string | null;
  user_name: string | null;
  key_id: string | null;
  key_name: string | null;
  key_prefix: string | null;
}

// Rows from before actor kinds have none: one naming a user was a user's, any other the product's.
const kindSql = `coalesce(a.actor_kind, case when a.actor_id is not null then 'user' else 'system' end)`;

const actorJoins = `left join users u on u.id = a.actor_id left join api_keys k on k.id = a.actor_api_key_id`;

function filterSql(customerId: string, filter: AuditFilter): { where: string; values: unknown[] } {
  const parts = ['a.customer_id = ?'];
  const values: unknown[] = [customerId];
  if (filter.actor) {
    parts.push(`${kindSql} = ?`);
    values.push(filter.actor.kind);
    if (filter.actor.id) {
      parts.push(filter.actor.kind === 'api_key' ? 'a.actor_api_key_id = ?' : 'a.actor_id = ?');
      values.push(filter.actor.id);
    }
  }
  if (filter.action) {
    parts.push('a.action = ?');
    values.push(filter.action);
  }
  if (filter.from) {
    parts.push('a.created_at >= ?');
    values.push(filter.from);
  }
  if (filter.to) {
    parts.push('a.created_at < ?');
    values.push(filter.to);
  }
  return { where: parts.join(' and '), values };
}

const kindLabels: Record<ActorKind, string> = { user: 'A removed user', operator: 'VARAi operator', api_key: 'A deleted API key', anonymous: 'Anonymous (not logged in)', system: 'System' };

export function actorLabel(a: Pick<AuditActorView, 'kind' | 'email' | 'name' | 'apiKeyName' | 'apiKeyPrefix'>): string {
  if ((a.kind === 'user' || a.kind === 'operator') && a.email) {
    const who = a.name ? `${a.name} <${a.email}>` : a.email;
    return a.kind === 'operator' ? `VARAi operator ${who}` : who;
  }
  if (a.kind === 'api_key' && a.apiKeyPrefix) return `${a.apiKeyName ?? 'API key'} (${a.apiKeyPrefix}…)`;
  return kindLabels[a.kind];
}

function actorOf(r: Pick<Raw, 'kind' | 'user_id' | 'email' | 'user_name' | 'key_id' | 'key_name' | 'key_prefix'>): AuditActorView {
  const view = { kind: r.kind, userId: r.user_id, email: r.email, name: r.user_name, apiKeyId: r.key_id, apiKeyName: r.key_name, apiKeyPrefix: r.key_prefix };
  return { ...view, label: actorLabel(view) };
}

function rowOf(r: Raw): AuditRow {
  return {
    id: String(r.id),
    at: new Date(r.created_at),
    actor: actorOf(r),
    action: r.action,
    target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
    ip: r.ip,
    requestId: r.request_id,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : (r.details ?? {}),
  };
}

/** One page, newest first: rows with an id below `before` (the previous page's last), and the cursor of the next page or null. */
export async function listAudit(em: EntityManager, customerId: string, filter: AuditFilter, page: { before?: string; limit: number }): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const { where, values } = filterSql(customerId, filter);
  const keyset = page.before ? ' and a.id < ?' : '';
  const raw = await em.getConnection().execute<Raw[]>(
    `select a.id, a.created_at, ${kindSql} as kind, a.action, a.target_type, a.target_id, a.ip, a.request_id, a.details,
            u.id as user_id, u.email, u.name as user_name, k.id as key_id, k.name as key_name, k.prefix as key_prefix
       from audit_log a ${actorJoins}
      where ${where}${keyset}
      order by a.id desc
      limit ?`,
    [...values, ...(page.before ? [page.before] : []), page.limit + 1],
  );
  const rows = raw.slice(0, page.limit).map(rowOf);
  return { rows, nextCursor: raw.length > page.limit ? (rows.at(-1)?.id ?? null) : null };
}

export interface AuditFacets {
  actions: string[];
  /** `value` is what the `actor` filter takes: `kind:id` for one person or key, the bare kind otherwise. */
  actors: { value: string; label: string; kind: ActorKind }[];
}

/** What the viewer's filter menus offer: the actions and actors this brand's log holds. */
export async function auditFacets(em: EntityManager, customerId: string): Promise<AuditFacets> {
  const conn = em.getConnection();
  const actions = await conn.execute<{ action: string }[]>(`select distinct action from audit_log where customer_id = ? order by action`, [customerId]);
  const actors = await conn.execute<(Pick<Raw, 'kind' | 'user_id' | 'email' | 'user_name' | 'key_id' | 'key_name' | 'key_prefix'>)[]>(
    `select distinct ${kindSql} as kind, u.id as user_id, u.email, u.name as user_name, k.id as key_id, k.name as key_name, k.prefix as key_prefix
       from audit_log a ${actorJoins}
      where a.customer_id = ?`,
    [customerId],
  );
  const seen = new Map<string, AuditFacets['actors'][number]>();
  for (const r of actors) {
    const view = actorOf(r);
    const id = r.kind === 'api_key' ? r.key_id : r.kind === 'user' || r.kind === 'operator' ? r.user_id : null;
    const value = id ? `${r.kind}:${id}` : r.kind;
    if (!seen.has(value)) seen.set(value, { value, label: view.label, kind: r.kind });
  }
  return { actions: actions.map((a) => a.action), actors: [...seen.values()].sort((a, b) => a.label.localeCompare(b.label)) };
}
