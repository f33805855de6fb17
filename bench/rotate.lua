-- wrk script: POST a different DPS AllocationRequest on every request, rotating through the
-- bodies file (one JSON body per line) named by the BODIES environment variable. The requests are
-- formatted once, when the thread starts, so that wrk spends its CPU on sending, not on Lua strings
-- (it shares the machine with the webhook).
local requests = {}
local index = 1

init = function(args)
  local headers = { ["Content-Type"] = "application/json" }
  for line in io.lines(os.getenv("BODIES")) do
    requests[#requests + 1] = wrk.format("POST", "/api/validatejwt", headers, line)
  end
  index = math.random(#requests)
end

request = function()
  index = index % #requests + 1
  return requests[index]
end
