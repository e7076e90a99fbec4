// The API names a bad setting by where it sat in the request: `body.configuration.theme.primary`
// for the portal's save, `body.theme.primary` for PUT. The form keys errors by the setting's own
// dotted path ("theme.primary"), and keeps `why` under its own name.
import type { FieldError } from '../types';

const PREFIXES = ['body.configuration.', 'body.'];

export function settingPath(apiPath: string): string {
  const prefix = PREFIXES.find((p) => apiPath.startsWith(p));
  return prefix ? apiPath.slice(prefix.length) : apiPath;
}

/** Dotted setting path → the first message about it. */
export function errorsByPath(fields: readonly FieldError[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) out[settingPath(String(f.path))] ??= f.message;
  return out;
}
