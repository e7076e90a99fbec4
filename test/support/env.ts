// Every test process sees the `test` profile's service addresses, and nothing else.
import { appEnv, loadProfile } from '../../scripts/lib/profiles';

// Each test file its own task queues: workers of files running in parallel never take each
// other's tasks (a worker's settings, e.g. its SMTP catcher, belong to its file).
Object.assign(process.env, appEnv(loadProfile('test')), { LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE_PREFIX: `t${process.pid}-${Date.now().toString(36)}-` });
