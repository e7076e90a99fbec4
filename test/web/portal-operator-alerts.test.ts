// The operators' alerts page: an open alert shows its brand, difference and time; Acknowledge
// takes it off the open list, and "Show acknowledged alerts too" shows who acknowledged it.
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { raiseOperatorAlert } from '../../domain/operator/alerts';
import { brandOnPlan } from '../support/brand';
import { usePortal } from '../support/browser';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };
const portal = usePortal();
let page: Page;
beforeEach(() => {
  page = portal.page();
});

it('lists an open alert and acknowledges it', async () => {
  const brand = await brandOnPlan(portal.api().url, portal.api().deps.orm, null);
  const subject = `Portal test ${randomUUID().slice(0, 8)}: cached balance differs from the ledger (+500 tokens)`;
  await raiseOperatorAlert(portal.api().deps.orm, { kind: 'balance-drift', dedupeKey: `portal-test:${subject}`, customerId: brand.customerId, subject, text: 'The cache held 1,500 tokens where the ledger gives 1,000.', details: { differenceTokens: 500 } });
  await portal.logIn('operator@varai.test', 'varai-demo-2026');
  await page.getByRole('link', { name: 'Alerts', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Operator alerts' }).waitFor(WAIT);
  const card = page.getByTestId('operator-alert').filter({ hasText: subject });
  await card.waitFor(WAIT);
  await expect(card.getByTestId('alert-difference').textContent()).resolves.toBe('+500 tokens');

  await card.getByRole('button', { name: `Acknowledge: ${subject}` }).click();
  await page.getByRole('status').filter({ hasText: `Acknowledged: ${subject}` }).waitFor(WAIT);
  await card.waitFor({ state: 'detached', ...WAIT });

  await page.getByRole('button', { name: 'Show acknowledged alerts too' }).click();
  const done = page.getByTestId('operator-alert').filter({ hasText: subject });
  await done.getByText('by operator@varai.test').waitFor(WAIT);
  expect(await done.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);
});
