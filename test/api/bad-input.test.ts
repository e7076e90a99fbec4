// A sweep of every route with a body: whatever a client sends, the answer is a 4xx with the
// error envelope, never a 500.
import { demoPassword } from '../../domain/catalog/demo';
import { declaredRoutes } from '../../scripts/lib/openapi-spec';
import { startApi, type TestApi } from '../support/api-server';
import { Session } from '../support/http';

let api: TestApi;
let admin: Session;
beforeAll(async () => {
  api = await startApi();
  admin = new Session(api.url);
  await admin.post('/api/auth/login', { email: 'admin@demo.varai.test', password: demoPassword });
});
afterAll(() => api.close());

const junk: unknown[] = [
  null, [], 'text', 42, true, {}, { email: null, password: null }, { email: ['a@b.c'], password: { $gt: '' } },
  { email: 'a@b.c', password: 'x'.repeat(5_000) }, { brandName: '', name: '', email: '', password: '' },
  { email: '\u0000@\u0000', password: '\ud800' }, { role: 'operator', email: 'x@y.z', name: 'n', password: 'long-enough-pw' },
  { __proto__: { admin: true }, constructor: { prototype: {} } },
];

// Every route that takes a body, read from the app itself, so new routes join the sweep.
const routesWithBodies = declaredRoutes()
  .filter((r) => r.body)
  .map((r) => [r.method.toUpperCase(), r.path.replace(/:\w+/g, 'virtual-try-on')] as const);

describe('bad input', () => {
  it('covers at least the auth and team routes', () => {
    expect(routesWithBodies.map(([, path]) => path)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/auth/login', '/api/team']));
  });

  it.each(routesWithBodies)('answers every malformed body on %s %s with a 4xx and an error code', async (method, path) => {
    const answers = [];
    for (const body of junk) {
      const res = await admin.request(method, path, body === null ? 'null' : body);
      answers.push({ body, status: res.status, code: res.body?.error?.code });
    }
    expect(answers.filter((a) => a.status < 400 || a.status >= 500 || typeof a.code !== 'string')).toEqual([]);
  });

  it('refuses an operator role on a team member, naming the field', async () => {
    const res = await admin.post('/api/team', { role: 'operator', email: 'op@example.test', name: 'n', password: 'long-enough-pw' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body.role']);
  });
});
