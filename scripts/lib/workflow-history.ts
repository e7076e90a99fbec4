// Fetching a workflow's history from the configured Temporal and replaying it against the
// current workflow code: shared by `npm run replay` and `npm run record-history`.
import { Client, Connection, isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, ReplayError, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../clients/temporal-connection';
import type { Config } from '../../domain/infra/config';

/** gRPC status NOT_FOUND: no such workflow (or run) in the namespace. */
const grpcNotFound = 5;

export class WorkflowMissingError extends Error {}

export interface FetchedHistory {
  workflowId: string;
  runId: string;
  history: History;
}

/** Without a runId, the latest run: for billing:<customerId>, the run after the last continue-as-new. */
export async function fetchWorkflowHistory(config: Pick<Config, 'temporal'>, workflowId: string, runId?: string): Promise<FetchedHistory> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const handle = new Client({ connection, namespace: config.temporal.namespace }).workflow.getHandle(workflowId, runId);
    const described = await handle.describe();
    const history = await handle.fetchHistory();
    return { workflowId, runId: runId ?? described.runId, history };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === grpcNotFound)) {
      const which = runId ? `${workflowId} run ${runId}` : workflowId;
      throw new WorkflowMissingError(`no workflow ${which} in namespace "${config.temporal.namespace}" at ${config.temporal.address}`);
    }
    throw err;
  } finally {
    await connection.close();
  }
}

export type ReplayVerdict = { ok: true; events: number } | { ok: false; events: number; message: string; divergedAt: string | null };

/** The verdict says what went wrong once; the core's own "failing workflow task" warning would say it twice. */
export function quietReplayLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // Already installed in this process.
  }
}

/**
 * Where the history and the code parted: the event id when the error names one, else the first
 * scheduled activity, timer or child whose name the error quotes ("scheduled event 'x'").
 */
export function divergencePoint(history: History, message: string): string | null {
  const events = history.events ?? [];
  const id = /event(?:[ _]?id)?[ :#]+(\d+)/i.exec(message)?.[1];
  if (id) {
    const event = events.find((e) => String(e.eventId) === id);
    return event ? `event ${id} (${eventTypeName(event.eventType)})` : `event ${id}`;
  }
  const name = /scheduled event '([^']+)'/i.exec(message)?.[1];
  const event = name ? events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name) : undefined;
  return event ? `event ${String(event.eventId)} (${eventTypeName(event.eventType)} ${name})` : null;
}

function eventTypeName(type: unknown): string {
  return typeof type === 'number' ? (temporal.api.enums.v1.EventType[type] ?? `event type ${type}`) : String(type);
}

export async function replayWorkflowHistory(source: ReplayWorkerOptions, fetched: Pick<FetchedHistory, 'workflowId' | 'history'>): Promise<ReplayVerdict> {
  const events = fetched.history.events?.length ?? 0;
  try {
    await Worker.runReplayHistory(source, fetched.history, fetched.workflowId);
    return { ok: true, events };
  } catch (err) {
    if (!(err instanceof DeterminismViolationError || err instanceof ReplayError)) throw err;
    return { ok: false, events, message: `${err.name}: ${err.message}`, divergedAt: divergencePoint(fetched.history, err.message) };
  }
}
