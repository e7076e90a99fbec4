// The widget edge: POST /v1/consume answered straight from node's request, before koa. Widgets
// call it at rates no other route sees, and koa's context objects and one async frame per
// middleware (request id, headers, 4xx counting, errors, latency, CORS, body parser, router,
// authorisation, validation) cost the request more than the debit does: 61–63 µs of CPU against
// 24 µs for the same debit behind a bare node:http handler (docs/PERFORMANCE.md, fifth pass).
//
// It is not a second implementation. Every decision is the function the koa path calls:
// admitApiKey, routeInput (the route's own zod schemas), consume (the route's handler),
// errorAnswer, securityHeaderList, pageReadable, noteClientError, the latency histogram and the
// access log. What is here is the HTTP plumbing those middleware stood for. A request it is not
// sure to read exactly as the body parser would (no or a large Content-Length, a compressed body,
// a charset other than UTF-8, a query string, a same-origin call with no Origin) is left to koa,
// untouched, and answered there the same way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseBourne } from '@hapi/bourne';
import type Koa from 'koa';
import type { Histogram } from 'prom-client';
import { AppError } from '../../domain/errors';
import type { Deps } from '../deps';
import { noteClientError } from '../middleware/client-errors';
import { admitApiKey } from '../middleware/authorize';
import { errorAnswer } from '../middleware/errors';
import { logAccess, RequestState, requestIdFrom } from '../middleware/request-context';
import { securityHeaderList } from '../middleware/security-headers';
import { pageReadable, pageReadableHeaders } from '../middleware/widget-cors';
import { routeInput, type AnyRoute } from '../route';
import { consume } from '../routes/consume';
import type { AppState } from '../state';

export const edgePath = '/v1/consume';
/** The body parser's jsonLimit (api/app.ts): a larger body goes to koa, which refuses it. */
const bodyLimitBytes = 64 * 1024;
/** What the route accepts as JSON and the body parser decodes as UTF-8 without a second look. */
const jsonType = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;
/** co-body's strict mode: only an object or an array. */
const strictJson = /^[ \t\n\r]*[[{]/;

export interface EdgeOptions {
  deps: Deps;
  /** Its proxy settings decide the client address and https, as koa's ctx.ip and ctx.secure do. */
  koa: Pick<Koa, 'proxy' | 'proxyIpHeader' | 'maxIpsCount'>;
  latency: Histogram<'method' | 'route' | 'status'>;
  /** The /v1/consume route definition: its schemas. */
  route: AnyRoute;
}

/** Koa's ctx.ip: the first of the trusted X-Forwarded-For hops behind a proxy, else the peer. */
export function clientIp(req: IncomingMessage, koa: EdgeOptions['koa']): string {
  const forwarded = koa.proxy ? req.headers[koa.proxyIpHeader.toLowerCase()] : undefined;
  let ips = typeof forwarded === 'string' && forwarded ? forwarded.split(',').map((v) => v.trim()) : [];
  if (koa.maxIpsCount > 0) ips = ips.slice(-koa.maxIpsCount);
  return ips[0] || req.socket.remoteAddress || '';
}

/** Koa's ctx.secure. */
function isHttps(req: IncomingMessage, koa: EdgeOptions['koa']): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (!koa.proxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  return typeof proto === 'string' && proto.split(',', 1)[0]!.trim().toLowerCase() === 'https';
}

/** Whether the edge answers this request; decided on the request line and headers alone. */
export function edgeTakes(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== edgePath) return false;
  const h = req.headers;
  const length = Number(h['content-length']);
  if (!(length > 0 && length <= bodyLimitBytes)) return false;
  if (h['content-encoding'] !== undefined && h['content-encoding'] !== 'identity') return false;
  if (!jsonType.test(h['content-type'] ?? '')) return false;
  // A publishable key's origin without Origin comes from koa's view of our own host (authorize.ts).
  return !(!h.origin && h['sec-fetch-site'] === 'same-origin');
}

/** The whole body as text, or null when the client went away first (nothing to answer then). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      // The body parser's decoder drops a byte-order mark; JSON.parse would refuse it.
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null));
  });
}

/** The body parser's reading of a JSON body (co-body, strict, prototype poisoning refused). */
function parseJson(text: string): unknown {
  if (!strictJson.test(text)) throw new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  try {
    return parseBourne(text, { protoAction: 'error' });
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  }
}

const flat = (pairs: readonly (readonly [string, string])[]) => pairs.flat();

/**
 * The request listener's first look: true when the edge took the request (and will answer it),
 * false to hand it to koa.
 */
export function consumeEdge({ deps, koa, latency, route }: EdgeOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const logger = deps.logger;
  // The same list for every answer of this path; only https changes it.
  const headersOver = { http: flat(securityHeaderList(edgePath, false)), https: flat(securityHeaderList(edgePath, true)) };
  const cors = flat(pageReadableHeaders);
  const cookieSecure = deps.config.session.cookieSecure;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const timer = latency.startTimer();
    const started = logger.isLevelEnabled('info') ? process.hrtime.bigint() : null;
    const h = req.headers;
    const state = new RequestState(logger, requestIdFrom(typeof h['x-request-id'] === 'string' ? h['x-request-id'] : undefined)) as unknown as AppState;
    const ip = clientIp(req, koa);
    let status = 200;
    let body: unknown;
    let retryAfter: string | undefined;
    // The router's template, as the latency histogram labels it: a body the parser refused never
    // reached the router (api/middleware/metrics.ts labels that 'static').
    let routeLabel = edgePath;
    try {
      const text = await readBody(req);
      if (text === null) return;
      let raw: unknown;
      try {
        raw = parseJson(text);
      } catch (err) {
        routeLabel = 'static';
        throw err;
      }
      await admitApiKey(deps, h.authorization ?? '', () => h.origin || undefined, state);
      const input = routeInput(route, { headers: h, body: raw, query: {}, params: {} });
      body = await consume(deps, state, ip, input);
    } catch (err) {
      const answer = errorAnswer(err, state);
      status = answer.status;
      body = answer.body;
      retryAfter = answer.retryAfter;
    }
    const json = JSON.stringify(body);
    const headers = ['X-Request-Id', state.requestId, ...(cookieSecure || isHttps(req, koa) ? headersOver.https : headersOver.http)];
    if (pageReadable(state.apiKey)) headers.push(...cors);
    if (retryAfter !== undefined) headers.push('Retry-After', retryAfter);
    headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(json)));
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(status, headers);
      res.end(json);
    }
    noteClientError(deps, status, body, state.apiKey, ip);
    timer({ method: 'POST', route: routeLabel, status: String(status) });
    if (started !== null) logAccess(state, { method: 'POST', path: edgePath, status, started });
  }

  return function edge(req, res) {
    if (!edgeTakes(req)) return false;
    serve(req, res).catch((err: unknown) => {
      // Only writing the answer can fail here (the socket went away mid-write): nothing to tell anyone.
      logger.warn({ err }, 'widget edge: the answer could not be written');
    });
    return true;
  };
}
