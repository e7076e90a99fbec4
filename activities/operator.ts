// Activities of the operator workflows: the email of an operator alert.
import type { MikroORM } from '@mikro-orm/postgresql';
import { emailOperatorAlert, type AlertEmailOutcome } from '../domain/operator/alert-email';
import type { Mailer } from '../domain/notify/mailer';

export interface OperatorActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  /** Where the portal is (config.api.publicUrl), for the link in the mail. */
  portalUrl: string;
}

export function createOperatorActivities({ orm, mailer, portalUrl }: OperatorActivityDeps) {
  return {
    /** Once per alert: an alert already emailed is not emailed again. */
    async sendOperatorAlertEmail(input: { alertId: string }): Promise<AlertEmailOutcome> {
      return emailOperatorAlert({ orm, mailer }, input.alertId, portalUrl);
    },
  };
}
