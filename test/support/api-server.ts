// The real API on an ephemeral port, against the test stack, for HTTP and browser tests.
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createApp } from '../../api/app';
import { buildDeps, closeDeps } from '../../api/build-deps';
import { closeServer } from '../../api/close-server';
import type { Deps } from '../../api/deps';
import type { AnyRoute } from '../../api/route';
import { loadConfig, type Config } from '../../domain/infra/config';
import { warnToStderr } from '../../domain/infra/shutdown';

export interface TestApi {
  url: string;
  deps: Deps;
  /** The route table the app was built from (the security suite sweeps it). */
  routes: AnyRoute[];
  close(): Promise<void>;
}

/** `logger`: to read what the API logs (silent otherwise). */
export async function startApi(overrides: Partial<NodeJS.ProcessEnv> = {}, opts: { logger?: Logger } = {}): Promise<TestApi> {
  const config: Config = loadConfig({ ...process.env, ...overrides });
  const deps = await buildDeps(config, opts.logger ?? pino({ level: 'silent' }));
  const { listen, routes } = createApp(deps);
  const server = listen(0, '127.0.0.1');
  // Node closes an idle keep-alive socket after 5 s, and fetch (undici) reuses one idle for
  // a little less than the timeout the server announces: on a loaded machine the two timers
  // cross, a request goes out on a socket the server is closing, and fetch fails with
  // ECONNRESET (reconciler-crash's 100 parallel consumes, after a few seconds of database
  // setup). A file never idles for a minute, so that crossing never comes; close() cuts the
  // sockets whatever their timeout.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    routes,
    /** Cuts open connections (an SSE stream never ends by itself), then each dependency within its own bound. */
    async close() {
      await closeServer(server, 0);
      await closeDeps(deps, warnToStderr);
    },
  };
}
