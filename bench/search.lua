-- wrk: GET /api/v1/persons?q=<3 letters> with a signed-in session; prefixes of common surnames.
local prefixes = { "smi", "jon", "wil", "bro", "tay", "kha", "ahm", "hal", "woo", "wal", "hus", "pat",
  "col", "gre", "tho", "rob", "eva", "mar", "ali", "cla", "kay", "moh", "nowa", "obr", "lee" }
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  return wrk.format("GET", "/api/v1/persons?q=" .. prefixes[math.random(#prefixes)] .. "&limit=20")
end
