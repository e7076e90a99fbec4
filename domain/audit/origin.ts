// Where the request that caused an entry came from. The API sets it once per portal request
// (api/middleware/audit-origin.ts), so every writer reached from a route, however deep in
// domain/, records the address without each signature carrying it; workflows, the reconciler
// and the worker run outside any request and record none.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuditOrigin {
  ip: string;
}

const store = new AsyncLocalStorage<AuditOrigin>();

export function withAuditOrigin<T>(origin: AuditOrigin, fn: () => T): T {
  return store.run(origin, fn);
}

export function currentAuditOrigin(): AuditOrigin | undefined {
  return store.getStore();
}
