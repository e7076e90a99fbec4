// Activities of an app's activation: each idempotent by construction, so a retry or a
// replayed workflow repeats nothing. Every change to customer_apps publishes the activations
// invalidation, so the widget path (/v1/consume) sees it at once, not after its cache lifetime.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { raiseNotice } from '../clients/notices';
import { storeDefaultConfiguration } from '../domain/app-configuration';
import { addAppToWidgetKey, removeAppFromWidgetKey, type WidgetKeyChange } from '../domain/activation/widget-key';
import { currentPlan } from '../domain/catalog/catalog-view';
import { assertEntitled } from '../domain/catalog/entitlement';
import type { Config } from '../domain/infra/config';
import { systemActor, type AuditActor } from '../domain/audit/actor';
import { recordAudit, writeAudit } from '../domain/audit/record';
import { App, AuditLog } from '../domain/entities';
import type { ActivationStatus } from '../domain/entities/customer-app';
import { AppError, ErrorCode } from '../domain/errors';
import { meteringChannels } from '../domain/metering/keys';
import type { RedisClient } from '../domain/infra/redis';

export interface ActivationActivityDeps {
  orm: MikroORM;
  redis: RedisClient;
  gateway: Pick<Config['gateway'], 'provisionFailSlugs'>;
  /** Starts the delivery of activation notices. */
  temporal: Client;
}

export interface AppRef {
  customerId: string;
  slug: string;
  /** Who asked for the activation or deactivation; absent in runs from before it was carried. */
  actor?: AuditActor;
}

/** A status the workflow ends an action on: each change to one is audited. */
const outcomeActions: Partial<Record<ActivationStatus, string>> = { active: 'app.activated', inactive: 'app.deactivated', failed: 'app.activation_failed' };

const provisionActions = ['app.provisioned', 'app.deprovisioned'] as const;

export function createActivationActivities({ orm, redis, gateway, temporal }: ActivationActivityDeps) {
  async function appOf(slug: string): Promise<App> {
    const app = await orm.em.fork().findOne(App, { slug });
    if (!app) throw ApplicationFailure.create({ type: ErrorCode.UNKNOWN_APP, message: `No app is called "${slug}".`, nonRetryable: true });
    return app;
  }

  /** The latest provisioning record of the app for the brand: the AI service's state as we left it. */
  async function lastProvisioning({ customerId, slug }: AppRef): Promise<string | null> {
    const last = await orm.em.fork().findOne(
      AuditLog,
      { customer: customerId, targetType: 'app', targetId: slug, action: { $in: [...provisionActions] } },
      { orderBy: { id: 'desc' } },
    );
    return last?.action ?? null;
  }

  async function recordProvisioning(ref: AppRef, action: (typeof provisionActions)[number]): Promise<void> {
    await writeAudit(orm.em.fork(), { actor: ref.actor ?? systemActor, customerId: ref.customerId, action, target: { type: 'app', id: ref.slug } });
  }

  async function publishApiKeyChange(change: WidgetKeyChange): Promise<void> {
    if (change.changed && change.prefix) await redis.publish(meteringChannels.invalidate, JSON.stringify({ kind: 'api-key', prefix: change.prefix }));
  }

  return {
    /** PLAN_UPGRADE_REQUIRED, naming the plan that would include the app, unless the brand's plan does. */
    async checkEntitlement(ref: AppRef): Promise<{ plan: string | null }> {
      await appOf(ref.slug);
      const plan = await currentPlan(orm.em.fork(), ref.customerId);
      try {
        assertEntitled(plan, ref.slug);
      } catch (err) {
        if (err instanceof AppError) throw ApplicationFailure.create({ type: err.code, message: err.message, details: [err.details], nonRetryable: true });
        throw err;
      }
      return { plan };
    },

    /**
     * Provisions the app with its AI service. There is no AI service API yet: this records the
     * provisioning (audit `app.provisioned`) once per activation. AI_PROVISION_FAIL_SLUGS makes
     * it refuse, as the service would, so tests and drills can exercise the compensation.
     */
    async provisionApp(ref: AppRef): Promise<{ provisioned: boolean }> {
      await appOf(ref.slug);
      if (gateway.provisionFailSlugs.includes(ref.slug)) {
        throw ApplicationFailure.create({ type: ErrorCode.UPSTREAM_FAILED, message: `The AI service refused to provision ${ref.slug}.`, nonRetryable: true });
      }
      if ((await lastProvisioning(ref)) === 'app.provisioned') return { provisioned: false };
      await recordProvisioning(ref, 'app.provisioned');
      return { provisioned: true };
    },

    /** Compensation of provisionApp: safe to repeat, and safe after a provisioning that failed half-way. */
    async deprovisionApp(ref: AppRef): Promise<{ deprovisioned: boolean }> {
      if ((await lastProvisioning(ref)) === 'app.deprovisioned') return { deprovisioned: false };
      await recordProvisioning(ref, 'app.deprovisioned');
      return { deprovisioned: true };
    },

    /** Version 1 = the app's defaults, unless the brand has a configuration already (kept across deactivation). */
    async storeDefaultConfiguration(ref: AppRef): Promise<{ version: number }> {
      const { version } = await storeDefaultConfiguration(orm.em.fork(), ref);
      return { version };
    },

    /** The brand's `widget` key covers the app; its plaintext is never returned. */
    async ensureWidgetKey(ref: AppRef): Promise<{ appScopes: string[] | null }> {
      const change = await addAppToWidgetKey(orm.em.fork(), ref.customerId, ref.slug, ref.actor);
      await publishApiKeyChange(change);
      return { appScopes: change.appScopes };
    },

    /** Compensation of ensureWidgetKey, and the deactivation's revocation. */
    async revokeWidgetAccess(ref: AppRef): Promise<{ appScopes: string[] | null }> {
      const change = await removeAppFromWidgetKey(orm.em.fork(), ref.customerId, ref.slug, ref.actor);
      await publishApiKeyChange(change);
      return { appScopes: change.appScopes };
    },

    /**
     * Sets the activation status and tells every API process. `activatedAt` is kept while the
     * app stays active, so a repeat leaves it unchanged and it can key this activation's notice.
     * Reaching an outcome (active, inactive, failed) from another status is audited in the same
     * transaction, so a retried call neither loses nor repeats the entry.
     */
    async markActivation(input: AppRef & { status: ActivationStatus; reason?: string }): Promise<{ activatedAt: string | null }> {
      const app = await appOf(input.slug);
      const em = orm.em.fork();
      const row = await em.transactional(async (tx) => {
        const [r] = await tx.execute<{ activated_at: Date | null; previous: ActivationStatus | null }[]>(
          `with before as (select status from customer_apps where customer_id = ? and app_id = ?)
           insert into customer_apps (customer_id, app_id, status, failure_reason, activated_at, updated_at)
           values (?, ?, ?, ?, case when ? = 'active' then now() end, now())
           on conflict (customer_id, app_id) do update set
             status = excluded.status,
             failure_reason = excluded.failure_reason,
             activated_at = case
               when excluded.status <> 'active' then customer_apps.activated_at
               when customer_apps.status = 'active' and customer_apps.activated_at is not null then customer_apps.activated_at
               else now() end,
             updated_at = now()
           returning activated_at, (select status from before) as previous`,
          [input.customerId, app.id, input.customerId, app.id, input.status, input.status === 'failed' ? (input.reason ?? 'activation failed') : null, input.status],
        );
        const action = outcomeActions[input.status];
        if (action && r?.previous !== input.status) {
          recordAudit(tx, {
            actor: input.actor ?? systemActor,
            customerId: input.customerId,
            action,
            target: { type: 'app', id: input.slug },
            details: input.status === 'failed' ? { reason: input.reason ?? null } : {},
          });
        }
        return r;
      });
      await redis.publish(meteringChannels.invalidate, JSON.stringify({ kind: 'activations', customerId: input.customerId }));
      if (input.status === 'failed') {
        // Once per activation run (a retry of this activity keeps its workflow run).
        const { workflowExecution: run, taskQueue } = Context.current().info;
        await raiseNotice(orm, temporal, taskQueue, {
          customerId: input.customerId,
          kind: 'app.activation_failed',
          dedupeKey: `activation-failed:${input.customerId}:${input.slug}:${run?.runId ?? 'no-run'}`,
          subject: `${app.name} could not be activated`,
          text: `The activation of ${app.name} failed: ${input.reason ?? 'activation failed'}. Nothing was charged for it; you can try again from the Apps page.`,
        });
      }
      return { activatedAt: input.status === 'active' && row?.activated_at ? new Date(row.activated_at).toISOString() : null };
    },

    /** The activation's notice, once per activation: the dedupe key is the activation's business id and time. */
    async notifyActivation(input: AppRef & { activatedAt: string }): Promise<{ created: boolean }> {
      const app = await appOf(input.slug);
      const { recorded } = await raiseNotice(orm, temporal, Context.current().info.taskQueue, {
        customerId: input.customerId,
        kind: 'app.activated',
        dedupeKey: `activation:${input.customerId}:${input.slug}:${Date.parse(input.activatedAt)}`,
        subject: `${app.name} is active`,
        text: `${app.name} is active for your brand. Its widget accepts requests from now on.`,
      });
      return { created: recorded };
    },
  };
}
