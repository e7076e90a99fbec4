// A product page with the widget snippet pasted in, to try a key end to end on a laptop.
// Local mode only: production answers 404, as if the page did not exist.
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { demoStorefrontCsp } from '../middleware/security-headers';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

/** Typed-in inputs that run an app without a photo (domain/engines/README.md), with input=example. */
const exampleInputs: Record<string, unknown> = {
  'pd-calculator': { leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } },
};

const query = z.object({
  key: z.string().min(1).max(200).meta({ description: "A publishable key (vpk_live_… or vpk_test_…) of the brand whose widget to show; it must allow this API's own origin." }),
  app: z.string().min(1).max(64).default('pd-calculator'),
  input: z
    .enum(['photo', 'example'])
    .default('photo')
    .meta({ description: "photo: a photo app's button opens the photo dialog; example: the snippet carries a fixed data-varai-input, as a storefront that measures by itself would" }),
});

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function storefrontPage(origin: string, key: string, app: string, mode: 'photo' | 'example' = 'photo'): string {
  const input = mode === 'example' ? exampleInputs[app] : undefined;
  const inputAttr = input ? ` data-varai-input="${escapeHtml(JSON.stringify(input))}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo storefront · ${escapeHtml(app)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}.product{display:grid;grid-template-columns:1fr 1fr;gap:2rem}.photo{aspect-ratio:4/3;background:#e9ecf2;border-radius:8px}</style>
</head>
<body>
<h1>Demo storefront</h1>
<div class="product">
<div class="photo" role="img" aria-label="Frame photo"></div>
<div>
<h2>Juniper Square</h2>
<p>Acetate, 52-18-145 · $129.00</p>
<p id="varai-app">App: <code>${escapeHtml(app)}</code></p>
<script src="${escapeHtml(origin)}/widget.js" data-varai-key="${escapeHtml(key)}" data-varai-app="${escapeHtml(app)}"${inputAttr} async></script>
</div>
</div>
</body>
</html>
`;
}

export const demoStorefrontRoutes = [
  defineRoute({
    method: 'get',
    path: '/demo/storefront',
    summary: 'A demo product page with the widget embedded (local mode only; 404 in production)',
    tag: 'widgets',
    access: 'public',
    query,
    responses: {
      200: { description: 'text/html' },
      404: { description: 'ROUTE_NOT_FOUND in production', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: key is required', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      if (deps.config.env === 'production') throw new AppError('ROUTE_NOT_FOUND', 'No such route.');
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      // A page of its own kind: it runs the widget, which the portal's policy would not let it style.
      ctx.set('Content-Security-Policy', demoStorefrontCsp);
      // ctx.origin is the Origin request header in koa 3; the page wants this API's own origin.
      ctx.body = storefrontPage(`${ctx.protocol}://${ctx.host}`, query.key, query.app, query.input);
    },
  }),
];
