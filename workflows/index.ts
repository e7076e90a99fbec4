// Everything the worker bundles. Workflow code only: no I/O, no clocks, no randomness.
export * from './onboard-customer';
export * from './billing-cycle';
export * from './app-activation';
export * from './token-pack-purchase';
export * from './token-pack-refund';
export * from './deliver-notice';
export * from './send-weekly-summaries';
export * from './deliver-operator-alert';
export * from './reconcile-audit';
export * from './enforce-retention';
