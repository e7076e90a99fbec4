// A real Redis Cluster on loopback for the tests that need one: three primaries, one replica
// each, Debian's redis-server, data under the caller's folder. Started and stopped by the test
// file itself, so the rest of the suite keeps its single Redis.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { exitedWithin, freePort, waitFor } from './process';

export interface ClusterNode {
  port: number;
  child: ChildProcess;
}

export interface Shard {
  /** Inclusive slot ranges, as CLUSTER SLOTS reports them. */
  slots: [number, number][];
  primary: number;
  replicas: number[];
}

export interface RedisCluster {
  /** host:port of every node, the form REDIS_CLUSTER_NODES takes. */
  seeds: string[];
  nodes: ClusterNode[];
  /** The topology as the cluster reports it now. */
  shards(): Promise<Shard[]>;
  /** The primary serving a key now. */
  primaryOf(key: string): Promise<number>;
  /** Bytes of the replication stream a primary has produced and its replicas have not yet acknowledged (the most behind one). */
  unreplicatedBytes(primaryPort: number): Promise<number>;
  /** SIGKILL, as a crashed host would: no AOF flush, no goodbye to the replicas. */
  kill(port: number): Promise<void>;
  /** Promote a replica without its primary's consent (the primary is dead); waits until every live node agrees. */
  takeover(replicaPort: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  redisServer: string;
  dataDir: string;
  /** Failure detection; low enough for a test, high enough that a loaded CI box does not fail over on its own. */
  nodeTimeoutMs?: number;
}

/** Ports whose bus port is chosen apart: port + 10000 (Redis's default) may be taken or above 65535. */
async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

async function withNode<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

const info = (r: Redis, section: string) =>
  r.info(section).then((s) => Object.fromEntries(s.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':', 2) as [string, string])));

export async function startRedisCluster(opts: ClusterOptions): Promise<RedisCluster> {
  const ports = await distinctPorts(12);
  const nodes: ClusterNode[] = [];
  const dead = new Set<number>();
  const stop = async () => {
    await Promise.all(
      nodes.map(async (n) => {
        if (n.child.exitCode !== null || n.child.signalCode !== null) return;
        n.child.kill('SIGKILL');
        await exitedWithin(n.child, 5_000);
      }),
    );
    fs.rmSync(opts.dataDir, { recursive: true, force: true });
  };
  // Each start is a new cluster: a nodes.conf left by an earlier run names other ports.
  fs.rmSync(opts.dataDir, { recursive: true, force: true });
  try {
    for (let i = 0; i < 6; i += 1) {
      const port = ports[i]!;
      const dir = path.join(opts.dataDir, String(port));
      fs.mkdirSync(dir, { recursive: true });
      const child = spawn(opts.redisServer, [
        '--port', String(port), '--cluster-port', String(ports[i + 6]), '--bind', '127.0.0.1', '--dir', dir,
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 5_000),
        // As in production (docs/DEPLOYMENT.md): fsync every second, never evict a balance.
        '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no',
        // A replica's first sync would otherwise wait 5 s for other replicas to join it.
        '--repl-diskless-sync-delay', '0',
        '--logfile', path.join(dir, 'redis.log'),
      ], { stdio: 'ignore' });
      child.on('error', () => undefined);
      nodes.push({ port, child });
    }
    for (const n of nodes) await waitFor(`redis ${n.port}`, () => withNode(n.port, (r) => r.ping()).then((p) => p === 'PONG'), 20_000);
    // redis-cli comes with redis-server (Debian's redis-tools), in the same folder.
    const created = spawnSync(path.join(path.dirname(opts.redisServer), 'redis-cli'), ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 60_000 });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    // Every node must agree the cluster is whole, and every replica must hold a full copy, before a test may kill anything.
    await waitFor('the Redis Cluster to be ok with every replica in sync', async () => {
      for (const n of nodes) {
        const ok = await withNode(n.port, async (r) => {
          if (!(await r.cluster('INFO')).includes('cluster_state:ok')) return false;
          const repl = await info(r, 'replication');
          return repl.role === 'master' || repl.master_link_status === 'up';
        });
        if (!ok) return false;
      }
      return true;
    }, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }

  const live = () => nodes.filter((n) => !dead.has(n.port));
  const shards = async (): Promise<Shard[]> => {
    for (const n of live()) {
      const slots = await withNode(n.port, (r) => r.cluster('SLOTS')).catch(() => null);
      if (!slots) continue;
      // Replicas as they see themselves: gossip tells the other nodes about them seconds later.
      const replicaOf = new Map<number, number[]>();
      for (const m of live()) {
        const repl = await withNode(m.port, (r) => info(r, 'replication')).catch(() => null);
        if (repl?.role !== 'slave') continue;
        const primary = Number(repl.master_port);
        replicaOf.set(primary, [...(replicaOf.get(primary) ?? []), m.port]);
      }
      const byPrimary = new Map<number, Shard>();
      for (const [from, to, primary] of slots as unknown as [number, number, [string, number]][]) {
        const s = byPrimary.get(primary[1]) ?? { slots: [], primary: primary[1], replicas: replicaOf.get(primary[1]) ?? [] };
        s.slots.push([from, to]);
        byPrimary.set(primary[1], s);
      }
      return [...byPrimary.values()];
    }
    throw new Error('no live Redis Cluster node answered CLUSTER SLOTS');
  };

  return {
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`),
    nodes,
    shards,
    async primaryOf(key) {
      const slot = await withNode(live()[0]!.port, (r) => r.cluster('KEYSLOT', key));
      const shard = (await shards()).find((s) => s.slots.some(([a, b]) => slot >= a && slot <= b));
      if (!shard) throw new Error(`slot ${slot} has no primary`);
      return shard.primary;
    },
    async unreplicatedBytes(primaryPort) {
      const repl = await withNode(primaryPort, (r) => info(r, 'replication'));
      const acked = Object.entries(repl).filter(([k]) => /^slave\d+$/.test(k)).map(([, v]) => Number(/offset=(\d+)/.exec(v)?.[1] ?? 0));
      return acked.length === 0 ? 0 : Number(repl.master_repl_offset) - Math.min(...acked);
    },
    async kill(port) {
      const n = nodes.find((x) => x.port === port);
      if (!n) throw new Error(`no node on ${port}`);
      dead.add(port);
      n.child.kill('SIGKILL');
      if (!(await exitedWithin(n.child, 5_000))) throw new Error(`redis ${port} survived SIGKILL`);
    },
    async takeover(replicaPort) {
      await withNode(replicaPort, (r) => r.cluster('FAILOVER', 'TAKEOVER'));
      await waitFor(`node ${replicaPort} to be primary everywhere`, async () => {
        for (const n of live()) {
          const seen = (await withNode(n.port, (r) => r.cluster('SLOTS'))) as unknown as [number, number, [string, number]][];
          if (!seen.some((s) => s[2][1] === replicaPort)) return false;
          if (seen.some((s) => dead.has(s[2][1]))) return false;
        }
        return true;
      }, 20_000);
    },
    stop,
  };
}
