// The invitation mail. The link opens the portal's invite page (a hash route, so the token never
// reaches a server log as a path) at the public URL from configuration, like every other mail link.
import type { MailMessage } from '../notify/mailer';

export interface InvitationMailInput {
  to: string;
  brandName: string;
  inviterName: string;
  role: string;
  token: string;
  publicUrl: string;
  expiresAt: Date;
}

export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/invite?token=${encodeURIComponent(token)}`;
}

export function invitationMail(i: InvitationMailInput): MailMessage {
  return {
    to: [i.to],
    subject: `${i.inviterName} invited you to ${i.brandName} on VARAi`,
    text: [
      `${i.inviterName} invited you to join ${i.brandName} on VARAi as ${i.role === 'admin' ? 'an' : 'a'} ${i.role}.`,
      '',
      'Choose your password here (the link works once, until ' + i.expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC):',
      invitationLink(i.publicUrl, i.token),
      '',
      'If you did not expect this, ignore this mail: nothing happens until the link is used.',
    ].join('\n'),
  };
}
