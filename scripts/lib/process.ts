// Child processes with pid files: a service left running by an earlier run is reused,
// and one we started is stopped by us, in order, when we stop.
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface Managed {
  name: string;
  pid: number;
  /** False when an earlier run started it: we leave it running. */
  owned: boolean;
  stopSignal: NodeJS.Signals;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(500);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  const tail = logFile && fs.existsSync(logFile) ? `\n--- last lines of ${logFile} ---\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}` : '';
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s${tail}`);
}

export function startDetached(
  name: string,
  cmd: string,
  args: string[],
  opts: { runDir: string; logDir: string; env?: NodeJS.ProcessEnv; cwd?: string; stopSignal?: NodeJS.Signals },
): Managed {
  fs.mkdirSync(opts.runDir, { recursive: true });
  fs.mkdirSync(opts.logDir, { recursive: true });
  const out = fs.openSync(path.join(opts.logDir, `${name}.log`), 'a');
  // Detached: Ctrl-C in the terminal reaches only us, so we stop services in order.
  const spawnOpts: SpawnOptions = { detached: true, stdio: ['ignore', out, out], env: opts.env ?? process.env, cwd: opts.cwd };
  const child = spawn(cmd, args, spawnOpts);
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${name} (${cmd})`);
  child.unref();
  fs.writeFileSync(path.join(opts.runDir, `${name}.pid`), String(child.pid));
  return { name, pid: child.pid, owned: true, stopSignal: opts.stopSignal ?? 'SIGTERM' };
}

export async function stopManaged(m: Managed, runDir: string, timeoutMs = 15_000): Promise<void> {
  if (!m.owned || !isAlive(m.pid)) return;
  try {
    process.kill(-m.pid, m.stopSignal);
  } catch {
    try {
      process.kill(m.pid, m.stopSignal);
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(m.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(m.pid)) {
    try {
      process.kill(-m.pid, 'SIGKILL');
    } catch {
      /* gone between the check and the kill */
    }
  }
  fs.rmSync(path.join(runDir, `${m.name}.pid`), { force: true });
}

/** Resolves when the child has exited or `ms` passed, whichever is first; false on the timeout. Leaves no timer behind. */
export function exitedWithin(child: import('node:child_process').ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => (child.off('exit', onExit), resolve(false)), ms);
    const onExit = () => (clearTimeout(timer), resolve(true));
    child.once('exit', onExit);
  });
}

/** A port nothing listens on right now, for a process the caller starts itself; the race until it binds is acceptable on loopback. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', r);
  });
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}
