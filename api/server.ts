// Process entry for the API: builds the real dependencies, listens, and shuts down cleanly.
import pino from 'pino';
import type { Server } from 'node:http';
import { loadConfig } from '../domain/infra/config';
import { buildDeps, closeDeps } from './build-deps';
import { createApp } from './app';

export async function startServer(config = loadConfig()): Promise<{ server: Server; close(): Promise<void> }> {
  const logger = pino({ level: config.logLevel, base: { service: 'api' } });
  const deps = await buildDeps(config, logger);
  const { app } = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.api.port, config.api.host, () => resolve(s));
  });
  logger.info({ url: config.api.publicUrl }, 'api listening');
  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closeDeps(deps);
    },
  };
}

if (require.main === module) {
  startServer()
    .then(({ close }) => {
      const stop = () => void close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
