// Production refuses to start on public defaults: each process entry, started as a deployment
// starts it, exits at once with one line on stderr naming the variable, before it connects to
// anything. (The rules themselves are unit-tested in test/domain/config.test.ts.)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { productEntries, productProcesses } from '../../scripts/lib/product-processes';

const root = join(__dirname, '..', '..');

// Each case starts a process (tsx compiles the entry): seconds each on a loaded machine.
jest.setTimeout(45_000);

/** A correct production environment, pointed at the test stack so a process that starts would really run. */
const production: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  STRIPE_API_BASE: '',
  STRIPE_SECRET_KEY: 'rk_live_51Example',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
  COOKIE_SECURE: 'true',
  // The test profile's cheap hash is itself refused in production.
  PASSWORD_HASH_MEMORY_KIB: '19456',
  // In this engineer's port range: an API that wrongly started must not take someone else's port.
  API_PORT: String(Number(process.env.TEST_API_PORT ?? 3300) + 99),
};

/** Runs an entry; a process still running after `limitMs` has not refused, and is stopped. */
function run(entry: string, env: NodeJS.ProcessEnv, limitMs = 20_000): Promise<{ code: number | null; stderr: string; refused: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stderr, refused: signal === null });
    });
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe.each(productProcesses)('the %s process in production', (name) => {
  const entry = productEntries[name];

  it('refuses the public development webhook secret with one line naming it', async () => {
    const { code, stderr, refused } = await run(entry, { ...production, STRIPE_WEBHOOK_SECRET: 'whsec_local_dev_secret' });
    expect(refused).toBe(true);
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/STRIPE_WEBHOOK_SECRET/);
  });

  it('refuses a test Stripe key unless ALLOW_TEST_STRIPE_KEY=true, with one line naming both', async () => {
    const { code, stderr } = await run(entry, { ...production, STRIPE_SECRET_KEY: 'sk_test_123' });
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/STRIPE_SECRET_KEY.*ALLOW_TEST_STRIPE_KEY=true/);
  });

  it('refuses COOKIE_SECURE=false with one line naming it', async () => {
    const { code, stderr } = await run(entry, { ...production, COOKIE_SECURE: 'false' });
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/COOKIE_SECURE/);
  });
});
