export * from './api-key';
export * from './app';
export * from './app-beta-access';
export * from './app-run';
export * from './app-snippet-copy';
export * from './app-configuration-version';
export * from './audit-log';
export * from './billing-cycle';
export * from './billing-plan';
export * from './brand-frame';
export * from './customer';
export * from './customer-app';
export * from './customer-billing';
export * from './ledger-entry';
export * from './notification';
export * from './operator-refund';
export * from './sign-in';
export * from './notification-delivery';
export * from './notification-preference';
export * from './stripe-event';
export * from './subscription-mrr-change';
export * from './team-invitation';
export * from './token-adjustment';
export * from './token-grant';
export * from './token-pack';
export * from './token-pack-purchase';
export * from './token-usage';
export * from './usage-batch';
export * from './usage-daily';
export * from './usage-hourly';
export * from './user';
export * from './user-phone';
export * from './widget-first-call';

import { ApiKeySchema } from './api-key';
import { AppSchema } from './app';
import { AppBetaAccessSchema } from './app-beta-access';
import { AppRunSchema } from './app-run';
import { AppSnippetCopySchema } from './app-snippet-copy';
import { AppConfigurationVersionSchema } from './app-configuration-version';
import { AuditLogSchema } from './audit-log';
import { BillingCycleSchema } from './billing-cycle';
import { BillingPlanSchema } from './billing-plan';
import { BrandFrameSchema } from './brand-frame';
import { CustomerSchema } from './customer';
import { CustomerAppSchema } from './customer-app';
import { CustomerBillingSchema } from './customer-billing';
import { LedgerEntrySchema } from './ledger-entry';
import { NotificationSchema } from './notification';
import { OperatorRefundSchema } from './operator-refund';
import { SignInSchema } from './sign-in';
import { NotificationDeliverySchema } from './notification-delivery';
import { NotificationPreferenceSchema } from './notification-preference';
import { StripeEventSchema } from './stripe-event';
import { SubscriptionMrrChangeSchema } from './subscription-mrr-change';
import { TeamInvitationSchema } from './team-invitation';
import { TokenAdjustmentSchema } from './token-adjustment';
import { TokenGrantSchema } from './token-grant';
import { TokenPackSchema } from './token-pack';
import { TokenPackPurchaseSchema } from './token-pack-purchase';
import { TokenUsageSchema } from './token-usage';
import { UsageBatchSchema } from './usage-batch';
import { UsageDailySchema } from './usage-daily';
import { UsageHourlySchema } from './usage-hourly';
import { UserSchema } from './user';
import { UserPhoneSchema } from './user-phone';
import { WidgetFirstCallSchema } from './widget-first-call';

export const entities = [
  ApiKeySchema, AppSchema, AppBetaAccessSchema, AppRunSchema, AppSnippetCopySchema, AppConfigurationVersionSchema, AuditLogSchema, BillingCycleSchema, BillingPlanSchema, BrandFrameSchema, CustomerSchema,
  CustomerAppSchema, CustomerBillingSchema, LedgerEntrySchema, NotificationSchema, StripeEventSchema,
  TokenGrantSchema, TokenPackSchema, TokenPackPurchaseSchema, TokenUsageSchema, UsageBatchSchema, UsageDailySchema, UsageHourlySchema, UserSchema,
  WidgetFirstCallSchema, SignInSchema, TeamInvitationSchema, NotificationDeliverySchema, NotificationPreferenceSchema, UserPhoneSchema,
  SubscriptionMrrChangeSchema,
  TokenAdjustmentSchema, OperatorRefundSchema,
];
