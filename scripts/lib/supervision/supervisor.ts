// Keeps the product's processes running: a process that exits without being asked to is
// started again after a back-off (policy.ts), while its siblings keep serving. Only a crash
// loop gives up, and then the caller decides what stopping means.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { decideRestart, defaultRestartPolicy, type RestartPolicy } from './policy';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here, across restarts. */
  logFile: string;
}

export interface SupervisorOptions {
  log(line: string): void;
  /** Called once per crash-looping process; the supervisor has stopped restarting it. */
  onGiveUp(name: string, reason: string): void;
  policy?: RestartPolicy;
  now?: () => number;
}

export interface Supervised {
  readonly name: string;
  /** The pid of the running process, undefined while it waits for a restart. */
  readonly pid: number | undefined;
  /** Restarts so far, over the whole life of the supervisor. */
  readonly restarts: number;
  /** Resolves with the pid of the next process started after the one with `pid`. */
  startedAfter(pid: number | undefined): Promise<number>;
}

interface Entry {
  spec: ChildSpec;
  proc: ChildProcess | undefined;
  restartTimes: number[];
  restarts: number;
  timer: NodeJS.Timeout | undefined;
  waiters: Set<() => void>;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23);
const describeExit = (code: number | null, signal: NodeJS.Signals | null, err?: Error) =>
  err ? `could not start: ${err.message}` : signal ? `exited on ${signal}` : `exited with code ${code}`;

export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;

  constructor(private readonly opts: SupervisorOptions) {
    this.policy = opts.policy ?? defaultRestartPolicy;
    this.now = opts.now ?? Date.now;
  }

  start(spec: ChildSpec): Supervised {
    if (this.entries.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
    const entry: Entry = { spec, proc: undefined, restartTimes: [], restarts: 0, timer: undefined, waiters: new Set() };
    this.entries.set(spec.name, entry);
    this.spawn(entry);
    return {
      name: spec.name,
      get pid() {
        return entry.proc && entry.proc.exitCode === null && entry.proc.signalCode === null ? entry.proc.pid : undefined;
      },
      get restarts() {
        return entry.restarts;
      },
      startedAfter: (pid) =>
        new Promise((resolve) => {
          const check = () => {
            const current = entry.proc?.pid;
            if (current !== undefined && current !== pid && entry.proc!.exitCode === null) {
              entry.waiters.delete(check);
              resolve(current);
            }
          };
          entry.waiters.add(check);
          check();
        }),
    };
  }

  private spawn(entry: Entry): void {
    const out = fs.openSync(entry.spec.logFile, 'a');
    const proc = spawn(entry.spec.command, entry.spec.args, { cwd: entry.spec.cwd, env: entry.spec.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    entry.proc = proc;
    let handled = false;
    const exited = (code: number | null, signal: NodeJS.Signals | null, err?: Error) => {
      if (handled) return;
      handled = true;
      this.exited(entry, describeExit(code, signal, err));
    };
    proc.once('exit', (code, signal) => exited(code, signal));
    proc.once('error', (err) => exited(null, null, err));
    for (const wake of [...entry.waiters]) wake();
  }

  private exited(entry: Entry, what: string): void {
    if (this.stopping) return;
    const now = this.now();
    const { verdict, restartTimes } = decideRestart(entry.restartTimes, now, this.policy);
    entry.restartTimes = restartTimes;
    const { name } = entry.spec;
    if (verdict.kind === 'give-up') {
      this.opts.onGiveUp(name, `${name} ${what} and ${verdict.reason}`);
      return;
    }
    this.opts.log(
      `${name} ${what}; restarting it at ${clock(now + verdict.delayMs)} (in ${verdict.delayMs / 1000} s, restart ${verdict.attempt} of ${this.policy.maxRestarts} allowed within ${this.policy.windowMs / 1000} s); log: ${entry.spec.logFile}`,
    );
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.stopping) return;
      entry.restarts += 1;
      this.spawn(entry);
    }, verdict.delayMs);
  }

  /** SIGTERM to every process, SIGKILL after `graceMs`; nothing is restarted from now on. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.entries.values()].map((entry) => {
        clearTimeout(entry.timer);
        const proc = entry.proc;
        if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return undefined;
        return new Promise<void>((resolve) => {
          const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
          proc.once('exit', () => (clearTimeout(kill), resolve()));
          proc.kill('SIGTERM');
        });
      }),
    );
  }
}
