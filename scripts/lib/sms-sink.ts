// A local SMS catcher answering like Twilio's Messages API: `npm run up` keeps each message in
// .data/dev/sms so SMS notices and phone codes work with no provider, and tests read what the
// real adapter (domain/notify/sms.ts) sent over real HTTP. `failNext` makes the next answers
// errors, so tests see the delivery retried.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaughtSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  at: string;
}

export interface SmsSink {
  /** The SMS_API_BASE to give the app. */
  url: string;
  /** The next `count` messages are answered `status` (500: the provider's trouble; 400: a refusal) and not stored. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Port 0 picks a free port. */
export async function startSmsSink(port: number, onSms: (sms: CaughtSms) => void): Promise<SmsSink> {
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  const server = http.createServer((req, res) => {
    const match = path.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return answer(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const [user] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (user !== decodeURIComponent(match[1]!)) return answer(res, 401, { code: 20003, message: 'Authentication Error - invalid username', status: 401 });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        return answer(res, failures.status, { code: failures.status >= 500 ? 20500 : 21211, message: failures.status >= 500 ? 'Internal Server Error' : "The 'To' number is not a valid phone number.", status: failures.status });
      }
      const to = form.get('To') ?? '';
      if (!/^\+[1-9]\d{7,14}$/.test(to)) return answer(res, 400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
      const sms: CaughtSms = { sid: `SM${randomUUID().replace(/-/g, '')}`, accountSid: match[1]!, to, from: form.get('From') ?? '', body: form.get('Body') ?? '', at: new Date().toISOString() };
      onSms(sms);
      answer(res, 201, { sid: sms.sid, account_sid: sms.accountSid, to: sms.to, from: sms.from, body: sms.body, status: 'queued', date_created: new Date(sms.at).toUTCString() });
    });
  });
  await new Promise<void>((resolve, reject) => {
    const refuse = (err: Error & { code?: string }) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`SMS port ${port} is already in use: is another \`npm run up\` running? Stop it with Ctrl-C first.`) : err);
    server.once('error', refuse);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    failNext(count, status = 500) {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
