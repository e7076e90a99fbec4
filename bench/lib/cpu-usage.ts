// CPU time per process group over a phase, from /proc (Linux only; elsewhere it reports
// nothing). On a small machine the load generator, the API, the reconciler, PostgreSQL and
// Redis all share the same cores, so "who burnt the CPU" explains a ratio better than req/s.
import fs from 'node:fs';

/** Linux reports /proc times in clock ticks of 1/100 s on every mainstream architecture. */
const ticksPerSecond = 100;

export interface Watched {
  label: string;
  pid: number;
}

interface Snapshot {
  /** By pid, so a process that exits or starts between two snapshots never counts negative. */
  processes: Map<number, { label: string; ticks: number }>;
  machineBusy: number;
  machineTotal: number;
  /** Interrupt and softirq time, mostly loopback TCP's receive path; the kernel charges part of it to the interrupted process as well. */
  machineIrq: number;
}

/** The bench stack's own servers: on a shared machine other stacks' postgres and redis-server must not count. */
export interface StackPids {
  /** The postmaster: it and its children (backends, autovacuum, WAL writer, checkpointer). */
  postgres: number;
  redis: number;
  /** The Temporal dev server: the reconciler signals each brand's billing workflow per interval. */
  temporal?: number;
}

let stackPids: StackPids | null = null;

export function watchStack(pids: StackPids): void {
  stackPids = pids;
}

function processTicks(pid: number): { ticks: number; comm: string; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is parenthesised and may hold spaces; the fields we want follow the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    return { ticks: Number(fields[11]) + Number(fields[12]), comm, ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** The stack's PostgreSQL and Redis processes (every one by that name when the stack is unknown). */
function serverLabel(pid: number, t: { comm: string; ppid: number }): string | null {
  if (!stackPids) return t.comm === 'postgres' || t.comm === 'redis-server' ? t.comm : null;
  if (pid === stackPids.postgres || t.ppid === stackPids.postgres) return 'postgres';
  // Its forks too: the AOF rewrite (and an RDB save) that the streams' growth triggers is Redis'
  // cost of the load, and landed in "everything else" of whichever phase it fell in.
  if (pid === stackPids.redis || t.ppid === stackPids.redis) return 'redis-server';
  if (stackPids.temporal && pid === stackPids.temporal) return 'temporal';
  return null;
}

/** Watched pids under their label, plus the stack's postgres and redis-server processes. */
function snapshot(watched: Watched[]): Snapshot | null {
  if (!fs.existsSync('/proc/stat')) return null;
  const processes = new Map<number, { label: string; ticks: number }>();
  const labels = new Map(watched.map((w) => [w.pid, w.label]));
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const t = processTicks(pid);
    if (!t) continue;
    const label = labels.get(pid) ?? serverLabel(pid, t);
    if (label) processes.set(pid, { label, ticks: t.ticks });
  }
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { processes, machineBusy: total - idle, machineTotal: total, machineIrq: (cpu[5] ?? 0) + (cpu[6] ?? 0) };
}

export interface CpuReport {
  /** µs of CPU per unit of work, by label (watched labels, `postgres`, `redis-server`, `everything else`). */
  perUnitUs: Map<string, number>;
  line: string;
}

/** CPU ticks by label and the machine's busy and total ticks between two snapshots. */
interface Spent {
  byLabel: Map<string, number>;
  busy: number;
  total: number;
  irq: number;
}

function spentBetween(before: Snapshot, after: Snapshot, watched: Watched[]): Spent {
  const byLabel = new Map<string, number>(watched.map((w) => [w.label, 0]));
  for (const [pid, p] of after.processes) {
    // A process started during the phase counts from zero; one that ended is lost (undercount).
    const d = p.ticks - (before.processes.get(pid)?.ticks ?? 0);
    byLabel.set(p.label, (byLabel.get(p.label) ?? 0) + d);
  }
  return { byLabel, busy: after.machineBusy - before.machineBusy, total: after.machineTotal - before.machineTotal, irq: after.machineIrq - before.machineIrq };
}

function report(spent: Spent, units: number, unit: string): CpuReport {
  const perUnit = (ticks: number) => ((ticks / ticksPerSecond) * 1e6) / Math.max(1, units);
  const byLabel = new Map(spent.byLabel);
  const accounted = [...byLabel.values()].reduce((a, b) => a + b, 0);
  byLabel.set('everything else', spent.busy - accounted);
  const perUnitUs = new Map([...byLabel].map(([label, ticks]) => [label, perUnit(ticks)]));
  const parts = [...perUnitUs].map(([label, us]) => `${label} ${us.toFixed(0)}`);
  // Apart, not in the sum: the kernel charges some of it to the process it interrupted as well.
  const irq = `kernel irq+softirq ${perUnit(spent.irq).toFixed(0)}, partly inside the above`;
  return { perUnitUs, line: `cpu µs per ${unit}: ${parts.join(', ')} (${irq}); machine busy ${((spent.busy / Math.max(1, spent.total)) * 100).toFixed(0)} %` };
}

/** Starts counting; the returned function gives CPU µs per unit of work (a 2xx request, a reconciled debit) by group, and the rest. */
export function startCpuWatch(watched: Watched[], unit = '2xx request'): (units: number) => CpuReport {
  const before = snapshot(watched);
  return (units) => {
    const after = snapshot(watched);
    if (!before || !after) return { perUnitUs: new Map(), line: 'cpu: /proc not available' };
    return report(spentBetween(before, after, watched), units, unit);
  };
}

/**
 * CPU summed over several separate windows, for a target measured in slices alternated with
 * another's: only its own slices count.
 */
export class CpuTally {
  private readonly spent: Spent = { byLabel: new Map(), busy: 0, total: 0, irq: 0 };
  private available = true;

  constructor(private readonly watched: Watched[], private readonly unit = '2xx request') {}

  async during<T>(work: () => Promise<T>): Promise<T> {
    const before = snapshot(this.watched);
    const result = await work();
    const after = snapshot(this.watched);
    if (!before || !after) {
      this.available = false;
      return result;
    }
    const d = spentBetween(before, after, this.watched);
    for (const [label, ticks] of d.byLabel) this.spent.byLabel.set(label, (this.spent.byLabel.get(label) ?? 0) + ticks);
    this.spent.busy += d.busy;
    this.spent.total += d.total;
    this.spent.irq += d.irq;
    return result;
  }

  report(units: number): CpuReport {
    return this.available ? report(this.spent, units, this.unit) : { perUnitUs: new Map(), line: 'cpu: /proc not available' };
  }
}
