// The services a bench needs, started the way `npm test` starts them (test/support/global-setup.ts)
// but on the `bench` profile: its own data, and PostgreSQL with production durability (the test
// profile turns fsync off, which would flatter the PostgreSQL-direct baseline). Migrated and
// seeded; only what this run started is stopped at the end.
import { loadConfig, type Config } from '../../domain/infra/config';
import { ensureInstalled } from '../../scripts/lib/install';
import { migrateAndSeed } from '../../scripts/lib/prepare-database';
import { appEnv, loadProfile } from '../../scripts/lib/profiles';
import { startStack } from '../../scripts/lib/services';

export interface BenchStack {
  /** The app's environment for the bench profile: what every child process gets. */
  env: Record<string, string>;
  config: Config;
  /** Pids of its PostgreSQL postmaster and Redis server. */
  pids: { postgres: number; redis: number; temporal: number };
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const profile = loadProfile('bench');
  const stack = await startStack(profile, ensureInstalled());
  try {
    const env = appEnv(profile);
    const config = loadConfig({ ...process.env, ...env });
    await migrateAndSeed(config);
    const pid = (name: string) => stack.services.find((s) => s.name === name)?.pid ?? 0;
    return { env, config, pids: { postgres: pid('postgres'), redis: pid('redis'), temporal: pid('temporal') }, stop: () => stack.stop() };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
