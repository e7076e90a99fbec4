// The email of an operator alert: one message to every enabled operator, then `emailed_at` on
// the alert. Sending before marking makes it at-least-once: a crash between the two sends it
// again on the retry, which beats an alert nobody heard of.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../notify/mailer';

export type AlertEmailOutcome = 'sent' | 'already-sent' | 'no-operators' | 'no-such-alert';

export async function emailOperatorAlert(deps: { orm: MikroORM; mailer: Mailer }, alertId: string, portalUrl: string): Promise<AlertEmailOutcome> {
  const sql = deps.orm.em.fork().getConnection();
  const [alert] = await sql.execute<{ subject: string; text: string; emailed_at: Date | null }[]>('select subject, text, emailed_at from operator_alerts where id = ?', [alertId]);
  if (!alert) return 'no-such-alert';
  if (alert.emailed_at) return 'already-sent';
  const operators = await sql.execute<{ email: string }[]>(`select email from users where role = 'operator' and disabled_at is null order by email`);
  if (operators.length) {
    const link = `${portalUrl.replace(/\/$/, '')}/#/operator-alerts`;
    await deps.mailer.send({ to: operators.map((o) => o.email), subject: `[VARAi operator alert] ${alert.subject}`, text: `${alert.text}\n\nAcknowledge it in the console: ${link}\n` });
  }
  await sql.execute('update operator_alerts set emailed_at = now() where id = ? and emailed_at is null', [alertId]);
  return operators.length ? 'sent' : 'no-operators';
}

/** Alerts not emailed yet, oldest first, raised at least `graceMs` ago (their own delivery had its chance first). */
export async function alertsAwaitingEmail(orm: MikroORM, graceMs: number, limit = 100): Promise<string[]> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(`select id from operator_alerts where emailed_at is null and created_at < now() - ? * interval '1 millisecond' order by created_at limit ?`, [graceMs, limit]);
  return rows.map((r) => r.id);
}
