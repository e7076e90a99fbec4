// The drawn frame images of virtual try-on. The name is the whole drawing spec, so an answer
// never changes: it is cached for a year, immutable, and needs neither a key nor a lookup.
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { drawFrame, parseFrameDrawingName } from '../../domain/engines/frame-drawing';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const yearSeconds = 31_536_000;

export const frameDrawingRoutes = [
  defineRoute({
    method: 'get',
    path: '/widget/frames/:drawing',
    summary: "A frame's front view as SVG, drawn from its shape, colour, material and sizes (the virtual-try-on result's frame.imageUrl)",
    tag: 'widgets',
    access: 'public',
    params: z.object({ drawing: z.string().min(1).max(80).meta({ example: 'round_black_acetate_48-20-140.svg' }) }),
    responses: {
      200: { description: 'image/svg+xml; the drawing is 1 unit per mm, its centre the bridge centre; cached for a year' },
      404: { description: 'NOT_FOUND: the name describes no drawable frame', schema: errorSchema },
    },
    async handler(ctx, { params }) {
      const spec = parseFrameDrawingName(params.drawing);
      if (!spec) throw new AppError('NOT_FOUND', 'No frame drawing has this name.');
      ctx.set('Cache-Control', `public, max-age=${yearSeconds}, immutable`);
      // An SVG opened on its own is a document: it may not run or load anything.
      ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      ctx.type = 'image/svg+xml';
      ctx.body = drawFrame(spec);
    },
  }),
];
