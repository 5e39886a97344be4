-- One benchmark target for wrk, set by the environment: WRK_METHOD, WRK_BODY, WRK_CONTENT_TYPE, WRK_COOKIE.
-- done() prints one line "WRK_JSON {...}": requests, duration, socket errors, the status of every response
-- (counted in each thread, added up here) and latency percentiles in microseconds.
wrk.method = os.getenv("WRK_METHOD") or "GET"
local cookie = os.getenv("WRK_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/x-www-form-urlencoded"
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"non_2xx_3xx": %d, "statuses": {%s}, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    table.concat(parts, ", "), latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
