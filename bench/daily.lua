-- wrk: GET /api/v1/dashboard/daily?scope=all (the home page of every practitioner and manager).
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  return wrk.format("GET", "/api/v1/dashboard/daily?scope=all")
end
