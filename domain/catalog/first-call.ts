// The first call a brand's storefront made: its first metered use of an app (or of any app) from
// a publishable key. Only publishable keys work in a shopper's browser, so that is the widget
// live on a storefront; a secret key's call is the brand's own server, and a test key's use
// never leaves the Redis sandbox (it has no token_usage row), so neither counts.
//
// token_usage does not record the request's Origin. A publishable key works only from its allowed
// origins, so when the key lists exactly one, that is where the call came from; with several the
// origin is not known (null) rather than guessed.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface FirstCall {
  /** Null until the first call is reconciled (about a second after it). */
  firstCallAt: Date | null;
  origin: string | null;
  /** The app called; with an app given, that app; null before any call. */
  appId: string | null;
}

interface Row {
  debited_at: Date;
  app_id: string;
  allowed_origins: string[];
}

export async function firstWidgetCall(em: EntityManager, customerId: string, appId: string | null): Promise<FirstCall> {
  // (customer_id, debited_at) is indexed: the scan stops at the first publishable use.
  const [row] = await em.getConnection().execute<Row[]>(
    `select u.debited_at, u.app_id, k.allowed_origins
       from token_usage u join api_keys k on k.id = u.api_key_id
      where u.customer_id = ? and k.kind = 'publishable' ${appId === null ? '' : 'and u.app_id = ?'}
      order by u.debited_at asc
      limit 1`,
    appId === null ? [customerId] : [customerId, appId],
  );
  if (!row) return { firstCallAt: null, origin: null, appId: null };
  return { firstCallAt: new Date(row.debited_at), origin: row.allowed_origins.length === 1 ? row.allowed_origins[0]! : null, appId: row.app_id };
}
