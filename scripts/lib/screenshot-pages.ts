// The portal pages `npm run screenshots` captures, one row each: which person looks, where, what
// to wait for, and any setup first. Add a row for a new page; the file names
// (docs/screenshots/<name>-<width>.png) are what the README and docs/guides reference.
/** `fresh-admin` / `starter-admin`: a brand signed up for the run, on Professional / Starter. */
import type { Page } from 'playwright-core';
import { demoPassword, demoUsers } from '../../domain/catalog/demo';
import { invitationTokenIn, startMailSink, type CaughtMail } from './mail-sink';
import { loadConfig } from '../../domain/infra/config';
import { createOrm } from '../../domain/infra/db';
import { raiseOperatorAlert } from '../../domain/operator/alerts';
import { appEnv, loadProfile } from './profiles';

export type Viewer = 'none' | 'demo-admin' | 'operator' | 'fresh-admin' | 'starter-admin';

export interface ScreenshotPage {
  name: string;
  as: Viewer;
  /** A portal hash (`#/billing`) or a server path (`/guides/…`). */
  at: string | ((ctx: SetupContext) => Promise<string>);
  /** Text that shows once the page is ready (its heading, a status line). */
  ready?: string;
  /** What a person does on the page before the shot (a refused save, a bad upload), then waits for. */
  act?: (page: Page) => Promise<void>;
  /** An accessible button or heading to scroll to: the shot is of the viewport there, not the whole page. */
  scrollTo?: { role: 'button' | 'heading' | 'region'; name: string };
}

/** What a setup may do before its page is opened: the API as the logged-in person. */
export interface SetupContext {
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  put<T = unknown>(path: string, body?: unknown): Promise<T>;
  get<T = unknown>(path: string): Promise<T>;
}

/** Polls a condition for up to 20 s: a workflow's outcome lands a moment after its request. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the setup did not settle within 20 s');
}

/** A small catalog of the brand's own, for the frame catalog page after an upload. */
const uploadedFrames = [
  { sku: 'AC-100', name: 'Ada Round', shape: 'round', material: 'acetate', colour: 'black', price: '129.00', lensWidthMm: 49, bridgeMm: 20, templeMm: 145 },
  { sku: 'TI-200', name: 'Tess Aviator', shape: 'aviator', material: 'titanium', colour: 'gold', price: '249.50', lensWidthMm: 56, bridgeMm: 16, templeMm: 140 },
  { sku: 'ME-310', name: 'Milo Browline', shape: 'browline', material: 'metal', colour: 'gunmetal', price: '159.00', lensWidthMm: 51, bridgeMm: 19, templeMm: 145 },
  { sku: 'TR-420', name: 'Nia Cat-Eye', shape: 'cat-eye', material: 'tr90', colour: 'burgundy', price: '99.00', lensWidthMm: 53, bridgeMm: 17, templeMm: 140 },
];

export const screenshotWidths = [1280, 390] as const;

/**
 * The demo admin invites someone and the mail is caught on the test profile's SMTP port (the
 * API of `npm run screenshots` mails there), for the invite page's link. Returns the token.
 */
async function demoInvitationToken(api: SetupContext): Promise<string> {
  const admin = demoUsers.find((u) => u.role === 'admin')!;
  await api.post('/api/auth/login', { email: admin.email, password: demoPassword });
  const mails: CaughtMail[] = [];
  const sink = await startMailSink(loadProfile('test').ports.smtp, (m) => mails.push(m));
  try {
    await api.post('/api/team/invitations', { email: 'sam.optician@demo.varai.test', role: 'manager' });
    await until(async () => mails.some((m) => invitationTokenIn(m.raw)));
    return invitationTokenIn(mails.find((m) => invitationTokenIn(m.raw))!.raw)!;
  } finally {
    await sink.close();
  }
}

export const screenshotPages: ScreenshotPage[] = [
  { name: 'login', as: 'none', at: '#/', ready: 'Log in' },
  // A brand that just subscribed to Starter: the onboarding checklist shows its next steps, and
  // the cards say which apps need Professional.
  { name: 'apps', as: 'starter-admin', at: '#/apps', ready: 'Apps' },
  { name: 'apps-filtered', as: 'starter-admin', at: '#/apps?q=try&category=try-on', ready: 'Apps' },
  { name: 'app-page-inactive', as: 'fresh-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator' },
  { name: 'app-page-active', as: 'demo-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator' },
  // A Starter brand on a Professional app: "Requires Professional" and the Upgrade link.
  { name: 'app-page-requires-plan', as: 'starter-admin', at: '#/apps/virtual-try-on', ready: 'Virtual Try-On' },
  { name: 'app-page-embed', as: 'demo-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator', scrollTo: { role: 'heading', name: 'Embed' } },
  { name: 'configure', as: 'demo-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator', scrollTo: { role: 'button', name: 'Save configuration' } },
  {
    name: 'configure-error',
    as: 'demo-admin',
    at: '#/apps/pd-calculator',
    ready: 'PD Calculator',
    // Blank after trimming: the browser lets it through, the API names the field.
    async act(page) {
      await page.getByLabel('Button text', { exact: true }).fill('   ');
      await page.getByRole('button', { name: 'Save configuration', exact: true }).click();
      await page.getByText('Use 1 to 40 characters.').first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'configure-history',
    as: 'fresh-admin',
    // An app activated through its workflow, then changed twice with a why: a history worth showing.
    async at(api) {
      await api.post('/api/apps/face-shape-analysis/activate');
      await until(async () => (await api.get<{ app: { activation: { status: string } | null } }>('/api/apps/face-shape-analysis')).app.activation?.status === 'active');
      await api.post('/api/apps/face-shape-analysis/configuration/versions', { configuration: { buttonText: 'Find your face shape', theme: { primary: '#7a2e8e' } }, why: 'Spring campaign colours' });
      await api.post('/api/apps/face-shape-analysis/configuration/versions', { configuration: { buttonText: 'Which frames suit me?', theme: { primary: '#7a2e8e' }, showRatios: false }, why: 'Shorter answer for phones' });
      return '#/apps/face-shape-analysis';
    },
    ready: 'Face Shape Analysis',
    scrollTo: { role: 'heading', name: 'History' },
  },
  { name: 'frames', as: 'demo-admin', at: '#/frames', ready: 'Upload your frames' },
  {
    name: 'frames-errors',
    as: 'fresh-admin',
    at: '#/frames',
    ready: 'Upload your frames',
    async act(page) {
      const csv = ['sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm', 'B-1,Bent,hexagon,acetate,black,129.00,49,20,145', 'B-2,Blue,round,acetate,blue,12.345,49,20,145'].join('\n');
      await page.getByLabel('Upload frames').setInputFiles({ name: 'frames.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('list', { name: 'Rows to fix' }).waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'frames-uploaded',
    as: 'fresh-admin',
    async at(api) {
      await api.put('/api/frames', { frames: uploadedFrames });
      return '#/frames';
    },
    ready: 'Your frames',
  },
  { name: 'api-keys', as: 'demo-admin', at: '#/api-keys', ready: 'API keys' },
  { name: 'billing', as: 'demo-admin', at: '#/billing', ready: 'Usage alerts' },
  {
    name: 'billing-return',
    as: 'fresh-admin',
    // Back from a pack's Checkout, paid in test mode: the page polls the purchase and says so.
    async at(api) {
      const { purchase } = await api.post<{ purchase: { id: string } }>('/api/billing/token-packs', { pack: 'tokens_1k' });
      await api.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
      return `#/billing?purchase=${purchase.id}&checkout=success`;
    },
    ready: 'Payment received',
  },
  {
    name: 'billing-auto-top-up',
    as: 'fresh-admin',
    // Turned on with the admin's consent: the panel shows the month's count against the cap.
    async at(api) {
      await api.put('/api/billing/auto-top-up', { enabled: true, packId: 'tokens_5k', thresholdTokens: 2000, monthlyCap: 3, consent: true });
      return '#/billing';
    },
    ready: 'this month',
    scrollTo: { role: 'heading', name: 'Auto top-up' },
  },
  { name: 'notices', as: 'demo-admin', at: '#/notices', ready: 'Notices' },
  {
    name: 'team',
    as: 'demo-admin',
    // A pending invitation beside the demo staff (inviting the same email again replaces it).
    async at(api) {
      await api.post('/api/team/invitations', { email: 'new.optician@demo.varai.test', role: 'viewer' });
      return '#/team';
    },
    ready: 'Pending invitations',
  },
  {
    name: 'team-invite',
    as: 'demo-admin',
    at: '#/team',
    ready: 'Members',
    async act(page) {
      // Still open at the second width: the same hash is not a reload.
      const open = page.getByRole('button', { name: 'Invite member', exact: true });
      if (await open.count()) await open.click();
      await page.getByRole('heading', { name: 'Invite a member' }).waitFor({ timeout: 15_000 });
    },
  },
  { name: 'invite', as: 'none', at: async (api) => `#/invite?token=${encodeURIComponent(await demoInvitationToken(api))}`, ready: 'Set password' },
  { name: 'account', as: 'demo-admin', at: '#/account', ready: 'Recent sign-ins' },
  // The usage page with figures is shot by test/web/portal-usage.test.ts (USAGE_SCREENSHOTS=1),
  // which can consume and reconcile; here, the demo brand before its first use, with its forecast.
  { name: 'usage', as: 'demo-admin', at: '#/usage?range=30', ready: 'Forecast' },
  { name: 'audit', as: 'demo-admin', at: '#/audit', ready: 'Export CSV' },
  { name: 'preferences', as: 'fresh-admin', at: '#/preferences', ready: 'What reaches you' },
  { name: 'operator', as: 'operator', at: '#/operator', ready: 'Operator' },
  { name: 'operator-alerts', as: 'operator', at: async () => (await sampleOperatorAlerts(), '#/operator-alerts'), ready: 'Acknowledge' },
  // Two feature flags (never an app flag: the shots' stack may serve tests): one rolling out, one killed.
  {
    name: 'operator-flags',
    as: 'operator',
    at: async (api) => {
      await api.put('/api/operator/flags/feature.usage-charts-v2', { kind: 'feature', target: 'usage-charts-v2', percentage: 20, note: 'New usage charts, first fifth of brands' });
      await api.put('/api/operator/flags/feature.sms-digest', { kind: 'feature', target: 'sms-digest', percentage: 100, killed: true, note: 'Paused: provider incident' });
      return '#/operator-flags';
    },
    ready: 'usage-charts-v2',
  },
  { name: 'operator-brands', as: 'operator', at: '#/operator-brands', ready: 'Search brands' },
  {
    name: 'operator-brand',
    as: 'operator',
    // The demo brand, found as an operator would: by its admin's email.
    async at(api) {
      const { brands } = await api.get<{ brands: { customerId: string }[] }>(`/api/operator/brands?q=${encodeURIComponent(demoUsers.find((u) => u.role === 'admin')!.email)}`);
      return `#/operator-brands/${brands[0]!.customerId}`;
    },
    ready: 'Adjust tokens',
  },
  { name: 'operator-metrics', as: 'operator', at: '#/operator-metrics', ready: 'Retention of paying brands' },
  { name: 'guide', as: 'none', at: '/guides/getting-started', ready: 'Getting started' },
];

/**
 * Two drifts as the reconciliation audit words them, about the demo brand, open: no API raises
 * an alert (the audit does, in the worker), so they are written as the audit would write them.
 * Fixed dedupe keys: a second run shows the same two, not four.
 */
async function sampleOperatorAlerts(): Promise<void> {
  const orm = await createOrm(loadConfig({ ...process.env, ...appEnv(loadProfile('test')) }));
  try {
    const admin = demoUsers.find((u) => u.role === 'admin')!.email;
    const [brand] = await orm.em.getConnection().execute<{ id: string; name: string }[]>('select c.id, c.name from customers c join users u on u.customer_id = c.id where u.email = ?', [admin]);
    if (!brand) return;
    const drift = (kind: string, differenceTokens: number, subject: string, text: string) =>
      raiseOperatorAlert(orm, { kind: 'balance-drift', dedupeKey: `screenshots:${kind}:${brand.id}`, customerId: brand.id, subject: `${brand.name}: ${subject}`, text, details: { driftKind: kind, differenceTokens, repaired: true } });
    await drift('redis_balance', 500, 'cached balance (Redis) differs from the ledger (+500 tokens)', 'The cache held 1,500 tokens where the ledger (less debits not yet reconciled) gives 1,000.\nRepaired: the cached balance was rebuilt from the ledger.\nThe ledger was not changed.');
    await drift('pack_payment', -1_000, 'token pack paid in Stripe but not credited (-1,000 tokens)', 'A 1,000-token pack is paid in Stripe but not credited.\nRepaired: the payment was reported to the purchase workflow, which credits the pack the usual way.\nThe ledger was not changed.');
  } finally {
    await orm.close();
  }
}
