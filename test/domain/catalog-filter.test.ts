import { matchesFilter, type Filterable } from '../../domain/catalog/catalog-filter';

const tryOn: Filterable = {
  app: { name: 'Virtual Try-On', description: 'Shoppers see frames on their own face.', category: 'try-on' },
  activation: { status: 'active' },
};
const pd: Filterable = {
  app: { name: 'PD Calculator', description: 'Measures pupillary distance from a photo.', category: 'measurement' },
  activation: { status: 'inactive' },
};

describe('catalog filter', () => {
  it('matches text case-insensitively in the name, description or category', () => {
    expect([matchesFilter(tryOn, { q: 'VIRTUAL' }), matchesFilter(pd, { q: 'pupillary' }), matchesFilter(pd, { q: 'Measurement' })]).toEqual([true, true, true]);
  });

  it('needs every word of the search to appear', () => {
    expect([matchesFilter(tryOn, { q: 'frames face' }), matchesFilter(tryOn, { q: 'frames pupillary' })]).toEqual([true, false]);
  });

  it('does not match a term spanning two fields', () => {
    expect(matchesFilter(pd, { q: 'calculatormeasures' })).toBe(false);
    expect(matchesFilter(pd, { q: 'photo.measurement' })).toBe(false);
  });

  it('treats an empty search as no search', () => {
    expect(matchesFilter(pd, { q: '' })).toBe(true);
  });

  it('filters by category', () => {
    expect([matchesFilter(tryOn, { category: 'try-on' }), matchesFilter(pd, { category: 'try-on' })]).toEqual([true, false]);
  });

  it('filters by activation status', () => {
    expect([matchesFilter(tryOn, { status: 'inactive' }), matchesFilter(pd, { status: 'inactive' })]).toEqual([false, true]);
  });

  it('ignores the activation filter for an operator, who has no activations', () => {
    expect(matchesFilter({ ...pd, activation: null }, { status: 'active' })).toBe(true);
  });
});
