// The consume storm: a few loops that each send `POST /v1/consume` with a fresh
// Idempotency-Key and, like a well-behaved widget, retry the same key while the answer is a
// 503 or no answer at all. Every 200 is remembered (key → usage ids) for the ledger checks.
import { randomUUID } from 'node:crypto';
import { AnswerLog, Client, retryable, sleep } from './http';

export interface StormBrand {
  customerId: string;
  apiKey: string;
}

export interface Debit {
  customerId: string;
  key: string;
  /** Usage ids answered 200 for this key: more than one is a double debit. */
  usageIds: Set<string>;
}

export interface StormOptions {
  loops: number;
  /** Pause of each loop between two uses, so the storm leaves the machine some CPU. */
  pauseMs: number;
  /** How long one key is retried before the loop moves on. */
  keyDeadlineMs: number;
  app: string;
}

export class Storm {
  readonly debits = new Map<string, Debit>();
  private running = false;
  private paused = false;
  private busy = 0;
  private loops: Promise<void>[] = [];
  private next = 0;
  private readonly client: Client;

  constructor(
    apiUrl: string,
    private readonly brands: StormBrand[],
    private readonly log: AnswerLog,
    private readonly opts: StormOptions,
  ) {
    this.client = new Client(apiUrl, log);
  }

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.opts.loops }, () => this.loop());
  }

  /** Resolves once no key is in flight; no new key starts until `resume()`. */
  async pause(): Promise<void> {
    this.paused = true;
    while (this.busy > 0) await sleep(20);
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (this.paused) {
        await sleep(20);
        continue;
      }
      const brand = this.brands[this.next++ % this.brands.length]!;
      this.busy += 1;
      try {
        await this.use(brand);
      } finally {
        this.busy -= 1;
      }
      await sleep(this.opts.pauseMs);
    }
  }

  private async use(brand: StormBrand): Promise<void> {
    const key = randomUUID();
    const deadline = Date.now() + this.opts.keyDeadlineMs;
    for (;;) {
      const a = await this.client.send('consume', 'POST', '/v1/consume', { app: this.opts.app }, { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': key });
      if (a.status === 200) {
        const d = this.debits.get(key) ?? { customerId: brand.customerId, key, usageIds: new Set<string>() };
        d.usageIds.add(a.body.usageId);
        this.debits.set(key, d);
        return;
      }
      if (!retryable(a) || Date.now() > deadline) return;
      await sleep(200);
    }
  }
}
