-- wrk: POST /api/v1/followup with valid receipts collected by a submit pre-run
-- (RECEIPTS_IN=path: the lines "receipt<TAB>reference" of path.1, path.2, ...; each thread cycles
-- through all of them from its own offset). Every answer should be 200.
package.path = (os.getenv("WRK_LUA_DIR") or "Benchmarks/wrk") .. "/?.lua;" .. package.path
local common = require("common")

local receipts = {}
local index = 0

function init(args)
   local base = os.getenv("RECEIPTS_IN")
   local part = 1
   while true do
      local file = io.open(base .. "." .. part, "r")
      if not file then break end
      for line in file:lines() do
         local receipt = line:match("^([%d ]+)\t")
         if receipt then table.insert(receipts, receipt) end
      end
      file:close()
      part = part + 1
   end
   if #receipts == 0 then error("no receipts in " .. tostring(base) .. ".*") end
   index = (thread_id * 7919) % #receipts
end

function request()
   index = index % #receipts + 1
   return wrk.format("POST", "/api/v1/followup", { ["Content-Type"] = "application/json" },
      string.format('{"receipt":"%s"}', receipts[index]))
end

function response(status, headers, body)
   common.count(status, headers)
end
