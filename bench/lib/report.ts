// Figures and verdicts as printed. The last line is the machine-readable one; keep its shape.
import { percentile, type LoadResult } from './load';

export interface Figures {
  name: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus socket errors. */
  errors: number;
}

export function figures(name: string, r: LoadResult): Figures {
  return { name, rps: r.ok / r.seconds, p50Ms: percentile(r.latenciesMs, 50), p99Ms: percentile(r.latenciesMs, 99), errors: r.non2xx + r.errors };
}

export function targetLine(f: Figures, r: LoadResult): string {
  const why = r.samples.length > 0 ? ` (e.g. ${r.samples.join('; ')})` : '';
  return `${f.name.padEnd(18)} ${Math.round(f.rps).toString().padStart(6)} req/s  p50 ${f.p50Ms.toFixed(1)} ms  p99 ${f.p99Ms.toFixed(1)} ms  errors ${f.errors}${why}  [${r.completed} answers in ${r.seconds.toFixed(1)} s]`;
}

export interface Outcome {
  consume: Figures;
  pgDirect: Figures;
  koaLua: Figures;
  /** The request path again with the reconciler sharing the machine: reported, not a target. */
  colocated: Figures;
  /** Achieved debits/s of the lag phase (2xx answers over its wall time). */
  lagAchievedRate: number;
  lagTargetRate: number;
  reconcileLagP99Ms: number;
  ledgerExact: boolean;
}

export function verdictLines(o: Outcome): string[] {
  const ratioLua = o.consume.rps / o.koaLua.rps;
  const ratioPg = o.consume.rps / o.pgDirect.rps;
  // "Sustained" means the generator really held the rate: within 2 % of it.
  const sustained = o.lagAchievedRate >= o.lagTargetRate * 0.98;
  const check = (ok: boolean, what: string) => `${ok ? 'MET   ' : 'MISSED'} ${what}`;
  return [
    check(ratioLua >= 0.6, `ratio_vs_koa_lua ${ratioLua.toFixed(2)} ≥ 0.6`),
    check(ratioPg >= 5, `ratio_vs_pg ${ratioPg.toFixed(1)} ≥ 5`),
    check(o.consume.p99Ms <= 10, `p99_ms ${o.consume.p99Ms.toFixed(1)} ≤ 10`),
    check(
      o.reconcileLagP99Ms <= 2000 && sustained,
      `reconcile lag p99 ${Math.round(o.reconcileLagP99Ms)} ms ≤ 2000 at a sustained ${o.lagTargetRate}/s (achieved ${Math.round(o.lagAchievedRate)}/s)`,
    ),
    check(o.ledgerExact, 'ledger_exact=true'),
    `info   with the reconciler on the same cores: ${Math.round(o.colocated.rps)} req/s, ratio_vs_koa_lua ${(o.colocated.rps / o.koaLua.rps).toFixed(2)}, ratio_vs_pg ${(o.colocated.rps / o.pgDirect.rps).toFixed(1)}, p99 ${o.colocated.p99Ms.toFixed(1)} ms`,
  ];
}

export function finalLine(o: Outcome): string {
  return [
    `consume_rps=${Math.round(o.consume.rps)}`,
    `pg_direct_rps=${Math.round(o.pgDirect.rps)}`,
    `koa_lua_rps=${Math.round(o.koaLua.rps)}`,
    `ratio_vs_koa_lua=${(o.consume.rps / o.koaLua.rps).toFixed(2)}`,
    `ratio_vs_pg=${(o.consume.rps / o.pgDirect.rps).toFixed(1)}`,
    `p99_ms=${o.consume.p99Ms.toFixed(1)}`,
    `reconcile_lag_p99_ms=${Math.round(o.reconcileLagP99Ms)}`,
    `ledger_exact=${o.ledgerExact}`,
  ].join(' ');
}
