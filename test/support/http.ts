// A tiny HTTP client with a cookie jar: one instance is one browser session. Like a browser on
// the portal, it names its origin on every non-GET request (the API's CSRF check); a test of a
// forged request overrides `origin`, or passes '' to send none.
import { demoPassword } from '../../domain/catalog/demo';
import { cookieHeader, keepCookies, type CookieJar } from '../../scripts/lib/cookie-jar';

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class Session {
  private cookies: CookieJar = new Map();

  constructor(private readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = method === 'GET' || method === 'HEAD' ? { ...headers } : { origin: new URL(this.baseUrl).origin, ...headers };
    if (h.origin === '') delete h.origin;
    if (this.cookies.size) h.cookie = cookieHeader(this.cookies);
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload, redirect: 'manual' });
    keepCookies(this.cookies, res.headers);
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body, headers);
  put = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PUT', path, body, headers);

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

let seq = 0;
/** Unique per test run and worker, so tests never collide on emails. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${++seq}@example.test`;
}

export async function signUp(baseUrl: string, overrides: Partial<{ brandName: string; name: string; email: string; password: string }> = {}) {
  const s = new Session(baseUrl);
  const body = { brandName: 'Acme Eyewear', name: 'Ann Admin', email: uniqueEmail('admin'), password: 'correct-horse-battery', ...overrides };
  const res = await s.post('/api/auth/signup', body);
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { session: s, user: res.body.user, password: body.password };
}

/** The seeded VARAi operator (scripts/lib/seed.ts). */
export const demoOperatorEmail = 'operator@varai.test';

/** A session of a seeded user, the operator unless told; a refused login fails the test's setup at once. */
export async function logIn(baseUrl: string, email = demoOperatorEmail, password = demoPassword): Promise<{ session: Session; userId: string }> {
  const session = new Session(baseUrl);
  const res = await session.post('/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { session, userId: res.body.user.id };
}
