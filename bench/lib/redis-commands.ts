// Where Redis' time goes, by command: its own `INFO commandstats` (microseconds inside each
// command, scripts' inner calls counted under their own names too), reset before a phase and read
// after it. The CPU line says how much Redis costs; this says which calls to make cheaper.
import type { RedisClient } from '../../domain/infra/redis';

export const resetCommandStats = (redis: RedisClient) => redis.config('RESETSTAT');

/** `redis µs per <unit>: evalsha 18.2 (1.00 calls), …`, the costliest commands first. */
export async function commandStatsLine(redis: RedisClient, units: number, unit: string, top = 8): Promise<string> {
  const info = await redis.info('commandstats');
  const rows: { name: string; calls: number; usec: number }[] = [];
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) rows.push({ name: m[1]!, calls: Number(m[2]), usec: Number(m[3]) });
  }
  rows.sort((a, b) => b.usec - a.usec);
  const per = Math.max(1, units);
  const parts = rows.slice(0, top).map((r) => `${r.name} ${(r.usec / per).toFixed(1)} (${(r.calls / per).toFixed(2)} calls)`);
  return `redis µs per ${unit} by command (inner calls of scripts included in their script): ${parts.join(', ')}`;
}
