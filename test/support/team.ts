// Team members for tests of other features. The API has no route that sets someone else's
// password (members join through invitations, test/api/team.test.ts); these tests need a
// member of a role with known credentials, so the row is written directly, with the test
// profile's cheap hash cost, and the member then logs in through the API like anyone.
import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { hashToken } from '../../domain/auth/sessions';
import { PasswordHasher } from '../../domain/auth/password';
import { loadConfig } from '../../domain/infra/config';
import { invitationTokenIn } from '../../scripts/lib/mail-sink';
import type { Session } from './http';

export interface NewMember {
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'viewer';
  password: string;
}

/** Adds a member to the admin session's brand; returns their user id. */
export async function addMember(admin: Session, member: NewMember): Promise<string> {
  const me = await admin.get('/api/auth/me');
  const customerId = me.body?.user?.customerId as string | undefined;
  if (!customerId) throw new Error(`not a brand session: ${me.status}`);
  const config = loadConfig(process.env);
  const passwordHash = await new PasswordHasher(config.passwordHash).hash(member.password);
  const id = randomUUID();
  const db = new Client({ connectionString: config.db.url });
  await db.connect();
  try {
    await db.query('insert into users (id, email, name, password_hash, role, customer_id) values ($1, $2, $3, $4, $5, $6)', [id, member.email.toLowerCase(), member.name, passwordHash, member.role, customerId]);
  } finally {
    await db.end();
  }
  return id;
}

export { mailText } from '../../scripts/lib/mail-sink';

/** The invitation token in a caught invitation mail (the link's `token` parameter). */
export function inviteTokenFrom(raw: string): string {
  const token = invitationTokenIn(raw);
  if (!token) throw new Error('no invitation link in the mail');
  return token;
}

/**
 * A pending invitation written directly, for pages that need one without a mail catcher: the
 * token is made here and only its hash stored, as the API does. Returns the token.
 */
export async function invitationFor(orm: MikroORM, customerId: string, email: string, role: NewMember['role'] = 'viewer'): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await orm.em.getConnection().execute(`insert into team_invitations (customer_id, email, role, token_hash, expires_at) values (?, ?, ?, ?, now() + interval '72 hours')`, [customerId, email, role, hashToken(token)]);
  return token;
}
