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

export function describeError(err: unknown): Problem {
  if (err instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const field of err.details?.fields ?? []) {
      // Paths may be qualified ("body.email"); forms key their inputs by the last segment.
      const name = String(field.path).split(/[.,]/).pop() ?? '';
      fields[name] ??= field.message;
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
