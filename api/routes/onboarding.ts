// The onboarding checklist of the apps page (domain/onboarding/checklist.ts says what each step
// reads), and the one fact only the browser sees: a snippet copied.
import { z } from 'zod';
import { checklistOf, onboardingFacts, onboardingSteps, type OnboardingStep } from '../../domain/onboarding/checklist';
import { recordSnippetCopy } from '../../domain/onboarding/snippet-copies';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const stepSchema = z
  .object({
    key: z.enum(onboardingSteps),
    done: z.boolean(),
    doneAt: z.string().nullable().meta({ description: 'When the step was first done; null while not done.' }),
    slug: z.string().nullable().meta({ description: 'The app the step was done with, or the app to do it with next; null when none applies (choose_plan, or nothing activated yet).' }),
  })
  .meta({ id: 'OnboardingStep' });

const onboardingSchema = z
  .object({
    steps: z.array(stepSchema).meta({ description: 'choose_plan, activate_app, configure_app, copy_snippet, first_call, in that order.' }),
    complete: z.boolean().meta({ description: 'Every step is done: the portal stops showing the checklist.' }),
  })
  .meta({ id: 'Onboarding' });

const view = (s: OnboardingStep) => ({ key: s.key, done: s.done, doneAt: s.doneAt?.toISOString() ?? null, slug: s.slug });

const operatorRefused = { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema };

export const onboardingRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/onboarding',
    summary: "The brand's onboarding checklist, from its real state",
    tag: 'onboarding',
    access: 'read',
    responses: {
      200: { description: 'The five steps', schema: onboardingSchema },
      403: operatorRefused,
    },
    async handler(ctx, _input, deps) {
      const steps = checklistOf(await onboardingFacts(deps.orm.em.fork(), customerIdOf(ctx)));
      ctx.body = { steps: steps.map(view), complete: steps.every((s) => s.done) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/onboarding/snippet-copied',
    summary: "Records that staff copied an app's embed snippet (any brand role; idempotent)",
    tag: 'onboarding',
    // Any staff role, viewers included: copying a snippet changes nothing but the checklist.
    // `authenticated` lets every session through; customerIdOf refuses operators.
    access: 'authenticated',
    body: z.object({ slug: z.string().trim().min(1).max(64).meta({ description: "The app's slug, e.g. virtual-try-on." }) }),
    responses: {
      204: { description: 'Recorded; a repeat changes nothing and is not audited again' },
      403: operatorRefused,
      404: { description: 'UNKNOWN_APP (details.field = body.slug), including a beta app this brand may not see', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: slug missing, empty or over 64 characters', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const customerId = customerIdOf(ctx);
      await recordSnippetCopy(deps.orm.em.fork(), customerId, body.slug, { userId: ctx.state.auth!.id, requestId: ctx.state.requestId });
      ctx.status = 204;
    },
  }),
];
