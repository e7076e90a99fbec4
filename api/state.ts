// The typed ctx.state of every request.
import type { RouterContext } from '@koa/router';
import type { Logger } from 'pino';
import type { Role } from '../domain/roles';

export interface AuthContext {
  userId: string;
  email: string;
  name: string;
  role: Role;
  customerId: string | null;
  customerName: string | null;
}

export interface AppState {
  requestId: string;
  log: Logger;
  auth?: AuthContext;
}

export type AppContext = RouterContext<AppState>;
