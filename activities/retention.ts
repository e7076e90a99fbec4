// The retention job's one activity (domain/privacy/retention.ts holds the policy). Idempotent by
// construction: a retry deletes only what is still past its period.
import type { MikroORM } from '@mikro-orm/postgresql';
import { enforceRetentionPolicy, type RetentionResult } from '../domain/privacy/retention';

export interface RetentionActivityDeps {
  orm: MikroORM;
}

export function createRetentionActivities({ orm }: RetentionActivityDeps) {
  return {
    async purgeExpiredPersonalData(): Promise<RetentionResult> {
      return enforceRetentionPolicy(orm);
    },
  };
}
