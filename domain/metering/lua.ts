// The Lua scripts that touch a customer's balance and debit stream in Redis: debit, load the
// balance, trim the stream, refund. Each takes only keys under the customer's hash tag, so they
// run unchanged on Redis Cluster.
import { admissionLua, capCommitLua } from './admission-lua';
import { filterCheckLua } from './idempotency-filter';

/**
 * Debit, atomically: replay check, whether PostgreSQL may hold the key, rate windows, daily cap, balance check, burn in order, stream
 * entry, idempotency record. Nothing is written unless the whole debit happens.
 *
 * KEYS: balance, idempotency record, debit stream, rate window, then the admission keys
 *       (admissionLua): visitor IP window, visitor session window, daily cap counter; then 8 the
 *       idempotency filter.
 * ARGV: requestHash, usageId, costTokens, the use as the stream keeps it (stream-entries.ts,
 *       `packDebit`), nowMs, idempotencyTtlSeconds, ratePerSecond, then admissionLua's 8–12, then
 *       13–14 the key's two filter hashes, to answer LOOKUP when PostgreSQL may hold the key, or
 *       two empty strings when the caller has looked it up already (idempotency-filter.ts).
 *       Every argument and stream field costs Redis a string on each debit and the reconciler one
 *       to parse, so what only the stream reads travels as one.
 * Grants burn in the hash's `order`; a grant counts only inside [f:<id>, x:<id>) (ms, end exclusive).
 */
export const debitLua = `${admissionLua(`
local bal = redis.call('HMGET', KEYS[1], 'status', 'unlimited', 'order', 'plan')
if not bal[1] then return {'UNKNOWN'} end
${filterCheckLua('KEYS[8]', 13)}`)}
if bal[1] == 'suspended' then return {'SUSPENDED'} end
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[5])
local remaining = -1
local alloc = ''
if bal[2] ~= '1' then
  local ids, have, total = {}, {}, 0
  for id in string.gmatch(bal[3] or '', '[^,]+') do
    local g = redis.call('HMGET', KEYS[1], 'g:' .. id, 'f:' .. id, 'x:' .. id)
    local left = tonumber(g[1] or '0')
    local from = tonumber(g[2] or '0')
    local to = g[3] and tonumber(g[3]) or nil
    if left > 0 and now >= from and (to == nil or now < to) then
      ids[#ids + 1] = id
      have[#have + 1] = left
      total = total + left
    end
  end
  if total < cost then return {'INSUFFICIENT', tostring(total), bal[4] or ''} end
  local need, parts = cost, {}
  for i = 1, #ids do
    if need == 0 then break end
    local take = math.min(need, have[i])
    redis.call('HINCRBY', KEYS[1], 'g:' .. ids[i], -take)
    parts[#parts + 1] = ids[i] .. ':' .. take
    need = need - take
  end
  alloc = table.concat(parts, ';')
  remaining = total - cost
end
redis.call('XADD', KEYS[3], '*', 'd', ARGV[4], 'al', alloc, 'r', tostring(remaining))
local result = ARGV[1] .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. tostring(remaining)
redis.call('SET', KEYS[2], result, 'EX', tonumber(ARGV[6]))
${capCommitLua}
return {'OK', tostring(remaining), alloc}
`;

/**
 * Load a balance rebuilt from the ledger, only if none is cached and no debit newer than the
 * ones just reconciled waits in the stream (none can arrive while the balance is absent).
 * Returns 1 loaded, 0 already present, -1 refused.
 *
 * KEYS: balance, debit stream.
 * ARGV: status, unlimited ('1'|'0'), order (comma-separated grant ids), lastReconciledStreamId
 *       ('0-0' for none), the consumer group of releases before to drop, plan ('1' a current plan, '0' none, '' not known), then per grant:
 *       id, remainingTokens, effectiveAtMs, expiresAtMs ('' never).
 */
export const loadBalanceLua = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #newest > 0 then
  local function parts(id)
    local ms, seq = string.match(id, '^(%d+)-(%d+)$')
    return tonumber(ms), tonumber(seq)
  end
  local nms, nseq = parts(newest[1][1])
  local lms, lseq = parts(ARGV[4])
  if nms > lms or (nms == lms and nseq > lseq) then return -1 end
end
redis.pcall('XGROUP', 'DESTROY', KEYS[2], ARGV[5])
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'unlimited', ARGV[2], 'order', ARGV[3], 'plan', ARGV[6])
local i = 7
while i <= #ARGV do
  local id = ARGV[i]
  redis.call('HSET', KEYS[1], 'g:' .. id, ARGV[i + 1], 'f:' .. id, ARGV[i + 2])
  if ARGV[i + 3] ~= '' then redis.call('HSET', KEYS[1], 'x:' .. id, ARGV[i + 3]) end
  i = i + 4
end
return 1
`;

/**
 * Delete reconciled entries, by id: only after their rows committed. Not XTRIM MINID, although
 * cheaper: after a failover the promoted replica's stream may carry newer debits under ids below
 * the ones just read, which a trim by id range would take with it.
 * KEYS: debit stream. ARGV: stream ids.
 */
export const trimLua = `return redis.call('XDEL', KEYS[1], unpack(ARGV))`;

/**
 * Give back a debit's tokens to the grants it burned, once per usage id. The refund goes to the
 * stream like a debit, so the reconciler writes its ledger entries; with no cached balance it is
 * still streamed (the rebuild writes the stream to the ledger before reading the ledger).
 * Returns 1 refunded, 0 already refunded.
 *
 * KEYS: balance, debit stream, refund marker.
 * ARGV: usageId, allocation ('grant:tokens;…', empty when unlimited), costTokens, appId, appSlug,
 *       nowMs, markerTtlSeconds, reason.
 */
export const refundLua = `
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[7])) == false then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then
  local parts, known = {}, true
  for id, tokens in string.gmatch(ARGV[2], '([^:;]+):(%d+)') do
    parts[#parts + 1] = {id, tonumber(tokens)}
    if redis.call('HEXISTS', KEYS[1], 'g:' .. id) == 0 then known = false end
  end
  if known then
    for _, p in ipairs(parts) do redis.call('HINCRBY', KEYS[1], 'g:' .. p[1], p[2]) end
  else
    -- A grant the cache no longer lists (rebuilt since the debit): let the ledger speak.
    redis.call('DEL', KEYS[1])
  end
end
redis.call('XADD', KEYS[2], '*', 'kind', 'refund', 'u', ARGV[1], 'a', ARGV[4], 'app', ARGV[5], 'c', ARGV[3], 'al', ARGV[2], 't', ARGV[6], 'why', ARGV[8])
return 1
`;
