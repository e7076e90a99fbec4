// stripe_events as an outbox: an event is stored once (by its id), answered at once, and handed
// to Temporal after the answer. A hand-over that fails (Temporal down, the brand's billing
// workflow closed) stays in the table with its error, and the relay in the reconciler process
// tries it again with backoff. Stripe therefore never waits on Temporal, and an event we
// acknowledged is never lost.
import type Stripe from 'stripe';
import { dispatchStripeEvent, type DispatchDeps } from './dispatch';

export interface ReceivedEvent {
  /** Stored before: a redelivery by Stripe. */
  duplicate: boolean;
  /** Settles when the hand-over is done or has failed (and was recorded); never rejects. */
  handedOver: Promise<void>;
}

/** Runs at most `max` hand-overs at once; the rest wait their turn (and the relay has them if the process dies). */
export function handOverLimit(max: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    while (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** Stores the event once, then starts its hand-over (through `limit`) without waiting for it. */
export async function receiveStripeEvent(deps: DispatchDeps, event: Stripe.Event, limit: ReturnType<typeof handOverLimit>): Promise<ReceivedEvent> {
  const conn = deps.orm.em.fork().getConnection();
  const objectId = (event.data.object as { id?: string }).id ?? null;
  const inserted = await conn.execute<{ id: string }[]>(
    `insert into stripe_events (id, type, object_id, livemode, payload) values (?, ?, ?, ?, ?::jsonb)
     on conflict (id) do nothing returning id`,
    [event.id, event.type, objectId, event.livemode === true, JSON.stringify(event)],
  );
  if (inserted.length === 0) {
    const [stored] = await conn.execute<{ processed_at: Date | null }[]>('select processed_at from stripe_events where id = ?', [event.id]);
    // Stored but not handed over (we crashed in between, or the hand-over failed): try again now.
    const handedOver = stored?.processed_at ? Promise.resolve() : limit(() => handOver(deps, event));
    return { duplicate: true, handedOver };
  }
  return { duplicate: false, handedOver: limit(() => handOver(deps, event)) };
}

/** Dispatches and marks the event processed; a failure is recorded for the relay, not thrown. */
export async function handOver(deps: DispatchDeps, event: Stripe.Event): Promise<void> {
  const conn = deps.orm.em.fork().getConnection();
  try {
    await dispatchStripeEvent(deps, event);
    await conn.execute('update stripe_events set processed_at = now(), last_error = null, next_attempt_at = null where id = ? and processed_at is null', [event.id]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.logger.warn({ err, eventId: event.id, type: event.type }, 'Stripe event not handed to Temporal yet; the relay retries it');
    // Backoff 10 s, 20 s, 40 s … up to an hour; Stripe's own retries would give up after 3 days.
    await conn
      .execute(
        `update stripe_events set dispatch_attempts = dispatch_attempts + 1, last_error = ?,
                next_attempt_at = now() + least(interval '10 seconds' * power(2, dispatch_attempts), interval '1 hour')
          where id = ? and processed_at is null`,
        [message.slice(0, 2_000), event.id],
      )
      .catch((e: unknown) => deps.logger.error({ err: e, eventId: event.id }, 'could not record the failed hand-over'));
  }
}

/**
 * One relay pass: hands over events stored at least `graceMs` ago and still unprocessed whose
 * backoff has passed, oldest first. Returns how many were tried.
 */
export async function relayStripeEvents(deps: DispatchDeps, opts: { graceMs: number; limit: number }): Promise<number> {
  const rows = await deps.orm.em.fork().getConnection().execute<{ payload: Stripe.Event }[]>(
    `select payload from stripe_events
      where processed_at is null and received_at < now() - ? * interval '1 millisecond'
        and (next_attempt_at is null or next_attempt_at <= now())
      order by received_at limit ?`,
    [opts.graceMs, opts.limit],
  );
  for (const row of rows) await handOver(deps, row.payload);
  return rows.length;
}
