// What /v1/widget-config answers, held per API process: every storefront page view asks for it,
// and it changes only when the brand saves a configuration or (de)activates an app. Both publish
// an invalidation on the live channel, so every process drops the brand's entries at once; the
// lifetime is only the backstop for a lost message.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Lru } from '../../domain/cache/lru';
import { widgetConfiguration, type WidgetConfiguration } from '../../domain/widget-configuration';
import type { PricedApp } from './app-prices';

const ttlMs = 30_000;
const maxBrands = 20_000;

export class WidgetConfigCache {
  /** Per brand, per app id. */
  private readonly brands = new Lru<string, Map<string, { view: WidgetConfiguration; until: number }>>(maxBrands);

  constructor(private readonly orm: MikroORM) {}

  async get(customerId: string, app: PricedApp): Promise<WidgetConfiguration> {
    let apps = this.brands.get(customerId);
    const hit = apps?.get(app.id);
    if (hit && hit.until >= Date.now()) return hit.view;
    const view = await widgetConfiguration(this.orm.em.fork(), customerId, app);
    if (!apps) {
      apps = new Map();
      this.brands.set(customerId, apps);
    }
    apps.set(app.id, { view, until: Date.now() + ttlMs });
    return view;
  }

  forget(customerId: string): void {
    this.brands.delete(customerId);
  }
}
