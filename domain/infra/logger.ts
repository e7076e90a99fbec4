// The one way to build a process logger. Logs are read by more people, and kept longer, than
// the data they describe, so secrets never reach them: named fields are censored wherever they
// sit (two levels deep), and database errors lose the values of their queries.
import pino, { type Logger } from 'pino';

/** Field names whose values are secret wherever they appear. */
const secretFields = [
  'password', 'newPassword', 'passwordHash', 'password_hash',
  'secret', 'plaintext', 'token', 'sessionToken', 'keyHash', 'key_hash',
  'authorization', 'cookie', 'set-cookie', 'stripe-signature',
  'secretKey', 'webhookSecret', 'apiKeySecret',
];

export const redactPaths = secretFields.flatMap((f) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`];
});

/**
 * PostgreSQL's own fields that quote row values ("Key (email)=(ann@…) already exists") or the
 * statement; the error keeps its code, table, column and constraint, which say what went wrong.
 */
const valueCarryingFields = ['detail', 'where', 'internalQuery', 'hint', 'parameters', 'params', 'sql', 'query'];

/** A driver error: MikroORM's wrapper (sqlState) or pg's own (a five-character SQLSTATE and a severity). */
function isDatabaseError(err: Record<string, unknown>): boolean {
  return 'sqlState' in err || (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && 'severity' in err);
}

/**
 * MikroORM (through knex) writes the statement with its parameters inlined into the message:
 * `insert into "users" (…) values ('ann@…', '$argon2id$…') - duplicate key …`. Quoted literals
 * become '?', and a value pg quotes after a colon ("for type uuid: "abc"") too.
 */
export function stripSqlValues(text: string): string {
  return text.replace(/'(?:[^']|'')*'/g, "'?'").replace(/: "(?:[^"]|"")*"/g, ': "?"').replace(/\n - detail: [^\n]*/g, '');
}

function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object' || !isDatabaseError(out)) return out;
  for (const f of valueCarryingFields) delete out[f];
  if (typeof out.message === 'string') out.message = stripSqlValues(out.message);
  if (typeof out.stack === 'string') out.stack = stripSqlValues(out.stack);
  return out;
}

export const loggerOptions = (level: string, service: string) => ({
  level,
  base: { service },
  redact: { paths: redactPaths, censor: '[redacted]' },
  serializers: { err: serializeError, error: serializeError },
});

export function createLogger(level: string, service: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level, service), destination) : pino(loggerOptions(level, service));
}
