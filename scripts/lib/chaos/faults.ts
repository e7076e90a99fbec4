// The faults the suite injects, and how it knows the stack recovered from each: the first
// success, after the fault began, of what that fault broke.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client as TemporalClient } from '@temporalio/client';
import type { ProductProcess } from '../product-processes';
import type { ServiceName } from '../services';
import { cycleStateQuery } from '../../../workflows/billing/messages';
import type { AnswerLog } from './http';
import { sleep } from './http';
import type { ChaosStack } from './stack';

export const faultNames = ['kill-api', 'kill-reconciler', 'kill-worker', 'restart-redis', 'restart-postgres', 'restart-temporal'] as const;
export type FaultName = (typeof faultNames)[number];

export interface FaultContext {
  stack: ChaosStack;
  log: AnswerLog;
  orm: MikroORM;
  temporal?: TemporalClient;
  customerIds: string[];
  /** A brand whose billing workflow runs, for the query probe. */
  billedCustomerId?: string;
  /** How long a restarted service stays down, so requests meet it down. */
  downMs: number;
  say(line: string): void;
}

/** `since`: when the fault began; `injected`: when it was fully in place (a process killed, a service back). */
type Probe = (c: FaultContext, since: number, injected: number) => Promise<boolean>;

const consumed: Probe = async (c, since) => c.log.answers.some((a) => a.what === 'consume' && a.status === 200 && a.sentAt >= since);

/** A debit written to PostgreSQL after the fault was in place: a killed reconciler's last commit does not count. */
const reconciled: Probe = async (c, _since, injected) => {
  const rows = await c.orm.em.fork().getConnection().execute<unknown[]>(
    'select 1 from token_usage where customer_id = any(?::uuid[]) and created_at > ? limit 1',
    [`{${c.customerIds.join(',')}}`, new Date(injected)],
  );
  return rows.length > 0;
};

/** A query answered by a worker: Temporal is up and a worker polls the billing queue. */
const queried: Probe = async (c) => {
  if (!c.temporal || !c.billedCustomerId) return true;
  const temporal = c.temporal;
  await temporal.connection.withDeadline(Date.now() + 2_000, () => temporal.workflow.getHandle(`billing:${c.billedCustomerId}`).query(cycleStateQuery));
  return true;
};

const both = (...probes: Probe[]): Probe => async (c, since, injected) => {
  for (const p of probes) if (!(await p(c, since, injected))) return false;
  return true;
};

function kill(name: ProductProcess) {
  return async (c: FaultContext) => {
    const proc = c.stack.processes[name];
    const pid = proc?.pid;
    if (!proc || !pid) throw new Error(`${name} is not running, so it cannot be killed`);
    process.kill(pid, 'SIGKILL');
    c.say(`  kill -9 ${name} (pid ${pid})`);
  };
}

function restart(name: ServiceName) {
  return async (c: FaultContext) => {
    await c.stack.stopService(name);
    c.say(`  ${name} stopped; starting it again in ${c.downMs / 1000} s`);
    await sleep(c.downMs);
    await c.stack.startService(name);
  };
}

export const faults: Record<FaultName, { inject(c: FaultContext): Promise<void>; recovered: Probe }> = {
  'kill-api': { inject: kill('api'), recovered: consumed },
  'kill-reconciler': { inject: kill('reconciler'), recovered: reconciled },
  'kill-worker': { inject: kill('worker'), recovered: queried },
  'restart-redis': { inject: restart('redis'), recovered: both(consumed, reconciled) },
  'restart-postgres': { inject: restart('postgres'), recovered: both(consumed, reconciled) },
  'restart-temporal': { inject: restart('temporal'), recovered: queried },
};

/** Seconds from `since` until `probe` first passes; polled every 100 ms, a probe that throws has not passed. */
export async function timeToRecover(c: FaultContext, probe: Probe, since: number, injected: number, timeoutMs: number): Promise<number | null> {
  while (Date.now() - since < timeoutMs) {
    if (await probe(c, since, injected).catch(() => false)) return (Date.now() - since) / 1000;
    await sleep(100);
  }
  return null;
}
