// An in-process SMS catcher: the adapter under test sends real HTTP to it, as to Twilio.
import { startSmsSink, type CaughtSms } from '../../scripts/lib/sms-sink';

export interface TestSms {
  /** SMS_API_BASE for the workers and the API under test. */
  url: string;
  messages: CaughtSms[];
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startSms(): Promise<TestSms> {
  const messages: CaughtSms[] = [];
  const sink = await startSmsSink(0, (m) => messages.push(m));
  return { url: sink.url, messages, failNext: (count, status) => sink.failNext(count, status), close: () => sink.close() };
}
