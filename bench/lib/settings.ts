// Bench knobs, all from the environment so `npm run bench:consume` needs no arguments.
function envNumber(name: string, fallback: number, integer = true): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  return n;
}

export function loadSettings() {
  return {
    /** Length of each measured phase, in seconds (warm-up not included). */
    seconds: envNumber('BENCH_SECONDS', 15),
    connections: envNumber('BENCH_CONNECTIONS', 64),
    /** consume and koa_lua each get BENCH_SECONDS in this many slices, alternated: a ratio of two phases minutes apart moved with the machine's window, not the code. */
    slices: envNumber('BENCH_SLICES', 15),
    /** Debits per second of the open-loop reconciliation-lag phase. */
    lagRate: envNumber('BENCH_LAG_RATE', 5_000),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2, false),
    brands: envNumber('BENCH_BRANDS', 8),
    /** Per brand: far more than a run can spend, so no request meets an empty balance. */
    tokensPerBrand: 50_000_000,
    app: 'pd-calculator',
    /** warn by default: an info access line per request is part of what the API costs, see docs/PERFORMANCE.md. */
    apiLogLevel: process.env.BENCH_API_LOG_LEVEL || 'warn',
    /** A folder: when set, the API and the reconciler run with --cpu-prof and write their profiles there. */
    cpuProfDir: process.env.BENCH_CPU_PROF || '',
    drainTimeoutMs: 120_000,
  };
}

export type Settings = ReturnType<typeof loadSettings>;
