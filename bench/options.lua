-- bench/options.lua: the flagship evaluation of examples/china_options.lua
-- (5 options of China, all six criteria, entrapment over two triggers, the
-- responses of the US, Japan, South Korea, Russia and the DPRK), 100,000
-- Monte Carlo draws in the C kernel, side by side with a pure-Lua evaluation
-- of the same criteria on the same compiled model
-- (spec/support/options_ref.lua: the same formulas, the same entrapment
-- polynomials, parameters drawn in Lua).
--
--   lua5.4 bench/options.lua [draws [lua_draws]]
--
-- The pure-Lua side runs fewer draws (default 5,000) and its rate is
-- compared per draw.  Single-thread C against Lua, both in CPU time, is the
-- like-for-like ratio; the threaded rate is wall-clock time and depends on
-- what else the machine is doing (the load average is printed with it).
local entente = require "entente"

local draws = tonumber(arg and arg[1]) or 100000
local lua_draws = tonumber(arg and arg[2]) or 5000

local function here(rel)
  local dir = (arg and arg[0] or ""):match("^(.*)/bench/[^/]*$") or "."
  return dir .. "/" .. rel
end
local build = dofile(here("examples/china_options.lua"))
local ref = dofile(here("spec/support/options_ref.lua"))

local clock = os.clock
local function loadavg()
  local f = io.open("/proc/loadavg")
  if not f then return nil end
  local l = f:read("*l")
  f:close()
  return l and l:match("^(%S+)")
end
local ok_socket, socket = pcall(require, "socket")
local function now()
  if ok_socket and socket.gettime then return socket.gettime() end
  return nil
end

local t0 = clock()
local s, opts = build(1000)
local r = s:evaluate(opts)       -- builds the models, compiles the polynomials, a first run
local t_setup = clock() - t0
local e = r._e
local ex = r:_export()

-- C, one thread (CPU time = wall time)
t0 = clock()
e:run(draws, 7, 1)
local t_c1 = clock() - t0
local res1 = e:results()

-- C, all cores (wall time)
local w0, c0 = now(), clock()
local threads = e:run(draws, 7, 0)
local t_cn = w0 and (now() - w0) or nil
local t_cn_cpu = clock() - c0
local resn = e:results()
for i = 1, #res1.options do
  assert(res1.options[i].stats[7].mean == resn.options[i].stats[7].mean, "thread count changed the answer")
end

-- pure Lua, same criteria, same compiled model
t0 = clock()
local lr = ref.montecarlo(ex, lua_draws, 7)
local t_lua = clock() - t0

local rate_c1, rate_lua = draws / t_c1, lua_draws / t_lua
print(string.format("flagship evaluation: %d options, %d parameters (%d uncertain), %d triggers",
  #r.options, #r.params, (function() local n = 0 for _, p in ipairs(r.params) do if p.varies then n = n + 1 end end return n end)(),
  #r.triggers))
print(string.format("setup (models, responses, polynomials, explanations, 1,000 draws): %.3f s", t_setup))
print()
print(string.format("  %-32s %10s %12s %14s", "", "draws", "seconds", "draws/s"))
print(string.format("  %-32s %10d %12.3f %14.0f", "C, 1 thread (CPU)", draws, t_c1, rate_c1))
print(string.format("  %-32s %10d %12.3f %14.0f", "pure Lua, " .. (jit and jit.version or _VERSION) .. " (CPU)", lua_draws, t_lua, rate_lua))
if t_cn then
  print(string.format("  %-32s %10d %12.3f %14.0f", string.format("C, %d threads (wall)", threads), draws, t_cn, draws / t_cn))
  print(string.format("  (all threads used %.3f s of CPU; load average %s on %d threads)", t_cn_cpu, loadavg() or "?", threads))
end
print()
print(string.format("speed-up, C 1 thread / pure Lua: %.0fx", rate_c1 / rate_lua))
if t_cn then print(string.format("speed-up, C %d threads (wall) / pure Lua: %.0fx", threads, (draws / t_cn) / rate_lua)) end
print()
print("expected score per option, C (" .. draws .. " draws) and pure Lua (" .. lua_draws .. " draws, other random numbers):")
for i, o in ipairs(r.options) do
  print(string.format("  %-12s C %.4f   Lua %.4f   P(best) C %.3f  Lua %.3f", o.name, res1.options[i].stats[7].mean,
    lr.mean[i], res1.options[i].pbest, lr.pbest[i]))
end
