// The load generator. Closed loop (N connections, each waits for its answer before sending
// again) for throughput; open loop (a fixed send schedule) for the lag phase. It shares the
// machine with what it measures, so it must cost little: by default the lean socket client
// (raw-http.ts); BENCH_CLIENT=node-http puts back node:http over a keep-alive agent, the client of
// every pass before the seventh, to compare figures with theirs.
import http from 'node:http';
import { RawPool, type BenchRequest } from './raw-http';

export type { BenchRequest };

export interface Target {
  port: number;
  /** Called once per request: each carries a fresh Idempotency-Key. */
  next(): BenchRequest;
}

export interface LoadResult {
  /** Answered requests, whatever the status. */
  completed: number;
  ok: number;
  non2xx: number;
  /** Socket errors: no answer at all. */
  errors: number;
  /** Wall time from the first send to the last answer. */
  seconds: number;
  /** ms, one per answered request. */
  latenciesMs: Float64Array;
  /** The first few non-2xx statuses and error messages, to say why. */
  samples: string[];
}

/** Sends one request at a time per connection, up to `connections` at once; resolves to the status. */
interface Client {
  send(req: BenchRequest): Promise<number>;
  destroy(): void;
}

export type ClientKind = 'raw' | 'node-http';

export function clientKind(): ClientKind {
  const kind = process.env.BENCH_CLIENT || 'raw';
  if (kind !== 'raw' && kind !== 'node-http') throw new Error(`BENCH_CLIENT must be raw or node-http, got "${kind}"`);
  return kind;
}

function client(port: number, connections: number): Client {
  if (clientKind() === 'raw') return new RawPool(port, connections);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  return { send: (req) => send(agent, port, req), destroy: () => agent.destroy() };
}

function send(agent: http.Agent, port: number, req: BenchRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: req.path, agent, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    r.once('error', reject);
    r.end(req.body);
  });
}

class Recorder {
  private latencies: number[] = [];
  ok = 0;
  non2xx = 0;
  errors = 0;
  samples: string[] = [];

  record(status: number, ms: number): void {
    this.latencies.push(ms);
    if (status >= 200 && status < 300) this.ok += 1;
    else {
      this.non2xx += 1;
      this.sample(`HTTP ${status}`);
    }
  }

  fail(err: unknown): void {
    this.errors += 1;
    this.sample(err instanceof Error ? err.message : String(err));
  }

  private sample(what: string): void {
    if (this.samples.length < 5) this.samples.push(what);
  }

  result(seconds: number): LoadResult {
    return { completed: this.latencies.length, ok: this.ok, non2xx: this.non2xx, errors: this.errors, seconds, latenciesMs: Float64Array.from(this.latencies), samples: this.samples };
  }
}

const msSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function closedLoop(target: Target, opts: { connections: number; seconds: number }): Promise<LoadResult> {
  const http1 = client(target.port, opts.connections);
  const rec = new Recorder();
  const started = process.hrtime.bigint();
  const deadlineMs = opts.seconds * 1000;
  const loop = async () => {
    while (msSince(started) < deadlineMs) {
      const t0 = process.hrtime.bigint();
      try {
        rec.record(await http1.send(target.next()), msSince(t0));
      } catch (err) {
        rec.fail(err);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, loop));
  const seconds = msSince(started) / 1000;
  http1.destroy();
  return rec.result(seconds);
}

/**
 * Sends on a fixed schedule whatever the answers do. Latency runs from the scheduled send
 * time, so a server (or generator) falling behind shows up as latency, not as a lower rate.
 */
export async function openLoop(target: Target, opts: { ratePerSecond: number; seconds: number; connections: number }): Promise<LoadResult & { sent: number }> {
  const http1 = client(target.port, opts.connections);
  const rec = new Recorder();
  const started = process.hrtime.bigint();
  const planned = Math.round(opts.ratePerSecond * opts.seconds);
  const intervalMs = 1000 / opts.ratePerSecond;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(planned, Math.floor((msSince(started) / 1000) * opts.ratePerSecond));
      for (; sent < due; sent += 1) {
        const scheduled = started + BigInt(Math.round(sent * intervalMs * 1e6));
        const p = http1.send(target.next()).then(
          (status) => rec.record(status, msSince(scheduled)),
          (err: unknown) => rec.fail(err),
        );
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      if (sent >= planned || msSince(started) >= opts.seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  await Promise.all(inFlight);
  const seconds = msSince(started) / 1000;
  http1.destroy();
  return { ...rec.result(seconds), sent };
}

/** Several runs of one target as one: their answers, their seconds and their latencies together. */
export function mergeResults(runs: LoadResult[]): LoadResult {
  const latencies = new Float64Array(runs.reduce((n, r) => n + r.latenciesMs.length, 0));
  let at = 0;
  for (const r of runs) {
    latencies.set(r.latenciesMs, at);
    at += r.latenciesMs.length;
  }
  const sum = (f: (r: LoadResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  return {
    completed: sum((r) => r.completed),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    seconds: sum((r) => r.seconds),
    latenciesMs: latencies,
    samples: runs.flatMap((r) => r.samples).slice(0, 5),
  };
}

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: Float64Array, p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}
