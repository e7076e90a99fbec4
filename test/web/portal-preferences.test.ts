/**
 * @jest-environment node
 */
// Notification settings in a real browser, against the real API, billing workflow and delivery
// workflow: a usage alert (raised the real way, by consuming past a threshold) reaches the admin
// by email with the defaults; by SMS only once they verify a phone and switch channels on
// #/preferences; and only the portal's notice list once both are off.
import type { Page } from 'playwright-core';
import pino from 'pino';
import { loadConfig } from '../../domain/infra/config';
import { UsageSignaler } from '../../reconciler/usage-signaler';
import { taskQueues } from '../../temporal.config';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';
import { activateApps, consume, reconcileNow } from '../support/metering';
import { startSms, type TestSms } from '../support/sms';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };

let sms: TestSms;
let smtp: TestSmtp;
let worker: TestWorker;
// Before usePortal's own hook: the API it starts reads SMS_API_BASE (phone codes) as it starts.
beforeAll(async () => {
  sms = await startSms();
  smtp = await startSmtp();
  process.env.SMS_API_BASE = sms.url;
});

const portal = usePortal();
let page: Page;
const customerIds: string[] = [];

beforeAll(async () => {
  worker = await startTestWorker(taskQueues.billing, { SMTP_URL: smtp.url, SMS_API_BASE: sms.url });
});

afterAll(async () => {
  await Promise.all(customerIds.map((id) => worker?.env.client.workflow.getHandle(`billing:${id}`).terminate('test file done').catch(() => undefined)));
  await worker?.stop();
  await smtp?.close();
  await sms?.close();
});

beforeEach(() => {
  page = portal.page();
});

const subject = (percent: number) => `You have used ${percent}% of this cycle's tokens`;

/** The deliveries of the brand's alert at `percent`, by channel (the admin's, and the portal's). */
async function deliveriesOf(customerId: string, percent: number): Promise<Record<string, string>> {
  const rows = await portal
    .api()
    .deps.orm.em.getConnection()
    .execute<{ channel: string; status: string }[]>(
      `select d.channel, d.status from notification_deliveries d join notifications n on n.id = d.notification_id where n.customer_id = ? and n.subject = ?`,
      [customerId, subject(percent)],
    );
  return Object.fromEntries(rows.map((r) => [r.channel, r.status]));
}

/** The deliveries once none is pending any more. */
const settled = (customerId: string, percent: number) =>
  waitFor(() => deliveriesOf(customerId, percent), (d) => Object.values(d).every((status) => status !== 'pending'), 15_000);

describe('notification settings', () => {
  it('decide whether a usage alert reaches the admin by email, by SMS, or only the portal', async () => {
    const api = portal.api();
    const { user, password, session } = await signUp(api.url);
    const customerId = user.customerId as string;
    customerIds.push(customerId);
    await portal.logIn(user.email as string, password);
    await page.getByTestId('user-email').waitFor(WAIT);

    // A plan through the portal's test payment, alerts at 1, 2 and 3 %, and an app costing 1 %.
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await page.locator('[data-testid="plan-option"][data-plan="starter"]').getByRole('button', { name: 'Choose Starter' }).click();
    await page.getByTestId('checkout-panel').getByRole('button', { name: 'Complete test payment' }).click();
    await page.getByTestId('billing-status').filter({ hasText: 'Active' }).waitFor(WAIT);
    expect((await session.put('/api/billing/alerts', { thresholds: [1, 2, 3] })).status).toBe(200);
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['advanced-analytics']);
    const key = await session.post('/api/api-keys', { name: 'storefront' });
    const signaler = new UsageSignaler(api.deps.orm, worker.env.client, pino({ level: 'silent' }), loadConfig());
    const crossNextThreshold = async () => {
      expect((await consume(api, key.body.secret, { app: 'advanced-analytics' })).status).toBe(200);
      await reconcileNow(api, customerId);
      await signaler.sendPending();
    };

    // 1 %: the defaults, email to the admin.
    await crossNextThreshold();
    await waitFor(async () => smtp.mails.find((m) => m.subject === subject(1) && m.to.includes(user.email as string)), (m) => m !== undefined, 15_000);
    // The mail reaches the SMTP server before its delivery row is marked sent: wait for every channel to end.
    expect(await settled(customerId, 1)).toEqual({ email: 'sent', sms: 'skipped', portal: 'sent' });

    // The settings page, from the header's link: the grid, then a phone verified by its code.
    await page.getByRole('link', { name: 'Notification settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor(WAIT);
    const byEmail = page.getByRole('checkbox', { name: 'Usage alerts by email', exact: true });
    const bySms = page.getByRole('checkbox', { name: 'Usage alerts by SMS', exact: true });
    expect(await byEmail.isChecked()).toBe(true);
    expect(await bySms.isDisabled()).toBe(true);
    await expectAccessible(page);
    await page.getByLabel('Phone number', { exact: true }).fill('+1 555 010 2030');
    await page.getByRole('button', { name: 'Send code', exact: true }).click();
    await page.getByLabel('Verification code', { exact: true }).waitFor(WAIT);
    const code = /\b(\d{6})\b/.exec(sms.messages.find((m) => m.to === '+15550102030')!.body)![1]!;
    await page.getByLabel('Verification code', { exact: true }).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByText(/That code is not the one we sent/).waitFor(WAIT);
    await page.getByLabel('Verification code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByTestId('verified-phone').filter({ hasText: '+15550102030' }).waitFor(WAIT);

    // 2 %: SMS only.
    await byEmail.uncheck();
    await bySms.check();
    await page.getByRole('button', { name: 'Save preferences', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Preferences saved.' }).waitFor(WAIT);
    await crossNextThreshold();
    await waitFor(async () => sms.messages.find((m) => m.to === '+15550102030' && m.body.includes('used 2%')), (m) => m !== undefined, 15_000);
    expect(await settled(customerId, 2)).toEqual({ email: 'skipped', sms: 'sent', portal: 'sent' });
    expect(smtp.mails.some((m) => m.subject === subject(2))).toBe(false);

    // 3 %: neither; the notice is still listed in the portal.
    await bySms.uncheck();
    await page.getByRole('button', { name: 'Save preferences', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Preferences saved.' }).waitFor(WAIT);
    await crossNextThreshold();
    const third = await waitFor(() => deliveriesOf(customerId, 3), (d) => d.portal === 'sent', 15_000);
    expect(third).toEqual({ email: 'skipped', sms: 'skipped', portal: 'sent' });
    // A fresh load: the header's notice store may hold a page fetched while the 2 % SMS was still sending.
    await page.goto('/#/notices');
    await page.reload();
    const listed = page.getByTestId('notice').filter({ hasText: subject(3) });
    await listed.waitFor(WAIT);
    expect(await listed.getByTestId('notice-deliveries').textContent()).toBe('Email: 1 skipped · SMS: 1 skipped');
    expect(await page.getByTestId('notice').filter({ hasText: subject(2) }).getByTestId('notice-deliveries').textContent()).toBe('Email: 1 skipped · SMS: 1 sent');
    expect(smtp.mails.some((m) => m.subject === subject(3))).toBe(false);
    expect(sms.messages.some((m) => m.body.includes('used 3%'))).toBe(false);
  });
});
