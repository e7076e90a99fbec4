// A streaming read replica of the profile's PostgreSQL, for the tests that need one: a
// `pg_basebackup -R` copy started on its own port, logging every statement it runs so a test can
// see which queries reached it. Started and stopped by the test file itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { exitedWithin, freePort, waitFor } from './process';
import type { Profile } from './profiles';
import { asPostgresUser, ensurePostgresUser, postgresDataDir } from './services';

export interface PgReplica {
  port: number;
  /** Where the replica's server log goes (log_statement = all). */
  logFile: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startPgReplica(p: Profile, postgresBin: string, name: string): Promise<PgReplica> {
  ensurePostgresUser();
  const port = await freePort();
  const dataDir = postgresDataDir(p, name);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) spawnSync('chown', ['postgres:postgres', dataDir]);
  const logFile = path.join(path.dirname(dataDir), `${name}.log`);
  fs.rmSync(logFile, { force: true });
  // The initdb of services.ts trusts loopback replication connections, so no password is needed.
  const [bCmd, bArgs] = asPostgresUser(path.join(postgresBin, 'pg_basebackup'), [
    '-h', '127.0.0.1', '-p', String(p.ports.postgres), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync',
  ]);
  const made = spawnSync(bCmd, bArgs, { encoding: 'utf8', timeout: 120_000 });
  if (made.status !== 0) throw new Error(`pg_basebackup failed: ${made.stderr}`);
  const [cmd, args] = asPostgresUser(path.join(postgresBin, 'postgres'), [
    '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'hot_standby=on',
    // A standby refuses to start with fewer connections than its primary allows (services.ts: 200).
    '-c', 'max_connections=200',
    '-c', 'fsync=off', '-c', 'log_statement=all', '-c', 'logging_collector=off',
  ]);
  const out = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.on('error', () => undefined);

  const query = async <T>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> => {
    const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown
      if (!(await exitedWithin(child, 10_000))) {
        child.kill('SIGKILL');
        await exitedWithin(child, 5_000);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(logFile, { force: true });
  };
  try {
    const died = new Promise<never>((_, reject) => child.once('exit', () => reject(new Error(`the PostgreSQL replica exited; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2_000)}`))));
    await Promise.race([waitFor('the PostgreSQL replica', async () => (await query<{ r: boolean }>('select pg_is_in_recovery() as r'))[0]?.r === true, 60_000, logFile), died]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, logFile, query, stop };
}
