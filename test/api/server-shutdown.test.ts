// The API process stops within a bound on SIGTERM: server.close() alone waits for every open
// connection, and a portal's SSE stream never ends by itself, so a deploy's stop would hang
// until the orchestrator kills the process.
import { sessionCookie } from '../../api/session';
import { startServer } from '../../api/server';
import { loadConfig } from '../../domain/infra/config';
import { signUp } from '../support/http';
import { freePort } from '../support/ports';

it('stops within its drain time plus seconds while a portal’s SSE stream is open, cutting the stream', async () => {
  const port = await freePort();
  const drainMs = 1_000;
  const { close } = await startServer(loadConfig({ ...process.env, API_HOST: '127.0.0.1', API_PORT: String(port) }), drainMs);
  const url = `http://127.0.0.1:${port}`;
  const { session } = await signUp(url);
  const stream = await fetch(`${url}/api/usage/stream`, { headers: { cookie: `${sessionCookie}=${session.cookie(sessionCookie)}` } });
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = stream.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: balance');

  const started = Date.now();
  await close();
  expect(Date.now() - started).toBeLessThan(drainMs + 8_000);
  // The stream was ended by the server, not left open.
  const rest = await reader.read().then(
    (r) => (r.done ? 'ended' : 'data'),
    () => 'cut',
  );
  expect(rest).not.toBe('data');
});
