// `npm test`: installs what is missing, type-checks, lints, then runs every jest suite
// against the real services of the `test` profile (jest's globalSetup starts them).
import { spawnSync } from 'node:child_process';
import { ensureInstalled } from './lib/install';
import { log, step } from './lib/log';
import { projectRoot } from './lib/profiles';

function run(what: string, cmd: string, args: string[]): void {
  step(what);
  const r = spawnSync(cmd, args, { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    log(`${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

ensureInstalled({ chromium: true });
const bin = 'node_modules/.bin';
run('type-checking', `${bin}/tsc`, ['--noEmit', '-p', 'tsconfig.json']);
run('type-checking the portal', `${bin}/svelte-check`, ['--tsconfig', 'web/tsconfig.json', '--threshold', 'error', '--output', 'human']);
run('linting', `${bin}/eslint`, ['.']);
run('running the test suites', `${bin}/jest`, ['--ci', ...process.argv.slice(2)]);
