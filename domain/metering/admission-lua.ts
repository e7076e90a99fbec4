// What every debit checks before touching a balance, live or sandbox: the replay, the brand's
// one-second window, a publishable key's per-visitor windows and a key's daily token cap. One
// fragment, spliced into both debit scripts, so the two cannot drift and each debit stays one
// round trip. The key and argument positions are shared by both scripts:
//
// KEYS[2] idempotency record, KEYS[4] brand rate window, KEYS[5] visitor IP window,
// KEYS[6] visitor session window, KEYS[7] the key's daily cap counter.
// ARGV[1] requestHash, ARGV[3] costTokens, ARGV[7] ratePerSecond, ARGV[8] per-IP limit
// ('0' none), ARGV[9] per-session limit ('0' none), ARGV[10] visitor window seconds,
// ARGV[11] daily cap tokens ('0' none), ARGV[12] daily counter lifetime seconds.

/**
 * `precheck` runs after the replay check and before any counter moves: the live script refuses an
 * unknown balance there, so the retry after a rebuild does not count the same use twice.
 */
export const admissionLua = (precheck = '') => `
local stored = redis.call('GET', KEYS[2])
if stored then
  if string.sub(stored, 1, 64) == ARGV[1] then return {'REPLAY', stored} end
  return {'REUSED'}
end
${precheck}
local hits = redis.call('INCR', KEYS[4])
if hits == 1 then redis.call('EXPIRE', KEYS[4], 2) end
if hits > tonumber(ARGV[7]) then return {'RATE_LIMITED'} end
local function visitor(key, limit, scope)
  if limit == '0' then return nil end
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, tonumber(ARGV[10]) + 1) end
  if n > tonumber(limit) then return {'VISITOR_LIMITED', scope} end
  return nil
end
local refused = visitor(KEYS[5], ARGV[8], 'ip') or visitor(KEYS[6], ARGV[9], 'session')
if refused then return refused end
if ARGV[11] ~= '0' then
  local spent = tonumber(redis.call('GET', KEYS[7]) or '0')
  if spent + tonumber(ARGV[3]) > tonumber(ARGV[11]) then return {'DAILY_CAP', tostring(spent)} end
end
`;

/** After a debit: count its tokens towards the key's day. */
export const capCommitLua = `
if ARGV[11] ~= '0' then
  redis.call('INCRBY', KEYS[7], tonumber(ARGV[3]))
  redis.call('EXPIRE', KEYS[7], tonumber(ARGV[12]))
end
`;

/**
 * A test key's debit: the same admission, then the brand's sandbox balance instead of its grants.
 * Nothing reaches the debit stream, so the reconciler, the ledger, token_usage, the billing
 * workflow and usage alerts never see it. The sandbox starts full on first use.
 *
 * KEYS: sandbox hash (`tokens`), idempotency record, sandbox usage hash (`u:<app>` uses,
 *       `t:<app>` tokens), rate window, then the admission keys, then 8 the day's hash of uses
 *       (sandbox-days.ts), which test-mode analytics read.
 * ARGV: as debitLua, except 4 appSlug (a sandbox use streams nothing); then 13 startingTokens,
 *       14 the use's bucket in the day's hash (`<hour>|<appId>|<keyId>`), 15 the day hash's
 *       lifetime in seconds.
 */
export const sandboxDebitLua = `${admissionLua()}
local cost = tonumber(ARGV[3])
if redis.call('HSETNX', KEYS[1], 'tokens', ARGV[13]) == 1 then redis.call('HSET', KEYS[1], 'refilledAt', ARGV[5]) end
local left = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if left < cost then return {'INSUFFICIENT', tostring(left)} end
local remaining = redis.call('HINCRBY', KEYS[1], 'tokens', -cost)
redis.call('HINCRBY', KEYS[3], 'u:' .. ARGV[4], 1)
redis.call('HINCRBY', KEYS[3], 't:' .. ARGV[4], cost)
redis.call('HINCRBY', KEYS[8], 'u|' .. ARGV[14], 1)
redis.call('HINCRBY', KEYS[8], 't|' .. ARGV[14], cost)
redis.call('EXPIRE', KEYS[8], tonumber(ARGV[15]))
redis.call('SET', KEYS[2], ARGV[1] .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. tostring(remaining), 'EX', tonumber(ARGV[6]))
${capCommitLua}
return {'OK', tostring(remaining), ''}
`;

/**
 * Give a failed test run's tokens back to the sandbox, once per usage id; the use is counted
 * back out, as a live refund is, and netted in the day's hash in the bucket of the use it gives
 * back (`ru|`, `rt|`), as the live rollup nets a refund into its use's hour, app and key.
 * Returns 1 refunded, 0 already refunded.
 * KEYS: sandbox hash, sandbox usage hash, refund marker, the use's day hash.
 * ARGV: costTokens, appSlug, markerTtlSeconds, the use's bucket, the day hash's lifetime in seconds.
 */
export const sandboxRefundLua = `
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[3])) == false then return 0 end
local cost = tonumber(ARGV[1])
redis.call('HINCRBY', KEYS[1], 'tokens', cost)
redis.call('HINCRBY', KEYS[2], 'u:' .. ARGV[2], -1)
redis.call('HINCRBY', KEYS[2], 't:' .. ARGV[2], -cost)
redis.call('HINCRBY', KEYS[4], 'ru|' .. ARGV[4], 1)
redis.call('HINCRBY', KEYS[4], 'rt|' .. ARGV[4], cost)
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[5]))
return 1
`;
