import { AppError } from '../domain/errors';
import type { AppContext } from './state';

/** Brand data is scoped by the session's customer, never by an id taken from the request. */
export function customerIdOf(ctx: AppContext): string {
  const id = ctx.state.auth?.customerId;
  if (!id) throw new AppError('FORBIDDEN', 'This action belongs to a brand account.');
  return id;
}
