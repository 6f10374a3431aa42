-- wrk: GET /api/v1/persons/{random id} with a signed-in session (every one audited as a view).
local max = tonumber(os.getenv("BENCH_MAX_ID")) or 1000
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  return wrk.format("GET", "/api/v1/persons/" .. math.random(max))
end
