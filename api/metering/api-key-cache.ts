// Widgets call at high rates, so a key is looked up in PostgreSQL once and then held here.
// Revocation, rotation, edits, pauses and resumes reach every API process at once through the invalidation
// channel; the short lifetime is only the backstop for a lost message. Expiry needs no message:
// every process compares the cached `expiresAtMs` with its clock on each request.
// Bounded LRUs: a flood of made-up keys evicts only the coldest entries of its own cache (unknown
// prefixes are held apart), never every brand's hot keys at once.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Lru } from '../../domain/cache/lru';
import { apiKeyMatches, apiKeyPrefix, type ApiKeyKind, type ApiKeyMode } from '../../domain/metering/api-key-secret';

export interface ResolvedApiKey {
  id: string;
  customerId: string;
  /** Null: every app of the customer. */
  appScopes: string[] | null;
  kind: ApiKeyKind;
  mode: ApiKeyMode;
  /** Publishable keys: the exact origins they work from. */
  allowedOrigins: string[];
  /** Tokens per UTC day; null for no cap. */
  dailyTokenCap: number | null;
  /** End exclusive; null never expires. */
  expiresAtMs: number | null;
  /** Paused by the anomaly watch until an admin resumes it: refused with API_KEY_PAUSED (authorize.ts). */
  paused: boolean;
}

interface Row extends ResolvedApiKey {
  keyHash: string;
  revoked: boolean;
}

interface Entry {
  row: Row | null;
  until: number;
}

interface DbRow {
  id: string;
  customer_id: string;
  key_hash: string;
  app_scopes: string[] | null;
  revoked_at: Date | null;
  kind: ApiKeyKind;
  mode: ApiKeyMode;
  allowed_origins: string[];
  daily_token_cap: string | null;
  /** As the driver gives it (a string under MikroORM's connection settings). */
  expires_at: Date | string | null;
  paused: boolean;
}

const ttlMs = 30_000;
const unknownTtlMs = 5_000;
const maxEntries = 50_000;
const maxUnknown = 10_000;

export class ApiKeyCache {
  private readonly known = new Lru<string, Entry>(maxEntries);
  private readonly unknown = new Lru<string, number>(maxUnknown);
  /** Plaintexts already checked against their hash, so a hot key is not re-hashed per request. */
  private readonly verified = new Lru<string, { key: ResolvedApiKey; prefix: string; until: number }>(maxEntries);

  constructor(private readonly orm: MikroORM) {}

  async resolve(plaintext: string, nowMs = Date.now()): Promise<ResolvedApiKey | null> {
    const hit = this.verified.get(plaintext);
    if (hit && hit.until >= nowMs) return usable(hit.key, nowMs);
    const prefix = apiKeyPrefix(plaintext);
    if (!prefix) return null;
    const unknownUntil = this.unknown.get(prefix);
    if (unknownUntil !== undefined && unknownUntil >= nowMs) return null;
    let entry = this.known.get(prefix);
    if (!entry || entry.until < nowMs) {
      entry = await this.load(prefix);
      if (!entry.row) {
        this.known.delete(prefix);
        this.unknown.set(prefix, entry.until);
        return null;
      }
      this.known.set(prefix, entry);
    }
    const row = entry.row;
    if (!row || row.revoked || !apiKeyMatches(plaintext, row.keyHash)) return null;
    const { keyHash: _hash, revoked: _revoked, ...key } = row;
    this.verified.set(plaintext, { key, prefix, until: entry.until });
    return usable(key, nowMs);
  }

  forget(prefix: string): void {
    this.known.delete(prefix);
    this.unknown.delete(prefix);
    this.verified.deleteWhere((v) => v.prefix === prefix);
  }

  private async load(prefix: string): Promise<Entry> {
    const [row] = await this.orm.em.getConnection().execute<DbRow[]>(
      `select id, customer_id, key_hash, app_scopes, revoked_at, kind, mode, allowed_origins, daily_token_cap, expires_at, paused_at is not null as paused
         from api_keys where prefix = ?`,
      [prefix],
    );
    if (!row) return { row: null, until: Date.now() + unknownTtlMs };
    return {
      row: {
        id: row.id,
        customerId: row.customer_id,
        keyHash: row.key_hash,
        appScopes: row.app_scopes,
        revoked: row.revoked_at !== null,
        kind: row.kind,
        mode: row.mode,
        allowedOrigins: row.allowed_origins,
        dailyTokenCap: row.daily_token_cap === null ? null : Number(row.daily_token_cap),
        expiresAtMs: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
        paused: row.paused,
      },
      until: Date.now() + ttlMs,
    };
  }
}

/** An expired key is refused like a revoked one. */
const usable = (key: ResolvedApiKey, nowMs: number): ResolvedApiKey | null => (key.expiresAtMs !== null && nowMs >= key.expiresAtMs ? null : key);
