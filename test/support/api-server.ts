// The real API on an ephemeral port, against the test stack, for HTTP and browser tests.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../api/app';
import { buildDeps, closeDeps } from '../../api/build-deps';
import type { Deps } from '../../api/deps';
import { loadConfig, type Config } from '../../domain/infra/config';

export interface TestApi {
  url: string;
  deps: Deps;
  close(): Promise<void>;
}

export async function startApi(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<TestApi> {
  const config: Config = loadConfig({ ...process.env, ...overrides });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  const { app } = createApp(deps);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDeps(deps);
    },
  };
}
