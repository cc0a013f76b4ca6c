-- Shared by submit.lua and followup.lua: per-thread status counts, Retry-After back-off, and a
-- done() that prints key=value figures for Benchmarks/intake.sh.
--
-- Back-off: a 503 (KDF gate full) or 429 (rate limit) carries Retry-After; a well-behaved client
-- waits that long before its next request, so this one does too (wrk calls delay() before the
-- next request of the connection that just got the answer). Without it, wrk would turn every
-- gate refusal into an immediate retry: a flood of cheap 503s competing with scrypt for the cores.
local M = {}

threads = {}
statuses = {}
-- Back-offs owed: one per 503/429, each served as one delayed request. wrk asks delay() when a
-- connection is about to send; several answers can arrive in one event-loop turn, so they are counted,
-- not overwritten.
backoffs = {}
honour_retry_after = (os.getenv("HONOUR_RETRY_AFTER") or "1") == "1"

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function delay()
   if #backoffs > 0 then return table.remove(backoffs) end
   return 0
end

function M.count(status, headers)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
   if honour_retry_after and (status == 503 or status == 429) then
      local after = tonumber(headers["Retry-After"] or headers["retry-after"] or "1") or 1
      table.insert(backoffs, math.min(after, 10) * 1000)
   end
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, n in pairs(counts) do totals[status] = (totals[status] or 0) + n end
   end
   local keys = {}
   for status, _ in pairs(totals) do table.insert(keys, status) end
   table.sort(keys)
   local parts = {}
   local ok = 0
   for _, status in ipairs(keys) do
      table.insert(parts, status .. ":" .. totals[status])
      if tonumber(status) >= 200 and tonumber(status) < 300 then ok = ok + totals[status] end
   end
   local seconds = summary.duration / 1e6
   io.write(string.format("wrk_seconds=%.2f\n", seconds))
   io.write(string.format("wrk_responses=%d\n", summary.requests))
   io.write(string.format("wrk_ok=%d\n", ok))
   io.write(string.format("wrk_ok_per_s=%.1f\n", ok / seconds))
   io.write(string.format("wrk_statuses=%s\n", table.concat(parts, " ")))
   io.write(string.format("wrk_socket_errors=connect:%d read:%d write:%d timeout:%d\n",
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
   for _, p in ipairs({50, 90, 99}) do
      io.write(string.format("wrk_latency_p%d_ms=%.2f\n", p, latency:percentile(p) / 1000))
   end
   io.write(string.format("wrk_latency_max_ms=%.2f\n", latency.max / 1000))
end

return M
