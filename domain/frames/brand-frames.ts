// A brand's own frame catalog in PostgreSQL: replaced whole by an upload, read a page at a time
// by the portal and whole by the engines' cache. The sample catalog is what a brand with no rows gets.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Frame } from '../engines/frame';
import { fromBigintColumn } from '../units';

interface FrameRow {
  sku: string;
  name: string;
  shape: Frame['shape'];
  material: Frame['material'];
  colour: Frame['colour'];
  price_cents: string;
  lens_width_mm: number;
  bridge_mm: number;
  temple_mm: number;
  total_width_mm: number;
}

const columns = 'sku, name, shape, material, colour, price_cents, lens_width_mm, bridge_mm, temple_mm, total_width_mm';

const toFrame = (r: FrameRow): Frame => ({
  id: r.sku,
  name: r.name,
  shape: r.shape,
  material: r.material,
  colour: r.colour,
  priceCents: fromBigintColumn(r.price_cents, 'frame price'),
  currency: 'usd',
  lensWidthMm: r.lens_width_mm,
  bridgeMm: r.bridge_mm,
  templeMm: r.temple_mm,
  totalWidthMm: r.total_width_mm,
});

/**
 * Replaces the brand's catalog inside the caller's transaction: the old rows go and the new ones
 * arrive together, or nothing changes. One insert from a JSON document, so 5,000 frames are one
 * statement (MikroORM inlines parameters, and a JSON literal is escaped as one string).
 */
export async function replaceBrandFrames(tx: EntityManager, customerId: string, frames: readonly Frame[]): Promise<{ count: number; updatedAt: Date }> {
  await tx.execute('delete from brand_frames where customer_id = ?', [customerId]);
  const doc = JSON.stringify(
    frames.map((f, position) => ({
      position, sku: f.id, name: f.name, shape: f.shape, material: f.material, colour: f.colour,
      price_cents: f.priceCents, lens_width_mm: f.lensWidthMm, bridge_mm: f.bridgeMm, temple_mm: f.templeMm, total_width_mm: f.totalWidthMm,
    })),
  );
  await tx.execute(
    `insert into brand_frames (customer_id, position, ${columns}, uploaded_at)
     select ?, r.position, r.sku, r.name, r.shape, r.material, r.colour, r.price_cents, r.lens_width_mm, r.bridge_mm, r.temple_mm, r.total_width_mm, now()
       from jsonb_to_recordset(?::jsonb) as r(position int, sku text, name text, shape text, material text, colour text, price_cents bigint,
            lens_width_mm smallint, bridge_mm smallint, temple_mm smallint, total_width_mm smallint)`,
    [customerId, doc],
  );
  const [row] = await tx.execute<{ now: Date }[]>('select now() as now');
  return { count: frames.length, updatedAt: new Date(row!.now) };
}

/** Back to the sample catalog: the number of frames removed. */
export async function clearBrandFrames(tx: EntityManager, customerId: string): Promise<number> {
  const res = await tx.execute<{ affectedRows: number }>('delete from brand_frames where customer_id = ?', [customerId], 'run');
  return res.affectedRows;
}

/** Every frame of the brand in upload order; empty when it has none (the engines then use the sample). */
export async function allBrandFrames(em: EntityManager, customerId: string): Promise<Frame[]> {
  const rows = await em.getConnection().execute<FrameRow[]>(`select ${columns} from brand_frames where customer_id = ? order by position`, [customerId]);
  return rows.map(toFrame);
}

export interface BrandFramePage {
  count: number;
  updatedAt: Date | null;
  frames: Frame[];
}

export async function brandFramePage(em: EntityManager, customerId: string, page: { limit: number; offset: number }): Promise<BrandFramePage> {
  const conn = em.getConnection();
  const [summary] = await conn.execute<{ count: string; updated_at: Date | null }[]>(
    'select count(*) as count, max(uploaded_at) as updated_at from brand_frames where customer_id = ?',
    [customerId],
  );
  const rows = await conn.execute<FrameRow[]>(`select ${columns} from brand_frames where customer_id = ? order by position limit ? offset ?`, [customerId, page.limit, page.offset]);
  return { count: Number(summary?.count ?? 0), updatedAt: summary?.updated_at ? new Date(summary.updated_at) : null, frames: rows.map(toFrame) };
}
