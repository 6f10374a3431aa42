-- wrk: POST /api/v1/persons (each a durable, audited transaction).
wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"given_name":"Bench","family_name":"Marker","sex":"unknown","dob":"2010-01-01",' ..
  '"addresses":[{"line1":"1 Test Street","postcode":"SK1 1AA","current":true}]}'
