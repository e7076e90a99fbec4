// Operators' feature flags: read and written here, one audited row per change. The widget path
// never reads this table per request: each API process holds it (api/metering/flag-table.ts).
import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/record';
import { App, FeatureFlag, User, type FlagKind } from '../entities';
import { AppError } from '../errors';

export interface FlagInput {
  kind: FlagKind;
  target: string;
  percentage: number;
  brands: string[];
  killed: boolean;
  note: string;
}

export interface FlagView extends FlagInput {
  key: string;
  updatedAt: Date;
  updatedBy: string | null;
}

interface Actor {
  userId: string;
  requestId?: string;
}

const view = (f: FeatureFlag): FlagView => ({
  key: f.key,
  kind: f.kind,
  target: f.target,
  percentage: f.percentage,
  brands: [...f.brands],
  killed: f.killed,
  note: f.note,
  updatedAt: f.updatedAt,
  updatedBy: f.updatedBy?.email ?? null,
});

/** What the audit keeps of a flag: its rule, not who changed it last (the row's actor says that). */
const rule = (f: FlagInput) => ({ kind: f.kind, target: f.target, percentage: f.percentage, brands: [...f.brands].sort(), killed: f.killed, note: f.note });

export async function listFlags(em: EntityManager): Promise<FlagView[]> {
  const rows = await em.find(FeatureFlag, {}, { populate: ['updatedBy'], orderBy: { key: 'asc' } });
  return rows.map(view);
}

/** Refuses what the table would refuse later, naming the field: an unknown app, an unknown brand, a target another flag holds. */
async function check(em: EntityManager, key: string, input: FlagInput): Promise<void> {
  if (input.kind === 'app' && !(await em.findOne(App, { slug: input.target }))) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', { fields: [{ path: 'body.target', message: `No app is called "${input.target}".` }] });
  }
  const other = await em.findOne(FeatureFlag, { kind: input.kind, target: input.target, key: { $ne: key } });
  if (other) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', { fields: [{ path: 'body.target', message: `The flag "${other.key}" already controls this ${input.kind}.` }] });
  }
  if (input.brands.length === 0) return;
  const found = await em.getConnection().execute<{ id: string }[]>('select id from customers where id = any(?::uuid[])', [`{${input.brands.join(',')}}`]);
  const known = new Set(found.map((r) => r.id));
  const fields = input.brands.flatMap((id, i) => (known.has(id) ? [] : [{ path: `body.brands.${i}`, message: 'No brand has this id.' }]));
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', { fields });
}

/**
 * Creates or replaces the flag; a change is audited with the rule before and after, a repeat is not.
 * Two operators creating the same key (or aiming two keys at one app) at once: the loser's insert
 * meets the unique index, and its second attempt sees the winner's row (an update, or a 422).
 */
export async function putFlag(em: EntityManager, key: string, input: FlagInput, actor: Actor): Promise<{ flag: FlagView; changed: boolean }> {
  try {
    return await putOnce(em.fork(), key, input, actor);
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    return putOnce(em.fork(), key, input, actor);
  }
}

async function putOnce(em: EntityManager, key: string, input: FlagInput, actor: Actor): Promise<{ flag: FlagView; changed: boolean }> {
  const brands = [...new Set(input.brands)];
  const wanted = { ...input, brands };
  await check(em, key, wanted);
  return em.transactional(async (tx) => {
    // FOR UPDATE: two operators saving the same flag at once each see the other's before.
    const existing = await tx.findOne(FeatureFlag, { key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const before = existing ? rule(existing) : null;
    const after = rule(wanted);
    if (before && JSON.stringify(before) === JSON.stringify(after)) return { flag: view(await tx.findOneOrFail(FeatureFlag, { key }, { populate: ['updatedBy'] })), changed: false };
    const row = existing ?? tx.create(FeatureFlag, { key, kind: wanted.kind, target: wanted.target });
    Object.assign(row, wanted, { updatedAt: new Date(), updatedBy: tx.getReference(User, actor.userId) });
    recordAudit(tx, {
      actor: { kind: 'operator', userId: actor.userId },
      customerId: null,
      action: 'feature_flag.updated',
      target: { type: 'feature_flag', id: key },
      details: { before, after },
      requestId: actor.requestId,
    });
    await tx.flush();
    await tx.populate(row, ['updatedBy']);
    return { flag: view(row), changed: true };
  });
}
