// The operator's brand list: every brand by name, or those a search matches, in keyset pages.
// A search matches, case-insensitively and anywhere in the text, the brand's name, any staff
// member's email, its Stripe customer id or its customer id. The cursor is the last row's sort
// key, so a brand signing up meanwhile never shifts a page.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import { brandFacts, type BrandFacts } from './brand-facts';

export interface BrandPageRequest {
  q?: string;
  limit: number;
  cursor?: string;
}

export interface BrandPage {
  brands: BrandFacts[];
  nextCursor: string | null;
}

interface SortKey {
  name: string;
  id: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeBrandCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id]), 'utf8').toString('base64url');
}

/** Null for anything that is not a cursor this module wrote. */
export function decodeBrandCursor(cursor: string): SortKey | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [name, id] = value as unknown[];
    if (typeof name !== 'string' || typeof id !== 'string' || !uuidPattern.test(id)) return null;
    return { name, id };
  } catch {
    return null;
  }
}

/** `%`, `_` and `\` are LIKE's own characters: a search for "50%" means those three characters. */
export const likeContaining = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listBrands(em: EntityManager, req: BrandPageRequest, now: Date): Promise<BrandPage> {
  const where: string[] = [];
  const values: unknown[] = [];
  const q = req.q?.trim();
  if (q) {
    const pattern = likeContaining(q);
    where.push(`(lower(c.name) like ? or lower(c.stripe_customer_id) like ? or c.id::text like ?
               or exists (select 1 from users u where u.customer_id = c.id and u.email like ?))`);
    values.push(pattern, pattern, pattern, pattern);
  }
  // An empty cursor is the first page, as an absent one: `?q=&cursor=` is what a form sends.
  if (req.cursor) {
    const after = decodeBrandCursor(req.cursor);
    if (!after) throw new AppError('VALIDATION_FAILED', 'The cursor is not one this list gave.', { fields: [{ path: 'query.cursor', message: 'Use the nextCursor of the previous page.' }] });
    where.push('(lower(c.name), c.id) > (?, ?::uuid)');
    values.push(after.name, after.id);
  }
  // One row more than the page tells whether another page follows.
  const rows = await em.getConnection().execute<{ id: string; sort_name: string }[]>(
    `select c.id, lower(c.name) as sort_name from customers c
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by lower(c.name), c.id limit ?`,
    [...values, req.limit + 1],
  );
  const page = rows.slice(0, req.limit);
  const last = page[page.length - 1];
  return {
    brands: await brandFacts(em, page.map((r) => r.id), now),
    nextCursor: rows.length > req.limit && last ? encodeBrandCursor({ name: last.sort_name, id: last.id }) : null,
  };
}
