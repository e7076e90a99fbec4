// The audit log viewer's API (admins): a brand's own entries, filtered, in keyset pages; the
// filter menus' choices; and the same entries as a streamed CSV file.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { actorKinds, type ActorKind } from '../../domain/audit/actor';
import { auditCsv, auditFileName } from '../../domain/audit/export';
import { auditFacets, listAudit, type AuditFilter } from '../../domain/audit/list';
import { Customer } from '../../domain/entities';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const dayMs = 86_400_000;
const actorPattern = new RegExp(`^(?:(?:user|operator|api_key):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|${actorKinds.join('|')})$`);

const filterShape = {
  actor: z
    .string()
    .regex(actorPattern, 'an actor kind (user, operator, api_key, anonymous, system) or kind:id from GET /api/audit/filters')
    .optional()
    .meta({ description: '`user:<id>`, `operator:<id>`, `api_key:<id>` for one actor, or a bare kind for all of it.' }),
  action: z.string().max(120).regex(/^[a-z0-9_.-]+$/, 'an action name such as api_key.created').optional(),
  from: z.iso.date('a date as YYYY-MM-DD').optional().meta({ description: 'First day (UTC), inclusive.' }),
  to: z.iso.date('a date as YYYY-MM-DD').optional().meta({ description: 'Last day (UTC), inclusive.' }),
};

type FilterQuery = { actor?: string; action?: string; from?: string; to?: string };

function rangeInOrder(q: FilterQuery, ctx: z.RefinementCtx): void {
  if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'on or after from' });
}

const exportQuery = z.object(filterShape).superRefine(rangeInOrder);
const listQuery = z
  .object({
    ...filterShape,
    cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, 'the nextCursor of the previous page').optional().meta({ description: 'The `nextCursor` of the previous page.' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine(rangeInOrder);

function filterOf(q: FilterQuery): AuditFilter {
  // The schema let through only a known kind, alone or with an id.
  const [kind, id] = (q.actor ?? '').split(':') as [ActorKind, string | undefined];
  return {
    actor: q.actor ? { kind, id } : undefined,
    action: q.action,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + dayMs) : undefined,
  };
}

const actorSchema = z.object({
  kind: z.enum(actorKinds),
  label: z.string().meta({ description: 'e.g. "Ada Lovelace <ada@brand.example>", "Storefront (vsk_live_ab12…)", "System".' }),
  userId: z.uuid().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  apiKeyId: z.uuid().nullable(),
  apiKeyName: z.string().nullable(),
  apiKeyPrefix: z.string().nullable(),
});

const entrySchema = z
  .object({
    id: z.string().meta({ description: 'Grows with time; a bigint as a string.' }),
    at: z.string(),
    actor: actorSchema,
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    ip: z.string().nullable().meta({ description: "The request's address; null for the product's own actions and entries from before it was recorded." }),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

const forbidden = { description: 'FORBIDDEN unless admin of a brand', schema: errorSchema };
const invalid = { description: 'VALIDATION_FAILED naming query.actor, query.action, query.from, query.to, query.cursor or query.limit', schema: errorSchema };

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/audit',
    summary: "The brand's audit log, newest first (admin only)",
    tag: 'audit',
    access: 'administer',
    query: listQuery,
    responses: {
      200: { description: 'One page; `nextCursor` is null on the last', schema: z.object({ entries: z.array(entrySchema), nextCursor: z.string().nullable() }) },
      403: forbidden,
      422: invalid,
    },
    async handler(ctx, { query }, deps) {
      const page = await listAudit(deps.orm.em.fork(), customerIdOf(ctx), filterOf(query), { before: query.cursor, limit: query.limit });
      ctx.body = { entries: page.rows.map((r) => ({ ...r, at: r.at.toISOString() })), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/audit/filters',
    summary: 'The actions and actors found in the brand’s audit log, for filter menus (admin only)',
    tag: 'audit',
    access: 'administer',
    responses: {
      200: {
        description: 'Actions by name; actors by label, each with the value the `actor` filter takes',
        schema: z.object({ actions: z.array(z.string()), actors: z.array(z.object({ value: z.string(), label: z.string(), kind: z.enum(actorKinds) })) }),
      },
      403: forbidden,
    },
    async handler(ctx, _input, deps) {
      ctx.body = await auditFacets(deps.orm.em.fork(), customerIdOf(ctx));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/audit/export.csv',
    summary: "The brand's audit log as CSV, streamed, with the list's filters (admin only)",
    tag: 'audit',
    access: 'administer',
    query: exportQuery,
    responses: {
      200: { description: 'text/csv with a header row; attachment named <brand>-audit-<from>-to-<to>.csv', mediaType: 'text/csv', schema: z.string() },
      403: forbidden,
      422: invalid,
    },
    async handler(ctx, { query }, deps) {
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const brand = await em.findOneOrFail(Customer, customerId, { fields: ['name'] });
      const name = auditFileName(brand.name, query.from, query.to, new Date().toISOString().slice(0, 10));
      ctx.set('Content-Disposition', `attachment; filename="${name}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = Readable.from(auditCsv(em, customerId, filterOf(query)));
    },
  }),
];
