// The operators' alert list (domain/operator/alerts.ts) and its acknowledgement.
import { z } from 'zod';
import { acknowledgeOperatorAlert, listOperatorAlerts, type OperatorAlertView } from '../../domain/operator/alerts';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const alertSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().meta({ description: 'balance-drift, usage-spike, error-flood, auto-top-up-disabled' }),
    customerId: z.uuid().nullable().meta({ description: 'The brand it concerns; null for the platform as a whole.' }),
    customerName: z.string().nullable(),
    subject: z.string(),
    text: z.string(),
    details: z.record(z.string(), z.unknown()).meta({ description: 'The figures behind it, e.g. `{ driftKind, expectedTokens, actualTokens, differenceTokens }` for a balance drift.' }),
    createdAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.string().nullable().meta({ description: 'Email of the operator who acknowledged it.' }),
  })
  .meta({ id: 'OperatorAlert' });

const present = (a: OperatorAlertView) => ({
  id: a.id,
  kind: a.kind,
  customerId: a.customerId,
  customerName: a.customerName,
  subject: a.subject,
  text: a.text,
  details: a.details,
  createdAt: a.createdAt.toISOString(),
  acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: a.acknowledgedBy,
});

const unauthenticated = { description: 'UNAUTHENTICATED', schema: errorSchema };
const forbidden = { description: 'FORBIDDEN: operators only', schema: errorSchema };

export const operatorAlertRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/operator/alerts',
    summary: 'Lists operator alerts, newest first (operators)',
    tag: 'operator',
    access: 'operate',
    query: z.object({ status: z.enum(['open', 'all']).default('open').meta({ description: '`open`: not acknowledged yet (the default).' }) }),
    responses: {
      200: { description: 'At most 200 alerts, newest first', schema: z.object({ alerts: z.array(alertSchema) }) },
      401: unauthenticated,
      403: forbidden,
      422: { description: 'VALIDATION_FAILED: status is neither open nor all', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const alerts = await listOperatorAlerts(deps.orm.em.fork(), query.status);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { alerts: alerts.map(present) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/operator/alerts/:id/acknowledge',
    summary: 'Acknowledges an operator alert (idempotent; audited)',
    tag: 'operator',
    access: 'operate',
    params: z.object({ id: z.uuid() }),
    responses: {
      200: { description: 'The alert, acknowledged; a repeat keeps the first acknowledgement', schema: z.object({ alert: alertSchema }) },
      401: unauthenticated,
      403: forbidden,
      404: { description: 'NOT_FOUND: no alert has this id (details.field = params.id)', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: id is not a UUID', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const alert = await acknowledgeOperatorAlert(deps.orm.em.fork(), params.id, { userId: ctx.state.auth!.id, requestId: ctx.state.requestId });
      ctx.body = { alert: present(alert) };
    },
  }),
];
