// Turning an app on and off for the brand. The request is recorded (the portal shows
// `activating` / `deactivating` at once) and handed to the appActivation workflow, which sets the
// outcome; GET /api/apps/:slug shows it. Both answer 202: the work happens after the answer.
import { z } from 'zod';
import { requestActivation } from '../../clients/temporal-client';
import { recordActivationRequest, undoActivationRequest, type ActivationAction } from '../../domain/activation/requests';
import { catalogEntry } from '../../domain/catalog/catalog-view';
import { assertEntitled } from '../../domain/catalog/entitlement';
import { activationStatuses } from '../../domain/entities/customer-app';
import { AppError } from '../../domain/errors';
import type { Deps } from '../deps';
import { assertAppOpen } from '../metering/flag-table';
import { actorOf, auditRoute } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

const params = z.object({ slug: z.string().min(1).max(64) });

const acceptedSchema = z.object({
  activation: z.object({
    status: z.enum(activationStatuses).meta({ description: 'The status now shown; poll GET /api/apps/{slug} for the outcome.' }),
    workflowId: z.string().meta({ example: 'activation:8d0f…:pd-calculator' }),
  }),
});

/** Long enough for a healthy frontend, short enough that the portal is not left hanging. */
const startDeadlineMs = 5_000;

async function request(ctx: AppContext, deps: Deps, slug: string, action: ActivationAction): Promise<void> {
  const customerId = customerIdOf(ctx);
  const em = deps.orm.em.fork();
  const found = await catalogEntry(em, customerId, slug);
  if (!found) throw new AppError('UNKNOWN_APP', `No app is called "${slug}".`, { field: 'params.slug' });
  // Checked here too, so a refusal is immediate and starts nothing; the workflow checks again.
  if (action === 'activate') assertEntitled(found.plan, slug);
  if (action === 'activate') await assertAppOpen(deps.metering.flags, slug, customerId);
  const app = found.entry.app;
  const recorded = await recordActivationRequest(em, customerId, app, action);
  if (action === 'deactivate') {
    // An app that was active is not any more: every API process stops serving its widget now.
    deps.metering.activations.forget(customerId);
    await deps.metering.live.publishInvalidation({ kind: 'activations', customerId });
  }
  const started = await deps.temporal.connection
    .withDeadline(Date.now() + startDeadlineMs, () => requestActivation(deps.temporal, deps.config.temporal.taskQueuePrefix, { customerId, slug, action, actor: actorOf(ctx) }))
    .catch(async (err: unknown) => {
      ctx.state.log.warn({ err, slug, action }, 'activation workflow not started');
      await undoActivationRequest(em, customerId, app, recorded);
      throw new AppError('SERVICE_UNAVAILABLE', 'The request could not be started; try again in a moment.');
    });
  await auditRoute(ctx, em, { action: `app.${action}_requested`, target: { type: 'app', id: slug }, details: { workflowId: started.workflowId } });
  ctx.status = 202;
  ctx.body = { activation: { status: recorded.status, workflowId: started.workflowId } };
}

export const appActivationRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/apps/:slug/activate',
    summary: 'Activates an app for the brand: entitlement, provisioning, default configuration, widget key',
    tag: 'apps',
    access: 'manage',
    params,
    responses: {
      202: { description: 'Accepted; a repeat while one runs joins it (no second run)', schema: acceptedSchema },
      403: { description: 'PLAN_UPGRADE_REQUIRED, naming the plan (details.requiredPlan); APP_NOT_RELEASED outside its rollout; FORBIDDEN for viewers and operators', schema: errorSchema },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: the workflow could not be started, or APP_DISABLED: an operator switched the app off; nothing changed', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      await request(ctx, deps, params.slug, 'activate');
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/apps/:slug/deactivate',
    summary: 'Deactivates an app for the brand: its widget is refused at once; the configuration is kept',
    tag: 'apps',
    access: 'manage',
    params,
    responses: {
      202: { description: 'Accepted; during an activation, the deactivation follows it', schema: acceptedSchema },
      403: { description: 'FORBIDDEN for viewers and operators', schema: errorSchema },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: the workflow could not be started; nothing changed', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      await request(ctx, deps, params.slug, 'deactivate');
    },
  }),
];
