// The services a bench needs, exactly as `npm test` gets them (test/support/global-setup.ts):
// the `test` profile, so a bench never touches dev data; migrated and seeded. Only what this
// run started is stopped at the end, as global-teardown does.
import { loadConfig, type Config } from '../../domain/config';
import { createOrm } from '../../domain/db';
import { ensureInstalled } from '../../scripts/lib/install';
import { migrateUp } from '../../scripts/lib/migrations';
import { appEnv, loadProfile } from '../../scripts/lib/profiles';
import { seed } from '../../scripts/lib/seed';
import { startStack } from '../../scripts/lib/services';

export interface BenchStack {
  /** The app's environment for the test profile: what every child process gets. */
  env: Record<string, string>;
  config: Config;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const profile = loadProfile('test');
  const stack = await startStack(profile, ensureInstalled());
  try {
    const env = appEnv(profile);
    const config = loadConfig({ ...process.env, ...env });
    await migrateUp(config);
    const orm = await createOrm(config);
    try {
      await seed(orm);
    } finally {
      await orm.close();
    }
    return { env, config, stop: () => stack.stop() };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
