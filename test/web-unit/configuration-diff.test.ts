// The history's "what changed" lines: leaf settings compared between two versions.
import { describeChange, diffConfigurations } from '../../web/src/lib/configuration/diff';
import { errorsByPath, settingPath } from '../../web/src/lib/configuration/field-errors';

describe('configuration diff', () => {
  const v1 = { buttonText: 'Try it on', theme: { primary: '#1f3a5f', background: '#ffffff' }, showFrameSize: true };

  it('names a nested change by its dotted path, with both values', () => {
    const v2 = { ...v1, theme: { ...v1.theme, primary: '#ff0000' } };
    expect(diffConfigurations(v1, v2).map(describeChange)).toEqual(['theme.primary: #1f3a5f → #ff0000']);
  });

  it('lists every changed setting, sorted by path, and nothing that stayed', () => {
    const v2 = { ...v1, buttonText: 'See it on you', showFrameSize: false };
    expect(diffConfigurations(v1, v2).map(describeChange)).toEqual(['buttonText: Try it on → See it on you', 'showFrameSize: true → false']);
  });

  it('says when a setting was added or removed', () => {
    expect(diffConfigurations({ a: 1 }, { b: 2 }).map(describeChange)).toEqual(['a: 1 → (not set)', 'b: (not set) → 2']);
  });

  it('finds no change between equal versions', () => {
    expect(diffConfigurations(v1, structuredClone(v1))).toEqual([]);
  });

  it('compares lists whole and shows an empty string visibly', () => {
    expect(diffConfigurations({ l: [1, 2] }, { l: [2, 1] })).toEqual([{ path: 'l', before: [1, 2], after: [2, 1] }]);
    expect(describeChange({ path: 'greeting', before: 'Hi', after: '' })).toBe('greeting: Hi → ""');
  });
});

describe('API field errors → settings', () => {
  it('strips the request location from either save form', () => {
    expect(settingPath('body.configuration.theme.primary')).toBe('theme.primary');
    expect(settingPath('body.theme.primary')).toBe('theme.primary');
    expect(settingPath('body.why')).toBe('why');
  });

  it('keeps the first message per setting', () => {
    expect(errorsByPath([{ path: 'body.configuration.toleranceMm', message: 'Too big' }, { path: 'body.configuration.toleranceMm', message: 'Other' }])).toEqual({ toleranceMm: 'Too big' });
    expect(errorsByPath(undefined)).toEqual({});
  });
});
