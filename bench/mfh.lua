-- wrk: GET the MFH dashboard (BENCH_PATH, default /api/v1/dashboard/missing), for bench/mfh.sh.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
local path = os.getenv("BENCH_PATH") or "/api/v1/dashboard/missing"
request = function()
  return wrk.format("GET", path)
end
