-- wrk script for admin-rate.sh: PUT /api/apps/cap-rate-<n> with a two-path app, over 1,000 app names
-- (so concurrent requests rarely wait on one app's row: they queue on the change_counter row instead).
local token = os.getenv("ADMIN_TOKEN")
local body = os.getenv("APP_BODY")
local n = 0
request = function()
	n = n + 1
	return wrk.format("PUT", "/api/apps/cap-rate-" .. (n % 1000),
		{ ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
done = function(summary, latency, requests)
	io.write(string.format("non2xx=%d errors=%d\n", summary.errors.status, summary.errors.connect + summary.errors.read
		+ summary.errors.write + summary.errors.timeout))
end
