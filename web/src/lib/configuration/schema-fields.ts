// Turns an app's settings JSON Schema (draft 2020-12, as zod writes it) into the list of fields
// the portal's form draws. Pure, so the mapping is unit-tested without a browser; a schema shape
// it does not know becomes a plain text field rather than vanishing from the form.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Option {
  value: string | number | boolean;
  label: string;
}

interface Base {
  /** The setting's place in the configuration, e.g. ['theme', 'primary']. */
  path: string[];
  label: string;
  description?: string;
  /** The schema's default, shown beside the field. */
  defaultValue?: Json;
}

export type Field =
  | (Base & { kind: 'text'; minLength?: number; maxLength?: number })
  | (Base & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number })
  | (Base & { kind: 'select'; options: Option[] })
  | (Base & { kind: 'checkbox' })
  | (Base & { kind: 'colour' })
  | (Base & { kind: 'group'; fields: Field[] });

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "buttonText" → "Button text"; "floating-button" → "Floating button". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The only colour shape our settings use; a field with this pattern gets a colour picker. */
const COLOUR_PATTERN = '^#[0-9a-fA-F]{6}$';

function optionLabel(value: string | number | boolean): string {
  // Tags such as "en-GB" and numbers read best as they are; words get spaces.
  return typeof value === 'string' && /^[a-z]+(-[a-z]+)+$/.test(value) ? humanize(value) : String(value);
}

/** An enum, or a union of constants (zod's z.union of literals), as the values of a select. */
function choicesOf(schema: Schema): Option[] | null {
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : Array.isArray(schema.anyOf) && schema.anyOf.every((s) => isObject(s) && 'const' in s)
      ? schema.anyOf.map((s) => (s as Schema).const)
      : null;
  if (!values) return null;
  return values.filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v)).map((v) => ({ value: v, label: optionLabel(v) }));
}

function fieldOf(name: string, schema: Schema, parent: string[]): Field {
  const path = [...parent, name];
  const base: Base = {
    path,
    label: typeof schema.title === 'string' ? schema.title : humanize(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    ...('default' in schema ? { defaultValue: schema.default as Json } : {}),
  };
  if (schema.type === 'object' && isObject(schema.properties)) {
    return { ...base, kind: 'group', fields: fieldsOf(schema, path) };
  }
  const options = choicesOf(schema);
  if (options) return { ...base, kind: 'select', options };
  if (schema.type === 'boolean') return { ...base, kind: 'checkbox' };
  if (schema.type === 'number' || schema.type === 'integer') {
    return {
      ...base,
      kind: 'number',
      integer: schema.type === 'integer',
      ...(typeof schema.minimum === 'number' ? { minimum: schema.minimum } : {}),
      ...(typeof schema.maximum === 'number' ? { maximum: schema.maximum } : {}),
    };
  }
  if (schema.pattern === COLOUR_PATTERN) return { ...base, kind: 'colour' };
  return {
    ...base,
    kind: 'text',
    ...(typeof schema.minLength === 'number' ? { minLength: schema.minLength } : {}),
    ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
  };
}

/** The fields of an object schema, in the schema's own order. */
export function fieldsOf(schema: unknown, parent: string[] = []): Field[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  return Object.entries(schema.properties)
    .filter((entry): entry is [string, Schema] => isObject(entry[1]))
    .map(([name, property]) => fieldOf(name, property, parent));
}

/** Bounds as a person reads them: "1 to 10", "at least 1", "at most 50 characters". */
export function boundsOf(field: Field): string | undefined {
  const range = (low: number | undefined, high: number | undefined, unit = '') => {
    if (low !== undefined && high !== undefined) return `${low} to ${high}${unit}`;
    if (low !== undefined) return `at least ${low}${unit}`;
    if (high !== undefined) return `at most ${high}${unit}`;
    return undefined;
  };
  if (field.kind === 'number') return range(field.minimum, field.maximum);
  if (field.kind === 'text') return range(field.minLength, field.maxLength, ' characters');
  return undefined;
}

/** The DOM id of a field's input, from its path, so an API error can find and focus it. */
export const fieldId = (path: string[]) => `setting-${path.join('-')}`;
