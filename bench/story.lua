-- wrk: GET /api/v1/persons/{random id}/story (the person page: the whole story on one page).
local max = tonumber(os.getenv("BENCH_MAX_ID")) or 1000
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  return wrk.format("GET", "/api/v1/persons/" .. math.random(max) .. "/story")
end
