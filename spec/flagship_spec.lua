-- The flagship analysis, China's options after the Russia-DPRK treaty, has
-- one source: section 4 of examples/russia_dprk_pact.ent.  `entente run`,
-- examples/china_options.lua and examples/report.lua must all evaluate what
-- it declares, and give the same numbers for the same seed and draws.
local entente = require "entente"
local ent = require "entente.ent"
local json = require "entente.json"

local FILE = "examples/russia_dprk_pact.ent"
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local X = dofile(here .. "pictures_support.lua")

local function readfile(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function engine() return type(entente.scenario) == "function" end

-- `entente run FILE ARGS... --format json`: the decoded document.
local function entente_run(...)
  local cli = require "entente.cli"
  local out, err = {}, {}
  local function sink(t) return {write = function(self, ...) for _, v in ipairs {...} do t[#t + 1] = v end return self end} end
  local args = {"run", FILE, "--format", "json", "--progress", "never", ...}
  local code = cli.main(args, {stdout = sink(out), stderr = sink(err), isatty = function() return false end})
  assert.are.equal(0, code, table.concat(err))
  return json.decode(table.concat(out))
end

local function options_report(doc)
  for _, r in ipairs(doc.reports) do
    if r.id == "options" then return r end
  end
  error("no options report")
end

-- examples/china_options.lua's build(runs): the scenario and the settings it evaluates.
local function china_options(runs)
  local build = dofile("examples/china_options.lua")
  assert.are.equal("function", type(build))
  local s, opts = build(runs)
  return s:evaluate(opts)
end

describe("the flagship analysis (examples/russia_dprk_pact.ent, section 4)", function()
  local w, spec = ent.read(FILE)

  it("declares the five options, the responses of the USA, Japan, ROK, Russia and the DPRK, and the settings", function()
    assert.is_truthy(w, spec)
    local names = {}
    for i, o in ipairs(spec.options) do
      assert.are.equal("CHN", o.actor)
      names[i] = o.name
    end
    assert.are.same({"align", "distance", "court", "hedge"}, names)   -- and the status quo, always
    local by = {}
    for _, r in ipairs(spec.responses) do by[r.params and r.params.name or r.rule] = r end
    assert.are.same({"USA", "JPN", "ROK"}, by.balancing.params.actors)
    assert.are.same({"RUS", "PRK"}, by.reciprocity.params.actors)
    assert.are.same({"JPN", "ROK"}, by.wariness.params.actors)
    local sanctions = by["US secondary sanctions"]
    assert.are.equal("conditional", sanctions.rule)
    assert.are.same({"CHN", "RUS", "military_aid", "rises"}, sanctions.params.when)
    local c = sanctions.params.apply[1]
    assert.are.same({"add", "USA", "CHN", "sanction"}, {c[1], c[2], c[3], c[4]})
    assert.are.equal(1, #spec.evaluate)
    local e = spec.evaluate[1]
    assert.are.equal("CHN", e.actor)
    local crit = {}
    for c in pairs(e.weights) do crit[#crit + 1] = c end
    table.sort(crit)
    assert.are.same({"economy", "entrapment", "reputation", "tension", "threat", "trust"}, crit)
    assert.are.same({{"PRK", "ROK"}, {"ROK", "PRK"}},
      {{e.triggers[1].attacker, e.triggers[1].defender}, {e.triggers[2].attacker, e.triggers[2].defender}})
    assert.are.same({100000, 2024}, {e.runs, e.seed})
    assert.are.same({"cinc", 2022}, {e.capability[1], e.capability[2]})
    assert.are.same({PRK = 1}, e.proliferation)
  end)

  it("gives every uncertain number a comment in its paragraph (its source or its reasoning)", function()
    local text = readfile(FILE)
    local s4 = text:match("\n(# 4%. China's options.-)\n# And who would be drawn in")
    assert.is_string(s4)
    local lines, ranges, commented = {}, 0, 0
    for l in (s4 .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
    for i, l in ipairs(lines) do
      local code = l:gsub("#.*", "")
      if code:find("%d%.%.[%d.]") or code:find("%a+%(") then
        ranges = ranges + 1
        -- a comment on the line, or above it with no blank line between
        local j, found = i, l:find("#", 1, true) ~= nil
        while not found and j > 1 and lines[j - 1]:match("%S") do
          j = j - 1
          found = lines[j]:match("^%s*#") ~= nil
        end
        assert(found, "no comment for line " .. i .. " of section 4: " .. l)
        commented = commented + 1
      end
    end
    assert.is_true(ranges >= 15)
    assert.are.equal(ranges, commented)
  end)

  it("is evaluated by `entente run` as by examples/china_options.lua (2,000 draws)", function()
    if not engine() then return pending("the options engine is not installed") end
    local doc = entente_run("--runs", "2000")
    local r = options_report(doc).data
    local lua = china_options(2000)
    assert.are.same({2000, 2024}, {r.runs, r.seed})
    assert.are.same({2000, 2024}, {lua.runs, lua.seed})
    assert.are.equal(5, #r.options)
    assert.are.equal(#lua.options, #r.options)
    for i, o in ipairs(lua.options) do
      local c = r.options[i]
      assert.are.equal(o.name, c.name)
      assert.are.equal(o.expected, c.expected)
      assert.are.equal(o.pbest, c.pbest)
      assert.are.equal(o.sd, c.sd)
      assert.are.equal(o.regret, c.regret)
      for _, k in ipairs {"threat", "entrapment", "economy", "reputation", "trust", "tension"} do
        assert.are.equal(o.criteria[k].mean, c.criteria[k].mean)
      end
    end
    assert.are.same({"status quo", "align", "distance", "court", "hedge"},
      {lua.options[1].name, lua.options[2].name, lua.options[3].name, lua.options[4].name, lua.options[5].name})
    assert.are.same(lua.ranking, r.ranking)
    assert.are.equal(lua.verdict.text, r.verdict.text)
    -- the draws matter: another seed gives other numbers
    local other = options_report(entente_run("--runs", "2000", "--seed", "7")).data
    assert.are_not.equal(r.options[2].expected, other.options[2].expected)
  end)

  it("declares the US secondary sanctions as the Lua rule they replace, with the same numbers", function()
    if not engine() then return pending("the options engine is not installed") end
    -- the conditional rule of the file, and the same rule as a Lua function
    -- built from the file's data (the rule china_options.lua used to carry)
    local function evaluate(as_lua)
      local w2, spec2 = assert(ent.read(FILE))
      local rule
      for i, r in ipairs(spec2.responses) do
        if r.rule == "conditional" then rule = table.remove(spec2.responses, i) break end
      end
      local s = assert(ent.scenario(w2, spec2))
      local p = ent.materialize(rule.params)
      if as_lua then
        local a, b, kind = p.when[1], p.when[2], p.when[3]
        s:respond(function(ctx)
          if ctx:strength(a, b, kind) > ctx:strength(a, b, kind, "before") then ctx:apply(p.apply) end
        end, {name = p.name})
      else
        s:respond("conditional", p)
      end
      local opts = ent.materialize(spec2.evaluate[1])
      opts.runs = 2000
      return s:evaluate(opts)
    end
    local d, l = evaluate(false), evaluate(true)
    for i, o in ipairs(l.options) do
      assert.are.equal(o.expected, d.options[i].expected)
      assert.are.equal(o.pbest, d.options[i].pbest)
    end
    -- it bites: aligning brings the sanction, and the economic cost with it
    assert.matches("US secondary sanctions: strength of CHN%-RUS military_aid rises",
      table.concat(d:option("align").responses, "\n"))
    assert.is_true(d:option("align").criteria.economy.mean > d:option("status quo").criteria.economy.mean)
  end)

  it("is the options section of the HTML report (examples/report.lua), with the same verdict", function()
    if not engine() then return pending("the options engine is not installed") end
    local map = require "entente.map"
    local saved_dot = map.dot_program
    if os.getenv("LD_PRELOAD") then map.dot_program = {"env", "-u", "LD_PRELOAD", "dot"} end
    local dir = X.tmpdir()
    local saved_arg, saved_print = _G.arg, _G.print
    local printed = {}
    _G.arg = {[0] = "examples/report.lua", dir}
    _G.print = function(...) printed[#printed + 1] = table.concat({...}, "\t") end
    local ok, err = pcall(dofile, "examples/report.lua")
    _G.arg, _G.print, map.dot_program = saved_arg, saved_print, saved_dot
    local page = ok and readfile(dir .. "/russia_dprk_pact.html")
    X.rmtree(dir)
    assert(ok, err)
    -- the evaluation of examples/china_options.lua at the file's settings
    local lua = china_options()
    assert.are.equal(100000, lua.runs)
    local root = X.parse(page)
    local rows
    for _, t in ipairs(X.find(root, "table")) do
      local cells = {}
      for _, tr in ipairs(X.find(t, "tr")) do
        local tds = X.find(tr, "td")
        if #tds > 0 then
          local row = {}
          for i, td in ipairs(tds) do row[i] = X.text(td) end
          cells[#cells + 1] = row
        end
      end
      if cells[1] and cells[1][1] == lua.options[1].name and #cells[1] == 5 then rows = cells end
    end
    assert.is_table(rows, "no options table in the report")
    assert.are.equal(5, #rows)
    for i, o in ipairs(lua.options) do
      assert.are.same({o.name, string.format("%.3f", o.expected), string.format("%.3f to %.3f", o.q05, o.q95),
        string.format("%.1f%%", 100 * o.pbest), string.format("%.3f", o.regret)}, rows[i])
    end
    assert.truthy(X.text(root):find(lua.verdict.text, 1, true))
    assert.matches("options: " .. lua.verdict.text:gsub("%p", "%%%0"), printed[#printed])
  end)
end)
