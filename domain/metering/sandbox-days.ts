// Test uses by UTC day, for test-mode usage analytics: test keys spend from the Redis sandbox and
// never reach PostgreSQL or its rollups, so the sandbox debit script counts each use (and its
// refund) into one hash per brand and day, under the brand's hash tag (one cluster slot with the
// rest of the script's keys). A field is `<kind>|<hour of day>|<appId>|<keyId>`, kind one of
// u (uses), t (tokens), ru (refunded uses), rt (refunded tokens); keyId empty for no key.

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** Kept past the longest analytics range (366 days), so a year back is always whole. */
export const sandboxDayTtlSeconds = 400 * 24 * 3600;

export const utcDayStart = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/** The bucket part of a field: the script prefixes its kind. */
export const sandboxBucket = (atMs: number, appId: string, apiKeyId: string | undefined | null) =>
  `${Math.floor((atMs - utcDayStart(atMs)) / hourMs)}|${appId}|${apiKeyId ?? ''}`;

export interface SandboxDayCell {
  hour: number;
  appId: string;
  keyId: string | null;
  uses: number;
  tokens: number;
  refundedUses: number;
  refundedTokens: number;
}

const kinds = { u: 'uses', t: 'tokens', ru: 'refundedUses', rt: 'refundedTokens' } as const;

/** One day's hash as cells, one per hour, app and key; fields of another shape are skipped. */
export function parseSandboxDay(hash: Record<string, string>): SandboxDayCell[] {
  const cells = new Map<string, SandboxDayCell>();
  for (const [field, value] of Object.entries(hash)) {
    const [kind, hour, appId, keyId] = field.split('|');
    const counter = kinds[kind as keyof typeof kinds];
    if (!counter || !appId || keyId === undefined || !/^\d{1,2}$/.test(hour ?? '')) continue;
    const id = `${hour}|${appId}|${keyId}`;
    let cell = cells.get(id);
    if (!cell) cells.set(id, (cell = { hour: Number(hour), appId, keyId: keyId || null, uses: 0, tokens: 0, refundedUses: 0, refundedTokens: 0 }));
    cell[counter] += Number(value);
  }
  return [...cells.values()];
}
