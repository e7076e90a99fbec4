// Files named by configuration (CA bundles, client certs), read once at start. A missing
// file is a configuration error that names its setting, not a bare ENOENT from deep in a driver.
import { readFileSync } from 'node:fs';

export function readConfiguredFile(setting: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`invalid configuration: ${setting}=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
