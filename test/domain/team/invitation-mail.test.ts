import { invitationLink, invitationMail } from '../../../domain/team/invitation-mail';

describe('the invitation mail', () => {
  const input = { to: 'ines@example.test', brandName: 'Acme Eyewear', inviterName: 'Ann Admin', role: 'admin', token: 'abc_DEF-123', publicUrl: 'https://portal.example/', expiresAt: new Date('2026-12-02T10:15:00Z') };

  it("links to the portal's invite page at the public URL, with one slash", () => {
    expect(invitationLink('https://portal.example/', 'abc_DEF-123')).toBe('https://portal.example/#/invite?token=abc_DEF-123');
    expect(invitationLink('https://portal.example', 'a b')).toBe('https://portal.example/#/invite?token=a%20b');
  });

  it('names the brand, the inviter, the role and when the link stops working', () => {
    const mail = invitationMail(input);
    expect(mail.to).toEqual(['ines@example.test']);
    expect(mail.subject).toBe('Ann Admin invited you to Acme Eyewear on VARAi');
    expect(mail.text).toContain('as an admin.');
    expect(mail.text).toContain('2026-12-02 10:15 UTC');
    expect(mail.text).toContain('https://portal.example/#/invite?token=abc_DEF-123');
  });

  it('says "a" before a consonant role', () => {
    expect(invitationMail({ ...input, role: 'viewer' }).text).toContain('as a viewer.');
  });
});
