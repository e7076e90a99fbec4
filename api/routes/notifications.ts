// The brand's notices, newest first: usage alerts, cycle summaries, dunning, receipts, apps
// turned off by a downgrade. Written by the workflows (`notifications`, one row per dedupe key);
// the portal lists them and marks them read.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Notification } from '../../domain/entities';
import { AppError } from '../../domain/errors';
import { auditRoute, recordRouteAudit } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const deliveryCounts = z.object({ sent: z.number().int(), failed: z.number().int(), skipped: z.number().int(), pending: z.number().int() });

const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().meta({ description: 'e.g. usage.alert, billing.cycle_summary, billing.payment-failed, billing.suspended, billing.reactivated, token_pack.receipt, app.deactivated_by_plan' }),
    subject: z.string(),
    body: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable().meta({ description: 'When it was emailed; null for portal-only notices and mail still pending.' }),
    readAt: z.string().nullable(),
    deliveries: z
      .object({ email: deliveryCounts, sms: deliveryCounts })
      .meta({ description: 'How many of the staff it reached per channel: sent, failed after its retries, skipped by their preferences (or no verified number), still pending. All zero for notices from before per-user delivery.' }),
  })
  .meta({ id: 'Notification' });

type Counts = z.infer<typeof deliveryCounts>;
type Deliveries = { email: Counts; sms: Counts };
const noDeliveries = (): Deliveries => ({ email: { sent: 0, failed: 0, skipped: 0, pending: 0 }, sms: { sent: 0, failed: 0, skipped: 0, pending: 0 } });

/** The page's delivery counts in one query. */
async function deliveriesOf(em: EntityManager, ids: string[]): Promise<Map<string, Deliveries>> {
  const byNotice = new Map<string, Deliveries>(ids.map((id) => [id, noDeliveries()]));
  if (!ids.length) return byNotice;
  const rows = await em.getConnection().execute<{ notification_id: string; channel: 'email' | 'sms'; status: keyof Counts; n: number }[]>(
    `select notification_id, channel, status, count(*)::int as n from notification_deliveries
      where notification_id in (${ids.map(() => '?').join(', ')}) and channel in ('email', 'sms') group by 1, 2, 3`,
    ids,
  );
  for (const r of rows) byNotice.get(r.notification_id)![r.channel][r.status] = r.n;
  return byNotice;
}

const view = (n: Notification, deliveries: Deliveries = noDeliveries()) => ({
  id: n.id,
  kind: n.kind,
  subject: n.subject,
  body: n.body,
  createdAt: n.createdAt.toISOString(),
  sentAt: n.sentAt?.toISOString() ?? null,
  readAt: n.readAt?.toISOString() ?? null,
  deliveries,
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.uuid().optional().meta({ description: 'The `id` of the last notice of the previous page.' }),
  unread: z.enum(['true', 'false']).optional().meta({ description: '`true`: unread notices only.' }),
});

export const notificationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/notifications',
    summary: "The brand's notices, newest first, with the number unread",
    tag: 'notifications',
    access: 'read',
    query: listQuery,
    responses: {
      200: { description: 'One page of notices', schema: z.object({ notifications: z.array(notificationSchema), unreadCount: z.number().int().nonnegative() }) },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: limit 1–100, before a notice id', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const customer = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      // Keyset paging on (createdAt, id), so notices written in the same instant are neither skipped nor repeated.
      const cursor = query.before ? await em.findOne(Notification, { id: query.before, customer }) : null;
      if (query.before && !cursor) throw new AppError('VALIDATION_FAILED', 'before is not a notice of this brand.', { fields: [{ path: 'query.before', message: 'not a notice of this brand' }] });
      const where = {
        customer,
        ...(cursor ? { $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] } : {}),
        ...(query.unread === 'true' ? { readAt: null } : {}),
      };
      const [rows, unreadCount] = await Promise.all([
        em.find(Notification, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit }),
        em.fork().count(Notification, { customer, readAt: null }),
      ]);
      const deliveries = await deliveriesOf(em, rows.map((r) => r.id));
      ctx.body = { notifications: rows.map((r) => view(r, deliveries.get(r.id))), unreadCount };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/notifications/:id/read',
    summary: 'Marks one notice read (admin or manager)',
    tag: 'notifications',
    access: 'manage',
    params: z.object({ id: z.uuid() }),
    responses: {
      200: { description: 'The notice', schema: z.object({ notification: notificationSchema }) },
      403: { description: 'FORBIDDEN for a viewer', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s notice', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const em = deps.orm.em.fork();
      const n = await em.findOneOrFail(Notification, { id: params.id, customer: customerIdOf(ctx) });
      if (!n.readAt) {
        n.readAt = new Date();
        recordRouteAudit(ctx, em, { action: 'notification.read', target: { type: 'notification', id: n.id } });
      }
      await em.flush();
      ctx.body = { notification: view(n, (await deliveriesOf(em, [n.id])).get(n.id)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/notifications/read-all',
    summary: "Marks every notice of the brand read (admin or manager)",
    tag: 'notifications',
    access: 'manage',
    responses: {
      200: { description: 'How many were marked', schema: z.object({ marked: z.number().int().nonnegative() }) },
      403: { description: 'FORBIDDEN for a viewer', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const em = deps.orm.em.fork();
      const marked = await em.nativeUpdate(Notification, { customer: customerIdOf(ctx), readAt: null }, { readAt: new Date() });
      if (marked > 0) await auditRoute(ctx, em, { action: 'notification.read_all', details: { marked } });
      ctx.body = { marked };
    },
  }),
];
