import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { currentSpec, webTypesFile } from '../../scripts/lib/openapi-spec';
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

  it('refers only to schemas it defines under components.schemas', () => {
    const spec = JSON.parse(JSON.stringify(currentSpec()));
    const refs = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === '$ref') refs.add(v as string);
          else walk(v);
        }
      }
    };
    walk(spec.paths);
    walk(spec.components.schemas);
    expect(refs.size).toBeGreaterThan(0);
    const unresolved = [...refs].filter((ref) => {
      const name = /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1];
      return !name || !(name in spec.components.schemas);
    });
    expect(unresolved).toEqual([]);
  });
});

describe(webTypesFile, () => {
  it('is exactly what openapi-typescript generates from the spec (run `npm run openapi` after changing a route)', async () => {
    const root = path.join(__dirname, '../..');
    // A child process: the generator is ESM-only inside, which jest's CommonJS runtime cannot load.
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['scripts/openapi.ts', '--print-web-types'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    expect(fs.readFileSync(path.join(root, webTypesFile), 'utf8')).toBe(stdout);
  });
});
