-- Entrapment: who is drawn into a war, on which side, by which chain.
-- Hand-worked cases with known answers, an independent pure-Lua enumeration of
-- the documented rules on random worlds, exact against Monte Carlo, and
-- reproducibility across thread counts.
local entente = require "entente"

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function near(want, got, tol)
  assert(math.abs(want - got) <= (tol or 1e-12),
    string.format("expected %.17g, got %.17g", want, got))
end

-- X attacks A; A-B and B-C are defence pacts.
local function chain_world(extra)
  local w = entente.world {date = "2020-01-01"}
  for _, c in ipairs {"X", "A", "B", "C", "D"} do w:actor(c, {}) end
  w:relate("A", "B", "defence", {source = "A-B pact, Art. 1"})
  w:relate("B", "C", "defence", {source = "B-C pact, Art. 5"})
  if extra then extra(w) end
  return w
end

describe("entrapment, hand-worked cases", function()
  it("a defence chain X->A, A-B, B-C gives P(B) = r and P(C) = r^2", function()
    local w = chain_world()
    for _, r in ipairs {0.75, 0.6, 1} do
      local res = w:entrapment {conflict = {{"X", "A"}}, reliability = r}
      assert.is_true(res.exact)
      near(r, res:p "B")
      near(r * r, res:p "C")
      near(r * r, res.by.C.side.defender.p)
      assert.equal(0, res.by.C.side.attacker.p)
      assert.equal(0, res:p "D")
      assert.equal("attacker", res.by.X.initial)
      assert.equal("defender", res.by.A.initial)
    end
  end)

  it("uses the default reliability of Leeds, Long & Mitchell (2000), 0.75", function()
    local res = chain_world():entrapment {conflict = {{"X", "A"}}}
    assert.equal(0.75, res.params.reliability)
    near(0.5625, res:p "C")
  end)

  it("gives the number of belligerents exactly: 2, 3 or 4 with 1-r, r(1-r), r^2", function()
    local r = 0.75
    local res = chain_world():entrapment {conflict = {{"X", "A"}}}
    local d = {}
    for _, x in ipairs(res.belligerents.dist) do d[x.count] = x.p end
    near(1 - r, d[2]); near(r * (1 - r), d[3]); near(r * r, d[4])
    near(2 + r + r * r, res.belligerents.mean)
  end)

  it("combines two independent paths as 1 - (1-p)(1-q)", function()
    -- D is bound to B and to C, both bound to A
    local w = entente.world {date = "2020-01-01"}
    for _, c in ipairs {"X", "A", "B", "C", "D"} do w:actor(c, {}) end
    local ab = w:relate("A", "B", "defence")
    local ac = w:relate("A", "C", "defence")
    local bd = w:relate("B", "D", "defence")
    local cd = w:relate("C", "D", "defence")
    local p, q, s, t = 0.6, 0.7, 0.5, 0.9
    local res = w:entrapment {conflict = {{"X", "A"}}, override = {[ab] = p, [ac] = q, [bd] = s, [cd] = t}}
    near(1 - (1 - p * s) * (1 - q * t), res:p "D")
  end)

  it("does not let an offensive war trigger a defence pact, unless told so", function()
    local w = chain_world()
    local res = w:entrapment {conflict = {{"A", "X"}}}
    assert.equal(0, res:p "B")
    assert.equal(0, res:p "C")
    local off = w:entrapment {conflict = {{"A", "X"}}, offensive = true}
    near(0.75, off.by.B.side.attacker.p)
    near(0.5625, off.by.C.side.attacker.p)
  end)

  it("lets an offence pact (no defensive clause) call for an attacker", function()
    local w = chain_world(function(w) w:relate("A", "D", "offence") end)
    local res = w:entrapment {conflict = {{"A", "X"}}}
    near(0.75, res.by.D.side.attacker.p)
    assert.equal(0, res:p "B")
  end)

  it("weights weaker obligations lower and keeps one decision per partner", function()
    -- A-B: defence (1) and consultation (0.25 x 0.5): X attacks A, so the
    -- defence pact decides alone (not 1-(1-.75)(1-.09375))
    local w = chain_world(function(w) w:relate("A", "B", "consultation", {strength = 0.5}) end)
    near(0.75, w:entrapment {conflict = {{"X", "A"}}}:p "B")
    -- A attacks X: the pact is silent, the consultation clause still calls B
    near(0.75 * 0.25 * 0.5, w:entrapment {conflict = {{"A", "X"}}}.by.B.side.attacker.p)
    -- and the weights are the user's to change
    near(0.75 * 0.5 * 0.5, w:entrapment {conflict = {{"A", "X"}}, weights = {consultation = 0.5}}:p "B")
  end)

  it("makes an actor bound to both sides abstain, or follow the stronger call", function()
    local w = entente.world {date = "2020-01-01"}
    for _, c in ipairs {"X", "A", "Y"} do w:actor(c, {}) end
    local yx = w:relate("Y", "X", "offence")
    local ya = w:relate("Y", "A", "defence")
    local ov = {[yx] = 0.8, [ya] = 0.5}
    local res = w:entrapment {conflict = {{"X", "A"}}, override = ov}
    near(0.8 * 0.5, res.by.Y.torn)
    near(0.8 * 0.5, res.by.Y.side.attacker.p)
    near(0.5 * 0.2, res.by.Y.side.defender.p)
    local st = w:entrapment {conflict = {{"X", "A"}}, override = ov, both_sides = "stronger"}
    near(0.8, st.by.Y.side.attacker.p)
    near(0.1, st.by.Y.side.defender.p)
    assert.equal(0, st.by.Y.torn)
  end)

  it("lets rivalries and wars under way pull the other side in only when asked", function()
    local w = chain_world(function(w) w:relate("D", "A", "rivalry", {strength = 0.5}) end)
    assert.equal(0, w:entrapment {conflict = {{"X", "A"}}}:p "D")
    local res = w:entrapment {conflict = {{"X", "A"}}, kinds = {rivalry = 0.4}}
    near(0.4 * 0.5, res.by.D.side.attacker.p)
  end)

  it("names the chains with the treaty and article that brought each joiner in", function()
    local res = chain_world():entrapment {conflict = {{"X", "A"}}}
    assert.equal(2, #res.chains)
    local c1, c2 = res.chains[1], res.chains[2]
    assert.equal("B", c1.actor); near(0.75, c1.p)
    assert.equal("C", c2.actor); near(0.5625, c2.p)
    assert.equal("defender", c2.side)
    assert.equal("A", c2.root)
    assert.same({"B", "C"}, {c2.steps[1].actor, c2.steps[2].actor})
    assert.equal("A-B pact, Art. 1", c2.steps[1].source)
    assert.matches("C with B via B%-C pact, Art. 5", c2.text)
    assert.matches("B with A via A%-B pact, Art. 1", c2.text)
  end)
end)

-- An independent implementation of the documented rules, straight from the
-- relations: enumerate every assignment of one coin per (obliged, partner,
-- direction of pull); a coin is "examined" when its partner enters while the
-- obliged actor is still out, and weighs p or 1-p; unexamined coins weigh 1/2
-- (both values give the same outcome), so the weights add up to 1.
local function reference(w, conflict, date, opts)
  opts = opts or {}
  local r = opts.reliability or 0.75
  local lw = {none = 0, consultation = 0.25, neutrality = 0, defence = 1}
  local kw = opts.kinds or {}
  -- groups[key] = {i=, j=, opp=, rels = {{p=, def=}}}
  local groups, keys = {}, {}
  for _, rel in ipairs(w:relations {date = date}) do
    local info = rel:info()
    local k = w:kind(info.kind)
    local wt = kw[k.name]
    if wt == nil then wt = k.sign < 0 and 0 or lw[k.obligation] end
    local p = (k.sign < 0 and 1 or r) * wt * info.strength
    if p > 0 then
      local dirs = {{info.a, info.b}}
      if not k.directed then dirs[2] = {info.b, info.a} end
      for _, d in ipairs(dirs) do
        local key = d[1] .. ">" .. d[2] .. (k.sign < 0 and "!" or "")
        if not groups[key] then
          groups[key] = {i = d[1], j = d[2], opp = k.sign < 0, rels = {}}
          keys[#keys + 1] = key
        end
        table.insert(groups[key].rels, {p = p, def = k.defensive})
      end
    end
  end
  table.sort(keys)
  local K = #keys
  assert(K <= 16, "reference world too large")
  local function prob(g, jside)
    -- the strongest obligation that applies
    local best = 0
    for _, x in ipairs(g.rels) do
      if (not x.def or jside == 2) and x.p > best then best = x.p end
    end
    return best
  end
  local out = {side = {}, torn = {}}
  for _, a in ipairs(w:actors()) do out.side[a.code] = {0, 0}; out.torn[a.code] = 0 end
  for v = 0, 2 ^ K - 1 do
    local bits = {}
    local x = v
    for b = 1, K do bits[b] = x % 2; x = (x - bits[b]) / 2 end
    local state, newly = {}, {}
    for _, pr in ipairs(conflict) do state[pr[1]] = 1; state[pr[2]] = 2; newly[pr[1]] = true; newly[pr[2]] = true end
    local wgt, examined = 1, {}
    while next(newly) do
      local calls = {}
      for b, key in ipairs(keys) do
        local g = groups[key]
        if newly[g.j] and not state[g.i] then
          local p = prob(g, state[g.j])
          if p > 0 then
            examined[b] = true
            wgt = wgt * (bits[b] == 1 and p or 1 - p)
            if bits[b] == 1 then
              local s = g.opp and 3 - state[g.j] or state[g.j]
              calls[g.i] = calls[g.i] or {}
              calls[g.i][s] = true
            end
          end
        end
      end
      newly = {}
      for i, c in pairs(calls) do
        if c[1] and c[2] then state[i] = 3
        else state[i] = c[1] and 1 or 2; newly[i] = true end
      end
    end
    for b = 1, K do if not examined[b] then wgt = wgt / 2 end end
    local init = {}
    for _, pr in ipairs(conflict) do init[pr[1]] = true; init[pr[2]] = true end
    for code, s in pairs(state) do
      if s == 3 then out.torn[code] = out.torn[code] + wgt
      elseif not init[code] then out.side[code][s] = out.side[code][s] + wgt end
    end
  end
  return out
end

describe("entrapment, against an independent enumeration", function()
  it("agrees to 1e-12 on 40 random small worlds (kinds, dates, directions mixed)", function()
    local seed = 7
    local function rnd(n)
      seed = (seed * 48271) % 2147483647
      return seed % n
    end
    local kinds = {"defence", "defence", "offence", "consultation", "strategic_partnership", "neutrality",
      "rivalry", "sanction", "partnership"}
    local codes = {"P", "Q", "R", "S", "T", "U"}
    local nonzero, torn = 0, 0
    for trial = 1, 40 do
      local w = entente.world {date = "2010-01-01"}
      for _, c in ipairs(codes) do w:actor(c, {}) end
      local n = 0
      while n < 7 do
        local a, b = codes[rnd(6) + 1], codes[rnd(6) + 1]
        if a ~= b then
          local since = rnd(3) == 0 and "2015-01-01" or nil
          w:relate(a, b, kinds[rnd(#kinds) + 1], {strength = 0.2 + 0.1 * rnd(9), since = since})
          n = n + 1
        end
      end
      local conflict = {{"P", "Q"}}
      if trial % 4 == 0 then conflict[2] = {"R", "Q"} end
      local ks = trial % 3 == 0 and {rivalry = 0.5, sanction = 0.3} or nil
      local res = w:entrapment {conflict = conflict, date = "2012-01-01", kinds = ks, method = "exact"}
      local ref = reference(w, conflict, "2012-01-01", {kinds = ks})
      for _, c in ipairs(codes) do
        near(ref.side[c][1], res.by[c].side.attacker.p)
        near(ref.side[c][2], res.by[c].side.defender.p)
        near(ref.torn[c], res.by[c].torn)
        if res.by[c].p > 0 and res.by[c].p < 1 then nonzero = nonzero + 1 end
        if res.by[c].torn > 0 then torn = torn + 1 end
      end
    end
    -- the comparison is not vacuous
    assert(nonzero >= 30, "only " .. nonzero .. " uncertain joiners")
    assert(torn >= 1, "no torn actor in the sample")
  end)
end)

describe("entrapment on the flagship scenario", function()
  local w = entente.load "russia_dprk_2024"
  -- strengths read from the scenario, the formula worked by hand
  local function strongest(a, b, date, kind)
    local best = 0
    for _, r in ipairs(w:relations {actor = a, other = b, date = date, kind = kind}) do
      if r.strength > best then best = r.strength end
    end
    return best
  end

  it("brings China in through the 1961 treaty when the ROK attacks, Russia after 2024-12-04", function()
    local r, q = 0.75, 0.25
    local after = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-12-05"}
    local sp = r * q * strongest("CHN", "RUS", "2024-12-05", "strategic_partnership")
    -- round 1: CHN (r) and RUS (r) via the DPRK; round 2: either via the other
    near(r + (1 - r) * r * sp, after:p "CHN")
    near(r + (1 - r) * r * sp, after:p "RUS")
    local chn
    for _, c in ipairs(after.chains) do if c.actor == "CHN" and #c.steps == 1 then chn = c end end
    assert.matches("1961", chn.text)
    assert.matches("Art%. II", chn.text)
    near(r, chn.p)
    local before = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-06-17"}
    local cons = r * q * strongest("RUS", "PRK", "2024-06-17", "consultation")
    near(cons + (1 - cons) * r * sp, before:p "RUS")
    near(r + (1 - r) * cons * sp, before:p "CHN")
    -- the treaty's Art. 4 is what moves Russia: without it, only consultation
    assert.is_true(after:p "RUS" >= r and before:p "RUS" < r * q)
  end)

  it("keeps China's defence pact silent when the DPRK attacks", function()
    local res = w:entrapment {conflict = {{"PRK", "ROK"}}, date = "2024-12-05"}
    for _, c in ipairs(res.chains) do
      if c.actor == "CHN" then assert.is_not.matches("1961", c.steps[#c.steps].source) end
    end
    near(0.75, res.chains[1].p)
    assert.equal("USA", res.chains[1].actor)
    assert.is_true(res:p "CHN" < 0.05)
  end)

  it("pulls Ukraine against Russia when wars under way count", function()
    local res = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-12-05", kinds = {war = 1}}
    near(res:p "RUS", res.by.UKR.side.attacker.p)
  end)

  it("gives exact and Monte Carlo answers that agree within the interval", function()
    local ex = w:entrapment {conflict = {{"ROK", "PRK"}}, method = "exact"}
    local mc = w:entrapment {conflict = {{"ROK", "PRK"}}, method = "montecarlo", runs = 2e5, seed = 3}
    assert.is_true(ex.exact)
    assert.is_false(mc.exact)
    assert.equal(200000, mc.runs)
    for _, c in ipairs {"CHN", "RUS", "USA", "JPN"} do
      local a = mc.by[c]
      assert(a.lo <= ex:p(c) and ex:p(c) <= a.hi, c .. ": exact " .. ex:p(c) .. " outside [" .. a.lo .. ", " .. a.hi .. "]")
      assert(a.hi - a.lo < 0.01)
    end
    assert(mc.belligerents.lo <= ex.belligerents.mean and ex.belligerents.mean <= mc.belligerents.hi)
  end)

  it("gives the same numbers for the same seed, whatever the thread count", function()
    local base = w:entrapment {conflict = {{"ROK", "PRK"}}, method = "montecarlo", runs = 30000, seed = 11, threads = 1}
    for _, th in ipairs {2, 3, 4} do
      local r = w:entrapment {conflict = {{"ROK", "PRK"}}, method = "montecarlo", runs = 30000, seed = 11, threads = th}
      for _, a in ipairs(base.actors) do
        assert.equal(a.p, r.by[a.code].p)
        assert.equal(a.side.defender.p, r.by[a.code].side.defender.p)
      end
      assert.equal(base.belligerents.mean, r.belligerents.mean)
      assert.equal(base.chains[1].p, r.chains[1].p)
    end
    local other = w:entrapment {conflict = {{"ROK", "PRK"}}, method = "montecarlo", runs = 30000, seed = 12}
    assert.is_not.equal(base:p "CHN", other:p "CHN")
  end)

  it("prints a report with the probabilities, intervals and chains", function()
    local s = tostring(w:entrapment {conflict = {{"ROK", "PRK"}}, method = "montecarlo", runs = 20000})
    assert.matches("ROK attacks PRK", s)
    assert.matches("Monte Carlo: 20000 runs, seed 1", s)
    assert.matches("Leeds, Long & Mitchell 2000", s)
    assert.matches("CHN", s)
    assert.matches("Most likely chains", s)
    assert.matches("Belligerents: expected", s)
    local ex = w:entrapment {conflict = {{"ROK", "PRK"}}}
    assert.matches("exact enumeration", tostring(ex))
    assert.matches("Art%. II", ex:obligations())
  end)
end)

describe("entrapment arguments", function()
  local w = chain_world()
  it("name the bad value", function()
    assert.matches("unknown actor 'ZZZ'", errmsg(w.entrapment, w, {conflict = {{"X", "ZZZ"}}}))
    assert.matches("reliability must be a number in %[0,1%], got 1.5",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, reliability = 1.5}))
    assert.matches("missing option 'conflict'", errmsg(w.entrapment, w, {}))
    assert.matches("unknown option 'relability'", errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, relability = 1}))
    assert.matches("'A' is both an attacker and a defender",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}, {"A", "B"}}}))
    assert.matches("'X' cannot attack itself", errmsg(w.entrapment, w, {conflict = {{"X", "X"}}}))
    assert.matches("runs must be a whole number >= 1, got 0",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, runs = 0}))
    assert.matches("unknown kind 'rivalri'", errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, kinds = {rivalri = 1}}))
    assert.matches("unknown obligation level 'defense'",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, weights = {defense = 1}}))
    assert.matches("no relation between 'X' and 'C'",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, override = {{"X", "C", p = 0.5}}}))
    assert.matches("both_sides must be 'abstain' or 'stronger', got first",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, both_sides = "first"}))
  end)

  it("takes counts beyond the C int range as what they mean", function()
    -- the binding converted them to int, out of range: exact_max = 2^33
    -- became negative and chose Monte Carlo
    assert.is_true(w:entrapment {conflict = {{"X", "A"}}, exact_max = 2^33}.exact)
    assert.matches("threads must be in 0%.%.%d+ %(got 10000000000%)",
      errmsg(w.entrapment, w, {conflict = {{"X", "A"}}, method = "mc", threads = 1e10}))
    assert.is_true(w:entrapment {conflict = {{"X", "A"}}, method = "mc", runs = 100, chain_cap = 2^40}.runs == 100)
    local core = entente.core
    local c = core.cascade_new(w._c, {0}, {1}, nil, 0.75, {0, 0.25, 0, 1}, nil, nil, false, "abstain")
    core.cascade_run(c, "exact", 1, 1, 1, 16, 20)
    assert.is_nil(core.cascade_actor(c, 1e300))
    assert.is_nil(core.cascade_chain(c, -1e300))
  end)

  it("sizes the chain store by the chains found, not by chain_cap", function()
    -- a chain_cap of 2^31 used to allocate and clear a 16 GB hash up front
    local f = io.open("/proc/self/status")
    if not f then return pending("needs /proc/self/status (Linux)") end
    f:close()
    local function peak_kb()
      for line in io.lines("/proc/self/status") do
        local kb = line:match("^VmHWM:%s*(%d+)")
        if kb then return tonumber(kb) end
      end
    end
    local r = w:entrapment {conflict = {{"X", "A"}}, method = "mc", runs = 1000, chain_cap = 2^31 - 1}
    assert.is_true(r.runs == 1000)
    assert.is_true(peak_kb() < 1024 * 1024, "peak resident memory " .. peak_kb() .. " kB")
  end)

  it("accepts a single pair and an {attacker=, defender=} table", function()
    near(0.5625, w:entrapment {conflict = {"X", "A"}}:p "C")
    near(0.5625, w:entrapment {conflict = {attacker = "X", defender = "A"}}:p "C")
  end)

  it("accepts per-relation overrides by actor pair", function()
    near(0.5 * 0.75, w:entrapment {conflict = {{"X", "A"}}, override = {{"A", "B", p = 0.5}}}:p "C")
  end)
end)
