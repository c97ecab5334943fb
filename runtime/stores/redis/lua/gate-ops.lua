--[[
  Applies the gate operations of one event in order, atomically, and stops after the first
  refusal. Reference semantics: runtime/state/apply-gate-ops.ts (applyGateOpsSync, readRefuses).
  setIfAbsent and hit of RedisStateStore are this script with one operation.

  Input:
    KEYS[i]     the prefixed key of operation i
    ARGV[1]     now: epoch ms of the caller's injected clock; expiry is judged against it only
    ARGV[2]     gcGraceMs: added to the Redis-side PEXPIRE, which only collects garbage
    ARGV[3..]   the operations, each as
                  'claim', valueJson, ttlMs
                  'hit',   max, windowMs
                  'read',  'present' | 'anyOf' | 'except', n, json_1 .. json_n
  Output: one array per applied operation (false becomes a nil reply):
    claim  {refused 0|1, holderJson | false}
    hit    {refused 0|1, count, resetAt}
    read   {refused 0|1, valueJson | false, ttlMs | -1}
  Errors (nothing is written):
    STATE_WRONG_TYPE <i>   operation i is a hit on a key that holds a plain value
    STATE_BAD_OP <i>       operation i has an unknown kind
  Storage: one hash per key: v = JSON text, e = expiry epoch ms (absent: never expires),
  r = '1' for a rate window (its count is v). Writes go to a local view and are flushed at the
  end, so an error half-way leaves no partial state (Redis does not roll a script back).
]]
local now = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])

local view = {}
local written = {}
local writtenSet = {}

local function load(key)
  local entry = view[key]
  if entry ~= nil then return entry end
  local f = redis.call('HMGET', key, 'v', 'e', 'r')
  entry = false
  if f[1] then
    local e = f[2] and tonumber(f[2]) or nil
    if e == nil or e > now then entry = { v = f[1], e = e, r = f[3] == '1' } end
  end
  view[key] = entry
  return entry
end

-- Every entry written here has an expiry: claims and rate windows always have one.
local function store(key, entry)
  if not writtenSet[key] then
    written[#written + 1] = key
    writtenSet[key] = true
  end
  view[key] = entry
end

local results = {}
local i = 3
local n = 0
while i <= #ARGV do
  n = n + 1
  local key = KEYS[n]
  local kind = ARGV[i]
  local result
  if kind == 'claim' then
    local entry = load(key)
    if entry then
      result = { 1, entry.v }
    else
      store(key, { v = ARGV[i + 1], e = now + tonumber(ARGV[i + 2]) })
      result = { 0, false }
    end
    i = i + 3
  elseif kind == 'hit' then
    local max = tonumber(ARGV[i + 1])
    local entry = load(key)
    if entry and (not entry.r or entry.e == nil) then
      return redis.error_reply('STATE_WRONG_TYPE ' .. n)
    end
    local count = entry and tonumber(entry.v) or 0
    local resetAt = entry and entry.e or (now + tonumber(ARGV[i + 2]))
    if count >= max then
      result = { 1, count, resetAt }
    else
      count = count + 1
      store(key, { v = string.format('%d', count), e = resetAt, r = true })
      result = { 0, count, resetAt }
    end
    i = i + 3
  elseif kind == 'read' then
    local mode = ARGV[i + 1]
    local listedCount = tonumber(ARGV[i + 2])
    local entry = load(key)
    local refused = 0
    -- A stored JSON null reads like an absent value: it never refuses (readRefuses).
    if entry and entry.v ~= 'null' then
      if mode == 'present' then
        refused = 1
      else
        local listed = false
        for j = 1, listedCount do
          if ARGV[i + 2 + j] == entry.v then
            listed = true
            break
          end
        end
        if (mode == 'anyOf') == listed then refused = 1 end
      end
    end
    local ttl = -1
    if entry and entry.e then ttl = entry.e - now end
    result = { refused, entry and entry.v or false, ttl }
    i = i + 3 + listedCount
  else
    return redis.error_reply('STATE_BAD_OP ' .. n)
  end
  results[n] = result
  if result[1] == 1 then break end
end

for _, key in ipairs(written) do
  local entry = view[key]
  redis.call('DEL', key)
  if entry.r then
    redis.call('HSET', key, 'v', entry.v, 'e', string.format('%.0f', entry.e), 'r', '1')
  else
    redis.call('HSET', key, 'v', entry.v, 'e', string.format('%.0f', entry.e))
  end
  redis.call('PEXPIRE', key, string.format('%.0f', entry.e - now + grace))
end

return results
