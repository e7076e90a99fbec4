// `npm run bench:signals`: what one usage signal costs the Temporal server. The reconciler's
// signaler sends each brand's billing workflow its usage batches (reconciler/usage-signaler.ts),
// so Temporal's load follows the number of active brands, not the debit rate; docs/CAPACITY.md
// turns this figure into a cluster. Signal-with-start, as the signaler sends it, to workflows no
// worker runs: the server's share alone (a worker's workflow task per signal comes on top).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { signalUsageBatches } from '../clients/billing';
import type { UsageBatch } from '../domain/billing/vocabulary';
import { startCpuWatch } from './lib/cpu-usage';
import { startBenchStack } from './lib/stack';

const workflows = Number(process.env.BENCH_SIGNAL_WORKFLOWS ?? 8);
const rounds = Number(process.env.BENCH_SIGNAL_ROUNDS ?? 40);
const pauseMs = 100;

const batch = (seq: number): UsageBatch => {
  const at = new Date().toISOString();
  return { seq, uses: 500, tokens: 500, totals: { 'pd-calculator': { uses: 500, tokens: 500 } }, firstDebitedAt: at, lastDebitedAt: at };
};

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const connection = await Connection.connect({ address: stack.config.temporal.address });
  try {
    const client = new Client({ connection, namespace: stack.config.temporal.namespace });
    const ids = Array.from({ length: workflows }, () => randomUUID());
    // The first signal starts each workflow; the measured ones find it running, as nearly all do.
    for (const id of ids) await signalUsageBatches(client, stack.config, id, [batch(1)]);
    await new Promise((r) => setTimeout(r, 1_000));
    const temporal = [{ label: 'temporal', pid: stack.pids.temporal }];
    const signals = rounds * workflows;
    const measured = startCpuWatch(temporal, 'signal');
    const startedAt = Date.now();
    for (let r = 0; r < rounds; r++) {
      // Two batches a signal: a reconcile pass every 500 ms, a signal a second.
      await Promise.all(ids.map((id) => signalUsageBatches(client, stack.config, id, [batch(2 * r + 2), batch(2 * r + 3)])));
      await new Promise((res) => setTimeout(res, pauseMs));
    }
    await new Promise((r) => setTimeout(r, 1_000));
    const usedUs = measured(signals).perUnitUs.get('temporal') ?? NaN;
    // What the server burns idle over the same wall time, taken off.
    const idle = startCpuWatch(temporal, 'signal');
    await new Promise((r) => setTimeout(r, Date.now() - startedAt));
    const idleUs = idle(signals).perUnitUs.get('temporal') ?? NaN;
    console.log(`temporal dev server: ${(usedUs / 1000).toFixed(2)} ms of CPU per signal over ${signals} signals, ${(idleUs / 1000).toFixed(2)} of it what it burns idle over as long`);
    console.log(`signal_ms=${((usedUs - idleUs) / 1000).toFixed(2)} signals=${signals} workflows=${workflows}`);
  } finally {
    await connection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
