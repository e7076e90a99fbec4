// Notes each brand's first storefront use of each app (domain/catalog/first-call.ts). Off the
// request's path: the insert runs after the answer is decided, and a process remembers what it
// has recorded, so the database sees at most one insert per brand and app per process. A failed
// insert is forgotten, so the next use tries again.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { recordWidgetCall } from '../../domain/catalog/first-call';
import type { ResolvedApiKey } from './api-key-cache';

/** Enough for every brand and app a process serves; past it the set starts over (a few repeated inserts, nothing wrong). */
const rememberedMax = 100_000;

export class FirstCalls {
  readonly #recorded = new Set<string>();

  constructor(private readonly orm: MikroORM) {}

  /**
   * `origin`: the page the key was used from, as checked against its allowed origins. `log` is
   * asked for only when an insert fails: the request's child logger runs pino's redaction when it
   * is made, which cost every /v1 answer about 4 % of the API's CPU when it was passed eagerly.
   */
  note(key: ResolvedApiKey, appId: string, origin: string | null, log: () => Logger): void {
    if (key.kind !== 'publishable') return;
    const id = `${key.customerId}:${appId}`;
    if (this.#recorded.has(id)) return;
    if (this.#recorded.size >= rememberedMax) this.#recorded.clear();
    this.#recorded.add(id);
    recordWidgetCall(this.orm.em.fork(), { customerId: key.customerId, appId, apiKeyId: key.id, mode: key.mode, origin, atMs: Date.now() }).catch((err: unknown) => {
      this.#recorded.delete(id);
      log().warn({ err, appId }, 'first storefront call not recorded; the next use tries again');
    });
  }
}
