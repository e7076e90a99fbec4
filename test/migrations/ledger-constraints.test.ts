// The database itself guards the ledger: append-only, signed by kind, once per operation.
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../domain/infra/config';
import { createOrm } from '../../domain/infra/db';

let orm: MikroORM;
let customerId: string;
const sql = (q: string, params: unknown[] = []) => orm.em.getConnection().execute(q, params);

beforeAll(async () => {
  // As the owner: the triggers guard even the owner and a console; the app's role is refused
  // before them, by privilege (test/security/database-roles.test.ts).
  const config = loadConfig();
  orm = await createOrm({ db: { ...config.db, url: config.db.migrationUrl } });
  customerId = randomUUID();
  await sql('insert into customers (id, name) values (?, ?)', [customerId, 'Ledger Test Optics']);
});
afterAll(() => orm.close());

const entry = (kind: string, amount: number, key: string = randomUUID(), reason: string | null = null) =>
  sql('insert into ledger_entries (customer_id, kind, amount_tokens, operation_key, reason) values (?, ?, ?, ?, ?) returning id', [customerId, kind, amount, key, reason]);

describe('ledger_entries', () => {
  it('refuses UPDATE and DELETE: corrections are new entries', async () => {
    const [row] = (await entry('adjustment', 5, randomUUID(), 'goodwill')) as { id: string }[];
    await expect(sql('update ledger_entries set amount_tokens = 500 where id = ?', [row!.id])).rejects.toThrow(/append-only/);
    await expect(sql('delete from ledger_entries where id = ?', [row!.id])).rejects.toThrow(/append-only/);
  });

  it('refuses a debit kind with a positive amount', async () => {
    await expect(entry('usage', 5)).rejects.toThrow(/ledger_entries_sign_by_kind/);
  });

  it('refuses a second entry for the same operation and grant', async () => {
    const key = `usage:${randomUUID()}`;
    await entry('usage', -1, key);
    await expect(entry('usage', -1, key)).rejects.toThrow(/ledger_entries_operation_once/);
  });

  it('refuses a manual adjustment without a reason', async () => {
    await expect(entry('adjustment', 10)).rejects.toThrow(/ledger_entries_adjustment_has_reason/);
  });
});
