// The brand's notices: the unread count the header shows (polled, since notices are written by
// the workflows at any time) and the list the notices page pages through.
import { api } from '../api';
import type { Notice } from '../types';
import { describeError, type Problem } from '../errors';

const POLL_EVERY_MS = 30_000;
const PAGE_SIZE = 20;

class Notices {
  /** Over all the brand's notices. Meaningless until `known`. */
  unreadCount = $state(0);
  known = $state(false);
  /** Newest first: the pages loaded so far. */
  items = $state<Notice[]>([]);
  /** True while the first page loads; older pages keep the list on screen. */
  loading = $state(false);
  loadingOlder = $state(false);
  /** A full page came back last, so an older one may exist. */
  hasOlder = $state(false);
  problem = $state<Problem | null>(null);

  private poll: ReturnType<typeof setInterval> | undefined;
  /** True while the notices page is open: a rise in the count then reloads its first page. */
  private listing = false;
  /** Bumped on stop, so an answer for the previous brand is ignored. */
  private epoch = 0;

  /** Starts polling the count; call once per signed-in brand user (operators have no notices). */
  start(): void {
    this.stop();
    void this.refreshCount();
    this.poll = setInterval(() => void this.refreshCount(), POLL_EVERY_MS);
  }

  /** On logout or when the header unmounts. Another brand may log in next in this tab. */
  stop(): void {
    clearInterval(this.poll);
    this.poll = undefined;
    this.epoch += 1;
    this.unreadCount = 0;
    this.known = false;
    this.items = [];
    this.hasOlder = false;
    this.problem = null;
  }

  /** The cheap check: one notice, for its count. Failures wait for the next poll. */
  async refreshCount(): Promise<number> {
    const epoch = this.epoch;
    try {
      const { unreadCount } = await api.listNotices({ limit: 1 });
      if (epoch !== this.epoch) return this.unreadCount;
      const rose = this.known && unreadCount > this.unreadCount;
      this.accept(unreadCount);
      if (rose && this.listing) void this.reload();
    } catch {
      // see above; a lost session logs out through api.ts
    }
    return this.unreadCount;
  }

  /**
   * A billing change's notice is written by the workflow a moment after the change shows: asks a
   * few times until the count passes `than`, then stops (a change may write no notice at all).
   */
  async watchForMore(than: number, tries = 8, everyMs = 750): Promise<void> {
    for (let i = 0; i < tries; i++) {
      if ((await this.refreshCount()) > than) return;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** The notices page opened: its first page. */
  async open(): Promise<void> {
    this.listing = true;
    this.loading = true;
    await this.reload();
    this.loading = false;
  }

  close(): void {
    this.listing = false;
  }

  async loadOlder(): Promise<void> {
    const last = this.items.at(-1);
    if (!last) return;
    const epoch = this.epoch;
    this.loadingOlder = true;
    this.problem = null;
    try {
      const page = await api.listNotices({ limit: PAGE_SIZE, before: last.id });
      if (epoch !== this.epoch) return;
      this.items = [...this.items, ...page.notifications];
      this.hasOlder = page.notifications.length === PAGE_SIZE;
      this.accept(page.unreadCount);
    } catch (err) {
      this.problem = describeError(err);
    } finally {
      this.loadingOlder = false;
    }
  }

  async markRead(id: string): Promise<void> {
    this.problem = null;
    try {
      const { notification } = await api.markNoticeRead(id);
      this.items = this.items.map((n) => (n.id === id ? notification : n));
      await this.refreshCount();
    } catch (err) {
      this.problem = describeError(err);
    }
  }

  async markAllRead(): Promise<void> {
    this.problem = null;
    try {
      await api.markAllNoticesRead();
      // Notices written meanwhile stay unread: the reload shows them as such.
      await this.reload();
    } catch (err) {
      this.problem = describeError(err);
    }
  }

  /** The first page again; older pages loaded before are dropped, as their boundary moved. */
  private async reload(): Promise<void> {
    const epoch = this.epoch;
    try {
      const page = await api.listNotices({ limit: PAGE_SIZE });
      if (epoch !== this.epoch) return;
      this.items = page.notifications;
      this.hasOlder = page.notifications.length === PAGE_SIZE;
      this.accept(page.unreadCount);
      this.problem = null;
    } catch (err) {
      if (epoch === this.epoch) this.problem = describeError(err);
    }
  }

  private accept(unreadCount: number): void {
    this.unreadCount = unreadCount;
    this.known = true;
  }
}

export const notices = new Notices();
