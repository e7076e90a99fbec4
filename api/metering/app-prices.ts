// Slug → id and cost, from the apps table (the seed writes the contractual costs there).
// Refreshed in the background; a request never waits on it after the first load.
import type { MikroORM } from '@mikro-orm/postgresql';

export interface PricedApp {
  id: string;
  slug: string;
  costTokens: number;
}

const refreshMs = 60_000;

export class AppPrices {
  private bySlug = new Map<string, PricedApp>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly orm: MikroORM) {}

  async find(slug: string): Promise<PricedApp | undefined> {
    if (this.loadedAt === 0) await this.refresh();
    else if (Date.now() - this.loadedAt > refreshMs) void this.refresh().catch(() => undefined);
    return this.bySlug.get(slug);
  }

  refresh(): Promise<void> {
    this.loading ??= this.orm.em
      .getConnection()
      .execute<{ id: string; slug: string; cost_tokens: number }[]>('select id, slug, cost_tokens from apps')
      .then((rows) => {
        this.bySlug = new Map(rows.map((r) => [r.slug, { id: r.id, slug: r.slug, costTokens: Number(r.cost_tokens) }]));
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
