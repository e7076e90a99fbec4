// A notice to a brand's staff: recorded in `notifications` (the portal's list, always) with one
// `notification_deliveries` row per user and channel, decided by each user's preferences. The
// rows are written in one transaction under the notice's dedupe key, so a retried caller never
// records twice; sending is someone else's job (the deliverNotice workflow), so a slow or broken
// mail or SMS provider never holds up the caller.
import type { MikroORM } from '@mikro-orm/postgresql';
import { recipientsOf } from './preferences';
import { categoryOf } from './vocabulary';

export interface Notice {
  customerId: string;
  /** e.g. usage.alert, billing.payment-failed, token_pack.receipt, app.activated. */
  kind: string;
  /** Once per key, ever: e.g. usage-alert:<customer>:<cycle start>:<threshold>. */
  dedupeKey: string;
  subject: string;
  /** The email's text and the portal's body; an SMS carries the subject only. */
  text: string;
}

export interface RecordedNotice {
  notificationId: string;
  /** This call wrote the notice (false: a retry found it). */
  recorded: boolean;
  /** Deliveries still to send, whoever recorded them. */
  pending: string[];
}

const smsLimit = 320;

export async function recordNotice(orm: MikroORM, n: Notice): Promise<RecordedNotice> {
  return orm.em.fork().transactional(async (em) => {
    const sql = em.getConnection();
    const recipients = await recipientsOf(sql, n.customerId, categoryOf(n.kind));
    const emailTo = recipients.filter((r) => r.choices.email).map((r) => r.email);
    const inserted = await sql.execute<{ id: string }[]>(
      `insert into notifications (customer_id, kind, channel, recipient, subject, body, dedupe_key)
       values (?, ?, ?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing returning id`,
      [n.customerId, n.kind, emailTo.length ? 'email' : 'portal', emailTo.join(', ').slice(0, 320) || null, n.subject.slice(0, 300), n.text, n.dedupeKey],
    );
    const [row] = await sql.execute<{ id: string }[]>('select id from notifications where dedupe_key = ?', [n.dedupeKey]);
    const notificationId = row!.id;
    if (inserted.length) {
      const tuples: string[] = [`(?, null, 'portal', null, 'sent', null, now())`];
      const values: unknown[] = [notificationId];
      for (const r of recipients) {
        tuples.push('(?, ?, ?, ?, ?, ?, null)', '(?, ?, ?, ?, ?, ?, null)');
        values.push(notificationId, r.userId, 'email', r.email, r.choices.email ? 'pending' : 'skipped', r.choices.email ? null : 'turned off in preferences');
        const smsStatus = !r.choices.sms ? 'skipped' : r.phone ? 'pending' : 'skipped';
        const smsReason = !r.choices.sms ? 'turned off in preferences' : r.phone ? null : 'no verified phone number';
        values.push(notificationId, r.userId, 'sms', r.phone, smsStatus, smsReason);
      }
      await sql.execute(
        `insert into notification_deliveries (notification_id, user_id, channel, recipient, status, reason, sent_at) values ${tuples.join(', ')}
         on conflict do nothing`,
        values,
      );
    }
    const pending = await sql.execute<{ id: string }[]>(`select id from notification_deliveries where notification_id = ? and status = 'pending' order by channel, id`, [notificationId]);
    return { notificationId, recorded: inserted.length > 0, pending: pending.map((p) => p.id) };
  });
}

/** The SMS of a notice: its subject, on one line, within two segments. */
export function smsText(subject: string): string {
  const text = `VARAi: ${subject}`.replace(/\s+/g, ' ').trim();
  return text.length > smsLimit ? `${text.slice(0, smsLimit - 1)}…` : text;
}
