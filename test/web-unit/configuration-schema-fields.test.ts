// The portal's settings form is generated from each app's JSON Schema: the mapping of schema
// shapes to inputs, labels and bounds, checked against the real schemas of the catalog.
import { settingsJsonSchema } from '../../domain/catalog/app-settings';
import { boundsOf, fieldId, fieldsOf, humanize, type Field } from '../../web/src/lib/configuration/schema-fields';

const byPath = (fields: Field[], path: string): Field | undefined => {
  for (const f of fields) {
    if (f.path.join('.') === path) return f;
    if (f.kind === 'group') {
      const found = byPath(f.fields, path);
      if (found) return found;
    }
  }
  return undefined;
};

describe('settings schema → form fields', () => {
  const fit = fieldsOf(settingsJsonSchema('fit-consultation'));

  it('keeps the schema order of the settings', () => {
    expect(fit.map((f) => f.path.join('.'))).toEqual(['placement', 'theme', 'buttonText', 'locale', 'measurementUnit', 'toleranceMm']);
  });

  it('makes a bounded integer a number field with its bounds and default', () => {
    expect(byPath(fit, 'toleranceMm')).toMatchObject({ kind: 'number', integer: true, minimum: 1, maximum: 10, defaultValue: 2, label: 'Fit tolerance (mm)' });
  });

  it('makes an enum a select with readable option labels', () => {
    const placement = byPath(fit, 'placement');
    expect(placement).toMatchObject({ kind: 'select', defaultValue: 'product-page' });
    expect(placement?.kind === 'select' && placement.options).toEqual([
      { value: 'product-page', label: 'Product page' },
      { value: 'collection-page', label: 'Collection page' },
      { value: 'floating-button', label: 'Floating button' },
    ]);
  });

  it('makes a union of number constants a select that keeps the numbers', () => {
    const period = byPath(fieldsOf(settingsJsonSchema('advanced-analytics')), 'reportPeriodDays');
    expect(period).toMatchObject({ kind: 'select', defaultValue: 30, options: [{ value: 7 }, { value: 30 }, { value: 90 }] });
  });

  it('makes a nested object a group, and its #rrggbb fields colours', () => {
    const theme = byPath(fit, 'theme');
    expect(theme).toMatchObject({ kind: 'group', label: 'Colours' });
    expect(byPath(fit, 'theme.primary')).toMatchObject({ kind: 'colour', path: ['theme', 'primary'], label: 'Primary colour', defaultValue: '#1f3a5f' });
  });

  it('makes a boolean a checkbox and a bounded string a text field with its lengths', () => {
    const finder = fieldsOf(settingsJsonSchema('frame-finder'));
    expect(byPath(finder, 'showPrices')).toMatchObject({ kind: 'checkbox', label: 'Show prices', defaultValue: true });
    expect(byPath(finder, 'buttonText')).toMatchObject({ kind: 'text', minLength: 1, maxLength: 40, defaultValue: 'Find frames' });
  });

  it('labels every field of every app', () => {
    for (const slug of ['virtual-try-on', 'pd-calculator', 'conversational-ai', 'style-consultation']) {
      const walk = (fields: Field[]): Field[] => fields.flatMap((f) => (f.kind === 'group' ? [f, ...walk(f.fields)] : [f]));
      for (const f of walk(fieldsOf(settingsJsonSchema(slug)))) expect(f.label).toMatch(/^[A-Z]/);
    }
  });

  it('draws an unknown shape as a text field rather than dropping it', () => {
    expect(fieldsOf({ type: 'object', properties: { odd: { type: 'array' } } })).toEqual([{ kind: 'text', path: ['odd'], label: 'Odd' }]);
  });

  it('gives no fields for something that is not an object schema', () => {
    expect(fieldsOf(null)).toEqual([]);
    expect(fieldsOf({ type: 'string' })).toEqual([]);
  });

  it('reads bounds as a person would', () => {
    expect(boundsOf(byPath(fit, 'toleranceMm')!)).toBe('1 to 10');
    expect(boundsOf(byPath(fit, 'buttonText')!)).toBe('1 to 40 characters');
    expect(boundsOf({ kind: 'number', integer: false, minimum: 0, path: ['x'], label: 'X' })).toBe('at least 0');
    expect(boundsOf(byPath(fit, 'locale')!)).toBeUndefined();
  });

  it('humanizes camel case and kebab case names', () => {
    expect(humanize('buttonText')).toBe('Button text');
    expect(humanize('floating-button')).toBe('Floating button');
  });

  it('gives each field an id from its whole path', () => {
    expect(fieldId(['theme', 'primary'])).toBe('setting-theme-primary');
  });
});
