// The sslmode in a database URL reaches the driver, for the primary and each replica apart.
// The test PostgreSQL has no TLS, so a connection that asks for it is refused by the server.
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../domain/infra/config';
import { createOrm } from '../../domain/infra/db';

const url = loadConfig().db.url;
const withMode = (mode: string) => `${url}${url.includes('?') ? '&' : '?'}sslmode=${mode}`;

let orm: MikroORM;
beforeAll(async () => {
  orm = await createOrm({ db: { url: withMode('disable'), migrationUrl: url, readUrls: [withMode('require')], poolMax: 2 } });
});
afterAll(() => orm.close());

describe('database TLS from the URL', () => {
  it('connects in plaintext when the URL says sslmode=disable', async () => {
    const rows = await orm.em.getConnection('write').execute<{ one: number }[]>('select 1 as one');
    expect(rows[0]?.one).toBe(1);
  });

  it('asks the server for TLS when a replica URL says sslmode=require', async () => {
    await expect(orm.em.getConnection('read').execute('select 1')).rejects.toThrow(/does not support SSL/);
  });
});
