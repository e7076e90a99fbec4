// The debit-pipeline migration applies to a database holding uses reconciled the old way (per-use
// ledger entries, token_usage with foreign keys) and leaves them as they were, and goes back down.
import type { MikroORM } from '@mikro-orm/postgresql';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const before = 'Migration20261126022227_purchase_refunded_cents';

let db: ScratchDb;
let orm: MikroORM;
const sql = <T>(query: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(query, params);

beforeAll(async () => {
  db = await createScratchDb('varai_debit_pipeline');
  orm = db.orm;
  await orm.migrator.up({ to: before });
});
afterAll(() => db.drop());

describe('debit pipeline migration', () => {
  it('keeps uses reconciled before it, with their per-use ledger entries, and goes back down', async () => {
    const [c] = await sql<{ id: string }>(`insert into customers (name) values ('old brand') returning id`);
    const [a] = await sql<{ id: string }>(`insert into apps (slug, name, description, category, cost_tokens) values ('old-app', 'Old', 'd', 'c', 2) returning id`);
    const [g] = await sql<{ id: string }>(
      `insert into token_grants (customer_id, source, source_ref, amount_tokens, effective_at) values (?, 'token_pack', 'p', 10, now()) returning id`,
      [c!.id],
    );
    const [u] = await sql<{ id: string }>(
      `insert into token_usage (customer_id, app_id, idempotency_key, request_hash, tokens, debited_at) values (?, ?, 'k1', 'h', 2, now()) returning id`,
      [c!.id, a!.id],
    );
    await sql(`insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, app_id) values (?, ?, 'usage', -2, ?, ?)`, [c!.id, g!.id, `usage:${u!.id}`, a!.id]);

    await orm.migrator.up();
    const [usage] = await sql<{ allocation: string | null; tokens: string }>('select allocation, tokens from token_usage where id = ?', [u!.id]);
    expect(usage).toEqual({ allocation: null, tokens: '2' });
    const [entry] = await sql<{ uses: number | null; amount_tokens: string }>(`select uses, amount_tokens from ledger_entries where operation_key = ?`, [`usage:${u!.id}`]);
    expect(entry).toEqual({ uses: null, amount_tokens: '-2' });
    await expect(sql(`insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, uses) values (?, ?, 'grant', 5, 'g:uses', 3)`, [c!.id, g!.id])).rejects.toThrow(
      /ledger_entries_uses_of_usage/,
    );

    await orm.migrator.down({ to: before });
    const [{ n }] = (await sql<{ n: number }>('select count(*)::int as n from token_usage where id = ?', [u!.id])) as [{ n: number }];
    expect(n).toBe(1);
  });
});
