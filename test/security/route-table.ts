// The security suite walks the app's own route table, so a new route is swept the day it lands.
import type { AnyRoute } from '../../api/route';

export const routeKey = (r: Pick<AnyRoute, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;

export const isMutating = (r: AnyRoute) => r.method !== 'get';

/** The path with each `:param` replaced from `values`, or by a harmless placeholder. */
export function concretePath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? placeholder(name)));
}

function placeholder(name: string): string {
  if (name === 'slug') return 'pd-calculator';
  if (name === 'drawing') return 'round_black_acetate_48-20-140.svg';
  // A well-formed id that matches nothing.
  return '00000000-0000-4000-8000-000000000000';
}
