// Bounded shutdown: every step of a stop gets its own time limit, so one part that hangs (a
// worker draining an activity that waits forever, a socket nobody closes) cannot eat the whole
// budget of a deploy's stop_grace_period or a jest hook. A step that overruns or fails is
// logged and left behind, never thrown: the steps after it still run.

export type ShutdownWarn = (details: { step: string; outcome: 'timed out' | 'failed'; limitMs: number; error?: unknown }, message: string) => void;

export interface ShutdownStep {
  name: string;
  limitMs: number;
  run: () => Promise<unknown> | unknown;
}

/** Resolves true when the step finished in time, false when it was left behind. */
export async function boundedStep(step: ShutdownStep, warn: ShutdownWarn): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), step.limitMs);
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(step.run).then(() => 'done' as const), timedOut]);
    if (outcome === 'timed out') warn({ step: step.name, outcome, limitMs: step.limitMs }, `shutdown: ${step.name} did not finish within ${step.limitMs} ms; left behind`);
    return outcome === 'done';
  } catch (error) {
    warn({ step: step.name, outcome: 'failed', limitMs: step.limitMs, error }, `shutdown: ${step.name} failed; going on`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the steps one after another, each within its own limit; true when all finished. */
export async function shutdownInOrder(steps: ShutdownStep[], warn: ShutdownWarn): Promise<boolean> {
  let clean = true;
  for (const step of steps) clean = (await boundedStep(step, warn)) && clean;
  return clean;
}

/**
 * The last resort of a process entry: exits with code 1 if the orderly stop has not finished
 * by `afterMs`. Unref'd, so it never keeps a process alive that is done.
 */
export function exitIfStuck(afterMs: number, warn: (message: string) => void): void {
  setTimeout(() => {
    warn(`shutdown still running after ${afterMs} ms; exiting`);
    process.exit(1);
  }, afterMs).unref();
}

/** For tests and scripts: warnings to stderr, one line each. */
export const warnToStderr: ShutdownWarn = (details, message) => {
  const cause = details.error instanceof Error ? `: ${details.error.message}` : '';
  process.stderr.write(`${message}${cause}\n`);
};
