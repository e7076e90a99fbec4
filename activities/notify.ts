// Activities of the notice workflows: deliver one channel of one notice, record a delivery that
// ran out of retries, and the weekly summary's pages and per-brand mail.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { raiseNotice } from '../clients/notices';
import { deliverOne, markDeliveryFailed, type DeliveryOutcome } from '../domain/notify/deliver';
import type { Mailer } from '../domain/notify/mailer';
import { SmsRefusedError, type SmsSender } from '../domain/notify/sms';
import { weeklySummaryText } from '../domain/notify/weekly-summary-text';
import { weeklyUsageSummary } from '../domain/usage/summary';

export interface NotifyActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  sms: SmsSender;
  temporal: Client;
  /** Where the portal is (config.api.publicUrl), for the links in mails. */
  portalUrl: string;
}

export function createNotifyActivities({ orm, mailer, sms, temporal, portalUrl }: NotifyActivityDeps) {
  return {
    /** Sends one delivery; each attempt is counted on its row, and an error is kept there as the reason. */
    async deliverNoticeChannel(input: { deliveryId: string }): Promise<DeliveryOutcome> {
      try {
        return await deliverOne({ orm, mailer, sms }, input.deliveryId);
      } catch (err) {
        if (err instanceof SmsRefusedError) throw ApplicationFailure.create({ type: 'SMS_REFUSED', message: err.message, nonRetryable: true });
        throw err;
      }
    },

    async markNoticeDeliveryFailed(input: { deliveryId: string; reason: string }): Promise<void> {
      await markDeliveryFailed(orm, input.deliveryId, input.reason);
    },

    /** One page of brands (those with staff), by id. */
    async weeklySummaryBrands(input: { after: string | null; limit: number }): Promise<{ customerIds: string[] }> {
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(
          `select c.id from customers c where (?::uuid is null or c.id > ?::uuid) and exists (select 1 from users u where u.customer_id = c.id) order by c.id limit ?`,
          [input.after, input.after, input.limit],
        );
      return { customerIds: rows.map((r) => r.id) };
    },

    /**
     * The brand's summary of the week ending `weekEnd`, once per brand and week. A brand with no
     * use in either week gets none: "0 tokens" every Monday would teach people to ignore it.
     */
    async sendWeeklySummary(input: { customerId: string; weekEnd: string }): Promise<{ outcome: 'recorded' | 'already-recorded' | 'no-use' }> {
      const em = orm.em.fork();
      const weekEnd = new Date(input.weekEnd);
      const usage = await weeklyUsageSummary(em, input.customerId, weekEnd);
      if (usage.tokens === 0 && usage.previousTokens === 0) return { outcome: 'no-use' };
      const [brand] = await em.getConnection().execute<{ name: string }[]>('select name from customers where id = ?', [input.customerId]);
      const { subject, text } = weeklySummaryText({ brandName: brand?.name ?? 'your brand', weekEnd, usage, portalUrl });
      const { recorded } = await raiseNotice(orm, temporal, Context.current().info.taskQueue, {
        customerId: input.customerId,
        kind: 'usage.weekly_summary',
        dedupeKey: `weekly-summary:${input.customerId}:${input.weekEnd.slice(0, 10)}`,
        subject,
        text,
      });
      return { outcome: recorded ? 'recorded' : 'already-recorded' };
    },
  };
}
