// A brand's own data, for its admin to take away (GET /api/account/export): the brand, its staff,
// its apps and their configurations (every version), its usage (every reconciled use) and its
// invoices and token-pack purchases. Produced as chunks of text, so the route streams it: the
// use table, the only one that grows without bound, is read through a server-side cursor a
// thousand rows at a time (domain/infra/raw-cursor.ts), so memory stays flat however long it is.
//
// Two formats. JSON: one object, `{ format, customerId, exportedAt, tables: { <table>: [rows] } }`.
// CSV: one file of four columns, `table,record,field,value`: one line per cell, `record` the
// row's 1-based number within its table, objects as JSON text, times ISO 8601, null empty. A
// spreadsheet's pivot (or any CSV reader grouping by table and record) gives the tables back.
import type { MikroORM } from '@mikro-orm/postgresql';
import { cursorRows } from '../infra/raw-cursor';
import { csvLine } from '../usage/csv';

export const exportTables = ['brand', 'staff', 'apps', 'configurations', 'usage', 'invoices', 'purchases'] as const;
export type ExportTable = (typeof exportTables)[number];
export type ExportRow = Record<string, unknown>;
export type ExportFormat = 'json' | 'csv';

/** Each table's query: the brand's rows only, in a stable order. Every statement takes the customer id as its one parameter. */
const queries: Record<Exclude<ExportTable, 'invoices'>, string> = {
  brand: 'select id, name, created_at from customers where id = ?',
  staff: 'select id, email, name, role, created_at, last_login_at, disabled_at from users where customer_id = ? order by created_at, id',
  apps: `select a.slug as app, ca.status, ca.activated_at, ca.failure_reason, ca.configuration, ca.updated_at
           from customer_apps ca join apps a on a.id = ca.app_id where ca.customer_id = ? order by a.slug`,
  configurations: `select a.slug as app, v.version, v.configuration, v.reason, v.changed_by_id, v.created_at
                     from app_configuration_versions v join apps a on a.id = v.app_id where v.customer_id = ? order by a.slug, v.version`,
  usage: `select u.id, u.debited_at, a.slug as app, u.api_key_id, u.tokens, u.idempotency_key, u.session_id, u.metadata
            from token_usage u left join apps a on a.id = u.app_id where u.customer_id = ? order by u.debited_at, u.id`,
  purchases: `select p.id, k.lookup_key as pack, p.status, p.tokens, p.amount_cents, p.currency, p.created_at, p.paid_at, p.refunded_cents, p.refunded_at
                from token_pack_purchases p join token_packs k on k.id = p.pack_id where p.customer_id = ? order by p.created_at, p.id`,
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Column names as the API spells them; times as ISO text; bigint columns as numbers. */
function shaped(row: ExportRow): ExportRow {
  const out: ExportRow = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = v instanceof Date ? v.toISOString() : /tokens|cents$/.test(k) && typeof v === 'string' ? Number(v) : v;
  return out;
}

/** Every table's rows, a page at a time; invoices come from the caller (Stripe, read before the answer starts). */
export async function* exportPages(orm: MikroORM, customerId: string, invoices: ExportRow[], pageRows = 1000): AsyncGenerator<{ table: ExportTable; rows: ExportRow[] }> {
  for (const table of exportTables) {
    if (table === 'invoices') {
      yield { table, rows: invoices };
      continue;
    }
    // An empty first page opens the table, so a table without rows is still named (as []).
    yield { table, rows: [] };
    for await (const page of cursorRows<ExportRow>(orm, queries[table], [customerId], pageRows)) yield { table, rows: page.map(shaped) };
  }
}

async function* asJson(pages: AsyncIterable<{ table: ExportTable; rows: ExportRow[] }>, head: ExportRow): AsyncGenerator<string> {
  yield `${JSON.stringify(head).slice(0, -1)},"tables":{`;
  let open: ExportTable | null = null;
  let first = true;
  for await (const { table, rows } of pages) {
    if (table !== open) {
      yield `${open === null ? '' : '],'}${JSON.stringify(table)}:[`;
      open = table;
      first = true;
    }
    if (rows.length === 0) continue;
    yield `${first ? '' : ','}${rows.map((r) => JSON.stringify(r)).join(',')}`;
    first = false;
  }
  yield `${open === null ? '' : ']'}}}`;
}

const cellText = (v: unknown): string | number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

async function* asCsv(pages: AsyncIterable<{ table: ExportTable; rows: ExportRow[] }>): AsyncGenerator<string> {
  yield csvLine(['table', 'record', 'field', 'value']);
  const counts = new Map<ExportTable, number>();
  for await (const { table, rows } of pages) {
    let n = counts.get(table) ?? 0;
    const lines: string[] = [];
    for (const row of rows) {
      n += 1;
      for (const [field, value] of Object.entries(row)) lines.push(csvLine([table, n, field, cellText(value)]));
    }
    counts.set(table, n);
    if (lines.length > 0) yield lines.join('');
  }
}

/** The export's text, chunk by chunk, in the chosen format. */
export function brandExport(orm: MikroORM, customerId: string, invoices: ExportRow[], format: ExportFormat, now = new Date()): AsyncGenerator<string> {
  const pages = exportPages(orm, customerId, invoices);
  return format === 'json' ? asJson(pages, { format: 'varai-export-v1', customerId, exportedAt: now.toISOString() }) : asCsv(pages);
}
