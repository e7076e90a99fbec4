// "Copy the snippet", the onboarding step only the browser sees happen: the app page's Copy
// button reports it. The first copy per brand and app is stored and audited; a repeat (another
// click, a retried request) changes nothing and writes no audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/record';
import { catalogEntry } from '../catalog/catalog-view';
import { AppError } from '../errors';

interface Actor {
  userId: string;
  requestId?: string;
}

/** Answers whether this was the brand's first copy of the app's snippet. */
export async function recordSnippetCopy(em: EntityManager, customerId: string, slug: string, actor: Actor): Promise<boolean> {
  // The same visibility as the catalog: a beta app the brand may not see is unknown to it.
  const found = await catalogEntry(em, customerId, slug);
  if (!found) throw new AppError('UNKNOWN_APP', `No app is called "${slug}".`, { field: 'body.slug' });
  return em.transactional(async (tx) => {
    const inserted = await tx.execute<{ created_at: Date }[]>(
      `insert into app_snippet_copies (customer_id, app_id, copied_by_id, created_at) values (?, ?, ?, now())
       on conflict (customer_id, app_id) do nothing
       returning created_at`,
      [customerId, found.entry.app.id, actor.userId],
    );
    if (inserted.length === 0) return false;
    recordAudit(tx, { actor: { kind: 'user', userId: actor.userId }, customerId, action: 'onboarding.snippet_copied', target: { type: 'app', id: slug }, requestId: actor.requestId });
    return true;
  });
}
