-- Correlates of War loaders, CINC and alliance-portfolio similarity
-- (lua/entente/cow.lua, csrc/capability.c, csrc/similarity.c).
local entente = require "entente"
local cow = entente.cow

local DIR = "data/cow"

-- Plain-Lua readers that share nothing with the module (no LPeg, no C): the
-- shipped files have no quoted fields, so splitting on commas is exact.
local function split(line)
  local t, i = {}, 1
  for v in (line .. ","):gmatch("([^,]*),") do t[i] = v; i = i + 1 end
  return t
end

local NMC
local function nmc_year(year)
  if not NMC then
    NMC = {}
    for line in io.lines(DIR .. "/nmc.csv") do
      local f = split(line)
      local y = tonumber(f[2])
      if y then
        local r = {ccode = tonumber(f[1])}
        for c = 1, 6 do r[c] = tonumber(f[c + 2]) end
        NMC[y] = NMC[y] or {}
        table.insert(NMC[y], r)
      end
    end
    for _, rows in pairs(NMC) do table.sort(rows, function(a, b) return a.ccode < b.ccode end) end
  end
  return NMC[year]
end

-- CINC straight from the definition: mean of the available shares.
local function lua_cinc(rows)
  local tot = {0, 0, 0, 0, 0, 0}
  for _, r in ipairs(rows) do for c = 1, 6 do if r[c] then tot[c] = tot[c] + r[c] end end end
  local out = {}
  for _, r in ipairs(rows) do
    local s, n = 0, 0
    for c = 1, 6 do if r[c] then s = s + r[c] / tot[c]; n = n + 1 end end
    out[r.ccode] = s / n
  end
  return out
end

local ABB = {}
for line in io.lines(DIR .. "/cow_states.csv") do
  local f = split(line)
  if tonumber(f[2]) then ABB[tonumber(f[2])] = f[1] end
end

-- Ordinal portfolios of some years straight from atop_alliance.csv:
-- {year = {P = rows of levels, codes = ccodes, rows = NMC rows}}.
local function lua_portfolios(years)
  local out = {}
  for _, year in ipairs(years) do
    local rows = nmc_year(year)
    local codes, pos = {}, {}
    for k, r in ipairs(rows) do codes[k] = r.ccode; pos[r.ccode] = k end
    local P = {}
    for i = 1, #codes do
      P[i] = {}
      for k = 1, #codes do P[i][k] = (i == k) and 3 or 0 end
    end
    out[year] = {P = P, codes = codes, rows = rows, pos = pos}
  end
  for line in io.lines(DIR .. "/atop_alliance.csv") do
    local y = tonumber(line:match("^%d+,%d+,(%d+),"))
    local t = out[y]
    if t then
      local f = split(line)
      local i, k = t.pos[tonumber(f[1])], t.pos[tonumber(f[2])]
      if i and k and i ~= k then
        local def, off, neu, non, con = f[4] == "1", f[5] == "1", f[6] == "1", f[7] == "1", f[8] == "1"
        t.P[i][k] = (def or off) and 3 or (neu or con) and 2 or non and 1 or 0
      end
    end
  end
  return out
end

local function slow_s(x, y, w)
  local num, den = 0, 0
  for k = 1, #x do
    local wk = w and w[k] or 1
    num = num + wk * math.abs(x[k] - y[k])
    den = wk + den
  end
  return 1 - 2 * num / (3 * den)
end

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

-- relative agreement (plus a hair of absolute slack for values near 0)
local function close(a, b, tol)
  return math.abs(a - b) <= (tol or 1e-12) * math.abs(b) + 1e-14
end

describe("cow CINC", function()
  -- Published NMC CINC scores (abridged files of NMC v6.0 and v7.0; see
  -- docs/cow.md for where each comes from).  The published values are
  -- single-precision floats printed to 8 digits, so they agree with the
  -- double-precision computation to about 1e-7 (float epsilon 1.19e-7).
  local published = {
    {"USA", 1816, 0.039697491}, {"NTH", 1816, 0.039914221}, {"USA", 1902, 0.2076682},
    {"USA", 1914, 0.20636405}, {"UKG", 1914, 0.13790944}, {"USA", 1920, 0.28956637},
    {"USA", 1940, 0.20190711},
    -- with missing components: Cuba 1902 (milex), UK 1916 (milper),
    -- Haiti 1940 (milex and milper)
    {"CUB", 1902, 0.0011214954}, {"UKG", 1916, 0.15320748}, {"HAI", 1940, 0.00059896766},
  }

  it("matches published NMC values, including state-years with missing components", function()
    for _, p in ipairs(published) do
      local c = assert(cow.cinc(p[2]))
      assert.is_true(close(c[p[1]], p[3], 1.2e-7), p[1] .. " " .. p[2] .. ": " .. c[p[1]] .. " vs " .. p[3])
    end
  end)

  it("averages the available shares: filling a missing component with 0 would not match", function()
    -- Cuba 1902 has no milex: the mean of its five shares is published; the
    -- mean of six with a zero share is 5/6 of it.
    local c = assert(cow.cinc(1902))
    local _, shares = cow.cinc(1902)
    assert.is_nil(shares.CUB.milex)
    local s, n = 0, 0
    for _, v in pairs(shares.CUB) do s = s + v; n = n + 1 end
    assert.equal(5, n)
    assert.is_true(close(c.CUB, s / 5))
    assert.is_false(close(s / 6, 0.0011214954, 1e-3))
  end)

  it("gives shares of every component that sum to 1 over the system, every year 1816-2022", function()
    local years = 0
    for year = 1816, 2022 do
      local _, shares = assert(cow.cinc(year))
      local sum, have = {}, {}
      for _, s in pairs(shares) do
        for name, v in pairs(s) do sum[name] = (sum[name] or 0) + v; have[name] = true end
      end
      for _, name in ipairs(cow.COMPONENTS) do
        assert.is_true(have[name] ~= nil, name .. " " .. year)
        assert.is_true(close(sum[name], 1, 1e-9), name .. " " .. year .. ": " .. sum[name])
      end
      years = years + 1
    end
    assert.equal(207, years)
  end)

  it("agrees with a plain-Lua computation for whole years", function()
    for _, year in ipairs {1830, 1914, 1946, 2018} do
      local want = lua_cinc(nmc_year(year))
      local got = assert(cow.cinc(year))
      local n = 0
      for ccode, v in pairs(want) do
        assert.is_true(close(got[ABB[ccode]], v, 1e-12), ABB[ccode] .. " " .. year)
        n = n + 1
      end
      for _ in pairs(got) do n = n - 1 end
      assert.equal(0, n)
    end
  end)

  it("computes CINC over a hand-made world from its actors' components", function()
    -- the three-state example of spec/c/test_similarity.c: A 1.25/6, B .5, C .45
    local w = entente.world {}
    w:actor("A", {milex = 10, milper = 1, irst = 0, pec = 5, tpop = 100, upop = 10})
    w:actor("B", {milper = 3, irst = 2, pec = 5, tpop = 100, upop = 30})
    w:actor("C", {milex = 30, milper = 0, irst = 2, pec = 10, tpop = 200})
    local c = w:cinc()
    assert.is_true(close(c.A, 1.25 / 6))
    assert.is_true(close(c.B, 0.5))
    assert.is_true(close(c.C, 0.45))
  end)

  it("gives power ratios and bloc capabilities from the same numbers", function()
    local w = assert(cow.load {year = 1914})
    local c = w:cinc()
    local r, share = w:power_ratio("GMY", "FRN")
    assert.is_true(close(r, c.GMY / c.FRN))
    assert.is_true(close(share, c.GMY / (c.GMY + c.FRN)))
    assert.is_true(r > 2) -- Germany out-weighed France about 2:1 in 1914
    local sum, members = w:bloc_capability {"GMY", "AUH"}
    assert.is_true(close(sum, c.GMY + c.AUH))
    assert.same({GMY = c.GMY, AUH = c.AUH}, members)
    local ranking = w:cinc_ranking()
    assert.equal("USA", ranking[1].code)
    assert.equal("GMY", ranking[2].code)
    assert.matches("no capability for 'XXX'", errmsg(w.power_ratio, w, "GMY", "XXX"))
  end)

  it("returns nil and a message for a year without data", function()
    local c, msg = cow.cinc(1700)
    assert.is_nil(c)
    assert.equal("no COW state system for year 1700 (NMC covers 1816-2022)", msg)
  end)
end)

describe("cow loader", function()
  local w
  setup(function() w = assert(cow.load {year = 1914}) end)

  it("makes the states of the system that year actors, coded by COW abbreviation", function()
    assert.equal(#nmc_year(1914), #w:actors())
    local gmy = w:actor("GMY")
    assert.equal("Germany", gmy.name)
    assert.equal(255, gmy:attr("ccode"))
    assert.equal(1914, tonumber(w.date:sub(1, 4)))
    assert.is_true(gmy:has_tag("major"))
    assert.is_false(w:actor("BEL"):has_tag("major"))
    assert.is_nil(w:actor("UKG"):attr("bogus"))
  end)

  it("attaches the NMC components and CINC as attributes (missing ones unset)", function()
    local ukg = assert(cow.load {year = 1916, alliances = false, wars = false, rivalries = false})
    local a = ukg:actor("UKG")
    assert.equal(6213396, a:attr("milex"))
    assert.is_nil(a:attr("milper"))
    assert.is_true(close(a:attr("cinc"), 0.15320748, 1.2e-7))
  end)

  it("turns ATOP obligations into relations with their kinds, spans and one-sided pledges", function()
    local kinds = {}
    for _, r in ipairs(w:dyad("GMY", "AUH")) do kinds[r.kind] = r end
    assert.truthy(kinds.defence)
    assert.equal("1879-01-01", kinds.defence.since) -- the Dual Alliance
    assert.equal("1919-01-01", kinds.defence["until"])
    -- Germany's offence pledge to Italy was one-sided
    local found
    for _, r in ipairs(w:dyad("GMY", "ITA")) do
      if r.kind == "offence_onesided" then found = r end
    end
    assert.equal("ATOP 5.1 (one-sided: GMY to ITA)", found.source)
    assert.equal("GMY", found.a.code)
    -- a one-sided pledge binds only the pledging side
    assert.is_true(w:kind("offence_onesided").directed)
    local gmy_to_ita, ita_to_gmy = false, false
    for _, o in ipairs(w:obligations {date = "1914-06-01", level = "defence"}) do
      if o.from == "GMY" and o.to == "ITA" and o.kind == "offence_onesided" then gmy_to_ita = true end
      if o.from == "ITA" and o.to == "GMY" and o.kind == "offence_onesided" then ita_to_gmy = true end
    end
    assert.is_true(gmy_to_ita)
    assert.is_false(ita_to_gmy)
    -- no alliance between Britain and Germany
    for _, r in ipairs(w:dyad("UKG", "GMY")) do assert.is_true(r.kind == "war" or r.kind == "rivalry") end
  end)

  it("loads wars and rivalries as hostile relations", function()
    local war, rivalry
    for _, r in ipairs(w:dyad("FRN", "GMY")) do
      if r.kind == "war" then war = r end
      if r.kind == "rivalry" then rivalry = r end
    end
    assert.equal("COW inter-state war #106", war.source)
    assert.equal("1919-01-01", war["until"])
    assert.equal(-1, w:kind("war").sign)
    assert.matches("France%-Prussia", rivalry.source)
  end)

  it("loads trade only when asked, as weighted ties", function()
    local plain = assert(cow.load {year = 2000, alliances = false, wars = false, rivalries = false})
    assert.equal(0, #plain:relations {kind = "trade"})
    local t = assert(cow.load {year = 2000, alliances = false, wars = false, rivalries = false, trade = true})
    local usachn = t:dyad("USA", "CHN", {kind = "trade"})
    assert.equal(1, #usachn)
    -- flow1 + flow2 of the row "2,710,2000,..." in the file
    local want
    for line in io.lines(DIR .. "/cow_trade_ndy.csv") do
      if line:find("^2,710,2000,") then
        local f = split(line)
        want = tonumber(f[4]) + tonumber(f[5])
      end
    end
    assert.equal(string.format("COW trade v4.0 2000: %.0f million USD", want), usachn[1].source)
    local max = 0
    for _, r in ipairs(t:relations {kind = "trade"}) do
      assert.is_true(r.strength > 0 and r.strength <= 1)
      if r.strength > max then max = r.strength end
    end
    assert.equal(1, max)
  end)

  it("loads contiguity as a neutral kind when asked", function()
    local c = assert(cow.load {year = 2000, alliances = false, wars = false, rivalries = false, contiguity = true})
    assert.equal(0, c:kind("contiguity").sign)
    local r = c:dyad("USA", "CAN", {kind = "contiguity"})
    assert.equal(1, #r)
    assert.equal(1, r[1].strength)
  end)

  it("exposes the other tables as records", function()
    local ds = assert(cow.dataset())
    assert.equal(2436, #assert(ds:disputes()))
    assert.equal(197, #assert(ds:rivalries()))
    assert.equal(14, #assert(ds:majors()))
  end)

  it("rejects bad options with errors that name them", function()
    assert.matches("unknown option 'yaer'", errmsg(cow.load, {yaer = 1914}))
    assert.matches("option 'year' must be a whole number, got 1914.5", errmsg(cow.load, {year = 1914.5}))
    local r, msg = cow.load {year = 1700}
    assert.is_nil(r)
    assert.matches("no COW state system for year 1700", msg)
  end)

  it("reports a malformed data file with its name, line and column", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. dir))
    local function put(name, text)
      local f = assert(io.open(dir .. "/" .. name, "wb"))
      f:write(text)
      f:close()
    end
    put("cow_states.csv", "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n" ..
      "USA,2,United States,1816,1,1,2016,12,31,2016\nCAN,20,Canada,1920,1,10,2016,12,31,2016\n")
    put("nmc.csv", "ccode,year,milex,milper,irst,pec,tpop,upop\n2,1920,1,1,1,1,1,1\n20,1920,x1,1,1,1,1,1\n")
    local r, msg = cow.load {year = 1920, dir = dir}
    assert.is_nil(r)
    assert.equal(dir .. "/nmc.csv:3:9: 'x1' in column 'milex' is not a number", msg)
    put("nmc.csv", 'ccode,year,milex,milper,irst,pec,tpop,upop\n2,1920,1,1,1,1,1,1\n20,1920,"1,1,1,1,1,1\n')
    r, msg = cow.load {year = 1920, dir = dir}
    assert.is_nil(r)
    assert.equal(dir .. "/nmc.csv:3:9: unterminated quoted field", msg)
    os.execute("rm -rf " .. dir)
    r, msg = cow.dataset(dir .. "-none")
    assert.is_nil(r)
    assert.matches("cannot open", msg)
  end)
end)

describe("cow similarity", function()
  it("agrees with a slow pure-Lua S on hundreds of real dyads", function()
    local checked = 0
    local all = lua_portfolios {1914, 1962, 2005}
    for _, year in ipairs {1914, 1962, 2005} do
      local P, codes, rows = all[year].P, all[year].codes, all[year].rows
      local cinc = lua_cinc(rows)
      local wts = {}
      for k, c in ipairs(codes) do wts[k] = cinc[c] end
      local n = #codes
      local step = math.max(1, math.floor(n / 12))
      for i = 1, n, step do
        for j = 1, n, 3 do
          local a, b = ABB[codes[i]], ABB[codes[j]]
          local s = cow.similarity(a, b, {year = year})
          assert.is_true(close(s, slow_s(P[i], P[j])), a .. "-" .. b .. " " .. year)
          local sw = cow.similarity(a, b, {year = year, method = "s_weighted"})
          assert.is_true(close(sw, slow_s(P[i], P[j], wts), 1e-10), a .. "-" .. b .. " " .. year)
          checked = checked + 1
        end
      end
    end
    assert.is_true(checked > 300)
  end)

  it("gives the hand-worked three-state values on a world's own relations", function()
    -- A-B defence pact, B-C non-aggression (worked on paper in docs/cow.md)
    local w = entente.world {date = "2020-01-01"}
    for _, c in ipairs {"A", "B", "C"} do w:actor(c, {}) end
    w:relate("A", "B", "defence")
    w:relate("B", "C", "nonaggression")
    assert.is_true(close(w:similarity("A", "B"), 7 / 9))
    assert.is_true(close(w:similarity("A", "C"), -7 / 9))
    assert.is_true(close(w:similarity("B", "C"), -5 / 9))
    assert.is_true(close(w:similarity("A", "B", {method = "s_squared"}), 25 / 27))
    assert.is_true(close(w:similarity("A", "B", {method = "kappa"}), 0.4))
    assert.is_true(close(w:similarity("A", "B", {method = "pi"}), 1 / 3))
    assert.is_true(close(w:similarity("A", "B", {method = "kappa_quadratic"}), 8 / 9))
    assert.is_true(close(w:similarity("A", "C", {method = "kappa"}), -0.5))
    assert.is_true(close(w:similarity("A", "B", {method = "taub"}), 1))
    assert.is_true(close(w:similarity("A", "C", {method = "taub"}), -2 / math.sqrt(6)))
    assert.is_true(close(w:similarity("A", "B", {method = "s_weighted",
      weights = {A = 0.5, B = 0.3, C = 0.2}}), 13 / 15))
    -- binary: A (1 1 0), B (1 1 1), C (0 1 1): S = 1 - 2 * 1 / 3
    assert.is_true(close(w:similarity("A", "B", {binary = true}), 1 / 3))
    -- relations not in force at the date do not count
    w:relate("A", "C", "defence", {since = "2021-01-01"})
    assert.is_true(close(w:similarity("A", "C"), -7 / 9))
    -- then A is (3 3 3) and C (3 1 3): S = 1 - 2 * 2 / 9
    assert.is_true(close(w:similarity("A", "C", {date = "2022-01-01"}), 5 / 9))
  end)

  it("gives 1 for identical portfolios and -1 for opposite ones", function()
    local w = entente.world {}
    for _, c in ipairs {"A", "B", "C", "D"} do w:actor(c, {}) end
    -- binary portfolios: A (1 0 1 0), B (0 1 0 1) with A-C and B-D allied
    w:relate("A", "C", "defence")
    w:relate("B", "D", "defence")
    for _, m in ipairs {"s", "s_squared", "kappa", "kappa_quadratic", "pi", "taub"} do
      assert.is_true(close(w:similarity("A", "B", {method = m, binary = true}), -1), m)
      assert.is_true(close(w:similarity("A", "B", {method = m}), -1), m)
      assert.is_true(close(w:similarity("A", "A", {method = m}), 1), m)
    end
  end)

  it("keeps every measure of every dyad in [-1, 1] and the matrix symmetric", function()
    for _, m in ipairs(cow.METHODS) do
      local r = assert(cow.similarity_year(1950, {method = m}))
      for i = 1, r.n, 4 do
        for j = 1, r.n, 3 do
          local v = r.get(i, j)
          assert.is_true(v >= -1 - 1e-12 and v <= 1 + 1e-12, m .. " " .. v)
          assert.equal(v, r.get(j, i))
        end
      end
    end
  end)

  it("returns matrices keyed by actor code that agree with the one-dyad function", function()
    local w = assert(cow.load {year = 1914})
    local gp = {"UKG", "FRN", "RUS", "GMY", "AUH", "ITA"}
    for _, m in ipairs {"s", "kappa", "taub", "s_weighted"} do
      local small = w:similarity_matrix {actors = gp, method = m}
      local big = w:similarity_matrix {method = m} -- all states: the threaded pass
      for _, a in ipairs(gp) do
        for _, b in ipairs(gp) do
          assert.equal(w:similarity(a, b, {method = m}), small[a][b])
          assert.is_true(close(big[a][b], small[a][b]))
        end
      end
    end
    -- the entente partners are more alike than the two blocs
    local s = w:similarity_matrix {actors = gp}
    assert.is_true(s.UKG.FRN > s.UKG.GMY)
    assert.is_true(s.GMY.AUH > s.GMY.RUS)
  end)

  it("uses the ATOP data of any year on any world", function()
    local w = assert(cow.load {year = 1914})
    assert.equal(cow.similarity("USA", "ROK", {year = 2018}), w:similarity("USA", "ROK", {year = 2018}))
    local p = cow.portfolio(2018, "ROK")
    assert.equal(3, p.USA)
    assert.equal(3, p.ROK)
    assert.equal(1, p.PRK) -- ATOP codes a non-aggression pledge between the Koreas from 1991
    assert.is_nil(p.MEX)
  end)

  it("rejects bad methods, states and options with errors that name them", function()
    local w = assert(cow.load {year = 1914})
    assert.matches("unknown method 'kapa' %(did you mean 'kappa'%?%)", errmsg(w.similarity, w, "UKG", "FRN", {method = "kapa"}))
    assert.matches("no state 'ROK' in the COW system of 1914", errmsg(w.similarity, w, "ROK", "FRN"))
    assert.matches("no state 'UKR' in the COW system of 1914", errmsg(w.similarity, w, "UKG", "UKR"))
    assert.matches("distance 'nominal' is for kappa and pi", errmsg(w.similarity, w, "UKG", "FRN", {distance = "nominal"}))
    assert.matches("unknown option 'yr'", errmsg(w.similarity, w, "UKG", "FRN", {yr = 1914}))
    assert.matches("weights apply to S only", errmsg(w.similarity, w, "UKG", "FRN", {method = "kappa", weights = {}}))
    assert.matches("weight of 'UKG' is %-1", errmsg(w.similarity, w, "UKG", "FRN", {weights = {UKG = -1}}))
    local plain = entente.world {}
    plain:actor("A", {})
    plain:actor("B", {})
    assert.matches("actor 'A' has no 'cinc' attribute", errmsg(plain.similarity, plain, "A", "B", {method = "s_weighted"}))
    local r, msg = cow.similarity("USA", "CAN", {year = 1700})
    assert.is_nil(r)
    assert.matches("no COW state system for year 1700", msg)
  end)

  it("rejects bad portfolios and weights at the C boundary with the bad value", function()
    local core = entente.core
    assert.matches("tie level 4 at position 2 not in 0..3", errmsg(core.portfolio_new, 2, {3, 4, 0, 3}))
    local P = core.portfolio_new(2, {1, 0, 0, 1})
    assert.matches("tie level 3 of state 0 with state 0 exceeds the scale's top level 1",
      errmsg(core.sim_dyad, core.portfolio_new(2, {3, 0, 0, 3}), 0, 1, "s", "abs", 1))
    assert.matches("weight 1 is %-1", errmsg(core.sim_dyad, P, 0, 1, "s", "abs", 1, {-1, 1}))
    assert.matches("invalid option 'cosine'", errmsg(core.sim_dyad, P, 0, 1, "cosine", "abs", 1))
  end)
end)
