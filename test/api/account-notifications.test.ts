// A user's own notification settings: the role's defaults, saving choices, and the phone number
// verified by an SMS code before any notice goes to it; every refusal with its code and field.
import { demoPassword } from '../../domain/catalog/demo';
import { memberOf } from '../support/brand';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp } from '../support/http';
import { startSms, type TestSms } from '../support/sms';

let api: TestApi;
let sms: TestSms;
beforeAll(async () => {
  sms = await startSms();
  api = await startApi({ SMS_API_BASE: sms.url });
});
afterAll(async () => {
  await api.close();
  await sms.close();
});

const prefsPath = '/api/account/notification-preferences';
interface CategoryView {
  category: string;
  email: boolean;
  sms: boolean;
}
const byCategory = (body: { categories: CategoryView[] }): Record<string, CategoryView> => Object.fromEntries(body.categories.map((c) => [c.category, c]));
const codeSentTo = (phone: string) => /\b(\d{6})\b/.exec(sms.messages.filter((m) => m.to === phone).at(-1)!.body)![1]!;
let phoneSeq = 0;
/** A distinct number per call: the code throttle is per user, but the catcher is shared. */
const newPhone = () => `+1555${String(process.pid % 1000).padStart(3, '0')}${String(++phoneSeq).padStart(4, '0')}`;

async function verifiedAdmin() {
  const { session } = await signUp(api.url);
  const phone = newPhone();
  expect((await session.post('/api/account/phone', { phone })).status).toBe(202);
  expect((await session.post('/api/account/phone/verify', { code: codeSentTo(phone) })).status).toBe(200);
  return { session, phone };
}

describe('GET /api/account/notification-preferences', () => {
  it('gives an admin billing, security, usage alerts and the weekly summary by email, SMS off, the portal always on', async () => {
    const { session } = await signUp(api.url);
    const res = await session.get(prefsPath);
    expect(res.status).toBe(200);
    const c = byCategory(res.body);
    expect(c.billing).toMatchObject({ email: true, sms: false, portal: true, label: 'Billing and payment' });
    expect(c.security).toMatchObject({ email: true, sms: false, portal: true });
    expect(c.usage_alerts).toMatchObject({ email: true, sms: false });
    expect(c.weekly_summary).toMatchObject({ email: true, sms: false });
    expect(c.activation).toMatchObject({ email: false, sms: false, portal: true });
    expect(res.body.phone).toEqual({ number: null, verifiedAt: null, pendingNumber: null, codeExpiresAt: null });
  });

  it('gives a viewer security by email only', async () => {
    const { session: admin } = await signUp(api.url);
    const { session } = await memberOf(api.url, admin, 'viewer');
    const c = byCategory((await session.get(prefsPath)).body);
    expect(Object.entries(c).filter(([, v]) => v.email).map(([k]) => k)).toEqual(['security']);
  });

  it('answers 401 without a session', async () => {
    const res = await new Session(api.url).get(prefsPath);
    expect(res.status).toBe(401);
  });
});

describe('PUT /api/account/notification-preferences', () => {
  it('saves the categories given and keeps the others', async () => {
    const { session } = await signUp(api.url);
    const res = await session.put(prefsPath, { categories: [{ category: 'billing', email: false, sms: false }, { category: 'activation', email: true, sms: false }] });
    expect(res.status).toBe(200);
    const c = byCategory((await session.get(prefsPath)).body);
    expect(c.billing).toMatchObject({ email: false });
    expect(c.activation).toMatchObject({ email: true });
    expect(c.security).toMatchObject({ email: true });
  });

  it.each([
    ['an unknown category', { categories: [{ category: 'gossip', email: true, sms: false }] }, 'body.categories.0.category'],
    ['a missing channel', { categories: [{ category: 'billing', email: true }] }, 'body.categories.0.sms'],
    ['a category twice', { categories: [{ category: 'billing', email: true, sms: false }, { category: 'billing', email: false, sms: false }] }, 'body.categories'],
    ['no category', { categories: [] }, 'body.categories'],
    ['an unknown field', { categories: [{ category: 'billing', email: true, sms: false, portal: false }] }, 'body.categories.0'],
  ])('refuses %s with 422 VALIDATION_FAILED naming the field', async (_what, body, path) => {
    const { session } = await signUp(api.url);
    const res = await session.put(prefsPath, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(path);
  });

  it('refuses SMS without a verified number with 422 PHONE_NOT_VERIFIED', async () => {
    const { session } = await signUp(api.url);
    const res = await session.put(prefsPath, { categories: [{ category: 'billing', email: true, sms: false }, { category: 'usage_alerts', email: true, sms: true }] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'PHONE_NOT_VERIFIED', details: { fields: [{ path: 'body.categories.1.sms' }] } });
  });

  it('turns SMS on once the number is verified', async () => {
    const { session } = await verifiedAdmin();
    const res = await session.put(prefsPath, { categories: [{ category: 'usage_alerts', email: false, sms: true }] });
    expect(res.status).toBe(200);
    expect(byCategory(res.body).usage_alerts).toMatchObject({ email: false, sms: true });
  });
});

describe('POST /api/account/phone', () => {
  it.each(['5551234567', '+0123456789', '+1 555', 'call me', '+1555123456789012'])('refuses %j with 422 naming body.phone', async (phone) => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/account/phone', { phone });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].path).toBe('body.phone');
  });

  it('sends a 6-digit code by SMS and keeps only its hash', async () => {
    const { session, user } = await signUp(api.url);
    const phone = newPhone();
    const res = await session.post('/api/account/phone', { phone: `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}` });
    expect(res.status).toBe(202);
    expect(res.body.phone).toMatchObject({ number: null, pendingNumber: phone });
    const code = codeSentTo(phone);
    const [row] = await api.deps.orm.em.getConnection().execute('select * from user_phones where user_id = ?', [user.id]);
    expect(JSON.stringify(row)).not.toContain(code);
  });

  it('throttles a second code within 30 s with 429 RATE_LIMITED and Retry-After', async () => {
    const { session } = await signUp(api.url);
    expect((await session.post('/api/account/phone', { phone: newPhone() })).status).toBe(202);
    const again = await session.post('/api/account/phone', { phone: newPhone() });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('RATE_LIMITED');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 503 SMS_UNAVAILABLE when the provider fails, leaving no code pending', async () => {
    const { session } = await signUp(api.url);
    sms.failNext(1, 500);
    const res = await session.post('/api/account/phone', { phone: newPhone() });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SMS_UNAVAILABLE');
    expect((await session.get(prefsPath)).body.phone.pendingNumber).toBeNull();
  });
});

describe('POST /api/account/phone/verify', () => {
  it('answers 409 NO_VERIFICATION_PENDING when no code was asked for', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/account/phone/verify', { code: '123456' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NO_VERIFICATION_PENDING');
  });

  it('refuses a code that is not 6 digits with 422 naming body.code', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/account/phone/verify', { code: '12ab' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].path).toBe('body.code');
  });

  it('refuses a wrong code with the tries left, and clears it after the 5th', async () => {
    const { session } = await signUp(api.url);
    const phone = newPhone();
    await session.post('/api/account/phone', { phone });
    const wrong = codeSentTo(phone) === '000000' ? '111111' : '000000';
    const first = await session.post('/api/account/phone/verify', { code: wrong });
    expect(first.status).toBe(422);
    expect(first.body.error).toMatchObject({ code: 'VERIFICATION_CODE_INVALID', details: { triesLeft: 4, fields: [{ path: 'body.code' }] } });
    for (let i = 0; i < 3; i++) await session.post('/api/account/phone/verify', { code: wrong });
    const fifth = await session.post('/api/account/phone/verify', { code: wrong });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    const right = await session.post('/api/account/phone/verify', { code: codeSentTo(phone) });
    expect(right.status).toBe(409);
  });

  it('refuses an expired code with 422 VERIFICATION_CODE_EXPIRED', async () => {
    const { session, user } = await signUp(api.url);
    const phone = newPhone();
    await session.post('/api/account/phone', { phone });
    await api.deps.orm.em.getConnection().execute(`update user_phones set code_expires_at = now() - interval '1 second' where user_id = ?`, [user.id]);
    const res = await session.post('/api/account/phone/verify', { code: codeSentTo(phone) });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VERIFICATION_CODE_EXPIRED');
  });

  it('makes the number the user’s SMS number with the right code', async () => {
    const { session, phone } = await verifiedAdmin();
    const res = await session.get(prefsPath);
    expect(res.body.phone).toMatchObject({ number: phone, pendingNumber: null });
    expect(res.body.phone.verifiedAt).toEqual(expect.any(String));
  });
});

describe('an operator (no brand)', () => {
  it.each([
    ['GET', prefsPath, undefined],
    ['PUT', prefsPath, { categories: [{ category: 'billing', email: true, sms: false }] }],
    ['POST', '/api/account/phone', { phone: '+15550000001' }],
    ['POST', '/api/account/phone/verify', { code: '123456' }],
    ['DELETE', '/api/account/phone', undefined],
  ] as const)('gets 403 FORBIDDEN from %s %s', async (method, path, body) => {
    const operator = new Session(api.url);
    expect((await operator.post('/api/auth/login', { email: 'operator@varai.test', password: demoPassword })).status).toBe(200);
    const res = await operator.request(method, path, body);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('DELETE /api/account/phone', () => {
  it('forgets the number', async () => {
    const { session } = await verifiedAdmin();
    expect((await session.request('DELETE', '/api/account/phone')).status).toBe(204);
    expect((await session.get(prefsPath)).body.phone.number).toBeNull();
  });
});
