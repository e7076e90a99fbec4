// uPlot and its stylesheet, fetched the first time a chart draws: only the usage page has charts,
// so the portal's first load never carries them (test/web/bundle-size.test.ts).
import type uPlotType from 'uplot';
// Its few layout rules travel with the page that imports this file, itself a lazy chunk.
import './uplot.css';
import './chart-figure.css';

let loading: Promise<typeof uPlotType> | null = null;

export function loadUplot(): Promise<typeof uPlotType> {
  loading ??= import('uplot').then((m) => m.default);
  return loading;
}
