// `npm test`: installs what is missing, type-checks, lints, then runs every jest suite
// against the real services of the `test` profile (jest's globalSetup starts them).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './lib/install';
import { log, step } from './lib/log';
import { loadProfile, projectRoot } from './lib/profiles';

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
const results = path.join(loadProfile('test').dataDir, 'jest-results.json');
fs.mkdirSync(path.dirname(results), { recursive: true });
step('running the test suites');
const jest = spawnSync(`${bin}/jest`, ['--ci', '--json', `--outputFile=${results}`, ...process.argv.slice(2)], { cwd: projectRoot, stdio: 'inherit' });
// One plain closing line, whatever reporter CI reads.
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped\n`);
}
process.exit(jest.status ?? 1);
