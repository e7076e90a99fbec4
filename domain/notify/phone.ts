// Phone numbers for SMS notices, verified by a code before any notice goes to them: the code is
// six digits, sent by SMS, kept only as a hash, valid for 10 minutes and for 5 wrong tries. A
// user may ask for at most one code per 30 s and 5 per hour, so the endpoint cannot be used to
// send SMS to strangers in bulk.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { redisKeys, type RedisClient } from '../infra/redis';
import type { SmsSender } from './sms';

/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const e164 = /^\+[1-9]\d{7,14}$/;

export const phoneCodeRules = { ttlMs: 10 * 60_000, maxWrongTries: 5, minGapSeconds: 30, perHour: 5 } as const;

const hashCode = (userId: string, code: string) => createHash('sha256').update(`${userId}:${code}`).digest('hex');

export interface PhoneState {
  number: string | null;
  verifiedAt: string | null;
  pendingNumber: string | null;
  codeExpiresAt: string | null;
}

interface PhoneRow {
  phone: string | null;
  verified_at: Date | null;
  pending_phone: string | null;
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: number;
}

type Deps = { orm: MikroORM; redis: RedisClient; sms: SmsSender };
type Who = { id: string; customerId: string };

async function rowOf(orm: MikroORM, userId: string): Promise<PhoneRow | undefined> {
  const [row] = await orm.em.fork().getConnection().execute<PhoneRow[]>('select * from user_phones where user_id = ?', [userId]);
  return row;
}

const view = (row: PhoneRow | undefined): PhoneState => ({
  number: row?.phone ?? null,
  verifiedAt: row?.verified_at ? new Date(row.verified_at).toISOString() : null,
  pendingNumber: row?.code_hash ? row.pending_phone : null,
  codeExpiresAt: row?.code_hash && row.code_expires_at ? new Date(row.code_expires_at).toISOString() : null,
});

export const phoneOf = async (orm: MikroORM, userId: string) => view(await rowOf(orm, userId));

/** Throttle first (counted per user, under the brand's hash tag), then store the hash, then send. */
export async function sendPhoneCode(deps: Deps, who: Who, phone: string): Promise<PhoneState> {
  const gapKey = redisKeys.customer(who.customerId, `phone-code-gap:${who.id}`);
  const hourKey = redisKeys.customer(who.customerId, `phone-codes:${who.id}`);
  if ((await deps.redis.set(gapKey, '1', 'EX', phoneCodeRules.minGapSeconds, 'NX')) !== 'OK') {
    const wait = Math.max(1, await deps.redis.ttl(gapKey));
    throw new AppError('RATE_LIMITED', `A code was sent moments ago. Ask for another in ${wait} s.`, { retryAfterSeconds: wait });
  }
  const sent = await deps.redis.incr(hourKey);
  if (sent === 1) await deps.redis.expire(hourKey, 3600);
  if (sent > phoneCodeRules.perHour) {
    const wait = Math.max(1, await deps.redis.ttl(hourKey));
    throw new AppError('RATE_LIMITED', `At most ${phoneCodeRules.perHour} codes an hour. Try again later.`, { retryAfterSeconds: wait });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into user_phones (user_id, pending_phone, code_hash, code_expires_at, code_attempts, updated_at) values (?, ?, ?, ?, 0, now())
       on conflict (user_id) do update set pending_phone = excluded.pending_phone, code_hash = excluded.code_hash,
         code_expires_at = excluded.code_expires_at, code_attempts = 0, updated_at = now()`,
      [who.id, phone, hashCode(who.id, code), new Date(Date.now() + phoneCodeRules.ttlMs)],
    );
  try {
    await deps.sms.send({ to: phone, body: `Your VARAi verification code is ${code}. It expires in 10 minutes.` });
  } catch (err) {
    await clearCode(deps.orm, who.id);
    throw new AppError('SMS_UNAVAILABLE', `The code could not be sent by SMS: ${err instanceof Error ? err.message : String(err)}`, { retryAfterSeconds: 30 });
  }
  return phoneOf(deps.orm, who.id);
}

async function clearCode(orm: MikroORM, userId: string): Promise<void> {
  await orm.em.fork().getConnection().execute('update user_phones set pending_phone = null, code_hash = null, code_expires_at = null, code_attempts = 0, updated_at = now() where user_id = ?', [userId]);
}

const codeField = (message: string) => ({ fields: [{ path: 'body.code', message }] });

export async function verifyPhoneCode(orm: MikroORM, userId: string, code: string): Promise<PhoneState> {
  const row = await rowOf(orm, userId);
  if (!row?.code_hash || !row.pending_phone) throw new AppError('NO_VERIFICATION_PENDING', 'No code is waiting: ask for one with POST /api/account/phone first.', codeField('no code is waiting'));
  if (!row.code_expires_at || new Date(row.code_expires_at).getTime() <= Date.now()) {
    await clearCode(orm, userId);
    throw new AppError('VERIFICATION_CODE_EXPIRED', 'This code has expired. Ask for a new one.', codeField('expired'));
  }
  const given = Buffer.from(hashCode(userId, code), 'hex');
  if (!timingSafeEqual(given, Buffer.from(row.code_hash, 'hex'))) {
    const sql = orm.em.fork().getConnection();
    const [after] = await sql.execute<{ code_attempts: number }[]>('update user_phones set code_attempts = code_attempts + 1, updated_at = now() where user_id = ? returning code_attempts', [userId]);
    const left = phoneCodeRules.maxWrongTries - (after?.code_attempts ?? phoneCodeRules.maxWrongTries);
    if (left <= 0) {
      await clearCode(orm, userId);
      throw new AppError('TOO_MANY_ATTEMPTS', 'Too many wrong codes: this code no longer works. Ask for a new one.', codeField('too many wrong codes'));
    }
    throw new AppError('VERIFICATION_CODE_INVALID', `That code is not the one we sent. ${left} ${left === 1 ? 'try' : 'tries'} left.`, { ...codeField('wrong code'), triesLeft: left });
  }
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `update user_phones set phone = pending_phone, verified_at = now(), pending_phone = null, code_hash = null, code_expires_at = null, code_attempts = 0, updated_at = now() where user_id = ?`,
      [userId],
    );
  return phoneOf(orm, userId);
}

/** Forgets the number: SMS deliveries are skipped from then on. */
export async function removePhone(orm: MikroORM, userId: string): Promise<void> {
  await orm.em.fork().getConnection().execute('delete from user_phones where user_id = ?', [userId]);
}
