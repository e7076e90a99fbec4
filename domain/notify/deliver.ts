// Sends one delivery (one notice, one channel, one user) and records the outcome on its row.
// Each call counts an attempt; a failure keeps the row `pending` with the error as its reason
// and throws, so the caller's retry policy decides when to try again and when to give up
// (markDeliveryFailed). A row already sent is not sent again.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from './mailer';
import { smsText } from './notice';
import type { SmsSender } from './sms';

export interface DeliveryOutcome {
  status: 'sent' | 'already-sent' | 'not-pending';
  attempts: number;
}

interface DeliveryRow {
  id: string;
  channel: 'email' | 'sms' | 'portal';
  recipient: string | null;
  status: string;
  attempts: number;
  notification_id: string;
  subject: string;
  body: string;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

export async function deliverOne(deps: { orm: MikroORM; mailer: Mailer; sms: SmsSender }, deliveryId: string): Promise<DeliveryOutcome> {
  const sql = deps.orm.em.fork().getConnection();
  const [row] = await sql.execute<DeliveryRow[]>(
    `update notification_deliveries d set attempts = d.attempts + 1, updated_at = now()
       from notifications n
      where d.id = ? and n.id = d.notification_id and d.status = 'pending'
      returning d.id, d.channel, d.recipient, d.status, d.attempts, d.notification_id, n.subject, n.body`,
    [deliveryId],
  );
  if (!row) {
    const [other] = await sql.execute<{ status: string; attempts: number }[]>('select status, attempts from notification_deliveries where id = ?', [deliveryId]);
    return { status: other?.status === 'sent' ? 'already-sent' : 'not-pending', attempts: other?.attempts ?? 0 };
  }
  try {
    if (!row.recipient) throw new Error(`no ${row.channel} address`);
    if (row.channel === 'email') await deps.mailer.send({ to: [row.recipient], subject: row.subject, text: row.body });
    else if (row.channel === 'sms') await deps.sms.send({ to: row.recipient, body: smsText(row.subject) });
  } catch (err) {
    await sql.execute(`update notification_deliveries set reason = ?, updated_at = now() where id = ?`, [reasonOf(err), deliveryId]);
    throw err;
  }
  await sql.execute(`update notification_deliveries set status = 'sent', reason = null, sent_at = now(), updated_at = now() where id = ?`, [deliveryId]);
  // The notice's own sent_at says "emailed" (the portal shows it): the first email sent sets it.
  if (row.channel === 'email') await sql.execute('update notifications set sent_at = coalesce(sent_at, now()) where id = ?', [row.notification_id]);
  return { status: 'sent', attempts: row.attempts };
}

/** Retries spent (or a refusal no retry can change): the row says so, with the last reason. */
export async function markDeliveryFailed(orm: MikroORM, deliveryId: string, reason: string): Promise<void> {
  await orm.em
    .fork()
    .getConnection()
    .execute(`update notification_deliveries set status = 'failed', reason = ?, updated_at = now() where id = ? and status = 'pending'`, [reason.slice(0, 500), deliveryId]);
}
