// The product's own processes and their entry files: the one table that `npm run up`, the
// chaos suite and the supervision tests start them from, so moving an entry is a one-line change.
export const productEntries = {
  worker: 'activities/worker.ts',
  reconciler: 'reconciler/main.ts',
  api: 'api/server.ts',
} as const;

export type ProductProcess = keyof typeof productEntries;

/** Start order: the API last, so it answers only once something drains and runs what it queues. */
export const productProcesses = Object.keys(productEntries) as ProductProcess[];
