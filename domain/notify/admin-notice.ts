// A notice to a brand's admins: recorded in `notifications` (the portal reads it) and emailed.
// The row is written first under its dedupe key and marked sent after the mail went out, so a
// retried activity never records twice and mails at most once more after a crash in between.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from './mailer';

export interface AdminNotice {
  customerId: string;
  /** e.g. usage.alert, billing.payment_failed, token_pack.receipt. */
  kind: string;
  /** Once per key, ever: e.g. usage-alert:<customer>:<cycle start>:<threshold>. */
  dedupeKey: string;
  subject: string;
  text: string;
}

/** `recorded`: this call wrote the notice; `mailed`: this call sent the mail. */
export async function noticeToAdmins(orm: MikroORM, mailer: Mailer, n: AdminNotice): Promise<{ recorded: boolean; mailed: boolean }> {
  const conn = orm.em.fork().getConnection();
  const admins = await conn.execute<{ email: string }[]>(`select email from users where customer_id = ? and role = 'admin' order by created_at`, [n.customerId]);
  const to = admins.map((a) => a.email);
  const inserted = await conn.execute<{ id: string }[]>(
    `insert into notifications (customer_id, kind, channel, recipient, subject, body, dedupe_key)
     values (?, ?, ?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing returning id`,
    [n.customerId, n.kind, to.length ? 'email' : 'portal', to.join(', ').slice(0, 320) || null, n.subject.slice(0, 300), n.text, n.dedupeKey],
  );
  const [row] = await conn.execute<{ id: string; sent_at: Date | null }[]>('select id, sent_at from notifications where dedupe_key = ?', [n.dedupeKey]);
  if (row!.sent_at || to.length === 0) return { recorded: inserted.length > 0, mailed: false };
  await mailer.send({ to, subject: n.subject, text: n.text });
  await conn.execute('update notifications set sent_at = now() where id = ?', [row!.id]);
  return { recorded: inserted.length > 0, mailed: true };
}
