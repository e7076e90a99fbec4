// Each brand has at most one unrevoked API key named `widget`, scoped to the apps it has
// active: activation adds the app to its scopes, deactivation removes it. It is a publishable
// live key (the only kind a storefront may see) with no allowed origin yet: it works from nowhere
// until an admin adds the storefront's origins in the portal, which then shows its embed snippet.
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemActor, type AuditActor } from '../audit/actor';
import { recordAudit } from '../audit/record';
import { ApiKey, Customer } from '../entities';
import { newApiKey } from '../metering/api-key-secret';

export const widgetKeyName = 'widget';

export interface WidgetKeyChange {
  /** The key's prefix, for the API processes' key-cache invalidation. Null when there is no key. */
  prefix: string | null;
  /** Null: a key an admin named `widget` for every app, left as it is. */
  appScopes: string[] | null;
  changed: boolean;
}

type Edit = (scopes: string[]) => string[];

/**
 * Serialised per brand on the customer row, so two apps activated at once share one key and
 * neither scope update is lost. An empty scope list means no app, never "every app".
 */
async function editWidgetKey(em: EntityManager, customerId: string, slug: string, edit: Edit, createIfAbsent: boolean, actor: AuditActor): Promise<WidgetKeyChange> {
  return em.transactional(async (tx) => {
    await tx.execute('select id from customers where id = ? for update', [customerId]);
    let key = await tx.findOne(ApiKey, { customer: customerId, name: widgetKeyName, revokedAt: null }, { orderBy: { createdAt: 'asc' } });
    // A key an admin named `widget` for every app already covers each one: not ours to narrow.
    if (key && key.appScopes === null) return { prefix: key.prefix, appScopes: null, changed: false };
    const before = key?.appScopes ?? [];
    const after = [...new Set(edit(before))].sort();
    if (!key && !createIfAbsent) return { prefix: null, appScopes: [], changed: false };
    if (key && JSON.stringify(before) === JSON.stringify(after)) return { prefix: key.prefix, appScopes: after, changed: false };
    const customer = tx.getReference(Customer, customerId);
    if (!key) {
      const secret = newApiKey('publishable', 'live');
      key = tx.create(ApiKey, {
        customer, name: widgetKeyName, prefix: secret.prefix, keyHash: secret.keyHash, appScopes: after,
        kind: 'publishable', mode: 'live', publishableKey: secret.plaintext,
      });
    } else {
      key.appScopes = after;
    }
    recordAudit(tx, {
      actor,
      customerId,
      action: 'api_key.scopes_changed',
      target: { type: 'api_key', id: key.id },
      details: { name: widgetKeyName, prefix: key.prefix, app: slug, appScopes: after },
    });
    return { prefix: key.prefix, appScopes: after, changed: true };
  });
}

/** Makes the brand's widget key cover the app, creating the key the first time. Safe to repeat. */
export function addAppToWidgetKey(em: EntityManager, customerId: string, slug: string, actor: AuditActor = systemActor): Promise<WidgetKeyChange> {
  return editWidgetKey(em, customerId, slug, (scopes) => [...scopes, slug], true, actor);
}

/** Takes the app out of the widget key's scopes; the key stays for the brand's other apps. Safe to repeat. */
export function removeAppFromWidgetKey(em: EntityManager, customerId: string, slug: string, actor: AuditActor = systemActor): Promise<WidgetKeyChange> {
  return editWidgetKey(em, customerId, slug, (scopes) => scopes.filter((s) => s !== slug), false, actor);
}
