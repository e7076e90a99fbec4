// The activation's progress for the app page, polled while it activates: the status, the four
// steps (entitlement, provisioning, configuration, widget key) and the failure's reason. The open
// run answers its state query; without one (closed, or Temporal unreachable) the customer_apps
// row decides, so the page never hangs on Temporal.
import { z } from 'zod';
import { readActivationState } from '../../clients/activation-state';
import { activationSteps, stepsFromRun, stepsFromStatus } from '../../domain/activation/progress';
import { catalogEntry } from '../../domain/catalog/catalog-view';
import { activationStatuses, type ActivationStatus } from '../../domain/entities/customer-app';
import { AppError } from '../../domain/errors';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

/** A query is answered in milliseconds by a live worker; past this the row answers instead. */
const queryDeadlineMs = 1_500;

/** Only a run may know more than the row: while it works, and to name the step a failure stopped at. */
const runMayKnowMore: ReadonlySet<ActivationStatus> = new Set(['activating', 'deactivating', 'failed']);

const progressSchema = z
  .object({
    status: z.enum(activationStatuses).meta({ description: "The brand's activation of the app, from customer_apps." }),
    steps: z
      .array(
        z.object({
          key: z.enum(activationSteps.map((s) => s.key) as [string, ...string[]]),
          label: z.string(),
          state: z.enum(['pending', 'running', 'done', 'failed']),
        }),
      )
      .meta({ description: 'The activation steps, in order: entitlement, provisioning, configuration, widget_key.' }),
    step: z.string().nullable().meta({ description: 'What the run is doing now, in plain words; null when no run answered.' }),
    failureReason: z.string().nullable().meta({ description: 'Why the last activation failed; null unless failed.' }),
    source: z.enum(['workflow', 'status']).meta({ description: '`workflow`: the run answered its state query; `status`: derived from the stored status alone.' }),
  })
  .meta({ id: 'ActivationProgress' });

export const appActivationProgressRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/apps/:slug/activation',
    summary: 'The activation’s live progress: status, the four steps and a failure’s reason',
    tag: 'apps',
    access: 'read',
    params: z.object({ slug: z.string().min(1).max(64) }),
    responses: {
      200: { description: 'The progress', schema: progressSchema },
      403: { description: 'FORBIDDEN for operators (no brand)', schema: errorSchema },
      404: { description: 'UNKNOWN_APP, including a beta app this brand may not see', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const customerId = customerIdOf(ctx);
      const found = await catalogEntry(deps.orm.em.fork(), customerId, params.slug);
      if (!found) throw new AppError('UNKNOWN_APP', `No app is called "${params.slug}".`, { field: 'params.slug' });
      const activation = found.entry.activation!;
      const run = runMayKnowMore.has(activation.status) ? await readActivationState(deps.temporal, customerId, params.slug, queryDeadlineMs) : null;
      // A failed row is the outcome of the run's last action only if that run's last action failed.
      const runApplies = run !== null && (activation.status !== 'failed' || run.last?.status === 'failed');
      ctx.body = {
        status: activation.status,
        steps: runApplies ? stepsFromRun(run) : stepsFromStatus(activation.status),
        step: runApplies ? run.step : null,
        failureReason: activation.status === 'failed' ? activation.failureReason : null,
        source: runApplies ? 'workflow' : 'status',
      };
    },
  }),
];
