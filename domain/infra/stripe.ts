// One Stripe client factory. STRIPE_API_BASE points it at stripe-mock locally; empty means
// api.stripe.com, where real test-mode or live keys apply.
import Stripe from 'stripe';
import type { Config } from './config';

export function createStripe(config: Pick<Config, 'stripe'>): Stripe {
  const base = config.stripe.apiBase ? new URL(config.stripe.apiBase) : null;
  return new Stripe(config.stripe.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'varai-connected-apps' },
    ...(base
      ? { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol === 'https:' ? 'https' : 'http' }
      : {}),
  });
}
