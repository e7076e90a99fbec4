// The chaos suite's clients: every answer they get, or fail to get, is logged with its times,
// so the checks can tell a 503 with a code (expected while a dependency is down) from a bare
// 500, a refused connection or a request that hung.
import { cookieHeader, keepCookies, type CookieJar } from '../cookie-jar';

export interface Answer {
  /** What was asked, for the report: `consume`, `signup`, `buy pack`… */
  what: string;
  sentAt: number;
  at: number;
  /** 0 when no HTTP answer came (connection refused or reset, or the time limit passed). */
  status: number;
  /** The error envelope's code, or the network failure (`ECONNREFUSED`, `TIMEOUT`…). */
  code?: string;
  // The suite reads answers loosely (a usage id, a purchase status); their shapes are the API tests' job.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body?: any;
}

/**
 * A request that has not been answered in this long is a hang, reported as such. Above the
 * longest wait the API allows itself on purpose (15 s for a pack's checkout, then a 503).
 */
export const requestTimeoutMs = 30_000;

export class AnswerLog {
  readonly answers: Answer[] = [];

  record(a: Answer): Answer {
    this.answers.push(a);
    return a;
  }

  /** Answers from `from` on (an index into `answers`), for a per-fault view. */
  since(from: number): Answer[] {
    return this.answers.slice(from);
  }
}

function networkCode(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
  return e.cause?.code ?? e.name ?? 'NETWORK';
}

/** A browser session with a cookie jar, against one base URL. */
export class Client {
  private readonly cookies: CookieJar = new Map();

  constructor(
    readonly baseUrl: string,
    private readonly log: AnswerLog,
  ) {}

  async send(what: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    // The portal's own origin, as a browser sends it: the API refuses cookie-carrying writes without it (CSRF).
    const h: Record<string, string> = { origin: new URL(this.baseUrl).origin, ...headers };
    if (this.cookies.size) h.cookie = cookieHeader(this.cookies);
    if (body !== undefined) h['content-type'] = 'application/json';
    const sentAt = Date.now();
    try {
      const res = await fetch(this.baseUrl + path, {
        method,
        headers: h,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      keepCookies(this.cookies, res.headers);
      const text = await res.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let parsed: any = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
      return this.log.record({ what, sentAt, at: Date.now(), status: res.status, code: parsed?.error?.code, body: parsed });
    } catch (err) {
      return this.log.record({ what, sentAt, at: Date.now(), status: 0, code: networkCode(err) });
    }
  }
}

/** 5xx answers that break the rule: only a 503 carrying an error code is allowed, and no hangs. */
export function badAnswers(answers: readonly Answer[]): Answer[] {
  return answers.filter((a) => (a.status >= 500 && !(a.status === 503 && a.code)) || (a.status === 0 && a.code === 'TIMEOUT'));
}

/** Whether an answer says "try again": a 503 with a code, or no answer at all. */
export const retryable = (a: Answer) => a.status === 0 || a.status === 503;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
