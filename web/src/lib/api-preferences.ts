// The signed-in user's own notification settings: categories × channels, and the SMS number.
import { send } from './api';
import type { Body, Ok } from './types';

export type NotificationPreferences = Ok<'getApiAccountNotificationPreferences'>;
export type PreferenceRow = NotificationPreferences['categories'][number];
export type NotificationPhone = NotificationPreferences['phone'];

export const preferencesApi = {
  load: () => send<NotificationPreferences>('GET', '/api/account/notification-preferences'),
  save: (categories: Body<'putApiAccountNotificationPreferences'>['categories']) =>
    send<Ok<'putApiAccountNotificationPreferences'>>('PUT', '/api/account/notification-preferences', { categories }),
  // 202: the code is on its way (Ok<> names 200 and 201 answers only).
  sendCode: (phone: string) => send<{ phone: NotificationPhone }>('POST', '/api/account/phone', { phone }),
  verify: (code: string) => send<Ok<'postApiAccountPhoneVerify'>>('POST', '/api/account/phone/verify', { code }),
  removePhone: () => send<void>('DELETE', '/api/account/phone'),
};

/** What each category holds, in the words of the grid's row headers. */
export const categoryHints: Record<string, string> = {
  usage_alerts: 'A cycle’s tokens pass a threshold set on the Billing page, or an API key’s use jumps far above its usual rate.',
  billing: 'Failed payments, suspension, receipts and cycle statements.',
  activation: 'An app turned on, failing to turn on, or turned off by a plan change.',
  security: 'Changes to your account and its sign-ins.',
  weekly_summary: 'Mondays: tokens by app, the change from last week, the forecast.',
};
