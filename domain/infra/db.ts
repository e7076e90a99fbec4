// One place builds the ORM, for the API, the worker and the scripts alike.
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { Pool } from 'pg';
import type { Config } from './config';
import { entities } from '../entities';
import { pgSslFromUrl } from './pg-ssl';

export function ormOptions(config: Pick<Config, 'db'>): Options {
  return {
    clientUrl: config.db.url,
    driverOptions: { connection: { ssl: pgSslFromUrl(config.db.url) } },
    // Replicas serve reads that tolerate lag; ledger and balance reads pass `connectionType: 'write'`.
    // Each replica's own sslmode applies (a replica's options are merged over the primary's).
    replicas: config.db.readUrls.map((url, i) => ({
      name: `read-${i + 1}`,
      clientUrl: url,
      driverOptions: { connection: { ssl: pgSslFromUrl(url) } },
    })),
    // MikroORM would otherwise send every read to a replica; money reads must see their own writes.
    preferReadReplicas: false,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: config.db.poolMax },
    migrations: {
      path: path.resolve(__dirname, '../../migrations'),
      pathTs: path.resolve(__dirname, '../../migrations'),
      glob: '!(*.d).{js,ts}',
      silent: true,
      transactional: true,
      allOrNothing: true,
      // No snapshot file: migrations are generated against a migrated database, and runs never write to the source tree.
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp, name) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    discovery: { warnWhenNoEntities: true },
    // Entities are plain classes; no reflection metadata is needed.
    ensureDatabase: false,
    debug: false,
  };
}

export function createOrm(config: Pick<Config, 'db'>): Promise<MikroORM> {
  return MikroORM.init(ormOptions(config));
}

/**
 * A bare node-postgres pool, for the one hot query that the ORM layer would slow down (the widget
 * path's idempotency lookup, a prepared statement). Same URL and TLS rules as the ORM.
 */
export function createPgPool(config: Pick<Config, 'db'>, max: number): Pool {
  const ssl = pgSslFromUrl(config.db.url);
  return new Pool({ connectionString: config.db.url, ssl: ssl && { ...ssl, ca: typeof ssl.ca === 'string' ? ssl.ca : [...ssl.ca] }, max });
}
