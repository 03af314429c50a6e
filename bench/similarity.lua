-- bench/similarity.lua: Signorino-Ritter S for every dyad of every year
-- 1816-2018 from the ATOP portfolios, in C (entente.cow.similarity_year:
-- portfolio build + threaded all-dyads kernel) against a straightforward
-- pure-Lua version of the same formula on the same portfolios.
--
--   lua5.4 bench/similarity.lua [first_year last_year]
--
-- Both sides start from the loaded data (the CSV parsing is timed
-- separately) and produce every value; the checksums must agree.
local entente = require "entente"
local cow = entente.cow

local first = tonumber(arg and arg[1]) or 1816
local last = tonumber(arg and arg[2]) or 2018

local clock = os.clock
-- wall-clock time where the host has it (os.clock adds up both threads)
local ok_socket, socket = pcall(require, "socket")
local function now()
  if ok_socket and socket.gettime then return socket.gettime() end
  return os.time()
end

local t0, w0 = clock(), now()
local ds = assert(cow.dataset())
assert(ds:_atop())
for y = first, last do assert(ds:system(y)) end
print(string.format("load ATOP + NMC (LPeg CSV): %.2f s", clock() - t0))

-- C: portfolios + all dyads, per year
local function run_c()
  local sum, dyads = 0, 0
  for y = first, last do
    local r = assert(cow.similarity_year(y))
    local s = r.sum()
    sum = sum + s
    dyads = dyads + r.n * (r.n - 1) / 2
  end
  return sum, dyads
end

-- pure Lua: the same portfolios (built in Lua from the year's ATOP rows)
-- and the formula S = 1 - 2 sum_k |x_ik - x_jk| / (3 n), every pair i < j.
local core = entente.core
local function run_lua()
  local sum, dyads = 0, 0
  for y = first, last do
    local sys = ds:system(y)
    local n = #sys.ccodes
    local pos = {}
    for k, c in ipairs(sys.ccodes) do pos[c] = k end
    local P = {}
    for i = 1, n do
      local row = {}
      for k = 1, n do row[k] = 0 end
      row[i] = 3
      P[i] = row
    end
    local c1, c2, fl = core.atop_year(ds.atop, y)
    for r = 1, #c1 do
      local i, k = pos[c1[r]], pos[c2[r]]
      if i and k and i ~= k then
        local f = fl[r]
        local def = f % 4 >= 1            -- defence (1) or offence (2)
        local neu = f % 8 >= 4 or f >= 16 -- neutrality (4) or consultation (16)
        local non = f % 16 >= 8
        P[i][k] = def and 3 or neu and 2 or non and 1 or 0
      end
    end
    local out = {}
    for i = 1, n - 1 do
      local x = P[i]
      for j = i + 1, n do
        local yv, d = P[j], 0
        for k = 1, n do
          local e = x[k] - yv[k]
          if e < 0 then e = -e end
          d = d + e
        end
        local s = 1 - 2 * d / (3 * n)
        out[#out + 1] = s
        sum = sum + s
      end
    end
    dyads = dyads + #out
  end
  return sum, dyads
end

collectgarbage()
t0, w0 = clock(), now()
local csum, cdyads = run_c()
local c_cpu, c_wall = clock() - t0, now() - w0
collectgarbage()
t0 = clock()
local lsum, ldyads = run_lua()
local lua_cpu = clock() - t0

assert(cdyads == ldyads, "dyad counts differ")
assert(math.abs(csum - lsum) <= 1e-9 * math.abs(lsum), string.format("checksums differ: %.17g %.17g", csum, lsum))

print(string.format("years %d-%d: %d dyad-years (%d directed), checksum %.6f", first, last, cdyads, 2 * cdyads, csum))
print(string.format("C (2 threads): %.3f s CPU%s", c_cpu,
  ok_socket and string.format(", %.3f s wall", c_wall) or ""))
print(string.format("pure Lua:      %.3f s CPU", lua_cpu))
print(string.format("ratio (Lua CPU / C %s): %.0fx", ok_socket and "wall" or "CPU",
  lua_cpu / (ok_socket and c_wall or c_cpu)))
print(string.format("ratio (Lua CPU / C CPU): %.0fx", lua_cpu / c_cpu))
