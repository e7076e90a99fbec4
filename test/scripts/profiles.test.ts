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
