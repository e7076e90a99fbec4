// Bounded creation: a brand's token-pack purchases waiting for payment (each holds a workflow and
// a Stripe Checkout Session) and a session's open event streams (each holds a socket, a Redis
// subscription and a timer).
import { maxStreamsPerSession } from '../../domain/auth/stream-slots';
import { maxOpenPurchases } from '../../domain/billing/open-purchase';
import { taskQueues } from '../../temporal.config';
import { sessionCookie } from '../../api/session';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp } from '../support/http';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';

let api: TestApi;
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker(taskQueues.tokenPacks);
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await worker.stop();
});

const sql = <T>(q: string, params: unknown[]) => api.deps.orm.em.getConnection().execute<T[]>(q, params);
const buy = (admin: Session) => admin.post('/api/billing/token-packs', { pack: 'tokens_1k' });
const purchasesOf = async (customerId: string) => (await sql<{ n: number }>('select count(*)::int as n from token_pack_purchases where customer_id = ?', [customerId]))[0]!.n;

describe('open token-pack purchases per brand', () => {
  it(`refuses a purchase past ${maxOpenPurchases} waiting for payment with 409 TOO_MANY_OPEN_PURCHASES, and starts nothing`, async () => {
    const { session, user } = await signUp(api.url);
    for (let i = 0; i < maxOpenPurchases; i++) expect((await buy(session)).status).toBe(201);
    const refused = await buy(session);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_OPEN_PURCHASES', details: { open: maxOpenPurchases, limit: maxOpenPurchases } });
    expect(await purchasesOf(user.customerId)).toBe(maxOpenPurchases);
  });

  it('lets at most the limit through when a brand opens many at once', async () => {
    const { session, user } = await signUp(api.url);
    const answers = await Promise.all(Array.from({ length: maxOpenPurchases + 3 }, () => buy(session)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(maxOpenPurchases);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(3);
    expect(await purchasesOf(user.customerId)).toBe(maxOpenPurchases);
  });

  it('counts neither paid purchases nor ones whose payment window has passed', async () => {
    const { session, user } = await signUp(api.url);
    for (let i = 0; i < maxOpenPurchases; i++) expect((await buy(session)).status).toBe(201);
    const windowMs = api.deps.config.tokenPacks.paymentWindowMs;
    const [oldest] = await sql<{ id: string }>("select id from token_pack_purchases where customer_id = ? order by created_at limit 1", [user.customerId]);
    await sql('update token_pack_purchases set created_at = ? where id = ?', [new Date(Date.now() - windowMs - 1_000), oldest!.id]);
    expect((await buy(session)).status).toBe(201);
    const [newest] = await sql<{ id: string }>("select id from token_pack_purchases where customer_id = ? order by created_at desc limit 1", [user.customerId]);
    await sql("update token_pack_purchases set status = 'credited' where id = ?", [newest!.id]);
    expect((await buy(session)).status).toBe(201);
  });

  it('does not count another brand’s purchases', async () => {
    const a = await signUp(api.url);
    const b = await signUp(api.url);
    for (let i = 0; i < maxOpenPurchases; i++) expect((await buy(a.session)).status).toBe(201);
    expect((await buy(b.session)).status).toBe(201);
  });
});

describe('event streams per session', () => {
  /** Opens GET /api/usage/stream and waits for its first event; abort() closes it. */
  async function openStream(session: Session) {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/usage/stream`, { headers: { cookie: `${sessionCookie}=${session.cookie(sessionCookie)}` }, signal: controller.signal });
    if (res.status === 200) await res.body!.getReader().read();
    const body = res.status === 200 ? null : ((await res.json()) as { error: { code: string; details: Record<string, unknown> } });
    return { status: res.status, body, close: () => controller.abort() };
  }

  it(`refuses a stream past ${maxStreamsPerSession} open on one session with 429 TOO_MANY_STREAMS, and takes one again once a stream closes`, async () => {
    const { session } = await signUp(api.url);
    const open = [];
    for (let i = 0; i < maxStreamsPerSession; i++) open.push(await openStream(session));
    expect(open.map((s) => s.status)).toEqual(Array(maxStreamsPerSession).fill(200));
    const refused = await openStream(session);
    expect(refused.status).toBe(429);
    expect(refused.body?.error).toMatchObject({ code: 'TOO_MANY_STREAMS', details: { limit: maxStreamsPerSession } });

    open.pop()!.close();
    const again = await waitFor(() => openStream(session), (s) => { if (s.status !== 200) return false; open.push(s); return true; }, 5_000);
    expect(again.status).toBe(200);
    for (const s of open) s.close();
  });

  it('counts each session apart, even of the same user', async () => {
    const { session, user, password } = await signUp(api.url);
    const open = [];
    for (let i = 0; i < maxStreamsPerSession; i++) open.push(await openStream(session));
    const second = new Session(api.url);
    expect((await second.post('/api/auth/login', { email: user.email, password })).status).toBe(200);
    const other = await openStream(second);
    expect(other.status).toBe(200);
    for (const s of [...open, other]) s.close();
  });
});
