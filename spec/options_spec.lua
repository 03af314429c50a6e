-- Options under uncertainty: hand-worked small worlds, an independent
-- pure-Lua evaluation of the same formulas (spec/support/options_ref.lua) on
-- random worlds, the entrapment criterion against the entrapment model, the
-- response rules worked by hand, Monte Carlo properties, reports and errors.
local entente = require "entente"
local ref = dofile("spec/support/options_ref.lua")

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function near(want, got, tol)
  assert(math.abs(want - got) <= (tol or 1e-12),
    string.format("expected %.17g, got %.17g", want, got))
end

-- Constant parameters everywhere: reliability 0.5, spill-over 0.5.
local FIXED = {reliability = 0.5, secondary = 0.5}

-- F is the focal actor.  F-A defence 1; A-B rivalry 0.8; F-C trade 0.5;
-- B->C sanction 0.6; F-B partnership 0.4; A-C partnership 0.5.
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
  return w
end

describe("options: distributions", function()
  it("have medians, quantiles and ranges from their closed forms", function()
    near(3, entente.uniform(2, 4):median())
    near(0.5, entente.triangular(0, 0, 1):quantile(0.75))
    near(1.959963984540054, entente.normal(0, 1):quantile(0.975), 1e-12)
    near(0.5, entente.beta(2, 1):quantile(0.25), 1e-12)
    near(2 / 7, entente.beta(2, 5):mean(), 1e-15)
    local lo, hi = entente.normal(0.5, 1, 0, 1):range()
    assert.are.equal(0, lo); assert.are.equal(1, hi)
    assert.are.equal("triangular(0.5, 0.75, 0.9)", tostring(entente.triangular(0.5, 0.75, 0.9)))
  end)

  it("sample reproducibly from the kernel's streams", function()
    local d = entente.uniform(0, 1)
    local a, b = d:sample(5, 3), d:sample(5, 3)
    assert.are.same(a, b)
    assert.are_not.same(a, d:sample(5, 4))
    local s, n = 0, 20000
    for _, x in ipairs(entente.triangular(0, 3, 3):sample(n, 1)) do s = s + x end
    near(2, s / n, 0.03)
  end)

  it("name the bad value", function()
    assert.matches("above the upper bound", errmsg(entente.uniform, 3, 1))
    assert.matches("mode 5", errmsg(entente.triangular, 0, 5, 1))
    assert.matches("sd %-1", errmsg(entente.normal, 0, -1))
    assert.matches("shapes 0", errmsg(entente.beta, 0, 1))
    assert.matches("must be a number, got x", errmsg(entente.uniform, "x", 1))
  end)
end)

describe("options: hand-worked small world", function()
  it("computes the six criteria as worked out by hand", function()
    local w = small_world()
    local s = entente.scenario(w)
    local r = s:evaluate {actor = "F", runs = 200, params = FIXED, proliferation = {},
      triggers = {{"B", "A", p = 0.2}}}
    local o = r:option("status quo")
    local c = o.criteria
    -- threat: F's ally A (alliance 0.5) is B's rival (0.8): hostility 0.4,
    -- discounted by B's partnership with F (0.4); own side 10 + 0.5 * 20
    near(0.4 * 0.6 * 30 / (0.4 * 0.6 * 30 + 20), c.threat.central)
    near(0.2 * 0.5, c.entrapment.central)                 -- B attacks A; F honours with 0.5
    near(0.5 * 0.5 * 0.6 / 0.5, c.economy.central)        -- trade with C at risk 0.5 * 0.6
    near(0.25 * 0.6 / 1.65, c.reputation.central)         -- ties A 1, B 0.4, C 0.25; C sanctioned
    near(0, c.trust.central)
    local g1, g2, g3 = (0.32) ^ (1 / 3), (0.125) ^ (1 / 3), (0.06) ^ (1 / 3)
    near((g1 + g3) / (g1 + g2 + g3), c.tension.central)   -- F-A-B, F-B-C unbalanced; F-A-C balanced
    -- without uncertainty the Monte Carlo collapses to these values
    assert.are.equal(o.central, o.expected)
    assert.are.equal(0, o.sd)
    assert.are.equal(o.central, o.min)
    assert.are.equal(o.central, o.max)
    for _, k in ipairs {"threat", "entrapment", "economy", "reputation", "trust", "tension"} do
      assert.are.equal(c[k].central, c[k].mean)
      assert.are.equal(0, c[k].sd)
    end
    -- and the explanations say where the numbers come from
    local ex = o.explain
    assert.are.equal("B", ex.threat.hostile[1].actor)
    near(0.24, ex.threat.hostile[1].hostility)
    near(0.5, ex.entrapment[1].p_join)
    assert.matches("A %-> F", ex.entrapment[1].chains[1].path)
    assert.are.equal("C", ex.economy.partners[1].actor)
    local unbalanced = 0
    for _, t in ipairs(ex.tension) do if not t.balanced then unbalanced = unbalanced + 1 end end
    assert.are.equal(2, unbalanced)
  end)

  it("moves the ranking with one weight as computed by hand", function()
    -- ending the alliance with A removes the threat A's rival brings (0.375)
    -- but loses the whole tie (trust 1): 'end' wins iff w_trust < 0.375 w_threat
    local function world()
      local w = entente.world {date = "2024-01-01"}
      for c, cap in pairs {F = 10, A = 20, B = 30} do w:actor(c, {milex_usd = cap}) end
      w:relate("F", "A", "defence")
      w:relate("A", "B", "rivalry", {strength = 0.8})
      return w
    end
    local s = entente.scenario(world())
    s:option("F", "end", {{"end", "F", "A", "defence"}})
    for _, case in ipairs {{0.3, "end"}, {0.5, "status quo"}} do
      local r = s:evaluate {actor = "F", criteria = {"threat", "trust"}, weights = {threat = 1, trust = case[1]},
        params = FIXED, runs = 50}
      assert.are.equal(case[2], r.ranking[1])
      near(0.375 / (1 + case[1]), r:option("status quo").expected)
      near(case[1] / (1 + case[1]), r:option("end").expected)
      assert.are.equal(1, r:option(case[2]).pbest)
      assert.is_false(r.verdict.dilemma)
    end
  end)
end)

describe("options: properties of the evaluation", function()
  it("finds an option that only adds threats dominated, on every criterion", function()
    local s = entente.scenario(small_world())
    s:option("F", "provoke D", {{"add", "F", "D", "rivalry", strength = 0.5}})
    local r = s:evaluate {actor = "F", runs = 3000, seed = 3, triggers = {{"B", "A", p = entente.uniform(0.05, 0.3)}},
      weights = {threat = entente.uniform(0.5, 1.5), tension = entente.beta(2, 2)},
      params = {reliability = entente.triangular(0.3, 0.6, 0.9), secondary = {0, 1}}}
    local on = {}
    for _, d in ipairs(r.dominance) do if d.a == "status quo" and d.b == "provoke D" then on[d.on] = true end end
    assert.is_true(on.score and on.criteria)
    assert.are.equal(0, r:option("provoke D").pbest)
    assert.are.equal("status quo", r.ranking[1])
    assert.matches("'provoke D' is dominated by 'status quo'", table.concat(r.verdict.reasons, " "))
  end)

  it("ties identical options", function()
    local s = entente.scenario(small_world())
    s:option("F", "same", {{"strengthen", "F", "B", "partnership", to = 0.4}})
    local r = s:evaluate {actor = "F", runs = 2000, weights = {threat = entente.uniform(0, 2)},
      params = {reliability = entente.uniform(0.2, 0.9)}, triggers = {{"B", "A", p = {0, 0.5}}}}
    local a, b = r:option("status quo"), r:option("same")
    assert.are.equal(0.5, a.pbest)
    assert.are.equal(0.5, b.pbest)
    assert.are.equal(a.expected, b.expected)
    assert.is_true(a.sd > 0)
    assert.are.equal(0, #r.dominance)
    assert.are.equal(0, r.better["status quo"].same)
  end)

  it("gives the same answer for the same seed, whatever the number of threads", function()
    local s = entente.scenario(small_world())
    s:option("F", "cool", {{"weaken", "F", "A", "defence", factor = entente.uniform(0.2, 0.8)}})
    s:respond("reciprocity", {share = entente.beta(2, 3)})
    local opts = {actor = "F", runs = 5000, seed = 42, triggers = {{"B", "A", p = entente.uniform(0.1, 0.4)}},
      params = {reliability = entente.normal(0.6, 0.15, 0, 1)}}
    opts.threads = 1
    local r1 = s:evaluate(opts)
    opts.threads = 2
    local r2 = s:evaluate(opts)
    for i, o in ipairs(r1.options) do
      local o2 = r2.options[i]
      assert.are.equal(o.expected, o2.expected)
      assert.are.equal(o.pbest, o2.pbest)
      assert.are.equal(o.q05, o2.q05)
      assert.are.equal(o.criteria.trust.sd, o2.criteria.trust.sd)
    end
    opts.seed = 43
    assert.are_not.equal(r1.options[2].expected, s:evaluate(opts).options[2].expected)
  end)

  it("never changes the original world", function()
    local w = small_world()
    local function snapshot()
      local t = {tostring(w), w.date}
      for _, r in ipairs(w:relations()) do t[#t + 1] = tostring(r) end
      for _, a in ipairs(w:actors()) do t[#t + 1] = a.code .. "=" .. tostring(a.milex_usd) end
      return table.concat(t, "\n")
    end
    local before = snapshot()
    local s = entente.scenario(w)
    s:option("F", "fn", function(fork)
      fork:relate("F", "D", "defence")
      for _, r in ipairs(fork:relations {actor = "A"}) do r:set_strength(0.1) end
      fork:actor("E", {milex_usd = 3})
      fork:relate("E", "F", "rivalry")
    end)
    s:option("F", "list", {{"end", "F", "A", "defence"}, {"add", "F", "C", "consultation"}})
    s:respond("balancing", {gain = 1, hostility = 0.5})
    s:respond("reciprocity", {share = 0.5})
    s:respond("wariness", {trust = 0.5, pressure = 0.5})
    s:respond(function(ctx) ctx:apply {{"add", "B", "F", "sanction", strength = 0.3}} ; local _ = ctx.world end)
    local r = s:evaluate {actor = "F", runs = 100}
    assert.are.equal(3, #r.options)
    assert.are.equal(before, snapshot())
  end)
end)

describe("options: response rules, worked by hand", function()
  it("reciprocity answers distancing with distancing", function()
    local s = entente.scenario(small_world())
    s:option("F", "distance", {{"weaken", "F", "A", "defence", factor = 0.5}})
    s:respond("reciprocity", {actors = {"A"}, share = 0.6})
    local r = s:evaluate {actor = "F", criteria = {"trust"}, runs = 10, params = FIXED}
    -- A lost half of its tie (1 -> 0.5) and answers with 1 - 0.6 * 0.5: 0.35
    local o = r:option("distance")
    near(0.65 * 1 / 1.4, o.criteria.trust.central)      -- partners: A (1) and B (0.4)
    local a
    for _, t in ipairs(o.explain.trust) do if t.actor == "A" then a = t end end
    near(0.35, a.after)
    assert.matches("A lost 0.5", o.responses[1])
  end)

  it("wariness accepts trust * (1 - pressure * P) of an overture", function()
    local w = entente.world {date = "2024-01-01"}
    for _, c in ipairs {"F", "J", "U"} do w:actor(c, {milex_usd = 1}) end
    w:relate("J", "U", "defence")
    w:relate("U", "F", "rivalry", {strength = 0.6})
    local s = entente.scenario(w)
    s:option("F", "court", {{"add", "F", "J", "partnership", strength = 0.4}})
    s:respond("wariness", {actors = {"J"}, trust = 0.5, pressure = 1})
    local r = s:evaluate {actor = "F", criteria = {"reputation"}, runs = 10, params = FIXED}
    -- P = alliance(J, U) * hostility(U, F) = 0.5 * 0.6; share 0.5 * (1 - 0.3)
    local ties
    for _, t in ipairs(r:option("court").explain.reputation) do if t.actor == "J" then ties = t.ties end end
    near(0.4 * 0.5 * 0.7, ties)
    assert.matches("accepts 0.35", r:option("court").responses[1])
  end)

  it("balancing tightens the threatened actor's ties by gain x rise in threat", function()
    local w = entente.world {date = "2024-01-01"}
    local caps = {F = 10, A = 20, U = 30, J = 5}
    for _, c in ipairs {"F", "A", "U", "J"} do w:actor(c, {milex_usd = caps[c]}) end
    w:relate("U", "J", "consultation", {strength = 0.5})
    w:relate("U", "F", "rivalry", {strength = 0.5})
    local s = entente.scenario(w)
    s:option("F", "ally", {{"add", "F", "A", "defence", strength = 1}})
    s:respond("balancing", {actors = {"U"}, gain = 2})
    local r = s:evaluate {actor = "F", criteria = {"threat"}, runs = 10, params = FIXED}
    -- U's threat: F hostile (0.5) with its ally A (0.5 * 0.5 = 0.25);
    -- own side 30 + ally(U,J) * 5 with ally(U,J) = 0.5 * 0.25 * 0.5
    local aUJ = 0.5 * 0.25 * 0.5
    local t0 = 0.5 * 10 / (0.5 * 10 + 30 + aUJ * 5)
    local t1 = (0.5 * 10 + 0.25 * 20) / (0.5 * 10 + 0.25 * 20 + 30 + aUJ * 5)
    local tie = 0.5 + 2 * (t1 - t0)
    -- seen from F: J is hostile through its alliance with U (hostility 0.5)
    local hj
    for _, h in ipairs(r:option("ally").explain.threat.hostile) do if h.actor == "J" then hj = h.hostility end end
    near(0.5 * 0.25 * tie * 0.5, hj)
    assert.matches("U's threat rises", r:option("ally").responses[1])
  end)

  it("runs custom rules written as Lua functions", function()
    local s = entente.scenario(small_world())
    s:option("F", "aid A", {{"add", "F", "A", "consultation", strength = 0.5}})
    local seen
    s:respond(function(ctx)
      local now, before = ctx:strength("F", "A"), ctx:strength("F", "A", nil, "before")
      if now > before then
        ctx:apply {{"add", "B", "F", "sanction", strength = entente.uniform(0.2, 0.4)}}
        ctx:log("B sanctions F")
      end
      seen = ctx.world:count_relations {kind = "sanction", date = true}
    end, {name = "B's sanctions"})
    local r = s:evaluate {actor = "F", criteria = {"economy"}, runs = 500, params = FIXED}
    assert.are.equal(2, seen)   -- B->C, then B->F in the world at central values
    local o = r:option("aid A")
    -- trade with C (0.5) at risk 0.3 of 0.5 total; no direct risk on C's trade from B's sanction on F
    near(0.3, r:option("status quo").criteria.economy.central)
    assert.matches("B sanctions F", table.concat(o.responses, "\n"))
    assert.is_true(o.criteria.economy.sd == 0)
  end)
end)

describe("options: conditional rules", function()
  -- B sanctions F when F's consultation tie with A rises: declared, or as a Lua function
  local function evaluate(declarative, rule)
    local s = entente.scenario(small_world())
    s:option("F", "aid A", {{"add", "F", "A", "consultation", strength = 0.5}})
    s:option("F", "court B", {{"strengthen", "F", "B", "partnership", by = 0.2}})
    local sanction = entente.uniform(0.2, 0.4)
    if declarative then
      s:respond("conditional", {name = "B's sanctions", when = {"F", "A", "consultation", "rises"},
        apply = {{"add", "B", "F", "sanction", strength = sanction}}})
    elseif rule then
      s:respond(function(ctx)
        if ctx:strength("F", "A", "consultation") > ctx:strength("F", "A", "consultation", "before") then
          ctx:apply {{"add", "B", "F", "sanction", strength = sanction}}
        end
      end, {name = "B's sanctions"})
    end
    return s:evaluate {actor = "F", runs = 700, seed = 3, params = FIXED}
  end

  it("apply their changes when the relation rises, as the same rule written in Lua does", function()
    local rd, rl, none = evaluate(true), evaluate(false, true), evaluate(false, false)
    for _, name in ipairs {"status quo", "aid A", "court B"} do
      local a, b = rd:option(name), rl:option(name)
      assert.are.equal(b.expected, a.expected)
      assert.are.equal(b.sd, a.sd)
      assert.are.equal(b.pbest, a.pbest)
      assert.are.equal(b.criteria.threat.mean, a.criteria.threat.mean)
    end
    assert.are.same(rl.ranking, rd.ranking)
    local aid = rd:option("aid A")
    assert.are.equal("B's sanctions: strength of F-A consultation rises 0 -> 0.5; add B-F sanction", aid.responses[1])
    assert.are.equal("B's sanctions: strength of F-A consultation stays at 0; no change",
      rd:option("court B").responses[1])
    -- the sanction is B's hostility toward F: more threat, and uncertain (0.2 to 0.4)
    assert.is_true(aid.criteria.threat.mean > none:option("aid A").criteria.threat.mean)
    assert.is_true(aid.criteria.threat.sd > 0)
    assert.are.equal(none:option("court B").expected, rd:option("court B").expected)
  end)

  it("fire on a fall with 'falls', over every cooperative tie when no kind is named", function()
    local s = entente.scenario(small_world())
    s:option("F", "cool A", {{"weaken", "F", "A", "defence", factor = 0.5}})
    s:option("F", "warm A", {{"add", "F", "A", "partnership", strength = 0.5}})
    s:respond("conditional", {name = "A turns", when = {"F", "A", "falls"},
      apply = {{"add", "A", "F", "rivalry", strength = 0.3}}})
    local r = s:evaluate {actor = "F", criteria = {"threat"}, runs = 10, params = FIXED}
    assert.are.equal("A turns: strength of F-A cooperative ties falls 1 -> 0.5; add A-F rivalry",
      r:option("cool A").responses[1])
    assert.are.equal("A turns: strength of F-A cooperative ties goes 1 -> 1.5, does not fall; no change",
      r:option("warm A").responses[1])
  end)

  it("name what is wrong with them", function()
    local s = entente.scenario(small_world())
    local apply = {{"add", "B", "F", "sanction", strength = 0.3}}
    assert.matches("conditional needs when = {a, b, %[kind,%] \"rises\" or \"falls\"}",
      errmsg(s.respond, s, "conditional", {apply = apply}))
    assert.matches("got 'rise' last %(did you mean 'rises'%?%)",
      errmsg(s.respond, s, "conditional", {when = {"F", "A", "rise"}, apply = apply}))
    assert.matches("unknown actor 'ZZ'", errmsg(s.respond, s, "conditional", {when = {"F", "ZZ", "rises"}, apply = apply}))
    assert.matches("unknown kind 'defense_pact'",
      errmsg(s.respond, s, "conditional", {when = {"F", "A", "defense_pact", "rises"}, apply = apply}))
    assert.matches("when names actor 'F' twice", errmsg(s.respond, s, "conditional", {when = {"F", "F", "rises"}, apply = apply}))
    assert.matches("conditional needs apply = ", errmsg(s.respond, s, "conditional", {when = {"F", "A", "rises"}, apply = {}}))
    assert.matches("x: change 1: unknown operation 'sanction'", errmsg(s.respond, s, "conditional",
      {name = "x", when = {"F", "A", "rises"}, apply = {{"sanction", "B", "F"}}}))
    assert.matches("unknown option 'if'", errmsg(s.respond, s, "conditional", {["if"] = {}, apply = apply}))
  end)
end)

describe("options: the kernel against an independent Lua evaluation", function()
  local KINDS = {"defence", "consultation", "strategic_partnership", "partnership", "trade", "rivalry",
    "sanction", "war", "neutrality"}

  local function random_world(rand, n)
    local w = entente.world {date = "2024-01-01"}
    for i = 1, n do w:actor("X" .. i, {milex_usd = math.floor(rand() * 100), proliferation = rand() < 0.2 and 1 or nil}) end
    for _ = 1, 3 * n do
      local a, b = math.random(n), math.random(n)
      if a ~= b then w:relate("X" .. a, "X" .. b, KINDS[math.random(#KINDS)], {strength = 0.1 + 0.9 * rand()}) end
    end
    return w
  end

  it("agrees on random worlds, options and responses at random parameters", function()
    math.randomseed(2024)
    local rand = math.random
    local worst, checks = 0, 0
    for trial = 1, 12 do
      local n = 5 + trial % 4
      local w = random_world(rand, n)
      local s = entente.scenario(w)
      local rels = w:relations {actor = "X1", date = true}
      local changes = {{"add", "X1", "X" .. n, "defence", strength = entente.uniform(0.2, 1)},
        {"add", "X1", "X2", "trade", strength = 0.3}}
      if #rels > 0 then
        local r1 = rels[1]
        changes[#changes + 1] = {"weaken", r1.a.code, r1.b.code, r1.kind, factor = entente.uniform(0, 1)}
      end
      s:option("X1", "mixed", changes)
      s:option("X1", "court", {{"add", "X1", "X3", "partnership", strength = entente.triangular(0, 0.3, 0.6)}})
      s:respond("balancing", {gain = entente.uniform(0, 2), hostility = 0.3})
      s:respond("reciprocity", {share = entente.uniform(0, 1), trade = 0.5})
      s:respond("wariness", {trust = entente.beta(2, 3), pressure = entente.uniform(0, 1)})
      local r = s:evaluate {actor = "X1", runs = 20, seed = trial,
        triggers = {{"X2", "X3", p = entente.uniform(0, 0.5)}, {"X" .. n, "X2", p = 0.3}},
        weights = {trust = entente.uniform(0, 2), tension = {0.5, 1.5}},
        params = {reliability = {default = entente.uniform(0.3, 0.9), ["X1-X2"] = 0.9},
          obligation = {consultation = entente.uniform(0, 0.5)}, secondary = entente.uniform(0, 1),
          norms = {sanctions = entente.uniform(0.5, 1)}}}
      local ex = r:_export()
      for _ = 1, 10 do
        local th = {}
        for k, p in ipairs(ex.params) do th[k] = ref.sample(p, rand) end
        local c, l = r._e:point(th), ref.point(ex, th)
        for i = 1, #c do
          for k = 1, 7 do
            local d = math.abs(c[i][k] - l[i][k])
            if d > worst then worst = d end
            checks = checks + 1
          end
        end
      end
    end
    assert(worst < 1e-12, "largest difference " .. worst)
    assert(checks > 2000)
  end)

  it("computes entrapment as the entrapment model does on the resulting world", function()
    math.randomseed(7)
    for trial = 1, 8 do
      local w = random_world(math.random, 6)
      local s = entente.scenario(w)
      s:option("X1", "bind", {{"add", "X1", "X2", "defence", strength = 0.8}, {"add", "X1", "X4", "consultation"}})
      local r = s:evaluate {actor = "X1", criteria = {"entrapment"}, runs = 10, seed = trial,
        triggers = {{"X3", "X2", p = 1}}, params = {reliability = 0.7}}
      local ex = r:_export()
      for i, o in ipairs(r.options) do
        local f = ref.world_at(entente, w, ex.models[i], ex.central, "2024-01-01")
        local e = f:entrapment {conflict = {{"X3", "X2"}}, reliability = 0.7, method = "exact", chains = false}
        near(e:p("X1"), o.criteria.entrapment.central, 1e-12)
      end
    end
  end)
end)

describe("options: results and reports", function()
  local function flagship(runs)
    local w = assert(entente.load "russia_dprk_2024")
    local s = entente.scenario(w, {date = "2024-12-05"})
    s:option("CHN", "distance", {{"weaken", "CHN", "PRK", "defence", factor = entente.uniform(0.3, 0.7)}})
    s:option("CHN", "court", {{"add", "CHN", "JPN", "partnership", strength = 0.3}})
    s:respond("reciprocity", {actors = {"PRK"}, share = entente.uniform(0.2, 0.8)})
    s:respond("wariness", {actors = {"JPN"}, trust = entente.uniform(0.1, 0.3), pressure = 0.5})
    return s:evaluate {actor = "CHN", runs = runs, seed = 1, proliferation = {PRK = 1},
      triggers = {{"ROK", "PRK", p = entente.uniform(0.005, 0.03)}},
      params = {reliability = entente.triangular(0.22, 0.5, 0.75)}}
  end

  it("prints a table, a verdict with reasons, sensitivity and explanations", function()
    local r = flagship(2000)
    local text = r:report()
    assert.matches("option%s+E%[score%]", text)
    assert.matches("Verdict: ", text)
    assert.matches("Sensitivity", text)
    assert.matches("security threat", text)
    assert.matches("P%(ROK attacks PRK%)", text)
    assert.are.equal(text, tostring(r))
    local md = r:markdown()
    assert.matches("| option | E%[score%]", md)
    assert.matches("%*%*Verdict%.%*%*", md)
    local js = r:json()
    assert.matches('^{', js)
    assert.matches('"verdict":{', js)
    assert.is_nil(js:find("_e", 1, true) and js:find('"_e"', 1, true))
    local ok, cjson = pcall(require, "cjson")
    if ok then
      local t = cjson.decode(js)
      assert.are.equal(#r.options, #t.options)
      assert.are.equal(r.options[2].expected, t.options[2].expected)
      assert.are.equal(r.verdict.dilemma, t.verdict.dilemma)
    end
    -- sensitivity lists only parameters that vary, each at its 5th/95th percentile
    for _, x in ipairs(r.sensitivity) do
      assert.is_true(x.low < x.high)
    end
    local rel
    for _, x in ipairs(r.sensitivity) do if x.param == "reliability" then rel = x end end
    near(entente.triangular(0.22, 0.5, 0.75):quantile(0.05), rel.low)
  end)

  it("keeps every draw on request", function()
    local r = flagship(300)
    assert.is_nil(r:draws("court"))
    local w = assert(entente.load "russia_dprk_2024")
    local s = entente.scenario(w, {date = "2024-12-05"})
    s:option("CHN", "court", {{"add", "CHN", "JPN", "partnership", strength = entente.uniform(0.1, 0.5)}})
    local r2 = s:evaluate {actor = "CHN", runs = 300, keep = true}
    local d = r2:draws("court")
    assert.are.equal(300, #d)
    local sum = 0
    for _, row in ipairs(d) do sum = sum + row[7] end
    near(r2:option("court").expected, sum / 300, 1e-12)
  end)
end)

describe("options: errors name the bad value", function()
  it("in options and responses", function()
    local s = entente.scenario(small_world())
    assert.matches("did you mean 'strengthen'", errmsg(s.option, s, "F", "x", {{"strenghten", "F", "A", "defence", by = 0.1}}))
    assert.matches("exactly one of by=, factor=, to=", errmsg(s.option, s, "F", "x", {{"weaken", "F", "A", "defence", by = 0.1, factor = 0.5}}))
    assert.matches("unknown actor 'ZZ'", errmsg(s.option, s, "F", "x", {{"add", "F", "ZZ", "defence"}}))
    assert.matches("unknown kind 'alliancee'", errmsg(s.option, s, "F", "x", {{"add", "F", "A", "alliancee"}}))
    assert.matches("'status quo' is always an option", errmsg(s.option, s, "F", "status quo", {{"end", "F", "A"}}))
    assert.matches("unknown rule 'balance'", errmsg(s.respond, s, "balance", {gain = 1}))
    assert.matches("did you mean 'balancing'", errmsg(s.respond, s, "balancng", {gain = 1}))
    assert.matches("share uniform%(0.5, 1.5%) goes outside %[0, 1%]", errmsg(s.respond, s, "reciprocity", {share = entente.uniform(0.5, 1.5)}))
    assert.matches("balancing needs gain=", errmsg(s.respond, s, "balancing", {}))
  end)

  it("in evaluate", function()
    local s = entente.scenario(small_world())
    assert.matches("unknown criterion 'thret'", errmsg(s.evaluate, s, {actor = "F", criteria = {"thret"}}))
    assert.matches("did you mean 'threat'", errmsg(s.evaluate, s, {actor = "F", criteria = {"thret"}}))
    assert.matches("unknown option 'run'", errmsg(s.evaluate, s, {actor = "F", run = 10}))
    assert.matches("runs must be a whole number >= 1, got 0", errmsg(s.evaluate, s, {actor = "F", runs = 0}))
    assert.matches("reliability uniform%(0.5, 1.2%) goes outside %[0, 1%]",
      errmsg(s.evaluate, s, {actor = "F", params = {reliability = entente.uniform(0.5, 1.2)}}))
    assert.matches("needs p=", errmsg(s.evaluate, s, {actor = "F", triggers = {{"B", "A"}}}))
    assert.matches("'B' cannot attack itself", errmsg(s.evaluate, s, {actor = "F", triggers = {{"B", "B", p = 0.1}}}))
    assert.matches("capability of A must be a number >= 0, got %-1",
      errmsg(s.evaluate, s, {actor = "F", capability = {A = -1}}))
    assert.matches("range {2, 1} has its lower bound above",
      errmsg(s.evaluate, s, {actor = "F", weights = {threat = {2, 1}}}))
    s:option("F", "strengthen nothing", {{"strengthen", "F", "D", "defence", by = 0.1}})
    assert.matches("no defence relation between F and D in force on 2024%-01%-01 %(use 'add'",
      errmsg(s.evaluate, s, {actor = "F"}))
  end)
end)

describe("options: the kernel binding", function()
  local core = entente.core

  -- The readers of setup and distribution tables use lua_getfield, which
  -- runs __index: Lua code in the middle of a binding call.
  it("takes seeds in [0, 2^64) only", function()
    assert.matches("seed", errmsg(entente.uniform(0, 1).sample, entente.uniform(0, 1), 3, -1))
    assert.matches("seed", errmsg(entente.uniform(0, 1).sample, entente.uniform(0, 1), 3, 2^64))
    assert.are.equal(3, #entente.uniform(0, 1):sample(3, 2^63))
    assert.matches("seed must be a whole number >= 0",
      errmsg(entente.scenario(small_world()).evaluate, entente.scenario(small_world()), {actor = "F", runs = 10, seed = 2^64}))
  end)

  it("notices a world grown by a metamethod while the setup is read", function()
    local w = small_world()
    local grown = false
    local setup = setmetatable({rel_param = 0}, {__index = function()
      if not grown then
        grown = true
        for i = 1, 50 do core.actor_add(w._c, "Q" .. i) end
      end
    end})
    assert.matches("the world changed while the setup was read",
      errmsg(core.optmodel_new, w._c, nil, nil, 0, setup))
  end)

  it("hands over the models it was given, read after every metamethod", function()
    local w = small_world()
    local m1 = core.optmodel_new(w._c, nil, nil, 0, {rel_param = 0})
    local m2 = core.optmodel_new(w._c, nil, nil, 0, {rel_param = 0})
    local models = {m1, m2}
    local dist = setmetatable({type = 0, a = 0.5}, {__index = function(_, k)
      if k == "lo" then models[2] = nil; getmetatable(m2).__gc(m2) end
    end})
    assert.matches("optmodel expected, got nil", errmsg(core.opt_new, models, {dist}, {}))
    -- the same model twice would be owned, and freed, twice
    assert.matches("option model 2 is option model 1 again",
      errmsg(core.opt_new, {m1, m1}, {{type = 0, a = 0.5}}, {}))
  end)
end)
