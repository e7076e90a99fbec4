/**
 * @jest-environment node
 */
// The team in a real browser: the invite round trip through the mail catcher (the invitee opens
// the mailed link logged out, sets a password and is in the portal), disabling a member who is
// logged in in another browser, the last-admin refusal, and changing one's own password.
import type { Browser, Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { Session, signUp, uniqueEmail } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { addMember, inviteTokenFrom } from '../support/team';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

const portal = usePortal(() => ({ SMTP_URL: smtp.url }));
let page: Page;
beforeEach(() => {
  page = portal.page();
});

const browserOf = (p: Page) => p.context().browser() as Browser;

async function openTeamAs(email: string, password: string) {
  await portal.logIn(email, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.getByRole('link', { name: 'Team', exact: true }).click();
  await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor(WAIT);
}

describe('the team page', () => {
  it('invites a member by mail; the invitee sets a password on the invite page, logged out, and is in the portal', async () => {
    const { user, password } = await signUp(portal.api().url, { brandName: 'Roundtrip Optics' });
    await openTeamAs(user.email, password);
    const email = uniqueEmail('invitee');

    await page.getByRole('button', { name: 'Invite member', exact: true }).click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption('manager');
    await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
    await page.getByText(`Invitation sent to ${email}`).waitFor(WAIT);
    await page.getByRole('region', { name: 'Pending invitations' }).getByText(email).waitFor(WAIT);

    const mail = await waitFor(async () => smtp.mails.find((m) => m.to.includes(email)), (m) => m !== undefined, 10_000);
    expect(mail!.subject).toContain('Roundtrip Optics');
    const token = inviteTokenFrom(mail!.raw);

    const invitee = await browserOf(page).newContext({ baseURL: portal.api().url });
    try {
      const p = await invitee.newPage();
      await p.goto(`/#/invite?token=${encodeURIComponent(token)}`);
      await p.getByRole('heading', { name: 'Join Roundtrip Optics', level: 1 }).waitFor(WAIT);
      await p.getByText(email).waitFor(WAIT);
      await expectAccessible(p);
      await p.getByLabel('Name', { exact: true }).fill('Ines Invitee');
      await p.getByLabel('Password', { exact: true }).fill('my-own-secret-pw');
      await p.getByRole('button', { name: 'Set password', exact: true }).click();
      await p.getByTestId('user-email').filter({ hasText: email }).waitFor(WAIT);
      await p.getByRole('heading', { level: 1, name: 'Apps' }).waitFor(WAIT);
      expect(p.url()).toMatch(/#\/apps$/);

      // The link is used up: opened again, it says so.
      await p.goto(`/#/invite?token=${encodeURIComponent(token)}`);
      await p.getByText('This invitation was already used').waitFor(WAIT);
    } finally {
      await invitee.close();
    }

    await page.reload();
    await page.getByRole('region', { name: 'Members' }).getByText('Ines Invitee', { exact: true }).waitFor(WAIT);
    await page.getByText('No invitations waiting.').waitFor(WAIT);
  });

  it('disables a member logged in in another browser: their next page shows them signed out, and their login is refused', async () => {
    const { session: admin, user, password } = await signUp(portal.api().url, { brandName: 'Disabling Optics' });
    const memberEmail = uniqueEmail('member');
    await addMember(admin, { email: memberEmail, name: 'Dana Disabled', role: 'viewer', password: 'long-enough-pw' });

    const other = await browserOf(page).newContext({ baseURL: portal.api().url });
    try {
      const m = await other.newPage();
      await m.goto('/');
      await m.getByLabel('Email', { exact: true }).fill(memberEmail);
      await m.getByLabel('Password', { exact: true }).fill('long-enough-pw');
      await m.getByRole('button', { name: 'Log in', exact: true }).click();
      await m.getByTestId('user-email').waitFor(WAIT);

      await openTeamAs(user.email, password);
      await page.getByRole('button', { name: 'Disable Dana Disabled' }).click();
      const dialog = page.getByRole('dialog', { name: 'Disable Dana Disabled?' });
      await dialog.waitFor(WAIT);
      await dialog.getByRole('button', { name: 'Yes, disable' }).click();
      await page.getByRole('region', { name: 'Members' }).getByText('Disabled', { exact: true }).waitFor(WAIT);

      await m.getByRole('link', { name: 'Team', exact: true }).click();
      await m.getByRole('heading', { name: 'Log in', exact: true }).first().waitFor(WAIT);
      await m.getByText('Your session expired').waitFor(WAIT);
      await m.getByLabel('Email', { exact: true }).fill(memberEmail);
      await m.getByLabel('Password', { exact: true }).fill('long-enough-pw');
      await m.getByRole('button', { name: 'Log in', exact: true }).click();
      await m.getByText('This account was disabled by an admin').waitFor(WAIT);

      await page.getByRole('button', { name: 'Enable Dana Disabled' }).click();
      await page.getByRole('dialog', { name: 'Enable Dana Disabled?' }).getByRole('button', { name: 'Yes, enable' }).click();
      await page.getByRole('button', { name: 'Disable Dana Disabled' }).waitFor(WAIT);
      await m.getByRole('button', { name: 'Log in', exact: true }).click();
      await m.getByTestId('user-email').waitFor(WAIT);
    } finally {
      await other.close();
    }
  });

  it('shows the last-admin refusal when the only admin tries to become a viewer', async () => {
    const { user, password } = await signUp(portal.api().url);
    await openTeamAs(user.email, password);
    await page.getByLabel(`Role of ${user.name}`, { exact: true }).selectOption('viewer');
    await page.getByRole('alert').getByText('only active admin').waitFor(WAIT);
    await expect(page.getByLabel(`Role of ${user.name}`, { exact: true }).inputValue()).resolves.toBe('admin');
  });

  it('shows a viewer the team without the controls', async () => {
    const { session: admin } = await signUp(portal.api().url);
    const email = uniqueEmail('viewer');
    await addMember(admin, { email, name: 'Vic Viewer', role: 'viewer', password: 'long-enough-pw' });
    await openTeamAs(email, 'long-enough-pw');
    await page.getByText('Only admins can invite, change roles or disable members.').waitFor(WAIT);
    await page.getByRole('region', { name: 'Members' }).getByText('Vic Viewer (you)').waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(0);
  });
});

describe('the account page', () => {
  it('changes your own password, logs out your other sessions, and lists your sign-ins', async () => {
    const { user, password } = await signUp(portal.api().url);
    const elsewhere = new Session(portal.api().url);
    expect((await elsewhere.post('/api/auth/login', { email: user.email, password })).status).toBe(200);
    await portal.logIn(user.email, password);
    await page.getByTestId('user-email').click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor(WAIT);
    await page.getByRole('region', { name: 'Recent sign-ins' }).getByText('Signed in').first().waitFor(WAIT);

    await page.getByLabel('Current password', { exact: true }).fill('not-my-password');
    await page.getByLabel('New password', { exact: true }).fill('a-new-long-password');
    await page.getByRole('button', { name: 'Change password', exact: true }).click();
    await page.getByText('This is not your current password.').waitFor(WAIT);

    await page.getByLabel('Current password', { exact: true }).fill(password);
    await page.getByLabel('New password', { exact: true }).fill('a-new-long-password');
    await page.getByRole('button', { name: 'Change password', exact: true }).click();
    await page.getByText('Password changed. 2 other sessions were logged out.').waitFor(WAIT);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);

    await page.reload();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor(WAIT);
    expect((await new Session(portal.api().url).post('/api/auth/login', { email: user.email, password: 'a-new-long-password' })).status).toBe(200);
  });
});
