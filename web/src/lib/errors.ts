// The portal's one error handler: every caught error becomes something a person can read.
import { ApiError } from './api';

export interface Problem {
  /** Shown in the form or page alert. */
  message: string;
  /** Field path → message, from a 422 VALIDATION_FAILED answer. */
  fields: Record<string, string>;
  /** Quoted to support so they can find the request in the logs. */
  requestId?: string;
}

/** Request locations that qualify a path ("body.email"); the rest names the field. */
const LOCATIONS = new Set(['body', 'query', 'params']);

/**
 * Forms key their inputs by the top-level field, so "body.email" → "email" and an item of a list,
 * "body.appScopes.0", → "appScopes": the message belongs next to the list.
 */
function fieldName(path: string): string {
  const segments = path.split(/[.,]/);
  if (segments.length > 1 && LOCATIONS.has(segments[0]!)) segments.shift();
  return segments[0] ?? '';
}

export function describeError(err: unknown): Problem {
  if (err instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const field of err.details?.fields ?? []) {
      fields[fieldName(String(field.path))] ??= field.message;
    }
    return { message: err.message, fields, requestId: err.requestId };
  }
  if (err instanceof TypeError) {
    // fetch rejects with a TypeError when the network or server is unreachable.
    return { message: 'We could not reach VARAi. Check your connection and try again.', fields: {} };
  }
  console.error(err);
  return { message: 'Something went wrong. Please try again.', fields: {} };
}
