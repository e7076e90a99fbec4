// A customer's configuration of one app, versioned. Each save appends a version numbered per
// (customer, app) from 1; a rollback appends a copy of an older one. The current configuration
// is mirrored into customer_apps.configuration in the same transaction, for readers that want
// only the current state.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { defaultConfiguration, settingsSchemaFor, settingsJsonSchema, type SettingsSchema } from './catalog/app-settings';
import { recordAudit } from './audit/record';
import { App, AppConfigurationVersion, Customer, CustomerApp, User } from './entities';
import { AppError } from './errors';

type Configuration = Record<string, unknown>;

export interface ConfigurationChange {
  version: number;
  configuration: Configuration;
  changedBy: { id: string; email: string } | null;
  reason: string | null;
  createdAt: string;
}

export interface ConfigurationView {
  configuration: Configuration;
  /** 0 until the first save: the configuration is then the app's defaults. */
  version: number;
  schema: Record<string, unknown>;
  history: ConfigurationChange[];
}

/** History is newest first and bounded, so a brand that saves often still gets a small answer. */
export const historyLimit = 100;

/** Characters of the "why" note kept with a version: a sentence or two, not a document. */
export const reasonMaxLength = 500;

interface Actor {
  customerId: string;
  actorId: string;
  slug: string;
  requestId?: string;
}

async function appOf(em: EntityManager, slug: string): Promise<{ app: App; schema: SettingsSchema }> {
  const schema = settingsSchemaFor(slug);
  const app = schema ? await em.findOne(App, { slug }) : null;
  if (!schema || !app) throw new AppError('UNKNOWN_APP', `No app is called "${slug}".`, { field: 'params.slug' });
  return { app, schema };
}

/** Same field shape as route validation; an unknown key is named by its own path, not its parent's. */
function fieldsOf(issues: z.core.$ZodIssue[], location: string) {
  return issues.flatMap((i) => {
    const at = [location, ...i.path.map(String)];
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'Unknown setting.' }));
    return [{ path: at.join('.'), message: i.message }];
  });
}

/** `location` names where the settings sat in the request, so each bad field is named as the client sent it. */
function parseConfiguration(schema: SettingsSchema, value: unknown, location = 'body'): Configuration {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', { fields: fieldsOf(result.error.issues, location) });
  }
  return result.data;
}

/** Stored settings seen through today's schema, so a field added since gets its default. */
function current(schema: SettingsSchema, stored: Configuration): Configuration {
  const result = schema.safeParse(stored);
  return result.success ? result.data : stored;
}

export async function readConfiguration(em: EntityManager, customerId: string, slug: string): Promise<ConfigurationView> {
  const { app, schema } = await appOf(em, slug);
  const customerApp = await em.findOne(CustomerApp, { customer: customerId, app });
  const versions = await em.find(
    AppConfigurationVersion,
    { customer: customerId, app },
    { orderBy: { version: 'desc' }, limit: historyLimit, populate: ['changedBy'] },
  );
  const version = versions[0]?.version ?? 0;
  return {
    configuration: current(schema, version > 0 && customerApp ? customerApp.configuration : {}),
    version,
    schema: settingsJsonSchema(slug),
    history: versions.map((v) => ({
      version: v.version,
      configuration: v.configuration,
      changedBy: v.changedBy ? { id: v.changedBy.id, email: v.changedBy.email } : null,
      reason: v.reason ?? null,
      createdAt: v.createdAt.toISOString(),
    })),
  };
}

interface Append extends Omit<Actor, 'actorId'> {
  /** Absent when the system saves, e.g. the defaults at activation. */
  actorId?: string;
  app: App;
  configuration: Configuration;
  reason?: string;
  /** Append only when there is no version yet; otherwise answer the current one unchanged. */
  onlyIfFirst?: boolean;
}

async function appendVersion(em: EntityManager, a: Append): Promise<{ configuration: Configuration; version: number }> {
  return em.transactional(async (tx) => {
    const app = tx.getReference(App, a.app.id);
    // The customer_apps row is the lock that serialises saves of one app: it is created first
    // (as inactive, for an app never activated) so that even the first two saves queue on it.
    await tx.execute(
      'insert into customer_apps (customer_id, app_id, updated_at) values (?, ?, now()) on conflict (customer_id, app_id) do nothing',
      [a.customerId, a.app.id],
    );
    const customerApp = await tx.findOneOrFail(CustomerApp, { customer: a.customerId, app }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const [last] = await tx.execute<{ version: number }[]>(
      'select coalesce(max(version), 0)::int as version from app_configuration_versions where customer_id = ? and app_id = ?',
      [a.customerId, a.app.id],
    );
    if (a.onlyIfFirst && last && last.version > 0) return { configuration: customerApp.configuration, version: last.version };
    const version = (last?.version ?? 0) + 1;
    const previous = customerApp.configuration;
    tx.create(AppConfigurationVersion, {
      customer: tx.getReference(Customer, a.customerId),
      app,
      version,
      configuration: a.configuration,
      changedBy: a.actorId ? tx.getReference(User, a.actorId) : undefined,
      reason: a.reason,
    });
    customerApp.configuration = a.configuration;
    recordAudit(tx, {
      actor: a.actorId ? { kind: 'user', userId: a.actorId } : { kind: 'system' },
      customerId: a.customerId,
      action: 'app.configuration_changed',
      target: { type: 'app', id: a.slug },
      details: { version, reason: a.reason ?? null, changedKeys: changedKeys(previous, a.configuration) },
      requestId: a.requestId,
    });
    return { configuration: a.configuration, version };
  });
}

/** Top-level settings that differ, for the audit trail; a nested change names its group. */
function changedKeys(before: Configuration, after: Configuration): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

interface Save extends Actor {
  configuration: unknown;
  /** Why the brand changed it, kept with the version; already trimmed and bounded by the route. */
  reason?: string;
  /** Where the settings sat in the request body: `body` (PUT) or `body.configuration` (versions). */
  location?: string;
}

/** `configuration` is the whole object; absent fields take their defaults, unknown ones are refused. */
export async function saveConfiguration(em: EntityManager, input: Save) {
  const { app, schema } = await appOf(em, input.slug);
  const { location, ...rest } = input;
  return appendVersion(em, { ...rest, app, configuration: parseConfiguration(schema, input.configuration, location) });
}

/**
 * At activation: the app's defaults become version 1 unless the brand already has a
 * configuration, which is kept (a reactivation restores it). Checked under the save lock, so a
 * brand's own save at the same moment is never overwritten.
 */
export async function storeDefaultConfiguration(em: EntityManager, input: { customerId: string; slug: string }) {
  const { app, schema } = await appOf(em, input.slug);
  const configuration = parseConfiguration(schema, defaultConfiguration(input.slug));
  return appendVersion(em, { ...input, app, configuration, reason: 'defaults at activation', onlyIfFirst: true });
}

/** Appends a copy of an earlier version; history is never rewritten. */
export async function rollbackConfiguration(em: EntityManager, input: Actor & { version: number }) {
  const { app, schema } = await appOf(em, input.slug);
  // Versions are never updated, so reading the target outside the save transaction is safe.
  const target = await em.findOne(AppConfigurationVersion, { customer: input.customerId, app, version: input.version });
  if (!target) throw new AppError('NOT_FOUND', `This app has no configuration version ${input.version}.`, { field: 'body.version' });
  const result = schema.safeParse(target.configuration);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', {
      fields: [{ path: 'body.version', message: `Version ${input.version} no longer fits this app's settings.` }],
    });
  }
  return appendVersion(em, { ...input, app, configuration: result.data, reason: `rollback to v${input.version}` });
}
