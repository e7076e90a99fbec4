// What changed between two configuration versions, as lines a person reads in the history:
// "theme.primary: #1f3a5f → #ff0000". Pure and unit-tested.

export interface Change {
  /** Dotted path of the setting, e.g. "theme.primary". */
  path: string;
  /** Absent when the setting did not exist on that side. */
  before?: unknown;
  after?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf settings that differ, sorted by path; nested groups are walked, lists compared whole. */
export function diffConfigurations(before: unknown, after: unknown, prefix = ''): Change[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!(k in before)) return [{ path, after: after[k] }];
      if (!(k in after)) return [{ path, before: before[k] }];
      return diffConfigurations(before[k], after[k], path);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: prefix, before, after }];
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

/** One readable line per change. */
export const describeChange = (c: Change) => `${c.path}: ${show(c.before)} → ${show(c.after)}`;
