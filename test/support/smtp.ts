// An in-process SMTP server: the mailer under test sends real SMTP to it over TCP.
import { startMailSink, type CaughtMail } from '../../scripts/lib/mail-sink';

export type ReceivedMail = CaughtMail;

export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const sink = await startMailSink(0, (m) => mails.push(m));
  return { url: sink.url, mails, close: () => sink.close() };
}
