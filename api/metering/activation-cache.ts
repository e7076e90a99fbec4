// Which apps a customer has active, held briefly per API process. Activation changes publish
// an invalidation so that a deactivated widget is refused at once, not after the lifetime.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Lru } from '../../domain/cache/lru';

const ttlMs = 10_000;
const maxEntries = 50_000;

export class ActivationCache {
  /** LRU: when full, the coldest brand goes, not every brand at once. */
  private readonly entries = new Lru<string, { appIds: Set<string>; until: number }>(maxEntries);

  constructor(private readonly orm: MikroORM) {}

  async isActive(customerId: string, appId: string): Promise<boolean> {
    let entry = this.entries.get(customerId);
    if (!entry || entry.until < Date.now()) {
      const rows = await this.orm.em.getConnection().execute<{ app_id: string }[]>(
        `select app_id from customer_apps where customer_id = ? and status = 'active'`,
        [customerId],
      );
      entry = { appIds: new Set(rows.map((r) => r.app_id)), until: Date.now() + ttlMs };
      this.entries.set(customerId, entry);
    }
    return entry.appIds.has(appId);
  }

  forget(customerId: string): void {
    this.entries.delete(customerId);
  }
}
