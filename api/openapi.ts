// Builds the OpenAPI document from the route definitions themselves.
import { z } from 'zod';
import { version } from '../package.json';
import type { AnyRoute } from './route';

const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

export function buildOpenApi(routes: AnyRoute[], info: { serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/[/:{}.-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: r.access === 'public' ? [] : r.access === 'apiKey' ? [{ apiKey: [] }] : [{ sessionCookie: [] }],
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, res]) => [
          status,
          res.schema ? { description: res.description, content: { 'application/json': { schema: jsonSchema(res.schema, 'output') } } } : { description: res.description },
        ]),
      ),
    };
    if (r.access !== 'public' && r.access !== 'apiKey') op['x-required-access'] = r.access;
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    const parameters = [
      ...paramsOf(r.params, 'path'),
      ...paramsOf(r.query, 'query'),
      ...paramsOf(r.headers, 'header'),
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
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'varai_session' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'A brand API key (vk_…), created in the portal by an admin.' },
      },
    },
    paths,
  };
}

function paramsOf(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s }));
}
