// What crosses the boundary of the retention workflow: its type name and result. Imported by the
// workflow and by the Schedule that starts it (clients/retention-schedule.ts).

export const enforceRetentionWorkflowType = 'enforceRetention';

export interface EnforceRetentionResult {
  invitations: number;
  deliveries: number;
  noticeRecipients: number;
  signIns: number;
}

export type EnforceRetentionWorkflow = () => Promise<EnforceRetentionResult>;
