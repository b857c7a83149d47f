-- wrk script for bench/load.sh: POSTs one CDS Hooks request body (BODY_FILE) to every request.
-- No response() callback on purpose: with one, wrk copies every answer's headers and body into
-- Lua, which costs the load generator (sharing the server's cores) more for our 6.8 KB answer
-- than for a bare listener's 12 bytes. Answers that are not 2xx/3xx are counted by wrk itself
-- ("Non-2xx or 3xx responses"), which load.sh reads.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
