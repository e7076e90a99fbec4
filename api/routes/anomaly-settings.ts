// The brand's anomaly choice (docs/SUPPORT.md, "Anomaly alerts"): whether the anomaly watch
// pauses an API key whose usage spikes or that floods 4xx. Alerts go out either way.
import { z } from 'zod';
import { anomalySettings, updateAnomalySettings } from '../../domain/anomaly/pause';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const settingsSchema = z
  .object({
    pauseKeysOnAnomaly: z.boolean().meta({ description: 'Pause a key on a usage spike or a 4xx flood of its own, until an admin resumes it. Off by default.' }),
  })
  .meta({ id: 'AnomalySettings' });

const updateBody = z.object({ pauseKeysOnAnomaly: z.boolean() }).strict();

export const anomalySettingsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/anomaly-settings',
    summary: "The brand's anomaly settings (any brand role)",
    tag: 'api-keys',
    access: 'read',
    responses: {
      200: { description: 'The settings', schema: settingsSchema },
      401: { description: 'UNAUTHENTICATED', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      ctx.body = await anomalySettings(deps.orm.em.fork(), customerIdOf(ctx));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/anomaly-settings',
    summary: 'Chooses whether the anomaly watch pauses an offending API key (admin only, audited)',
    tag: 'api-keys',
    access: 'administer',
    body: updateBody,
    responses: {
      200: { description: 'Saved', schema: settingsSchema },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: body.pauseKeysOnAnomaly', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      ctx.body = await updateAnomalySettings(deps.orm.em.fork(), customerIdOf(ctx), ctx.state.auth!.id, body, ctx.state.requestId);
    },
  }),
];
