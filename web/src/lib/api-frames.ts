// The brand's frame catalog: read a page, upload a file (sent as it is: CSV or JSON), go back to the sample.
import { send } from './api';
import type { Ok } from './types';

export type FrameCatalogPage = Ok<'getApiFrames'>;
export type CatalogFrame = FrameCatalogPage['frames'][number];

/** The upload's media type, from the file's name first: browsers give .csv files differing types (or none). */
export function uploadType(file: File): 'text/csv' | 'application/json' {
  if (/\.json$/i.test(file.name) || file.type === 'application/json') return 'application/json';
  return 'text/csv';
}

export const framesApi = {
  page: (limit: number, offset: number) => send<FrameCatalogPage>('GET', `/api/frames?limit=${limit}&offset=${offset}`),
  upload: (file: File) => send<Ok<'putApiFrames'>>('PUT', '/api/frames', file, { 'Content-Type': uploadType(file) }),
  reset: () => send<Ok<'deleteApiFrames'>>('DELETE', '/api/frames'),
};

/** The columns, as docs/guides/frame-catalog.md documents them. */
export const frameColumnDocs: { name: string; required: boolean; text: string }[] = [
  { name: 'sku', required: true, text: 'Your SKU, unique in the file (letters, digits, . _ - /; up to 64). The apps answer with it as the frame id.' },
  { name: 'name', required: true, text: 'The name shoppers see, up to 120 characters.' },
  { name: 'shape', required: true, text: 'round, rectangle, square, cat-eye, aviator, oval, browline, geometric or wayfarer.' },
  { name: 'material', required: true, text: 'acetate, metal, titanium or tr90.' },
  { name: 'colour', required: true, text: 'black, tortoise, clear, gold, silver, gunmetal, navy, burgundy, green or rose-gold (header "color" works too).' },
  { name: 'price', required: true, text: 'In US dollars, no currency sign: 129 or 129.00.' },
  { name: 'lensWidthMm', required: true, text: 'Lens width in mm, 30–70 (the first number on the temple: 52-18-140).' },
  { name: 'bridgeMm', required: true, text: 'Bridge in mm, 10–30 (the second number).' },
  { name: 'templeMm', required: true, text: 'Temple length in mm, 110–160 (the third number).' },
  { name: 'totalWidthMm', required: false, text: 'Front width in mm, 90–180. Left empty: 2 × lens + bridge + 12.' },
];

export const sampleCsv = [
  'sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm,totalWidthMm',
  'AC-100,Ada Round,round,acetate,black,129.00,49,20,145,132',
  'AC-101,Ada Square,square,acetate,tortoise,139.00,52,18,145,',
  'TI-200,Tess Aviator,aviator,titanium,gold,249.50,56,16,140,140',
  'MT-300,Milo Browline,browline,metal,gunmetal,159.00,51,19,145,',
].join('\n');
