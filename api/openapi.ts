// Builds the OpenAPI document from the route definitions themselves.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { version } from '../package.json';
import type { AnyRoute } from './route';

const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

type Named = Record<string, unknown>;

/**
 * Named schemas (`.meta({ id })`) are written once under components.schemas and referenced from
 * every use. zod puts them in a `$defs` beside each schema, but a `#/$defs/…` ref inside an
 * operation resolves against the document root, where no `$defs` are, so generators cannot follow it.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', named: Named) {
  const { $defs, $schema: _dialect, ...js } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown> & { $defs?: Named };
  for (const [id, def] of Object.entries($defs ?? {})) {
    const own = toComponentRefs(def);
    if (id in named && !isDeepStrictEqual(named[id], own)) throw new Error(`Two different schemas are named ${id} (request and response shapes must not share an id)`);
    named[id] = own;
  }
  return toComponentRefs(js);
}

function toComponentRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(toComponentRefs) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : toComponentRefs(v)]),
  ) as T;
}

export function buildOpenApi(routes: AnyRoute[], info: { serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Named = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/[/:{}.-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: r.access === 'public' ? [] : r.access === 'apiKey' ? [{ apiKey: [] }] : [{ sessionCookie: [] }],
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, res]) => [
          status,
          res.schema ? { description: res.description, content: { [res.mediaType ?? 'application/json']: { schema: jsonSchema(res.schema, 'output', schemas) } } } : { description: res.description },
        ]),
      ),
    };
    if (r.access !== 'public' && r.access !== 'apiKey') op['x-required-access'] = r.access;
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input', schemas) } } };
    if (r.rawBody) {
      const content = Object.fromEntries(Object.entries(r.rawBody.content).map(([type, schema]) => [type, { schema: jsonSchema(schema, 'input', schemas) }]));
      op.requestBody = { required: true, description: r.rawBody.description, content };
    }
    const parameters = [
      ...paramsOf(r.params, 'path', schemas),
      ...paramsOf(r.query, 'query', schemas),
      ...paramsOf(r.headers, 'header', schemas),
    ];
    if (parameters.length) op.parameters = parameters;
    (paths[toOpenApiPath(r.path)] ??= {})[r.method] = op;
  }
  // The webhook is a plain router (it must read the raw body before any parser), so it is
  // described here rather than through defineRoute.
  paths['/webhooks/stripe'] = {
    post: {
      summary: 'Stripe webhook: signature checked on the raw body, event id stored once, work handed to Temporal',
      tags: ['billing'],
      operationId: 'postWebhooksStripe',
      security: [],
      parameters: [{ name: 'stripe-signature', in: 'header', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'A Stripe event' } } } },
      responses: {
        200: { description: '{ received: true } — or { received: true, duplicate: true } for an event already received' },
        400: { description: 'INVALID_SIGNATURE: missing, wrong or stale signature' },
        413: { description: 'PAYLOAD_TOO_LARGE: over 512 KB' },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'VARAi Connected Apps API', version },
    servers: [{ url: info.serverUrl }],
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'varai_session' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'A brand API key (vk_…), created in the portal by an admin.' },
      },
    },
    paths,
  };
}

function paramsOf(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header', named: Named) {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input', named) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s }));
}
