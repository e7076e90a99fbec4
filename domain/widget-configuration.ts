// What a storefront widget needs to render an app: the brand's current configuration of it,
// complete, every field the brand never set taking its default.
import type { EntityManager } from '@mikro-orm/postgresql';
import { appCatalog } from './catalog/apps';
import { defaultConfiguration, settingsSchemaFor } from './catalog/app-settings';
import { CustomerApp } from './entities';
import { AppError } from './errors';

export interface WidgetConfiguration {
  app: string;
  name: string;
  costTokens: number;
  configuration: Record<string, unknown>;
}

export async function widgetConfiguration(em: EntityManager, customerId: string, app: { id: string; slug: string; costTokens: number }): Promise<WidgetConfiguration> {
  const schema = settingsSchemaFor(app.slug);
  const entry = appCatalog.find((a) => a.slug === app.slug);
  if (!schema || !entry) throw new AppError('UNKNOWN_APP', `No app is called "${app.slug}".`, { field: 'params.slug' });
  const customerApp = await em.findOne(CustomerApp, { customer: customerId, app: app.id });
  const stored = customerApp?.configuration ?? {};
  // Stored settings seen through today's schema; one that no longer parses still keeps the
  // fields it has, over the defaults, rather than breaking the storefront.
  const parsed = schema.safeParse(stored);
  const configuration = parsed.success ? parsed.data : { ...defaultConfiguration(app.slug), ...stored };
  return { app: app.slug, name: entry.name, costTokens: app.costTokens, configuration };
}
