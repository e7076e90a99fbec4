import { startApi, type TestApi } from '../support/api-server';
import { Session, uniqueEmail } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const anon = () => new Session(api.url);

describe('error envelope', () => {
  it('answers malformed JSON with 400 INVALID_JSON and a request id', async () => {
    const res = await anon().post('/api/auth/login', '{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
    expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers a body over 64 KB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await anon().post('/api/auth/signup', { brandName: 'x'.repeat(70_000), name: 'n', email: uniqueEmail('big'), password: 'long-enough-pw' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a form-encoded body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await anon().post('/api/auth/login', 'email=a%40b.c&password=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown API route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await anon().get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers a wrong method with 405 METHOD_NOT_ALLOWED', async () => {
    const res = await anon().request('DELETE', '/api/apps');
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers a JSON array where an object belongs with 422, not 500', async () => {
    const res = await anon().post('/api/auth/login', [1, 2]);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps a sane caller-supplied request id and replaces an unsafe one', async () => {
    const kept = await anon().request('GET', '/api/nope', undefined, { 'x-request-id': 'trace-abc-123' });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc-123');
    const replaced = await anon().request('GET', '/api/nope', undefined, { 'x-request-id': 'bad id with spaces' });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('never leaks a stack trace', async () => {
    const res = await anon().post('/api/auth/login', '{');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});

describe('portal', () => {
  it('serves the built portal at / and falls back to it for client routes', async () => {
    const root = await anon().get('/');
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/text\/html/);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const deep = await anon().get('/apps/virtual-try-on');
    expect(deep.status).toBe(200);
  });
});
