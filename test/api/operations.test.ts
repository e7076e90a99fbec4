import fs from 'node:fs';
import path from 'node:path';
import { currentSpec } from '../../scripts/lib/openapi-spec';
import { startApi, type TestApi } from '../support/api-server';
import { Session } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('GET /health', () => {
  it('answers 200 when PostgreSQL, Redis and Temporal answer', async () => {
    const res = await new Session(api.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', down: [] });
    expect(Object.keys(res.body.checks).sort()).toEqual(['postgres', 'redis', 'temporal']);
  });

  it('answers 503 naming Temporal when Temporal cannot be reached', async () => {
    const broken = await startApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const res = await new Session(broken.url).get('/health');
      expect(res.status).toBe(503);
      expect(res.body.down).toEqual(['temporal']);
    } finally {
      await broken.close();
    }
  });
});

describe('GET /metrics', () => {
  it('exposes request latency histograms labelled by route template', async () => {
    const s = new Session(api.url);
    await s.get('/health');
    const res = await s.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health"/);
  });
});

describe('GET /openapi.json', () => {
  it('documents every mounted route with its schemas', async () => {
    const res = await new Session(api.url).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/api/apps', '/api/auth/login', '/api/auth/signup', '/api/team']));
    const login = res.body.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
  });

  it('marks routes that need a session with the cookie security scheme', async () => {
    const res = await new Session(api.url).get('/openapi.json');
    expect(res.body.paths['/api/apps'].get.security).toEqual([{ sessionCookie: [] }]);
    expect(res.body.paths['/health'].get.security).toEqual([]);
  });
});

describe('docs/openapi.json', () => {
  it('is exactly the spec the code generates (run `npm run openapi` after changing a route)', async () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../docs/openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(currentSpec())));
  });
});
