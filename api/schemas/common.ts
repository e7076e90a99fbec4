import { z } from 'zod';
import { activationStatuses } from '../../domain/entities/customer-app';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z
        .object({
          fields: z
            .array(z.object({ path: z.string(), message: z.string() }))
            .optional()
            .meta({ description: 'With VALIDATION_FAILED: each bad field, as body.<path>, query.<name>, params.<name> or header.<name>.' }),
          hint: z
            .enum(['buy_tokens', 'upgrade_plan'])
            .optional()
            .meta({ description: 'On a 402 of /v1/consume and /v1/apps/{slug}/run: buy_tokens (a token pack fixes it) or upgrade_plan (a plan is needed, or its invoice paid).' }),
          portalUrl: z.string().optional().meta({ description: 'On the same 402s: the portal page where staff fix it.' }),
        })
        .catchall(z.unknown())
        .optional(),
      requestId: z.string(),
    }),
    testMode: z.literal(true).optional().meta({ description: 'On /v1 answers to a test key (vpk_test_, vsk_test_).' }),
  })
  .meta({ id: 'Error' });

export const roleSchema = z.enum(['admin', 'manager', 'viewer', 'operator']);

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    role: roleSchema,
    customerId: z.uuid().nullable(),
    customerName: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const appSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    status: z.enum(['active', 'beta', 'deprecated']).meta({ description: "The app's own lifecycle, not the brand's activation." }),
    costTokens: z.number().int().positive(),
    requiredPlan: z.enum(['starter', 'professional']).meta({ description: 'The cheapest plan that includes the app; Enterprise includes all.' }),
    includedInPlan: z.boolean().nullable().meta({ description: "Whether the brand's current plan includes the app (false without a plan); null for an operator." }),
    activation: z
      .object({
        status: z.enum(activationStatuses),
        activatedAt: z.string().nullable(),
        failureReason: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "This brand's activation; `inactive` if never activated; null for an operator." }),
    availability: z
      .enum(['available', 'disabled', 'not_released'])
      .meta({ description: "An operator's feature flag: `disabled` while the app's kill switch is on (/v1 answers 503 APP_DISABLED), `not_released` while its rollout has not reached this brand (403 APP_NOT_RELEASED)." }),
  })
  .meta({ id: 'App' });

export const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ message: 'Enter a valid email address.' }))
  .transform((e) => e.toLowerCase());

export const newPassword = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');
