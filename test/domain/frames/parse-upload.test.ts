import { parseCsvUpload, parseJsonUpload } from '../../../domain/frames/parse-upload';
import { maxFrames } from '../../../domain/frames/columns';
import { outOfTokensHelp } from '../../../domain/metering/out-of-tokens';

const header = 'sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm,totalWidthMm';
const good = ['AC-100,Ada Round,round,acetate,black,129.00,49,20,145,132', 'TI-200,Tess Aviator,aviator,titanium,gold,249.5,56,16,140,'];

describe('parseCsvUpload', () => {
  it('reads every column, the price in exact cents, and estimates a missing front width', () => {
    const out = parseCsvUpload([header, ...good].join('\n'));
    expect(out.issues).toEqual([]);
    expect(out.frames).toEqual([
      { id: 'AC-100', name: 'Ada Round', shape: 'round', material: 'acetate', colour: 'black', priceCents: 12_900, currency: 'usd', lensWidthMm: 49, bridgeMm: 20, templeMm: 145, totalWidthMm: 132 },
      { id: 'TI-200', name: 'Tess Aviator', shape: 'aviator', material: 'titanium', colour: 'gold', priceCents: 24_950, currency: 'usd', lensWidthMm: 56, bridgeMm: 16, templeMm: 140, totalWidthMm: 2 * 56 + 16 + 12 },
    ]);
  });

  it('accepts headers in any case or snake_case, colour spelt color, a BOM, CRLF and quoted commas', () => {
    const csv = '\uFEFFSKU,Name,Shape,Material,Color,Price,lens_width_mm,Bridge MM,temple-mm\r\nX1,"Ada, the round",Round,ACETATE,Black,99,49,20,145\r\n';
    const out = parseCsvUpload(csv);
    expect(out.issues).toEqual([]);
    expect(out.frames![0]).toMatchObject({ id: 'X1', name: 'Ada, the round', shape: 'round', material: 'acetate', colour: 'black', priceCents: 9_900 });
  });

  it('reports every bad row at once with its line and field, and returns no frames', () => {
    const csv = [header, good[0], 'B-2,Bad,hexagon,acetate,black,12.345,49,20,145,', good[1], 'C-3,,round,wood,black,10,80,20,145,'].join('\n');
    const out = parseCsvUpload(csv);
    expect(out.frames).toBeNull();
    expect(out.issues.map((i) => i.path)).toEqual(['line 3: shape', 'line 3: price', 'line 5: name', 'line 5: material', 'line 5: lensWidthMm']);
    expect(out.issues[0]).toMatchObject({ line: 3, field: 'shape', message: expect.stringContaining('one of round') });
    expect(out.issues.find((i) => i.path === 'line 5: lensWidthMm')!.message).toBe('at most 70 mm');
  });

  it('refuses a duplicate SKU (without case) on the later line, naming the first', () => {
    const out = parseCsvUpload([header, good[0], good[1], good[0]!.replace('AC-100', 'ac-100')].join('\n'));
    expect(out.issues).toEqual([expect.objectContaining({ path: 'line 4: sku', line: 4, message: expect.stringContaining('first at line 2') })]);
  });

  it('names unknown and missing columns on the header line', () => {
    const out = parseCsvUpload('sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,gtin\nA,B,round,metal,gold,1,49,20,1');
    expect(out.issues.map((i) => i.path)).toEqual(['line 1: gtin', 'line 1: templeMm']);
  });

  it('reports a row with the wrong number of fields, and unreadable CSV with its line', () => {
    expect(parseCsvUpload([header, 'A,B,round'].join('\n')).issues).toEqual([expect.objectContaining({ path: 'line 2: row', message: 'has 3 fields; the header has 10' })]);
    expect(parseCsvUpload([header, 'A,"B,round,metal'].join('\n')).issues[0]).toMatchObject({ field: 'file', line: expect.any(Number) });
  });

  it('refuses an upload with no frames, and one past the row limit', () => {
    expect(parseCsvUpload(header).issues[0]!.message).toMatch(/no frames/);
    const many = Array.from({ length: maxFrames + 1 }, (_, i) => `S${i},N,round,metal,gold,1,49,20,145,`);
    expect(() => parseCsvUpload([header, ...many].join('\n'))).toThrow(expect.objectContaining({ code: 'TOO_MANY_FRAMES' }));
  });
});

describe('parseJsonUpload', () => {
  const frame = { sku: 'J-1', name: 'Jo Square', shape: 'square', material: 'tr90', colour: 'navy', price: 89, lensWidthMm: 52, bridgeMm: 18, templeMm: 140 };

  it('reads an array and the { frames } form alike', () => {
    expect(parseJsonUpload([frame]).frames![0]).toMatchObject({ id: 'J-1', priceCents: 8_900 });
    expect(parseJsonUpload({ frames: [frame] }).frames![0]).toMatchObject({ id: 'J-1' });
  });

  it('reports each bad item by its index and field, unknown keys included', () => {
    const out = parseJsonUpload([frame, { ...frame, sku: 'J-2', price: -1, gtin: '123' }, 'x', { ...frame }]);
    expect(out.issues.map((i) => i.path).sort()).toEqual(['body[1].gtin', 'body[1].price', 'body[2].row', 'body[3].sku']);
    expect(out.issues.find((i) => i.field === 'gtin')).toMatchObject({ index: 1, message: 'not a column of the frame catalog' });
  });

  it('refuses a body that is neither form', () => {
    expect(parseJsonUpload({ items: [] }).issues[0]!.path).toBe('body');
  });
});

describe('outOfTokensHelp', () => {
  const url = 'https://portal.example/';
  it('says buy_tokens when the brand has a plan, or when the cache does not know', () => {
    expect(outOfTokensHelp({ kind: 'insufficient', hasPlan: true }, url, false)).toEqual({ hint: 'buy_tokens', portalUrl: 'https://portal.example/#/billing' });
    expect(outOfTokensHelp({ kind: 'insufficient', hasPlan: null }, url, false).hint).toBe('buy_tokens');
  });
  it('says upgrade_plan without a plan and when suspended', () => {
    expect(outOfTokensHelp({ kind: 'insufficient', hasPlan: false }, url, false).hint).toBe('upgrade_plan');
    expect(outOfTokensHelp({ kind: 'suspended' }, url, false)).toEqual({ hint: 'upgrade_plan', portalUrl: 'https://portal.example/#/billing' });
  });
  it('sends a test key to the sandbox refill on the API keys page', () => {
    expect(outOfTokensHelp({ kind: 'insufficient', hasPlan: null }, url, true)).toEqual({ hint: 'buy_tokens', portalUrl: 'https://portal.example/#/api-keys' });
  });
});
