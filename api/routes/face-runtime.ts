// The face runtime's files, which widget.js imports only when a shopper opens a photo app: public,
// versioned by path, cached for a year, readable from any storefront (CORS *, and
// Cross-Origin-Resource-Policy cross-origin: widget-cors.ts and security-headers.ts).
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { immutableCache, modelFile, moduleFile, type RuntimeFile } from '../widget/face-runtime';

const params = z.object({
  version: z.string().min(1).max(40),
  file: z.string().min(1).max(40),
});

function send(ctx: Context, file: RuntimeFile): void {
  ctx.set('Cache-Control', immutableCache);
  ctx.vary('Accept-Encoding');
  ctx.type = file.type;
  if (file.gzipped && ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = file.gzipped;
  } else ctx.body = file.body;
}

// A version that is not this deploy's is a 404, never today's bytes under yesterday's name:
// the browser would keep them for a year.
const notFound = () => new AppError('NOT_FOUND', 'No such file of the face runtime.', { field: 'params.file' });

export const faceRuntimeRoutes = [
  defineRoute({
    method: 'get',
    path: '/widget/face/:version/:file',
    summary: "The face landmark module (landmarks.js) and the runtime it imports (human.esm.js), loaded by widget.js when a shopper opens a photo app; the path names the version",
    tag: 'widgets',
    access: 'public',
    params,
    responses: {
      200: { description: 'text/javascript (an ES module), gzipped when accepted, Cache-Control immutable for a year' },
      404: { description: 'NOT_FOUND: another version or file', schema: errorSchema },
    },
    async handler(ctx, { params }) {
      const file = moduleFile(params.version, params.file);
      if (!file) throw notFound();
      send(ctx, await file);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/widget/models/:version/:file',
    summary: 'The face detector, face mesh and iris models (JSON topology and binary weights) the landmark module loads; the path names the runtime version',
    tag: 'widgets',
    access: 'public',
    params,
    responses: {
      200: { description: 'application/json or application/octet-stream, Cache-Control immutable for a year' },
      404: { description: 'NOT_FOUND: another version, or a model the landmark module does not use', schema: errorSchema },
    },
    async handler(ctx, { params }) {
      const file = modelFile(params.version, params.file);
      if (!file) throw notFound();
      send(ctx, await file);
    },
  }),
];
