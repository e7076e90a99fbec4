// Serves the built Svelte portal on the API's origin. Hashed assets are cached for a year;
// index.html never, so a deploy is picked up on the next load.
import type { Middleware } from 'koa';
import send from 'koa-send';
import fs from 'node:fs';
import path from 'node:path';
import type { AppState } from '../state';

const apiPrefixes = ['/api', '/v1', '/webhooks', '/health', '/metrics', '/openapi.json', '/widget.js', '/widget', '/demo', '/preview'];

export function portal(distDir: string): Middleware<AppState> {
  const root = path.resolve(distDir);
  return async function servePortal(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || apiPrefixes.some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`))) {
      return next();
    }
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = 'The portal is not built yet. Run: npm run build:web';
      return;
    }
    // Checkout return links from before the hash route (`/billing?purchase=…`) still land on the billing page.
    if (ctx.path === '/billing' || ctx.path === '/billing/') {
      ctx.redirect(`/#/billing${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    const isAsset = ctx.path.startsWith('/assets/');
    const file = path.extname(ctx.path) ? ctx.path : '/index.html';
    try {
      await send(ctx, file, {
        root,
        setHeaders: (res) => res.setHeader('Cache-Control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache'),
      });
    } catch {
      return next();
    }
  };
}
