// Starts the project-local PostgreSQL, Redis, Temporal dev server and stripe-mock of a
// profile, on loopback, with data under .data/<profile>. Reuses ones already running.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { searchAttributes } from '../../temporal.config';
import type { Binaries } from './install';
import { log, step } from './log';
import { type Managed, portOpen, readPid, startDetached, stopManaged, waitFor } from './process';
import { appDbPassword, appDbUser, dbName, dbPassword, dbUser, profileEnvPrefix, type Profile } from './profiles';

export interface Stack {
  profile: Profile;
  services: Managed[];
  stop(): Promise<void>;
}

const dirs = (p: Profile) => ({ run: path.join(p.dataDir, 'run'), logs: path.join(p.dataDir, 'logs') });

export type ServiceName = 'postgres' | 'redis' | 'temporal' | 'stripe-mock';

/** SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave. */
const stopSignals: Record<ServiceName, NodeJS.Signals> = { 'stripe-mock': 'SIGTERM', temporal: 'SIGTERM', redis: 'SIGTERM', postgres: 'SIGINT' };

/**
 * The service an earlier run left running, or null when the caller must start one. A port held
 * by a process that is not ours is an error that names the variable to move it.
 */
async function reuseOrClaim(p: Profile, name: ServiceName, port: number, portVar: string, ready?: () => Promise<boolean>): Promise<Managed | null> {
  const pid = readPid(path.join(dirs(p).run, `${name}.pid`));
  if (pid && (await portOpen(port))) {
    if (ready) await waitFor(name, ready, 30_000);
    return { name, pid, owned: false, stopSignal: stopSignals[name] };
  }
  if (await portOpen(port)) throw new Error(`port ${port} is taken by another process; set ${profileEnvPrefix[p.name]}${portVar}`);
  return null;
}

/** PostgreSQL refuses to run as root, so as root we drop to the `postgres` system user. */
const isRoot = process.getuid?.() === 0;

export function ensurePostgresUser(): void {
  if (!isRoot || spawnSync('id', ['-u', 'postgres']).status === 0) return;
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not create the postgres system user');
}

export function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  if (!isRoot) return [cmd, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', cmd, ...args]];
}

/**
 * The postgres user must reach its data folder. A clone under a private folder (say /root)
 * is not reachable, so the cluster then lives under /var/tmp, named after the clone's path.
 */
export function postgresDataDir(p: Profile, name = 'postgres'): string {
  const preferred = path.join(p.dataDir, name);
  if (!isRoot) return preferred;
  fs.mkdirSync(p.dataDir, { recursive: true });
  const reachable = spawnSync('setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', 'test', '-x', p.dataDir]).status === 0;
  if (reachable) return preferred;
  const tag = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
  return path.join('/var/tmp', `varai-postgres-${tag}`);
}

async function pgQuery(port: number, sql: string, params: unknown[] = [], database = 'postgres') {
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

async function startPostgres(p: Profile, bin: Binaries): Promise<Managed> {
  const { run, logs } = dirs(p);
  const ready = () => pgQuery(p.ports.postgres, 'select 1').then(() => true);
  const reused = await reuseOrClaim(p, 'postgres', p.ports.postgres, 'PG_PORT', ready);
  if (reused) return reused;
  ensurePostgresUser();
  const dataDir = postgresDataDir(p);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    step(`initialising PostgreSQL in ${dataDir} (first run only)`);
    fs.mkdirSync(dataDir, { recursive: true });
    if (isRoot) spawnSync('chown', ['-R', 'postgres:postgres', dataDir]);
    fs.chmodSync(dataDir, 0o700);
    // Trust on loopback only: this instance listens on 127.0.0.1 and has no unix socket.
    const [cmd, args] = asPostgresUser(path.join(bin.postgresBin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    const r = spawnSync(cmd, args, { stdio: 'pipe', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  }
  const settings = [
    '-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", '-c', 'max_connections=200',
    // Test data is disposable; skipping fsync makes the suite several times faster.
    ...(p.name === 'test' ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  // setpriv execs in place, so the pid we record is the postmaster's and SIGINT reaches it.
  const [cmd, args] = asPostgresUser(path.join(bin.postgresBin, 'postgres'), ['-D', dataDir, '-p', String(p.ports.postgres), ...settings]);
  const m = startDetached('postgres', cmd, args, { runDir: run, logDir: logs, stopSignal: stopSignals.postgres });
  await waitFor('PostgreSQL', ready, 60_000, path.join(logs, 'postgres.log'));
  return m;
}

/**
 * Creates the owner and app roles and the database once; safe to run on every start. The app
 * role's grants follow each migration (scripts/lib/app-role.ts), once there are tables.
 */
async function ensureDatabase(p: Profile): Promise<void> {
  for (const [user, password] of [[dbUser, dbPassword], [appDbUser, appDbPassword]]) {
    const role = await pgQuery(p.ports.postgres, 'select 1 from pg_roles where rolname = $1', [user]);
    if (role.rowCount === 0) await pgQuery(p.ports.postgres, `create role ${user} login password '${password}'`);
  }
  const db = await pgQuery(p.ports.postgres, 'select 1 from pg_database where datname = $1', [dbName]);
  if (db.rowCount === 0) await pgQuery(p.ports.postgres, `create database ${dbName} owner ${dbUser}`);
}

async function startRedis(p: Profile, bin: Binaries): Promise<Managed> {
  const { run, logs } = dirs(p);
  const reused = await reuseOrClaim(p, 'redis', p.ports.redis, 'REDIS_PORT');
  if (reused) return reused;
  const dataDir = path.join(p.dataDir, 'redis');
  fs.mkdirSync(dataDir, { recursive: true });
  const m = startDetached('redis', bin.redisServer, [
    '--port', String(p.ports.redis), '--bind', '127.0.0.1', '--dir', dataDir,
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no',
  ], { runDir: run, logDir: logs });
  await waitFor('Redis', () => portOpen(p.ports.redis), 20_000, path.join(logs, 'redis.log'));
  return m;
}

async function startTemporal(p: Profile, bin: Binaries): Promise<Managed> {
  const { run, logs } = dirs(p);
  const ready = async () => (await portOpen(p.ports.temporal)) && (await portOpen(p.ports.temporalUi));
  const reused = await reuseOrClaim(p, 'temporal', p.ports.temporal, 'TEMPORAL_PORT', ready);
  if (reused) return reused;
  const dataDir = path.join(p.dataDir, 'temporal');
  fs.mkdirSync(dataDir, { recursive: true });
  const attrs = Object.values(searchAttributes).flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
  const m = startDetached('temporal', bin.temporal, [
    'server', 'start-dev', '--db-filename', path.join(dataDir, 'temporal.db'), '--ip', '127.0.0.1',
    '--port', String(p.ports.temporal), '--ui-port', String(p.ports.temporalUi), '--log-level', 'warn', ...attrs,
  ], { runDir: run, logDir: logs });
  await waitFor('Temporal dev server', ready, 90_000, path.join(logs, 'temporal.log'));
  return m;
}

async function startStripeMock(p: Profile, bin: Binaries): Promise<Managed> {
  const { run, logs } = dirs(p);
  const reused = await reuseOrClaim(p, 'stripe-mock', p.ports.stripeMock, 'STRIPE_MOCK_PORT');
  if (reused) return reused;
  const m = startDetached('stripe-mock', bin.stripeMock, ['-http-addr', `127.0.0.1:${p.ports.stripeMock}`, '-https-addr', `127.0.0.1:${p.ports.stripeMock + 1}`], { runDir: run, logDir: logs });
  await waitFor('stripe-mock', () => portOpen(p.ports.stripeMock), 20_000, path.join(logs, 'stripe-mock.log'));
  return m;
}

const starters: Record<ServiceName, (p: Profile, bin: Binaries) => Promise<Managed>> = {
  postgres: startPostgres,
  redis: startRedis,
  temporal: startTemporal,
  'stripe-mock': startStripeMock,
};

/** Starts one service of a profile (or reuses it), ready to serve: the second half of a restart. */
export function startService(p: Profile, bin: Binaries, name: ServiceName): Promise<Managed> {
  return starters[name](p, bin);
}

/** Stops one service of a profile, whoever started it, the way `stopStack` would; false if it was not running. */
export async function stopService(p: Profile, name: ServiceName): Promise<boolean> {
  const { run } = dirs(p);
  const pid = readPid(path.join(run, `${name}.pid`));
  if (!pid) return false;
  await stopManaged({ name, pid, owned: true, stopSignal: stopSignals[name] }, run);
  return true;
}

/** Stops whatever services of a profile are running, whoever started them. */
export async function stopStack(p: Profile): Promise<string[]> {
  const { run } = dirs(p);
  const stopped: string[] = [];
  for (const [name, stopSignal] of Object.entries(stopSignals)) {
    const pid = readPid(path.join(run, `${name}.pid`));
    if (!pid) continue;
    await stopManaged({ name, pid, owned: true, stopSignal }, run);
    stopped.push(name);
  }
  return stopped;
}

const serviceLabels: Record<ServiceName, string> = { postgres: 'PostgreSQL', redis: 'Redis', temporal: 'Temporal', 'stripe-mock': 'stripe-mock' };

/** `only`: a part of the stack, for a caller that needs less (the short chaos run has no Temporal). */
export async function startStack(p: Profile, bin: Binaries, only: ServiceName[] = ['postgres', 'redis', 'temporal', 'stripe-mock']): Promise<Stack> {
  const services: Managed[] = [];
  const stack: Stack = {
    profile: p,
    services,
    async stop() {
      for (const s of [...services].reverse()) {
        if (s.owned) log(`stopping ${s.name}`);
        await stopManaged(s, dirs(p).run);
      }
    },
  };
  try {
    const labels = only.map((name) => serviceLabels[name]);
    step(`starting ${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : labels[0]}`);
    const results = await Promise.allSettled(only.map((name) => starters[name](p, bin)));
    for (const r of results) if (r.status === 'fulfilled') services.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (only.includes('postgres')) await ensureDatabase(p);
    for (const s of services) log(`${s.name} ${s.owned ? 'started' : 'already running, reused'} (pid ${s.pid})`);
    return stack;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
