-- bench/entrapment.lua: Monte Carlo cascades in the C core against a
-- straightforward pure-Lua cascade with the same rules on the same
-- obligation graph, on the COW/ATOP alliance network of 1914 and on a
-- synthetic 10,000-actor network.
--
--   make bench        (or: lua5.4 bench/entrapment.lua [cascades] [lua_cascades])
--
-- Rates are per core: CPU seconds from os.clock (for the threaded run the
-- CPU time of all threads); wall time from `date` when it is available.
local entente = require "entente"

local N = tonumber(arg and arg[1]) or 1000000
local NL = tonumber(arg and arg[2]) or 100000
local clock = os.clock

local function wall()
  local p = io.popen("date +%s.%N 2>/dev/null")
  local s = p and p:read("*l")
  if p then p:close() end
  return tonumber(s)
end

local function timed(f)
  collectgarbage()
  collectgarbage()
  local w0, c0 = wall(), clock()
  local r = f()
  local c1, w1 = clock(), wall()
  return c1 - c0, (w0 and w1) and (w1 - w0) or nil, r
end

-- The pure-Lua cascade: the documented rules (rounds, one coin per call,
-- defence only for an attacked partner, torn when called to both sides),
-- written the obvious way with tables.
local function lua_cascades(res, runs, seed)
  local id, byp = {}, {}
  local n = 0
  local function aid(c)
    if not id[c] then n = n + 1; id[c] = n end
    return id[c]
  end
  for _, e in ipairs(res.edges) do
    local j = aid(e.to)
    byp[j] = byp[j] or {}
    table.insert(byp[j], {from = aid(e.from), p = e.p, def = e.defensive, opp = e.oppose, atto = e.attacker_only})
  end
  local init = {}
  for _, pr in ipairs(res.conflict) do
    init[#init + 1] = {aid(pr.attacker), 1}
    init[#init + 1] = {aid(pr.defender), 2}
  end
  math.randomseed(seed)
  local random = math.random
  local joins = {}
  for _ = 1, runs do
    local state, front = {}, {}
    for _, x in ipairs(init) do state[x[1]] = x[2]; front[#front + 1] = x[1] end
    while #front > 0 do
      local pulled, order = {}, {}
      for _, j in ipairs(front) do
        local sj = state[j]
        for _, e in ipairs(byp[j] or {}) do
          local i = e.from
          if not state[i] and not (e.def and sj ~= 2) and not (e.atto and sj == 2) then
            local side = e.opp and 3 - sj or sj
            local pb = pulled[i]
            if pb ~= side and pb ~= 3 and random() < e.p then
              if pb == nil then order[#order + 1] = i; pulled[i] = side else pulled[i] = 3 end
            end
          end
        end
      end
      front = {}
      for _, i in ipairs(order) do
        if pulled[i] == 3 then
          state[i] = 3
        else
          state[i] = pulled[i]
          front[#front + 1] = i
          joins[i] = (joins[i] or 0) + 1
        end
      end
    end
  end
  local out = {}
  for c, i in pairs(id) do out[c] = (joins[i] or 0) / runs end
  return out
end

local function rate(n, t) return n / t end

local function bench(title, w, opts)
  print(string.format("== %s", title))
  local base = {}
  for k, v in pairs(opts) do base[k] = v end
  base.method, base.seed, base.chains = "montecarlo", 1, false
  local function run(threads, runs)
    local o = {}
    for k, v in pairs(base) do o[k] = v end
    o.threads, o.runs = threads, runs
    return w:entrapment(o)
  end
  -- setup and result conversion (building the obligation graph from the
  -- world, result tables): the same call with a single run
  local c0 = timed(function() return run(1, 1) end)
  local c1, _, r1 = timed(function() return run(1, N) end)
  local c2, w2, r2 = timed(function() return run(2, N) end)
  local k1 = c1 - c0
  local same = true
  for _, a in ipairs(r1.actors) do if r2.by[a.code].p ~= a.p then same = false end end
  print(string.format("  obligation edges: %d (uncertain, reachable: %d); expected belligerents %.3f",
    #r1.edges, r1.uncertain, r1.belligerents.mean))
  print(string.format("  C, 1 thread : %d cascades in %.2f s CPU (%.2f s of it setup and results): " ..
    "%.0f cascades/s/core in the kernel, %.0f end to end", N, c1, c0, rate(N, k1), rate(N, c1)))
  print(string.format("  C, 2 threads: %d cascades in %.2f s CPU%s: %.0f cascades/s/core%s", N, c2,
    w2 and string.format(" (%.2f s wall)", w2) or "", rate(N, c2 - c0),
    w2 and string.format(", %.0f cascades/s in all", N / w2) or ""))
  print("  same numbers with 1 and 2 threads: " .. tostring(same))
  local cl, _, pl = timed(function() return lua_cascades(r1, NL, 1) end)
  print(string.format("  pure Lua    : %d cascades in %.2f s: %.0f cascades/s", NL, cl, rate(NL, cl)))
  print(string.format("  C / Lua per core: %.0fx (kernel), %.0fx (end to end)", rate(N, k1) / rate(NL, cl),
    rate(N, c1) / rate(NL, cl)))
  -- the two agree (different random streams): actors with at least 100
  -- expected joins in the Lua sample (so that the normal approximation
  -- holds), within 4.5 combined standard errors
  local worst, checked = 0, 0
  for _, a in ipairs(r1.actors) do
    if not a.initial and a.p * NL >= 100 then
      local q = pl[a.code] or 0
      local se = math.sqrt(a.p * (1 - a.p) / N + q * (1 - q) / NL)
      checked = checked + 1
      if se > 0 then worst = math.max(worst, math.abs(a.p - q) / se) end
    end
  end
  print(string.format("  C and Lua agree: largest gap in P(join) %.2f standard errors over %d actors%s", worst,
    checked, worst > 4.5 and "  <-- CHECK" or ""))
  print()
  return rate(N, k1) / rate(NL, cl)
end

print(string.format("entente %s, %s; %d C cascades, %d pure-Lua cascades per network", entente.version,
  _VERSION .. (jit and (" / " .. jit.version) or ""), N, NL))
print()

-- 1914: the COW state system with its ATOP alliances; Austria-Hungary
-- attacks Serbia (COW: YUG) on 1914-07-28.
local w1914 = assert(entente.cow.load {year = 1914})
local x1 = bench(string.format("COW/ATOP alliance network, 1914 (%d states): AUH attacks YUG",
  #w1914:actors()), w1914, {conflict = {{"AUH", "YUG"}}, date = "1914-07-28"})

-- Synthetic: 10,000 actors, 15,000 relations of mixed kinds (LCG, fixed).
local seed = 2024
local function rnd(k)
  seed = (seed * 48271) % 2147483647
  return seed % k
end
local NA = 10000
local ws = entente.world {date = "2020-01-01"}
local codes = {}
for i = 1, NA do codes[i] = string.format("S%05d", i) end
ws:add_actors(codes)
local kinds = {"defence", "defence", "defence", "defence", "consultation", "consultation", "offence",
  "strategic_partnership", "neutrality", "rivalry"}
local A, B, K, S = {}, {}, {}, {}
for i = 1, 15000 do
  local a = rnd(NA) + 1
  local b = rnd(NA - 1) + 1
  if b >= a then b = b + 1 end
  A[i], B[i], K[i], S[i] = codes[a], codes[b], kinds[rnd(#kinds) + 1], 0.3 + 0.07 * rnd(11)
end
for i = 1, #A do ws:relate(A[i], B[i], K[i], {strength = S[i]}) end
-- the conflict: the most connected actor attacks the second most connected
local deg = {}
for i = 1, #A do deg[A[i]] = (deg[A[i]] or 0) + 1; deg[B[i]] = (deg[B[i]] or 0) + 1 end
local byd = {}
for c in pairs(deg) do byd[#byd + 1] = c end
table.sort(byd, function(x, y) if deg[x] ~= deg[y] then return deg[x] > deg[y] end return x < y end)
local x2 = bench(string.format("synthetic network, 10,000 actors, 15,000 relations: %s attacks %s", byd[1], byd[2]),
  ws, {conflict = {{byd[1], byd[2]}}, kinds = {rivalry = 0.3}})

print(string.format("summary: C is %.0fx (1914) and %.0fx (10,000 actors) faster than pure Lua per core", x1, x2))
