// Bounded shutdown steps: a step that hangs or fails is logged and left behind, and the steps
// after it still run, each within its own limit.
import { boundedStep, shutdownInOrder, type ShutdownWarn } from '../../domain/infra/shutdown';

function recorder() {
  const warnings: { step: string; outcome: string }[] = [];
  const warn: ShutdownWarn = (details) => warnings.push({ step: details.step, outcome: details.outcome });
  return { warnings, warn };
}

const never = () => new Promise<void>(() => undefined);

describe('shutdownInOrder', () => {
  it('leaves a step that hangs behind after its limit, logs it, and still runs the steps after it', async () => {
    const { warnings, warn } = recorder();
    const ran: string[] = [];
    const clean = await shutdownInOrder(
      [
        { name: 'hangs', limitMs: 50, run: never },
        { name: 'closes', limitMs: 1_000, run: () => void ran.push('closes') },
      ],
      warn,
    );
    expect(clean).toBe(false);
    expect(ran).toEqual(['closes']);
    expect(warnings).toEqual([{ step: 'hangs', outcome: 'timed out' }]);
  });

  it('logs a step that throws, synchronously or not, instead of throwing, and goes on', async () => {
    const { warnings, warn } = recorder();
    const ran: string[] = [];
    const clean = await shutdownInOrder(
      [
        {
          name: 'throws',
          limitMs: 1_000,
          run: () => {
            throw new Error('already closed');
          },
        },
        { name: 'rejects', limitMs: 1_000, run: () => Promise.reject(new Error('socket gone')) },
        { name: 'closes', limitMs: 1_000, run: () => void ran.push('closes') },
      ],
      warn,
    );
    expect(clean).toBe(false);
    expect(ran).toEqual(['closes']);
    expect(warnings).toEqual([
      { step: 'throws', outcome: 'failed' },
      { step: 'rejects', outcome: 'failed' },
    ]);
  });

  it('reports a clean stop when every step finishes in time', async () => {
    const { warnings, warn } = recorder();
    expect(await boundedStep({ name: 'quick', limitMs: 1_000, run: () => new Promise((r) => setTimeout(r, 10)) }, warn)).toBe(true);
    expect(warnings).toEqual([]);
  });
});
