// The three things measured, as the load generator sees them: the same request shape for all
// (the baselines ignore key and body), so only what the server does differs.
import { randomUUID } from 'node:crypto';
import type { BenchBrand } from './brands';
import type { Target } from './load';

/** Spreads requests over the brands in turn; every request gets a fresh Idempotency-Key. */
export function consumeTarget(port: number, brands: BenchBrand[], app: string): Target {
  const body = JSON.stringify({ app });
  let turn = 0;
  return {
    port,
    next() {
      const brand = brands[turn++ % brands.length]!;
      return {
        path: '/v1/consume',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': randomUUID() },
        body,
      };
    },
  };
}
