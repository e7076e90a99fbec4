// What crosses the boundary of the notice workflows: their type names, inputs and results.
// Imported by the workflows and by their callers (clients/).

export const deliverNoticeWorkflowType = 'deliverNotice';
export const sendWeeklySummariesWorkflowType = 'sendWeeklySummaries';

export interface DeliverNoticeInput {
  notificationId: string;
  customerId: string;
  /** The notice's deliveries still pending when it was recorded (email and SMS, one per user). */
  deliveryIds: string[];
}

export interface DeliverNoticeResult {
  sent: number;
  failed: number;
}

export interface SendWeeklySummariesInput {
  /** End of the week summed up (exclusive), ISO; absent on a scheduled run: 00:00 UTC of the day it starts. */
  weekEnd?: string;
  /** Keyset cursor: the last customer id of the previous page (continue-as-new). */
  after?: string;
  /** Brands summed up by earlier pages of this week. */
  done?: number;
  /** Only these brands (support resending one brand's summary); every brand when absent. */
  customerIds?: string[];
}

export interface SendWeeklySummariesResult {
  weekEnd: string;
  brands: number;
}

export type DeliverNoticeWorkflow = (input: DeliverNoticeInput) => Promise<DeliverNoticeResult>;
export type SendWeeklySummariesWorkflow = (input: SendWeeklySummariesInput) => Promise<SendWeeklySummariesResult>;
