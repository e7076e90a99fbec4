import { demoPassword } from '../../domain/catalog/demo';
import { startApi, type TestApi } from '../support/api-server';
import { Session } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('GET /api/apps', () => {
  it('lists the ten seeded apps with their token costs', async () => {
    const s = new Session(api.url);
    await s.post('/api/auth/login', { email: 'viewer@demo.varai.test', password: demoPassword });
    const res = await s.get('/api/apps');
    expect(res.status).toBe(200);
    const costs = Object.fromEntries(res.body.apps.map((a: { slug: string; costTokens: number }) => [a.slug, a.costTokens]));
    expect(costs).toEqual({
      'virtual-try-on': 5, 'face-shape-analysis': 3, 'style-consultation': 4, 'fit-consultation': 4, 'eyewear-recommendations': 2,
      'pd-calculator': 1, 'frame-finder': 2, 'contact-lens-try-on': 3, 'conversational-ai': 3, 'advanced-analytics': 10,
    });
  });

  it('requires a session', async () => {
    const res = await new Session(api.url).get('/api/apps');
    expect(res.status).toBe(401);
  });
});
