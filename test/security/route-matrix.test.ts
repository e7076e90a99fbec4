// The role × route matrix: every route of the app's route table, called as no session, a
// viewer, a manager and an admin of brand A, an operator, and the admin of brand B aimed at
// brand A's ids, against the outcome route-expectations.ts declares for it.
import { demoPassword } from '../../domain/catalog/demo';
import { Notification, TokenPack, TokenPackPurchase } from '../../domain/entities';
import type { TestApi } from '../support/api-server';
import { startBillingStack, type BillingStack } from '../support/billing';
import { Session, signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';
import { routeExpectations, type Actor, type Fixture, type Outcome, type RouteExpectation } from './route-expectations';
import { concretePath, routeKey } from './route-table';
import type { AnyRoute } from '../../api/route';

jest.setTimeout(120_000);

/** No route should take this long to decide who may call it. */
const callTimeoutMs = 10_000;
const actors: Actor[] = ['anon', 'viewer', 'manager', 'operator', 'otherBrandAdmin', 'admin'];

let stack: BillingStack;
let api: TestApi;
const logins = {} as Record<Exclude<Actor, 'anon'>, { email: string; password: string }>;
const sessions = {} as Record<Exclude<Actor, 'anon'>, Session>;
const ids = {} as Record<Fixture, string>;
/** Strings that only brand A's answers contain; another brand's admin must never see one. */
let brandASecrets: string[] = [];

async function logIn(who: { email: string; password: string }): Promise<Session> {
  const s = new Session(api.url);
  const res = await s.post('/api/auth/login', who);
  if (res.status !== 200) throw new Error(`login of ${who.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return s;
}

beforeAll(async () => {
  // Billing routes wait for the billing workflow's verdict: a worker must serve it.
  stack = await startBillingStack();
  api = stack.api;
  const brandName = `Matrix Optics ${uniqueEmail('m')}`;
  const a = await signUp(api.url, { brandName });
  const b = await signUp(api.url, { brandName: 'Other Brand Optics' });
  logins.admin = { email: a.user.email, password: a.password };
  logins.otherBrandAdmin = { email: b.user.email, password: b.password };
  logins.operator = { email: 'operator@varai.test', password: demoPassword };
  for (const role of ['manager', 'viewer'] as const) {
    logins[role] = { email: uniqueEmail(role), password: 'long-enough-pw' };
    await addMember(a.session, { ...logins[role], name: `Matrix ${role}`, role });
  }
  for (const actor of Object.keys(logins) as (keyof typeof logins)[]) sessions[actor] = await logIn(logins[actor]);
  const member = await addMember(a.session, { email: uniqueEmail('target'), name: 'Matrix target', role: 'viewer', password: 'long-enough-pw' });
  const invitation = await a.session.post('/api/team/invitations', { email: uniqueEmail('invitee'), role: 'viewer' });
  if (invitation.status !== 201) throw new Error(`invitation: ${invitation.status} ${JSON.stringify(invitation.body)}`);

  // Issue 11's key contract (kind, mode), or the one before it, whichever this API speaks.
  let key = await a.session.post('/api/api-keys', { name: 'matrix', kind: 'secret', mode: 'live' });
  if (key.status === 422) key = await a.session.post('/api/api-keys', { name: 'matrix' });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  const em = api.deps.orm.em.fork();
  const customer = a.user.customerId as string;
  const notification = em.create(Notification, { customer, kind: 'matrix', channel: 'portal', subject: 'Matrix notice', body: 'For brand A only', dedupeKey: `matrix:${customer}` });
  const pack = await em.findOneOrFail(TokenPack, { lookupKey: { $ne: null } }, { orderBy: { tokens: 'asc' } });
  const purchase = em.create(TokenPackPurchase, { customer, pack, tokens: pack.tokens, amountCents: pack.priceCents });
  await em.flush();
  Object.assign(ids, { apiKey: key.body.apiKey.id, notification: notification.id, purchase: purchase.id, customer, member, invitation: invitation.body.invitation.id });
  brandASecrets = [customer, a.user.email, brandName, key.body.apiKey.id, notification.id, purchase.id, member, invitation.body.invitation.id];
});
afterAll(() => stack.stop());

/** One call as one actor: status and text (an event stream is cut after its headers). */
async function call(route: AnyRoute, exp: RouteExpectation, actor: Actor): Promise<{ status: number; text: string }> {
  const values = Object.fromEntries(Object.entries(exp.params ?? {}).map(([name, fixture]) => [name, ids[fixture]]));
  let session: Session | undefined;
  if (actor !== 'anon') session = exp.freshSession ? await logIn(logins[actor]) : sessions[actor];
  const headers: Record<string, string> = { origin: api.url };
  if (session) headers.cookie = `varai_session=${session.cookie('varai_session')}`;
  const mutating = route.method !== 'get';
  if (mutating) headers['content-type'] = 'application/json';
  const abort = new AbortController();
  const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(callTimeoutMs)]);
  const res = await fetch(api.url + concretePath(route.path, values), { method: route.method.toUpperCase(), headers, body: mutating ? JSON.stringify(exp.body ?? {}) : undefined, redirect: 'manual', signal }).catch((err: Error) => {
    throw new Error(`${routeKey(route)} as ${actor}: ${err.name}`);
  });
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    abort.abort();
    return { status: res.status, text: '' };
  }
  return { status: res.status, text: await res.text() };
}

/** A refusal by the access gate; a business 403 (PLAN_UPGRADE_REQUIRED) means the gate let it through. */
function refusedByGate(status: number, text: string): boolean {
  if (status === 401 || status === 404) return true;
  return status === 403 && /"code":"(FORBIDDEN|CROSS_SITE_REQUEST)"/.test(text);
}

function meets(status: number, text: string, outcome: Outcome): boolean {
  if (outcome === 'ok') return !refusedByGate(status, text) && status < 500;
  return status === outcome && refusedByGate(status, text);
}

describe('the role × route matrix', () => {
  it('has a declared expectation for every route, and none for a route that is gone', () => {
    const keys = api.routes.map(routeKey);
    expect(keys.filter((k) => !routeExpectations[k])).toEqual([]);
    expect(Object.keys(routeExpectations).filter((k) => !keys.includes(k))).toEqual([]);
  });

  // Before the matrix, whose brand-A staff then revoke, read and pay these rows themselves.
  it("leaves brand A's rows untouched when brand B's admin aims a write at them", async () => {
    const aimed = api.routes.filter((r) => r.method !== 'get' && routeExpectations[routeKey(r)]?.outcomes.otherBrandAdmin === 404);
    expect(aimed.length).toBeGreaterThanOrEqual(3);
    for (const route of aimed) expect((await call(route, routeExpectations[routeKey(route)]!, 'otherBrandAdmin')).status).toBe(404);
    const em = api.deps.orm.em.fork();
    expect((await em.findOneOrFail(Notification, { id: ids.notification })).readAt ?? null).toBeNull();
    expect((await em.findOneOrFail(TokenPackPurchase, { id: ids.purchase })).status).toBe('pending');
    const keys = await sessions.admin.get('/api/api-keys');
    expect(keys.body.apiKeys.find((k: { id: string }) => k.id === ids.apiKey)).toMatchObject({ revokedAt: null });
  });

  it('answers every actor on every route as declared', async () => {
    const mismatches: string[] = [];
    for (const route of api.routes) {
      const exp = routeExpectations[routeKey(route)];
      if (!exp) continue;
      for (const actor of actors) {
        const { status, text } = await call(route, exp, actor);
        if (!meets(status, text, exp.outcomes[actor])) mismatches.push(`${routeKey(route)} as ${actor}: expected ${exp.outcomes[actor]}, got ${status} ${text.slice(0, 120)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("never shows brand A's data to brand B's admin, on any route", async () => {
    const leaks: string[] = [];
    for (const route of api.routes) {
      const exp = routeExpectations[routeKey(route)];
      if (!exp || route.method !== 'get') continue;
      const { text } = await call(route, exp, 'otherBrandAdmin');
      for (const secret of brandASecrets) if (text.includes(secret)) leaks.push(`${routeKey(route)} shows ${secret}`);
    }
    expect(leaks).toEqual([]);
  });
});
