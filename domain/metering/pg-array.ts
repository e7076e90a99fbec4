// PostgreSQL array literals for bulk writes: one text parameter per column, expanded with
// `unnest`, which PostgreSQL parses far cheaper than a JSON document of the same rows.

/** `{"a","b",NULL}`: every element quoted, so commas, braces and quotes in values are safe. */
export function pgArray(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}
