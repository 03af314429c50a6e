-- The world: actors, kinds, relations, events, dates, fork, handles, errors.
local entente = require "entente"

local function small()
  local w = entente.world {title = "t", date = "2024-01-01"}
  w:actor("USA", {name = "United States", cinc = 0.14, tags = {"nato", "democracy"}})
  w:actor("CHN", {name = "China", cinc = 0.2})
  w:actor("PRK", {name = "North Korea"})
  return w
end

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

describe("dates", function()
  it("accept YYYY-MM-DD and YYYY and normalise", function()
    assert.equal("2024-02-29", entente.date "2024-02-29")
    assert.equal("1961-01-01", entente.date "1961")
  end)

  it("match a day count known independently (1970-01-01 is day 0, 2000-03-01 is day 11017)", function()
    assert.equal(0, entente._date("1970-01-01"))
    assert.equal(11017, entente._date("2000-03-01"))
    assert.equal(-1, entente._date("1969-12-31"))
  end)

  it("round-trip every day over four centuries", function()
    local core = entente.core
    for d = entente._date("1800-01-01"), entente._date("2200-12-31"), 1 do
      assert(core.date_parse(core.date_format(d)) == d)
    end
  end)

  it("reject impossible and malformed dates naming the value", function()
    for _, bad in ipairs {"2024-13-01", "2023-02-29", "1900-02-29", "2024-00-10", "2024-04-31", "24-01-01",
                          "2024/01/01", "2024-1-1", "", "0000", "abcd"} do
      assert.matches("bad date '" .. bad:gsub("%p", "%%%0") .. "'", errmsg(entente.date, bad))
    end
    assert.matches("bad date", errmsg(entente.date, {}))
  end)
end)

describe("actors", function()
  it("are created with attributes and tags and found by code", function()
    local w = small()
    local usa = w:actor "USA"
    assert.equal("USA", usa.code)
    assert.equal("United States", usa.name)
    assert.equal(0.14, usa.cinc)
    assert.same({"nato", "democracy"}, usa.tags)
    assert.is_true(usa:has_tag "nato")
    assert.is_nil(w:actor("PRK").cinc)
    assert.equal(3, #w:actors())
    assert.equal(1, #w:actors {tag = "nato"})
  end)

  it("are added in bulk, atomically", function()
    local w = small()
    assert.equal(3, w:add_actors({"JPN", "ROK", "RUS"}, {"Japan", "South Korea", "Russia"}))
    assert.equal("South Korea", w:actor("ROK").name)
    assert.matches("row 2: actor 'ROK' already exists", errmsg(w.add_actors, w, {"UKR", "ROK"}))
    assert.matches("row 1: bad actor code 'a b'", errmsg(w.add_actors, w, {"a b"}))
    assert.is_false(w:has "UKR")
    assert.equal(6, #w:actors())
  end)

  it("return the same handle for the same actor", function()
    local w = small()
    assert.is_true(rawequal(w:actor "USA", w:actor "USA"))
  end)

  it("are updated by a second call and by assignment", function()
    local w = small()
    w:actor("USA", {milex = 916})
    local usa = w:actor "USA"
    usa.gdp = 27.4
    assert.equal(916, usa.milex)
    assert.equal(27.4, usa:attr "gdp")
    assert.same({cinc = 0.14, milex = 916, gdp = 27.4}, usa:attrs())
    usa.name = "USA (federal)"
    assert.equal("USA (federal)", usa.name)
    usa:untag "nato"
    assert.same({"democracy"}, usa.tags)
  end)

  it("reject bad codes and attributes naming the value", function()
    local w = small()
    assert.matches("bad actor code 'TOO LONG CODE WITH SPACES'", errmsg(w.actor, w, "TOO LONG CODE WITH SPACES", {}))
    assert.matches("bad actor code ''", errmsg(w.actor, w, "", {}))
    assert.matches("attribute 'gdp' must be a number, got string", errmsg(w.actor, w, "USA", {gdp = "big"}))
    assert.matches("unknown actor 'XYZ'", errmsg(w.actor, w, "XYZ"))
    assert.matches("did you mean 'USA'", errmsg(w.actor, w, "USB"))
    assert.matches("actor code expected, got number", errmsg(w.actor, w, 42))
  end)

  it("removal ends its relations and makes handles fail clearly", function()
    local w = small()
    local r = w:relate("USA", "CHN", "rivalry")
    w:event {date = "2024-01-02", from = "CHN", to = "USA", cameo = "111"}
    local chn = w:actor "CHN"
    w:remove_actor "CHN"
    assert.is_false(chn.alive)
    assert.is_false(r.alive)
    assert.equal(0, #w:events())
    assert.matches("actor 'CHN' was removed", errmsg(function() return chn.name end))
    assert.matches("relation %d+ was removed", errmsg(function() return r.kind end))
    assert.matches("unknown actor 'CHN'", errmsg(w.relate, w, "USA", "CHN", "trade"))
    assert.matches("was removed", errmsg(w.relate, w, "USA", chn, "trade"))
    -- the code can be used again by a new actor
    local chn2 = w:actor("CHN", {})
    assert.is_true(chn2.alive)
    assert.are_not.equal(chn.id, chn2.id)
  end)
end)

describe("relation kinds", function()
  it("include the built-ins with their sign and obligation", function()
    local w = small()
    local names = {}
    for _, k in ipairs(w:kinds()) do names[#names + 1] = k.name end
    assert.same({"defence", "offence", "neutrality", "nonaggression", "consultation", "strategic_partnership",
      "partnership", "trade", "rivalry", "dispute", "sanction", "war"}, names)
    local d = w:kind "defence"
    assert.same({1, "defence", 3, true, false}, {d.sign, d.obligation, d.level, d.defensive, d.directed})
    assert.equal(-1, w:kind("war").sign)
    assert.is_true(w:kind("sanction").directed)
    assert.equal("consultation", w:kind("entente").name)
    assert.equal("defence", w:kind("alliance").name)
  end)

  it("can be registered by users and are per world", function()
    local w = small()
    local k = w:define_kind("arms_sale", {sign = 1, strength = 0.4, directed = true})
    assert.equal("arms_sale", k.name)
    assert.is_true(k.directed)
    local r = w:relate("USA", "PRK", "arms_sale")
    assert.equal(0.4, r.strength)
    assert.matches("unknown kind 'arms_sale'", errmsg(small().kind, small(), "arms_sale"))
    assert.matches("already exists", errmsg(w.define_kind, w, "war", {}))
    assert.matches("sign 2 must be 1, %-1 or 0", errmsg(w.define_kind, w, "x", {sign = 2}))
    assert.matches("unknown obligation 'defense'.*did you mean 'defence'",
      errmsg(w.define_kind, w, "x", {obligation = "defense"}))
    assert.matches("bad kind name 'Bad Name'", errmsg(w.define_kind, w, "Bad Name", {}))
  end)

  it("suggest the closest known kind", function()
    local w = small()
    assert.matches("unknown kind 'aliance' %(did you mean 'defence'%?%)", errmsg(w.relate, w, "USA", "CHN", "aliance"))
    assert.matches("did you mean 'rivalry'", errmsg(w.relate, w, "USA", "CHN", "rivaly"))
    assert.matches("did you mean 'sanction'", errmsg(w.kind, w, "sanctoin"))
  end)
end)

describe("relations", function()
  it("carry kind, strength, validity and source", function()
    local w = small()
    local r = w:relate("CHN", "PRK", "defence", {since = "1961-09-10", source = "1961 treaty, Art. II"})
    assert.equal("defence", r.kind)
    assert.equal(1, r.strength)
    assert.equal("1961-09-10", r.since)
    assert.is_nil(r.ends)
    assert.equal("1961 treaty, Art. II", r.source)
    assert.equal("CHN", r.a.code)
    assert.equal("PRK", r.b.code)
    assert.same({id = r.id, a = "CHN", b = "PRK", kind = "defence", strength = 1, since = "1961-09-10",
      source = "1961 treaty, Art. II"}, r:info())
    assert.equal('CHN -- PRK: defence 1 since 1961-09-10 "1961 treaty, Art. II"', tostring(r))
  end)

  it("hold on [since, ends) only", function()
    local w = small()
    local r = w:relate("USA", "CHN", "trade", {since = "2000-01-01", ends = "2010-01-01"})
    assert.is_false(r:active "1999-12-31")
    assert.is_true(r:active "2000-01-01")
    assert.is_true(r:active "2009-12-31")
    assert.is_false(r:active "2010-01-01")
    assert.equal(1, #w:relations {date = "2005"})
    assert.equal(0, #w:relations {date = "2010"})
    r:finish "2005-06-01"
    assert.equal("2005-06-01", r.ends)
    assert.equal(0, #w:relations {date = "2005-06-01"})
  end)

  it("allow several per dyad and are queried by actor, dyad, kind and date", function()
    local w = small()
    w:relate("CHN", "PRK", "defence", {since = "1961"})
    w:relate("CHN", "PRK", "trade")
    w:relate("USA", "CHN", "rivalry")
    w:relate("USA", "PRK", "sanction", {since = "2006", ends = "2030"})
    assert.equal(4, #w:relations())
    assert.equal(3, #w:relations {actor = "CHN"})
    assert.equal(2, #w:dyad("PRK", "CHN"))
    assert.equal(1, #w:relations {kind = "rivalry"})
    assert.equal(2, #w:relations {actor = "PRK", date = "2000"})
    assert.equal(3, #w:relations {actor = "PRK", date = "2024"})
    assert.equal(2, #w:relations {sign = -1})
    assert.equal(1, #w:relations {obligation = "defence"})
    local n = 0
    for r in w:each_relation {actor = "USA"} do n = n + 1; assert.is_true(r.a.code == "USA" or r.b.code == "USA") end
    assert.equal(2, n)
    assert.same({defence = {"PRK"}, rivalry = {"USA"}, trade = {"PRK"}}, w:ties("CHN", {date = "2024"}))
  end)

  it("are added in bulk with the same checks, atomically", function()
    local w = small()
    local first, last = w:relate_many {a = {"USA", "CHN", "USA"}, b = {"CHN", "PRK", "PRK"},
      kind = {"rivalry", "defence", "sanction"}, strength = 0.5, since = {"2000", "1961-09-10", "2006-10-14"},
      source = "bulk"}
    assert.equal(2, last - first)
    assert.equal(3, w:count_relations())
    assert.equal(1, w:count_relations {date = "1999"})
    assert.equal("1961-09-10", w:relation(first + 1).since)
    assert.equal(0.5, w:relation(last).strength)
    assert.matches("row 2: strength 1.5 out of range", errmsg(w.relate_many, w,
      {a = {"USA", "USA"}, b = {"CHN", "PRK"}, kind = "trade", strength = {0.5, 1.5}}))
    assert.matches("unknown actor 'XXX'", errmsg(w.relate_many, w, {a = {"USA", "XXX"}, b = {"CHN", "PRK"}, kind = "trade"}))
    assert.matches("bad date '2024%-13%-01'", errmsg(w.relate_many, w,
      {a = {"USA"}, b = {"CHN"}, kind = "trade", since = "2024-13-01"}))
    assert.matches("column strength has 1 rows, expected 2", errmsg(w.relate_many, w,
      {a = {"USA", "USA"}, b = {"CHN", "PRK"}, kind = "trade", strength = {0.5}}))
    assert.equal(3, w:count_relations())
  end)

  it("are added in bulk across many chunks, and a bad row far in keeps nothing", function()
    local w = small()
    local A, B, S = {}, {}, {}
    for i = 1, 1000 do A[i] = i % 2 == 0 and "USA" or "CHN"; B[i] = "PRK"; S[i] = i / 1000 end
    local first, last = w:relate_many {a = A, b = B, kind = "trade", strength = S, source = "bulk"}
    assert.equal(999, last - first)
    assert.equal(500, w:count_relations {actor = "USA"})
    assert.equal(0.7, w:relation(first + 699).strength)
    S[777] = 2
    assert.matches("row 777: strength 2 out of range", errmsg(w.relate_many, w,
      {a = A, b = B, kind = "trade", strength = S}))
    B[999] = "XXX"
    S[777] = 0.5
    assert.matches("row 999: .*unknown actor 'XXX'", errmsg(w.relate_many, w,
      {a = A, b = B, kind = "trade", strength = S}))
    assert.equal(1000, w:count_relations())
  end)

  it("are counted without building handles, with the same filters", function()
    local w = entente.load "russia_dprk_2024"
    for _, q in ipairs {{}, {date = "2024-06-18"}, {actor = "CHN"}, {actor = "PRK", other = "RUS", date = "2024-12-05"},
                        {kind = "trade"}, {date = true}} do
      assert.equal(#w:relations(q), w:count_relations(q))
    end
  end)

  it("keep the adjacency index consistent through removals", function()
    local w = small()
    local rs = {}
    for i = 1, 30 do rs[i] = w:relate(i % 2 == 0 and "USA" or "CHN", "PRK", "trade", {strength = i / 30}) end
    for i = 1, 30, 3 do rs[i]:remove() end
    rs[2]:remove()
    local by_actor = #w:relations {actor = "PRK"}
    local all = #w:relations()
    assert.equal(all, by_actor)
    assert.equal(30 - 11, all)
    local usa = 0
    for _, r in ipairs(w:relations()) do if r.a.code == "USA" then usa = usa + 1 end end
    assert.equal(usa, #w:relations {actor = "USA"})
    assert.equal(usa, #w:dyad("USA", "PRK"))
    assert.matches("was removed", errmsg(rs[1].remove, rs[1]))
  end)

  it("reject bad input naming the value", function()
    local w = small()
    assert.matches("strength 1.5 out of range", errmsg(w.relate, w, "USA", "CHN", "trade", {strength = 1.5}))
    assert.matches("strength 0 out of range", errmsg(w.relate, w, "USA", "CHN", "trade", {strength = 0}))
    assert.matches("bad date '2024%-13%-01'", errmsg(w.relate, w, "USA", "CHN", "trade", {since = "2024-13-01"}))
    assert.matches("since 2024%-01%-01 is not before ends 2023%-01%-01",
      errmsg(w.relate, w, "USA", "CHN", "trade", {since = "2024", ends = "2023"}))
    assert.matches("with itself", errmsg(w.relate, w, "USA", "USA", "trade"))
    assert.matches("unknown option 'strenght' %(did you mean 'strength'%?%)",
      errmsg(w.relate, w, "USA", "CHN", "trade", {strenght = 1}))
    assert.matches("source must be a string", errmsg(w.relate, w, "USA", "CHN", "trade", {source = 3}))
    local r = w:relate("USA", "CHN", "trade", {since = "2020"})
    assert.matches("end date 2019%-01%-01 is not after since", errmsg(r.finish, r, "2019"))
    assert.matches("strength 2 out of range", errmsg(r.set_strength, r, 2))
    assert.matches("read%-only", errmsg(function() r.kind = "war" end))
  end)
end)

describe("events", function()
  it("take their Goldstein weight from the CAMEO table", function()
    local w = small()
    local e = w:event {date = "2023-08-18", from = "CHN", to = "USA", cameo = "111", text = "denounce"}
    assert.equal(-2.0, e.goldstein)
    local e2 = w:event("2017-09-03", "PRK", nil, "150", "nuclear test")
    assert.equal(-7.2, e2.goldstein)
    assert.is_nil(e2.to)
    assert.equal(8.0, w:event {date = "2024", from = "USA", to = "CHN", cameo = 57}.goldstein)
    assert.equal(2, #w:events {actor = "CHN"})
    assert.equal(1, #w:events {from = "2020", to = "2023-12-31", actor = "CHN"})
    assert.equal("2017-09-03 PRK [CAMEO 150] -7.2: nuclear test", tostring(e2))
  end)

  it("match the shipped table (entente.goldstein) for the codes the fact table cites", function()
    -- values copied from the fact table's section 4 (independent of the TSV)
    local expected = {["010"] = 0.0, ["011"] = -0.1, ["042"] = 1.9, ["043"] = 2.8, ["051"] = 3.4,
      ["057"] = 8.0, ["0312"] = 5.2, ["064"] = 7.0, ["072"] = 8.3, ["111"] = -2.0, ["112"] = -2.0,
      ["129"] = -5.0, ["138"] = -7.0, ["150"] = -7.2, ["160"] = -4.0, ["163"] = -8.0, ["190"] = -10.0,
      ["192"] = -9.5}
    for code, v in pairs(expected) do assert.equal(v, entente.goldstein(code), code) end
  end)

  it("reject bad input naming the value", function()
    local w = small()
    assert.matches("unknown CAMEO code '999'", errmsg(w.event, w, {date = "2024", from = "USA", cameo = "999"}))
    assert.matches("bad CAMEO code 'x1'", errmsg(w.event, w, {date = "2024", from = "USA", cameo = "x1"}))
    assert.matches("bad date '2024%-02%-30'", errmsg(w.event, w, {date = "2024-02-30", from = "USA", cameo = "010"}))
    assert.matches("needs a date", errmsg(w.event, w, {from = "USA", cameo = "010"}))
    assert.matches("Goldstein weight 11 out of range", errmsg(w.event, w, {date = "2024", from = "USA", goldstein = 11}))
    assert.matches("unknown actor 'XX'", errmsg(w.event, w, {date = "2024", from = "XX", cameo = "010"}))
    assert.matches("ends 2023%-01%-01 before it starts", errmsg(w.event, w,
      {date = "2024", ends = "2023", from = "USA", cameo = "010"}))
  end)
end)

describe("world", function()
  it("has a settable date that validates", function()
    local w = small()
    assert.equal("2024-01-01", w.date)
    w.date = "2024-12-05"
    assert.equal("2024-12-05", w.date)
    assert.matches("bad date '2024%-12%-32'", errmsg(function() w.date = "2024-12-32" end))
    assert.equal("2024-12-05", w.date)
  end)

  it("forks into an independent copy", function()
    local w = small()
    local r = w:relate("CHN", "PRK", "defence")
    w:event {date = "2024", from = "USA", cameo = "010"}
    local f = w:fork()
    f:relate("USA", "CHN", "war")
    f:actor("RUS", {name = "Russia"})
    f:actor("USA").cinc = 0.5
    f:relation(r.id):set_strength(0.2)
    f.date = "1999"
    f:event {date = "2025", from = "USA", cameo = "010"}
    assert.equal(1, #w:relations())
    assert.equal(2, #f:relations())
    assert.is_false(w:has "RUS")
    assert.equal(0.14, w:actor("USA").cinc)
    assert.equal(1, r.strength)
    assert.equal("2024-01-01", w.date)
    assert.equal(1, #w:events())
    assert.equal(2, #f:events())
    -- a handle of the original resolves by code in the fork
    assert.equal(1, #f:dyad(w:actor "CHN", "PRK"))
  end)

  it("keeps handles valid after the world variable is dropped", function()
    local r = small():relate("USA", "CHN", "trade")
    collectgarbage(); collectgarbage()
    assert.equal("trade", r.kind)
    assert.equal("USA", r.a.code)
  end)

  it("is built from plain tables with errors located by list and index", function()
    local w = entente.world {
      date = "2024", kinds = {pact = {sign = 1, obligation = "defence"}},
      actors = {{code = "A"}, {"B", name = "Bee"}},
      relations = {{"A", "B", "pact", since = "2020"}},
      events = {{date = "2021", from = "A", to = "B", cameo = "057"}},
    }
    assert.equal("Bee", w:actor("B").name)
    assert.equal("pact", w:relations()[1].kind)
    assert.matches("relations%[2%]: .*unknown actor 'C'", errmsg(entente.world,
      {actors = {{code = "A"}, {code = "B"}}, relations = {{"A", "B", "trade"}, {"A", "C", "trade"}}}))
    assert.matches("unknown option 'actor'", errmsg(entente.world, {actor = {}}))
  end)

  it("prints every object readably", function()
    local w = small()
    assert.equal("world 't' as of 2024-01-01: 3 actors, 0 relations (0 in force), 0 events", tostring(w))
    assert.equal("actor USA (United States) [nato, democracy]", tostring(w:actor "USA"))
    assert.matches("^CHN %-%- PRK: defence 1$", tostring(w:relate("CHN", "PRK", "defence")))
    assert.matches("^USA %-> PRK: sanction", tostring(w:relate("USA", "PRK", "sanction")))
  end)
end)

describe("the flagship scenario", function()
  local w = entente.load "russia_dprk_2024"

  it("loads with its actors, relations and events", function()
    assert.equal("2024-12-05", w.date)
    for _, c in ipairs {"USA", "RUS", "CHN", "PRK", "ROK", "JPN", "UKR"} do assert.is_true(w:has(c), c) end
    assert.is_true(#w:relations() >= 25)
    assert.is_true(#w:events() >= 37)
    for _, r in ipairs(w:relations()) do assert.is_true(#r.source > 0, tostring(r)) end
  end)

  it("has the Russia-DPRK defence treaty only from its entry into force (2024-12-04)", function()
    assert.equal(0, #w:relations {actor = "RUS", other = "PRK", kind = "defence", date = "2024-06-18"})
    assert.equal(1, #w:relations {actor = "RUS", other = "PRK", kind = "defence", date = "2024-12-05"})
    local ch = w:changes("2024-06-18", "2024-12-05")
    local started = {}
    for _, r in ipairs(ch.started) do started[#started + 1] = r.kind end
    assert.is_true(#ch.started >= 1 and #ch.ended >= 1)
    assert.matches("defence", table.concat(started, " "))
  end)

  it("binds China to the DPRK by the 1961 treaty (Art. II)", function()
    local obl = w:obligations {date = "2024-12-05"}
    local found
    for _, o in ipairs(obl) do if o.from == "CHN" and o.to == "PRK" then found = o end end
    assert.truthy(found)
    assert.matches("1961", found.relation.source)
    assert.matches("Art%. II", found.relation.source)
  end)

  it("is found by name, and unknown names are suggested", function()
    assert.matches("unknown scenario 'russia_dprk_2042'.*did you mean 'russia_dprk_2024'",
      errmsg(entente.load, "russia_dprk_2042"))
    local none, err = entente.load "/nonexistent/file.lua"
    assert.is_nil(none)
    assert.matches("nonexistent", err)
  end)

  it("loads the same world from its .ent form", function()
    local e = assert(entente.load "examples/russia_dprk_pact.ent")
    assert.equal(#w:actors(), #e:actors())
    assert.equal(w:count_relations(), e:count_relations())
    assert.equal(#w:events(), #e:events())
    assert.equal(w:summary(), e:summary())
  end)

  it("data files cannot call functions", function()
    local path = os.tmpname()
    local f = io.open(path, "w")
    f:write('return { title = os.execute("echo pwned") }')
    f:close()
    local w2, err = entente.load(path)
    os.remove(path)
    assert.is_nil(w2)
    assert.matches("attempt to index", err)
  end)

  it("data files cannot loop forever, and the budget does not outlive the load", function()
    local path = os.tmpname()
    local f = io.open(path, "w")
    f:write("local t = {} while true do t[1] = 1 end return t")
    f:close()
    local w2, err = entente.load(path)
    os.remove(path)
    assert.is_nil(w2)
    assert.matches("runs too long", err)
    local x = 0
    for i = 1, 6e6 do x = x + i end -- more instructions than the budget
    assert.equal(18000003000000, x)
  end)

  it("summary names the defence obligations", function()
    local s = w:summary {date = "2024-12-05"}
    assert.matches("RUS %-> PRK", s)
    assert.matches("CHN %-> PRK", s)
    assert.is_nil(w:summary({date = "2024-06-18"}):match("RUS %-> PRK"))
  end)
end)
