// Child processes of a bench run. Every target and the reconciler run in a process of their
// own, so the load generator never shares an event loop with what it measures. Whatever is
// still running when the bench ends, crashes or is interrupted gets killed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, portOpen } from '../../scripts/lib/process';
import { projectRoot } from '../../scripts/lib/profiles';

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with the exit code (or signal) whenever the process ends. */
  exited: Promise<number | string>;
  /** Set when the process ended without being asked to. */
  crashed: boolean;
}

/** One folder per bench process, printed at the start; a crashed child's tail is shown from it. */
export const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varai-bench-'));
const running = new Set<Child>();
const stopRequested = new WeakSet<Child>();

/** Runs a TypeScript entry under tsx; `nodeArgs` go before it (e.g. --cpu-prof). */
export function startChild(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  // Output goes straight to a file, not through the bench: relaying an info access line per
  // request would cost the load generator CPU and skew the very comparison it is there for.
  const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const child: Child = { name, proc, crashed: false, exited: Promise.resolve(0) };
  child.exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      running.delete(child);
      if (!stopRequested.has(child)) child.crashed = true;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  running.add(child);
  return child;
}

/** SIGTERM lets the child close its pools (and write a CPU profile); SIGKILL after the grace period. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  stopRequested.add(child);
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Synchronous, for process 'exit' and signal handlers. */
export function killAllChildren(): void {
  for (const child of running) {
    stopRequested.add(child);
    child.proc.kill('SIGKILL');
  }
}

export function assertAlive(...children: Child[]): void {
  for (const c of children) {
    if (!c.crashed) continue;
    const file = path.join(logDir, `${c.name}.log`);
    const tail = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`${c.name} exited during the run (exit ${c.proc.exitCode ?? c.proc.signalCode}); last lines of ${file}:\n${tail}`);
  }
}

export { freePort };

export async function waitForPort(child: Child, port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertAlive(child);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not listen on port ${port} within ${timeoutMs / 1000}s`);
}
