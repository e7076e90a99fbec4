// Calls of an app's configuration section: read it with its schema and history, save a version
// with its "why", roll back. Beside api.ts (not in its shared table) so parts of the portal built
// at the same time do not collide.
import { send } from './api';
import type { Body, Ok } from './types';

export type ConfigurationView = Ok<'getApiAppsSlugConfiguration'>;
export type ConfigurationVersion = ConfigurationView['history'][number];
export type SavedVersion = Ok<'postApiAppsSlugConfigurationVersions'>;
export type NewVersion = Body<'postApiAppsSlugConfigurationVersions'>;

const base = (slug: string) => `/api/apps/${encodeURIComponent(slug)}/configuration`;

export const configurationApi = {
  read: (slug: string) => send<ConfigurationView>('GET', base(slug)),
  save: (slug: string, body: NewVersion) => send<SavedVersion>('POST', `${base(slug)}/versions`, body),
  rollBack: (slug: string, version: number) =>
    send<Ok<'postApiAppsSlugConfigurationRollback'>>('POST', `${base(slug)}/rollback`, { version } satisfies Body<'postApiAppsSlugConfigurationRollback'>),
};
