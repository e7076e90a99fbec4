// Where Stripe Checkout sends the browser back: the portal's billing page, as a hash route (the
// portal is one page; `/billing` alone would be a server path). The activities append the
// outcome (`?checkout=success&plan=…`, `?purchase=<id>&checkout=success|cancelled`), which the
// portal's router reads as the hash's query.
import type { Config } from '../domain/infra/config';

export const billingReturnUrl = (config: Pick<Config, 'api'>): string => `${config.api.publicUrl.replace(/\/+$/, '')}/#/billing`;
