// A database of its own for a migration test, made fresh and dropped after, so a migration can
// run up and down without touching the shared test database.
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { loadConfig } from '../../domain/infra/config';
import { ormOptions } from '../../domain/infra/db';

export interface ScratchDb {
  orm: MikroORM;
  /** The owner's URL of the scratch database, for processes (an API, a worker) pointed at it. */
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDb(name: string): Promise<ScratchDb> {
  const base = loadConfig();
  const scratch = `${name}_${process.pid}`;
  // Migrations run as the owner, so the scratch database is reached as the owner too.
  const ownerUrl = base.db.migrationUrl;
  const adminUrl = ownerUrl.replace(/\/[^/]+$/, '/postgres').replace(/\/\/[^@]+@/, '//postgres@');
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${scratch}`);
  await admin(`create database ${scratch} owner varai`);
  const url = ownerUrl.replace(/\/[^/]+$/, `/${scratch}`);
  const orm = await MikroORM.init(ormOptions({ db: { ...base.db, url, readUrls: [] } }));
  return {
    orm,
    url,
    async drop() {
      await orm.close();
      await admin(`drop database if exists ${scratch}`);
    },
  };
}
