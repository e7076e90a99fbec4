// What a refused debit tells the brand to do, so a widget's 402 can point staff at the fix.
//   buy_tokens   the brand has a current plan (its allowance is spent until the cycle renews) or
//                its state is not known: a token pack fixes it at once;
//   upgrade_plan no current plan (never chose one, or canceled): a pack alone is not the fix, a
//                plan is; and a suspended brand (PAYMENT_REQUIRED): no token helps until the
//                subscription's invoice is paid, which is done where the plan is managed.
// A test key's sandbox is refilled on the API keys page, not bought: its link goes there.

export type OutOfTokensHint = 'buy_tokens' | 'upgrade_plan';

export type RefusedForTokens = { kind: 'insufficient'; hasPlan: boolean | null } | { kind: 'suspended' };

export function outOfTokensHelp(outcome: RefusedForTokens, publicUrl: string, testMode: boolean): { hint: OutOfTokensHint; portalUrl: string } {
  const base = publicUrl.replace(/\/+$/, '');
  if (outcome.kind === 'suspended') return { hint: 'upgrade_plan', portalUrl: `${base}/#/billing` };
  if (testMode) return { hint: 'buy_tokens', portalUrl: `${base}/#/api-keys` };
  return { hint: outcome.hasPlan === false ? 'upgrade_plan' : 'buy_tokens', portalUrl: `${base}/#/billing` };
}
