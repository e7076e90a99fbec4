// Whether an error means a dependency (PostgreSQL, Redis, Stripe…) cannot be reached right now,
// rather than a bug: such a request is answered 503 SERVICE_UNAVAILABLE with Retry-After, never
// a bare 500. Recognised by shape (codes, names, the drivers' own messages), so the ground floor
// imports no driver.

/** Socket failures, whichever client saw them. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs of a server that is not serving: class 08 (connection exception),
 * 57P01-03 (shut down by an administrator or a crash, cannot connect now: starting or stopping),
 * 53300 (too many connections).
 */
const pgUnavailableState = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;

/** Names of the drivers' own "cannot reach it" errors (ioredis, MikroORM). */
const unavailableNames = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'ConnectionException']);

/** Messages that carry no code: node-postgres, its pool, knex and ioredis. */
const unavailableMessages = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Knex: Timeout acquiring a connection/,
  /^Connection is closed\.?$/,
  /Stream isn't writeable and enableOfflineQueue options is false/,
  /Client has encountered a connection error and is not queryable/,
  // knex's answer to the next query of a transaction whose connection died under it.
  /Transaction query already complete/,
];

export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; previous?: unknown };
  if (typeof e.code === 'string' && (networkCodes.has(e.code) || pgUnavailableState.test(e.code))) return true;
  if (typeof e.name === 'string' && unavailableNames.has(e.name)) return true;
  if (typeof e.message === 'string' && unavailableMessages.some((m) => m.test(e.message as string))) return true;
  return isDependencyUnavailable(e.cause, depth + 1) || isDependencyUnavailable(e.previous, depth + 1);
}
