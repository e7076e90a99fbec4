// Idempotency keys are honoured forever, not for a window: Redis answers replays of recent
// keys, and PostgreSQL (every reconciled key) answers the rest. Lookups that arrive in the same
// tick share one query, so the widget path pays one round trip per batch, not per request.
import type { Pool } from 'pg';
import type { StoredResult } from '../../domain/metering/scripts';
import { fromBigintColumn } from '../../domain/units';

export type ArchivedUsage = StoredResult;

interface Waiter {
  customerId: string;
  key: string;
  resolve(v: ArchivedUsage | null): void;
  reject(err: unknown): void;
}

const maxBatch = 500;

export class IdempotencyArchive {
  private queue: Waiter[] = [];
  private scheduled = false;

  constructor(private readonly pool: Pool) {}

  lookup(customerId: string, key: string): Promise<ArchivedUsage | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ customerId, key, resolve, reject });
      if (this.queue.length >= maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, maxBatch);
    if (batch.length === 0) return;
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    // The primary, not a replica: right after a Redis loss the only copy of a recent key is here.
    // A named statement is parsed and planned once per connection, so its plan must not depend on
    // token_usage's size when the connection first used it: planned as a join, it became a
    // sequential scan if the table was small or never analyzed then, and stayed one as the
    // table grew (milliseconds of PostgreSQL CPU per batch). A lateral probe with `limit 1` is
    // a unique-index lookup per key whatever the statistics say.
    this.pool
      .query<{ customer_id: string; idempotency_key: string; id: string; request_hash: string; tokens: string; remaining_tokens: string | null }>({
        name: 'idempotency-archive-probe',
        text: `select u.customer_id, u.idempotency_key, u.id, u.request_hash, u.tokens, u.remaining_tokens
                 from unnest($1::uuid[], $2::text[]) as w(c, k)
                 cross join lateral (select * from token_usage t where t.customer_id = w.c and t.idempotency_key = w.k limit 1) u`,
        values: [batch.map((w) => w.customerId), batch.map((w) => w.key)],
      })
      .then(({ rows }) => {
        const found = new Map(rows.map((r) => [`${r.customer_id}\n${r.idempotency_key}`, r]));
        for (const w of batch) {
          const r = found.get(`${w.customerId}\n${w.key}`);
          w.resolve(
            r
              ? {
                  usageId: r.id,
                  requestHash: r.request_hash,
                  tokens: fromBigintColumn(r.tokens, 'tokens'),
                  remainingTokens: r.remaining_tokens === null ? null : fromBigintColumn(r.remaining_tokens, 'remaining tokens'),
                }
              : null,
          );
        }
      })
      .catch((err: unknown) => {
        for (const w of batch) w.reject(err);
      });
  }
}
