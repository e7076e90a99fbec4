import bcrypt from 'bcryptjs';
import { PasswordHasher } from '../../../domain/auth/password';
import { loadConfig } from '../../../domain/infra/config';

const cheap = new PasswordHasher({ memoryKib: 1024, passes: 1 });
const stronger = new PasswordHasher({ memoryKib: 2048, passes: 2 });

describe('password hashing', () => {
  it('hashes with argon2id at the configured cost', async () => {
    expect(await stronger.hash('pw-123456')).toMatch(/^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await cheap.hash('pw-123456');
    expect(await cheap.verify('pw-123456', stored)).toEqual({ ok: true, needsRehash: false });
    expect(await cheap.verify('pw-654321', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('verifies a bcrypt hash from before and asks for it to be replaced', async () => {
    const stored = bcrypt.hashSync('pw-123456', 4);
    expect(await cheap.verify('pw-123456', stored)).toEqual({ ok: true, needsRehash: true });
    expect(await cheap.verify('nope', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('asks to replace an argon2id hash cheaper than today’s cost, never a stronger one', async () => {
    const weak = await cheap.hash('pw-123456');
    expect(await stronger.verify('pw-123456', weak)).toEqual({ ok: true, needsRehash: true });
    expect(await cheap.verify('pw-123456', await stronger.hash('pw-123456'))).toEqual({ ok: true, needsRehash: false });
  });

  it('refuses anything that is not a hash it knows', async () => {
    expect(await cheap.verify('x', 'plain-text')).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses a test profile’s cheap cost in production', () => {
    // Otherwise a plausible production, so no other start-up gate answers first.
    const env = {
      NODE_ENV: 'production', STRIPE_API_BASE: '', STRIPE_SECRET_KEY: 'rk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_not_the_default',
      COOKIE_SECURE: 'true', PUBLIC_URL: 'https://portal.example', PASSWORD_HASH_MEMORY_KIB: '1024',
    } as NodeJS.ProcessEnv;
    expect(() => loadConfig(env)).toThrow(/PASSWORD_HASH_MEMORY_KIB/);
  });

  it('uses 64 MiB and 3 passes by default', () => {
    expect(loadConfig({}).passwordHash).toEqual({ memoryKib: 65_536, passes: 3 });
  });
});
