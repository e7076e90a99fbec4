// Outgoing email over SMTP (nodemailer). SMTP_URL says where; tests point it at an in-process
// SMTP server, production at the mail provider. One code path for both.
import nodemailer from 'nodemailer';
import type { Config } from '../infra/config';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailer(config: Pick<Config, 'mail'>): Mailer {
  const transport = nodemailer.createTransport(config.mail.smtpUrl);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.mail.from, to: message.to, subject: message.subject, text: message.text });
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
