-- wrk: POST /api/v1/tips with distinct, valid tips (every request a new description; categories,
-- districts, identities and reward wishes rotate so routing and wrap counts vary as in real use).
-- RECEIPTS_OUT=path: each thread appends "receipt<TAB>reference" of its 201s to path.<thread>.
package.path = (os.getenv("WRK_LUA_DIR") or "Benchmarks/wrk") .. "/?.lua;" .. package.path
local common = require("common")

local categories = { "online", "illegal-av", "illegal-publication", "other", "cross-border" }
local districts = { "nanming", "yunyan", "huaxi", "wudang", "baiyun", "guanshanhu", "qingzhen", "kaiyang",
                    "xifeng", "xiuwen", "unknown" }
local counter = 0
local tag = os.getenv("RUN_TAG") or "bench"
local receipts = nil

function init(args)
   local out = os.getenv("RECEIPTS_OUT")
   if out and out ~= "" then receipts = io.open(out .. "." .. thread_id, "a") end
   math.randomseed(os.time() + thread_id * 7919)
end

function request()
   counter = counter + 1
   local n = counter
   local identity = ""
   if n % 3 == 0 then
      identity = string.format(',"reporter":{"name":"测试者%d","phone":"139%08d"}', n, (thread_id * 1000003 + n) % 100000000)
   end
   local body = string.format(
      '{"category":"%s","district":"%s","location":"某路 %d 号附近","description":"wrk %s t%d #%d：某店铺出售非法音像制品，夜间营业。"%s,"wants_reward":%s}',
      categories[n % #categories + 1], districts[math.floor(n / 5) % #districts + 1], n % 500, tag, thread_id, n,
      identity, (n % 4 == 0) and "true" or "false")
   return wrk.format("POST", "/api/v1/tips", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
   common.count(status, headers)
   if status == 201 and receipts then
      local receipt = body:match('"receipt":"([%d ]+)"')
      local reference = body:match('"reference":"([%w%-]+)"')
      if receipt and reference then
         receipts:write(receipt, "\t", reference, "\n")
         receipts:flush()
      end
   end
end
