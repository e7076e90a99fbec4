// The portal pages `npm run screenshots` captures, one row each: which person looks, where, what
// to wait for, and any setup first. Add a row for a new page; the file names
// (docs/screenshots/<name>-<width>.png) are what the README and docs/guides reference.
export type Viewer = 'none' | 'demo-admin' | 'operator' | 'fresh-admin';

export interface ScreenshotPage {
  name: string;
  as: Viewer;
  /** A portal hash (`#/billing`) or a server path (`/guides/…`). */
  at: string | ((ctx: SetupContext) => Promise<string>);
  /** Text that shows once the page is ready (its heading, a status line). */
  ready?: string;
  /** An accessible button or heading to scroll to: the shot is of the viewport there, not the whole page. */
  scrollTo?: { role: 'button' | 'heading' | 'region'; name: string };
}

/** What a setup may do before its page is opened: the API as the logged-in person. */
export interface SetupContext {
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  get<T = unknown>(path: string): Promise<T>;
}

export const screenshotWidths = [1280, 390] as const;

export const screenshotPages: ScreenshotPage[] = [
  { name: 'login', as: 'none', at: '#/', ready: 'Log in' },
  // A brand that just subscribed: the onboarding checklist shows its next steps.
  { name: 'apps', as: 'fresh-admin', at: '#/apps', ready: 'Apps' },
  { name: 'app-page-inactive', as: 'fresh-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator' },
  { name: 'app-page-active', as: 'demo-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator' },
  { name: 'configure', as: 'demo-admin', at: '#/apps/pd-calculator', ready: 'PD Calculator', scrollTo: { role: 'button', name: 'Save configuration' } },
  { name: 'frames', as: 'demo-admin', at: '#/frames', ready: 'Frame' },
  { name: 'api-keys', as: 'demo-admin', at: '#/api-keys', ready: 'API keys' },
  { name: 'billing', as: 'demo-admin', at: '#/billing', ready: 'Billing' },
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
  { name: 'notices', as: 'demo-admin', at: '#/notices', ready: 'Notices' },
  { name: 'operator', as: 'operator', at: '#/operator', ready: 'Operator' },
  { name: 'guide', as: 'none', at: '/guides/getting-started', ready: 'Getting started' },
];
