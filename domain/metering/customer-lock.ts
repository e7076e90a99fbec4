// Everything that changes what a customer's cached balance should be (reconciling debits,
// granting, expiring, rebuilding) takes this lock inside its transaction, so a rebuild never
// reads the ledger halfway through another change.
import type { EntityManager } from '@mikro-orm/postgresql';
import { asSql as sqlOf, type Sql } from '../infra/raw-sql';

const lockKey = 'select pg_advisory_xact_lock(hashtextextended(?, 7))';
const tryLockKey = 'select pg_try_advisory_xact_lock(hashtextextended(?, 7)) as locked';

/** Waits for the customer's lock; released at the end of the transaction. */
export async function lockCustomer(tx: EntityManager | Sql, customerId: string): Promise<void> {
  await sqlOf(tx).query(lockKey, [customerId]);
}

/** False when another transaction holds it: a reconciler moves on to the next customer. */
export async function tryLockCustomer(tx: EntityManager | Sql, customerId: string): Promise<boolean> {
  const [row] = await sqlOf(tx).query<{ locked: boolean }>(tryLockKey, [customerId]);
  return row?.locked === true;
}
