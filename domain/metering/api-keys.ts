// Creating and revoking API keys. The plaintext leaves this module once, in the creation
// result; only its prefix and hash are stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { appCatalog } from '../catalog/apps';
import { ApiKey, AuditLog, Customer, User } from '../entities';
import { AppError } from '../errors';
import { newApiKey } from './api-key-secret';

export interface CreateApiKey {
  customerId: string;
  actorId: string;
  name: string;
  /** Null or absent: every app of the customer. */
  appScopes?: string[] | null;
  requestId?: string;
}

export async function createApiKey(em: EntityManager, input: CreateApiKey): Promise<{ apiKey: ApiKey; plaintext: string }> {
  const known = new Set(appCatalog.map((a) => a.slug));
  const unknown = (input.appScopes ?? []).filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', {
      fields: [{ path: 'body.appScopes', message: `unknown app: ${unknown.join(', ')}` }],
    });
  }
  const secret = newApiKey();
  const apiKey = em.create(ApiKey, {
    customer: em.getReference(Customer, input.customerId),
    name: input.name,
    prefix: secret.prefix,
    keyHash: secret.keyHash,
    appScopes: input.appScopes && input.appScopes.length > 0 ? [...new Set(input.appScopes)].sort() : null,
    createdBy: em.getReference(User, input.actorId),
  });
  em.create(AuditLog, {
    customer: em.getReference(Customer, input.customerId),
    actor: em.getReference(User, input.actorId),
    action: 'api_key.created',
    targetType: 'api_key',
    targetId: apiKey.id,
    details: { name: apiKey.name, prefix: apiKey.prefix, appScopes: apiKey.appScopes },
    requestId: input.requestId,
  });
  await em.flush();
  return { apiKey, plaintext: secret.plaintext };
}

/** Revoking twice keeps the first revocation time. Another brand's key is not found. */
export async function revokeApiKey(em: EntityManager, customerId: string, actorId: string, id: string, requestId?: string): Promise<ApiKey> {
  const apiKey = await em.findOne(ApiKey, { id, customer: customerId });
  if (!apiKey) throw new AppError('NOT_FOUND', 'No such API key.', { field: 'params.id' });
  if (!apiKey.revokedAt) {
    apiKey.revokedAt = new Date();
    em.create(AuditLog, {
      customer: em.getReference(Customer, customerId),
      actor: em.getReference(User, actorId),
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: apiKey.id,
      details: { prefix: apiKey.prefix },
      requestId,
    });
    await em.flush();
  }
  return apiKey;
}
