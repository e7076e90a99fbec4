// The API with a real streaming read replica (pg_basebackup -R of the test PostgreSQL) in
// DATABASE_READ_URLS: the catalog list reads from it, everything else, and every write, goes to
// the primary.
import fs from 'node:fs';
import { ensureInstalled } from '../../scripts/lib/install';
import { startPgReplica, type PgReplica } from '../../scripts/lib/pg-replica';
import { appDbPassword, appDbUser, dbName, loadProfile } from '../../scripts/lib/profiles';
import { startApi, type TestApi } from '../support/api-server';
import { withCatalogLock } from '../support/catalog-lock';
import { signUp } from '../support/http';

let replica: PgReplica;
let api: TestApi;

beforeAll(async () => {
  replica = await startPgReplica(loadProfile('test'), ensureInstalled().postgresBin, `pg-replica-${process.pid}`);
  api = await startApi({ DATABASE_READ_URLS: `postgresql://${appDbUser}:${appDbPassword}@127.0.0.1:${replica.port}/${dbName}` });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await replica?.stop();
}, 20_000);

const primary = <T = any>(q: string, params: unknown[] = []) => api.deps.orm.em.getConnection('write').execute<T[]>(q, params);
const onReplica = <T = any>(q: string, params: unknown[] = []) => replica.query<T>(q, params, dbName);
/** Statements the replica ran, as its log (log_statement = all) shows them. */
const replicaStatements = () => fs.readFileSync(replica.logFile, 'utf8').split('\n').filter((l) => /LOG: {2}(statement|execute)/.test(l));

/** The insert position, not the write position: the test primary commits with synchronous_commit = off, so a commit may still sit in WAL buffers. */
async function caughtUp(): Promise<void> {
  const [{ lsn }] = (await primary<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn')) as [{ lsn: string }];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const [row] = await onReplica<{ ok: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [lsn]);
    if (row?.ok) return;
  }
  throw new Error('the replica did not catch up within 20 s');
}

describe('PostgreSQL read replica', () => {
  it('answers the app catalog list from the replica, stale while replay is paused, and the app page from the primary', async () => {
    const { session } = await signUp(api.url);
    await withCatalogLock('exclusive', async () => {
      const [{ description }] = (await primary<{ description: string }>("select description from apps where slug = 'pd-calculator'")) as [{ description: string }];
      await caughtUp();
      await onReplica('select pg_wal_replay_pause()');
      try {
        const before = replicaStatements().length;
        await primary("update apps set description = 'Replica lag probe' where slug = 'pd-calculator'");
        const list = await session.get('/api/apps');
        const page = await session.get('/api/apps/pd-calculator');
        expect(list.status).toBe(200);
        // The list is the replica's view (the edit has not been replayed); the page is the primary's.
        expect(list.body.apps.find((a: { slug: string }) => a.slug === 'pd-calculator').description).toBe(description);
        expect(page.body.app.description).toBe('Replica lag probe');
        expect(replicaStatements().slice(before).some((l) => /from "apps"/.test(l))).toBe(true);
        await onReplica('select pg_wal_replay_resume()');
        await caughtUp();
        const fresh = await session.get('/api/apps');
        expect(fresh.body.apps.find((a: { slug: string }) => a.slug === 'pd-calculator').description).toBe('Replica lag probe');
      } finally {
        await onReplica('select pg_wal_replay_resume()').catch(() => undefined);
        await primary("update apps set description = ? where slug = 'pd-calculator'", [description]);
      }
    });
  }, 60_000);

  it('writes through the app land on the primary while the replica stays in recovery and receives them only by replay', async () => {
    const { session } = await signUp(api.url);
    await caughtUp();
    await onReplica('select pg_wal_replay_pause()');
    try {
      const created = await session.post('/api/api-keys', { name: 'replica probe', appScopes: null });
      expect(created.status).toBe(201);
      const id = created.body.apiKey.id;
      expect(await primary('select 1 from api_keys where id = ?', [id])).toHaveLength(1);
      expect(await onReplica('select 1 from api_keys where id = $1', [id])).toHaveLength(0);
      expect(await onReplica('select pg_is_in_recovery() as r')).toEqual([{ r: true }]);
      // Nothing ever tried to write on the replica (a hot standby would refuse it, and log it first).
      expect(replicaStatements().filter((l) => /\b(insert|update|delete)\b/i.test(l))).toEqual([]);
      await onReplica('select pg_wal_replay_resume()');
      const resumedAt = Date.now();
      await caughtUp();
      expect(await onReplica('select 1 from api_keys where id = $1', [id])).toHaveLength(1);
      console.log(`PostgreSQL replica: caught up ${Date.now() - resumedAt} ms after replay resumed`);
    } finally {
      await onReplica('select pg_wal_replay_resume()').catch(() => undefined);
    }
  }, 60_000);
});
