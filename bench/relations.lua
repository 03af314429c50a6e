-- bench/relations.lua: build a world of 100,000 actors and 1,000,000
-- relations through the Lua API, query it as of a date, fork it; the same
-- operations on an idiomatic pure-Lua table store, side by side.
--
--   make bench            (or: lua5.4 bench/relations.lua [actors] [relations])
--
-- Both sides do the same work per relation: look the two actors up by code,
-- check the kind and the strength, parse and validate the dates, store the
-- record and index it under both actors.
local entente = require "entente"

local NA = tonumber(arg and arg[1]) or 100000
local NR = tonumber(arg and arg[2]) or 1000000
local clock = os.clock

local function timed(f)
  collectgarbage()
  collectgarbage()
  local t0 = clock()
  local r = f()
  return clock() - t0, r
end

-- Deterministic inputs (LCG), shared by both sides.
local seed = 42
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local codes = {}
for i = 1, NA do codes[i] = string.format("A%06d", i) end
local kinds = {"defence", "trade", "rivalry", "partnership", "sanction", "consultation"}
local A, B, K, S, SI, E = {}, {}, {}, {}, {}, {}
for i = 1, NR do
  local a = rnd(NA) + 1
  local b = rnd(NA - 1) + 1
  if b >= a then b = b + 1 end
  A[i], B[i] = codes[a], codes[b]
  K[i] = kinds[rnd(#kinds) + 1]
  S[i] = (rnd(100) + 1) / 100
  local y = 1950 + rnd(70)
  SI[i] = string.format("%04d-%02d-%02d", y, rnd(12) + 1, rnd(28) + 1)
  E[i] = rnd(3) == 0 and string.format("%04d-01-01", y + 1 + rnd(30)) or false
end
local QUERY_DATE = "2000-06-30"

----------------------------------------------------------- pure-Lua store

local Pure = {}
Pure.__index = Pure
local KIND_OK = {}
for _, k in ipairs(kinds) do KIND_OK[k] = true end
local DIM = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

local function pure_date(s)
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then y = s:match("^(%d%d%d%d)$"); m, d = 1, 1 end
  if not y then error("bad date '" .. s .. "'") end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  if m < 1 or m > 12 or d < 1 or d > ((m == 2 and leap) and 29 or DIM[m]) then error("bad date '" .. s .. "'") end
  return y * 10000 + m * 100 + d -- comparable
end

function Pure.new() return setmetatable({actors = {}, rels = {}, adj = {}}, Pure) end

function Pure:actor(code)
  self.actors[code] = {code = code}
  self.adj[code] = {}
end

function Pure:relate(a, b, kind, strength, since, ends, source)
  if not self.actors[a] then error("unknown actor '" .. a .. "'") end
  if not self.actors[b] then error("unknown actor '" .. b .. "'") end
  if not KIND_OK[kind] then error("unknown kind '" .. kind .. "'") end
  if not (strength > 0 and strength <= 1) then error("strength out of range") end
  local r = {a = a, b = b, kind = kind, strength = strength,
    since = since and pure_date(since), ends = ends and pure_date(ends), source = source}
  local rels = self.rels
  rels[#rels + 1] = r
  local la, lb = self.adj[a], self.adj[b]
  la[#la + 1] = r
  lb[#lb + 1] = r
  return r
end

function Pure:count_asof(d)
  d = pure_date(d)
  local n = 0
  for _, r in ipairs(self.rels) do
    if (not r.since or r.since <= d) and (not r.ends or d < r.ends) then n = n + 1 end
  end
  return n
end

function Pure:list_asof(d)
  d = pure_date(d)
  local out = {}
  for _, r in ipairs(self.rels) do
    if (not r.since or r.since <= d) and (not r.ends or d < r.ends) then out[#out + 1] = r end
  end
  return out
end

function Pure:fork()
  local f = Pure.new()
  local map = {}
  for code, a in pairs(self.actors) do f.actors[code] = {code = a.code}; f.adj[code] = {} end
  for i, r in ipairs(self.rels) do
    local c = {a = r.a, b = r.b, kind = r.kind, strength = r.strength, since = r.since, ends = r.ends, source = r.source}
    f.rels[i] = c
    map[r] = c
    local la, lb = f.adj[r.a], f.adj[r.b]
    la[#la + 1] = c
    lb[#lb + 1] = c
  end
  return f
end

------------------------------------------------------------------ runs

print(string.format("entente %s on %s: %d actors, %d relations", entente.version, _VERSION, NA, NR))
local results = {}
local function row(name, tc, tl, note)
  results[#results + 1] = {name, tc, tl, note}
  print(string.format("  %-34s entente %8.3f s   pure Lua %8.3f s   ratio %6.1fx %s", name, tc, tl,
    tl / tc, note or ""))
end

-- entente
local mem0 = collectgarbage("count")
local w
local t_actors_c = timed(function()
  w = entente.world {date = "2000-01-01"}
  w:add_actors(codes)
end)
local t_build_c = timed(function()
  w:relate_many {a = A, b = B, kind = K, strength = S, since = SI, ends = E, source = "bench"}
end)
local t_single_c = timed(function()
  local w2 = entente.world {}
  for i = 1, 1000 do w2:actor(codes[i], {}) end
  for i = 1, 100000 do
    local a, b = (i % 1000) + 1, ((i * 7) % 999) + 1
    if b >= a then b = b + 1 end
    w2:relate(codes[a], codes[b], K[i], {strength = S[i], since = SI[i], ends = E[i] or nil, source = "bench"})
  end
end)
local n_c
local t_count_c = timed(function() n_c = w:count_relations {date = QUERY_DATE} end)
local t_list_c = timed(function() return #w:relations {date = QUERY_DATE} end)
local t_ids_c = timed(function() return #w:relation_ids {date = QUERY_DATE} end)
local t_actor_c = timed(function()
  local n = 0
  for i = 1, 10000 do n = n + w:count_relations {actor = codes[i], date = QUERY_DATE} end
  return n
end)
local f
local t_fork_c = timed(function() f = w:fork() end)
local store_bytes = entente.core.store_bytes(w._c)
local nrel = w:count_relations()
f = nil
w = nil
collectgarbage()

-- pure Lua
local p
local t_actors_l = timed(function()
  p = Pure.new()
  for i = 1, NA do p:actor(codes[i]) end
end)
local memp0 = collectgarbage("count")
local t_build_l = timed(function()
  for i = 1, NR do p:relate(A[i], B[i], K[i], S[i], SI[i], E[i] or nil, "bench") end
end)
local memp1 = collectgarbage("count")
local t_single_l = timed(function()
  local p2 = Pure.new()
  for i = 1, 1000 do p2:actor(codes[i]) end
  for i = 1, 100000 do
    local a, b = (i % 1000) + 1, ((i * 7) % 999) + 1
    if b >= a then b = b + 1 end
    p2:relate(codes[a], codes[b], K[i], S[i], SI[i], E[i] or nil, "bench")
  end
end)
local n_l
local t_count_l = timed(function() n_l = p:count_asof(QUERY_DATE) end)
local t_list_l = timed(function() return #p:list_asof(QUERY_DATE) end)
local t_actor_l = timed(function()
  local n = 0
  local d = pure_date(QUERY_DATE)
  for i = 1, 10000 do
    for _, r in ipairs(p.adj[codes[i]]) do
      if (not r.since or r.since <= d) and (not r.ends or d < r.ends) then n = n + 1 end
    end
  end
  return n
end)
local t_fork_l = timed(function() return p:fork() end)
assert(n_c == n_l, "the two stores disagree on the as-of count: " .. n_c .. " vs " .. n_l)

print()
row("add 100k actors (add_actors)", t_actors_c, t_actors_l)
row("add 1M relations (relate_many)", t_build_c, t_build_l)
row("add 100k relations (w:relate each)", t_single_c, t_single_l)
row("count in force on " .. QUERY_DATE, t_count_c, t_count_l, "(" .. n_c .. " relations)")
row("list ids in force on " .. QUERY_DATE, t_ids_c, t_list_l, "(ids vs record tables)")
row("list handles in force on " .. QUERY_DATE, t_list_c, t_list_l, "(a new handle per relation)")
row("build: actors + relations", t_actors_c + t_build_c, t_actors_l + t_build_l)
row("per-actor as-of count x 10k", t_actor_c, t_actor_l)
row("fork the 1M-relation world", t_fork_c, t_fork_l)
print()
print(string.format("  C relation store: %d bytes per relation record; %.1f with the growth slack of the array" ..
  " (%d relations; sources interned once)", entente.core.relation_record_bytes(), store_bytes / nrel, nrel))
print(string.format("  pure-Lua store:  %.1f bytes per relation (Lua heap growth while adding)",
  (memp1 - memp0) * 1024 / NR))
print(string.format("  fork: %.1f ms", t_fork_c * 1000))
