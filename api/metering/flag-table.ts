// Every feature flag, held whole in each API process: the widget path asks it on every request
// and gets an answer from memory. A change reaches every process twice over: the `flags`
// invalidation (Redis pub/sub, milliseconds) reloads the table, and a periodic reload (every
// 10 s) catches a process that missed the message (a reconnecting subscriber). So a kill switch
// holds everywhere within about a second, and within 10 s at worst.
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { appGate, isIn, type AppGate, type FlagRule } from '../../domain/flags/rollout';

interface Row {
  key: string;
  kind: 'app' | 'feature';
  target: string;
  percentage: number;
  brands: string[];
  killed: boolean;
}

export const flagRefreshMs = 10_000;

export class FlagTable {
  private apps = new Map<string, FlagRule>();
  private features: (FlagRule & { target: string })[] = [];
  private loaded: Promise<void> | null = null;
  /** Set by an invalidation that arrives while a load is running: that load may have read the old row. */
  private stale = false;
  private running: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    refreshMs = flagRefreshMs,
  ) {
    this.timer = setInterval(() => void this.reload().catch(() => undefined), refreshMs);
    this.timer.unref();
  }

  /** The gate of one app for one brand; awaits only the first load of the process. */
  async appGate(slug: string, customerId: string): Promise<AppGate> {
    await this.ready();
    return appGate(this.apps.get(slug), customerId);
  }

  /** The app's gate as an operator sees it (no brand): only the kill switch counts. */
  async appKilled(slug: string): Promise<boolean> {
    await this.ready();
    return this.apps.get(slug)?.killed ?? false;
  }

  /** The feature flags that let this brand in, by target. */
  async featuresOf(customerId: string): Promise<string[]> {
    await this.ready();
    return this.features.filter((f) => isIn(f, customerId)).map((f) => f.target);
  }

  ready(): Promise<void> {
    this.loaded ??= this.reload().catch((err: unknown) => {
      this.loaded = null;
      throw err;
    });
    return this.loaded;
  }

  /** Reloads now; a reload already running is followed by one more, so the newest change is always read. */
  reload(): Promise<void> {
    if (this.running) {
      this.stale = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.stale = false;
        await this.load();
      } while (this.stale);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async load(): Promise<void> {
    const rows = await this.orm.em.getConnection().execute<Row[]>('select key, kind, target, percentage, brands, killed from feature_flags');
    const rules = rows.map((r) => ({ key: r.key, target: r.target, kind: r.kind, percentage: Number(r.percentage), brands: r.brands, killed: r.killed }));
    this.apps = new Map(rules.filter((r) => r.kind === 'app').map((r) => [r.target, r]));
    this.features = rules.filter((r) => r.kind === 'feature');
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** The refusal of an app an operator killed (every brand) or has not rolled out to this brand yet. */
export async function assertAppOpen(flags: FlagTable, slug: string, customerId: string): Promise<void> {
  const gate = await flags.appGate(slug, customerId);
  if (gate === 'killed') throw new AppError('APP_DISABLED', `${slug} is switched off for now. Try again later.`, { retryAfterSeconds: 60 });
  if (gate === 'not_released') throw new AppError('APP_NOT_RELEASED', `${slug} is not released to this brand yet.`);
}
