// Keeping a brand's apps within its plan. The billing workflow calls enforcePlanEntitlements at
// the period end of a downgrade: every app the new plan does not include is turned off through
// the appActivation workflow (the one path that turns apps off), with one portal notice each.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { raiseNotice } from '../clients/notices';
import { systemActor } from '../domain/audit/actor';
import { currentPlan } from '../domain/catalog/catalog-view';
import { cheapestPlanFor, planIncludes, planName, type PlanKey } from '../domain/catalog/entitlement';
import { requestActivation } from '../clients/temporal-client';
import { queueName, taskQueues } from '../temporal.config';

export interface EntitlementActivityDeps {
  orm: MikroORM;
  /** Starts the appActivation workflows; activities reach Temporal only as a client. */
  temporal: Client;
  /** TEMPORAL_TASK_QUEUE_PREFIX: where the appActivation workflows run. */
  taskQueuePrefix: string;
}

interface ActiveApp {
  slug: string;
  name: string;
  /** The activation being ended (null for a first activation still running); part of the notice's key. */
  activated_at: Date | null;
}

export interface EnforcePlanEntitlementsResult {
  plan: PlanKey | null;
  /** Apps asked to deactivate by this call, by slug. */
  deactivated: string[];
  /** Notices written by this call; a retry writes none twice. */
  notified: number;
}

export function createEntitlementActivities({ orm, temporal, taskQueuePrefix }: EntitlementActivityDeps) {
  return {
    /**
     * Deactivates every `active` or `activating` app the brand's current plan does not include
     * (a brand without a plan is included in nothing). Idempotent: per app the notice is written
     * first (its dedupe key is the customer, app, plan and the activation being ended), then the
     * deactivation is requested; a retry finds the app still active and repeats both harmlessly,
     * or finds it deactivating or inactive and leaves it alone.
     */
    async enforcePlanEntitlements({ customerId }: { customerId: string }): Promise<EnforcePlanEntitlementsResult> {
      const em = orm.em.fork();
      const plan = await currentPlan(em, customerId);
      const rows = await em.getConnection().execute<ActiveApp[]>(
        `select a.slug, a.name, c.activated_at from customer_apps c join apps a on a.id = c.app_id
         where c.customer_id = ? and c.status in ('active', 'activating') order by a.slug`,
        [customerId],
      );
      const removed = rows.filter((r) => !planIncludes(plan, r.slug));
      const current = plan === null ? 'no plan' : `the ${planName(plan)} plan`;
      let notified = 0;
      for (const app of removed) {
        const required = planName(cheapestPlanFor(app.slug));
        const activation = app.activated_at ? new Date(app.activated_at).getTime() : 0;
        // Delivered on the activations queue, which the deactivation below needs served anyway.
        const { recorded } = await raiseNotice(orm, temporal, queueName(taskQueues.activations, taskQueuePrefix), {
          customerId,
          kind: 'app.deactivated_by_plan',
          subject: `${app.name} was turned off`,
          text: `${app.name} is not included in ${current}, so it has been deactivated for your brand. Its configuration is kept: the ${required} plan includes it.`,
          dedupeKey: `plan-entitlement:${customerId}:${app.slug}:${plan ?? 'none'}:${activation}`,
        });
        if (recorded) notified += 1;
        await requestActivation(temporal, taskQueuePrefix, { customerId, slug: app.slug, action: 'deactivate', actor: systemActor });
      }
      return { plan, deactivated: removed.map((r) => r.slug), notified };
    },
  };
}
