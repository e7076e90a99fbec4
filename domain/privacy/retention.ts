// The retention policy (docs/SECURITY.md, "Retention"): what personal data is kept how long,
// and the purge that enforces it, run daily by the `data-retention` Temporal Schedule
// (clients/retention-schedule.ts → workflows/enforce-retention.ts → activities/retention.ts).
// Sessions need no job: Redis expires each one after the idle timeout, and 12 hours after login
// at the latest (domain/auth/sessions.ts). The ledger, token usage and the audit log are records
// the business must keep; erasure (./erasure.ts) pseudonymises the people in them instead.
//
// Each purge deletes in batches of `batchRows`, each its own short statement, so a first run over
// years of rows never holds a long lock on a table the product writes.
import type { MikroORM } from '@mikro-orm/postgresql';

const dayMs = 86_400_000;

/** Days each kind of row is kept past its end (invitations: their expiry or acceptance). */
export const retentionDays = {
  invitations: 30,
  deliveries: 90,
  signIns: 180,
} as const;

export interface RetentionResult {
  invitations: number;
  deliveries: number;
  noticeRecipients: number;
  signIns: number;
}

const batchRows = 5_000;

/** Runs one batched statement (it must hold `limit ?` after the cutoff) until a batch comes back short. */
async function inBatches(orm: MikroORM, text: string, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await orm.em.fork().getConnection().execute<{ id: string }[]>(text, [cutoff, batchRows]);
    total += done.length;
    if (done.length < batchRows) return total;
  }
}

const before = (now: Date, days: number) => new Date(now.getTime() - days * dayMs);

/** Deletes (or, for a notice's address list, blanks) every row past its period; answers how many of each. */
export async function enforceRetentionPolicy(orm: MikroORM, now = new Date()): Promise<RetentionResult> {
  const invitations = await inBatches(
    orm,
    `delete from team_invitations where id in (
       select id from team_invitations where coalesce(accepted_at, expires_at) < ? limit ?) returning id`,
    before(now, retentionDays.invitations),
  );
  // A delivery still pending is work in flight, whatever its age; the portal's own rows carry no address but go too.
  const deliveries = await inBatches(
    orm,
    `delete from notification_deliveries where id in (
       select id from notification_deliveries where created_at < ? and status <> 'pending' limit ?) returning id`,
    before(now, retentionDays.deliveries),
  );
  const noticeRecipients = await inBatches(
    orm,
    `update notifications set recipient = null where id in (
       select id from notifications where created_at < ? and recipient is not null limit ?) returning id`,
    before(now, retentionDays.deliveries),
  );
  const signIns = await inBatches(
    orm,
    `delete from sign_ins where id in (select id from sign_ins where at < ? limit ?) returning id`,
    before(now, retentionDays.signIns),
  );
  return { invitations, deliveries, noticeRecipients, signIns };
}
