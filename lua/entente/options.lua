-- entente.options: a focal actor's options under uncertainty.
--
--   local s = entente.scenario(w, {date = "2024-12-05"})
--   s:option("CHN", "distance", {{"weaken", "CHN", "PRK", "defence", factor = 0.5}})
--   s:respond("reciprocity", {actors = {"PRK"}, share = entente.uniform(0.3, 0.9)})
--   local r = s:evaluate{actor = "CHN", runs = 20000, seed = 1,
--     triggers = {{"ROK", "PRK", p = entente.uniform(0.01, 0.05)}}}
--   print(r:report())
--
-- The model, the rules, the criteria and their formulas are in
-- docs/options.md; the kernel is csrc/options.c.  Every score is a cost in
-- [0,1]: lower is better.
local util = require "entente.util"

local argerror, checkopts, fmt = util.argerror, util.checkopts, util.fmt
local unpack_ = table.unpack or unpack

local CRITERIA = {"threat", "entrapment", "economy", "reputation", "trust", "tension"}
local CRIT_INDEX = {threat = 1, entrapment = 2, economy = 3, reputation = 4, trust = 5, tension = 6}
local CRIT_ALIAS = {
  security = "threat", security_threat = "threat", entrap = "entrapment", entrapment_risk = "entrapment",
  economic = "economy", exposure = "economy", economic_exposure = "economy", trade = "economy",
  reputation_cost = "reputation", norms = "reputation", partner_trust = "trust", partners = "trust",
  structural = "tension", structural_tension = "tension", balance = "tension",
}
local CRIT_LABEL = {
  threat = "security threat", entrapment = "entrapment risk", economy = "economic exposure",
  reputation = "reputation", trust = "partner trust", tension = "structural tension",
}
local CRIT_SHORT = {threat = "threat", entrapment = "entrap", economy = "econ", reputation = "reput",
  trust = "trust", tension = "tension"}
local OVERALL = 7

local OP_ADD, OP_MUL, OP_SET = 0, 1, 2
local KTRADE, KSANCTION, KAGGRESSION = 1, 2, 4
local LEVELS = {"none", "consultation", "neutrality", "defence"}

-- Defaults, each with its source or marked as a convention (docs/options.md).
local DEFAULTS = {
  -- Leeds, Long & Mitchell (2000): alliance commitments honoured in about
  -- three cases in four (the entrapment model's default too).
  reliability = 0.75,
  -- as in the entrapment model: defence 1, consultation 1/4 (a convention),
  -- neutrality and none 0.
  obligation = {none = 0, consultation = 0.25, neutrality = 0, defence = 1},
  -- convention: an even chance that sanctions on a partner reach its trade
  -- with the focal actor (secondary sanctions).
  secondary = 0.5,
  norms = {aggression = 1, proliferation = 1, sanctions = 1},
  runs = 10000, seed = 1, dilemma = 0.6,
}

local function isint(v) return type(v) == "number" and v == math.floor(v) end

return function(entente, World)
  local core = entente.core

  ------------------------------------------------------- distributions

  local Dist = {}
  Dist.__index = Dist
  entente.Distribution = Dist
  local DTYPE = {fixed = 0, uniform = 1, triangular = 2, normal = 3, beta = 4}

  local function newdist(kind, fields, fname)
    local d = setmetatable(fields, Dist)
    d.kind, d.type = kind, DTYPE[kind]
    local ok, err = core.dist_check(d.type, d.a or 0, d.b or 0, d.c or 0, d.lo or -math.huge, d.hi or math.huge)
    if not ok then argerror(fname, 1, err, 3) end
    return d
  end

  local function num(v, fname, argn, what)
    if type(v) ~= "number" or v ~= v then
      argerror(fname, argn, (what or "value") .. " must be a number, got " .. tostring(v), 3)
    end
    return v
  end

  --- entente.uniform(lo, hi), entente.triangular(lo, mode, hi),
  --- entente.normal(mean, sd [, lo, hi]), entente.beta(a, b [, lo, hi]),
  --- entente.fixed(v): parameter distributions.
  function entente.uniform(lo, hi)
    return newdist("uniform", {lo = num(lo, "uniform", 1, "lower bound"), hi = num(hi, "uniform", 2, "upper bound")}, "uniform")
  end
  function entente.triangular(lo, mode, hi)
    return newdist("triangular", {lo = num(lo, "triangular", 1, "lower bound"), c = num(mode, "triangular", 2, "mode"),
      hi = num(hi, "triangular", 3, "upper bound")}, "triangular")
  end
  function entente.normal(mean, sd, lo, hi)
    return newdist("normal", {a = num(mean, "normal", 1, "mean"), b = num(sd, "normal", 2, "sd"),
      lo = lo == nil and -math.huge or num(lo, "normal", 3, "lower bound"),
      hi = hi == nil and math.huge or num(hi, "normal", 4, "upper bound")}, "normal")
  end
  function entente.beta(a, b, lo, hi)
    return newdist("beta", {a = num(a, "beta", 1, "shape a"), b = num(b, "beta", 2, "shape b"),
      lo = lo == nil and 0 or num(lo, "beta", 3, "lower bound"), hi = hi == nil and 1 or num(hi, "beta", 4, "upper bound")}, "beta")
  end
  function entente.fixed(v)
    return newdist("fixed", {a = num(v, "fixed", 1)}, "fixed")
  end

  local function dargs(d) return d.type, d.a or 0, d.b or 0, d.c or 0, d.lo or -math.huge, d.hi or math.huge end
  function Dist:quantile(u)
    local t, a, b, c, lo, hi = dargs(self)
    return core.dist_quantile(t, a, b, c, lo, hi, u)
  end
  function Dist:median() return self:quantile(0.5) end
  function Dist:mean() return core.dist_mean(dargs(self)) end
  function Dist:range() return self:quantile(0), self:quantile(1) end
  --- d:sample(n, seed) -> n draws from the kernel's sampler (stream 0).
  function Dist:sample(n, seed)
    local t, a, b, c, lo, hi = dargs(self)
    return core.dist_samples(t, a, b, c, lo, hi, n, seed or 1, 0)
  end
  function Dist:varies() local lo, hi = self:range(); return lo < hi end
  Dist.__tostring = function(d)
    if d.kind == "fixed" then return fmt(d.a) end
    if d.kind == "uniform" then return "uniform(" .. fmt(d.lo) .. ", " .. fmt(d.hi) .. ")" end
    if d.kind == "triangular" then return "triangular(" .. fmt(d.lo) .. ", " .. fmt(d.c) .. ", " .. fmt(d.hi) .. ")" end
    if d.kind == "normal" then
      local s = "normal(" .. fmt(d.a) .. ", " .. fmt(d.b)
      if d.lo > -math.huge or d.hi < math.huge then s = s .. ", " .. fmt(d.lo) .. ", " .. fmt(d.hi) end
      return s .. ")"
    end
    return "beta(" .. fmt(d.a) .. ", " .. fmt(d.b) .. (d.lo ~= 0 or d.hi ~= 1 and (", " .. fmt(d.lo) .. ", " .. fmt(d.hi)) or "") .. ")"
  end

  local function isdist(v) return type(v) == "table" and getmetatable(v) == Dist end

  -- A number, a distribution, or {lo, hi} (uniform); raises naming `what`.
  local function todist(v, what, fname, lo, hi)
    local d
    if type(v) == "number" then
      if v ~= v then argerror(fname, 1, what .. " is NaN", 4) end
      d = entente.fixed(v)
    elseif isdist(v) then
      d = v
    elseif type(v) == "table" and type(v[1]) == "number" and type(v[2]) == "number" and v[3] == nil then
      if v[1] > v[2] then
        argerror(fname, 1, what .. ": range {" .. fmt(v[1]) .. ", " .. fmt(v[2]) .. "} has its lower bound above its upper bound", 4)
      end
      d = entente.uniform(v[1], v[2])
    else
      argerror(fname, 1, what .. " must be a number, a distribution or a {lo, hi} range, got " .. tostring(v), 4)
    end
    if lo then
      local a, b = d:range()
      if a < lo or b > hi then
        argerror(fname, 1, what .. " " .. tostring(d) .. " goes outside [" .. fmt(lo) .. ", " .. fmt(hi) .. "]", 4)
      end
    end
    return d
  end

  -- The parameters of one evaluation: distributions with names, indices
  -- 0-based for the kernel; one distribution object is one parameter.
  local Params = {}
  Params.__index = Params
  local function new_params() return setmetatable({list = {}, byobj = {}, central = {}}, Params) end
  function Params:add(name, v, lo, hi, fname)
    local d = todist(v, name, fname or "evaluate", lo, hi)
    if self.byobj[d] then return self.byobj[d] end
    local key = type(v) == "number" and (name .. "\0" .. string.format("%.17g", v)) or nil
    if key and self.byobj[key] then return self.byobj[key] end
    local k = #self.list
    self.list[k + 1] = {name = name, dist = d}
    self.central[k + 1] = d:median()
    if isdist(v) then self.byobj[d] = k end
    if key then self.byobj[key] = k end
    return k
  end
  function Params:dists()
    local out = {}
    for i, p in ipairs(self.list) do
      local d = p.dist
      out[i] = {type = d.type, a = d.a or 0, b = d.b or 0, c = d.c or 0, lo = d.lo or -math.huge, hi = d.hi or math.huge}
    end
    return out
  end

  ------------------------------------------------------------ scenario

  local Scenario = {}
  Scenario.__index = Scenario
  entente.Scenario = Scenario

  --- entente.scenario(w, {date=}) -> a scenario: options and responses on w.
  function entente.scenario(w, opts)
    if type(w) ~= "table" or getmetatable(w) ~= World then
      argerror("scenario", 1, "world expected, got " .. tostring(w))
    end
    opts = checkopts(opts, util.set {"date", "title"}, "scenario", 2)
    local day = w:_asof(opts.date, "scenario", 2)
    return setmetatable({world = w, day = day, date = entente._datestr(day), title = opts.title,
      options = {}, responses = {}}, Scenario)
  end
  World.scenario = function(w, opts) return entente.scenario(w, opts) end

  local OPS = {"add", "strengthen", "weaken", "end"}
  local OP_ALIAS = {remove = "end", finish = "end", cut = "end", new = "add", tighten = "strengthen",
    loosen = "weaken", reduce = "weaken", raise = "strengthen"}
  local CHANGE_KEYS = util.set {"op", "a", "b", "kind", "by", "factor", "to", "strength"}

  -- Normalise one change {op, a, b, kind, by=|factor=|to=|strength=}.
  local function parse_change(w, ch, where, fname)
    if type(ch) ~= "table" then argerror(fname, 3, where .. ": a change must be a table like {\"strengthen\", \"A\", \"B\", \"kind\", by = 0.1}, got " .. tostring(ch), 3) end
    for k in pairs(ch) do
      if not (isint(k) and k >= 1 and k <= 4) and not CHANGE_KEYS[k] then
        argerror(fname, 3, where .. ": unknown field '" .. tostring(k) .. "'" .. util.suggest(tostring(k), util.sorted_keys(CHANGE_KEYS)), 3)
      end
    end
    local op = ch.op or ch[1]
    if type(op) ~= "string" then argerror(fname, 3, where .. ": operation expected (add, strengthen, weaken, end), got " .. tostring(op), 3) end
    op = OP_ALIAS[op] or op
    if not util.set(OPS)[op] then
      argerror(fname, 3, where .. ": unknown operation '" .. op .. "'" .. util.suggest(op, OPS), 3)
    end
    local a, b, kind = ch.a or ch[2], ch.b or ch[3], ch.kind or ch[4]
    local c = {op = op, where = where}
    c.ia = w:_aid(a, fname, 3, 3)
    c.ib = w:_aid(b, fname, 3, 3)
    if c.ia == c.ib then argerror(fname, 3, where .. ": a change needs two different actors", 3) end
    c.a, c.b = core.actor_code(w._c, c.ia), core.actor_code(w._c, c.ib)
    if kind ~= nil then c.kid = w:_kid(kind, fname, 3, 3); c.kind = (core.kind_get(w._c, c.kid)) end
    if op == "add" then
      if not c.kid then argerror(fname, 3, where .. ": 'add' needs a kind", 3) end
      local _, _, _, dflt = core.kind_get(w._c, c.kid)
      c.value = ch.strength ~= nil and ch.strength or (ch.to ~= nil and ch.to or dflt)
      c.mode = "to"
      c.range = {0, 1}
    elseif op == "end" then
      c.mode, c.value = "to", 0
    else
      local n = (ch.by ~= nil and 1 or 0) + (ch.factor ~= nil and 1 or 0) + (ch.to ~= nil and 1 or 0)
      if n ~= 1 then argerror(fname, 3, where .. ": '" .. op .. "' needs exactly one of by=, factor=, to=", 3) end
      if ch.by ~= nil then c.mode, c.value, c.range = "by", ch.by, {0, 1}
      elseif ch.factor ~= nil then
        c.mode, c.value = "factor", ch.factor
        c.range = op == "weaken" and {0, 1} or {1, 1e6}
      else c.mode, c.value, c.range = "to", ch.to, {0, 1} end
    end
    return c
  end

  --- s:option(actor, name, changes_or_function)
  -- changes: a list of {"add"|"strengthen"|"weaken"|"end", a, b, kind, by=|factor=|to=|strength=}
  -- function(fork, ctx): edits a fork of the world; may return a list of changes.
  function Scenario:option(actor, name, spec)
    local w = self.world
    local id = w:_aid(actor, "option", 1)
    if type(name) ~= "string" or name == "" then argerror("option", 2, "option name expected, got " .. tostring(name)) end
    local code = core.actor_code(w._c, id)
    if name == "status quo" then argerror("option", 2, "'status quo' is always an option; choose another name") end
    for _, o in ipairs(self.options) do
      if o.actor == code and o.name == name then argerror("option", 2, "option '" .. name .. "' of " .. code .. " already exists") end
    end
    local o = {actor = code, name = name}
    if type(spec) == "function" then
      o.fn = spec
    elseif type(spec) == "table" then
      o.changes = {}
      for i, ch in ipairs(spec) do o.changes[i] = parse_change(w, ch, "option '" .. name .. "': change " .. i, "option") end
      if #o.changes == 0 then argerror("option", 3, "option '" .. name .. "' has no changes (the status quo is always an option)") end
    else
      argerror("option", 3, "list of changes or function expected, got " .. type(spec))
    end
    self.options[#self.options + 1] = o
    return self
  end

  local RULES = {
    balancing = util.set {"actors", "gain", "hostility", "hostility_kind", "threshold", "name"},
    reciprocity = util.set {"actors", "share", "trade", "name"},
    wariness = util.set {"actors", "trust", "pressure", "name"},
    conditional = util.set {"when", "apply", "name"},
  }
  local DIRECTIONS = {rises = true, falls = true}

  --- s:respond(rule, params): rule = "balancing" | "reciprocity" | "wariness"
  -- | "conditional", or function(ctx); rules apply after the move, in the
  -- order given.
  function Scenario:respond(rule, params)
    local r
    if type(rule) == "function" then
      params = checkopts(params, util.set {"name"}, "respond", 2)
      r = {rule = "custom", fn = rule, name = params.name or ("rule " .. (#self.responses + 1))}
    elseif type(rule) == "string" then
      if not RULES[rule] then argerror("respond", 1, "unknown rule '" .. rule .. "'" .. util.suggest(rule, util.sorted_keys(RULES))) end
      params = checkopts(params, RULES[rule], "respond", 2)
      r = {rule = rule, params = params, name = params.name or rule}
      if params.actors ~= nil then
        if type(params.actors) ~= "table" then argerror("respond", 2, "actors must be a list of actor codes") end
        r.actors = {}
        for i, a in ipairs(params.actors) do r.actors[i] = core.actor_code(self.world._c, self.world:_aid(a, "respond", 2)) end
      end
      -- check the values now, so that errors point at s:respond
      local function chk(v, what, lo, hi)
        if v == nil then return end
        if type(v) == "table" and not isdist(v) and type(v[1]) ~= "number" then
          for k, x in pairs(v) do
            self.world:_aid(k, "respond", 2)
            todist(x, what .. " of " .. tostring(k), "respond", lo, hi)
          end
        else
          todist(v, what, "respond", lo, hi)
        end
      end
      if rule == "conditional" then
        -- when = {a, b, [kind,] "rises"|"falls"}: the strength of the (a, b)
        -- relations of kind (or every cooperative one), after the move and
        -- the earlier rules, compared with before the move
        local wh = params.when
        local usage = "conditional needs when = {a, b, [kind,] \"rises\" or \"falls\"}"
        if type(wh) ~= "table" or #wh < 3 or #wh > 4 then argerror("respond", 2, usage) end
        local dir = wh[#wh]
        if not DIRECTIONS[dir] then
          argerror("respond", 2, usage .. ", got '" .. tostring(dir) .. "' last" .. util.suggest(tostring(dir), {"rises", "falls"}))
        end
        local c = {ia = self.world:_aid(wh[1], "respond", 2), ib = self.world:_aid(wh[2], "respond", 2), dir = dir}
        if c.ia == c.ib then argerror("respond", 2, "conditional: when names actor '" .. tostring(wh[1]) .. "' twice") end
        c.a, c.b = core.actor_code(self.world._c, c.ia), core.actor_code(self.world._c, c.ib)
        if #wh == 4 then c.kind = (core.kind_get(self.world._c, self.world:_kid(wh[3], "respond", 2))) end
        r.cond = c
        if type(params.apply) ~= "table" or #params.apply == 0 then
          argerror("respond", 2, "conditional needs apply = {change, ...} (the changes made when the condition holds)")
        end
        for i, ch in ipairs(params.apply) do parse_change(self.world, ch, r.name .. ": change " .. i, "respond") end
      elseif rule == "balancing" then
        chk(params.gain, "gain", 0, 10); chk(params.hostility, "hostility", 0, 10)
        if params.gain == nil then argerror("respond", 2, "balancing needs gain= (ties tighten by gain x rise in threat)") end
        if params.hostility_kind ~= nil then self.world:_kid(params.hostility_kind, "respond", 2) end
      elseif rule == "reciprocity" then
        if params.share == nil then argerror("respond", 2, "reciprocity needs share= (the share of the distancing returned)") end
        chk(params.share, "share", 0, 1); chk(params.trade, "trade", 0, 1)
      else
        if params.trust == nil then argerror("respond", 2, "wariness needs trust= (the share of an overture accepted)") end
        chk(params.trust, "trust", 0, 1); chk(params.pressure, "pressure", 0, 1)
      end
    else
      argerror("respond", 1, "rule name or function expected, got " .. type(rule))
    end
    self.responses[#self.responses + 1] = r
    return self
  end

  ------------------------------------------------------- model building

  -- Per option: the kernel model, the world codes, and helpers to add terms.
  local Build = {}
  Build.__index = Build

  function Build:kind_facts(k)
    local f = self.kinds[k]
    if not f then
      local sign, level, flags, cls = self.m:kind(k)
      f = {sign = sign, level = level, directed = flags % 2 == 1, cls = cls, name = (core.kind_get(self.wc, k))}
      self.kinds[k] = f
    end
    return f
  end

  function Build:slots() self._slots = self._slots or self.m:slots(); return self._slots end
  function Build:invalidate() self._slots = nil end
  function Build:nterms() return self.m:term_count() end
  function Build:strengths(nterms) return self.m:strengths(self.P.central, nterms) end
  function Build:code(id) return core.actor_code(self.wc, id) end

  -- A term: value = coef * factor1 * factor2 * factor3; factors {param, a, b}.
  function Build:term(slot, op, coef, f1, f2, f3)
    local args = {slot, op, coef}
    for i, f in ipairs {f1 or false, f2 or false, f3 or false} do
      if f then args[3 + 3 * i - 2], args[3 + 3 * i - 1], args[3 + 3 * i] = f[1], f[2], f[3]
      else args[3 + 3 * i - 2], args[3 + 3 * i - 1], args[3 + 3 * i] = -1, 1, 0 end
    end
    return self.m:term_add(unpack_(args, 1, 12))
  end

  -- The slots of the dyad (a, b) matching kind (or, with no kind, every
  -- cooperative one), in force at the current central values.
  function Build:match(c, nterms)
    local s = self:strengths(nterms or -1)
    local out = {}
    for i, sl in ipairs(self:slots()) do
      local same = (sl.a == c.ia and sl.b == c.ib)
      local f = self:kind_facts(sl.kind)
      if not same and not f.directed then same = sl.a == c.ib and sl.b == c.ia end
      if same and s[i] > 0 and ((c.kid and sl.kind == c.kid) or (not c.kid and f.sign > 0)) then out[#out + 1] = i - 1 end
    end
    return out
  end

  -- One change as terms; returns a description for the report.
  function Build:apply_change(c, label)
    local P = self.P
    local value = c.value
    local lo, hi = 0, 1
    if c.range then lo, hi = c.range[1], c.range[2] end
    local pk = P:add(label .. ": " .. c.op .. " " .. c.a .. "-" .. c.b .. (c.kind and (" " .. c.kind) or "") ..
      (c.op ~= "add" and c.op ~= "end" and (" " .. c.mode) or ""), value, lo, hi)
    local d = P.list[pk + 1].dist
    local constant = not d:varies()
    local v = P.central[pk + 1]
    local function val_factor(a, b) return constant and nil or {pk, a, b} end
    if c.op == "add" then
      local slot = self.m:slot_add(c.ia, c.ib, c.kid)
      self:invalidate()
      if constant then self:term(slot, OP_SET, v) else self:term(slot, OP_SET, 1, {pk, 0, 1}) end
      return {slot}
    end
    local slots = self:match(c)
    if #slots == 0 then
      argerror("evaluate", 1, c.where .. ": no " .. (c.kind or "cooperative") .. " relation between " .. c.a .. " and " ..
        c.b .. " in force on " .. self.date .. (c.op == "strengthen" and " (use 'add' to create one)" or ""), 4)
    end
    local sign = c.op == "weaken" and -1 or 1
    for _, slot in ipairs(slots) do
      if c.op == "end" then self:term(slot, OP_SET, 0)
      elseif c.mode == "by" then
        if constant then self:term(slot, OP_ADD, sign * v) else self:term(slot, OP_ADD, sign, val_factor(0, 1)) end
      elseif c.mode == "factor" then
        if constant then self:term(slot, OP_MUL, v) else self:term(slot, OP_MUL, 1, val_factor(0, 1)) end
      else
        if constant then self:term(slot, OP_SET, v) else self:term(slot, OP_SET, 1, val_factor(0, 1)) end
      end
    end
    return slots
  end

  -- The options' function form: diff a fork (done by the kernel model
  -- constructor), then any changes it returns.

  -- Materialise the central values into a fork of the base world.
  function Build:central_world()
    local w = self.world:fork()
    local s = self:strengths(-1)
    for i, sl in ipairs(self:slots()) do
      local x = s[i]
      if sl.relation then
        if core.rel_alive(w._c, sl.relation) then
          if x > 0 then
            if core.rel_get(w._c, sl.relation) and w:relation(sl.relation):active(self.date) then
              core.rel_set_strength(w._c, sl.relation, x)
            else
              w:relate(self:code(sl.a), self:code(sl.b), (core.kind_get(self.wc, sl.kind)), {strength = x, since = self.date})
            end
          elseif w:relation(sl.relation):active(self.date) then
            local _, _, _, _, since = core.rel_get(w._c, sl.relation)
            if since and since >= self.day then core.rel_remove(w._c, sl.relation)
            else core.rel_end(w._c, sl.relation, self.day) end
          end
        elseif x > 0 then
          w:relate(self:code(sl.a), self:code(sl.b), (core.kind_get(self.wc, sl.kind)), {strength = x, since = self.date})
        end
      elseif x > 0 then
        w:relate(self:code(sl.a), self:code(sl.b), (core.kind_get(self.wc, sl.kind)), {strength = x, since = self.date})
      end
    end
    return w
  end

  ---------------------------------------------------------------- rules

  local function rule_actors(b, r, default_fn)
    if r.actors then
      local ids = {}
      for i, c in ipairs(r.actors) do ids[i] = b.world:_aid(c, "respond", 2) end
      return ids
    end
    return default_fn()
  end

  -- value for actor `id` of a per-actor table or a single value
  local function per_actor(b, v, id, what, lo, hi, label)
    if v == nil then return nil end
    if type(v) == "table" and not isdist(v) and type(v[1]) ~= "number" then
      local code = b:code(id)
      local x = v[code]
      if x == nil then x = v.default end
      if x == nil then return nil end
      return b.P:add(label .. ": " .. what .. " " .. code, x, lo, hi)
    end
    return b.P:add(label .. ": " .. what, v, lo, hi)
  end

  local function all_others(b)
    local ids = {}
    for _, a in ipairs(b.world:actors()) do if a.id ~= b.focal then ids[#ids + 1] = a.id end end
    return ids
  end

  local APPLY = {}

  -- Balancing: when the threat to j (the security-threat formula from j's
  -- side) rises by d > threshold after the move, every cooperative
  -- obligation (consultation or defence level) of j with an actor other than
  -- the focal one gains gain * d; with hostility=, j's hostility toward the
  -- focal actor (kind hostility_kind, default rivalry) gains hostility * d.
  function APPLY.balancing(b, r, log)
    local p = r.params
    local n0 = b:nterms()
    local thr = p.threshold or 0
    local hk = p.hostility_kind and b.world:_kid(p.hostility_kind, "respond", 2) or b.world:_kid("rivalry", "respond", 2)
    local pending = {}
    for _, j in ipairs(rule_actors(b, r, function() return all_others(b) end)) do
      local t0 = b.m:threat(b.P.central, 0, j)
      local t1 = b.m:threat(b.P.central, n0, j)
      local d = t1 - t0
      if d > thr then pending[#pending + 1] = {j = j, d = d, t0 = t0, t1 = t1} end
    end
    local s = b:strengths(n0)
    for _, x in ipairs(pending) do
      local pg = per_actor(b, p.gain, x.j, "gain", 0, 10, r.name)
      local tied = {}
      for i, sl in ipairs(b:slots()) do
        local f = b:kind_facts(sl.kind)
        local other = sl.a == x.j and sl.b or (sl.b == x.j and sl.a or nil)
        if other and other ~= b.focal and f.sign > 0 and f.level >= 1 and s[i] > 0 and pg then
          b:term(i - 1, OP_ADD, x.d, {pg, 0, 1})
          tied[#tied + 1] = b:code(other) .. " (" .. f.name .. ")"
        end
      end
      local ph = per_actor(b, p.hostility, x.j, "hostility", 0, 10, r.name)
      local host = ""
      if ph then
        local slot
        for i, sl in ipairs(b:slots()) do
          if sl.kind == hk and ((sl.a == x.j and sl.b == b.focal) or (sl.b == x.j and sl.a == b.focal)) and s[i] > 0 then slot = i - 1 end
        end
        if not slot then slot = b.m:slot_add(x.j, b.focal, hk); b:invalidate() end
        b:term(slot, OP_ADD, x.d, {ph, 0, 1})
        host = "; hostility toward " .. b:code(b.focal) .. " +" .. fmt(x.d * b.P.central[ph + 1], 3)
      end
      log[#log + 1] = string.format("%s: %s's threat rises %s -> %s; tightens ties with %s%s", r.name, b:code(x.j),
        fmt(x.t0, 3), fmt(x.t1, 3), #tied > 0 and table.concat(tied, ", ") or "nobody", host)
    end
    if #pending == 0 then log[#log + 1] = r.name .. ": no actor's threat rises; no balancing" end
  end

  -- Reciprocity: a partner j whose cooperative (non-trade) ties with the
  -- focal actor lost a share d of their strength in the move answers by
  -- scaling every cooperative tie with the focal actor by (1 - share * d)
  -- (trade ties by (1 - trade * d) when trade= is given).
  function APPLY.reciprocity(b, r, log)
    local p = r.params
    local nmove = b.nmove
    local s0, s1 = b:strengths(0), b:strengths(nmove)
    local any = false
    local ids = rule_actors(b, r, function()
      local seen, out = {}, {}
      for i, sl in ipairs(b:slots()) do
        local other = sl.a == b.focal and sl.b or (sl.b == b.focal and sl.a or nil)
        if other and not seen[other] and b:kind_facts(sl.kind).sign > 0 and s0[i] > 0 then seen[other] = true; out[#out + 1] = other end
      end
      table.sort(out)
      return out
    end)
    for _, j in ipairs(ids) do
      local before, lost = 0, 0
      for i, sl in ipairs(b:slots()) do
        local f = b:kind_facts(sl.kind)
        if ((sl.a == j and sl.b == b.focal) or (sl.b == j and sl.a == b.focal)) and f.sign > 0 and f.cls % 2 == 0 then
          before = before + s0[i]
          if s0[i] > s1[i] then lost = lost + (s0[i] - s1[i]) end
        end
      end
      local d = before > 0 and lost / before or 0
      if d > 0 then
        local ps = per_actor(b, p.share, j, "share", 0, 1, r.name)
        local pt = per_actor(b, p.trade, j, "trade", 0, 1, r.name)
        local cut = {}
        local s = b:strengths(-1)
        for i, sl in ipairs(b:slots()) do
          local f = b:kind_facts(sl.kind)
          if ((sl.a == j and sl.b == b.focal) or (sl.b == j and sl.a == b.focal)) and f.sign > 0 and s[i] > 0 then
            local istrade = f.cls % 2 == 1
            local pp = istrade and pt or (not istrade and ps)
            if pp then
              b:term(i - 1, OP_MUL, 1, {pp, 1, -d})
              cut[#cut + 1] = f.name
            end
          end
        end
        any = true
        log[#log + 1] = string.format("%s: %s lost %s of its ties with %s; answers by cutting %s by share x %s",
          r.name, b:code(j), fmt(d, 3), b:code(b.focal), table.concat(cut, ", "), fmt(d, 3))
      end
    end
    if not any then log[#log + 1] = r.name .. ": no partner was distanced; no reciprocity" end
  end

  -- Wariness: a wary actor j accepts a share of each overture (a move term
  -- that raises a cooperative tie of j with the focal actor):
  --   share = trust * (1 - pressure * P),  P = max over j's allies a of
  --   alliance(j, a) * hostility(a, focal)   (pressure from j's ally).
  function APPLY.wariness(b, r, log)
    local p = r.params
    local nmove = b.nmove
    for _, j in ipairs(rule_actors(b, r, function() return all_others(b) end)) do
      local _, _, ally = b.m:threat(b.P.central, nmove, j)
      local press, via = 0, nil
      for a = 1, #ally do
        if ally[a] > 0 and a - 1 ~= b.focal then
          local _, h = b.m:dyad(b.P.central, nmove, a - 1, b.focal)
          if ally[a] * h > press then press, via = ally[a] * h, a - 1 end
        end
      end
      local touched = 0
      local pt, pp
      for t = 0, nmove - 1 do
        local slot, op, coef, p1, a1, b1, p2, a2, b2, p3, a3, b3 = b.m:term_get(t)
        local sl = b:slots()[slot + 1]
        local f = b:kind_facts(sl.kind)
        if ((sl.a == j and sl.b == b.focal) or (sl.b == j and sl.a == b.focal)) and f.sign > 0 and op ~= OP_MUL then
          local before = b:strengths(t)[slot + 1]
          local fac = {{p1, a1, b1}, {p2, a2, b2}, {p3, a3, b3}}
          local central = coef
          for _, x in ipairs(fac) do central = central * (x[1] >= 0 and (x[2] + x[3] * b.P.central[x[1] + 1]) or x[2]) end
          local raises = (op == OP_ADD and central > 0) or (op == OP_SET and central > before)
          if raises then
            if op == OP_SET and before > 0 then
              for _, x in ipairs(fac) do
                if x[1] >= 0 and x[3] ~= 0 and b.P.list[x[1] + 1].dist:varies() then
                  argerror("evaluate", 1, "wariness of " .. b:code(j) .. " cannot scale a 'to=' overture with an uncertain value on an existing tie; use 'by='", 4)
                end
              end
              op, coef, fac = OP_ADD, central - before, {{-1, 1, 0}, {-1, 1, 0}, {-1, 1, 0}}
            end
            pt = pt or per_actor(b, p.trust, j, "trust", 0, 1, r.name)
            pp = pp or per_actor(b, p.pressure, j, "pressure", 0, 1, r.name)
            local free = {}
            for i, x in ipairs(fac) do if x[1] < 0 and x[2] == 1 then free[#free + 1] = i end end
            local need = pp and 2 or 1
            if #free < need then
              argerror("evaluate", 1, "wariness of " .. b:code(j) .. ": the overture term has no room for more factors", 4)
            end
            fac[free[1]] = {pt, 0, 1}
            if pp then fac[free[2]] = {pp, 1, -press} end
            b.m:term_set(t, slot, op, coef, fac[1][1], fac[1][2], fac[1][3], fac[2][1], fac[2][2], fac[2][3],
              fac[3][1], fac[3][2], fac[3][3])
            touched = touched + 1
          end
        end
      end
      if touched > 0 then
        local share = b.P.central[pt + 1] * (pp and (1 - b.P.central[pp + 1] * press) or 1)
        log[#log + 1] = string.format("%s: %s accepts %s of %s's overture (trust %s%s)", r.name, b:code(j), fmt(share, 3),
          b:code(b.focal), fmt(b.P.central[pt + 1], 3),
          pp and string.format(", pressure %s from %s", fmt(press, 3), via and b:code(via) or "-") or "")
      end
    end
  end

  -- Custom rules: fn(ctx) with ctx.world (central values), ctx.base,
  -- ctx.focal, ctx.option, ctx:threat(actor[, "before"]), ctx:strength(a, b[, kind]),
  -- ctx:apply(list of changes), ctx:log(text).
  local Ctx = {}
  Ctx.__index = function(ctx, k)
    if k == "world" then
      local w = rawget(ctx, "_b"):central_world()
      rawset(ctx, "world", w)
      return w
    end
    return Ctx[k]
  end
  function Ctx:threat(actor, when)
    local b = self._b
    local id = b.world:_aid(actor, "threat", 1)
    local t = b.m:threat(b.P.central, when == "before" and 0 or -1, id)
    return t
  end
  -- Sum of the strengths of the (a, b) relations of a kind (default: the
  -- cooperative ones) now, or "before" the move.
  function Ctx:strength(a, bb, kind, when)
    local b = self._b
    local c = {ia = b.world:_aid(a, "strength", 1), ib = b.world:_aid(bb, "strength", 2)}
    if kind then c.kid = b.world:_kid(kind, "strength", 3) end
    local s, sum = b:strengths(when == "before" and 0 or -1), 0
    for _, slot in ipairs(b:match(c, when == "before" and 0 or -1)) do sum = sum + s[slot + 1] end
    return sum
  end
  function Ctx:apply(changes)
    local b = self._b
    if type(changes) ~= "table" then argerror("apply", 1, "list of changes expected") end
    if type(changes[1]) == "string" then changes = {changes} end
    for i, ch in ipairs(changes) do
      local c = parse_change(b.world, ch, self.rule .. ": change " .. i, "apply")
      b:apply_change(c, self.rule)
      rawset(self, "world", nil)
    end
  end
  function Ctx:log(text) self._log[#self._log + 1] = self.rule .. ": " .. tostring(text) end

  -- Conditional: when the strength of the (a, b) relations of a kind (or
  -- every cooperative one) rises (falls) from before the move to after the
  -- move and the earlier rules, at the central values, apply the changes.
  -- A declarative form of the commonest custom rule (a sanction answering
  -- arms supplies, say); the changes' magnitudes stay uncertain.
  function APPLY.conditional(b, r, log)
    local c = r.cond
    local m = {ia = b.world:_aid(c.a, "respond", 2), ib = b.world:_aid(c.b, "respond", 2)}
    if c.kind then m.kid = b.world:_kid(c.kind, "respond", 2) end
    local function total(nterms)
      local s, sum = b:strengths(nterms), 0
      for _, slot in ipairs(b:match(m, nterms)) do sum = sum + s[slot + 1] end
      return sum
    end
    local before, after = total(0), total(-1)
    local what = "strength of " .. c.a .. "-" .. c.b .. " " .. (c.kind or "cooperative ties")
    local holds = (c.dir == "rises" and after > before) or (c.dir == "falls" and after < before)
    if not holds then
      if after == before then
        log[#log + 1] = string.format("%s: %s stays at %s; no change", r.name, what, fmt(before, 3))
      else
        log[#log + 1] = string.format("%s: %s goes %s -> %s, does not %s; no change", r.name, what, fmt(before, 3),
          fmt(after, 3), c.dir == "rises" and "rise" or "fall")
      end
      return
    end
    local done = {}
    for i, ch in ipairs(r.params.apply) do
      local pc = parse_change(b.world, ch, r.name .. ": change " .. i, "evaluate")
      b:apply_change(pc, r.name)
      done[i] = pc.op .. " " .. pc.a .. "-" .. pc.b .. (pc.kind and (" " .. pc.kind) or "")
    end
    log[#log + 1] = string.format("%s: %s %s %s -> %s; %s", r.name, what, c.dir, fmt(before, 3), fmt(after, 3),
      table.concat(done, ", "))
  end

  function APPLY.custom(b, r, log)
    local ctx = setmetatable({_b = b, _log = log, base = b.base, focal = b:code(b.focal), option = b.option,
      rule = r.name}, Ctx)
    local before = b:nterms()
    r.fn(ctx)
    if b:nterms() == before and #log == 0 then log[#log + 1] = r.name .. ": no change" end
  end

  ------------------------------------------------------------ evaluate

  local EVAL_OPTS = util.set {"actor", "criteria", "weights", "params", "triggers", "capability",
    "proliferation", "kinds", "runs", "seed", "threads", "dilemma", "keep", "kmax", "date"}
  local PARAM_KEYS = util.set {"reliability", "obligation", "secondary", "norms"}

  local function fail(msg) argerror("evaluate", 1, msg, 4) end

  local function crit_name(c)
    if type(c) ~= "string" then fail("criterion name expected, got " .. tostring(c)) end
    local n = CRIT_ALIAS[c] or c
    if not CRIT_INDEX[n] then
      local names = util.sorted_keys(CRIT_INDEX)
      for k in pairs(CRIT_ALIAS) do names[#names + 1] = k end
      fail("unknown criterion '" .. c .. "'" .. util.suggest(c, names))
    end
    return n
  end

  -- capability per actor id + 1 (NaN when unknown)
  local function capabilities(w, spec)
    local out, missing = {}, {}
    local n = core.actor_capacity(w._c)
    local attr = spec
    if spec == nil then
      attr = "milex_usd"
      for _, a in ipairs(w:actors()) do if a:attr("cinc") then attr = "cinc" break end end
    end
    for id = 0, n - 1 do
      local v
      if core.actor_alive(w._c, id) then
        local code = core.actor_code(w._c, id)
        if type(attr) == "string" then v = core.attr_get(w._c, id, attr)
        elseif type(attr) == "table" then v = attr[code]
        elseif type(attr) == "function" then v = attr(w:actor(code))
        else fail("capability must be an attribute name, a table {code = value} or a function, got " .. type(attr)) end
        if v ~= nil and (type(v) ~= "number" or v ~= v or v < 0 or v == math.huge) then
          fail("capability of " .. code .. " must be a number >= 0, got " .. tostring(v))
        end
        if v == nil then missing[#missing + 1] = code end
      end
      out[id + 1] = v == nil and 0 / 0 or v
    end
    return out, missing, type(attr) == "string" and ("attribute '" .. attr .. "'") or "given values"
  end

  local function proliferation(w, spec)
    local out = {}
    local n = core.actor_capacity(w._c)
    if spec ~= nil and type(spec) ~= "table" and type(spec) ~= "string" then
      fail("proliferation must be a table {code = 0..1} or an attribute name, got " .. type(spec))
    end
    if type(spec) == "table" then for k in pairs(spec) do w:_aid(k, "evaluate", 1, 3) end end
    for id = 0, n - 1 do
      local v
      if core.actor_alive(w._c, id) then
        local code = core.actor_code(w._c, id)
        if type(spec) == "table" then v = spec[code]
        else v = core.attr_get(w._c, id, type(spec) == "string" and spec or "proliferation") end
        if v ~= nil and (type(v) ~= "number" or not (v >= 0 and v <= 1)) then
          fail("proliferation of " .. code .. " must be in [0,1], got " .. tostring(v))
        end
      end
      out[id + 1] = v or 0
    end
    return out
  end

  local function kind_classes(w, spec)
    local nk = core.kind_count(w._c)
    local out = {}
    local lists = {trade = {"trade"}, sanction = {"sanction"}, aggression = {"war", "dispute"}}
    if spec ~= nil then
      if type(spec) ~= "table" then fail("kinds must be a table {trade = {...}, sanction = {...}, aggression = {...}}") end
      for k, v in pairs(spec) do
        if not lists[k] then fail("kinds: unknown class '" .. tostring(k) .. "'" .. util.suggest(tostring(k), {"trade", "sanction", "aggression"})) end
        if type(v) ~= "table" then fail("kinds." .. k .. " must be a list of kind names") end
        lists[k] = v
      end
    end
    for k = 0, nk - 1 do out[k + 1] = 0 end
    local bits = {trade = KTRADE, sanction = KSANCTION, aggression = KAGGRESSION}
    for cls, names in pairs(lists) do
      for _, name in ipairs(names) do
        local kid = core.kind_find(w._c, name)
        if kid then out[kid + 1] = out[kid + 1] + bits[cls]
        elseif spec and spec[cls] then w:_kid(name, "evaluate", 1, 4) end
      end
    end
    return out
  end

  local function parse_triggers(w, list)
    if list == nil then return {} end
    if type(list) ~= "table" then fail("triggers must be a list like {{\"ROK\", \"PRK\", p = 0.05}}") end
    local out = {}
    for i, t in ipairs(list) do
      if type(t) ~= "table" then fail("trigger " .. i .. " must be a table {attacker, defender, p=}") end
      local att, def = {}, {}
      local pairs_
      if t.attackers or t.defenders then
        if type(t.attackers) ~= "table" or type(t.defenders) ~= "table" or #t.attackers ~= #t.defenders then
          fail("trigger " .. i .. ": attackers and defenders must be lists of the same length")
        end
        pairs_ = {}
        for k = 1, #t.attackers do pairs_[k] = {t.attackers[k], t.defenders[k]} end
      else
        pairs_ = {{t[1] or t.attacker, t[2] or t.defender}}
      end
      local names = {}
      for k, pr in ipairs(pairs_) do
        if pr[1] == nil or pr[2] == nil then fail("trigger " .. i .. " needs an attacker and a defender") end
        att[k] = w:_aid(pr[1], "evaluate", 1, 4); def[k] = w:_aid(pr[2], "evaluate", 1, 4)
        if att[k] == def[k] then fail("trigger " .. i .. ": '" .. core.actor_code(w._c, att[k]) .. "' cannot attack itself") end
        names[k] = core.actor_code(w._c, att[k]) .. " attacks " .. core.actor_code(w._c, def[k])
      end
      if t.p == nil then fail("trigger " .. i .. " (" .. names[1] .. ") needs p= (its probability)") end
      out[i] = {att = att, def = def, p = t.p, name = t.name or table.concat(names, " and ")}
    end
    return out
  end

  local Result = {}
  Result.__index = Result
  entente.OptionsResult = Result

  --- s:evaluate{actor=, criteria=, weights=, params=, triggers=, capability=,
  ---   proliferation=, kinds=, runs=, seed=, threads=, dilemma=, keep=}
  function Scenario:evaluate(opts)
    opts = checkopts(opts, EVAL_OPTS, "evaluate", 1)
    local w = self.world
    local day = opts.date and w:_asof(opts.date, "evaluate", 1) or self.day
    local date = entente._datestr(day)
    -- focal actor
    local focal
    if opts.actor ~= nil then focal = w:_aid(opts.actor, "evaluate", 1)
    else
      for _, o in ipairs(self.options) do
        local id = w:_aid(o.actor, "evaluate", 1)
        if focal and focal ~= id then fail("options of several actors: say which with actor=") end
        focal = id
      end
      if not focal then fail("no options and no actor= given") end
    end
    local fcode = core.actor_code(w._c, focal)
    -- criteria and weights
    local crits = {}
    if opts.criteria ~= nil then
      if type(opts.criteria) ~= "table" or #opts.criteria == 0 then fail("criteria must be a non-empty list of names") end
      local seen = {}
      for _, c in ipairs(opts.criteria) do
        local n = crit_name(c)
        if seen[n] then fail("criterion '" .. n .. "' listed twice") end
        seen[n] = true
        crits[#crits + 1] = n
      end
      table.sort(crits, function(a, b) return CRIT_INDEX[a] < CRIT_INDEX[b] end)
    else
      for _, c in ipairs(CRITERIA) do crits[#crits + 1] = c end
    end
    local selected = util.set(crits)
    local weights_in = {}
    if opts.weights ~= nil then
      if type(opts.weights) ~= "table" then fail("weights must be a table {criterion = weight}") end
      for k, v in pairs(opts.weights) do
        local n = crit_name(k)
        if not selected[n] then fail("weight given for criterion '" .. n .. "', which is not evaluated") end
        weights_in[n] = v
      end
    end
    local params = opts.params or {}
    if type(params) ~= "table" then fail("params must be a table") end
    for k in pairs(params) do
      if not PARAM_KEYS[k] then fail("unknown parameter '" .. tostring(k) .. "'" .. util.suggest(tostring(k), util.sorted_keys(PARAM_KEYS))) end
    end
    local runs = opts.runs == nil and DEFAULTS.runs or opts.runs
    if not isint(runs) or runs < 1 then fail("runs must be a whole number >= 1, got " .. tostring(runs)) end
    local seed = opts.seed == nil and DEFAULTS.seed or opts.seed
    if not isint(seed) or seed < 0 then fail("seed must be a whole number >= 0, got " .. tostring(seed)) end
    local threads = opts.threads or 0
    if not isint(threads) or threads < 0 then fail("threads must be a whole number >= 0, got " .. tostring(threads)) end
    local share = opts.dilemma == nil and DEFAULTS.dilemma or opts.dilemma
    if type(share) ~= "number" or not (share > 0 and share <= 1) then fail("dilemma share must be in (0,1], got " .. tostring(share)) end

    -- parameters
    local P = new_params()
    local wparam = {-1, -1, -1, -1, -1, -1}
    for _, c in ipairs(crits) do
      wparam[CRIT_INDEX[c]] = P:add("weight of " .. c, weights_in[c] == nil and 1 or weights_in[c], 0, 1e6)
    end
    local rel = params.reliability == nil and DEFAULTS.reliability or params.reliability
    local pairs_ = {}
    local rel_param
    if type(rel) == "table" and not isdist(rel) and type(rel[1]) ~= "number" then
      rel_param = P:add("reliability", rel.default == nil and DEFAULTS.reliability or rel.default, 0, 1)
      -- sorted keys: parameter order (hence which draw feeds which
      -- parameter) must not depend on the Lua version's table order
      for _, k in ipairs(util.sorted_keys(rel)) do
        local v = rel[k]
        if k ~= "default" then
          local a, b = tostring(k):match("^([%w_+]+)%-([%w_+]+)$")
          if not a then fail("reliability key '" .. tostring(k) .. "' must be 'A-B' (two actor codes)") end
          local ia, ib = w:_aid(a, "evaluate", 1, 4), w:_aid(b, "evaluate", 1, 4)
          pairs_[#pairs_ + 1] = {ia, ib, P:add("reliability " .. a .. "-" .. b, v, 0, 1)}
        end
      end

    else
      rel_param = P:add("reliability", rel, 0, 1)
    end
    local obl = {}
    for k, v in pairs(DEFAULTS.obligation) do obl[k] = v end
    if params.obligation ~= nil then
      if type(params.obligation) ~= "table" then fail("params.obligation must be a table {consultation = ..., defence = ...}") end
      for k, v in pairs(params.obligation) do
        if obl[k] == nil then fail("unknown obligation level '" .. tostring(k) .. "'" .. util.suggest(tostring(k), LEVELS)) end
        obl[k] = v
      end
    end
    local level_param = {}
    for i, l in ipairs(LEVELS) do level_param[i] = P:add("obligation weight " .. l, obl[l], 0, 1) end
    local sigma_param = P:add("secondary sanctions spill-over", params.secondary == nil and DEFAULTS.secondary or params.secondary, 0, 1)
    local norms = {}
    for k, v in pairs(DEFAULTS.norms) do norms[k] = v end
    if params.norms ~= nil then
      if type(params.norms) ~= "table" then fail("params.norms must be a table {aggression=, proliferation=, sanctions=}") end
      for k, v in pairs(params.norms) do
        if norms[k] == nil then fail("unknown norm '" .. tostring(k) .. "'" .. util.suggest(tostring(k), {"aggression", "proliferation", "sanctions"})) end
        norms[k] = v
      end
    end
    local norm_param = {P:add("norm weight aggression", norms.aggression, 0, 1),
      P:add("norm weight proliferation", norms.proliferation, 0, 1), P:add("norm weight sanctions", norms.sanctions, 0, 1)}
    local triggers = parse_triggers(w, opts.triggers)
    local tspec = {}
    for i, t in ipairs(triggers) do
      tspec[i] = {att = t.att, def = t.def, q = P:add("P(" .. t.name .. ")", t.p, 0, 1)}
    end
    local caps, missing_caps, capsrc = capabilities(w, opts.capability)
    local prolif = proliferation(w, opts.proliferation)
    local kcls = kind_classes(w, opts.kinds)
    local setup_base = {capability = caps, proliferation = prolif, kind_class = kcls,
      rel_param = rel_param, level_param = level_param, pairs = pairs_}

    -- options: status quo first, then the focal actor's options in order
    local opts_list = {{actor = fcode, name = "status quo", changes = {}}}
    for _, o in ipairs(self.options) do if o.actor == fcode then opts_list[#opts_list + 1] = o end end
    local models, builds = {}, {}
    for oi, o in ipairs(opts_list) do
      local fork = w
      local returned
      if o.fn then
        fork = w:fork()
        fork.date = date
        local ok, res = pcall(o.fn, fork, {focal = fcode, option = o.name, date = date, base = w})
        if not ok then error("option '" .. o.name .. "': " .. tostring(res), 2) end
        if res ~= nil then
          if type(res) ~= "table" then fail("option '" .. o.name .. "': the function must return nil or a list of changes") end
          returned = {}
          for i, ch in ipairs(res) do returned[i] = parse_change(fork, ch, "option '" .. o.name .. "': returned change " .. i, "evaluate") end
        end
      end
      -- kind classes, capability and proliferation may grow with a fork
      local setup = setup_base
      if fork ~= w then
        setup = {}
        for k, v in pairs(setup_base) do setup[k] = v end
        if core.actor_capacity(fork._c) > core.actor_capacity(w._c) then
          setup.capability = capabilities(fork, opts.capability)
          setup.proliferation = proliferation(fork, opts.proliferation)
        end
        if core.kind_count(fork._c) > core.kind_count(w._c) then setup.kind_class = kind_classes(fork, opts.kinds) end
      end
      local ok, m = pcall(core.optmodel_new, w._c, fork._c, day, focal, setup)
      if not ok then fail("option '" .. o.name .. "': " .. tostring(m):gsub("^[^:]*:%d+: ", "")) end
      local b = setmetatable({m = m, P = P, base = w, world = fork, wc = fork._c, focal = focal, day = day, date = date,
        option = o.name, kinds = {}}, Build)
      for i, c in ipairs(o.changes or {}) do b:apply_change(c, "option '" .. o.name .. "'") end
      for _, c in ipairs(returned or {}) do b:apply_change(c, "option '" .. o.name .. "'") end
      b.nmove = b:nterms()
      local log = {}
      for _, r in ipairs(self.responses) do
        local lg = {}
        APPLY[r.rule](b, r, lg)
        for _, line in ipairs(lg) do log[#log + 1] = line end
      end
      b.log = log
      models[oi], builds[oi] = m, b
    end

    -- compile and run
    local spec = {weight_param = wparam, sigma_param = sigma_param, norm_param = norm_param, triggers = tspec,
      kmax = opts.kmax}
    local ok, e = pcall(core.opt_new, models, P:dists(), spec)
    if not ok then fail(tostring(e):gsub("^[^:]*:%d+: ", "")) end
    local ok2, used = pcall(e.run, e, runs, seed, threads, opts.keep and true or false)
    if not ok2 then fail(tostring(used):gsub("^[^:]*:%d+: ", "")) end

    local r = setmetatable({
      actor = fcode, date = date, runs = runs, seed = seed, threads = used, criteria = crits, share = share,
      title = self.title or w.title, triggers = {}, _e = e, _P = P, _builds = builds, _opts = opts_list,
      notes = {}, _spec = spec,
    }, Result)
    for i, t in ipairs(triggers) do
      r.triggers[i] = {name = t.name, p = tostring(P.list[tspec[i].q + 1].dist)}
    end
    if #missing_caps > 0 and selected.threat then
      r.notes[#r.notes + 1] = "capability (" .. capsrc .. ") unknown for " .. table.concat(missing_caps, ", ") .. ": counted as 0"
    end
    if selected.entrapment and #triggers == 0 then
      r.notes[#r.notes + 1] = "no conflict trigger stated (triggers=): entrapment risk is 0 for every option"
    end
    r:_assemble(w, focal, wparam)
    return r
  end

  ------------------------------------------------------------- results

  -- a share as a percentage; never rounds a share that is not 0 or 1 to 0% or 100%
  local function pct(x)
    if x ~= 0 and x ~= 1 and (x < 0.005 or x > 0.995) then return string.format("%.2f%%", 100 * x) end
    return string.format("%.0f%%", 100 * x)
  end
  -- capabilities: 916000000000 -> "916 bn"
  local function big(x)
    local a = math.abs(x)
    if a >= 1e12 then return fmt(x / 1e12, 3) .. " tn" end
    if a >= 1e9 then return fmt(x / 1e9, 3) .. " bn" end
    if a >= 1e6 then return fmt(x / 1e6, 3) .. " m" end
    return fmt(x, 3)
  end
  local function f3(x) return string.format("%.3f", x) end

  function Result:_assemble(w, focal, wparam)
    local e, P = self._e, self._P
    local res = e:results()
    local nm = #self._opts
    local central = P.central
    local point = e:point(central)
    self.params = {}
    for i, p in ipairs(P.list) do
      self.params[i] = {name = p.name, dist = tostring(p.dist), central = central[i], varies = p.dist:varies()}
    end
    -- options
    self.options = {}
    for i, o in ipairs(self._opts) do
      local st = res.options[i]
      local ov = st.stats[OVERALL]
      local opt = {
        name = o.name, expected = ov.mean, sd = ov.sd, min = ov.min, max = ov.max,
        q05 = ov.q05, q25 = ov.q25, q50 = ov.q50, q75 = ov.q75, q95 = ov.q95,
        pbest = st.pbest, regret = st.regret, central = point[i][OVERALL],
        criteria = {}, responses = self._builds[i].log,
      }
      for _, c in ipairs(self.criteria) do
        local s = st.stats[CRIT_INDEX[c]]
        opt.criteria[c] = {mean = s.mean, sd = s.sd, min = s.min, max = s.max, q05 = s.q05, q50 = s.q50,
          q95 = s.q95, central = point[i][CRIT_INDEX[c]]}
      end
      self.options[i] = opt
    end
    -- ranking by expected score
    local order = {}
    for i = 1, nm do order[i] = i end
    table.sort(order, function(a, b)
      local x, y = self.options[a].expected, self.options[b].expected
      if x ~= y then return x < y end
      return a < b
    end)
    self.ranking = {}
    for k, i in ipairs(order) do self.ranking[k] = self.options[i].name end
    -- dominance
    self.dominance, self.better = {}, {}
    for i = 1, nm do
      self.better[self.options[i].name] = {}
      for j = 1, nm do
        if i ~= j then
          local p = res.pairs[i][j]
          self.better[self.options[i].name][self.options[j].name] = p.lt / self.runs
          if p.le == self.runs and p.lt > 0 then
            self.dominance[#self.dominance + 1] = {a = self.options[i].name, b = self.options[j].name, on = "score",
              strict = p.lt / self.runs}
          end
          if p.crit_le == self.runs and p.crit_lt > 0 then
            self.dominance[#self.dominance + 1] = {a = self.options[i].name, b = self.options[j].name, on = "criteria",
              strict = p.crit_lt / self.runs}
          end
        end
      end
    end
    self:_explain(w, focal)
    self:_sensitivity(order)
    self:_verdict(order, res)
  end

  -- Explanations at the central parameter values.
  function Result:_explain(w, focal)
    local e, P = self._e, self._P
    local wc = w._c
    local function code(id) return core.actor_code(wc, id) end
    for i, opt in ipairs(self.options) do
      local x = e:explain(i - 1, P.central)
      local ex = {}
      -- threat
      local items = {}
      for k = 1, #x.hostile do
        if x.hostile[k] > 0 and x.cap[k] > 0 then
          local share = x.hostile[k] * x.cap[k] / (x.threat_num + x.threat_own)
          items[#items + 1] = {actor = code(k - 1), hostility = x.hostile[k], capability = x.cap[k], share = share}
        end
      end
      table.sort(items, function(a, b) if a.share ~= b.share then return a.share > b.share end return a.actor < b.actor end)
      local own = {}
      for k = 1, #x.ally do
        if x.ally[k] > 0 then own[#own + 1] = {actor = code(k - 1), alliance = x.ally[k], capability = x.cap[k]} end
      end
      table.sort(own, function(a, b) return a.alliance * a.capability > b.alliance * b.capability end)
      ex.threat = {hostile = items, allies = own, own_capability = x.cap[focal + 1], hostile_total = x.threat_num,
        own_total = x.threat_own}
      -- entrapment
      local tr = {}
      for t = 1, #self.triggers do
        local pj, chains = e:chains(i - 1, t - 1, P.central, 3)
        local cl = {}
        for _, ch in ipairs(chains) do
          local names = {}
          for q, id in ipairs(ch.actors) do names[q] = code(id) end
          cl[#cl + 1] = {p = ch.p, path = table.concat(names, " -> ")}
        end
        tr[t] = {trigger = self.triggers[t].name, q = x.q[t], p_join = x.p_join[t], p_direct = pj, chains = cl}
      end
      ex.entrapment = tr
      -- economy
      items = {}
      for k = 1, #x.trade do
        if x.trade[k] > 0 or x.trade0[k] > 0 then
          items[#items + 1] = {actor = code(k - 1), trade0 = x.trade0[k], trade = x.trade[k], risk = x.risk[k],
            exposed = x.trade[k] * x.risk[k]}
        end
      end
      table.sort(items, function(a, b) if a.exposed ~= b.exposed then return a.exposed > b.exposed end return a.actor < b.actor end)
      ex.economy = {partners = items, trade0 = x.trade_total0, trade = x.trade_total}
      -- reputation
      items = {}
      for k = 1, #x.coop do
        if x.coop[k] > 0 then items[#items + 1] = {actor = code(k - 1), ties = x.coop[k], violation = x.viol[k]} end
      end
      table.sort(items, function(a, b)
        local p, q = a.ties * a.violation, b.ties * b.violation
        if p ~= q then return p > q end
        return a.actor < b.actor
      end)
      ex.reputation = items
      -- trust
      items = {}
      for k = 1, #x.tie0 do
        if x.tie0[k] > 0 then items[#items + 1] = {actor = code(k - 1), before = x.tie0[k], after = x.tie[k], lost = x.lost[k]} end
      end
      table.sort(items, function(a, b) if a.lost ~= b.lost then return a.lost > b.lost end return a.actor < b.actor end)
      ex.trust = items
      -- tension
      items = {}
      for _, t in ipairs(x.triangles) do
        if t.sign ~= 0 then
          items[#items + 1] = {actors = code(focal) .. "-" .. code(t.x) .. "-" .. code(t.y), balanced = t.sign > 0, weight = t.w}
        end
      end
      table.sort(items, function(a, b)
        if a.balanced ~= b.balanced then return not a.balanced end
        if a.weight ~= b.weight then return a.weight > b.weight end
        return a.actors < b.actors
      end)
      ex.tension = items
      opt.explain = ex
    end
  end

  -- Tornado: each varying parameter at its 5th and 95th percentiles, the
  -- others at their medians; how the gap between the two best options moves.
  function Result:_sensitivity(order)
    local e, P = self._e, self._P
    local top, second = order[1], order[2]
    self.sensitivity = {}
    if not second then return end
    for k, p in ipairs(P.list) do
      if p.dist:varies() then
        local lo, hi = p.dist:quantile(0.05), p.dist:quantile(0.95)
        local th = {}
        for q = 1, #P.central do th[q] = P.central[q] end
        th[k] = lo
        local plo = e:point(th)
        th[k] = hi
        local phi = e:point(th)
        local function best(pt)
          local b, bv = 1, pt[1][OVERALL]
          for i = 2, #pt do if pt[i][OVERALL] < bv - 1e-12 then b, bv = i, pt[i][OVERALL] end end
          return b
        end
        local glo = plo[second][OVERALL] - plo[top][OVERALL]
        local ghi = phi[second][OVERALL] - phi[top][OVERALL]
        local blo, bhi = best(plo), best(phi)
        local scores = {}
        for i, opt in ipairs(self.options) do scores[opt.name] = {low = plo[i][OVERALL], high = phi[i][OVERALL]} end
        self.sensitivity[#self.sensitivity + 1] = {
          param = p.name, dist = tostring(p.dist), low = lo, high = hi,
          gap_low = glo, gap_high = ghi, swing = math.abs(ghi - glo),
          best_low = self.options[blo].name, best_high = self.options[bhi].name,
          flips = blo ~= top or bhi ~= top, scores = scores,
        }
      end
    end
    table.sort(self.sensitivity, function(a, b)
      if a.flips ~= b.flips then return a.flips end
      if a.swing ~= b.swing then return a.swing > b.swing end
      return a.param < b.param
    end)
  end

  function Result:_verdict(order, res)
    local top = self.options[order[1]]
    local bestp = top
    for _, o in ipairs(self.options) do if o.pbest > bestp.pbest then bestp = o end end
    -- an option that dominates every other one on the score
    local dom
    for i, o in ipairs(self.options) do
      local all = #self.options > 1
      for j = 1, #self.options do
        if i ~= j then
          local p = res.pairs[i][j]
          if not (p.le == self.runs and p.lt > 0) then all = false end
        end
      end
      if all then dom = o end
    end
    local dominated = {}
    for _, d in ipairs(self.dominance) do if d.on == "score" then dominated[d.b] = dominated[d.b] or d.a end end
    local v = {best = top.name, most_often_best = bestp.name, share = self.share, reasons = {}}
    local reasons = v.reasons
    if #self.options == 1 then
      v.dilemma = false
      v.text = "No dilemma: the status quo is the only option given (add options with s:option)."
    elseif dom then
      v.dilemma = false
      v.text = string.format("No dilemma: '%s' dominates every other option (its score is as good or better in every draw).", dom.name)
    elseif bestp.pbest > self.share then
      v.dilemma = false
      v.text = string.format("No dilemma: '%s' is the best option in %s of draws (more than the stated %s), though no option dominates.",
        bestp.name, pct(bestp.pbest), pct(self.share))
    else
      v.dilemma = true
      v.text = string.format("Dilemma: no option dominates, and none is best in more than %s of draws (the most often best, '%s', wins %s).",
        pct(self.share), bestp.name, pct(bestp.pbest))
    end
    -- why: the two leading options, criterion by criterion (central weights)
    local second = order[2] and self.options[order[2]]
    if second then
      local wsum = 0
      for _, c in ipairs(self.criteria) do
        for _, p in ipairs(self.params) do if p.name == "weight of " .. c then wsum = wsum + math.max(0, p.central) end end
      end
      local function wt(c)
        for _, p in ipairs(self.params) do if p.name == "weight of " .. c then return wsum > 0 and math.max(0, p.central) / wsum or 0 end end
        return 0
      end
      local favA, favB = {}, {}
      for _, c in ipairs(self.criteria) do
        local d = (second.criteria[c].mean - top.criteria[c].mean) * wt(c)
        if d > 1e-9 then favA[#favA + 1] = {c = c, d = d} elseif d < -1e-9 then favB[#favB + 1] = {c = c, d = -d} end
      end
      table.sort(favA, function(a, b) return a.d > b.d end)
      table.sort(favB, function(a, b) return a.d > b.d end)
      local function list(t, better, worse)
        local parts = {}
        for _, x in ipairs(t) do
          parts[#parts + 1] = string.format("%s (%s vs %s)", CRIT_LABEL[x.c], f3(better.criteria[x.c].mean), f3(worse.criteria[x.c].mean))
        end
        return table.concat(parts, ", ")
      end
      reasons[#reasons + 1] = string.format("'%s' (expected score %s) leads '%s' (%s) by %s.", top.name, f3(top.expected),
        second.name, f3(second.expected), f3(second.expected - top.expected))
      if #favA > 0 then reasons[#reasons + 1] = string.format("'%s' is better on %s.", top.name, list(favA, top, second)) end
      if #favB > 0 then reasons[#reasons + 1] = string.format("'%s' is better on %s.", second.name, list(favB, second, top)) end
      reasons[#reasons + 1] = string.format("'%s' beats '%s' in %s of draws; '%s' beats '%s' in %s.", top.name, second.name,
        pct(self.better[top.name][second.name]), second.name, top.name, pct(self.better[second.name][top.name]))
    end
    local flips = {}
    for _, s in ipairs(self.sensitivity) do if s.flips then flips[#flips + 1] = s.param end end
    if #flips > 0 then
      reasons[#reasons + 1] = "Within its stated range, each of these parameters alone changes the best option: " ..
        table.concat(flips, "; ") .. "."
    elseif #self.sensitivity > 0 then
      reasons[#reasons + 1] = "No single parameter, moved alone across its stated range, changes the best option; the largest swing comes from " ..
        self.sensitivity[1].param .. "."
    end
    local dl = {}
    for b, a in pairs(dominated) do dl[#dl + 1] = string.format("'%s' is dominated by '%s'", b, a) end
    table.sort(dl)
    if #dl > 0 then reasons[#reasons + 1] = table.concat(dl, "; ") .. " (as good or better in every draw)." end
    self.verdict = v
  end

  --- r:_export() -> the compiled models and parameters as plain tables (for
  -- the pure-Lua reference in spec/support/options_ref.lua and the bench).
  function Result:_export()
    local e, P = self._e, self._P
    local ex = {params = P:dists(), central = P.central, spec = self._spec, models = {}}
    for i = 1, #self.options do
      local m = e:model(i - 1)
      m.polys = {}
      for t = 1, #self.triggers do m.polys[t] = e:poly(i - 1, t - 1) end
      m.triangles = e:triangles(i - 1)
      m.rel = {}
      for _, sl in ipairs(m.slots) do
        local a, b = sl[1], sl[2]
        local key = a < b and (a .. ":" .. b) or (b .. ":" .. a)
        if m.rel[key] == nil then m.rel[key] = e:rel_param(i - 1, a, b) end
      end
      ex.models[i] = m
    end
    return ex
  end

  function Result:option(name)
    for _, o in ipairs(self.options) do if o.name == name then return o end end
    return nil
  end

  --- r:draws(name) -> every draw's {threat, entrapment, ..., overall} (with keep = true)
  function Result:draws(name)
    for i, o in ipairs(self.options) do
      if o.name == name then return self._e:draws(i - 1) end
    end
    argerror("draws", 1, "unknown option '" .. tostring(name) .. "'")
  end

  ------------------------------------------------------------- printing

  local function rtable(header, rows, right)
    local widths = {}
    for i, h in ipairs(header) do widths[i] = #h end
    for _, row in ipairs(rows) do
      for i, c in ipairs(row) do if #tostring(c) > widths[i] then widths[i] = #tostring(c) end end
    end
    local out = {}
    local function line(cells)
      local parts = {}
      for i, c in ipairs(cells) do
        local s = tostring(c)
        if right and right[i] then parts[i] = string.rep(" ", widths[i] - #s) .. s
        else parts[i] = s .. string.rep(" ", widths[i] - #s) end
      end
      out[#out + 1] = "  " .. table.concat(parts, "  "):gsub("%s+$", "")
    end
    line(header)
    local rule = {}
    for i, wd in ipairs(widths) do rule[i] = string.rep("-", wd) end
    line(rule)
    for _, row in ipairs(rows) do line(row) end
    return table.concat(out, "\n")
  end

  function Result:_rows()
    local header = {"option", "E[score]", "90% range", "P(best)", "E[regret]"}
    local right = {false, true, true, true, true}
    for _, c in ipairs(self.criteria) do header[#header + 1] = CRIT_SHORT[c]; right[#right + 1] = true end
    local rows = {}
    for _, name in ipairs(self.ranking) do
      local o = self:option(name)
      local row = {o.name, f3(o.expected), f3(o.q05) .. "-" .. f3(o.q95), pct(o.pbest), f3(o.regret)}
      for _, c in ipairs(self.criteria) do row[#row + 1] = f3(o.criteria[c].mean) end
      rows[#rows + 1] = row
    end
    return header, rows, right
  end

  local function explain_lines(self, o, c)
    local ex = o.explain
    local lines = {}
    if c == "threat" then
      local parts = {}
      for k, h in ipairs(ex.threat.hostile) do
        if k > 4 then break end
        parts[#parts + 1] = string.format("%s (hostility %s x capability %s = %s of the balance)", h.actor, fmt(h.hostility, 3),
          big(h.capability), pct(h.share))
      end
      lines[#lines + 1] = "hostile: " .. (#parts > 0 and table.concat(parts, "; ") or "none")
      parts = {}
      for k, a in ipairs(ex.threat.allies) do
        if k > 4 then break end
        parts[#parts + 1] = string.format("%s (alliance %s)", a.actor, fmt(a.alliance, 3))
      end
      lines[#lines + 1] = "own side: capability " .. big(ex.threat.own_capability) .. (#parts > 0 and ("; allies " .. table.concat(parts, ", ")) or "")
    elseif c == "entrapment" then
      for _, t in ipairs(ex.entrapment) do
        local ch = {}
        for k, x in ipairs(t.chains) do if k <= 2 then ch[#ch + 1] = x.path .. " (" .. fmt(x.p, 3) .. ")" end end
        lines[#lines + 1] = string.format("%s (p %s): %s drawn in with %s%s", t.trigger, fmt(t.q, 3), self.actor,
          fmt(t.p_join, 3), #ch > 0 and (", via " .. table.concat(ch, "; ")) or "")
      end
      if #ex.entrapment == 0 then lines[1] = "no trigger stated" end
    elseif c == "economy" then
      local parts = {}
      for k, p in ipairs(ex.economy.partners) do
        if k > 5 then break end
        if p.exposed > 0 or p.trade ~= p.trade0 then
          parts[#parts + 1] = string.format("%s (trade %s%s, risk %s)", p.actor, fmt(p.trade, 3),
            p.trade ~= p.trade0 and (" from " .. fmt(p.trade0, 3)) or "", fmt(p.risk, 3))
        end
      end
      lines[#lines + 1] = (#parts > 0 and table.concat(parts, "; ") or "no trade at risk") ..
        string.format("; total trade %s (before %s)", fmt(ex.economy.trade, 3), fmt(ex.economy.trade0, 3))
    elseif c == "reputation" then
      local parts = {}
      for k, p in ipairs(ex.reputation) do
        if k > 5 then break end
        parts[#parts + 1] = string.format("%s (ties %s, violation %s)", p.actor, fmt(p.ties, 3), fmt(p.violation, 3))
      end
      lines[#lines + 1] = #parts > 0 and table.concat(parts, "; ") or "no cooperative ties"
    elseif c == "trust" then
      local parts = {}
      for _, p in ipairs(ex.trust) do
        if p.lost > 0 then parts[#parts + 1] = string.format("%s (tie %s -> %s)", p.actor, fmt(p.before, 3), fmt(p.after, 3)) end
      end
      lines[#lines + 1] = #parts > 0 and ("ties weakened: " .. table.concat(parts, "; ")) or "no tie weakened"
    elseif c == "tension" then
      local un, bal = {}, 0
      for _, t in ipairs(ex.tension) do
        if not t.balanced then un[#un + 1] = t.actors .. " (" .. fmt(t.weight, 3) .. ")" else bal = bal + 1 end
      end
      lines[#lines + 1] = string.format("unbalanced: %s; balanced triangles: %d", #un > 0 and table.concat(un, ", ") or "none", bal)
    end
    return lines
  end

  --- r:report() -> readable text
  function Result:report()
    local out = {}
    local function add(s) out[#out + 1] = s or "" end
    add(string.format("Options of %s as of %s%s", self.actor, self.date, self.title and (" - " .. self.title) or ""))
    add(string.format("%d draws, seed %d, %d thread%s. Scores are costs in [0,1]: lower is better.", self.runs, self.seed,
      self.threads, self.threads == 1 and "" or "s"))
    add()
    local h, rows, right = self:_rows()
    add(rtable(h, rows, right))
    add()
    add("Verdict: " .. self.verdict.text)
    for _, r in ipairs(self.verdict.reasons) do add("  - " .. r) end
    local doms, seen = {}, {}
    for _, d in ipairs(self.dominance) do
      local key = d.a .. "\0" .. d.b
      if not seen[key] then
        local both = false
        for _, x in ipairs(self.dominance) do
          if x.a == d.a and x.b == d.b and x.on ~= d.on then both = true end
        end
        seen[key] = true
        doms[#doms + 1] = string.format("%s over %s (%s)", d.a, d.b, both and "score and every criterion, every draw" or
          (d.on == "score" and "score, every draw" or "every criterion, every draw"))
      end
    end
    add()
    add("Dominance: " .. (#doms > 0 and table.concat(doms, "; ") or "none"))
    if #self.sensitivity > 0 then
      add()
      add(string.format("Sensitivity (tornado): gap between '%s' and '%s' with one parameter at its 5th/95th percentile", self.ranking[1], self.ranking[2]))
      local srows = {}
      local maxs = 0
      for _, s in ipairs(self.sensitivity) do if s.swing > maxs then maxs = s.swing end end
      for k, s in ipairs(self.sensitivity) do
        if k > 10 then break end
        local bar = maxs > 0 and string.rep("#", math.floor(20 * s.swing / maxs + 0.5)) or ""
        srows[#srows + 1] = {s.param, fmt(s.low, 3) .. " .. " .. fmt(s.high, 3), f3(s.gap_low) .. " .. " .. f3(s.gap_high),
          s.flips and (s.best_low .. " / " .. s.best_high) or "-", bar}
      end
      add(rtable({"parameter", "range", "gap", "best flips to", "swing"}, srows))
    end
    add()
    add("Why, criterion by criterion (central parameter values)")
    for _, name in ipairs(self.ranking) do
      local o = self:option(name)
      add(string.format("  %s: score %s", o.name, f3(o.central)))
      for _, c in ipairs(self.criteria) do
        local lines = explain_lines(self, o, c)
        add(string.format("    %-18s %s  %s", CRIT_LABEL[c], f3(o.criteria[c].central), lines[1] or ""))
        for k = 2, #lines do add(string.rep(" ", 30) .. lines[k]) end
      end
      for _, l in ipairs(o.responses) do add("    response: " .. l) end
    end
    add()
    add("Parameters (central value = median)")
    local prow = {}
    for _, p in ipairs(self.params) do prow[#prow + 1] = {p.name, p.dist, fmt(p.central, 4)} end
    add(rtable({"parameter", "distribution", "central"}, prow))
    if #self.notes > 0 then
      add()
      for _, n in ipairs(self.notes) do add("Note: " .. n) end
    end
    return table.concat(out, "\n")
  end
  Result.__tostring = Result.report

  --- r:markdown() -> the report as Markdown
  function Result:markdown()
    local out = {}
    local function add(s) out[#out + 1] = s or "" end
    local function mdrow(cells) return "| " .. table.concat(cells, " | ") .. " |" end
    add(string.format("## Options of %s as of %s", self.actor, self.date))
    add()
    add(string.format("%d draws, seed %d. Scores are costs in [0,1]: lower is better.", self.runs, self.seed))
    add()
    local h, rows = self:_rows()
    add(mdrow(h))
    local sep = {}
    for i = 1, #h do sep[i] = i == 1 and "---" or "---:" end
    add(mdrow(sep))
    for _, r in ipairs(rows) do add(mdrow(r)) end
    add()
    add("**Verdict.** " .. self.verdict.text)
    add()
    for _, r in ipairs(self.verdict.reasons) do add("- " .. r) end
    if #self.sensitivity > 0 then
      add()
      add("### Sensitivity")
      add()
      add(mdrow {"parameter", "5th-95th pct", "gap low", "gap high", "best at low / high"})
      add(mdrow {"---", "---", "---:", "---:", "---"})
      for k, s in ipairs(self.sensitivity) do
        if k > 10 then break end
        add(mdrow {s.param, fmt(s.low, 3) .. " .. " .. fmt(s.high, 3), f3(s.gap_low), f3(s.gap_high), s.best_low .. " / " .. s.best_high})
      end
    end
    add()
    add("### Why")
    for _, name in ipairs(self.ranking) do
      local o = self:option(name)
      add()
      add(string.format("**%s** (central score %s)", o.name, f3(o.central)))
      add()
      for _, c in ipairs(self.criteria) do
        add(string.format("- %s %s: %s", CRIT_LABEL[c], f3(o.criteria[c].central), table.concat(explain_lines(self, o, c), "; ")))
      end
      for _, l in ipairs(o.responses) do add("- response: " .. l) end
    end
    add()
    add("### Parameters")
    add()
    add(mdrow {"parameter", "distribution", "central"})
    add(mdrow {"---", "---", "---:"})
    for _, p in ipairs(self.params) do add(mdrow {p.name, p.dist, fmt(p.central, 4)}) end
    for _, n in ipairs(self.notes) do add(); add("Note: " .. n) end
    return table.concat(out, "\n")
  end

  -- JSON (sorted keys, NaN and infinities as null).
  local function json(v, out)
    local t = type(v)
    if t == "table" then
      if #v > 0 or next(v) == nil then
        out[#out + 1] = "["
        for i, x in ipairs(v) do
          if i > 1 then out[#out + 1] = "," end
          json(x, out)
        end
        out[#out + 1] = "]"
      else
        local keys = {}
        for k in pairs(v) do if type(k) == "string" and k:sub(1, 1) ~= "_" then keys[#keys + 1] = k end end
        table.sort(keys)
        out[#out + 1] = "{"
        for i, k in ipairs(keys) do
          if i > 1 then out[#out + 1] = "," end
          json(k, out)
          out[#out + 1] = ":"
          json(v[k], out)
        end
        out[#out + 1] = "}"
      end
    elseif t == "string" then
      out[#out + 1] = '"' .. v:gsub('[%c"\\]', function(c)
        local map = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r"}
        return map[c] or string.format("\\u%04x", c:byte())
      end) .. '"'
    elseif t == "number" then
      if v ~= v or v == math.huge or v == -math.huge then out[#out + 1] = "null"
      elseif v == math.floor(v) and math.abs(v) < 2^53 then out[#out + 1] = string.format("%d", v)
      else out[#out + 1] = string.format("%.17g", v) end
    elseif t == "boolean" then
      out[#out + 1] = tostring(v)
    else
      out[#out + 1] = "null"
    end
  end

  --- r:json() -> the result as JSON text
  function Result:json()
    local plain = {}
    for k, v in pairs(self) do if type(k) == "string" and k:sub(1, 1) ~= "_" then plain[k] = v end end
    local out = {}
    json(plain, out)
    return table.concat(out)
  end
end
