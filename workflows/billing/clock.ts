// The one clock the billing workflow reads. Inside Temporal's workflow sandbox `Date` is the
// time of the current workflow task, recorded in the history, so a replay reads the same value;
// the lint rule against `Date.now` keeps every other workflow file from reaching for it.
// eslint-disable-next-line no-restricted-properties
export const workflowNow = (): number => Date.now();

export const workflowNowIso = (): string => new Date(workflowNow()).toISOString();
