// Stops a real Redis under a running API and watches /health report it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portOpen, waitFor } from '../../scripts/lib/process';
import { startApi, type TestApi } from '../support/api-server';
import { Session } from '../support/http';

const port = 56900 + (process.pid % 90);
let dir: string;
let redis: ChildProcess | undefined;
let api: TestApi;

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor('redis', () => portOpen(port), 10_000);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varai-redis-'));
  await startRedis();
  api = await startApi({ REDIS_URL: `redis://127.0.0.1:${port}` });
});

afterAll(async () => {
  redis?.kill('SIGKILL');
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 naming redis while Redis is stopped, and 200 once it is back', async () => {
  const s = new Session(api.url);
  expect((await s.get('/health')).status).toBe(200);

  const exited = new Promise((r) => redis!.once('exit', r));
  redis!.kill('SIGTERM');
  await exited;
  const down = await s.get('/health');
  expect(down.status).toBe(503);
  expect(down.body.down).toEqual(['redis']);
  expect(down.body.checks.postgres.ok).toBe(true);

  await startRedis();
  await waitFor('health to recover', async () => (await s.get('/health')).status === 200, 15_000);
});
