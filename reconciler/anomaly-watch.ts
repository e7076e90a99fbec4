// The anomaly watch: once a minute, evaluate the minute that closed half a minute ago (so the
// debits of its last seconds are reconciled and the API's last 4xx flushed), and tell the brand's
// admins and VARAi's operators about each new episode; pause the key when the brand chose so.
//
// A loop in the reconciler process, not a Temporal Schedule: its input is the Redis counts this
// same process writes, its state is a few Redis hashes, and a minute it misses costs nothing
// (the next evaluation folds the gap into the baselines as empty minutes). A Schedule would add a
// workflow and an activity round trip per minute for no durability the job needs. Several
// reconcilers may run: each minute is claimed once (`claimMinute`), so one of them evaluates it.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { claimMinute, evaluateMinute, type Finding } from '../domain/anomaly/evaluate';
import { minuteOf } from '../domain/anomaly/counts';
import { pauseKeyOnAnomaly, type PausedKey } from '../domain/anomaly/pause';
import { anomalyRule, type AnomalyRule } from '../domain/anomaly/rule';
import type { Notice } from '../domain/notify/notice';
import type { OperatorAlertInput } from '../domain/operator/alerts';
import type { RedisClient } from '../domain/infra/redis';

/** How long after a minute ends before it is evaluated. */
export const evaluationLagMs = 30_000;
/** Minutes a restarted watch goes back for (each still claimed once). */
const catchUpMinutes = 10;

export interface AnomalyWatchDeps {
  orm: MikroORM;
  redis: RedisClient;
  logger: Logger;
  /** Records the brand's notice and starts its delivery (clients/notices.ts `raiseNotice`). */
  notify: (notice: Notice) => Promise<unknown>;
  /** Records an operator alert once per dedupe key and emails the operators. */
  alertOperators: (alert: OperatorAlertInput) => Promise<unknown>;
  rule?: AnomalyRule;
}

const round = (n: number) => Math.round(n * 10) / 10;
const minuteIso = (minute: number) => new Date(minute * 60_000).toISOString();

/** What is alarming, in words, for the notice and the alert alike. */
function describe(f: Finding, key: { name: string; prefix: string } | null): { what: string; numbers: string } {
  const who = f.scope === 'brand' ? 'all API keys together' : f.scope === 'key' ? `API key "${key?.name ?? f.apiKeyId}" (${key?.prefix ?? '?'}…)` : `IP address ${f.ip}`;
  const what = f.kind === 'usage-spike' ? `Usage spike from ${who}` : `Flood of refused requests (4xx) from ${who}`;
  const numbers =
    f.kind === 'usage-spike'
      ? `${f.rate} uses in the minute from ${minuteIso(f.minute)}; usual rate ${round(f.baseline)} a minute (± ${round(f.deviation)}); alarm threshold ${round(f.threshold)} a minute.`
      : `${f.rate} answers of 4xx in the minute from ${minuteIso(f.minute)}; alarm threshold ${f.threshold} a minute.`;
  return { what, numbers };
}

/** Shown beside a paused key in the portal: what was seen, and when (UTC). */
export const pauseReason = (f: Finding): string =>
  `${f.kind === 'usage-spike' ? 'Usage spike' : '4xx flood'}: ${f.rate} ${f.kind === 'usage-spike' ? 'uses' : 'refusals'} in the minute from ${minuteIso(f.minute).slice(11, 16)} UTC (alarm above ${Math.round(f.threshold)})`;

/** Names an episode: the same finding evaluated twice, or by two reconcilers, is told once. */
export const episodeKey = (f: Finding): string => `${f.kind}:${f.customerId ?? 'ip'}:${f.scope}:${f.apiKeyId ?? f.ip ?? 'brand'}:${f.episodeStart}`;

export class AnomalyWatch {
  private lastEvaluated: number | null = null;

  constructor(private readonly deps: AnomalyWatchDeps) {}

  /** The loop's pass: every closed minute not yet claimed, oldest first. */
  async tick(nowMs = Date.now()): Promise<Finding[]> {
    const target = minuteOf(nowMs - evaluationLagMs) - 1;
    const from = Math.max((this.lastEvaluated ?? -Infinity) + 1, target - catchUpMinutes);
    const findings: Finding[] = [];
    for (let minute = from; minute <= target; minute += 1) {
      if (await claimMinute(this.deps.redis, minute)) findings.push(...(await this.evaluate(minute)));
      this.lastEvaluated = minute;
    }
    return findings;
  }

  /** One minute, unclaimed: tests call it directly with the minutes they replay. */
  async evaluate(minute: number): Promise<Finding[]> {
    const findings = await evaluateMinute(this.deps.redis, minute, this.deps.rule ?? anomalyRule);
    for (const f of findings) {
      try {
        await this.act(f);
      } catch (err) {
        this.deps.logger.error({ err, finding: f }, 'anomaly found but not (fully) reported; its dedupe key makes a retry safe');
      }
    }
    return findings;
  }

  private async act(f: Finding): Promise<void> {
    const dedupeKey = episodeKey(f);
    let key: PausedKey | null = null;
    if (f.customerId && f.apiKeyId) {
      key = await pauseKeyOnAnomaly(this.deps.orm, this.deps.redis, f.customerId, f.apiKeyId, pauseReason(f));
    }
    const { what, numbers } = describe(f, key);
    const pausedLine = key?.paused ? '\n\nThe key is paused (your brand chose to pause keys on anomalies): it answers 403 API_KEY_PAUSED until an admin resumes it on the API keys page.' : '';
    const details = { scope: f.scope, apiKeyId: f.apiKeyId, ip: f.ip, minute: minuteIso(f.minute), rate: f.rate, baseline: round(f.baseline), deviation: round(f.deviation), threshold: round(f.threshold), paused: key?.paused ?? false };
    this.deps.logger.warn({ finding: f, paused: key?.paused ?? false }, what);
    if (f.customerId) {
      await this.deps.notify({
        customerId: f.customerId,
        kind: 'usage.anomaly',
        dedupeKey,
        subject: what,
        text: `${what}.\n\n${numbers}${pausedLine}\n\nIf you did not expect this, check where the key is used, and rotate or revoke it if it may have leaked.`,
      });
    }
    await this.deps.alertOperators({
      kind: f.kind,
      dedupeKey,
      customerId: f.customerId,
      subject: what,
      text: `${what}.\n\n${numbers}${key?.paused ? '\n\nThe key was paused (the brand pauses keys on anomalies).' : ''}`,
      details,
    });
  }
}
