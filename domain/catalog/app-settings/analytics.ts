// The analytics app: the period its reports cover.
import { z } from 'zod';
import { commonSettings } from './common';

export const advancedAnalyticsSettings = z
  .object({
    ...commonSettings({ buttonText: 'View insights' }),
    /** Days, counted back from today; only the periods the reports are aggregated over. */
    reportPeriodDays: z.union([z.literal(7), z.literal(30), z.literal(90)]).default(30).meta({ title: 'Report period (days)', description: 'Days counted back from today.' }),
  })
  .strict();
