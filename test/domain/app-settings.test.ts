// Each app's settings schema: defaults for every field, strict about unknown keys, and a JSON
// Schema the portal can render a form from.
import { appCatalog } from '../../domain/catalog/apps';
import { defaultConfiguration, settingsJsonSchema, settingsSchemaFor } from '../../domain/catalog/app-settings';

const slugs = appCatalog.map((a) => a.slug);

const common = {
  placement: expect.stringMatching(/^(product-page|collection-page|floating-button)$/),
  theme: { primary: expect.stringMatching(/^#[0-9a-f]{6}$/), background: expect.stringMatching(/^#[0-9a-f]{6}$/), text: expect.stringMatching(/^#[0-9a-f]{6}$/) },
  buttonText: expect.any(String),
  locale: 'en',
};

const specific: Record<string, Record<string, unknown>> = {
  'virtual-try-on': { captureMode: 'both', showFrameSize: true },
  'contact-lens-try-on': { captureMode: 'both', showBeforeAfter: true },
  'face-shape-analysis': { captureMode: 'both', showRatios: true },
  'pd-calculator': { measurementMethod: 'iris' },
  'frame-finder': { maxResults: 12, showPrices: true },
  'eyewear-recommendations': { maxResults: 6, showPrices: true },
  'style-consultation': { recommendedStyles: 3, explainReasons: true },
  'fit-consultation': { measurementUnit: 'mm', toleranceMm: 2 },
  'conversational-ai': { greeting: expect.any(String), tone: 'friendly', placement: 'floating-button' },
  'advanced-analytics': { reportPeriodDays: 30 },
};

describe('app settings', () => {
  it('covers every app of the catalog and nothing else', () => {
    expect(Object.keys(specific).sort()).toEqual([...slugs].sort());
    expect(settingsSchemaFor('teleporter')).toBeUndefined();
    expect(settingsSchemaFor('__proto__')).toBeUndefined();
  });

  it.each(slugs)('gives %s a default for every field', (slug) => {
    expect(defaultConfiguration(slug)).toEqual({ ...common, ...specific[slug] });
  });

  it.each(slugs)('describes %s as a strict draft 2020-12 JSON Schema with a default per field', (slug) => {
    const js = settingsJsonSchema(slug) as { $schema: string; type: string; additionalProperties: boolean; properties: Record<string, { default?: unknown }> };
    expect(js.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(js).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(js.properties).sort()).toEqual(Object.keys(defaultConfiguration(slug)).sort());
    expect((js.properties.theme as { additionalProperties?: boolean }).additionalProperties).toBe(false);
    for (const [key, prop] of Object.entries(js.properties)) {
      if (key !== 'theme') expect({ key, default: prop.default }).toEqual({ key, default: defaultConfiguration(slug)[key] });
    }
  });

  it.each(slugs)('refuses an unknown key for %s, at the top and inside the theme', (slug) => {
    const schema = settingsSchemaFor(slug)!;
    expect(schema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(schema.safeParse({ theme: { accent: '#000000' } }).success).toBe(false);
  });

  it('fills the rest of a partial theme with its defaults', () => {
    const parsed = settingsSchemaFor('frame-finder')!.parse({ theme: { primary: '#00AA00' } });
    expect(parsed.theme).toEqual({ primary: '#00AA00', background: '#ffffff', text: '#1a1a1a' });
  });

  it.each([
    [{ theme: { primary: 'red' } }],
    [{ theme: { text: '#12345' } }],
    [{ buttonText: '' }],
    [{ buttonText: 'x'.repeat(41) }],
    [{ locale: 'klingon' }],
    [{ locale: 'en_US' }],
    [{ placement: 'footer' }],
  ])('refuses the common setting %j', (input) => {
    expect(settingsSchemaFor('pd-calculator')!.safeParse(input).success).toBe(false);
  });

  it.each([
    ['virtual-try-on', { captureMode: 'video' }],
    ['pd-calculator', { measurementMethod: 'ruler' }],
    ['frame-finder', { maxResults: 0 }],
    ['eyewear-recommendations', { maxResults: 51 }],
    ['eyewear-recommendations', { maxResults: 2.5 }],
    ['conversational-ai', { tone: 'sarcastic' }],
    ['conversational-ai', { greeting: '' }],
    ['advanced-analytics', { reportPeriodDays: 14 }],
    ['fit-consultation', { toleranceMm: 0 }],
    ['style-consultation', { recommendedStyles: 11 }],
  ])('refuses an out-of-range %s option %j', (slug, input) => {
    expect(settingsSchemaFor(slug)!.safeParse(input).success).toBe(false);
  });

  it('accepts the locales of the allow-list, region and all', () => {
    for (const locale of ['en', 'en-US', 'fr-FR']) expect(settingsSchemaFor('virtual-try-on')!.parse({ locale }).locale).toBe(locale);
  });
});
