// What the API records when a brand asks to turn an app on or off, before the workflow runs:
// the portal shows `activating` / `deactivating` at once, and the workflow sets the outcome.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { App } from '../entities';
import type { ActivationStatus } from '../entities/customer-app';

export type ActivationAction = 'activate' | 'deactivate';

export interface RecordedRequest {
  /** The status now shown. */
  status: ActivationStatus;
  /** The row as it was, to put back if the workflow cannot be started. */
  previous: { status: ActivationStatus; failureReason: string | null } | null;
}

/**
 * An activation shows `activating` (an app already active stays `active`, so a repeated request
 * never interrupts its widget); a deactivation shows `deactivating`. Creates the row if absent.
 */
export async function recordActivationRequest(em: EntityManager, customerId: string, app: App, action: ActivationAction): Promise<RecordedRequest> {
  return em.transactional(async (tx) => {
    const [before] = await tx.execute<{ status: ActivationStatus; failure_reason: string | null }[]>(
      'select status, failure_reason from customer_apps where customer_id = ? and app_id = ? for update',
      [customerId, app.id],
    );
    const status: ActivationStatus = action === 'deactivate' ? 'deactivating' : before?.status === 'active' ? 'active' : 'activating';
    await tx.execute(
      `insert into customer_apps (customer_id, app_id, status, updated_at) values (?, ?, ?, now())
       on conflict (customer_id, app_id) do update set status = excluded.status,
         failure_reason = case when excluded.status = 'activating' then null else customer_apps.failure_reason end,
         updated_at = now()`,
      [customerId, app.id, status],
    );
    return { status, previous: before ? { status: before.status, failureReason: before.failure_reason } : null };
  });
}

/** Puts the row back as it was, unless something has changed it since. */
export async function undoActivationRequest(em: EntityManager, customerId: string, app: App, recorded: RecordedRequest): Promise<void> {
  const previous = recorded.previous ?? { status: 'inactive', failureReason: null };
  await em.getConnection().execute(
    `update customer_apps set status = ?, failure_reason = ?, updated_at = now()
     where customer_id = ? and app_id = ? and status = ?`,
    [previous.status, previous.failureReason, customerId, app.id, recorded.status],
  );
}
