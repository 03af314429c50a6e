-- entente: computational geopolitics with a C core.
--
--   local entente = require "entente"
--   local w = entente.load "russia_dprk_2024"
--   print(w:summary())
--
-- This file holds the world, actor, relation and event API.  Each area of
-- models (balance, cow, entrapment, tension, options) lives in its own module
-- that adds methods to World; see docs/CONTRIBUTING-internals.md.
local core = require "entente.core"
local util = require "entente.util"

local argerror, checkopts = util.argerror, util.checkopts

local entente = {
  core = core,
  version = core.version,
  _NAME = "entente",
}

local World, Actor, Relation, Event = {}, {}, {}, {}
entente.World, entente.Actor, entente.Relation, entente.Event = World, Actor, Relation, Event

local OBLIGATIONS = {"none", "consultation", "neutrality", "defence"}
local OBLIGATION_LEVEL = {none = 0, consultation = 1, neutrality = 2, defence = 3}
local KIND_DIRECTED, KIND_DEFENSIVE = 1, 2
entente.OBLIGATIONS = OBLIGATIONS

-- Common spellings accepted for built-in kinds.
local KIND_ALIASES = {
  defense = "defence", alliance = "defence", defence_pact = "defence", mutual_defence = "defence",
  offense = "offence", neutral = "neutrality", non_aggression = "nonaggression",
  ["non-aggression"] = "nonaggression", entente = "consultation",
  strategic = "strategic_partnership", sanctions = "sanction", rival = "rivalry",
}

-------------------------------------------------------------------- dates

-- Day number from "YYYY-MM-DD", "YYYY" or a day number; raises naming the
-- bad value.
function entente._date(v, fname, argn, level)
  local t = type(v)
  if t == "number" and v == math.floor(v) and v > -2^31 and v < 2^31 - 1 then return v end
  if t == "string" then
    local d = core.date_parse(v)
    if d then return d end
  end
  argerror(fname or "?", argn or 1, "bad date " .. (t == "string" and ("'" .. v .. "'") or tostring(v)) ..
    ", expected YYYY-MM-DD or YYYY", (level or 2) + 1)
end

function entente._datestr(d)
  if d == nil then return nil end
  return core.date_format(d)
end

-- Validate a date string, returning the normalised "YYYY-MM-DD".
function entente.date(v)
  return core.date_format(entente._date(v, "date", 1, 2))
end

local date, datestr = entente._date, entente._datestr

-------------------------------------------------------------------- world

local function wrap(c, title)
  return setmetatable({_c = c, _actors = {}, title = title}, World)
end

World.__index = function(w, k)
  if k == "date" then return core.date_format(core.get_date(w._c)) end
  return World[k]
end

World.__newindex = function(w, k, v)
  if k == "date" then
    core.set_date(w._c, date(v, "date", 1, 2))
  else
    rawset(w, k, v)
  end
end

World.__tostring = function(w)
  local n, _ = core.rel_count(w._c)
  local active = #core.relations(w._c, nil, nil, nil, core.get_date(w._c))
  return string.format("world%s as of %s: %d actors, %d relations (%d in force), %d events",
    w.title and (" '" .. w.title .. "'") or "", w.date, core.actor_count(w._c), n, active,
    #w:events())
end

local WORLD_OPTS = util.set {"title", "date", "kinds", "actors", "relations", "events", "description", "sources"}

--- entente.world{title=, date=, kinds=, actors=, relations=, events=}
-- Builds a world from plain tables (the shape of data/scenarios files).
function entente.world(spec)
  spec = checkopts(spec, WORLD_OPTS, "world", 1)
  local w = wrap(core.world_new(), spec.title)
  w.description, w.sources = spec.description, spec.sources
  if spec.date then core.set_date(w._c, date(spec.date, "world", 1)) end
  local function each(list, what, f)
    if list == nil then return end
    if type(list) ~= "table" then argerror("world", 1, what .. " must be a list") end
    for i, item in ipairs(list) do
      local ok, err = pcall(f, item)
      if not ok then
        err = tostring(err):gsub("^[^:]*:%d+: ", "")
        error(string.format("entente.world: %s[%d]: %s", what, i, err), 3)
      end
    end
  end
  if spec.kinds then
    for _, name in ipairs(util.sorted_keys(spec.kinds)) do
      local ok, err = pcall(w.define_kind, w, name, spec.kinds[name])
      if not ok then error("entente.world: kinds." .. name .. ": " .. tostring(err):gsub("^[^:]*:%d+: ", ""), 2) end
    end
  end
  each(spec.actors, "actors", function(a)
    local attrs = {}
    for k, v in pairs(a) do if k ~= "code" and k ~= 1 then attrs[k] = v end end
    w:actor(a.code or a[1], attrs)
  end)
  each(spec.relations, "relations", function(r)
    local opts = {}
    for k, v in pairs(r) do if type(k) == "string" then opts[k] = v end end
    w:relate(r[1], r[2], r[3], opts)
  end)
  each(spec.events, "events", function(e) w:event(e) end)
  return w
end

--- w:fork() -> an independent deep copy (C-level memcpy of every store).
function World:fork()
  local f = wrap(core.fork(self._c), self.title)
  f.description, f.sources = self.description, self.sources
  return f
end

-- The day number to query "as of": the given date or the world's date.
function World:_asof(d, fname, argn)
  if d == nil then return core.get_date(self._c) end
  return date(d, fname, argn, 3)
end

------------------------------------------------------------------- actors

local ACTOR_FIELDS = {code = true, name = true, id = true, tags = true, alive = true, world = true}

local function actor_handle(w, id)
  local h = w._actors[id]
  if not h then
    h = setmetatable({_w = w, id = id}, Actor)
    w._actors[id] = h
  end
  return h
end

local function check_alive(h)
  if not core.actor_alive(h._w._c, h.id) then
    error("actor '" .. core.actor_code(h._w._c, h.id) .. "' was removed from its world", 3)
  end
end

Actor.__index = function(h, k)
  local m = Actor[k]
  if m then return m end
  local w = rawget(h, "_w")
  if k == "code" then return core.actor_code(w._c, h.id) end
  if k == "world" then return w end
  if k == "alive" then return core.actor_alive(w._c, h.id) end
  check_alive(h)
  if k == "name" then return core.actor_name(w._c, h.id) end
  if k == "tags" then return core.tags(w._c, h.id) end
  if type(k) == "string" then return core.attr_get(w._c, h.id, k) end
  return nil
end

Actor.__newindex = function(h, k, v)
  check_alive(h)
  if k == "name" then core.actor_set_name(h._w._c, h.id, tostring(v))
  elseif ACTOR_FIELDS[k] then error("actor field '" .. k .. "' is read-only", 2)
  elseif type(k) == "string" and (v == nil or type(v) == "number") then core.attr_set(h._w._c, h.id, k, v)
  else error("actor attribute '" .. tostring(k) .. "' must be a number, got " .. type(v), 2) end
end

Actor.__tostring = function(h)
  local w = h._w
  if not core.actor_alive(w._c, h.id) then return "actor " .. core.actor_code(w._c, h.id) .. " (removed)" end
  local tags = core.tags(w._c, h.id)
  return string.format("actor %s (%s)%s", core.actor_code(w._c, h.id), core.actor_name(w._c, h.id),
    #tags > 0 and (" [" .. table.concat(tags, ", ") .. "]") or "")
end

Actor.__eq = function(a, b) return rawequal(a._w, b._w) and a.id == b.id end

--- a:attr(name) -> number or nil; a:attrs() -> {name = value}
function Actor:attr(name)
  check_alive(self)
  return core.attr_get(self._w._c, self.id, name)
end

function Actor:attrs()
  check_alive(self)
  local t = {}
  for _, name in ipairs(core.attr_names(self._w._c)) do
    t[name] = core.attr_get(self._w._c, self.id, name)
  end
  return t
end

function Actor:tag(t) check_alive(self); core.tag(self._w._c, self.id, t) end
function Actor:untag(t) check_alive(self); core.tag(self._w._c, self.id, t, true) end
function Actor:has_tag(t) check_alive(self); return core.has_tag(self._w._c, self.id, t) end

--- a:relations{...}: the actor's relations (same options as w:relations).
function Actor:relations(opts)
  check_alive(self)
  opts = opts or {}
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.actor = self
  return self._w:relations(o)
end

-- Dense id of an actor given as a code or a handle; raises naming the value.
function World:_aid(x, fname, argn, level)
  if type(x) == "table" and getmetatable(x) == Actor then
    if not rawequal(x._w, self) then
      local id = core.actor_find(self._c, x.code)
      if id then return id end
      argerror(fname, argn, "actor '" .. x.code .. "' belongs to another world", (level or 2) + 1)
    end
    if not core.actor_alive(self._c, x.id) then
      argerror(fname, argn, "actor '" .. x.code .. "' was removed", (level or 2) + 1)
    end
    return x.id
  end
  if type(x) ~= "string" then
    argerror(fname, argn, "actor code expected, got " .. type(x), (level or 2) + 1)
  end
  local id = core.actor_find(self._c, x)
  if id then return id end
  local codes = {}
  for _, a in ipairs(self:actors()) do codes[#codes + 1] = a.code end
  argerror(fname, argn, "unknown actor '" .. x .. "'" .. util.suggest(x, codes), (level or 2) + 1)
end

local ACTOR_OPTS = {name = true, tags = true}

--- w:actor(code) -> handle (raises if unknown)
--- w:actor(code, {name=, tags={...}, <attr>=number, ...}) creates or updates.
function World:actor(code, attrs)
  if attrs == nil then return actor_handle(self, self:_aid(code, "actor", 1)) end
  if type(code) ~= "string" then argerror("actor", 1, "actor code expected, got " .. type(code)) end
  if type(attrs) ~= "table" then argerror("actor", 2, "table of attributes expected, got " .. type(attrs)) end
  local id = core.actor_find(self._c, code)
  if not id then
    local ok, res = pcall(core.actor_add, self._c, code, attrs.name)
    if not ok then argerror("actor", 1, res) end
    id = res
  elseif attrs.name then
    core.actor_set_name(self._c, id, attrs.name)
  end
  for k, v in pairs(attrs) do
    if k == "tags" then
      if type(v) ~= "table" then argerror("actor", 2, "tags must be a list of strings") end
      for _, t in ipairs(v) do
        local ok, err = pcall(core.tag, self._c, id, t)
        if not ok then argerror("actor", 2, err) end
      end
    elseif not ACTOR_OPTS[k] then
      if type(k) ~= "string" or (type(v) ~= "number" and type(v) ~= "boolean") then
        argerror("actor", 2, "attribute '" .. tostring(k) .. "' must be a number, got " .. type(v) ..
          " " .. tostring(v))
      end
      if type(v) == "boolean" then v = v and 1 or 0 end
      if v ~= v then argerror("actor", 2, "attribute '" .. k .. "' is NaN") end
      local ok, err = pcall(core.attr_set, self._c, id, k, v)
      if not ok then argerror("actor", 2, err) end
    end
  end
  return actor_handle(self, id)
end

--- w:add_actors(codes, names) adds many new actors at once (names optional);
-- atomic: on a bad or duplicate code nothing is added and the error names it.
function World:add_actors(codes, names)
  if type(codes) ~= "table" then argerror("add_actors", 1, "list of codes expected, got " .. type(codes)) end
  if names ~= nil and type(names) ~= "table" then argerror("add_actors", 2, "list of names expected, got " .. type(names)) end
  local before = core.actor_capacity(self._c)
  local bad = core.actor_add_columns(self._c, codes, names)
  if bad then
    for id = before, core.actor_capacity(self._c) - 1 do core.actor_remove(self._c, id) end
    local ok, err = pcall(core.actor_add, core.world_new(), tostring(codes[bad]), names and names[bad])
    if ok then err = "actor '" .. tostring(codes[bad]) .. "' already exists" end
    if names and names[bad] ~= nil and type(names[bad]) ~= "string" then err = "name must be a string" end
    argerror("add_actors", 1, "row " .. bad .. ": " .. tostring(err))
  end
  return #codes
end

function World:has(code)
  return type(code) == "string" and core.actor_find(self._c, code) ~= nil
end

--- w:actors{tag=} -> list of live actor handles in creation order.
function World:actors(opts)
  opts = checkopts(opts, {tag = true}, "actors", 1)
  local list = {}
  for id = 0, core.actor_capacity(self._c) - 1 do
    if core.actor_alive(self._c, id) and (not opts.tag or core.has_tag(self._c, id, opts.tag)) then
      list[#list + 1] = actor_handle(self, id)
    end
  end
  return list
end

--- w:remove_actor(a): removes the actor, its relations and its events.
function World:remove_actor(a)
  core.actor_remove(self._c, self:_aid(a, "remove_actor", 1))
end

-------------------------------------------------------------------- kinds

local function kind_info(w, k)
  local name, sign, obl, strength, flags = core.kind_get(w._c, k)
  return {
    name = name, id = k, sign = sign, obligation = OBLIGATIONS[obl + 1], level = obl,
    strength = strength,
    directed = flags % 2 >= KIND_DIRECTED, defensive = flags % 4 >= KIND_DEFENSIVE,
  }
end

function World:_kid(kind, fname, argn, level)
  if type(kind) ~= "string" then
    argerror(fname, argn, "kind name expected, got " .. type(kind), (level or 2) + 1)
  end
  local k = core.kind_find(self._c, kind) or core.kind_find(self._c, KIND_ALIASES[kind] or "")
  if k then return k end
  local names = {}
  for i = 0, core.kind_count(self._c) - 1 do names[#names + 1] = (core.kind_get(self._c, i)) end
  for alias in pairs(KIND_ALIASES) do names[#names + 1] = alias end
  table.sort(names)
  local c = util.closest(kind, names)
  if c and KIND_ALIASES[c] then c = KIND_ALIASES[c] end
  argerror(fname, argn, "unknown kind '" .. kind .. "'" .. (c and (" (did you mean '" .. c .. "'?)") or ""),
    (level or 2) + 1)
end

--- w:kind(name) -> {name, sign, obligation, level, strength, directed, defensive}
function World:kind(name)
  return kind_info(self, self:_kid(name, "kind", 1))
end

--- w:kinds() -> list of kind infos in registration order.
function World:kinds()
  local list = {}
  for k = 0, core.kind_count(self._c) - 1 do list[#list + 1] = kind_info(self, k) end
  return list
end

local KIND_OPTS = util.set {"sign", "obligation", "strength", "directed", "defensive"}

--- w:define_kind(name, {sign=1|-1|0, obligation="none"|..., strength=, directed=, defensive=})
function World:define_kind(name, spec)
  spec = checkopts(spec, KIND_OPTS, "define_kind", 2)
  if type(name) ~= "string" then argerror("define_kind", 1, "kind name expected, got " .. type(name)) end
  local sign = spec.sign or 1
  if sign ~= 1 and sign ~= -1 and sign ~= 0 then
    argerror("define_kind", 2, "sign " .. tostring(sign) .. " must be 1, -1 or 0")
  end
  local obl = OBLIGATION_LEVEL[spec.obligation or "none"]
  if not obl then
    argerror("define_kind", 2, "unknown obligation '" .. tostring(spec.obligation) .. "'" ..
      util.suggest(tostring(spec.obligation), OBLIGATIONS))
  end
  local strength = spec.strength or 0.5
  if type(strength) ~= "number" or not (strength > 0 and strength <= 1) then
    argerror("define_kind", 2, "strength " .. tostring(strength) .. " out of range (0,1]")
  end
  local flags = (spec.directed and KIND_DIRECTED or 0) + (spec.defensive and KIND_DEFENSIVE or 0)
  local ok, res = pcall(core.kind_add, self._c, name, sign, obl, strength, flags)
  if not ok then argerror("define_kind", 1, res) end
  return kind_info(self, res)
end

---------------------------------------------------------------- relations

local function rel_handle(w, id) return setmetatable({_w = w, id = id}, Relation) end

local function rel_fields(h)
  local w = h._w
  local a, b, k, s, since, ends, source = core.rel_get(w._c, h.id)
  if a == nil then error("relation " .. h.id .. " was removed from its world", 3) end
  return a, b, k, s, since, ends, source
end

Relation.__index = function(h, k)
  local m = Relation[k]
  if m then return m end
  if k == "alive" then return core.rel_alive(h._w._c, h.id) end
  if k == "world" then return h._w end
  local a, b, kind, s, since, ends, source = rel_fields(h)
  local w = h._w
  if k == "a" then return actor_handle(w, a)
  elseif k == "b" then return actor_handle(w, b)
  elseif k == "kind" then return (core.kind_get(w._c, kind))
  elseif k == "strength" then return s
  elseif k == "since" then return datestr(since)
  elseif k == "ends" or k == "until" then return datestr(ends)
  elseif k == "source" then return source
  end
  return nil
end

Relation.__newindex = function(_, k) error("relation field '" .. tostring(k) .. "' is read-only; use methods", 2) end

Relation.__eq = function(a, b) return rawequal(a._w, b._w) and a.id == b.id end

Relation.__tostring = function(h)
  if not core.rel_alive(h._w._c, h.id) then return "relation " .. h.id .. " (removed)" end
  local a, b, kind, s, since, ends, source = rel_fields(h)
  local c = h._w._c
  local kname = core.kind_get(c, kind)
  local _, _, _, _, flags = core.kind_get(c, kind)
  local span = ""
  if since and ends then span = " " .. datestr(since) .. " to " .. datestr(ends)
  elseif since then span = " since " .. datestr(since)
  elseif ends then span = " until " .. datestr(ends) end
  return string.format("%s %s %s: %s %s%s%s", core.actor_code(c, a), flags % 2 >= 1 and "->" or "--",
    core.actor_code(c, b), kname, util.fmt(s, 3), span, source ~= "" and (' "' .. source .. '"') or "")
end

--- r:info() -> plain table of the relation's fields.
function Relation:info()
  local a, b, kind, s, since, ends, source = rel_fields(self)
  local c = self._w._c
  return {id = self.id, a = core.actor_code(c, a), b = core.actor_code(c, b),
    kind = (core.kind_get(c, kind)), strength = s, since = datestr(since), ends = datestr(ends),
    source = source}
end

--- r:active(date) -> whether the relation holds on that date (default: world date).
function Relation:active(d)
  rel_fields(self)
  local _, _, _, _, since, ends = core.rel_get(self._w._c, self.id)
  d = self._w:_asof(d, "active", 1)
  return (since == nil or since <= d) and (ends == nil or d < ends)
end

--- r:finish(date): the relation ends on that date (exclusive); default the world's date.
function Relation:finish(d)
  rel_fields(self)
  local ok, err = pcall(core.rel_end, self._w._c, self.id, self._w:_asof(d, "finish", 1))
  if not ok then argerror("finish", 1, err) end
  return self
end

function Relation:set_strength(s)
  rel_fields(self)
  if type(s) ~= "number" or not (s > 0 and s <= 1) then
    argerror("set_strength", 1, "strength " .. tostring(s) .. " out of range (0,1]")
  end
  core.rel_set_strength(self._w._c, self.id, s)
  return self
end

function Relation:remove()
  rel_fields(self)
  core.rel_remove(self._w._c, self.id)
end

local RELATE_OPTS = util.set {"strength", "since", "ends", "until", "source"}

--- w:relate(a, b, kind, {strength=, since=, ends=, source=}) -> relation handle
-- `ends` is exclusive (the relation holds on [since, ends)); `["until"]` is
-- accepted as a synonym.
function World:relate(a, b, kind, opts)
  opts = checkopts(opts, RELATE_OPTS, "relate", 4)
  local ia = self:_aid(a, "relate", 1)
  local ib = self:_aid(b, "relate", 2)
  if ia == ib then argerror("relate", 2, "relation of actor '" .. core.actor_code(self._c, ia) .. "' with itself") end
  local k = self:_kid(kind, "relate", 3)
  local _, _, _, dstrength = core.kind_get(self._c, k)
  local s = opts.strength
  if s == nil then s = dstrength end
  if type(s) ~= "number" or not (s > 0 and s <= 1) then
    argerror("relate", 4, "strength " .. tostring(s) .. " out of range (0,1]")
  end
  local since = opts.since ~= nil and date(opts.since, "relate", 4) or nil
  local e = opts.ends
  if e == nil then e = opts["until"] end
  local ends = e ~= nil and date(e, "relate", 4) or nil
  if since and ends and since >= ends then
    argerror("relate", 4, "since " .. datestr(since) .. " is not before ends " .. datestr(ends))
  end
  if opts.source ~= nil and type(opts.source) ~= "string" then
    argerror("relate", 4, "source must be a string, got " .. type(opts.source))
  end
  return rel_handle(self, core.relate(self._c, ia, ib, k, s, since, ends, opts.source))
end

local QUERY_OPTS = util.set {"date", "actor", "other", "kind", "sign", "obligation"}

-- Relation ids matching the query options.
function World:_relation_ids(opts, fname)
  opts = checkopts(opts, QUERY_OPTS, fname, 1, 3)
  local a = opts.actor ~= nil and self:_aid(opts.actor, fname, 1, 3) or nil
  local o = opts.other ~= nil and self:_aid(opts.other, fname, 1, 3) or nil
  local k = opts.kind ~= nil and self:_kid(opts.kind, fname, 1, 3) or nil
  local d
  if opts.date == true then d = core.get_date(self._c)
  elseif opts.date ~= nil then d = date(opts.date, fname, 1, 3) end
  local ids = core.relations(self._c, a, o, k, d)
  if opts.sign ~= nil or opts.obligation ~= nil then
    local minlevel = opts.obligation and OBLIGATION_LEVEL[opts.obligation]
    if opts.obligation and not minlevel then
      argerror(fname, 1, "unknown obligation '" .. tostring(opts.obligation) .. "'" ..
        util.suggest(tostring(opts.obligation), OBLIGATIONS), 3)
    end
    local keep = {}
    for _, id in ipairs(ids) do
      local _, _, kk = core.rel_get(self._c, id)
      local _, sign, obl = core.kind_get(self._c, kk)
      if (opts.sign == nil or sign == opts.sign) and (minlevel == nil or (obl >= minlevel and obl > 0)) then
        keep[#keep + 1] = id
      end
    end
    ids = keep
  end
  return ids
end

--- w:relations{date=, actor=, other=, kind=, sign=, obligation=} -> list of handles
-- date = "YYYY-MM-DD" (or true for the world's date) keeps relations in force
-- then; obligation = "defence" keeps relations whose kind obliges at least that.
function World:relations(opts)
  local ids = self:_relation_ids(opts, "relations")
  local list = {}
  for i, id in ipairs(ids) do list[i] = rel_handle(self, id) end
  return list
end

--- w:relation_ids{...} -> list of relation ids (cheaper than handles; w:relation(id)).
function World:relation_ids(opts)
  return self:_relation_ids(opts, "relation_ids")
end

--- for r in w:each_relation{...} do ... end
function World:each_relation(opts)
  local ids = self:_relation_ids(opts, "each_relation")
  local i = 0
  return function()
    i = i + 1
    if ids[i] then return rel_handle(self, ids[i]) end
  end
end

--- w:count_relations{...} -> number of matching relations (no handles built).
function World:count_relations(opts)
  if opts and (opts.sign ~= nil or opts.obligation ~= nil) then
    return #self:_relation_ids(opts, "count_relations")
  end
  opts = checkopts(opts, QUERY_OPTS, "count_relations", 1)
  local d
  if opts.date == true then d = core.get_date(self._c)
  elseif opts.date ~= nil then d = date(opts.date, "count_relations", 1) end
  return core.count_relations(self._c,
    opts.actor ~= nil and self:_aid(opts.actor, "count_relations", 1) or nil,
    opts.other ~= nil and self:_aid(opts.other, "count_relations", 1) or nil,
    opts.kind ~= nil and self:_kid(opts.kind, "count_relations", 1) or nil, d)
end

local BULK_OPTS = util.set {"a", "b", "kind", "strength", "since", "ends", "source"}

--- w:relate_many{a = {...}, b = {...}, kind = k | {...}, strength = s | {...},
---               since = d | {...}, ends = d | {...}, source = s | {...}} -> n
-- Adds many relations at once (columns of equal length; a scalar applies to
-- every row; false stands for "none" in since, ends and source), with the same checks as w:relate; on a bad row nothing of the
-- batch is kept and the error names the row.  Returns the first and last id.
function World:relate_many(cols)
  cols = checkopts(cols, BULK_OPTS, "relate_many", 1)
  local A, B = cols.a, cols.b
  if type(A) ~= "table" or type(B) ~= "table" or #A ~= #B then
    argerror("relate_many", 1, "columns a and b must be lists of equal length")
  end
  local n = #A
  local function column(name)
    local v = cols[name]
    if type(v) == "table" then
      if #v ~= n then argerror("relate_many", 1, "column " .. name .. " has " .. #v .. " rows, expected " .. n, 3) end
      return v, nil
    end
    return nil, v
  end
  local K, k1 = column "kind"
  local S = column "strength"
  local SI = column "since"
  local E = column "ends"
  local SO = column "source"
  if K == nil then k1 = self:_kid(k1, "relate_many", 1) end
  local c = self._c
  local _, first = core.rel_count(c)
  -- The C loop converts and adds rows; a row it cannot take (an alias of a
  -- kind, or a bad value) goes through w:relate, which explains any error.
  local row = 1
  while row <= n do
    local bad = core.relate_columns(c, row, n, A, B, K or k1, cols.strength, cols.since, cols.ends, cols.source)
    if not bad then break end
    local function cell(col, v) if col then return col[bad] or nil end return v end
    local ok, err = pcall(self.relate, self, A[bad], B[bad], K and K[bad] or k1 and core.kind_get(c, k1),
      {strength = cell(S, cols.strength), since = cell(SI, cols.since), ends = cell(E, cols.ends),
       source = cell(SO, cols.source)})
    if not ok then
      local _, cap = core.rel_count(c)
      for id = first, cap - 1 do if core.rel_alive(c, id) then core.rel_remove(c, id) end end
      argerror("relate_many", 1, "row " .. bad .. ": " .. tostring(err):gsub("^bad argument #%d to 'relate' %((.*)%)$", "%1"))
    end
    row = bad + 1
  end
  local _, cap = core.rel_count(c)
  return first, cap - 1
end

--- w:dyad(a, b, {date=}) -> the relations between a and b.
function World:dyad(a, b, opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.actor, o.other = a, b
  return self:relations(o)
end

function World:relation(id)
  if not core.rel_alive(self._c, id) then argerror("relation", 1, "no live relation with id " .. tostring(id)) end
  return rel_handle(self, id)
end

------------------------------------------------------------------- events

local function event_handle(w, id)
  local d, de, a, b, cameo, g, text = core.event_get(w._c, id)
  if not d then return nil end
  return setmetatable({
    id = id, date = datestr(d), ends = de ~= d and datestr(de) or nil,
    from = core.actor_code(w._c, a), to = b and core.actor_code(w._c, b) or nil,
    cameo = cameo ~= "" and cameo or nil, goldstein = g, text = text,
    day = d, day_end = de,
  }, Event)
end

Event.__tostring = function(e)
  return string.format("%s%s %s%s%s %s%s", e.date, e.ends and (".." .. e.ends) or "", e.from,
    e.to and (" -> " .. e.to) or "", e.cameo and (" [CAMEO " .. e.cameo .. "]") or "",
    util.fmt(e.goldstein, 3), e.text ~= "" and (": " .. e.text) or "")
end

local EVENT_OPTS = util.set {"date", "ends", "from", "to", "cameo", "goldstein", "text", "source"}

--- w:event{date=, from=, to=, cameo=, goldstein=, text=, ends=}
--- w:event(date, from, to, cameo, text)
-- The Goldstein weight is looked up from the CAMEO code unless given.
function World:event(spec, from, to, cameo, text)
  if type(spec) ~= "table" then
    spec = {date = spec, from = from, to = to, cameo = cameo, text = text}
  end
  spec = checkopts(spec, EVENT_OPTS, "event", 1)
  if spec.date == nil then argerror("event", 1, "event needs a date") end
  local d = date(spec.date, "event", 1)
  local de = spec.ends ~= nil and date(spec.ends, "event", 1) or d
  if de < d then argerror("event", 1, "event ends " .. datestr(de) .. " before it starts " .. datestr(d)) end
  local a = self:_aid(spec.from, "event", 1)
  local b = spec.to ~= nil and self:_aid(spec.to, "event", 1) or nil
  local code = spec.cameo
  if code ~= nil then
    if type(code) == "number" then code = string.format("%03d", code) end
    if type(code) ~= "string" or not code:match("^%d%d%d?%d?$") then
      argerror("event", 1, "bad CAMEO code '" .. tostring(spec.cameo) .. "'")
    end
    if spec.goldstein == nil and not core.cameo(code) then
      argerror("event", 1, "unknown CAMEO code '" .. code .. "'")
    end
  end
  local g = spec.goldstein
  if g ~= nil and (type(g) ~= "number" or not (g >= -10 and g <= 10)) then
    argerror("event", 1, "Goldstein weight " .. tostring(g) .. " out of range [-10,10]")
  end
  if code == nil and g == nil then argerror("event", 1, "event needs a CAMEO code or a Goldstein weight") end
  local text_ = spec.text
  if spec.source then text_ = (text_ or "") .. " [" .. spec.source .. "]" end
  local ok, id = pcall(core.event_add, self._c, d, de, a, b, code, g, text_)
  if not ok then argerror("event", 1, id) end
  return event_handle(self, id)
end

local EVENTS_OPTS = util.set {"actor", "other", "from", "to", "cameo"}

--- w:events{actor=, other=, from=date, to=date} -> list of events in date order.
function World:events(opts)
  opts = checkopts(opts, EVENTS_OPTS, "events", 1)
  local a = opts.actor ~= nil and self:_aid(opts.actor, "events", 1) or nil
  local o = opts.other ~= nil and self:_aid(opts.other, "events", 1) or nil
  local d1 = opts.from ~= nil and date(opts.from, "events", 1) or nil
  local d2 = opts.to ~= nil and date(opts.to, "events", 1) or nil
  local list = {}
  for id = 0, core.event_count(self._c) - 1 do
    local d, _, ea, eb, cameo = core.event_get(self._c, id)
    if d and (a == nil or ea == a or eb == a) and (o == nil or ea == o or eb == o)
      and (d1 == nil or d >= d1) and (d2 == nil or d <= d2)
      and (opts.cameo == nil or cameo == opts.cameo) then
      list[#list + 1] = event_handle(self, id)
    end
  end
  table.sort(list, function(x, y) if x.day ~= y.day then return x.day < y.day end return x.id < y.id end)
  return list
end

function World:remove_event(e)
  local id = type(e) == "table" and e.id or e
  if not core.event_alive(self._c, id) then argerror("remove_event", 1, "no live event " .. tostring(id)) end
  core.event_remove(self._c, id)
end

--- entente.goldstein(code) -> the Goldstein weight of a CAMEO code, or nil.
function entente.goldstein(code)
  if type(code) == "number" then code = string.format("%03d", code) end
  return core.cameo(code)
end

-------------------------------------------------------------- summaries

--- w:ties(actor, {date=}) -> {kind = {other codes...}} for the actor's relations.
function World:ties(actor, opts)
  opts = opts or {}
  local id = self:_aid(actor, "ties", 1)
  local out = {}
  for _, r in ipairs(self:relations {actor = id == nil and actor or actor_handle(self, id), date = opts.date}) do
    local info = r:info()
    local other = info.a == core.actor_code(self._c, id) and info.b or info.a
    out[info.kind] = out[info.kind] or {}
    table.insert(out[info.kind], other)
  end
  for _, list in pairs(out) do table.sort(list) end
  return out
end

--- w:obligations{date=, level="defence"} -> list of {from=, to=, kind=, relation=}
-- For symmetric kinds both parties are obliged; for directed ones only a.
function World:obligations(opts)
  opts = checkopts(opts, {date = true, level = true}, "obligations", 1)
  local level = opts.level or "defence"
  local list = {}
  for _, r in ipairs(self:relations {date = opts.date or true, obligation = level}) do
    local info = r:info()
    local k = self:kind(info.kind)
    list[#list + 1] = {from = info.a, to = info.b, kind = info.kind, relation = r}
    if not k.directed then list[#list + 1] = {from = info.b, to = info.a, kind = info.kind, relation = r} end
  end
  table.sort(list, function(x, y)
    if x.from ~= y.from then return x.from < y.from end
    return x.to < y.to
  end)
  return list
end

--- w:changes(d1, d2) -> {started = {relations}, ended = {relations}}
-- Relations in force at d2 but not at d1, and the reverse.
function World:changes(d1, d2)
  local a = date(d1, "changes", 1)
  local b = date(d2, "changes", 2)
  local at1, at2 = {}, {}
  for _, id in ipairs(core.relations(self._c, nil, nil, nil, a)) do at1[id] = true end
  for _, id in ipairs(core.relations(self._c, nil, nil, nil, b)) do at2[id] = true end
  local started, ended = {}, {}
  for _, id in ipairs(core.relations(self._c, nil, nil, nil, nil)) do
    if at2[id] and not at1[id] then started[#started + 1] = rel_handle(self, id) end
    if at1[id] and not at2[id] then ended[#ended + 1] = rel_handle(self, id) end
  end
  return {started = started, ended = ended}
end

entente.report = require("entente.report")(entente, World)

------------------------------------------------------------ scenarios

-- Find a shipped scenario module file on package.path (works on 5.1 too).
local function find_scenario(name)
  local modname = "entente.scenarios." .. name
  local path = modname:gsub("%.", "/")
  for template in package.path:gmatch("[^;]+") do
    local file = template:gsub("%?", path)
    local f = io.open(file, "rb")
    if f then f:close(); return file end
  end
  return nil
end

-- Evaluate a data-only Lua table file: text mode, empty environment, and an
-- instruction budget, so a scenario cannot call anything or loop forever.
local function load_data_file(file)
  local f, err = io.open(file, "rb")
  if not f then return nil, err end
  local src = f:read("*a")
  f:close()
  if src:byte(1) == 27 then return nil, file .. ": binary chunks are not accepted" end
  local env = {}
  local chunk, lerr
  if setfenv then
    chunk, lerr = loadstring(src, "@" .. file)
    if chunk then setfenv(chunk, env) end
  else
    chunk, lerr = load(src, "@" .. file, "t", env)
  end
  if not chunk then return nil, lerr end
  -- LuaJIT's compiled loops skip hooks: interpret the data file instead.
  if jit then jit.off(chunk, true) end
  local co = coroutine.create(chunk)
  -- LuaJIT keeps one hook for all coroutines: put the caller's back after.
  local h, m, c = debug.gethook()
  debug.sethook(co, function() error("scenario data file runs too long", 0) end, "", 1e7)
  local ok, res = coroutine.resume(co)
  debug.sethook(co)
  if jit then
    if h then debug.sethook(h, m, c) else debug.sethook() end
  end
  if not ok then return nil, file .. ": " .. tostring(res) end
  if type(res) ~= "table" then return nil, file .. ": a scenario file must return a table" end
  return res
end

--- entente.load(name_or_path) -> world
-- name: a shipped scenario ("russia_dprk_2024"); a path to a .ent scenario
-- file (see docs/scenario-format.md); or a path to a .lua data file.
function entente.load(name)
  if type(name) ~= "string" then argerror("load", 1, "scenario name or path expected, got " .. type(name)) end
  if name:match("%.ent$") then return require("entente.ent").read(name) end
  local file
  if name:match("^[%w_]+$") then
    file = find_scenario(name)
    if not file then
      argerror("load", 1, "unknown scenario '" .. name .. "'" .. util.suggest(name, entente.scenarios()))
    end
  else
    file = name
  end
  local spec, err = load_data_file(file)
  if not spec then return nil, err end
  return entente.world(spec)
end

--- entente.scenarios() -> names of the shipped scenarios.
function entente.scenarios()
  return {"russia_dprk_2024"}
end

------------------------------------------------------------- extensions

for _, area in ipairs {"balance", "cow", "entrapment", "tension", "options", "map", "chart", "html"} do
  require("entente." .. area)(entente, World)
end

return entente
