// The short chaos run of `npm test` (the full one is `npm run chaos`): during a consume storm,
// the API and the reconciler are killed with SIGKILL and Redis and PostgreSQL are restarted,
// on a stack of the test's own (its own data folder and free ports: restarting the shared test
// services would break the files running beside this one). Every debit answered 200 must be
// in the ledger exactly once, and no answer may be a bare 5xx or a hang. The worker, the billing
// flow and the Temporal faults are the full run's (docs/RESILIENCE.md).
import fs from 'node:fs';
import path from 'node:path';
import { runChaos, type ChaosOutcome } from '../../scripts/lib/chaos/run';
import { loadProfile, projectRoot } from '../../scripts/lib/profiles';
import { freePort } from '../support/ports';

jest.setTimeout(240_000);

let outcome: ChaosOutcome;
const lines: string[] = [];
const dataDir = path.join(projectRoot, '.data', 'chaos-test');
// What the run said (recovery times, answers per fault), for whoever reads a failure.
afterAll(() => fs.writeFileSync(path.join(dataDir, 'chaos.log'), `${[...lines, outcome?.line ?? 'no outcome'].join('\n')}\n`));

beforeAll(async () => {
  const ports = { PG: 0, REDIS: 0, TEMPORAL: 0, TEMPORAL_UI: 0, STRIPE_MOCK: 0, API: 0, SMTP: 0 };
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
  const env = Object.fromEntries([
    ['CHAOS_DATA_DIR', dataDir],
    ...Object.entries(ports).map(([name, port]) => [`CHAOS_${name}_PORT`, String(port)]),
  ]);
  outcome = await runChaos({
    profile: loadProfile('chaos', env),
    faults: ['kill-api', 'kill-reconciler', 'restart-redis', 'restart-postgres'],
    billing: false,
    // Only PostgreSQL and Redis: Temporal would cost the files running beside this one CPU for no fault here.
    withoutTemporal: true,
    brands: 2,
    storm: { loops: 4, pauseMs: 20, keyDeadlineMs: 30_000, app: 'pd-calculator' },
    downMs: 1_000,
    recoverTimeoutMs: 60_000,
    drainTimeoutMs: 30_000,
    say: (line) => lines.push(line),
  });
});

describe('the stack under faults (short chaos run)', () => {
  it('recovers from each fault: kill -9 of the API and the reconciler, restarts of Redis and PostgreSQL', () => {
    expect(outcome.faults.map((f) => [f.name, f.recoverS !== null])).toEqual([
      ['kill-api', true],
      ['kill-reconciler', true],
      ['restart-redis', true],
      ['restart-postgres', true],
    ]);
  });

  it('loses no debit answered 200 and records none twice, after every fault', () => {
    expect(outcome.faults.map((f) => [f.name, f.lost.length, f.double.length])).toEqual([
      ['kill-api', 0, 0],
      ['kill-reconciler', 0, 0],
      ['restart-redis', 0, 0],
      ['restart-postgres', 0, 0],
    ]);
    expect(outcome.line).toMatch(/^faults=4 lost=0 double=0 recover_p99_s=\d+\.\d$/);
  });

  it('answers no bare 5xx and leaves no request hanging: only 503s with an error code while a dependency is down', () => {
    expect(outcome.faults.flatMap((f) => f.bad.map((b) => `${f.name}: ${b.what} ${b.status} ${b.code ?? ''}`))).toEqual([]);
  });

  it('drains every debit stream and keeps the cached balances equal to the ledger', () => {
    expect(outcome.problems).toEqual([]);
  });
});
