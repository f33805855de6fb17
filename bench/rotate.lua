-- wrk script: POST a different DPS AllocationRequest on every request, rotating through the
-- bodies file (one JSON body per line) named by the BODIES environment variable.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  bodies[#bodies + 1] = line
end
local index = math.random(#bodies)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  index = index % #bodies + 1
  return wrk.format(nil, "/api/validatejwt", nil, bodies[index])
end
