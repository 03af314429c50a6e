-- entente.entrapment: who is drawn into a war, on which side, and by which
-- chain of obligations.  The model, its rules and its sources are in
-- docs/entrapment.md; the kernel is csrc/cascade.c.
--
--   local r = w:entrapment{conflict = {{"PRK", "ROK"}}, runs = 1e5, seed = 1}
--   print(r)                      -- readable report
--   r:p("CHN"), r.by.CHN.side.defender.p, r.chains[1].text
local util = require "entente.util"

local argerror, checkopts = util.argerror, util.checkopts
local fmt = util.fmt

-- Defaults, each with its source (docs/entrapment.md, "Parameters").
local DEFAULTS = {
  -- Leeds, Long & Mitchell (2000), "Reevaluating Alliance Reliability",
  -- J. Conflict Resolution 44(5): alliance commitments were honoured in
  -- about three cases in four (74.5%) of the ATOP alliance-war cases 1816-1944.
  reliability = 0.75,
  -- Obligation levels of the ATOP/COW typology.  Defence obliges to fight
  -- (weight 1); consultation obliges to consult only: a quarter is the
  -- project's convention for "may come in", not a measured rate; neutrality
  -- and non-aggression oblige to stay out, so they never pull anyone in.
  weights = {none = 0, consultation = 0.25, neutrality = 0, defence = 1},
  runs = 100000,
  seed = 1,
  chains = 10,
  chain_cap = 65536,
  exact_max = 20,
}

local LEVELS = {"none", "consultation", "neutrality", "defence"}
local SIDE_NAME = {"attacker", "defender"}
local FLAG_DEF, FLAG_OPP, FLAG_ATTO = 1, 2, 4

local function hasflag(flags, f) return flags % (2 * f) >= f end

local OPTS = util.set {"conflict", "date", "reliability", "weights", "kinds", "override", "offensive",
  "both_sides", "method", "runs", "seed", "threads", "chains", "chain_cap", "exact_max"}

return function(entente, World)
  local core = entente.core
  local Result = {}
  Result.__index = Result
  entente.EntrapmentResult = Result

  local function fail(msg) argerror("entrapment", 1, msg, 3) end

  local function unit(v, what)
    if type(v) ~= "number" or not (v >= 0 and v <= 1) then
      fail(what .. " must be a number in [0,1], got " .. tostring(v))
    end
    return v
  end

  local function whole(v, what, lo)
    if type(v) ~= "number" or v ~= math.floor(v) or v < lo or v > 2^53 then
      fail(what .. " must be a whole number >= " .. lo .. ", got " .. tostring(v))
    end
    return v
  end

  -- {{"A","B"}, ...} or {"A","B"} or {attacker=, defender=}: lists of ids.
  local function parse_conflict(w, c)
    if type(c) ~= "table" then fail("conflict must be a list of {attacker, defender} pairs, got " .. tostring(c)) end
    local pairs_ = c
    if c.attacker or c.defender then pairs_ = {{c.attacker, c.defender}}
    elseif type(c[1]) ~= "table" then pairs_ = {c} end
    if #pairs_ == 0 then fail("conflict needs at least one {attacker, defender} pair") end
    local att, def, list = {}, {}, {}
    for i, pr in ipairs(pairs_) do
      if type(pr) ~= "table" then fail("conflict pair " .. i .. " must be a table {attacker, defender}") end
      local a, d = pr[1] or pr.attacker, pr[2] or pr.defender
      if a == nil or d == nil then fail("conflict pair " .. i .. " needs an attacker and a defender") end
      local ia = w:_aid(a, "entrapment", 1, 3)
      local id = w:_aid(d, "entrapment", 1, 3)
      if ia == id then fail("conflict pair " .. i .. ": '" .. core.actor_code(w._c, ia) .. "' cannot attack itself") end
      att[i], def[i] = ia, id
      list[i] = {attacker = core.actor_code(w._c, ia), defender = core.actor_code(w._c, id)}
    end
    return att, def, list
  end

  local function rel_id(w, r)
    if type(r) == "table" and getmetatable(r) == entente.Relation then return r.id end
    if type(r) == "number" and core.rel_alive(w._c, r) then return r end
    fail("override key must be a relation (handle or id), got " .. tostring(r))
  end

  -- override = {[relation]=p, {"A","B", p=}}: per relation probabilities.
  local function parse_override(w, ov, day)
    if ov == nil then return nil end
    if type(ov) ~= "table" then fail("override must be a table, got " .. type(ov)) end
    local out = {}
    local n = #ov
    for k, v in pairs(ov) do
      if type(k) == "number" and k >= 1 and k <= n and k == math.floor(k) and type(v) == "table"
        and getmetatable(v) ~= entente.Relation then
        local a, b = v[1], v[2]
        if a == nil or b == nil or v.p == nil then
          fail("override entry " .. k .. " must be {actor, actor, p=probability}")
        end
        local p = unit(v.p, "override probability for " .. tostring(a) .. "-" .. tostring(b))
        local ia, ib = w:_aid(a, "entrapment", 1, 3), w:_aid(b, "entrapment", 1, 3)
        local ids = core.relations(w._c, ia, ib, nil, day)
        if #ids == 0 then
          fail("override: no relation between '" .. core.actor_code(w._c, ia) .. "' and '" ..
            core.actor_code(w._c, ib) .. "' in force on " .. entente._datestr(day))
        end
        for _, id in ipairs(ids) do out[id] = p end
      else
        out[rel_id(w, k)] = unit(v, "override probability of relation " .. tostring(type(k) == "table" and k.id or k))
      end
    end
    return out
  end

  --- w:entrapment{conflict=, date=, reliability=, weights=, kinds=, override=,
  ---   offensive=, both_sides=, method=, runs=, seed=, threads=, chains=}
  function World:entrapment(opts)
    opts = checkopts(opts, OPTS, "entrapment", 1)
    if opts.conflict == nil then fail("missing option 'conflict' (e.g. conflict = {{\"PRK\", \"ROK\"}})") end
    local att, def, conflict = parse_conflict(self, opts.conflict)
    local day = self:_asof(opts.date, "entrapment", 1)
    local reliability = unit(opts.reliability == nil and DEFAULTS.reliability or opts.reliability, "reliability")
    local weights = {}
    for k, v in pairs(DEFAULTS.weights) do weights[k] = v end
    if opts.weights ~= nil then
      if type(opts.weights) ~= "table" then fail("weights must be a table {defence=, consultation=, ...}") end
      for k, v in pairs(opts.weights) do
        if weights[k] == nil then fail("unknown obligation level '" .. tostring(k) .. "'" .. util.suggest(tostring(k), LEVELS)) end
        weights[k] = unit(v, "weight of obligation level '" .. k .. "'")
      end
    end
    local levels = {weights.none, weights.consultation, weights.neutrality, weights.defence}
    local kinds
    if opts.kinds ~= nil then
      if type(opts.kinds) ~= "table" then fail("kinds must be a table {kind = weight}") end
      kinds = {}
      for k, v in pairs(opts.kinds) do
        local kid = self:_kid(k, "entrapment", 1, 3)
        kinds[(core.kind_get(self._c, kid))] = unit(v, "weight of kind '" .. tostring(k) .. "'")
      end
    end
    local override = parse_override(self, opts.override, day)
    local rule = opts.both_sides or "abstain"
    if rule ~= "abstain" and rule ~= "stronger" then
      fail("both_sides must be 'abstain' or 'stronger', got " .. tostring(rule))
    end
    local method = opts.method or "auto"
    if method == "mc" or method == "monte_carlo" then method = "montecarlo" end
    if method ~= "auto" and method ~= "exact" and method ~= "montecarlo" then
      fail("method must be 'auto', 'exact' or 'montecarlo', got " .. tostring(opts.method))
    end
    local runs = whole(opts.runs == nil and DEFAULTS.runs or opts.runs, "runs", 1)
    local seed = whole(opts.seed == nil and DEFAULTS.seed or opts.seed, "seed", 0)
    local threads = whole(opts.threads == nil and 0 or opts.threads, "threads", 0)
    local nchains = opts.chains
    if nchains == nil or nchains == true then nchains = DEFAULTS.chains end
    if nchains == false then nchains = 0 end
    nchains = whole(nchains, "chains", 0)
    local chain_cap = whole(opts.chain_cap == nil and DEFAULTS.chain_cap or opts.chain_cap, "chain_cap", 1)
    if nchains == 0 then chain_cap = 0 end
    local exact_max = whole(opts.exact_max == nil and DEFAULTS.exact_max or opts.exact_max, "exact_max", 0)

    local ok, c = pcall(core.cascade_new, self._c, att, def, day, reliability, levels, kinds, override,
      opts.offensive and true or false, rule)
    if not ok then fail(tostring(c):gsub("^[^:]*:%d+: ", "")) end
    local ok2, err = pcall(core.cascade_run, c, method, runs, seed, threads, chain_cap, exact_max)
    if not ok2 then fail(tostring(err):gsub("^[^:]*:%d+: ", "")) end

    return self:_entrapment_result(c, {
      conflict = conflict, date = entente._datestr(day), reliability = reliability, weights = weights,
      kinds = kinds or {}, override = override or {}, offensive = opts.offensive and true or false,
      both_sides = rule, method = method, runs = runs, seed = seed, threads = threads, chains = nchains,
    })
  end

  local function kind_name(w, k)
    if k == nil or k < 0 then return "?" end
    return (core.kind_get(w._c, k))
  end

  -- Convert the kernel's results into a plain result table.
  function World:_entrapment_result(c, params)
    local wc = self._c
    local exact, nruns, threads, uncertain, _, nchain, truncated = core.cascade_info(c)
    local r = setmetatable({
      params = params, conflict = params.conflict, date = params.date,
      method = exact and "exact" or "montecarlo", exact = exact, runs = nruns,
      seed = params.seed, threads = threads, uncertain = uncertain,
      chains_truncated = truncated, actors = {}, by = {}, chains = {}, edges = {},
    }, Result)
    -- edges: the obligations used, traced to their relations
    local relinfo = {}
    local function rel(id)
      local ri = relinfo[id]
      if not ri and id >= 0 then
        local _, _, _, _, since, ends, source = core.rel_get(wc, id)
        ri = {id = id, source = source or "", since = entente._datestr(since), ends = entente._datestr(ends)}
        relinfo[id] = ri
      end
      return ri
    end
    local raw = core.cascade_edges(c)
    for i, e in ipairs(raw) do
      local ri = rel(e.relation)
      r.edges[i] = {
        from = core.actor_code(wc, e.from), to = core.actor_code(wc, e.to), p = e.p,
        kind = kind_name(self, e.kind), relation = e.relation, source = ri and ri.source or "",
        defensive = hasflag(e.flags, FLAG_DEF), oppose = hasflag(e.flags, FLAG_OPP),
        attacker_only = hasflag(e.flags, FLAG_ATTO), entry = e.entry,
      }
    end
    -- actors
    for id = 0, core.actor_capacity(wc) - 1 do
      if core.actor_alive(wc, id) then
        local init, p, lo, hi, p1, lo1, hi1, p2, lo2, hi2, torn = core.cascade_actor(c, id)
        local a = {
          code = core.actor_code(wc, id), name = core.actor_name(wc, id),
          initial = init > 0 and SIDE_NAME[init] or nil, p = p, lo = lo, hi = hi, torn = torn,
          side = {attacker = {p = p1, lo = lo1, hi = hi1}, defender = {p = p2, lo = lo2, hi = hi2}},
        }
        a.likely_side = init > 0 and SIDE_NAME[init] or (p1 > p2 and "attacker" or p2 > p1 and "defender" or nil)
        r.actors[#r.actors + 1] = a
        r.by[a.code] = a
      end
    end
    table.sort(r.actors, function(x, y)
      if (x.initial ~= nil) ~= (y.initial ~= nil) then return x.initial ~= nil end
      if x.p ~= y.p then return x.p > y.p end
      return x.code < y.code
    end)
    -- number of belligerents
    local dist, mean, sd, mlo, mhi = core.cascade_dist(c)
    r.belligerents = {mean = mean, sd = sd, lo = mlo, hi = mhi, dist = {}}
    for k, p in ipairs(dist) do
      if p > 0 then table.insert(r.belligerents.dist, {count = k - 1, p = p}) end
    end
    -- chains
    for rank = 0, math.min(nchain, params.chains) - 1 do
      local actor, side, p, lo, hi, root, path = core.cascade_chain(c, rank)
      local steps = {}
      for k, ei in ipairs(path) do
        local e = r.edges[ei + 1]
        steps[k] = {actor = e.from, partner = e.to, relation = e.relation, kind = e.kind, source = e.source,
          p = e.p, oppose = e.oppose}
      end
      local ch = {actor = core.actor_code(wc, actor), side = SIDE_NAME[side], p = p, lo = lo, hi = hi,
        root = core.actor_code(wc, root), steps = steps}
      local parts = {}
      for k = #steps, 1, -1 do
        local s = steps[k]
        local src = s.source ~= "" and s.source or ("relation " .. s.relation)
        parts[#parts + 1] = string.format("%s %s %s via %s [%s, p=%s]", s.actor,
          s.oppose and "against" or "with", s.partner, src, s.kind, fmt(s.p, 3))
      end
      ch.text = ch.actor .. " joins the " .. ch.side .. " side: " .. table.concat(parts, "; after ")
      r.chains[#r.chains + 1] = ch
    end
    return r
  end

  --- r:p(code) -> P(actor joins) (0 for the initial belligerents)
  function Result:p(code)
    local a = self.by[code]
    if not a then argerror("p", 1, "unknown actor '" .. tostring(code) .. "'") end
    return a.p
  end

  local function pct(x) return string.format("%5.1f%%", 100 * x) end

  local function ival(self, lo, hi)
    if self.exact then return "(exact)" end
    return string.format("[%s, %s]", pct(lo), pct(hi))
  end

  Result.__tostring = function(self)
    local report = entente.report
    local out = {}
    local cs = {}
    for i, pr in ipairs(self.conflict) do cs[i] = pr.attacker .. " attacks " .. pr.defender end
    out[#out + 1] = string.format("Entrapment: %s, as of %s", table.concat(cs, "; "), self.date)
    local p = self.params
    if self.exact then
      out[#out + 1] = string.format("  exact enumeration: %d outcomes over %d uncertain obligations",
        self.runs, self.uncertain)
    else
      out[#out + 1] = string.format("  Monte Carlo: %s runs, seed %s, %d thread(s); 95%% Wilson intervals",
        fmt(self.runs), fmt(self.seed), self.threads)
    end
    local ks = {}
    for _, k in ipairs(util.sorted_keys(p.kinds)) do ks[#ks + 1] = k .. " " .. fmt(p.kinds[k]) end
    out[#out + 1] = string.format("  reliability %s (Leeds, Long & Mitchell 2000); weights: defence %s, " ..
      "consultation %s, neutrality %s%s", fmt(p.reliability), fmt(p.weights.defence), fmt(p.weights.consultation),
      fmt(p.weights.neutrality), #ks > 0 and ("; kinds: " .. table.concat(ks, ", ")) or "")
    out[#out + 1] = "  " .. (p.offensive and "defence pacts honoured for attackers too (offensive = true)"
      or "defence pacts only for an attacked partner") .. "; torn actors: " .. p.both_sides
    out[#out + 1] = ""
    local rows = {}
    for _, a in ipairs(self.actors) do
      if a.initial then
        rows[#rows + 1] = {a.code, "-", "", a.initial == "attacker" and "initial" or "",
          a.initial == "defender" and "initial" or "", ""}
      elseif a.p > 0 or a.torn > 0 then
        rows[#rows + 1] = {a.code, pct(a.p), ival(self, a.lo, a.hi), pct(a.side.attacker.p),
          pct(a.side.defender.p), a.torn > 0 and pct(a.torn) or ""}
      end
    end
    out[#out + 1] = report.table({"actor", "P(joins)", "95% interval", "attacker side", "defender side", "torn"}, rows)
    local stay = {}
    for _, a in ipairs(self.actors) do
      if not a.initial and a.p == 0 and a.torn == 0 then stay[#stay + 1] = a.code end
    end
    if #stay > 0 then out[#out + 1] = "  never drawn in: " .. table.concat(stay, " ") end
    out[#out + 1] = ""
    local b = self.belligerents
    local d = {}
    for _, x in ipairs(b.dist) do d[#d + 1] = x.count .. ": " .. pct(x.p):gsub("^ +", "") end
    out[#out + 1] = string.format("Belligerents: expected %s%s; distribution %s", fmt(b.mean, 4),
      self.exact and "" or string.format(" (95%% CI %s to %s)", fmt(b.lo, 4), fmt(b.hi, 4)), table.concat(d, ", "))
    if #self.chains > 0 then
      out[#out + 1] = ""
      out[#out + 1] = "Most likely chains"
      for _, ch in ipairs(self.chains) do
        out[#out + 1] = string.format("  %s  %s", pct(ch.p), ch.text)
      end
    elseif self.chains_truncated then
      out[#out + 1] = "  (too many distinct chains to rank: raise chain_cap)"
    end
    return table.concat(out, "\n")
  end

  --- r:obligations() -> text: the obligation edges used, with their sources.
  function Result:obligations()
    local rows = {}
    for _, e in ipairs(self.edges) do
      local cond = e.oppose and "against" or "with"
      if e.defensive then cond = cond .. ", if attacked" end
      if e.attacker_only then cond = cond .. ", if attacker" end
      rows[#rows + 1] = {e.from .. " -> " .. e.to, e.kind, fmt(e.p, 4), cond, pct(e.entry), e.source}
    end
    return entente.report.table({"obliged", "kind", "p", "joins", "P(entry)", "source"}, rows)
  end
end
