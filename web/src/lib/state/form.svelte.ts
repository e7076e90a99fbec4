// The bookkeeping every portal form and action button repeats: one submission at a time, what
// is in flight (for the button's label), and the problem to show: its message, and the field
// errors of a 422, keyed by field (`body.name` → `name`, see errors.ts).
import { describeError, type Problem } from '../errors';

/**
 * One per form or group of buttons. `K` names what is in flight when several buttons share one
 * form (the pack being bought, the outcome being sent); a plain form leaves it at `true`.
 */
export class Form<K = true> {
  /** What is being submitted; null when idle. */
  pending = $state<K | null>(null);
  problem = $state<Problem | null>(null);
  readonly busy = $derived(this.pending !== null);
  /** Field → message from the last answer; empty when it named none. */
  readonly fields = $derived(this.problem?.fields ?? {});

  /**
   * Runs `work` with the form busy and its last problem cleared. A failure becomes `problem`
   * and the answer is `undefined`; errors never escape, so callers need no try/catch.
   */
  async run<T>(work: () => Promise<T>, what: K = true as K): Promise<T | undefined> {
    this.pending = what;
    this.problem = null;
    try {
      return await work();
    } catch (err) {
      this.problem = describeError(err);
      return undefined;
    } finally {
      this.pending = null;
    }
  }

  /** For `onsubmit`: keeps the browser from loading a page, then runs `work`. */
  submit(event: SubmitEvent, work: () => Promise<unknown>): Promise<unknown> {
    event.preventDefault();
    return this.run(work);
  }

  /**
   * For an action that sends the browser elsewhere (Stripe's portal): on success the form stays
   * busy, since the page is leaving and its buttons must not come back meanwhile.
   */
  async leaveFor(destination: () => Promise<string>): Promise<void> {
    this.pending = true as K;
    this.problem = null;
    try {
      location.assign(await destination());
    } catch (err) {
      this.problem = describeError(err);
      this.pending = null;
    }
  }

  /** A problem found before any request, e.g. the browser's own check of a field. */
  reject(message: string, fields: Record<string, string> = {}): void {
    this.problem = { message, fields };
  }
}
