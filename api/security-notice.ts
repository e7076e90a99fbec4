// Team changes are the brand's security events: its staff hear of them through their "security"
// preference (email by default for every role). Raised after the change committed, and never
// allowed to fail it: the change stands, the audit log has it, and the notice is best effort.
import { randomUUID } from 'node:crypto';
import { raiseNotice } from '../clients/notices';
import { queueName, taskQueues } from '../temporal.config';
import type { Deps } from './deps';

export interface SecurityEvent {
  customerId: string;
  /** `security.<what>`: categoryOf files every kind it does not know under security. */
  kind: `security.${string}`;
  subject: string;
  text: string;
}

export async function raiseSecurityNotice(deps: Deps, event: SecurityEvent): Promise<void> {
  try {
    // The ops workers serve delivery: the API runs no worker of its own.
    await raiseNotice(deps.orm, deps.temporal, queueName(taskQueues.ops, deps.config.temporal.taskQueuePrefix), {
      ...event,
      // Each event is its own notice: a second disable after an enable is news again.
      dedupeKey: `${event.kind}:${randomUUID()}`,
    });
  } catch (err) {
    deps.logger.warn({ err, kind: event.kind, customerId: event.customerId }, 'security notice not raised');
  }
}
