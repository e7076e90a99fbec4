// Rows of one query, read through a server-side cursor a page at a time, for answers too long to
// hold in memory (CSV exports). The connection is the ORM pool's own, held for the whole read
// inside a read-only transaction (a cursor lives in a transaction), and released when the
// consumer stops, whether it read everything, failed or went away (return() of the generator).
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from 'pg';

/** `?` → `$1, $2, …`; the statements are constants with no `?` inside a literal. */
const positional = (text: string) => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

export async function* cursorRows<R>(orm: MikroORM, text: string, values: readonly unknown[], pageRows = 1000): AsyncGenerator<R[]> {
  const client = orm.em.getConnection('read').getKnex().client;
  const conn = (await client.acquireConnection()) as Client;
  let healthy = false;
  try {
    await conn.query('begin transaction read only');
    await conn.query({ text: `declare export_rows no scroll cursor for ${positional(text)}`, values: values as unknown[] });
    for (;;) {
      const page = (await conn.query(`fetch forward ${Math.trunc(pageRows)} from export_rows`)).rows as R[];
      if (page.length > 0) yield page;
      if (page.length < pageRows) break;
    }
    healthy = true;
  } finally {
    // Stopped early (the client went away) or failed: roll back; a connection that cannot is closed, not reused.
    await conn.query(healthy ? 'commit' : 'rollback').catch(() => conn.end().catch(() => undefined));
    await client.releaseConnection(conn);
  }
}
