// A local SMTP catcher: `npm run up` keeps receipts in .data/dev/mail so the purchase flow
// works with no mail provider, and tests read the mail the real mailer sent over real SMTP.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  raw: string;
}

export interface MailSink {
  url: string;
  close(): Promise<void>;
}

/** Port 0 picks a free port. */
export async function startMailSink(port: number, onMail: (mail: CaughtMail) => void): Promise<MailSink> {
  const server = new SMTPServer({
    authOptional: true,
    // A client still connected at close is cut after a second, not the library's 30 s: a sink
    // only catches mail, and a stop that waits on a lingering client hangs jest's hooks.
    closeTimeout: 1_000,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        onMail({ to: session.envelope.rcptTo.map((r) => r.address), subject, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    // The library re-emits a listen error on itself: unhandled there, it would crash the process.
    const refuse = (err: Error & { code?: string }) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`SMTP port ${port} is already in use: is another \`npm run up\` running? Stop it with Ctrl-C first.`) : err);
    server.once('error', refuse);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A caught mail's text with quoted-printable undone (soft line breaks, =XX), which nodemailer uses for long lines. */
export function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The token of the first portal invitation link (`#/invite?token=…`) in a caught mail, or null. */
export function invitationTokenIn(raw: string): string | null {
  const m = /#\/invite\?token=([A-Za-z0-9_%-]+)/.exec(mailText(raw));
  return m ? decodeURIComponent(m[1]!) : null;
}
