// Outgoing SMS through any provider speaking Twilio's Messages API: POST
// {base}/2010-04-01/Accounts/{SID}/Messages.json, basic auth SID:token, form body To/From/Body.
// Production points SMS_API_BASE at the provider; `npm run up` and the tests at the local
// catcher (scripts/lib/sms-sink.ts), so one code path serves both.
import type { Config } from '../infra/config';

export interface SmsMessage {
  /** E.164, e.g. +15551234567. */
  to: string;
  body: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ sid: string }>;
}

/** The provider refused the message itself (a bad number, a blocked recipient): resending cannot help. */
export class SmsRefusedError extends Error {
  override readonly name = 'SmsRefusedError';
}

/** How long one request may take before it counts as failed (and is retried by its caller). */
const requestTimeoutMs = 10_000;

export function createSmsSender(config: Pick<Config, 'sms'>): SmsSender {
  const { apiBase, accountSid, authToken, from } = config.sms;
  const url = `${apiBase.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return {
    async send(message) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: message.to, From: from, Body: message.body }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const answer = (await res.json().catch(() => ({}))) as { sid?: string; message?: string; code?: number };
      if (res.ok && answer.sid) return { sid: answer.sid };
      const why = `SMS provider answered ${res.status}${answer.code ? ` (${answer.code})` : ''}: ${answer.message ?? 'no message'}`;
      // 4xx other than throttling is about this message; 429 and 5xx are about the provider's moment.
      if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new SmsRefusedError(why);
      throw new Error(why);
    },
  };
}
