import type { Deps } from '../../api/deps';
import { createApp } from '../../api/app';
import { buildOpenApi } from '../../api/openapi';
import { loadConfig } from '../../domain/infra/config';

/** The app's route table. Building the app touches no service, so no real deps are needed. */
export function declaredRoutes() {
  const config = loadConfig({});
  return createApp({ config, logger: { error() {} } } as unknown as Deps).routes;
}

/** The spec as the app serves it. */
export function currentSpec() {
  return buildOpenApi(declaredRoutes(), { serverUrl: loadConfig({}).api.publicUrl });
}

/** Where the portal's HTTP types are written, beside its api.ts (by ./web-types.ts). */
export const webTypesFile = 'web/src/lib/api-schema.d.ts';
