// Stops an HTTP server within a bound. server.close() alone waits for every open connection to
// end, and a portal's SSE stream (/api/usage/stream) never ends by itself: a stop would hang
// until the process is killed. In-flight requests get `drainMs`; then every socket is closed
// (the browser's EventSource reconnects, to another instance).
import type { Server } from 'node:http';

/** Resolves true when every connection ended within `drainMs`, false when some were cut. */
export async function closeServer(server: Server, drainMs: number): Promise<boolean> {
  if (!server.listening) return true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    closed.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), drainMs);
    }),
  ]);
  clearTimeout(timer);
  if (!drained) {
    server.closeAllConnections();
    await closed;
  }
  return drained;
}
