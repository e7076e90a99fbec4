// Operator alerts: something VARAi's staff must look at (a drifted balance, a usage spike, an
// auto top-up turned off). Raised once per dedupe key, listed in the console until acknowledged,
// and emailed to every operator. Raising only records: the email goes out from a workflow
// (clients/operator-alerts.ts starts it; the reconciliation audit's sweep sends any an API
// process raised), so a slow mail provider never holds up whoever noticed the problem.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { writeAudit } from '../audit/record';
import { AppError } from '../errors';

export interface OperatorAlertInput {
  /** balance-drift, usage-spike, error-flood, auto-top-up-disabled. */
  kind: string;
  /** Once per key, ever: a second raise with the same key changes nothing. */
  dedupeKey: string;
  customerId: string | null;
  subject: string;
  text: string;
  details?: Record<string, unknown>;
}

export interface OperatorAlertView {
  id: string;
  kind: string;
  customerId: string | null;
  customerName: string | null;
  subject: string;
  text: string;
  details: Record<string, unknown>;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  emailedAt: Date | null;
}

/** `raised`: this call recorded it; false: an alert with the key was already there (its id is answered). */
export async function raiseOperatorAlert(orm: MikroORM, a: OperatorAlertInput): Promise<{ alertId: string; raised: boolean }> {
  const sql = orm.em.fork().getConnection();
  const inserted = await sql.execute<{ id: string }[]>(
    `insert into operator_alerts (kind, dedupe_key, customer_id, subject, text, details) values (?, ?, ?, ?, ?, ?::jsonb)
     on conflict (dedupe_key) do nothing returning id`,
    [a.kind.slice(0, 64), a.dedupeKey.slice(0, 300), a.customerId, a.subject.slice(0, 300), a.text, JSON.stringify(a.details ?? {})],
  );
  if (inserted[0]) return { alertId: inserted[0].id, raised: true };
  const [row] = await sql.execute<{ id: string }[]>('select id from operator_alerts where dedupe_key = ?', [a.dedupeKey.slice(0, 300)]);
  return { alertId: row!.id, raised: false };
}

interface AlertRow {
  id: string;
  kind: string;
  customer_id: string | null;
  customer_name: string | null;
  subject: string;
  text: string;
  details: Record<string, unknown>;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  emailed_at: Date | null;
}

const selectAlerts = `select a.id, a.kind, a.customer_id, c.name as customer_name, a.subject, a.text, a.details, a.created_at,
                             a.acknowledged_at, u.email as acknowledged_by, a.emailed_at
                        from operator_alerts a left join customers c on c.id = a.customer_id left join users u on u.id = a.acknowledged_by_id`;

const view = (r: AlertRow): OperatorAlertView => ({
  id: r.id,
  kind: r.kind,
  customerId: r.customer_id,
  customerName: r.customer_name,
  subject: r.subject,
  text: r.text,
  details: r.details ?? {},
  createdAt: new Date(r.created_at),
  acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at) : null,
  acknowledgedBy: r.acknowledged_by,
  emailedAt: r.emailed_at ? new Date(r.emailed_at) : null,
});

/** Newest first; `open`: not acknowledged yet. At most `limit` (the console shows a page, not the history). */
export async function listOperatorAlerts(em: EntityManager, status: 'open' | 'all', limit = 200): Promise<OperatorAlertView[]> {
  const rows = await em
    .getConnection()
    .execute<AlertRow[]>(`${selectAlerts} ${status === 'open' ? 'where a.acknowledged_at is null' : ''} order by a.created_at desc, a.id limit ?`, [limit]);
  return rows.map(view);
}

export async function operatorAlert(em: EntityManager, alertId: string): Promise<OperatorAlertView | null> {
  const [row] = await em.getConnection().execute<AlertRow[]>(`${selectAlerts} where a.id = ?`, [alertId]);
  return row ? view(row) : null;
}

/**
 * Marks the alert seen by this operator, audited under the brand it concerns. A second
 * acknowledgement keeps the first one's time and operator and writes no second audit entry.
 */
export async function acknowledgeOperatorAlert(em: EntityManager, alertId: string, by: { userId: string; requestId?: string }): Promise<OperatorAlertView> {
  const updated = await em
    .getConnection()
    .execute<{ id: string; customer_id: string | null; kind: string }[]>(
      `update operator_alerts set acknowledged_at = now(), acknowledged_by_id = ? where id = ? and acknowledged_at is null returning id, customer_id, kind`,
      [by.userId, alertId],
    );
  if (updated[0]) {
    await writeAudit(em, {
      actor: { kind: 'operator', userId: by.userId },
      customerId: updated[0].customer_id,
      action: 'operator_alert.acknowledged',
      target: { type: 'operator_alert', id: alertId },
      details: { kind: updated[0].kind },
      requestId: by.requestId,
    });
  }
  const alert = await operatorAlert(em, alertId);
  if (!alert) throw new AppError('NOT_FOUND', 'No such alert.', { field: 'params.id' });
  return alert;
}
