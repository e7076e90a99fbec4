// Process entry for the API: builds the real dependencies, listens, and shuts down within a
// bound (its stop_grace_period is 20 s, docker-compose.yml).
import type { Server } from 'node:http';
import { loadConfig, loadConfigOrExit } from '../domain/infra/config';
import { exitIfStuck } from '../domain/infra/shutdown';
import { buildDeps, closeDeps } from './build-deps';
import { closeServer } from './close-server';
import { createApp } from './app';
import { createLogger } from '../domain/infra/logger';

/** In-flight requests get this long to finish on a stop; SSE streams are then cut. */
const defaultDrainMs = 10_000;
/** Drain, then each connection's own bound (closeDeps): still under the 20 s grace period. */
const exitAfterMs = 18_000;

export async function startServer(config = loadConfig(), drainMs = defaultDrainMs): Promise<{ server: Server; close(): Promise<void> }> {
  const logger = createLogger(config.logLevel, 'api');
  const deps = await buildDeps(config, logger);
  const { listen } = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = listen(config.api.port, config.api.host).once('listening', () => resolve(s));
  });
  logger.info({ url: config.api.publicUrl }, 'api listening');
  return {
    server,
    async close() {
      if (!(await closeServer(server, drainMs))) logger.warn({ drainMs }, 'shutdown: connections still open after the drain were closed');
      await closeDeps(deps);
    },
  };
}

if (require.main === module) {
  startServer(loadConfigOrExit())
    .then(({ close }) => {
      const stop = () => {
        exitIfStuck(exitAfterMs, (message) => console.error(message));
        void close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
