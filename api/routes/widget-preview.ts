// The page the portal frames as its live widget preview. It carries no brand data: the real
// /widget.js runs on it in preview mode and draws whatever draft configuration the framing portal
// page posts to it (same origin only), and never calls the API, so a preview spends nothing.
import { z } from 'zod';
import { settingsSchemaFor } from '../../domain/catalog/app-settings';
import { photoAppSlugs } from '../../domain/engines';
import { AppError } from '../../domain/errors';
import { widgetPreviewCsp } from '../middleware/security-headers';
import { defineRoute } from '../route';
import { faceRuntimePaths } from '../widget/face-runtime';
import { errorSchema } from '../schemas/common';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A product page in miniature, so placement and colours are seen as a shopper would see them. */
export function previewPage(slug: string, photo = false): string {
  const app = escapeHtml(slug);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Widget preview · ${app}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:1rem;color:#222;background:#fff}h1{font-size:1.1rem;margin:0 0 .25rem}p{margin:0 0 .5rem;color:#555}.photo{height:5rem;background:#e9ecf2;border-radius:6px;margin-bottom:.75rem}</style>
</head>
<body>
<main>
<div class="photo" role="img" aria-label="Frame photo"></div>
<h1>Juniper Square</h1>
<p>Acetate, 52-18-145 · $129.00</p>
<script src="/widget.js" data-varai-app="${app}" data-varai-preview${photo ? ' data-varai-photo' : ''}></script>
</main>
</body>
</html>
`;
}

export const widgetPreviewRoutes = [
  defineRoute({
    method: 'get',
    path: '/preview/widget/:slug',
    summary: "The portal's live preview of an app's widget: /widget.js in preview mode, drawing the draft configuration the framing portal page posts to it",
    tag: 'widgets',
    access: 'public',
    params: z.object({ slug: z.string().min(1).max(64) }),
    responses: {
      200: { description: 'text/html; framed only by the portal (frame-ancestors self), connects nowhere' },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
    },
    async handler(ctx, { params }) {
      if (!settingsSchemaFor(params.slug)) throw new AppError('UNKNOWN_APP', `No app is called "${params.slug}".`, { field: 'params.slug' });
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      // This page alone may be framed, and only by our own origin: the global DENY stays for the rest.
      const photo = photoAppSlugs.has(params.slug);
      ctx.set('Content-Security-Policy', widgetPreviewCsp(photo ? `${ctx.protocol}://${ctx.host}${faceRuntimePaths.models}` : undefined));
      ctx.set('X-Frame-Options', 'SAMEORIGIN');
      ctx.body = previewPage(params.slug, photo);
    },
  }),
];
