// Every test process sees the `test` profile's service addresses, and nothing else.
import { appEnv, loadProfile } from '../../scripts/lib/profiles';

// Each test file its own task queues: workers of files running in parallel never take each
// other's tasks (a worker's settings, e.g. its SMTP catcher, belong to its file).
// The reconciliation audit's Schedule, which a worker started through runWorkers creates, fires
// once a day rather than every 5 minutes: a scheduled run would audit (and drain the debit streams
// of) every brand of the shared test database under other files' feet. Its tests run it directly.
Object.assign(process.env, appEnv(loadProfile('test')), { LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE_PREFIX: `t${process.pid}-${Date.now().toString(36)}-`, RECONCILE_AUDIT_INTERVAL: '24h' });
