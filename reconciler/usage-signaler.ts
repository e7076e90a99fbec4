// Sends the billing workflow its usage batches from the usage_batches outbox: one signal per
// customer per interval, whatever the debit rate, for a brand with auto top-up on (its workflow
// buys when the balance crosses the line, and each second late is a second of debits past it);
// for any other brand once its oldest waiting batch is `signalMaxDelayMs` old, since nothing in
// its workflow is urgent, and a signal per active brand per second was the Temporal cluster's
// load at scale (docs/CAPACITY.md). A crash between the signal and marking the rows only resends
// batches the workflow already skips by number.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../domain/infra/config';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { signalUsageBatches, type BillingStartConfig } from '../clients/billing';
import type { UsageBatch } from '../domain/billing/vocabulary';

interface Row {
  customer_id: string;
  seq: number;
  uses: number;
  tokens: string;
  totals: UsageBatch['totals'];
  first_debited_at: Date;
  last_debited_at: Date;
}

const perCustomer = 500;

export class UsageSignaler {
  /** Customers whose workflow refused a start (closed): retried with backoff, never dropped. */
  private backoff = new Map<string, { until: number; delayMs: number }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly temporal: Client,
    private readonly logger: Logger,
    private readonly config: BillingStartConfig & { metering: Pick<Config['metering'], 'signalMaxDelayMs'> },
  ) {}

  async sendPending(): Promise<number> {
    const rows = await this.orm.em.getConnection().execute<Row[]>(
      `select customer_id, seq, uses, tokens, totals, first_debited_at, last_debited_at
         from (select *, row_number() over (partition by customer_id order by seq) as n,
                      min(created_at) over (partition by customer_id) as oldest
                 from usage_batches where signaled_at is null) b
        where n <= ?
          and (oldest <= now() - ? * interval '1 millisecond'
               or exists (select 1 from auto_top_up_settings a where a.customer_id = b.customer_id and a.enabled))
        order by customer_id, seq`,
      [perCustomer, this.config.metering.signalMaxDelayMs],
    );
    const byCustomer = new Map<string, UsageBatch[]>();
    for (const r of rows) {
      const list = byCustomer.get(r.customer_id) ?? [];
      list.push({
        seq: r.seq,
        uses: r.uses,
        tokens: Number(r.tokens),
        totals: r.totals,
        firstDebitedAt: new Date(r.first_debited_at).toISOString(),
        lastDebitedAt: new Date(r.last_debited_at).toISOString(),
      });
      byCustomer.set(r.customer_id, list);
    }
    let sent = 0;
    for (const [customerId, batches] of byCustomer) {
      const wait = this.backoff.get(customerId);
      if (wait && wait.until > Date.now()) continue;
      try {
        await signalUsageBatches(this.temporal, this.config, customerId, batches);
        this.backoff.delete(customerId);
        await this.orm.em.getConnection().execute(
          'update usage_batches set signaled_at = now() where customer_id = ? and seq <= ? and signaled_at is null',
          [customerId, batches[batches.length - 1]!.seq],
        );
        sent += batches.length;
      } catch (err) {
        const delayMs = Math.min((wait?.delayMs ?? 500) * 2, 5 * 60_000);
        this.backoff.set(customerId, { until: Date.now() + delayMs, delayMs });
        const closed = err instanceof WorkflowExecutionAlreadyStartedError;
        this.logger.warn({ err, customerId, closed }, closed ? 'billing workflow is closed; usage batches wait until support restarts it' : 'usage signal failed; will retry');
      }
    }
    return sent;
  }
}
