// The photo apps' server side: the face runtime's files (versioned, immutable, loadable from any
// storefront), the widget's photo flag, and runs from a photo's landmarks: one charge per run,
// none for a photo the shopper must retake.
import { randomUUID } from 'node:crypto';
import faceid from '../fixtures/landmarks/screenshot-faceid.json';
import facedetect from '../fixtures/landmarks/screenshot-facedetect.json';
import { currentBalance } from '../../domain/metering/publish';
import { faceRuntimePaths } from '../../api/widget/face-runtime';
import { startApi, type TestApi } from '../support/api-server';
import { meteredBrand, type MeteredBrand } from '../support/metering';

let api: TestApi;
let brand: MeteredBrand;
beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 20, apps: ['pd-calculator', 'face-shape-analysis', 'frame-finder'] });
});
afterAll(() => api.close());

const storefront = 'https://shop.example.test';
const get = (path: string, headers: Record<string, string> = {}) => fetch(api.url + path, { headers });

function run(slug: string, input: unknown) {
  return fetch(`${api.url}/v1/apps/${slug}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
}
const available = async () => Number((await currentBalance(api.deps.orm, api.deps.redis, brand.customerId)).availableTokens);

describe('face runtime files', () => {
  it.each([faceRuntimePaths.dialog, faceRuntimePaths.module, faceRuntimePaths.module.replace('landmarks.js', 'human.esm.js')])(
    'serves %s as a JavaScript module, immutable for a year, to any storefront',
    async (path) => {
      const res = await get(path, { origin: storefront, 'accept-encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    },
  );

  it('gzips the 2 MB runtime for browsers that accept it', async () => {
    const res = await get(faceRuntimePaths.module.replace('landmarks.js', 'human.esm.js'), { 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
  });

  it.each(['blazeface.json', 'facemesh.bin', 'iris.bin'])('serves the model file %s under the runtime version', async (file) => {
    const res = await get(`${faceRuntimePaths.models}${file}`, { origin: storefront });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  });

  it('answers 404 for another version, a model it does not use, or a path outside the folder', async () => {
    expect((await get('/widget/face/000000000000/landmarks.js')).status).toBe(404);
    expect((await get(`${faceRuntimePaths.models}faceres.bin`)).status).toBe(404);
    expect((await get(`${faceRuntimePaths.models}..%2Fpackage.json`)).status).toBe(404);
    expect((await get('/widget/models/0.0.1/iris.bin')).status).toBe(404);
  });
});

describe('widget configuration of a photo app', () => {
  it('tells the widget to open the photo dialog for pd-calculator, and not for frame-finder', async () => {
    const config = async (slug: string) => (await (await get(`/v1/widget-config/${slug}`, { authorization: `Bearer ${brand.apiKey}` })).json()) as { photo?: true };
    expect((await config('pd-calculator')).photo).toBe(true);
    expect((await config('frame-finder')).photo).toBeUndefined();
  });

  it("lets a photo app's preview fetch the models and nothing else", async () => {
    const policy = (await get('/preview/widget/pd-calculator')).headers.get('content-security-policy')!;
    expect(policy).toContain(`connect-src ${api.url}${faceRuntimePaths.models};`);
  });
});

describe('runs from a photo', () => {
  it('charges one token for a PD from landmarks and answers with its uncertainty', async () => {
    const before = await available();
    const res = await run('pd-calculator', { landmarks: faceid });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ method: 'iris', plausible: true, source: 'photo' });
    expect(res.body.result.uncertaintyMm).toBeGreaterThan(0);
    expect(await available()).toBe(before - 1);
  });

  it.each([
    ['FACE_NOT_FOUND', { kind: 'face-landmarks', version: 1, image: { width: 640, height: 480 }, faceCount: 0 }],
    ['MULTIPLE_FACES', facedetect],
    ['PHOTO_TOO_SMALL', { ...faceid, image: { width: 100, height: 80 } }],
  ])('refuses %s with a message for the shopper and charges nothing', async (code, landmarks) => {
    const before = await available();
    const res = await run('face-shape-analysis', { landmarks });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/photo|face/i);
    expect(await available()).toBe(before);
  });

  it('refuses malformed landmarks as VALIDATION_FAILED naming the field', async () => {
    const res = await run('pd-calculator', { landmarks: { ...faceid, face: { ...faceid.face, leftEye: undefined } } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain('body.input.landmarks.face.leftEye');
  });
});
