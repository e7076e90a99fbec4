// The embeddable widget: its script, and the public configuration it renders from.
import { z } from 'zod';
import { photoAppSlugs } from '../../domain/engines';
import { payableApp, testModeOf } from '../metering/charge';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { widgetScript } from '../widget/script';

const configurationView = z.object({
  app: z.string().meta({ example: 'pd-calculator' }),
  name: z.string().meta({ example: 'PD Calculator' }),
  costTokens: z.number().int().positive(),
  configuration: z
    .record(z.string(), z.unknown())
    .meta({ description: "The brand's current settings of the app, every field present (defaults where never set): placement, theme, buttonText, locale and the app's own." }),
  testMode: z.literal(true).optional().meta({ description: 'Present when the key is a test key: uses are paid from the sandbox, never billed.' }),
  photo: z
    .literal(true)
    .optional()
    .meta({ description: "Present for an app that measures from a shopper's photo: the widget opens its photo dialog and sends only the landmarks (input.landmarks)." }),
});

export const widgetRoutes = [
  defineRoute({
    method: 'get',
    path: '/widget.js',
    summary: 'The embeddable widget script; a storefront loads it with data-varai-key and data-varai-app attributes',
    tag: 'widgets',
    access: 'public',
    responses: {
      200: { description: 'application/javascript, cacheable for a few minutes, with an ETag' },
      304: { description: 'The If-None-Match ETag is current' },
    },
    async handler(ctx) {
      ctx.status = 200;
      ctx.set('Cache-Control', `public, max-age=${widgetScript.maxAgeSeconds}`);
      ctx.set('ETag', widgetScript.etag);
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.type = 'application/javascript; charset=utf-8';
      ctx.body = widgetScript.source;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/widget-config/:slug',
    summary: "The brand's configuration of an app as its widget renders it (widgets, with an API key; cached per process, dropped on every change)",
    tag: 'widgets',
    access: 'apiKey',
    params: z.object({ slug: z.string().min(1).max(64) }),
    responses: {
      200: { description: 'The configuration, merged over the defaults', schema: configurationView },
      401: { description: 'INVALID_API_KEY', schema: errorSchema },
      403: { description: 'APP_NOT_ACTIVE, APP_NOT_RELEASED (outside its rollout), KEY_NOT_ALLOWED_FOR_APP or ORIGIN_NOT_ALLOWED', schema: errorSchema },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
      503: { description: 'APP_DISABLED: an operator switched the app off (Retry-After)', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const key = ctx.state.apiKey!;
      const app = await payableApp(deps, key, params.slug, 'params.slug');
      ctx.body = { ...(await deps.metering.widgetConfigs.get(key.customerId, app)), ...testModeOf(key), ...(photoAppSlugs.has(app.slug) ? { photo: true as const } : {}) };
    },
  }),
];
