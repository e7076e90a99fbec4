// The typed ctx.state of every request.
import type { RouterContext } from '@koa/router';
import type { Logger } from 'pino';
import type { Role } from '../domain/roles';
import type { ResolvedApiKey } from './metering/api-key-cache';

/** A user as the API shows it; also who is acting on a request. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  customerId: string | null;
  customerName: string | null;
}

export type AuthContext = UserView;

export interface AppState {
  requestId: string;
  log: Logger;
  auth?: AuthContext;
  /** Set on `apiKey` routes. */
  apiKey?: ResolvedApiKey;
  /** A publishable key's page origin, as checked against its allowed origins (the first-call record keeps it). */
  keyOrigin?: string;
}

export type AppContext = RouterContext<AppState>;
