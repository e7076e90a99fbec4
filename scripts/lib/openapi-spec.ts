import type { Deps } from '../../api/deps';
import { createApp } from '../../api/app';
import { buildOpenApi } from '../../api/openapi';
import { loadConfig } from '../../domain/config';

/** The spec as the app would serve it; building the app touches no service. */
export function currentSpec() {
  const config = loadConfig({});
  const { routes } = createApp({ config, logger: { error() {} } } as unknown as Deps);
  return buildOpenApi(routes, { serverUrl: config.api.publicUrl });
}
