// "First call seen": the first use of an app by a brand's storefront, i.e. a metered use through
// a publishable key (live or test), with the origin it came from. The app page's Embed panel and
// the onboarding checklist read the same fact from widget_first_calls (the entity says why
// token_usage alone cannot answer).
import type { EntityManager } from '@mikro-orm/postgresql';

export interface FirstWidgetCall {
  firstCallAt: Date;
  /** Null for a use recorded before origins were (backfilled from token_usage). */
  origin: string | null;
  mode: 'live' | 'test';
  appId: string;
}

interface Row {
  first_call_at: Date;
  origin: string | null;
  mode: 'live' | 'test';
  app_id: string;
}

/** The brand's first storefront use of the app, or of any app when `appId` is null; null before any. */
export async function firstWidgetCall(em: EntityManager, customerId: string, appId: string | null): Promise<FirstWidgetCall | null> {
  const [row] = await em.getConnection().execute<Row[]>(
    `select first_call_at, origin, mode, app_id from widget_first_calls
      where customer_id = ? and (?::uuid is null or app_id = ?::uuid)
      order by first_call_at limit 1`,
    [customerId, appId, appId],
  );
  return row ? { firstCallAt: new Date(row.first_call_at), origin: row.origin, mode: row.mode, appId: row.app_id } : null;
}

export interface SeenCall {
  customerId: string;
  appId: string;
  apiKeyId: string;
  mode: 'live' | 'test';
  origin: string | null;
  atMs: number;
}

/** Records a storefront use unless one is recorded already: the first one wins, a repeat changes nothing. */
export async function recordWidgetCall(em: EntityManager, call: SeenCall): Promise<void> {
  await em.getConnection().execute(
    `insert into widget_first_calls (customer_id, app_id, mode, origin, api_key_id, first_call_at)
     values (?, ?, ?, ?, ?, to_timestamp(? / 1000.0)) on conflict do nothing`,
    [call.customerId, call.appId, call.mode, call.origin, call.apiKeyId, call.atMs],
  );
}
