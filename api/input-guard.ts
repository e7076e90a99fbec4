// Shapes no route accepts, checked for every route before its zod schemas, so a new route is
// covered without a word: a NUL character (PostgreSQL refuses it in text and jsonb, so it would
// reach the database as a 500) and JSON nested deeper than any request of ours needs (zod and
// JSON.stringify recurse, and 5,000 levels overflow the stack). The walk is iterative for the
// same reason.
import { AppError } from '../domain/errors';

/** Deep enough for every schema we have (app settings are 2 levels, metadata a few). */
export const maxJsonDepth = 32;

type Location = 'body' | 'query' | 'params';

interface Finding {
  path: string;
  message: string;
}

const hasNul = (s: string) => s.includes('\u0000');

/** The first NUL (in a key or a string) and the first place deeper than maxJsonDepth, as field paths. */
export function inspectInput(value: unknown, location: Location): Finding | null {
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [location], depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (hasNul(v)) return { path: path.join('.'), message: 'must not contain a NUL character (\\u0000)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxJsonDepth) return { path: path.join('.'), message: `nested deeper than ${maxJsonDepth} levels` };
    for (const [key, child] of Object.entries(v)) {
      if (hasNul(key)) return { path: path.join('.'), message: 'a key must not contain a NUL character (\\u0000)' };
      stack.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
  }
  return null;
}

/**
 * 422 VALIDATION_FAILED naming the field, for a body or a query. A path parameter names a thing,
 * and no thing's name holds a NUL: 404, as for any unknown name.
 */
export function guardInput(value: unknown, location: Location): void {
  const found = inspectInput(value, location);
  if (!found) return;
  if (location === 'params') throw new AppError('NOT_FOUND', 'Nothing has this name.', { field: found.path });
  throw new AppError('VALIDATION_FAILED', `The request ${location} is invalid.`, { fields: [found] });
}
