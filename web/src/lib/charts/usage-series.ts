// The chart data of the usage page, from the API's answers. Pure and import-free: unit-tested
// without a browser (the parts of the answers it reads are named here, structurally).

interface Buckets {
  series: { at: string; byApp: Record<string, { tokens: number }> }[];
  apps: { slug: string; name: string }[];
}

interface BalancePoints {
  balanceSeries: { at: string; balance: number }[];
  forecastSeries: { at: string; balance: number }[];
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export interface StackedTokens {
  /** Bucket starts, unix seconds. */
  x: number[];
  /** Apps bottom of the stack first (most tokens in the range first, as the API sorts them). */
  apps: { slug: string; name: string }[];
  /** Tokens per app and bucket, in `apps` order. */
  tokens: number[][];
  /** Running sums, the height each app's bar reaches: `tops[i][b]` = apps 0..i in bucket b. */
  tops: number[][];
}

export function stackedTokens(a: Buckets): StackedTokens {
  const apps = a.apps.map(({ slug, name }) => ({ slug, name }));
  const x = a.series.map((b) => seconds(b.at));
  const tokens = apps.map((app) => a.series.map((b) => b.byApp[app.slug]?.tokens ?? 0));
  const tops: number[][] = [];
  tokens.forEach((row, i) => tops.push(row.map((t, b) => t + (i > 0 ? tops[i - 1]![b]! : 0))));
  return { x, apps, tokens, tops };
}

export interface BalanceLines {
  x: number[];
  /** null where the line has no point (history ends now; the forecast starts there). */
  balance: (number | null)[];
  forecast: (number | null)[];
}

/** The cycle so far and the forecast on one time axis; the forecast starts at the last known balance, so the lines join. */
export function balanceLines(f: BalancePoints): BalanceLines {
  const points = new Map<number, { balance: number | null; forecast: number | null }>();
  const at = (t: number) => points.get(t) ?? points.set(t, { balance: null, forecast: null }).get(t)!;
  for (const p of f.balanceSeries) at(seconds(p.at)).balance = p.balance;
  const last = f.balanceSeries.at(-1);
  if (last && f.forecastSeries.length > 0) at(seconds(last.at)).forecast = last.balance;
  for (const p of f.forecastSeries) at(seconds(p.at)).forecast = p.balance;
  const x = [...points.keys()].sort((p, q) => p - q);
  return { x, balance: x.map((t) => points.get(t)!.balance), forecast: x.map((t) => points.get(t)!.forecast) };
}
