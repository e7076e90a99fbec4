// Which frames a brand's engine runs search, held per API process so a run never queries
// PostgreSQL for them: the brand's own catalog, or the sample when it has none. An upload or a
// reset publishes the `frames` invalidation, so every process drops the brand at once; the
// lifetime is only the backstop for a lost message.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Lru } from '../../domain/cache/lru';
import { catalogOf, sampleCatalog, type FrameCatalog } from '../../domain/engines';
import { allBrandFrames } from '../../domain/frames/brand-frames';

const ttlMs = 5 * 60_000;
/** Up to 5,000 frames each: bounded by count, the sample (shared) costs nothing. */
const maxBrands = 500;

export class FrameCatalogCache {
  private readonly brands = new Lru<string, { catalog: FrameCatalog; until: number }>(maxBrands);
  /** One load per brand at a time: a burst of runs after an invalidation shares it. */
  private readonly loading = new Map<string, Promise<FrameCatalog>>();
  /** Bumped by every invalidation: a load that one overtook answers its caller but is not kept. */
  private generation = 0;

  constructor(private readonly orm: MikroORM) {}

  async get(customerId: string): Promise<FrameCatalog> {
    const hit = this.brands.get(customerId);
    if (hit && hit.until >= Date.now()) return hit.catalog;
    let pending = this.loading.get(customerId);
    if (!pending) {
      const load = this.load(customerId).finally(() => {
        if (this.loading.get(customerId) === load) this.loading.delete(customerId);
      });
      pending = load;
      this.loading.set(customerId, pending);
    }
    return pending;
  }

  forget(customerId: string): void {
    this.generation += 1;
    this.brands.delete(customerId);
    this.loading.delete(customerId);
  }

  private async load(customerId: string): Promise<FrameCatalog> {
    const generation = this.generation;
    const frames = await allBrandFrames(this.orm.em.fork(), customerId);
    const catalog = frames.length ? catalogOf(Object.freeze(frames.map((f) => Object.freeze(f))), 'brand') : sampleCatalog;
    if (generation === this.generation) this.brands.set(customerId, { catalog, until: Date.now() + ttlMs });
    return catalog;
  }
}
