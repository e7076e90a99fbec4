// SQL without the ORM's query formatting, for the reconciler's bulk writes. MikroORM's
// `execute(sql, params)` inlines every parameter into the statement text, escaping it one
// character at a time (node-postgres' escapeLiteral): for a batch's array parameters that was
// most of the reconciler's garbage and a copy of every byte. Here the parameters travel as bind
// values, untouched. The connection comes from the ORM's own pool, so no second pool is sized.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Client } from 'pg';

/** A statement runner; placeholders are `?`, in order, as with MikroORM's `execute`. */
export interface Sql {
  query<R>(text: string, values: readonly unknown[]): Promise<R[]>;
}

/** The same statements inside an ORM transaction (rebuilds, billing closes): formatted by the ORM, as before. */
export function ormSql(em: EntityManager): Sql {
  return { query: <R>(text: string, values: readonly unknown[]) => em.execute<R[]>(text, [...values]) };
}

/** An ORM transaction's statements, or a raw transaction's, as one runner. */
export const asSql = (tx: EntityManager | Sql): Sql => ('execute' in tx ? ormSql(tx) : tx);

const numbered = new Map<string, string>();

/** `?` → `$1, $2, …`. The statements this runs are constants with no `?` inside a literal. */
function positional(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, out);
  }
  return out;
}

/**
 * Runs `fn` in a transaction on one raw connection of the ORM's write pool: COMMIT when it
 * returns, ROLLBACK when it throws. A connection whose ROLLBACK failed is closed, not reused.
 */
export async function inRawTransaction<T>(orm: MikroORM, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = orm.em.getConnection('write').getKnex().client;
  const conn = (await client.acquireConnection()) as Client;
  const sql: Sql = {
    query: async <R>(text: string, values: readonly unknown[]) => (await conn.query({ text: positional(text), values: values as unknown[] })).rows as R[],
  };
  try {
    await conn.query('begin');
    const result = await fn(sql);
    await conn.query('commit');
    return result;
  } catch (err) {
    await conn.query('rollback').catch(() => conn.end().catch(() => undefined));
    throw err;
  } finally {
    await client.releaseConnection(conn);
  }
}
