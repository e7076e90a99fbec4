// What a page fetches on open: the value, whether it is loading, and the problem if it failed.
// One shape for every page, so each shows the same spinner and the same error.
import { describeError, type Problem } from '../errors';

export class Remote<T> {
  value = $state() as T;
  loading = $state(true);
  problem = $state<Problem | null>(null);

  constructor(
    private readonly fetch: () => Promise<T>,
    initial: T,
  ) {
    this.value = initial;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.problem = null;
    try {
      this.value = await this.fetch();
    } catch (err) {
      // A lost session is handled by api.ts → session; the page is about to unmount.
      this.problem = describeError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Fetches again while the current value stays shown: no spinner after every change. */
  async refresh(): Promise<T> {
    try {
      this.value = await this.fetch();
      this.problem = null;
    } catch (err) {
      this.problem = describeError(err);
    }
    return this.value;
  }
}
