// The brand's token balance, kept live by the API's event stream while a brand user is signed in.
import { api, ApiError } from '../api';
import type { BalanceEvent, BalanceStatus } from '../types';

/** Wait before reopening a stream the server refused. Dropped connections EventSource retries itself. */
const REOPEN_AFTER_MS = 15_000;

class LiveBalance {
  /** Null is unlimited. Meaningless until `known`. */
  availableTokens = $state<number | null>(null);
  status = $state<BalanceStatus>('active');
  /** False until the first figure arrives, so nothing shows a made-up zero. */
  known = $state(false);
  /** True while the stream is open; a stale figure stays on screen while it reconnects. */
  live = $state(false);

  private close: (() => void) | null = null;
  private reopen: ReturnType<typeof setTimeout> | undefined;
  private wanted = false;
  /** Bumped whenever the stream is shut, so an answer that arrives afterwards is ignored. */
  private epoch = 0;

  /** Opens the stream; call once per signed-in brand user (operators have no brand to watch). */
  connect(): void {
    this.wanted = true;
    this.open();
  }

  /** Closes the stream, on logout or when the header unmounts. */
  disconnect(): void {
    this.wanted = false;
    this.shut();
    // Another brand may log in next in this tab: never show it its predecessor's figure.
    this.known = false;
    this.availableTokens = null;
    this.status = 'active';
  }

  private open(): void {
    this.shut();
    this.close = api.streamBalance({
      onOpen: () => (this.live = true),
      onBalance: (event) => this.accept(event),
      onError: (refused) => {
        this.live = false;
        if (refused) void this.recover();
      },
    });
  }

  private shut(): void {
    this.epoch += 1;
    this.close?.();
    this.close = null;
    clearTimeout(this.reopen);
    this.live = false;
  }

  /**
   * EventSource does not say why it was refused; one plain request through api.ts does. A lost
   * session logs out there (which unmounts the header and disconnects); another 4xx will not get
   * better by retrying; anything else reopens the stream later, showing the figure just fetched.
   */
  private async recover(): Promise<void> {
    this.shut();
    const epoch = this.epoch;
    try {
      const balance = await api.balance();
      if (epoch !== this.epoch) return;
      this.accept(balance);
    } catch (err) {
      if (epoch !== this.epoch || (err instanceof ApiError && err.status < 500)) return;
    }
    if (this.wanted) this.reopen = setTimeout(() => this.open(), REOPEN_AFTER_MS);
  }

  private accept({ availableTokens, status }: Pick<BalanceEvent, 'availableTokens' | 'status'>): void {
    this.availableTokens = availableTokens;
    this.status = status;
    this.known = true;
  }
}

export const balance = new LiveBalance();
