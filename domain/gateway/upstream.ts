// The HTTP adapter for apps whose AI runs elsewhere (try-on, contact lenses, conversation).
// The contract with the upstream: POST { app, input } as JSON, a 2xx JSON body is the result.
import { AppError } from '../errors';

export async function callUpstream(url: string, app: string, input: unknown, timeoutMs: number): Promise<unknown> {
  let res: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ app, input }),
      signal,
    });
  } catch {
    // The signal, not the error's shape, says whether time ran out: fetch wraps errors differently across runtimes.
    throw signal.aborted
      ? new AppError('UPSTREAM_TIMEOUT', `The ${app} service did not answer within ${timeoutMs} ms.`)
      : new AppError('UPSTREAM_FAILED', `The ${app} service could not be reached.`);
  }
  if (!res.ok) throw new AppError('UPSTREAM_FAILED', `The ${app} service answered ${res.status}.`, { upstreamStatus: res.status });
  try {
    return await res.json();
  } catch {
    throw new AppError('UPSTREAM_FAILED', `The ${app} service answered with something that is not JSON.`);
  }
}
