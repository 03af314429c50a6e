-- spec/ent_spec.lua: the .ent scenario format (docs/scenario-format.md).
local entente = require "entente"
local ent = require "entente.ent"
local json = require "entente.json"

local function parse(text, opts) return ent.parse(text, "t.ent", opts) end

-- lo..hi as the parser gives it: a uniform distribution
local function U(lo, hi) return setmetatable({"uniform", lo, hi}, ent.Tagged) end

-- parse that must succeed
local function ok(text, opts)
  local w, spec, errs = parse(text, opts)
  if not w then error("expected success, got:\n" .. tostring(spec), 2) end
  return w, spec, errs
end

-- parse that must fail; returns the message (and the error list)
local function bad_list(text, opts)
  local w, msg, errs = parse(text, opts)
  if w then error("expected an error for:\n" .. text, 2) end
  assert.is_string(msg)
  return msg, errs
end
local function bad(text, opts) return (bad_list(text, opts)) end

local function tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(os.execute("mkdir -p '" .. d .. "/sub/deeper'"))
  return d
end

local function writefile(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local t = f:read("*a")
  f:close()
  return t
end

local function rmrf(d) os.execute("rm -rf '" .. d .. "'") end

local ACTORS = 'actor RUS "Russia"\nactor PRK "North Korea"\nactor CHN "China"\n'

describe("the .ent format", function()
  describe("header statements", function()
    it("reads title, date, description and sources", function()
      local w = ok('title "A \\"quoted\\" title"\ndate 2024-12-05\ndescription "one"\nsources "facts.md"\n')
      assert.are.equal('A "quoted" title', w.title)
      assert.are.equal("2024-12-05", w.date)
      assert.are.equal("one", w.description)
      assert.are.equal("facts.md", w.sources)
    end)

    it("takes a year alone as the first of January", function()
      assert.are.equal("1961-01-01", ok("date 1961\n").date)
    end)

    it("accepts a list of sources", function()
      local w = ok('sources ["a.md", b]\n')
      assert.are.same({"a.md", "b"}, w.sources)
    end)

    it("joins adjacent strings and continues a line after a backslash", function()
      local w = ok('description "first, " \\\n   "second" "third"\n')
      assert.are.equal("first, secondthird", w.description)
    end)

    it("decodes the escapes \\n \\t \\r \\\\ \\\" \\xHH and \\u{...}", function()
      local w = ok('title "a\\nb\\tc\\rd\\\\e\\"f\\x41\\u{e9}\\u{1F600}"\n')
      assert.are.equal('a\nb\tc\rd\\e"fA\195\169\240\159\152\128', w.title)
    end)

    it("rejects a title given twice, naming the first", function()
      local msg = bad('title "a"\ntitle "b"\n')
      assert.matches("t.ent:2:1: title given twice %(first at t.ent:1%)", msg)
    end)

    it("rejects an impossible date with its position", function()
      local msg = bad("date 2023-02-29\n")
      assert.matches("t.ent:1:6: bad date '2023%-02%-29'", msg)
    end)
  end)

  describe("lexical rules", function()
    it("skips comments, blank lines, CRLF line ends and a UTF-8 byte-order mark", function()
      local w = ok('\239\187\191# a comment\r\n\r\ntitle "x"   # trailing comment\r\n   \r\n# end')
      assert.are.equal("x", w.title)
    end)

    it("keeps UTF-8 names, tags and texts as written", function()
      local w = ok('actors {\n  code name tags\n  CIV "Côte d\'Ivoire" [Afrique, "대한민국", Ελλάδα]\n}\n' ..
        '2024-01-01 CIV 010 "Déclaration: 평화"\n')
      local a = w:actor("CIV")
      assert.are.equal("Côte d'Ivoire", a.name)
      assert.are.same({"Afrique", "대한민국", "Ελλάδα"}, a.tags)
      assert.are.equal("Déclaration: 평화", w:events()[1].text)
    end)

    it("rejects a file that is not UTF-8", function()
      local msg = bad('title "caf\233"\n')
      assert.matches("t.ent:1:11: invalid UTF%-8 %(byte 0xE9%)", msg)
    end)

    it("counts columns in characters, not bytes", function()
      local msg = bad('title "é" oops\n')
      assert.matches("t.ent:1:11: syntax error", msg)
    end)
  end)

  describe("kinds", function()
    it("defines a kind with every property", function()
      local w = ok("kind military_aid {sign +1, obligation none, strength 0.6, directed true}\n" ..
        "kind pact {sign 1, obligation defence, strength 0.9, defensive true}\n")
      local k = w:kind("military_aid")
      assert.are.same({1, "none", 0.6, true, false}, {k.sign, k.obligation, k.strength, k.directed, k.defensive})
      local p = w:kind("pact")
      assert.are.same({"defence", 0.9, false, true}, {p.obligation, p.strength, p.directed, p.defensive})
    end)

    it("reports every bad property, naming it", function()
      local msg, errs = bad_list("kind x {sign 2, obligation defense, strength 1.5, directd true, directed yes}\n")
      assert.are.equal(5, #errs)
      assert.matches("sign 2: expected %+1, %-1 or 0", msg)
      assert.matches("unknown obligation 'defense' %(did you mean 'defence'%?%)", msg)
      assert.matches("strength 1.5 out of range: expected a number in %(0, 1%]", msg)
      assert.matches("unknown kind property 'directd' %(did you mean 'directed'%?%)", msg)
      assert.matches("directed must be true or false, found yes", msg)
    end)

    it("rejects a kind name the core refuses, and a kind defined twice", function()
      assert.matches("bad kind name 'Big'", bad("kind Big {sign 1}\n"))
      assert.matches("t.ent:2:6: kind 'trade' already exists", bad("kind x {sign 1}\nkind trade {sign 1}\n"))
    end)

    it("rejects a duplicate key in a map", function()
      assert.matches("t.ent:1:17: duplicate key 'sign'", bad("kind x {sign 1, sign -1}\n"))
    end)
  end)

  describe("actors", function()
    it("declares an actor with a name, attributes and tags", function()
      local w = ok('actor USA "United States" {gdp 2.7e13, polity2 -7, nuclear true, tags [a, "b c"]}\n')
      local a = w:actor("USA")
      assert.are.same({"United States", 2.7e13, -7, 1}, {a.name, a.gdp, a.polity2, a.nuclear})
      assert.are.same({"a", "b c"}, a.tags)
    end)

    it("uses the code as the name when none is given, and updates on a second statement", function()
      local w = ok("actor USA\nactor USA {gdp 3}\nactor USA Amerika\n")
      assert.are.equal("Amerika", w:actor("USA").name)
      assert.are.equal(3, w:actor("USA").gdp)
    end)

    it("reads an actors table, with - for a value left unset", function()
      local w = ok([[
actors {
  code  name            ccode  gdp_usd  tags
  USA   "United States" 2      2.7e13   [nuclear-armed, "liberal democracy"]
  PRK   "North Korea"   731    -        -
}
]])
      assert.are.equal(2, #w:actors())
      assert.are.same({2, 2.7e13}, {w:actor("USA").ccode, w:actor("USA").gdp_usd})
      assert.is_nil(w:actor("PRK").gdp_usd)
      assert.are.same({}, w:actor("PRK").tags)
      assert.are.same({"nuclear-armed", "liberal democracy"}, w:actor("USA").tags)
    end)

    it("checks the table: header, cell counts and cell types", function()
      local msg, errs = bad_list([[
actors {
  code name gdp
  USA "United States"
  RUS Russia big
  CHN China 3 4
}
]])
      assert.are.equal(3, #errs)
      assert.matches("t.ent:3:3: row has 2 cells but the header has 3 columns", msg)
      assert.matches("t.ent:4:14: attribute 'gdp': expected a number or %-, found big", msg)
      assert.matches("t.ent:5:3: row has 4 cells", msg)
      assert.matches("first column of an actors table must be 'code', found 'name'",
        bad("actors {\n  name code\n  x Y\n}\n"))
      assert.matches("column 'gdp' appears twice", bad("actors {\n  code gdp gdp\n  X 1 2\n}\n"))
    end)

    it("rejects a code the core refuses", function()
      assert.matches("t.ent:1:7: bad actor code 'ABCDEFGHIJKLMNOP'", bad("actor ABCDEFGHIJKLMNOP\n"))
      assert.matches("bad actor code 'Россия'", bad("actor Россия\n"))
    end)

    it("rejects non-numeric attributes and bad tags", function()
      assert.matches("attribute 'gdp' must be a number", bad('actor X {gdp "high"}\n'))
      assert.matches("tags must be a list", bad('actor X {tags a}\n'))
    end)
  end)

  describe("relations", function()
    it("reads the compact notation with every kind of period", function()
      local w = ok(ACTORS .. [[
RUS -- PRK : defence since 2024-06-19 "Treaty on Comprehensive Strategic Partnership, Art. 4"
RUS -- PRK : consultation 0.5 2000-02-09 to 2024-12-04 "2000 treaty"
CHN -- PRK : defence 1.0 since 1961-09-10 until 2061-09-10
CHN -- RUS : trade until 2030
CHN -- RUS : trade 0.34
]])
      local r = w:relations()
      assert.are.equal(5, #r)
      local i1, i2, i3, i4, i5 = r[1]:info(), r[2]:info(), r[3]:info(), r[4]:info(), r[5]:info()
      assert.are.same({"RUS", "PRK", "defence", 1, "2024-06-19"}, {i1.a, i1.b, i1.kind, i1.strength, i1.since})
      assert.is_nil(i1.ends)
      assert.are.equal("Treaty on Comprehensive Strategic Partnership, Art. 4", i1.source)
      assert.are.same({0.5, "2000-02-09", "2024-12-04"}, {i2.strength, i2.since, i2.ends})
      assert.are.same({"1961-09-10", "2061-09-10"}, {i3.since, i3.ends})
      assert.are.same({nil, "2030-01-01"}, {i4.since, i4.ends})
      -- no strength: the kind's default (0.3 for trade, csrc/world.c)
      assert.are.equal(0.3, i4.strength)
      assert.are.equal(0.34, i5.strength)
      assert.are.equal("", i5.source)
    end)

    it("accepts the spelling without spaces and the kind aliases", function()
      local w = ok(ACTORS .. "RUS--PRK: alliance\nCHN->RUS : sanctions\n")
      assert.are.equal("defence", w:relations()[1].kind)
      assert.are.equal("sanction", w:relations()[2].kind)
    end)

    it("accepts quoted actor codes", function()
      local w = ok('actor "-X-"\nactor "1A"\n"-X-" -- "1A" : trade\n')
      assert.are.equal("-X-", w:relations()[1]:info().a)
    end)

    it("lets relations come before the actors they name", function()
      local w = ok("RUS -- PRK : defence\n" .. ACTORS)
      assert.are.equal(1, w:count_relations())
    end)

    it("wants -> for a directed kind and -- for a symmetric one", function()
      local msg = bad(ACTORS .. "RUS -- PRK : sanction\nRUS -> PRK : trade\n")
      assert.matches("t.ent:4:1: kind 'sanction' is directed: write RUS %-> PRK", msg)
      assert.matches("t.ent:5:1: kind 'trade' is symmetric: write RUS %-%- PRK", msg)
    end)

    it("reports unknown actors and kinds with suggestions and carets", function()
      local msg, errs = bad_list(ACTORS .. "RUS -- PKR : defence\nRUS -- PRK : defense_pact\n")
      assert.are.equal(2, #errs)
      assert.matches("t.ent:4:8: unknown actor 'PKR' %(did you mean 'PRK'%?%)", msg)
      assert.matches("\n  RUS %-%- PKR : defence\n         %^~~\n", msg)
      assert.matches("t.ent:5:14: unknown kind 'defense_pact' %(did you mean 'defence'%?%)", msg)
    end)

    it("checks strength, dates and the two parties", function()
      local msg, errs = bad_list(ACTORS .. [[
RUS -- PRK : trade 1.5
RUS -- PRK : trade 0
RUS -- PRK : trade 2024-01-01 to 2023-01-01
RUS -- RUS : trade
RUS -- PRK : trade since 2024-02-30
]])
      assert.are.equal(5, #errs)
      assert.matches("t.ent:4:20: strength 1.5 out of range: expected a number in %(0, 1%]", msg)
      assert.matches("t.ent:5:20: strength 0 out of range", msg)
      assert.matches("t.ent:6:34: the relation ends %(2023%-01%-01%) before it starts %(2024%-01%-01%)", msg)
      assert.matches("t.ent:7:8: relation of actor 'RUS' with itself", msg)
      assert.matches("t.ent:8:26: bad date '2024%-02%-30'", msg)
    end)
  end)

  describe("events", function()
    it("reads date, actors, CAMEO code and text; the Goldstein weight comes from the CAMEO table", function()
      local w = ok(ACTORS .. [[
2006-10-14 RUS -> PRK 163 "UNSCR 1718"
2023-01-01..2023-12-31 PRK 150 "launches in 2023"
2024-03-01 CHN -> PRK goldstein 4.5 "a coded value"
2024-03-02 CHN -> PRK 0312 goldstein -1 "override"
2024-03-03 CHN 010
]])
      local e = w:events()
      assert.are.equal(5, #e)
      -- CAMEO 163 "impose embargo" is -8.0 in the GDELT table (context/scenario-facts.md, section 4)
      assert.are.same({"2006-10-14", "RUS", "PRK", "163", -8, "UNSCR 1718"},
        {e[1].date, e[1].from, e[1].to, e[1].cameo, e[1].goldstein, e[1].text})
      assert.are.same({"2023-01-01", "2023-12-31", "PRK", -7.2}, {e[2].date, e[2].ends, e[2].from, e[2].goldstein})
      assert.is_nil(e[2].to)
      assert.are.same({4.5, nil}, {e[3].goldstein, e[3].cameo})
      assert.are.same({"0312", -1}, {e[4].cameo, e[4].goldstein})
      assert.are.same({0, ""}, {e[5].goldstein, e[5].text})
    end)

    it("checks codes, weights and dates", function()
      local msg, errs = bad_list(ACTORS .. [[
2024-01-01 RUS -> PRK 999 "x"
2024-01-01 RUS -> PRK goldstein 11
2024-02-01..2024-01-01 RUS 010
2024-01-01 RUS -> XXX 010
2024-01-01 RUS "no code"
]])
      assert.are.equal(5, #errs)
      assert.matches("t.ent:4:23: unknown CAMEO code '999'", msg)
      assert.matches("t.ent:5:33: Goldstein weight 11 out of range: expected a number in %[%-10, 10%]", msg)
      assert.matches("t.ent:6:13: the event ends %(2024%-01%-01%) before it starts %(2024%-02%-01%)", msg)
      assert.matches("t.ent:7:19: unknown actor 'XXX'", msg)
      assert.matches("t.ent:8:1: an event needs a CAMEO code or a goldstein weight", msg)
    end)
  end)

  describe("options, responses, evaluations, conflicts and comparisons", function()
    it("parses them into plain tables for the options engine", function()
      local _, spec = ok(ACTORS .. [[
actor JPN
actor ROK
option CHN "Distance from Moscow" {
  weaken CHN -- RUS : strategic_partnership factor 0.5
  add CHN -- JPN : partnership 0.3
  add CHN JPN partnership {strength 0.3}; end CHN -- RUS : trade
  strengthen CHN -- PRK by 0.1..0.2 {note "x"}
  note "free text" [1, 2] {a {b c}} 2024-01-01 true {}
}
option CHN "Empty" {}
respond balancing {actors [JPN], gain 0.2..0.4}
respond reciprocity {actors [PRK], share triangular(0.3, 0.5, 0.9)}
respond wariness
evaluate CHN {
  criteria [security, entrapment, economy]
  weights  {security 0.5, entrapment 0.3, economy 0.2}
  params   {reliability 0.5..0.9}
  triggers [{attacker ROK, defender PRK, p uniform(0.01, 0.05)}]
  runs 2000, seed 7
}
conflict PRK -> RUS {reliability 0.8}
compare 2024-06-18 2024-12-05
]])
      assert.are.equal(2, #spec.options)
      local o = spec.options[1]
      assert.are.same({"CHN", "Distance from Moscow"}, {o.actor, o.name})
      assert.are.same({
        {"weaken", "CHN", "RUS", "strategic_partnership", factor = 0.5},
        {"add", "CHN", "JPN", "partnership", strength = 0.3},
        {"add", "CHN", "JPN", "partnership", strength = 0.3},
        {"end", "CHN", "RUS", "trade"},
        {"strengthen", "CHN", "PRK", by = U(0.1, 0.2), note = "x"},
        {"note", "free text", {1, 2}, {a = {b = "c"}}, "2024-01-01", true},
      }, o.changes)
      assert.are.same({}, spec.options[2].changes)
      assert.are.same({rule = "balancing", params = {actors = {"JPN"}, gain = U(0.2, 0.4)}}, spec.responses[1])
      assert.are.equal(ent.Tagged, getmetatable(spec.responses[1].params.gain))
      local share = spec.responses[2].params.share
      assert.are.equal(ent.Tagged, getmetatable(share))
      assert.are.same({"triangular", 0.3, 0.5, 0.9}, {share[1], share[2], share[3], share[4]})
      assert.are.same({rule = "wariness"}, spec.responses[3])
      local e = spec.evaluate[1]
      assert.are.same({"CHN", {"security", "entrapment", "economy"}, {security = 0.5, entrapment = 0.3, economy = 0.2},
        {reliability = U(0.5, 0.9)}, 2000, 7}, {e.actor, e.criteria, e.weights, e.params, e.runs, e.seed})
      local t = e.triggers[1]
      assert.are.same({"ROK", "PRK", "uniform", 0.01, 0.05}, {t.attacker, t.defender, t.p[1], t.p[2], t.p[3]})
      assert.are.same({{attacker = "PRK", target = "RUS", params = {reliability = 0.8}}}, spec.conflicts)
      assert.are.same({{"2024-06-18", "2024-12-05"}}, spec.compare)
    end)

    it("checks distributions: their names, how many numbers they take", function()
      local msg, errs = bad_list(ACTORS .. "respond r {a uniform(1), b triangle(1, 2, 3), c normal(0, x), d beta(1, 2, 3)}\n")
      assert.are.equal(4, #errs)
      assert.matches("t.ent:4:14: uniform takes 2 numbers, got 1", msg)
      assert.matches("t.ent:4:28: unknown distribution 'triangle': expected uniform%(lo, hi%), triangular", msg)
      assert.matches("t.ent:4:49: normal: argument 2 must be a number, got x", msg)
      assert.matches("t.ent:4:65: beta takes 2 or 4 numbers, got 3", msg)
    end)

    it("give the options engine its scenario, with the file and line of a change it refuses", function()
      if type(entente.scenario) ~= "function" then return pending("the options engine is not installed") end
      local w, spec = ok(ACTORS .. [[
option CHN "distance" {
  weaken CHN -- PRK : defence factor 0.5
  add CHN -- RUS : partnership 0.4
}
respond reciprocity {actors [PRK], share triangular(0.3, 0.5, 0.9)}
]])
      local s = assert(ent.scenario(w, spec))
      local c1, c2 = s.options[1].changes[1], s.options[1].changes[2]
      assert.are.same({"weaken", "CHN", "PRK", "defence", "factor", 0.5}, {c1.op, c1.a, c1.b, c1.kind, c1.mode, c1.value})
      assert.are.same({"add", "partnership", 0.4}, {c2.op, c2.kind, c2.value})
      local share = s.responses[1].params.share
      assert.are.equal(entente.Distribution, getmetatable(share))
      assert.are.same({"triangular", 0.3, 0.5, 0.9}, {share.kind, share.lo, share.c, share.hi})
      -- and written back from the engine's scenario, the same spec
      local again = ent.scenario_spec(s)
      assert.are.same({"weaken", "CHN", "PRK", "defence", factor = 0.5}, again.options[1].changes[1])
      local w2, spec2 = ok(ent.format(s))
      assert.is_nil(ent.diff(w, w2))
      assert.are.same(spec.options, spec2.options)
      -- a change the engine refuses
      local w3, spec3 = ok(ACTORS .. 'option CHN "x" {\n  frobnicate CHN -- PRK\n}\n')
      local s3, err = ent.scenario(w3, spec3)
      assert.is_nil(s3)
      assert.matches("^t.ent:4: option 'x': .*unknown operation 'frobnicate'", err)
    end)

    it("read a change's strength as a number, a range or a distribution", function()
      local _, spec = ok(ACTORS .. [[
option CHN "x" {
  add CHN -- RUS : defence triangular(0.3, 0.5, 0.8)
  add CHN -- PRK : partnership 0.2..0.6 {note "y"}
  add CHN -- PRK : trade 0.5; add CHN -- RUS : trade beta(2, 5)
}
]])
      local c = spec.options[1].changes
      assert.are.same({"add", "CHN", "RUS", "defence",
        strength = setmetatable({"triangular", 0.3, 0.5, 0.8}, ent.Tagged)}, c[1])
      assert.are.equal(ent.Tagged, getmetatable(c[1].strength))
      assert.are.same({"add", "CHN", "PRK", "partnership", strength = U(0.2, 0.6), note = "y"}, c[2])
      assert.are.same({"add", "CHN", "PRK", "trade", strength = 0.5}, c[3])
      assert.are.same({"beta", 2, 5}, {c[4].strength[1], c[4].strength[2], c[4].strength[3]})
      -- strengths outside [0, 1], ranges that run backwards, bad distributions
      local msg, errs = bad_list(ACTORS .. [[
option CHN "x" {
  add CHN -- RUS : defence 0.5..1.5
  add CHN -- RUS : defence 0.6..0.2
  add CHN -- RUS : defence normal(0.5, 0.1)
  add CHN -- RUS : defence triangle(0.1, 0.2, 0.3)
}
]])
      assert.matches("t.ent:5:28: strength 0.5..1.5 goes outside %[0, 1%]: expected strengths from 0 to 1", msg)
      assert.matches("t.ent:6:28: range 0.6..0.2 runs backwards", msg)
      assert.matches("t.ent:7:28: strength normal%(0.5, 0.1%) goes outside %[0, 1%]", msg)
      assert.matches("t.ent:8:28: unknown distribution 'triangle'", msg)
      assert.are.equal(4, #errs)
      assert.matches("t.ent:5:33: syntax error: expected the end of the range",
        bad(ACTORS .. 'option CHN "x" {\n  add CHN -- RUS : defence 0.5..\n}\n'))
    end)

    it("read a conditional response: respond NAME when A -> B [: KIND] rises|falls { changes }", function()
      local _, spec = ok(ACTORS .. [=[
kind military_aid {directed true}
respond "Russian sanctions" when CHN -> PRK : military_aid rises {
  add RUS -> CHN : sanction 0.2..0.5   # a comment
  # a comment line
  weaken RUS -- CHN : trade factor 0.9
}
respond cooling when CHN -- PRK falls {add PRK -- CHN : rivalry 0.3}
respond conditional {name "as a map", when [CHN, RUS, rises], apply [[add, PRK, CHN, rivalry, {strength 0.2}], [end, PRK, CHN]]}
]=])
      assert.are.same({
        {rule = "conditional", params = {name = "Russian sanctions", when = {"CHN", "PRK", "military_aid", "rises"},
          apply = {{"add", "RUS", "CHN", "sanction", strength = U(0.2, 0.5)},
            {"weaken", "RUS", "CHN", "trade", factor = 0.9}}}},
        {rule = "conditional", params = {name = "cooling", when = {"CHN", "PRK", "falls"},
          apply = {{"add", "PRK", "CHN", "rivalry", strength = 0.3}}}},
        {rule = "conditional", params = {name = "as a map", when = {"CHN", "RUS", "rises"},
          apply = {{"add", "PRK", "CHN", "rivalry", strength = 0.2}, {"end", "PRK", "CHN"}}}},
      }, spec.responses)
      -- the actors, the kind and its arrow, the direction are checked
      local msg, errs = bad_list(ACTORS .. [[
respond a when CHN -- PKR : trade rises {add RUS -> CHN : sanction}
respond b when CHN -> PRK : trade rises {add RUS -> CHN : sanction}
respond c when CHN -> PRK : sanction rises {add RUS -- CHN : sanction}
respond d when CHN -- PRK : trade grows {add RUS -> CHN : sanction}
respond e when CHN -- PRK : trade rises
respond f when CHN -- CHN rises {end CHN -- PRK}
]])
      assert.matches("t.ent:4:23: unknown actor 'PKR' %(did you mean 'PRK'%?%)", msg)
      assert.matches("t.ent:5:16: kind 'trade' is symmetric: write CHN %-%- PRK", msg)
      assert.matches("t.ent:6:49: kind 'sanction' is directed: write RUS %-> CHN", msg)
      assert.matches("t.ent:7:35: syntax error: expected 'rises' or 'falls', found 'grows'", msg)
      assert.matches("t.ent:8:40: syntax error: expected '{', found the end of the line", msg)
      assert.matches("t.ent:9:23: a change of actor 'CHN' with itself", msg)
      assert.are.equal(6, #errs)
    end)

    it("read capability cinc(YEAR), the COW CINC scores of a year, and check it", function()
      local _, spec = ok(ACTORS .. "evaluate CHN {capability cinc(2022)}\nevaluate RUS {capability milex_usd}\n" ..
        "evaluate PRK {capability {CHN 0.2, RUS 0.1}}\n")
      local cap = spec.evaluate[1].capability
      assert.are.same({"cinc", 2022}, {cap[1], cap[2]})
      assert.are.equal("milex_usd", spec.evaluate[2].capability)
      assert.are.same({CHN = 0.2, RUS = 0.1}, spec.evaluate[3].capability)
      local cinc = ent.materialize(cap)
      local want = assert(entente.cow.cinc(2022))
      assert.are.equal(want.CHN, cinc.CHN)
      assert.are.equal(want.USA, cinc.USA)
      assert.is_true(cinc.CHN > 0.2 and cinc.CHN < 0.3)
      assert.has_error(function() ent.materialize(setmetatable({"cinc", 1066}, ent.Tagged)) end)
      local msg, errs = bad_list(ACTORS .. [[
evaluate CHN {capability cinc(20.5)}
evaluate CHN {capability 5}
evaluate CHN {capability {CHN -1}}
evaluate CHN {weights {threat cinc(2022)}}
]])
      assert.matches("t.ent:4:15: capability cinc%(20.5%): expected cinc%(YEAR%) with a year from 1 to 9999", msg)
      assert.matches("t.ent:5:15: capability: expected an attribute name, cinc%(YEAR%)", msg)
      assert.matches("t.ent:6:27: capability of 'CHN' is %-1: expected a number >= 0", msg)
      assert.matches("t.ent:7:31: cinc%(YEAR%) is a value of the evaluation setting capability only", msg)
      assert.are.equal(4, #errs)
    end)

    it("evaluate as the same scenario written with the Lua API", function()
      if type(entente.scenario) ~= "function" then return pending("the options engine is not installed") end
      local w, spec = ok(ACTORS .. [[
date 2024-12-05
actor USA
kind military_aid {directed true}
CHN -- PRK : defence 1
CHN -- RUS : strategic_partnership 0.7
USA -- CHN : rivalry 0.5
option CHN "align" {
  add CHN -> RUS : military_aid 0.2..0.6
  add CHN -- RUS : defence triangular(0.3, 0.5, 0.8)
}
option CHN "distance" {
  weaken CHN -- PRK : defence factor 0.4..0.8
}
respond reciprocity {actors [RUS, PRK], share 0.3..0.9}
respond "US sanctions" when CHN -> RUS : military_aid rises {
  add USA -> CHN : sanction 0.2..0.5
}
evaluate CHN {
  weights {threat 0.5..1.5, trust 0.5..1.5}
  triggers [{attacker USA, defender PRK, p 0.01..0.05}]
  capability {USA 0.13, CHN 0.23, RUS 0.04, PRK 0.01}
  runs 3000, seed 5
}
]])
      local s = assert(ent.scenario(w, spec))
      local from_file = s:evaluate(ent.materialize(spec.evaluate[1]))
      local U_ = entente.uniform
      local ls = entente.scenario(w)
      ls:option("CHN", "align", {{"add", "CHN", "RUS", "military_aid", strength = U_(0.2, 0.6)},
        {"add", "CHN", "RUS", "defence", strength = entente.triangular(0.3, 0.5, 0.8)}})
      ls:option("CHN", "distance", {{"weaken", "CHN", "PRK", "defence", factor = U_(0.4, 0.8)}})
      ls:respond("reciprocity", {actors = {"RUS", "PRK"}, share = U_(0.3, 0.9)})
      ls:respond("conditional", {name = "US sanctions", when = {"CHN", "RUS", "military_aid", "rises"},
        apply = {{"add", "USA", "CHN", "sanction", strength = U_(0.2, 0.5)}}})
      local from_lua = ls:evaluate {actor = "CHN", runs = 3000, seed = 5,
        weights = {threat = U_(0.5, 1.5), trust = U_(0.5, 1.5)}, triggers = {{"USA", "PRK", p = U_(0.01, 0.05)}},
        capability = {USA = 0.13, CHN = 0.23, RUS = 0.04, PRK = 0.01}}
      assert.are.equal(from_lua:report(), from_file:report())
      assert.matches("US sanctions: strength of CHN%-RUS military_aid rises", from_file:report())
      -- and the engine's scenario writes back as the same spec
      local w2, spec2 = ok(ent.format(s))
      assert.is_nil(ent.diff(w, w2))
      local back = ent.scenario_spec(s)
      assert.are.equal(#spec.responses, #spec2.responses)
      assert.are.same(ent.to_data(w, back).responses, ent.to_data(w2, spec2).responses)
    end)

    it("checks the actors, relations and settings they name", function()
      local msg, errs = bad_list(ACTORS .. [[
option XYZ "a" {}
option CHN "b" {
  add CHN -- PRK : trade 2
}
option CHN "b" {}
evaluate CHN {runs 0, seed 1.5, sede 3, weights {a -1}, params {p 0.9..0.1}, criteria x}
conflict RUS -> RUS
compare 2024-01-01 2024-13-01
]])
      assert.matches("t.ent:4:8: unknown actor 'XYZ'", msg)
      assert.matches("t.ent:6:26: strength 2 out of range", msg)
      assert.matches("t.ent:8:12: option 'b' of CHN given twice", msg)
      assert.matches("t.ent:9:15: runs 0: expected a whole number from 1 to 1e9", msg)
      assert.matches("t.ent:9:23: seed 1.5: expected a whole number", msg)
      assert.matches("t.ent:9:33: unknown evaluation setting 'sede' %(did you mean 'seed'%?%)", msg)
      assert.matches("t.ent:9:50: weight of 'a' is %-1: expected a number >= 0", msg)
      assert.matches("t.ent:9:67: range 0.9..0.1 runs backwards: expected low..high", msg)
      assert.matches("t.ent:9:78: criteria: expected a list", msg)
      assert.matches("t.ent:10:17: a conflict of 'RUS' with itself", msg)
      assert.matches("t.ent:11:20: bad date '2024%-13%-01'", msg)
      assert.are.equal(11, #errs)
    end)
  end)

  describe("syntax errors", function()
    it("give file, line, column, the line with a caret, what was expected and what was found", function()
      local msg = bad(ACTORS .. 'RUS -- PRK : defence 1.0 since 2024-12-04 xyz\n')
      assert.are.equal("t.ent:4:43: syntax error: expected 'until', a source string or the end of the line, " ..
        "found 'xyz'\n  RUS -- PRK : defence 1.0 since 2024-12-04 xyz\n" ..
        "                                            ^", msg)
    end)

    it("are all reported, not only the first", function()
      local msg, errs = bad_list(ACTORS .. [[
RUS -- PRK defence
RUS => PRK : defence
2024-01-01 RUS -> 
title
actor CHN {gdp}
RUS -- PRK : defence
]])
      assert.are.equal(5, #errs)
      assert.matches("t.ent:4:12: syntax error: expected ':', found 'defence'", msg)
      assert.matches("t.ent:5:5: syntax error: expected '%-%-' or '%->', found '='", msg)
      assert.matches("t.ent:6:19: syntax error: expected an actor code, found the end of the line", msg)
      assert.matches("t.ent:7:6: syntax error: expected a string, found the end of the line", msg)
      assert.matches("t.ent:8:15: syntax error: expected a value, found '}'", msg)
    end)

    it("name an unknown statement and suggest the keyword", function()
      local msg = bad('titel "x"\n')
      assert.matches("^t.ent:1:1: syntax error: unknown statement 'titel' %(did you mean 'title'%?%)", msg)
    end)

    it("point at an unterminated block", function()
      local msg = bad('actor X\noption X "o" {\n  weaken X Y 1\n')
      assert.matches("t.ent:4:1: syntax error: expected .*'}' or a change, found the end of the file", msg)
    end)

    it("point at a bad escape or a line end inside a string", function()
      assert.matches("t.ent:1:10: syntax error: bad escape: expected", bad('title "ab\\q"\n'))
      assert.matches("t.ent:1:9: syntax error: bad escape", bad('title "a\\x00"\n'))
      assert.matches("t.ent:1:9: syntax error: bad escape", bad('title "a\\u{D800}"\n'))
      assert.matches("t.ent:1:11: syntax error: expected '\"' to end the string, found the end of the line",
        bad('title "abc\n"\n'))
    end)

    it("show at most max_errors messages and count the rest", function()
      local text = string.rep("???\n", 30)
      local msg, errs = bad_list(text, {limits = {max_errors = 4}})
      assert.are.equal(4, #errs)
      assert.matches("%(26 more errors not shown%)$", msg)
    end)
  end)

  describe("safety", function()
    it("rejects a file of Lua code as a syntax error and runs nothing", function()
      local marker = os.tmpname()
      os.remove(marker)
      local text = 'os.execute("touch ' .. marker .. '")\n' ..
        'return { title = io.open("' .. marker .. '", "w") }\n' ..
        'title = (function() os.execute("touch ' .. marker .. '") end)()\n'
      -- nothing that could run code may be called while parsing
      local saved = {load = load, loadstring = loadstring, dofile = dofile, loadfile = loadfile,
        execute = os.execute, popen = io.popen, require = require}
      local called = {}
      local function trap(name) return function() called[#called + 1] = name; error("called " .. name) end end
      load, loadstring, dofile, loadfile = trap "load", trap "loadstring", trap "dofile", trap "loadfile"
      os.execute, io.popen, require = trap "os.execute", trap "io.popen", trap "require"
      local w, msg, errs = ent.parse(text, "evil.ent")
      load, loadstring, dofile, loadfile = saved.load, saved.loadstring, saved.dofile, saved.loadfile
      os.execute, io.popen, require = saved.execute, saved.popen, saved.require
      assert.is_nil(w)
      assert.are.same({}, called)
      assert.are.equal(3, #errs)
      assert.matches("^evil.ent:1:1: syntax error: unknown statement 'os'", msg)
      assert.matches("evil.ent:2:1: syntax error: unknown statement 'return'", msg)
      assert.matches("evil.ent:3:7: syntax error: expected a string, found '='", msg)
      assert.is_nil(readfile(marker))
    end)

    it("limits the size of a file", function()
      local msg = bad(string.rep("# padding\n", 20), {limits = {max_bytes = 100}})
      assert.matches("file is 200 bytes, more than the limit of 100 %(limits.max_bytes%)", msg)
    end)

    it("limits the number of items", function()
      local msg = bad(ACTORS .. string.rep("RUS -- PRK : trade\n", 10), {limits = {max_items = 8}})
      assert.matches("t.ent:9:1: more than 8 items", msg)
      msg = bad("sources [" .. string.rep("a, ", 20) .. "a]\n", {limits = {max_items = 10}})
      assert.matches("more than 10 items", msg)
    end)

    it("limits nesting", function()
      local deep = "respond r {a " .. string.rep("[", 40) .. string.rep("]", 40) .. "}\n"
      local msg = bad(deep)
      assert.matches("t.ent:1:28: syntax error: lists, maps and distributions nested deeper than 15 levels", msg)
      ok("respond r {a " .. string.rep("[", 13) .. string.rep("]", 13) .. "}\n")
    end)

    it("refuses unknown limits", function()
      assert.has_error(function() ent.parse("", "x", {limits = {max_byte = 1}}) end,
        "bad argument #3 to 'parse' (unknown limit 'max_byte' (did you mean 'max_bytes'?))")
      assert.has_error(function() ent.parse(nil) end, "bad argument #1 to 'parse' (string expected, got nil)")
    end)
  end)

  describe("includes", function()
    local dir
    before_each(function() dir = tmpdir() end)
    after_each(function() rmrf(dir) end)

    it("read a relative file of the scenario's directory, and from there its own", function()
      writefile(dir .. "/main.ent", 'title "main"\ninclude "sub/actors.ent"\nRUS -- PRK : defence\n')
      writefile(dir .. "/sub/actors.ent", 'actor RUS\ninclude "deeper/prk.ent"\n')
      writefile(dir .. "/sub/deeper/prk.ent", 'actor PRK "North Korea"\n')
      local w = assert(ent.read(dir .. "/main.ent"))
      assert.are.equal("North Korea", w:actor("PRK").name)
      assert.are.equal(1, w:count_relations())
    end)

    it("keep each statement's own file, before, inside and after an include", function()
      writefile(dir .. "/main.ent", 'actor RUS\nRUS -- XX1 : trade\ninclude "sub/a.ent"\nRUS -- XX3 : trade\n')
      writefile(dir .. "/sub/a.ent", "\n\nRUS -- XX2 : trade\n")
      local _, msg, errs = ent.read(dir .. "/main.ent")
      assert.are.equal(3, #errs)
      assert.matches(dir .. "/main.ent:2:8: unknown actor 'XX1'", msg, 1, true)
      assert.matches(dir .. "/sub/a.ent:3:8: unknown actor 'XX2'", msg, 1, true)
      assert.matches(dir .. "/main.ent:4:8: unknown actor 'XX3'", msg, 1, true)
    end)

    it("report errors in an included file with that file's name", function()
      writefile(dir .. "/main.ent", 'include "sub/a.ent"\n')
      writefile(dir .. "/sub/a.ent", "\nactor X {gdp}\n")
      local _, msg = ent.read(dir .. "/main.ent")
      assert.matches(dir .. "/sub/a.ent:2:13: syntax error: expected a value, found '}'", msg, 1, true)
    end)

    it("refuse absolute paths, .. and backslashes", function()
      writefile(dir .. "/secret.ent", "actor S\n")
      local cases = {
        {'include "/etc/passwd"', "absolute path '/etc/passwd'"},
        {'include "../x.ent"', "'%.%.' in '%.%./x.ent': an include cannot leave the scenario's directory"},
        {'include "sub/../secret.ent"', "'%.%.' in"},
        {'include "sub\\\\x.ent"', "backslash"},
        {'include "~/x.ent"', "absolute path"},
        {'include ""', "empty file name"},
        {'include "sub//x.ent"', "empty directory name"},
      }
      for _, c in ipairs(cases) do
        writefile(dir .. "/sub/main.ent", c[1] .. "\n")
        local w, msg = ent.read(dir .. "/sub/main.ent")
        assert.is_nil(w)
        assert.matches("main.ent:1:9: bad include: " .. c[2], msg)
      end
    end)

    it("detect cycles, missing files, directories and too deep nesting", function()
      writefile(dir .. "/a.ent", 'include "b.ent"\n')
      writefile(dir .. "/b.ent", 'include "./a.ent"\n')
      local _, msg = ent.read(dir .. "/a.ent")
      assert.matches("b.ent:1:9: include cycle: './a.ent' is already being read", msg)
      writefile(dir .. "/d.ent", 'include "sub"\n')
      _, msg = ent.read(dir .. "/d.ent")
      assert.matches("d.ent:1:9: cannot include \"sub\": .*sub: ", msg)
      assert.matches("^[^\n]*directory", select(2, ent.read(dir .. "/sub")))
      writefile(dir .. "/c.ent", 'include "none.ent"\n')
      _, msg = ent.read(dir .. "/c.ent")
      assert.matches("c.ent:1:9: cannot include \"none.ent\"", msg)
      for i = 1, 5 do writefile(dir .. "/n" .. i .. ".ent", 'include "n' .. (i + 1) .. '.ent"\n') end
      writefile(dir .. "/n6.ent", "actor X\n")
      _, msg = ent.read(dir .. "/n1.ent", {limits = {max_include_depth = 3}})
      assert.matches("n4.ent:1:9: includes nested deeper than 3 levels", msg)
      assert.truthy(ent.read(dir .. "/n1.ent"))
    end)

    it("count the included files against max_includes", function()
      writefile(dir .. "/x.ent", "")
      writefile(dir .. "/m.ent", string.rep('include "x.ent"\n', 5))
      local _, msg = ent.read(dir .. "/m.ent", {limits = {max_includes = 3}})
      assert.matches("m.ent:4:9: more than 3 included files", msg)
    end)

    it("are not available when parsing a string without a directory", function()
      assert.matches("not available here", bad('include "x.ent"\n'))
      writefile(dir .. "/x.ent", "actor X\n")
      assert.truthy(ent.parse('include "x.ent"\n', "s", {dir = dir}))
    end)
  end)

  describe("the flagship scenario", function()
    it("is the same world as the Lua version, with the same summary and comparison", function()
      local lw = assert(entente.load "russia_dprk_2024")
      local w, spec = ent.read("examples/russia_dprk_pact.ent")
      assert.is_truthy(w, spec)
      assert.is_nil(ent.diff(lw, w))
      assert.are.equal(lw:summary {date = "2024-12-05"}, w:summary {date = "2024-12-05"})
      assert.are.equal(lw:compare("2024-06-18", "2024-12-05"), w:compare("2024-06-18", "2024-12-05"))
      -- spot checks against the fact table (context/scenario-facts.md)
      assert.are.equal(29, w:count_relations())
      assert.are.equal(50, #w:events())
      local r01 = w:dyad("RUS", "PRK", {date = "2024-12-05"})
      assert.are.equal("2024-12-04", r01[1].since)
      assert.are.equal(5580, w:actor("RUS").warheads)
      assert.is_nil(w:actor("PRK").gdp_usd)
      assert.are.same({{"2024-06-18", "2024-12-05"}}, spec.compare)
    end)

    -- China's options in the file: spec/flagship_spec.lua checks that `entente
    -- run`, examples/china_options.lua and examples/report.lua evaluate them alike.
    it("round-trips China's options, responses and evaluation through .ent and JSON", function()
      local w, spec = assert(ent.read("examples/russia_dprk_pact.ent"))
      assert.are.equal(4, #spec.options)
      assert.are.equal(4, #spec.responses)
      local w2, spec2 = assert(ent.parse(ent.format(w, spec), "copy.ent"))
      assert.is_nil(ent.diff(w, w2))
      assert.are.same(spec, spec2)
      assert.matches('\nrespond "US secondary sanctions" when CHN %-> RUS : military_aid rises {\n' ..
        '  add USA %-> CHN : sanction 0.2..0.5\n}\n', ent.format(w, spec))
      local w3, spec3 = assert(ent.decode_json(ent.encode_json(w, spec), "copy.json"))
      assert.is_nil(ent.diff(w, w3))
      assert.are.same(spec, spec3)
    end)

    it("is accepted with CRLF line ends", function()
      local text = assert(readfile("examples/russia_dprk_pact.ent"))
      local w = assert(ent.parse(text:gsub("\n", "\r\n"), "crlf.ent"))
      assert.is_nil(ent.diff(w, (ent.read("examples/russia_dprk_pact.ent"))))
    end)
  end)

  describe("writing", function()
    local dir
    before_each(function() dir = tmpdir() end)
    after_each(function() rmrf(dir) end)

    it("round-trips the flagship scenario through .ent and JSON", function()
      local w, spec = assert(ent.read("examples/russia_dprk_pact.ent"))
      assert.is_true(ent.write(w, dir .. "/copy.ent", spec))
      local w2, spec2 = assert(ent.read(dir .. "/copy.ent"))
      assert.is_nil(ent.diff(w, w2))
      assert.are.same(spec.compare, spec2.compare)
      assert.are.same(spec.conflicts, spec2.conflicts)
      assert.is_true(ent.write(w, dir .. "/copy.json", spec))
      local w3, spec3 = ent.decode_json(readfile(dir .. "/copy.json"), "copy.json")
      assert.is_truthy(w3, spec3)
      assert.is_nil(ent.diff(w, w3))
      assert.are.same(spec.conflicts, spec3.conflicts)
    end)

    it("writes the relation notation readable at a glance", function()
      local w = ok(ACTORS .. 'RUS -- PRK : defence 1 since 2024-06-19 "Treaty, Art. 4"\nPRK -> RUS : sanction 0.5\n')
      local text = ent.format(w)
      assert.matches('\nRUS %-%- PRK : defence  1   since 2024%-06%-19 "Treaty, Art. 4"\n', text)
      assert.matches("\nPRK %-> RUS : sanction 0.5\n", text)
    end)

    it("replaces a file atomically and leaves no temporary file", function()
      local w = ok(ACTORS)
      writefile(dir .. "/out.ent", "old contents")
      assert.is_true(ent.write(w, dir .. "/out.ent"))
      assert.truthy(ent.read(dir .. "/out.ent"))
      local p = io.popen("ls -A '" .. dir .. "'")
      local names = p:read("*a")
      p:close()
      assert.are.equal("out.ent\nsub\n", names)
    end)

    it("returns nil and a message when it cannot write, leaving the old file whole", function()
      local w = ok(ACTORS)
      local okw, err = ent.write(w, dir .. "/nodir/x.ent")
      assert.is_nil(okw)
      assert.matches("cannot write " .. dir .. "/nodir/x.ent", err, 1, true)
      -- a directory in the way: the rename fails, nothing is left behind
      okw, err = ent.write(w, dir .. "/sub")
      assert.is_nil(okw)
      assert.is_string(err)
      local p = io.popen("ls -A '" .. dir .. "'")
      local names = p:read("*a")
      p:close()
      assert.are.equal("sub\n", names)
    end)

    it("refuses an option given as a Lua function", function()
      local w = ok(ACTORS)
      local okw, err = ent.write(w, dir .. "/f.ent", {options = {{actor = "CHN", name = "fn", changes = function() end}}})
      assert.is_nil(okw)
      assert.matches("option 'fn' of CHN is a Lua function and cannot be written", err)
      assert.is_nil(readfile(dir .. "/f.ent"))
    end)

    it("rejects what is not a world", function()
      assert.has_error(function() ent.write({}, dir .. "/x.ent") end)
      assert.has_error(function() ent.format(42) end, "bad argument #1 to 'format' (world or scenario expected, got number)")
    end)
  end)

  describe("JSON", function()
    it("reports errors with the path of the bad value", function()
      local _, msg = ent.decode_json('{"actors": [{"code": "A"}], "relations": [{"a": "A", "b": "B", "kind": "trade"}],' ..
        ' "events": [{"date": "2024-01-01", "from": "A", "cameo": 7}], "titel": "x"}', "x.json")
      assert.matches("x.json: %$.titel: unknown key 'titel' %(did you mean 'title'%?%)", msg)
      assert.matches("x.json: %$.events%[1%].cameo: expected a CAMEO code", msg)
      local _, msg2 = ent.decode_json('{"actors": [{"code": "A"}], "relations": [{"a": "A", "b": "B", "kind": "trade"}]}', "y.json")
      assert.matches("y.json: %$.relations%[1%].b: unknown actor 'B'", msg2)
      local _, msg3 = ent.decode_json('{"actors": [}', "z.json")
      assert.matches("z.json:1:13: expected a value", msg3)
    end)
  end)
end)

--------------------------------------------------------------- property test

-- A portable LCG (the same numbers on every Lua), for random worlds.
local function rng(seed)
  local s = seed
  return function(n)
    s = (s * 1103515245 + 12345) % 2147483648
    if n then return s % n + 1 end
    return s / 2147483648
  end
end

local CODECH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789_+-"
local TEXTS = {"", "plain", "with \"quotes\" and \\backslash\\", "new\nline\ttab\rcr", "Côte d'Ivoire",
  "대한민국", "ctl\1\2\127", "bad utf8 \255\254 \195", "# not a comment", "-", "true", "2024-01-01", "1e5",
  "a..b", "{[x]}", "  spaces  ", "Ελλάδα 😀"}

-- utf8only: no invalid UTF-8 and no infinity (what JSON cannot hold)
local function random_world(r, utf8only)
  local function text0()
    local t = TEXTS[r(#TEXTS)]
    if utf8only and not json.valid_utf8(t) then return "x" end
    return t
  end
  local w = entente.world {title = r(4) > 1 and text0() or nil, date = string.format("%04d-%02d-%02d",
    r(9999), r(12), r(28))}
  if r(2) == 1 then w.description = text0() end
  if r(3) == 1 then w.sources = text0() elseif r(3) == 1 then w.sources = {"a", text0()} end
  local kinds = {}
  for i = 1, r(3) - 1 do
    local name = "k" .. i .. "_" .. r(99)
    w:define_kind(name, {sign = r(3) - 2, obligation = entente.OBLIGATIONS[r(4)], strength = r(), directed = r(2) == 1,
      defensive = r(2) == 1})
    kinds[#kinds + 1] = name
  end
  for _, k in ipairs(w:kinds()) do if #kinds < 20 then kinds[#kinds + 1] = k.name end end
  local codes = {}
  for i = 1, r(12) + 1 do
    local c = {}
    for j = 1, r(6) do local k = r(#CODECH); c[j] = CODECH:sub(k, k) end
    local code = table.concat(c) .. i
    if r(5) == 1 then code = "-" .. code end
    if #code > 15 then code = code:sub(-15) end
    if not w:has(code) then
      local attrs = {name = TEXTS[r(#TEXTS)] ~= "" and TEXTS[r(#TEXTS)] or nil, tags = {}}
      if utf8only and attrs.name and not json.valid_utf8(attrs.name) then attrs.name = "x" end
      for _ = 1, r(3) - 1 do attrs.tags[#attrs.tags + 1] = ({"a", "b c", "Asie", "x-y", "true", "Ελλάδα"})[r(6)] end
      for _ = 1, r(4) - 1 do
        local v = ({r() * 1e15, -r(), r(1000), 1 / 3, 1e-300, utf8only and 7 or math.huge, 2 ^ 53, -0.5})[r(8)]
        attrs[({"gdp", "cinc", "x y", "ÉLAN", "n1"})[r(5)]] = v
      end
      w:actor(code, attrs)
      codes[#codes + 1] = code
    end
  end
  local function text()
    local t = TEXTS[r(#TEXTS)]
    if utf8only and not json.valid_utf8(t) then return "x" end
    return t
  end
  local function day() return string.format("%04d-%02d-%02d", r(9998), r(12), r(28)) end
  for _ = 1, r(25) - 1 do
    local a, b = codes[r(#codes)], codes[r(#codes)]
    if a ~= b then
      local o = {strength = r() * 0.999 + 0.001, source = r(2) == 1 and text() or nil}
      local d1, d2 = day(), day()
      if d1 > d2 then d1, d2 = d2, d1 end
      local p = r(4)
      if p == 1 then o.since = d1 elseif p == 2 then o.ends = d2 elseif p == 3 and d1 < d2 then o.since, o.ends = d1, d2 end
      w:relate(a, b, kinds[r(#kinds)], o)
    end
  end
  local cameos = {"010", "057", "163", "0312", "190", "14"}
  for _ = 1, r(12) - 1 do
    local e = {date = day(), from = codes[r(#codes)], text = text()}
    if r(2) == 1 then local b = codes[r(#codes)]; if b ~= e.from then e.to = b end end
    if r(3) == 1 then e.ends = "9999-12-31" end
    local c = r(3)
    if c == 1 then e.cameo = cameos[r(#cameos)] elseif c == 2 then e.goldstein = r() * 20 - 10
    else e.cameo, e.goldstein = cameos[r(#cameos)], r() * 20 - 10 end
    if e.cameo == "14" and e.goldstein == nil then e.cameo = "14" end
    w:event(e)
  end
  local spec = {options = {}, responses = {}, evaluate = {}, conflicts = {}, compare = {}}
  local values = {0.5, "x", "2024-01-01", true, false, {1, 2}, {a = 1, ["b c"] = {"z"}}, {}, "true", "-", 1e300, -7,
    setmetatable({"triangular", 0.1, 0.2, 0.5}, ent.Tagged), setmetatable({"normal", 0, 1, -2, 2}, ent.Tagged),
    {p = setmetatable({"uniform", 0.01, 0.05}, ent.Tagged)}, json.object()}
  for i = 1, r(3) - 1 do
    local changes = {}
    for _ = 1, r(4) - 1 do
      local a, b = codes[r(#codes)], codes[r(#codes)]
      if r(2) == 1 and a ~= b then
        local c = {({"add", "weaken", "strengthen", "end"})[r(4)], a, b, r(4) > 1 and kinds[r(#kinds)] or nil}
        if r(2) == 1 then
          c.strength = ({0.25, 1, 2, "x", U(0.2, 0.6), U(0.5, 1.5), setmetatable({"triangular", 0, 0.5, 1}, ent.Tagged),
            setmetatable({"beta", 2, 5}, ent.Tagged), setmetatable({"normal", 0.5, 0.1}, ent.Tagged)})[r(9)]
        end
        if r(2) == 1 then c[({"by", "factor", "to"})[r(3)]] = values[r(#values)] end
        if r(3) == 1 then c.other = values[r(#values)] end
        changes[#changes + 1] = c
      else
        local c = {({"weaken", "cut", "note"})[r(3)], values[r(#values)], values[r(#values)]}
        if r(2) == 1 then c.named = values[r(#values)] end
        changes[#changes + 1] = c
      end
    end
    spec.options[#spec.options + 1] = {actor = codes[r(#codes)], name = "option " .. i .. " " .. text(), changes = changes}
  end
  for _ = 1, r(3) - 1 do
    spec.responses[#spec.responses + 1] = {rule = ({"balancing", "reciprocity", "wariness"})[r(3)],
      params = r(2) == 1 and {rate = r(), by = {codes[1]}} or nil}
  end
  -- conditional rules: written as blocks when they can be, as maps when not
  for _ = 1, r(3) - 1 do
    local a, b = codes[r(#codes)], codes[r(#codes)]
    local when = {a, b, ({"rises", "falls", "grows"})[r(3)]}
    if r(2) == 1 then table.insert(when, 3, kinds[r(#kinds)]) end
    local apply = {}
    for _ = 1, r(3) - 1 do
      local c = {({"add", "end", "note"})[r(3)], codes[r(#codes)], codes[r(#codes)], r(2) == 1 and kinds[r(#kinds)] or nil}
      if r(2) == 1 then c.strength = ({0.3, U(0.1, 0.4), 2})[r(3)] end
      if r(3) == 1 then c.other = values[r(#values)] end
      apply[#apply + 1] = c
    end
    local params = {name = r(4) > 1 and ("rule " .. text()) or nil, when = when, apply = apply}
    if r(5) == 1 then params.extra = values[r(#values)] end
    spec.responses[#spec.responses + 1] = {rule = "conditional", params = params}
  end
  if r(2) == 1 then
    spec.evaluate[1] = {actor = codes[1], criteria = {"security", "economy"}, weights = {security = 0.7, economy = 0.3},
      params = {reliability = U(0.5, 0.9)}, runs = r(5000), seed = r(100)}
  end
  if #codes > 1 and r(2) == 1 then spec.conflicts[1] = {attacker = codes[1], target = codes[2]} end
  if r(2) == 1 then spec.compare[1] = {"2020-01-01", "2024-12-31"} end
  return w, spec
end

local function clean_spec(spec) return spec end

describe("round trip (property)", function()
  it("gives back an identical world and scenario for 300 random ones, through .ent", function()
    local r = rng(20240619)
    for i = 1, 300 do
      local w, spec = random_world(r)
      local text = ent.format(w, spec)
      local w2, spec2 = ent.parse(text, "random" .. i .. ".ent")
      if not w2 then error("world " .. i .. " did not read back:\n" .. spec2 .. "\n---\n" .. text) end
      local d = ent.diff(w, w2)
      if d then error("world " .. i .. " differs: " .. d .. "\n---\n" .. text) end
      assert.are.same(clean_spec(spec), clean_spec(spec2))
      -- and writing again gives the same text
      assert.are.equal(text, ent.format(w2, spec2))
    end
  end)

  it("gives back an identical world through JSON when its strings are UTF-8 and its numbers finite", function()
    local r = rng(7)
    for i = 1, 300 do
      local w, spec = random_world(r, true)
      local text = ent.encode_json(w, spec)
      local w2, spec2 = ent.decode_json(text, "random" .. i .. ".json")
      if not w2 then error("world " .. i .. " did not read back:\n" .. spec2) end
      assert.is_nil(ent.diff(w, w2))
      assert.are.same(clean_spec(spec), clean_spec(spec2))
    end
  end)

  it("refuses, naming the value, what JSON cannot hold", function()
    local w = entente.world {}
    w:actor("X", {v = math.huge})
    assert.has_error(function() ent.encode_json(w) end, "json.encode: $.actors[1].attrs.v: number inf has no JSON form")
    local w2 = entente.world {title = "caf\233"}
    assert.has_error(function() ent.encode_json(w2) end, "json.encode: $.title: string is not valid UTF-8")
  end)

  it("keeps numbers exactly", function()
    for _, x in ipairs {0.1, 1 / 3, 2 ^ -1074, 1.7976931348623157e308, 1.2345678901234568e17, -2.5e-7} do
      local w = entente.world {}
      w:actor("X", {v = x})
      local w2 = assert(ent.parse(ent.format(w), "n.ent"))
      assert.are.equal(x, w2:actor("X").v)
      local d = json.decode(json.encode({x}))
      assert.are.equal(x, d[1])
    end
  end)
end)
