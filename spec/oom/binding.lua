-- spec/oom/binding.lua - run by spec/oom/host.c: every binding call that
-- holds C memory is made to meet a Lua memory error at each of its
-- allocations in turn (oom(k) for k = 0, 1, 2 ... until the call succeeds).
-- The calls must fail cleanly ("not enough memory") or succeed; under
-- `make test-asan` the leak checker then shows whether anything the binding
-- allocated was lost when the error unwound through it.
local core = require "entente.core"
local entente = require "entente"

local total = 0

-- Run f with the k-th Lua allocation failing, for every k until f succeeds
-- without a refused allocation.  Returns how many failure points were tried.
local function sweep(name, f)
  local k = 0
  while true do
    collectgarbage()
    oom(k)
    local ok, err = pcall(f)
    local refused = oom()
    if ok and refused == 0 then break end
    if not ok and not tostring(err):find("not enough memory", 1, true) then
      error(name .. ": allocation " .. k .. " failing gave another error: " .. tostring(err), 0)
    end
    k = k + 1
    if k > 200000 then error(name .. ": still failing after 200000 allocations", 0) end
  end
  collectgarbage()
  total = total + k
  if os.getenv("OOM_VERBOSE") then print(name, k) end
  return k
end

-- F-A defence; A-B rivalry; F-C trade; B->C sanction; F-B partnership; A-C partnership
local function small_world()
  local w = entente.world {date = "2024-01-01"}
  local caps = {F = 10, A = 20, B = 30, C = 5, D = 40}
  for _, c in ipairs {"F", "A", "B", "C", "D"} do w:actor(c, {milex_usd = caps[c]}) end
  w:relate("F", "A", "defence", {strength = 1})
  w:relate("A", "B", "rivalry", {strength = 0.8})
  w:relate("F", "C", "trade", {strength = 0.5})
  w:relate("B", "C", "sanction", {strength = 0.6})
  w:relate("F", "B", "partnership", {strength = 0.4})
  w:relate("A", "C", "partnership", {strength = 0.5})
  w:event("2023-12-01", "A", "B", "190")
  w:event("2023-12-15", "B", "C", "042")
  return w
end

local w = small_world()
local wc = w._c

-- world
sweep("world_new", function() core.world_new() end)
sweep("fork", function() core.fork(wc) end)

-- balance
sweep("signed_from_world", function() core.signed_from_world(wc, nil, {[0] = 1}) end)
sweep("signed_from_edges", function() core.signed_from_edges(4, {1, 2, 3}, {2, 3, 4}, {1, -1, 1}) end)
local g = core.signed_from_world(wc)
sweep("frustration", function() g:frustration(true) end)
sweep("vertex_census", function() g:vertex_census() end)
sweep("sym_eigenvalues", function() core.sym_eigenvalues(2, {1, 2, 2, 1}) end)
sweep("SignedGraph:report", function() w:signed():report() end)

-- cow
sweep("atop_new", function() local s = core.atop_new(); core.atop_add(s, 2000, 2, 20, 1) end)
local atop = core.atop_new()
core.atop_add(atop, 2000, 2, 20, 1)
core.atop_add(atop, 2000, 2, 200, 3)
sweep("portfolio_atop", function() core.portfolio_atop(atop, 2000, {2, 20, 200}, false) end)
local P = core.portfolio_atop(atop, 2000, {2, 20, 200}, false)
sweep("sim_all", function() core.sim_all(P, "s", "abs", 3, {1, 1, 1}, 2) end)
sweep("cinc", function() core.cinc({1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1}, 2) end)

-- entrapment and tension
sweep("entrapment", function() w:entrapment {conflict = {"B", "A"}, runs = 50, threads = 2} end)
sweep("entrapment exact", function() w:entrapment {conflict = {"B", "A"}, method = "exact"} end)
sweep("tension", function() w:tension {group = {"A", "B", "C"}, from = "2023-11-01", to = "2024-01-01", step = 30} end)
sweep("tension events", function() w:tension {dyad = {"A", "B"}, date = "2024-01-01"} end)

-- options
local FIXED = {reliability = 0.5, secondary = 0.5}
local s = entente.scenario(w)
local function evaluate()
  return s:evaluate {actor = "F", runs = 20, threads = 2, params = FIXED, proliferation = {},
    triggers = {{"B", "A", p = 0.2}}}
end
sweep("evaluate", evaluate)
local r = evaluate()
local e, central = r._e, r._P.central
sweep("explain", function() e:explain(0, central) end)
sweep("chains", function() e:chains(0, 0, central, 3) end)
sweep("point", function() e:point(central) end)
sweep("results", function() e:results() end)
sweep("run", function() e:run(20, 1, 2, true) end)

print(string.format("oom sweep: %d failure points, every one clean", total))
