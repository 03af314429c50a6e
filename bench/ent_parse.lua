-- bench/ent_parse.lua: parse a generated scenario of 100,000 relations.
--
-- The issue asks for under 2 s.  The file has 1,000 actors (in an actors
-- table with two attributes and a tag), 100,000 relations of mixed kinds
-- with strengths, dates and sources, and 10,000 events.  Reports the time to
-- read text into a world (grammar + world building), to write it back, and
-- to read the written text (checked identical); each the best of three runs.  Run: make bench, or
--   LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="build/lua5.4/?.so;;" lua5.4 bench/ent_parse.lua
local ent = require "entente.ent"

local NACT, NREL, NEV = 1000, tonumber(arg and arg[1]) or 100000, 10000
local clock = os.clock

local function gen()
  local out = {"title \"bench: " .. NREL .. " relations\"", "date 2024-01-01", "actors {", "  code name gdp cinc tags"}
  for i = 1, NACT do
    out[#out + 1] = string.format('  A%04d "Actor %d" %d %.6f [region%d]', i, i, i * 1000003, i / 1e4, i % 7)
  end
  out[#out + 1] = "}"
  local kinds = {"defence", "consultation", "trade", "rivalry", "partnership", "sanction"}
  local seed = 12345
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
  for i = 1, NREL do
    local a, b = rnd(NACT), rnd(NACT - 1)
    if b >= a then b = b + 1 end
    local k = kinds[rnd(#kinds)]
    local y = 1950 + rnd(70)
    local span = rnd(3) == 1 and string.format(" %d-%02d-%02d to %d-01-01", y, rnd(12), rnd(28), y + rnd(30))
      or string.format(" since %d-%02d-%02d", y, rnd(12), rnd(28))
    out[#out + 1] = string.format('A%04d %s A%04d : %s %.2f%s "Treaty %d, Art. %d"', a,
      k == "sanction" and "->" or "--", b, k, rnd(100) / 100, span, i, rnd(20))
  end
  for i = 1, NEV do
    local a, b = rnd(NACT), rnd(NACT - 1)
    if b >= a then b = b + 1 end
    out[#out + 1] = string.format('2023-%02d-%02d A%04d -> A%04d 057 "event %d"', rnd(12), rnd(28), a, b, i)
  end
  return table.concat(out, "\n") .. "\n"
end

local text = gen()
-- best of three (CPU time), so that a busy machine does not decide the figure
local function best(f)
  local t, res = math.huge, nil
  for _ = 1, 3 do
    collectgarbage()
    local t0 = clock()
    res = f()
    t = math.min(t, clock() - t0)
  end
  return t, res
end
local t_parse, w = best(function() return assert(ent.parse(text, "bench.ent")) end)
local t_write, back = best(function() return ent.format(w) end)
local t_reparse, w2 = best(function() return assert(ent.parse(back, "back.ent")) end)
assert(ent.diff(w, w2) == nil, "round trip differs")
print(string.format("%s, %d bytes, %d actors, %d relations, %d events", _VERSION .. (jit and (" / " .. jit.version) or ""),
  #text, #w:actors(), w:count_relations(), #w:events()))
print(string.format("  parse   %.3f s  (%.0f relations/s)", t_parse, NREL / t_parse))
print(string.format("  write   %.3f s", t_write))
print(string.format("  reparse %.3f s (the written file)", t_reparse))
