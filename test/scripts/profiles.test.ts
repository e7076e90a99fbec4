import { loadConfig } from '../../domain/config';
import { appEnv, loadProfile } from '../../scripts/lib/profiles';

describe('profiles', () => {
  it('keep the test stack apart from the dev stack', () => {
    const dev = loadProfile('dev', {});
    const test = loadProfile('test', {});
    expect(test.dataDir).not.toBe(dev.dataDir);
    for (const k of Object.keys(dev.ports) as (keyof typeof dev.ports)[]) expect(test.ports[k]).not.toBe(dev.ports[k]);
  });

  it('point the app at its own services', () => {
    const env = appEnv(loadProfile('dev', {}));
    expect(env.DATABASE_URL).toBe('postgresql://varai:varai@127.0.0.1:55432/varai');
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:57233');
  });
});

describe('config defaults', () => {
  it('match the dev stack, so `npm run api` and `npm run worker` find it with no environment', () => {
    const fromProfile = loadConfig(appEnv(loadProfile('dev', {})));
    const defaults = loadConfig({});
    expect(defaults.db.url).toBe(fromProfile.db.url);
    expect(defaults.redis.url).toBe(fromProfile.redis.url);
    expect(defaults.temporal).toEqual(fromProfile.temporal);
    expect(defaults.stripe.apiBase).toBe(fromProfile.stripe.apiBase);
    expect(defaults.api.port).toBe(fromProfile.api.port);
  });
});
