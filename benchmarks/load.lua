-- Mixed API load for wrk: 80% reads (search, actor, ego network, path, stats), 20% writes
-- (create an actor, update it, add a tie). The token comes from the TOKEN environment variable.
local token = os.getenv("TOKEN")
local reads = {
  "/api/v1/actors?q=munchen",
  "/api/v1/actors/munich",
  "/api/v1/actors/munich/ego?depth=2",
  "/api/v1/path?from=highland-park&to=institute-for-strategic-dialogue",
  "/api/v1/stats",
  "/api/v1/actors?kind=city&limit=20",
  "/api/v1/search?q=new",
}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  math.randomseed(os.time() + id)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local r = math.random(100)
  if r <= 80 then
    return wrk.format("GET", reads[math.random(#reads)])
  elseif r <= 90 then
    return wrk.format("POST", "/api/v1/actors",
      nil, string.format('{"name": "Load test org %d-%d-%d", "kind": "ngo", "tags": ["load"]}', id, counter, math.random(1e9)))
  elseif r <= 95 then
    return wrk.format("PATCH", "/api/v1/actors/oslo", nil,
      string.format('{"description": "updated %d-%d"}', id, counter))
  else
    return wrk.format("POST", "/api/v1/ties", nil,
      string.format('{"source_id": "oslo", "target_id": "berlin", "type": "load %d %d", "strength": 3}', id, counter))
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("requests: %d in %.1f s = %.0f req/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d (non-2xx %d, timeouts %d, socket %d)\n", errors, summary.errors.status,
    summary.errors.timeout, summary.errors.connect + summary.errors.read + summary.errors.write))
end
