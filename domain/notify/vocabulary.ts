// The words of notifications, import-free so the portal, the API and the workflows share them.
// A notice has a kind (usage.alert, billing.payment-failed…); its kind falls in one category,
// and each user chooses per category which channels reach them.

export const noticeCategories = ['usage_alerts', 'billing', 'activation', 'security', 'weekly_summary'] as const;
export type NoticeCategory = (typeof noticeCategories)[number];

/** `portal` is the brand's notice list: always on, so it is shown but never stored as a choice. */
export const noticeChannels = ['email', 'sms', 'portal'] as const;
export type NoticeChannel = (typeof noticeChannels)[number];
/** The channels a user may turn on or off. */
export const choosableChannels = ['email', 'sms'] as const;
export type ChoosableChannel = (typeof choosableChannels)[number];

export const categoryLabels: Record<NoticeCategory, string> = {
  usage_alerts: 'Usage alerts',
  billing: 'Billing and payment',
  activation: 'Activation results',
  security: 'Security',
  weekly_summary: 'Weekly summary',
};

export const channelLabels: Record<NoticeChannel, string> = { email: 'Email', sms: 'SMS', portal: 'In portal' };

/** Every kind written today, and where a kind not listed falls (by its prefix). */
export function categoryOf(kind: string): NoticeCategory {
  if (kind === 'usage.weekly_summary') return 'weekly_summary';
  // A spike or a 4xx flood (issue 14): the admins who buy the tokens hear of it with the usage alerts.
  if (kind === 'usage.anomaly') return 'usage_alerts';
  if (kind.startsWith('usage.')) return 'usage_alerts';
  // billing.auto_top_up_disabled (two declines) and _capped (the month's cap stopped a purchase) included.
  if (kind.startsWith('billing.') || kind.startsWith('token_pack.')) return 'billing';
  if (kind.startsWith('app.')) return 'activation';
  return 'security';
}

export type ChannelChoices = Record<ChoosableChannel, boolean>;
export type PreferenceGrid = Record<NoticeCategory, ChannelChoices>;

/**
 * What a user gets before choosing. Admins: billing and security by email (they pay and they
 * answer for the account), usage alerts and the weekly summary by email (they buy the packs the
 * alert is about). Managers: usage alerts by email (they run the apps that spend). Every role:
 * security by email (their own account). SMS is never on by default: it needs a verified number
 * and costs money per message. Activation results stay in the portal (the person who activated
 * is watching the page).
 */
export function defaultPreferences(role: string): PreferenceGrid {
  const admin = role === 'admin';
  const email = (on: boolean): ChannelChoices => ({ email: on, sms: false });
  return {
    usage_alerts: email(admin || role === 'manager'),
    billing: email(admin),
    activation: email(false),
    security: email(true),
    weekly_summary: email(admin),
  };
}
