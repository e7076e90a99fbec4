// The app's database role: it reads and writes the product's tables, but may only INSERT into
// the append-only ones (the ledger, the audit log), and owns nothing, so it can neither ALTER
// them nor drop the triggers that refuse UPDATE, DELETE and TRUNCATE. Run as the owner after
// every migration, so a table a migration adds is granted too.
import { Client } from 'pg';
import { pgSslFromUrl } from '../../domain/infra/pg-ssl';

/** Facts, not state: see migrations/Migration20261125213700_append_only.ts. */
export const appendOnlyTables = ['ledger_entries', 'audit_log'] as const;

function roleOf(url: string): { user: string; password: string } {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

async function withOwner<T>(ownerUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const ssl = pgSslFromUrl(ownerUrl);
  const c = new Client({ connectionString: ownerUrl, ssl: ssl && { ...ssl, ca: typeof ssl.ca === 'string' ? ssl.ca : [...ssl.ca] } });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Creates the app's role if it is missing (the owner needs CREATEROLE for that; otherwise a DBA
 * creates it first) and sets its grants. Nothing to do when the app connects as the owner.
 * Answers the role's name, or null when there is no separate role.
 */
export async function grantAppRole(ownerUrl: string, appUrl: string): Promise<string | null> {
  const app = roleOf(appUrl);
  const owner = roleOf(ownerUrl);
  if (!app.user || app.user === owner.user) return null;
  await withOwner(ownerUrl, async (c) => {
    const exists = await c.query('select 1 from pg_roles where rolname = $1', [app.user]);
    if (exists.rowCount === 0) {
      const { rows } = await c.query<{ sql: string }>('select format($$create role %I login password %L$$, $1::text, $2::text) as sql', [app.user, app.password]);
      await c.query(rows[0]!.sql).catch((err: Error) => {
        throw new Error(`cannot create the app's database role "${app.user}" as "${owner.user}" (${err.message}): create it as a DBA (LOGIN, no other attribute) and run the migrations again`);
      });
    }
    const role = (await c.query<{ q: string }>('select quote_ident($1) as q', [app.user])).rows[0]!.q;
    const db = (await c.query<{ q: string }>('select quote_ident(current_database()) as q')).rows[0]!.q;
    // One transaction: the role never sees a moment with the append-only tables writable.
    await c.query('begin');
    await c.query(`grant connect on database ${db} to ${role}`);
    await c.query(`grant usage on schema public to ${role}`);
    await c.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await c.query(`grant usage, select on all sequences in schema public to ${role}`);
    await c.query(`revoke update, delete, truncate, references, trigger on ${appendOnlyTables.map((t) => `"${t}"`).join(', ')} from ${role}`);
    await c.query(`revoke insert, update, delete on mikro_orm_migrations from ${role}`);
    await c.query('commit');
  });
  return app.user;
}
