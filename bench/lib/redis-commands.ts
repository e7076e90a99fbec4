// Where Redis' time goes, by command: its own `INFO commandstats` (microseconds inside each
// command, scripts' inner calls counted under their own names too), reset before a phase and read
// after it. The CPU line says how much Redis costs; this says which calls to make cheaper.
import type { RedisClient } from '../../domain/infra/redis';

export const resetCommandStats = (redis: RedisClient) => redis.config('RESETSTAT');

interface CommandStat {
  calls: number;
  usec: number;
}

async function readCommandStats(redis: RedisClient): Promise<Map<string, CommandStat>> {
  const info = await redis.info('commandstats');
  const rows = new Map<string, CommandStat>();
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) rows.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return rows;
}

function statsLine(stats: Map<string, CommandStat>, units: number, unit: string, top: number): string {
  const rows = [...stats].map(([name, r]) => ({ name, ...r })).sort((a, b) => b.usec - a.usec);
  const per = Math.max(1, units);
  const parts = rows.slice(0, top).map((r) => `${r.name} ${(r.usec / per).toFixed(1)} (${(r.calls / per).toFixed(2)} calls)`);
  return `redis µs per ${unit} by command (inner calls of scripts included in their script): ${parts.join(', ')}`;
}

/** `redis µs per <unit>: evalsha 18.2 (1.00 calls), …`, the costliest commands first, since the last reset. */
export async function commandStatsLine(redis: RedisClient, units: number, unit: string, top = 8): Promise<string> {
  return statsLine(await readCommandStats(redis), units, unit, top);
}

/** Redis' time by command summed over separate windows: one target's slices, alternated with another's on the same server. */
export class CommandTally {
  private readonly sum = new Map<string, CommandStat>();

  constructor(private readonly redis: RedisClient) {}

  async during<T>(work: () => Promise<T>): Promise<T> {
    const before = await readCommandStats(this.redis);
    const result = await work();
    for (const [name, after] of await readCommandStats(this.redis)) {
      const was = before.get(name) ?? { calls: 0, usec: 0 };
      const had = this.sum.get(name) ?? { calls: 0, usec: 0 };
      this.sum.set(name, { calls: had.calls + after.calls - was.calls, usec: had.usec + after.usec - was.usec });
    }
    return result;
  }

  line(units: number, unit: string, top = 8): string {
    return statsLine(this.sum, units, unit, top);
  }
}
