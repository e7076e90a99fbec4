// The words of billing notices: usage alerts, cycle summaries, payment failure, suspension and
// reactivation. Pure, so their content is unit-tested.
import { fromBigintColumn } from '../units';

export type BillingNotice = 'payment-failed' | 'suspended' | 'reactivated' | 'operator-suspended' | 'operator-resumed';

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const day = (iso: string) => iso.slice(0, 10);

export function usageAlertText(a: { thresholdPercent: number; usedTokens: number; availableTokens: number; cycleStartAt: string }): { subject: string; text: string } {
  const left = Math.max(a.availableTokens - a.usedTokens, 0);
  const subject = a.thresholdPercent >= 100 ? 'You have used all the tokens of this cycle' : `You have used ${a.thresholdPercent}% of this cycle's tokens`;
  const text = [
    `${grouped(a.usedTokens)} of ${grouped(a.availableTokens)} tokens used in the cycle that started ${day(a.cycleStartAt)} (${a.thresholdPercent}% threshold).`,
    left > 0 ? `${grouped(left)} tokens are left.` : 'No tokens are left: app uses are refused until the next cycle or a token pack.',
    'Buy a token pack or upgrade your plan from the Billing page of the portal.',
  ].join('\n');
  return { subject, text };
}

/** `row` is a billing_cycles row as PostgreSQL returns it. */
export function cycleSummaryText(row: Record<string, unknown>, next: { startAt: string; endAt: string; planName: string } | null): { subject: string; text: string } {
  const start = new Date(row.start_at as string).toISOString();
  const end = new Date(row.end_at as string).toISOString();
  const n = (k: string) => fromBigintColumn(row[k] as string, k);
  const allowance = row.allowance_tokens === null ? 'unlimited' : grouped(n('allowance_tokens'));
  const byApp = Object.entries((row.by_app ?? {}) as Record<string, { uses: number; tokens: number }>)
    .sort((a, b) => b[1].tokens - a[1].tokens)
    .map(([slug, t]) => `  ${slug}: ${grouped(t.uses)} uses, ${grouped(t.tokens)} tokens`);
  const text = [
    `Your billing cycle ${day(start)} → ${day(end)} has closed.`,
    ``,
    `Plan allowance: ${allowance}`,
    `Uses: ${grouped(row.uses as number)}, tokens used: ${grouped(n('used_tokens'))}, refunded for failed runs: ${grouped(n('refunded_tokens'))}`,
    `Unused allowance expired: ${grouped(n('expired_tokens'))}`,
    ...(byApp.length ? ['', 'By app:', ...byApp] : []),
    '',
    next ? `Your next cycle runs ${day(next.startAt)} → ${day(next.endAt)} on the ${next.planName} plan.` : 'Your subscription has ended; token packs you hold stay usable.',
  ].join('\n');
  // ASCII subject: mail clients and our SMTP catcher show it without decoding.
  return { subject: `Your cycle summary, ${day(start)} to ${day(end)}`, text };
}

export function billingNoticeText(notice: BillingNotice, graceEndsAt?: string): { subject: string; text: string } {
  switch (notice) {
    case 'payment-failed':
      return {
        subject: 'Your payment failed',
        text: `We could not collect your subscription payment. Please update your payment method from the Billing page.${graceEndsAt ? ` If it is still unpaid on ${graceEndsAt.slice(0, 16).replace('T', ' ')} UTC, your apps will stop answering until it is paid.` : ''}`,
      };
    case 'suspended':
      return { subject: 'Your apps are suspended', text: 'Your subscription payment is still outstanding, so your apps now refuse new uses. Pay the open invoice from the Billing page and they resume at once.' };
    case 'reactivated':
      return { subject: 'Your apps are active again', text: 'Thank you: your payment was received and your apps answer again.' };
    case 'operator-suspended':
      return { subject: 'Your apps are suspended', text: 'VARAi support has suspended your account, so your apps refuse new uses. Please contact support to resolve it.' };
    case 'operator-resumed':
      return { subject: 'Your apps are active again', text: 'VARAi support has lifted the suspension of your account: your apps answer again.' };
  }
}

/** An operator's credit or take-back, with its reason (and the note, which the brand sees). */
export function adjustmentNoticeText(a: { tokens: number; reasonLabel: string; note: string | null; expiresAt: string | null }): { subject: string; text: string } {
  const n = grouped(Math.abs(a.tokens));
  const credit = a.tokens > 0;
  const text = [
    credit ? `VARAi has added ${n} tokens to your balance.` : `VARAi has taken back ${n} tokens from your balance.`,
    `Reason: ${a.reasonLabel}${a.note ? ` (${a.note})` : ''}.`,
    ...(credit && a.expiresAt ? [`These tokens expire at the end of your billing cycle, ${a.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`] : []),
    'The adjustment is listed on the Billing page of the portal.',
  ].join('\n');
  return { subject: credit ? `${n} tokens added to your balance` : `${n} tokens taken back from your balance`, text };
}
