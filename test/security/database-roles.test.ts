// The app connects as a role that owns nothing: on the ledger and the audit log it may only
// INSERT (and read), so a bug or an injection in the app cannot rewrite the books, even by
// dropping the append-only triggers. Every refused statement runs in a transaction that is
// rolled back, so a role that could do it (the owner) leaves the database as it was.
import { Client } from 'pg';
import { loadConfig } from '../../domain/infra/config';
import { appendOnlyTables } from '../../scripts/lib/app-role';

const config = loadConfig();
let app: Client;

beforeAll(async () => {
  app = new Client({ connectionString: config.db.url });
  await app.connect();
});
afterAll(() => app.end());

/** The statement's SQLSTATE, or 'ok'; always rolled back. */
async function attempt(sql: string, params: unknown[] = []): Promise<string> {
  await app.query('begin');
  try {
    await app.query(sql, params);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? 'error';
  } finally {
    await app.query('rollback');
  }
}

const insufficientPrivilege = '42501';

describe('the app’s database role', () => {
  it('is not the owner the migrations run as', async () => {
    const owner = new URL(config.db.migrationUrl).username;
    const { rows } = await app.query<{ me: string; owners: string[] }>(
      "select current_user as me, array_agg(distinct tableowner::text) as owners from pg_tables where schemaname = 'public'",
    );
    expect(rows[0]!.me).not.toBe(owner);
    expect(rows[0]!.owners).toEqual([owner]);
  });

  it.each(appendOnlyTables)('cannot drop the append-only triggers of %s', async (table) => {
    expect(await attempt(`drop trigger ${table}_append_only on "${table}"`)).toBe(insufficientPrivilege);
    expect(await attempt(`drop trigger ${table}_no_truncate on "${table}"`)).toBe(insufficientPrivilege);
    expect(await attempt(`alter table "${table}" disable trigger all`)).toBe(insufficientPrivilege);
  });

  it.each(appendOnlyTables)('cannot alter or drop %s', async (table) => {
    expect(await attempt(`alter table "${table}" add column sneaky int`)).toBe(insufficientPrivilege);
    expect(await attempt(`drop table "${table}"`)).toBe(insufficientPrivilege);
  });

  it.each(appendOnlyTables)('is refused UPDATE, DELETE and TRUNCATE on %s by privilege, before any trigger', async (table) => {
    expect(await attempt(`update "${table}" set created_at = created_at`)).toBe(insufficientPrivilege);
    expect(await attempt(`delete from "${table}"`)).toBe(insufficientPrivilege);
    expect(await attempt(`truncate "${table}"`)).toBe(insufficientPrivilege);
  });

  it('inserts into the audit log and the ledger', async () => {
    expect(await attempt("insert into audit_log (action, actor_kind) values ('test.role_check', 'system')")).toBe('ok');
    const inserted = await attempt(
      `with c as (insert into customers (name) values ('Role check') returning id),
            g as (insert into token_grants (customer_id, source, source_ref, amount_tokens, effective_at)
                  select id, 'adjustment', 'role-check', 10, now() from c returning id, customer_id)
       insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, reason)
       select customer_id, id, 'adjustment', 10, 'role-check', 'a role check' from g`,
    );
    expect(inserted).toBe('ok');
  });

  it('cannot rewrite the migrations history', async () => {
    expect(await attempt('delete from mikro_orm_migrations')).toBe(insufficientPrivilege);
  });
});
