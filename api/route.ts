// A route is declared once: its schemas validate the request and also write the OpenAPI
// spec, so the spec cannot drift from the code. Its access level is enforced in one place.
import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import type { Deps } from './deps';
import { guardInput } from './input-guard';
import { authorize, type Access } from './middleware/authorize';
import { sameOrigin, type SameOriginRule } from './middleware/same-origin';
import type { AppContext, AppState } from './state';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDef<B extends Schema = Schema, Q extends Schema = Schema, P extends Schema = Schema, H extends Schema = Schema> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /**
   * The CSRF rule of a mutating `/api` route; by default `required` for routes that act on a
   * session and `refuseCrossSite` for public ones. Routes outside `/api` (the Stripe webhook,
   * `/v1` with API keys) carry no cookie and are not checked.
   */
  sameOrigin?: SameOriginRule;
  /** Request headers the route reads, lower-case names. */
  headers?: H;
  /**
   * Documentation only, for a route that reads its own body (an upload in several formats,
   * api/middleware/raw-upload.ts): the spec's request body per media type.
   */
  rawBody?: { description: string; content: Record<string, z.ZodType> };
  /** `mediaType` defaults to application/json; for text/event-stream, `schema` is each event's JSON data. */
  responses: Record<number, { description: string; schema?: z.ZodType; mediaType?: string }>;
  handler: (ctx: AppContext, input: { body: Parsed<B>; query: Parsed<Q>; params: Parsed<P>; headers: Parsed<H> }, deps: Deps) => Promise<void>;
}

const mutating = new Set<Method>(['post', 'put', 'patch', 'delete']);

export function defineRoute<B extends Schema, Q extends Schema, P extends Schema, H extends Schema = undefined>(def: RouteDef<B, Q, P, H>): RouteDef<B, Q, P, H> {
  // Structural guarantee that a viewer cannot mutate: no mutating route may ask only for `read`.
  if (mutating.has(def.method) && def.access === 'read') {
    throw new Error(`${def.method.toUpperCase()} ${def.path}: a mutating route needs more than read access`);
  }
  return def;
}

// The registry holds routes of any schema; the handler types were checked at defineRoute.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any, any>;

function parse<S extends Schema>(schema: S, value: unknown, location: 'body' | 'query' | 'params' | 'header'): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `The request ${location} is invalid.`, {
      fields: result.error.issues.map((i) => ({ path: [location, ...i.path.map(String)].join('.'), message: i.message })),
    });
  }
  return result.data as Parsed<S>;
}

/** The CSRF rule a route runs under, or null when it is not checked (see RouteDef.sameOrigin). */
export function sameOriginRule(route: AnyRoute): SameOriginRule | null {
  if (!mutating.has(route.method) || !route.path.startsWith('/api/') || route.access === 'apiKey') return null;
  return route.sameOrigin ?? (route.access === 'public' ? 'refuseCrossSite' : 'required');
}

/** A route's input, checked as every route's is (by mount below, and by the widget edge). */
export function routeInput<R extends AnyRoute>(route: R, raw: { headers: unknown; body: unknown; query: unknown; params: unknown }) {
  // Before any schema, and whether the route declares one: a handler may read ctx.params
  // itself. Headers need no guard (Node's parser refuses a NUL; they do not nest).
  guardInput(raw.params, 'params');
  guardInput(raw.query, 'query');
  guardInput(raw.body, 'body');
  return {
    headers: parse(route.headers, raw.headers, 'header'),
    body: parse(route.body, raw.body, 'body'),
    query: parse(route.query, raw.query, 'query'),
    params: parse(route.params, raw.params, 'params'),
  };
}

export function mount(router: Router<AppState>, routes: AnyRoute[], deps: Deps): void {
  for (const route of routes) {
    const rule = sameOriginRule(route);
    // Before authorize: a forged request neither reads nor extends the session.
    const guards = rule ? [sameOrigin(rule, deps.config.api.publicUrl), authorize(route.access, deps)] : [authorize(route.access, deps)];
    router[route.method](route.path, ...guards, async (ctx) => {
      const c = ctx as unknown as AppContext;
      if (route.body && !c.is('application/json')) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
      }
      const body = (c.request as { body?: unknown }).body ?? {};
      await route.handler(c, routeInput(route, { headers: c.headers, body, query: c.query, params: c.params }), deps);
    });
  }
}
