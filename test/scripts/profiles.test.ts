import { loadConfig } from '../../domain/infra/config';
import { appEnv, loadProfile, type Profile } from '../../scripts/lib/profiles';

describe('profiles', () => {
  it('keep the dev, test, bench and chaos stacks apart', () => {
    const profiles = (['dev', 'test', 'bench', 'chaos'] as const).map((name) => loadProfile(name, {}));
    expect(new Set(profiles.map((p) => p.dataDir)).size).toBe(4);
    for (const k of Object.keys(profiles[0]!.ports) as (keyof Profile['ports'])[]) expect(new Set(profiles.map((p) => p.ports[k])).size).toBe(4);
  });

  it('read the chaos stack’s ports and folder from CHAOS_ variables', () => {
    const p = loadProfile('chaos', { CHAOS_PG_PORT: '63832', CHAOS_DATA_DIR: '/tmp/varai-chaos-x' });
    expect({ pg: p.ports.postgres, dataDir: p.dataDir }).toEqual({ pg: 63832, dataDir: '/tmp/varai-chaos-x' });
  });

  it('point the app at its own services', () => {
    const env = appEnv(loadProfile('dev', {}));
    expect(env.DATABASE_URL).toBe('postgresql://varai_app:varai_app@127.0.0.1:55432/varai');
    expect(env.DATABASE_MIGRATION_URL).toBe('postgresql://varai:varai@127.0.0.1:55432/varai');
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:57233');
  });
});

describe('config defaults', () => {
  it('match the dev stack, so `npm run api` and `npm run worker` find it with no environment', () => {
    const fromProfile = loadConfig(appEnv(loadProfile('dev', {})));
    const defaults = loadConfig({});
    expect(defaults.db.url).toBe(fromProfile.db.url);
    expect(defaults.db.migrationUrl).toBe(fromProfile.db.migrationUrl);
    expect(defaults.redis.url).toBe(fromProfile.redis.url);
    expect(defaults.temporal).toEqual(fromProfile.temporal);
    expect(defaults.stripe.apiBase).toBe(fromProfile.stripe.apiBase);
    expect(defaults.api.port).toBe(fromProfile.api.port);
  });
});
