// Pure: MRR movement by month and the retention of paying brands, from each brand's MRR history
// (subscription_mrr_changes, one row per change of plan or status). A brand's MRR at a moment is
// that of its latest change before it; a month's movement compares each brand's MRR at the end of
// the month before with its MRR at the end of this one (at `now` for the current month), so a
// change undone within the month moves nothing.

export interface MrrChange {
  customerId: string;
  at: Date;
  mrrCents: number;
}

export interface MrrMonth {
  /** YYYY-MM, UTC. */
  month: string;
  newCents: number;
  expansionCents: number;
  contractionCents: number;
  churnCents: number;
  /** The month's closing MRR. */
  mrrCents: number;
}

export interface Retention {
  days: number;
  /** Brands that first paid at least `days` ago. */
  cohort: number;
  /** Of those, the ones still paying `days` after they first paid. */
  retained: number;
  /** retained ÷ cohort; 0 for an empty cohort. */
  rate: number;
}

/** How one brand's MRR moved between two moments. */
export function classifyMove(beforeCents: number, afterCents: number): Omit<MrrMonth, 'month' | 'mrrCents'> {
  const move = { newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 0 };
  if (beforeCents === 0 && afterCents > 0) move.newCents = afterCents;
  else if (beforeCents > 0 && afterCents === 0) move.churnCents = beforeCents;
  else if (afterCents > beforeCents) move.expansionCents = afterCents - beforeCents;
  else if (afterCents < beforeCents) move.contractionCents = beforeCents - afterCents;
  return move;
}

export const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/** The first instant of the UTC month `offset` months after the one `at` falls in. */
export const monthStart = (at: Date, offset = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));

/** The last `count` UTC months up to the one `now` falls in, oldest first. */
export function lastMonths(now: Date, count: number): { month: string; startAt: Date; endAt: Date }[] {
  return Array.from({ length: count }, (_, i) => {
    const startAt = monthStart(now, i - count + 1);
    const next = monthStart(now, i - count + 2);
    return { month: monthKey(startAt), startAt, endAt: next > now ? now : next };
  });
}

/** Each brand's changes, oldest first. */
export function byBrand<T extends MrrChange>(changes: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const c of changes) {
    const list = out.get(c.customerId) ?? [];
    list.push(c);
    out.set(c.customerId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  return out;
}

/** MRR at `at` (changes made at or after it do not count yet). */
export function mrrAt(history: readonly MrrChange[], at: Date): number {
  let mrr = 0;
  for (const c of history) {
    if (c.at >= at) break;
    mrr = c.mrrCents;
  }
  return mrr;
}

/** A brand's MRR at each of the ascending `moments`, in one walk of its history. */
export function mrrAtEach(history: readonly MrrChange[], moments: readonly Date[]): number[] {
  const out: number[] = [];
  let i = 0;
  let mrr = 0;
  for (const at of moments) {
    while (i < history.length && history[i]!.at < at) mrr = history[i++]!.mrrCents;
    out.push(mrr);
  }
  return out;
}

/** `histories`: each brand's changes, oldest first (byBrand). */
export function mrrMovement(histories: Iterable<readonly MrrChange[]>, now: Date, months: number): MrrMonth[] {
  const window = lastMonths(now, months);
  // The first month's start, then every month's end: month i runs from moment i to moment i + 1.
  const moments = [window[0]!.startAt, ...window.map((m) => m.endAt)];
  const rows: MrrMonth[] = window.map(({ month }) => ({ month, newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 0, mrrCents: 0 }));
  for (const history of histories) {
    const mrr = mrrAtEach(history, moments);
    rows.forEach((row, i) => {
      const move = classifyMove(mrr[i]!, mrr[i + 1]!);
      row.newCents += move.newCents;
      row.expansionCents += move.expansionCents;
      row.contractionCents += move.contractionCents;
      row.churnCents += move.churnCents;
      row.mrrCents += mrr[i + 1]!;
    });
  }
  return rows;
}

const dayMs = 86_400_000;

export function retention(histories: Iterable<readonly MrrChange[]>, now: Date, windows: readonly number[]): Retention[] {
  const rows = windows.map((days) => ({ days, cohort: 0, retained: 0, rate: 0 }));
  for (const history of histories) {
    const firstPaid = history.find((c) => c.mrrCents > 0);
    if (!firstPaid) continue;
    rows.forEach((row) => {
      const checkAtMs = firstPaid.at.getTime() + row.days * dayMs;
      if (checkAtMs > now.getTime()) return;
      row.cohort += 1;
      // Just after the check moment: a change made exactly then counts.
      if (mrrAt(history, new Date(checkAtMs + 1)) > 0) row.retained += 1;
    });
  }
  return rows.map((r) => ({ ...r, rate: r.cohort === 0 ? 0 : r.retained / r.cohort }));
}
