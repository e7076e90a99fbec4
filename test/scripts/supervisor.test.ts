// Supervision with real processes: a child killed with SIGKILL comes back while its sibling
// keeps running, and a child that keeps crashing is given up on with its name and the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from '../../scripts/lib/process';
import { Supervisor, type ChildSpec } from '../../scripts/lib/supervision/supervisor';
import { waitFor } from '../support/wait';

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varai-supervisor-'));
const child = (name: string, script: string): ChildSpec => ({ name, command: process.execPath, args: ['-e', script], logFile: path.join(logDir, `${name}.log`) });
const idle = 'setInterval(() => {}, 1000)';

let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stop(2_000);
  supervisor = undefined;
});

describe('supervisor', () => {
  it('restarts a process killed with SIGKILL and leaves its sibling running', async () => {
    const lines: string[] = [];
    const gaveUp: string[] = [];
    supervisor = new Supervisor({ log: (l) => lines.push(l), onGiveUp: (_n, reason) => gaveUp.push(reason) });
    const reconciler = supervisor.start(child('reconciler', idle));
    const api = supervisor.start(child('api', idle));
    const first = await reconciler.startedAfter(undefined);
    const sibling = await api.startedAfter(undefined);

    process.kill(first, 'SIGKILL');
    const second = await reconciler.startedAfter(first);

    expect(second).not.toBe(first);
    expect(isAlive(second)).toBe(true);
    expect(reconciler.restarts).toBe(1);
    expect(api.pid).toBe(sibling);
    expect(isAlive(sibling)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^reconciler exited on SIGKILL; restarting it at \d\d:\d\d:\d\d\.\d{3} \(in 0\.5 s, restart 1 of 5 allowed within 60 s\)/)]);
    expect(gaveUp).toEqual([]);
  });

  it('gives up on a process that keeps crashing, naming it and the reason, and stops restarting it', async () => {
    const gaveUp: { name: string; reason: string }[] = [];
    supervisor = new Supervisor({
      log: () => undefined,
      onGiveUp: (name, reason) => gaveUp.push({ name, reason }),
      policy: { initialDelayMs: 10, maxDelayMs: 20, maxRestarts: 2, windowMs: 60_000 },
    });
    const worker = supervisor.start(child('worker', 'process.exit(3)'));
    const seen = await waitFor(async () => gaveUp, (g) => g.length > 0);
    expect(seen).toEqual([{ name: 'worker', reason: 'worker exited with code 3 and it crashed 3 times within 60 s (more than 2 restarts)' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(worker.restarts).toBe(2);
  });

  it('restarts nothing once stopped', async () => {
    supervisor = new Supervisor({ log: () => undefined, onGiveUp: () => undefined, policy: { initialDelayMs: 10, maxDelayMs: 10, maxRestarts: 5, windowMs: 60_000 } });
    const api = supervisor.start(child('api', idle));
    const pid = await api.startedAfter(undefined);
    await supervisor.stop(2_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
    expect(api.pid).toBeUndefined();
    expect(api.restarts).toBe(0);
  });
});
