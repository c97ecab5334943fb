--[[
  Sets a value, replacing whatever the key held (a value or a rate window) and its expiry.

  Input:
    KEYS[1]   the prefixed key
    ARGV[1]   valueJson
    ARGV[2]   ttlMs, or '' for a value that never expires
    ARGV[3]   now: epoch ms of the caller's injected clock
    ARGV[4]   gcGraceMs: added to the Redis-side PEXPIRE, which only collects garbage
  Output: 1
  Storage: see gate-ops.lua (hash v = JSON text, e = expiry epoch ms).
]]
local key = KEYS[1]
redis.call('DEL', key)
if ARGV[2] == '' then
  redis.call('HSET', key, 'v', ARGV[1])
else
  local ttl = tonumber(ARGV[2])
  redis.call('HSET', key, 'v', ARGV[1], 'e', string.format('%.0f', tonumber(ARGV[3]) + ttl))
  redis.call('PEXPIRE', key, string.format('%.0f', ttl + tonumber(ARGV[4])))
end
return 1
