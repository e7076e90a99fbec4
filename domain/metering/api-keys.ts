// Creating, editing, rotating and revoking API keys. A secret key's plaintext leaves this module
// once, in the creation result; only its prefix and hash are stored (a publishable key's
// plaintext is public by design and kept for the portal's embed snippet).
import type { EntityManager } from '@mikro-orm/postgresql';
import { appCatalog } from '../catalog/apps';
import { recordAudit } from '../audit/record';
import { ApiKey, Customer, User } from '../entities';
import { AppError } from '../errors';
import { newApiKey, type ApiKeyKind, type ApiKeyMode } from './api-key-secret';

export interface KeySettings {
  /** Null or absent: every app of the customer. */
  appScopes?: string[] | null;
  /** Publishable keys only; already in canonical form (allowed-origins.ts). */
  allowedOrigins?: string[];
  /** Null or absent: no cap. */
  dailyTokenCap?: number | null;
}

export interface CreateApiKey extends KeySettings {
  customerId: string;
  actorId: string;
  name: string;
  kind: ApiKeyKind;
  mode: ApiKeyMode;
  /** Most keys a brand may hold at once (neither revoked nor expired). */
  limit: number;
  requestId?: string;
}

function checkScopes(appScopes: string[] | null | undefined): string[] | null {
  const known = new Set(appCatalog.map((a) => a.slug));
  const unknown = (appScopes ?? []).filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', {
      fields: [{ path: 'body.appScopes', message: `unknown app: ${unknown.join(', ')}` }],
    });
  }
  return appScopes && appScopes.length > 0 ? [...new Set(appScopes)].sort() : null;
}

/** Usable keys of a brand; the caller holds the brand's row lock, so two creations cannot both pass the limit. */
async function usableKeyCount(em: EntityManager, customerId: string): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    'select count(*)::int as n from api_keys where customer_id = ? and revoked_at is null and (expires_at is null or expires_at > now())',
    [customerId],
  );
  return row?.n ?? 0;
}

/** A new key row with its secret; the caller flushes. */
function buildKey(em: EntityManager, input: Omit<CreateApiKey, 'limit' | 'requestId'>): { apiKey: ApiKey; plaintext: string } {
  const secret = newApiKey(input.kind, input.mode);
  const apiKey = em.create(ApiKey, {
    customer: em.getReference(Customer, input.customerId),
    name: input.name,
    prefix: secret.prefix,
    keyHash: secret.keyHash,
    kind: input.kind,
    mode: input.mode,
    appScopes: checkScopes(input.appScopes),
    allowedOrigins: input.kind === 'publishable' ? [...new Set(input.allowedOrigins ?? [])] : [],
    dailyTokenCap: input.dailyTokenCap ?? null,
    publishableKey: input.kind === 'publishable' ? secret.plaintext : undefined,
    createdBy: em.getReference(User, input.actorId),
  });
  return { apiKey, plaintext: secret.plaintext };
}

function audit(em: EntityManager, customerId: string, actorId: string, action: string, apiKey: ApiKey, details: Record<string, unknown>, requestId?: string): void {
  recordAudit(em, {
    actor: { kind: 'user', userId: actorId },
    customerId,
    action,
    target: { type: 'api_key', id: apiKey.id },
    details: { prefix: apiKey.prefix, ...details },
    requestId,
  });
}

export async function createApiKey(em: EntityManager, input: CreateApiKey): Promise<{ apiKey: ApiKey; plaintext: string }> {
  return em.transactional(async (tx) => {
    await tx.execute('select id from customers where id = ? for update', [input.customerId]);
    if ((await usableKeyCount(tx, input.customerId)) >= input.limit) {
      throw new AppError('API_KEY_LIMIT_REACHED', `A brand may hold at most ${input.limit} API keys at once. Revoke one you no longer use first.`, { limit: input.limit });
    }
    const created = buildKey(tx, input);
    const k = created.apiKey;
    audit(tx, input.customerId, input.actorId, 'api_key.created', k, {
      name: k.name, kind: k.kind, mode: k.mode, appScopes: k.appScopes, allowedOrigins: k.allowedOrigins, dailyTokenCap: k.dailyTokenCap,
    }, input.requestId);
    return created;
  });
}

async function findKey(em: EntityManager, customerId: string, id: string): Promise<ApiKey> {
  const apiKey = await em.findOne(ApiKey, { id, customer: customerId });
  if (!apiKey) throw new AppError('NOT_FOUND', 'No such API key.', { field: 'params.id' });
  return apiKey;
}

const usable = (k: ApiKey, now: Date) => !k.revokedAt && (!k.expiresAt || k.expiresAt > now);

export interface UpdateApiKey extends KeySettings {
  customerId: string;
  actorId: string;
  id: string;
  name?: string;
  requestId?: string;
}

/** Edits what a key may do; its secret and kind never change (rotate for a new secret). */
export async function updateApiKey(em: EntityManager, input: UpdateApiKey): Promise<ApiKey> {
  const apiKey = await findKey(em, input.customerId, input.id);
  if (!usable(apiKey, new Date())) throw new AppError('NOT_FOUND', 'This API key is revoked or expired; create a new one.', { field: 'params.id' });
  if (input.allowedOrigins !== undefined && apiKey.kind !== 'publishable') {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', {
      fields: [{ path: 'body.allowedOrigins', message: 'only publishable keys have allowed origins; a secret key is for servers' }],
    });
  }
  const changes: Record<string, unknown> = {};
  if (input.name !== undefined) apiKey.name = changes.name = input.name;
  if (input.appScopes !== undefined) apiKey.appScopes = changes.appScopes = checkScopes(input.appScopes);
  if (input.allowedOrigins !== undefined) apiKey.allowedOrigins = changes.allowedOrigins = [...new Set(input.allowedOrigins)];
  if (input.dailyTokenCap !== undefined) apiKey.dailyTokenCap = changes.dailyTokenCap = input.dailyTokenCap;
  audit(em, input.customerId, input.actorId, 'api_key.updated', apiKey, changes, input.requestId);
  await em.flush();
  return apiKey;
}

export interface RotateApiKey {
  customerId: string;
  actorId: string;
  id: string;
  /** How long the old key keeps working; 0 stops it at once. */
  overlapSeconds: number;
  requestId?: string;
}

/**
 * A new key with the old one's kind, mode and settings; the old one keeps working for the
 * overlap, then is refused like a revoked key. A legacy `vk_` key rotates into a `vsk_live_` key.
 * Not counted against the limit: it retires a key as it adds one.
 */
export async function rotateApiKey(em: EntityManager, input: RotateApiKey): Promise<{ apiKey: ApiKey; plaintext: string; previous: ApiKey }> {
  return em.transactional(async (tx) => {
    await tx.execute('select id from customers where id = ? for update', [input.customerId]);
    const previous = await findKey(tx, input.customerId, input.id);
    const now = new Date();
    if (!usable(previous, now)) throw new AppError('NOT_FOUND', 'This API key is revoked or expired; create a new one.', { field: 'params.id' });
    const created = buildKey(tx, {
      customerId: input.customerId,
      actorId: input.actorId,
      name: previous.name,
      kind: previous.kind,
      mode: previous.mode,
      appScopes: previous.appScopes,
      allowedOrigins: previous.allowedOrigins,
      dailyTokenCap: previous.dailyTokenCap,
    });
    const until = new Date(now.getTime() + input.overlapSeconds * 1000);
    if (!previous.expiresAt || until < previous.expiresAt) previous.expiresAt = until;
    audit(tx, input.customerId, input.actorId, 'api_key.rotated', previous, {
      replacedBy: created.apiKey.id, newPrefix: created.apiKey.prefix, expiresAt: previous.expiresAt.toISOString(),
    }, input.requestId);
    return { ...created, previous };
  });
}

/** Revoking twice keeps the first revocation time. Another brand's key is not found. */
export async function revokeApiKey(em: EntityManager, customerId: string, actorId: string, id: string, requestId?: string): Promise<ApiKey> {
  const apiKey = await findKey(em, customerId, id);
  if (!apiKey.revokedAt) {
    apiKey.revokedAt = new Date();
    audit(em, customerId, actorId, 'api_key.revoked', apiKey, {}, requestId);
    await em.flush();
  }
  return apiKey;
}
