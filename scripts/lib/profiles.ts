// A profile is one isolated set of local services: `dev` for `npm run up`, `test` for
// `npm test`, `bench` for benchmarks, `chaos` for `npm run chaos` (whose faults restart its
// services), so none touches another's data. `bench` keeps the
// production durability that `test` gives up for speed (fsync), so baselines are honest.
import path from 'node:path';

export interface Profile {
  name: 'dev' | 'test' | 'bench' | 'chaos';
  dataDir: string;
  ports: { postgres: number; redis: number; temporal: number; temporalUi: number; stripeMock: number; api: number; smtp: number; sms: number };
}

const root = path.resolve(__dirname, '../..');

function envPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

/** The prefix of a profile's variables: TEST_PG_PORT, BENCH_DATA_DIR… */
export const profileEnvPrefix: Record<Profile['name'], string> = { dev: '', test: 'TEST_', bench: 'BENCH_', chaos: 'CHAOS_' };

export function loadProfile(name: Profile['name'], env: NodeJS.ProcessEnv = process.env): Profile {
  // Test ports sit 100 above dev ports, bench ports 200, chaos 300, so all can run on one machine at once.
  const offset = { dev: 0, test: 100, bench: 200, chaos: 300 }[name];
  const prefix = profileEnvPrefix[name];
  return {
    name,
    dataDir: path.resolve(env[`${prefix}DATA_DIR`] ?? path.join(root, '.data', name)),
    ports: {
      postgres: envPort(env, `${prefix}PG_PORT`, 55432 + offset),
      redis: envPort(env, `${prefix}REDIS_PORT`, 56379 + offset),
      temporal: envPort(env, `${prefix}TEMPORAL_PORT`, 57233 + offset),
      temporalUi: envPort(env, `${prefix}TEMPORAL_UI_PORT`, 58233 + offset),
      stripeMock: envPort(env, `${prefix}STRIPE_MOCK_PORT`, 12111 + offset),
      api: envPort(env, `${prefix}API_PORT`, 3000 + offset),
      smtp: envPort(env, `${prefix}SMTP_PORT`, 1025 + offset),
      sms: envPort(env, `${prefix}SMS_PORT`, 13011 + offset),
    },
  };
}

export const dbName = 'varai';
/** The owner: migrations, and the scratch databases of tests and benches. */
export const dbUser = 'varai';
export const dbPassword = 'varai';
/** The app's role: no table of its own, insert-only on the ledger and the audit log (scripts/lib/app-role.ts). */
export const appDbUser = 'varai_app';
export const appDbPassword = 'varai_app';

/** The app's environment for a profile: exactly the variables domain/infra/config.ts reads. */
export function appEnv(p: Profile): Record<string, string> {
  return {
    NODE_ENV: p.name === 'test' ? 'test' : 'development',
    API_PORT: String(p.ports.api),
    DATABASE_URL: `postgresql://${appDbUser}:${appDbPassword}@127.0.0.1:${p.ports.postgres}/${dbName}`,
    DATABASE_MIGRATION_URL: `postgresql://${dbUser}:${dbPassword}@127.0.0.1:${p.ports.postgres}/${dbName}`,
    REDIS_URL: `redis://127.0.0.1:${p.ports.redis}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${p.ports.temporal}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${p.ports.temporalUi}`,
    STRIPE_API_BASE: `http://127.0.0.1:${p.ports.stripeMock}`,
    SMTP_URL: `smtp://127.0.0.1:${p.ports.smtp}`,
    SMS_API_BASE: `http://127.0.0.1:${p.ports.sms}`,
    ...(p.name === 'dev' ? {} : machineTraffic),
    // Tests and the chaos suite assert on billing workflows right after the usage reaches the
    // ledger; the bench keeps production's delay, whose Temporal cost it measures.
    ...(p.name === 'test' || p.name === 'chaos' ? { USAGE_SIGNAL_MAX_DELAY_MS: '0' } : {}),
  };
}

/**
 * Test, bench and chaos runs sign up hundreds of brands and log in thousands of times from
 * 127.0.0.1, and hash passwords no attacker will ever see: production's throttles and hashing
 * cost would only slow them. The throttles' own test starts an API with low limits; `dev`
 * keeps production's values so a demo behaves as production does.
 */
const machineTraffic = {
  LOGIN_FAILURES_PER_IP_PER_MINUTE: '100000',
  SIGNUPS_PER_IP_PER_HOUR: '100000',
  PASSWORD_HASH_MEMORY_KIB: '1024',
  PASSWORD_HASH_PASSES: '1',
};

export const projectRoot = root;
