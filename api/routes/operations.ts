import type { Registry } from 'prom-client';
import { defineRoute, type AnyRoute } from '../route';
import { buildOpenApi } from '../openapi';

export function operationRoutes(metrics: Registry, allRoutes: () => AnyRoute[], serverUrl: string) {
  let spec: unknown;
  return [
    defineRoute({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics, including request latency histograms by route',
      tag: 'operations',
      access: 'public',
      responses: { 200: { description: 'Prometheus text exposition format' } },
      async handler(ctx) {
        ctx.type = metrics.contentType;
        ctx.body = await metrics.metrics();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI document, generated from the route schemas',
      tag: 'operations',
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
      async handler(ctx) {
        spec ??= buildOpenApi(allRoutes(), { serverUrl });
        ctx.body = spec;
      },
    }),
  ];
}
