// Widgets call at high rates, so a key is looked up in PostgreSQL once and then held here.
// Revocation reaches every API process at once through the invalidation channel; the short
// lifetime is only the backstop for a lost message.
import type { MikroORM } from '@mikro-orm/postgresql';
import { apiKeyMatches, apiKeyPrefix } from '../../domain/metering/api-key-secret';

export interface ResolvedApiKey {
  id: string;
  customerId: string;
  /** Null: every app of the customer. */
  appScopes: string[] | null;
}

interface Entry {
  row: (ResolvedApiKey & { keyHash: string; revoked: boolean }) | null;
  until: number;
}

const ttlMs = 30_000;
const unknownTtlMs = 5_000;
const maxEntries = 50_000;

export class ApiKeyCache {
  private entries = new Map<string, Entry>();
  /** Plaintexts already checked against their hash, so a hot key is not re-hashed per request. */
  private verified = new Map<string, { key: ResolvedApiKey; prefix: string; until: number }>();

  constructor(private readonly orm: MikroORM) {}

  async resolve(plaintext: string): Promise<ResolvedApiKey | null> {
    const known = this.verified.get(plaintext);
    if (known && known.until >= Date.now()) return known.key;
    const prefix = apiKeyPrefix(plaintext);
    if (!prefix) return null;
    let entry = this.entries.get(prefix);
    if (!entry || entry.until < Date.now()) {
      entry = await this.load(prefix);
      if (this.entries.size >= maxEntries) this.entries.clear();
      this.entries.set(prefix, entry);
    }
    const row = entry.row;
    if (!row || row.revoked || !apiKeyMatches(plaintext, row.keyHash)) return null;
    const key = { id: row.id, customerId: row.customerId, appScopes: row.appScopes };
    if (this.verified.size >= maxEntries) this.verified.clear();
    this.verified.set(plaintext, { key, prefix, until: entry.until });
    return key;
  }

  forget(prefix: string): void {
    this.entries.delete(prefix);
    for (const [plaintext, v] of this.verified) if (v.prefix === prefix) this.verified.delete(plaintext);
  }

  private async load(prefix: string): Promise<Entry> {
    const [row] = await this.orm.em.getConnection().execute<{ id: string; customer_id: string; key_hash: string; app_scopes: string[] | null; revoked_at: Date | null }[]>(
      'select id, customer_id, key_hash, app_scopes, revoked_at from api_keys where prefix = ?',
      [prefix],
    );
    if (!row) return { row: null, until: Date.now() + unknownTtlMs };
    return {
      row: { id: row.id, customerId: row.customer_id, keyHash: row.key_hash, appScopes: row.app_scopes, revoked: row.revoked_at !== null },
      until: Date.now() + ttlMs,
    };
  }
}
