// Who is signed in. The cookie is HttpOnly, so the portal learns the session only from the API.
import { api, ApiError, onSessionLost } from '../api';
import type { SignupInput, User } from '../types';
import { describeError } from '../errors';

export const SESSION_EXPIRED_NOTICE = 'Your session expired. Please log in again.';

class Session {
  /** False until the first `GET /api/auth/me` has answered. */
  ready = $state(false);
  user = $state<User | null>(null);
  /** Shown once on the login page, e.g. after an idle timeout. */
  notice = $state<string | null>(null);

  readOnly = $derived(this.user?.role === 'viewer');

  constructor() {
    onSessionLost(() => this.expire());
  }

  async load(): Promise<void> {
    try {
      this.user = (await api.me()).user;
    } catch (err) {
      // UNAUTHENTICATED is the ordinary visitor answer; an expired cookie or an unreachable API
      // is worth saying on the login page.
      this.user = null;
      if (!(err instanceof ApiError)) this.notice = describeError(err).message;
      else if (err.code === 'SESSION_EXPIRED') this.notice = SESSION_EXPIRED_NOTICE;
    } finally {
      this.ready = true;
    }
  }

  /**
   * Asks the API whether the session is still alive, e.g. when the tab becomes visible again, so an
   * idle timeout shows up as a logout without waiting for the next click. A 401 reaches `expire()`
   * through api.ts; other failures (offline) are left for the next real call to report.
   */
  async refresh(): Promise<void> {
    if (!this.user) return;
    try {
      const { user } = await api.me();
      if (this.user) this.user = user; // unless the person logged out meanwhile
    } catch {
      // see above
    }
  }

  async login(email: string, password: string): Promise<void> {
    this.notice = null; // the form now shows its own outcome
    this.accept((await api.login(email, password)).user);
  }

  async signup(input: SignupInput): Promise<void> {
    this.notice = null;
    this.accept((await api.signup(input)).user);
  }

  /** An invitation was accepted: the API already set the new member's session cookie. */
  joined(user: User): void {
    this.accept(user);
  }

  async logout(): Promise<void> {
    let notice: string | null = null;
    try {
      await api.logout();
    } catch (err) {
      // A 401 means the session is already gone, which is what the person asked for. Otherwise
      // forget the user locally anyway (the login page is the safe place) but say what happened.
      if (!(err instanceof ApiError && err.status === 401)) notice = describeError(err).message;
    }
    this.user = null;
    this.notice = notice;
  }

  /** Called by api.ts when any call answers 401 for a missing or expired session. */
  expire(): void {
    if (!this.user) return; // the boot-time `me` call answers 401 for visitors; that is no expiry
    this.user = null;
    this.notice = SESSION_EXPIRED_NOTICE;
  }

  private accept(user: User): void {
    this.user = user;
    this.notice = null;
  }
}

export const session = new Session();
