// `npm run chaos`: a consume storm and a billing flow on a stack of the `chaos` profile, while
// the API, the reconciler and the worker are killed with SIGKILL (supervision brings them back)
// and Redis, PostgreSQL and Temporal are stopped and started again. After each fault it checks
// that no answer was a bare 5xx or a hang, that every debit answered 200 is in `token_usage`
// and the ledger exactly once, that balances and the billing workflow's usage equal the ledger,
// and it measures the time to recover. docs/RESILIENCE.md explains the figures.
import { faultNames, type FaultName } from './lib/chaos/faults';
import { runChaos } from './lib/chaos/run';
import { loadProfile } from './lib/profiles';

const say = (line: string) => process.stdout.write(`${line}\n`);

function chosenFaults(raw = process.env.CHAOS_FAULTS): FaultName[] {
  if (!raw) return [...faultNames];
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(faultNames as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`CHAOS_FAULTS: unknown ${unknown.join(', ')} (known: ${faultNames.join(', ')})`);
  return names as FaultName[];
}

async function main(): Promise<number> {
  const outcome = await runChaos({
    profile: loadProfile('chaos'),
    faults: chosenFaults(),
    billing: true,
    brands: 4,
    storm: { loops: 8, pauseMs: 20, keyDeadlineMs: 60_000, app: 'pd-calculator' },
    downMs: 2_000,
    recoverTimeoutMs: 120_000,
    drainTimeoutMs: 60_000,
    say,
  });
  for (const p of outcome.problems) say(`problem: ${p}`);
  say(outcome.line);
  return outcome.lost === 0 && outcome.double === 0 && outcome.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
