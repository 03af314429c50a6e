-- Structural balance: the signed view of a world, the signed triangle census,
-- the three balance scores and their explanations.  Checked against
-- published values (signnet on Read's Highland tribes), an independent
-- integer program (HiGHS, bench/balance_milp.py) on the 51 Correlates of War
-- networks, hand-worked cases, and pure-Lua second methods written here
-- (triangle census by triple loop, frustration by enumeration).
local entente = require "entente"

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function near(want, got, tol)
  assert(got ~= nil, "expected a number, got nil")
  assert(math.abs(want - got) <= (tol or 1e-12), string.format("expected %.17g, got %.17g", want, got))
end

local function graph(n, edges, names)
  local from, to, weight = {}, {}, {}
  for i, e in ipairs(edges) do from[i], to[i], weight[i] = e[1], e[2], e[3] end
  return entente.signed_graph {n = n, from = from, to = to, weight = weight, names = names}
end

-- Pure-Lua second methods on an edge list {{a, b, sign}} over vertices 1..n.
local function lua_census(n, edges)
  local S = {}
  for i = 1, n do S[i] = {} end
  for _, e in ipairs(edges) do
    local s = e[3] > 0 and 1 or -1
    S[e[1]][e[2]] = (S[e[1]][e[2]] or 0) + e[3]
    S[e[2]][e[1]] = S[e[1]][e[2]]
    local _ = s
  end
  local c = {0, 0, 0, 0}
  for i = 1, n do for j = i + 1, n do for k = j + 1, n do
    local a, b, d = S[i][j], S[i][k], S[j][k]
    if a and b and d and a ~= 0 and b ~= 0 and d ~= 0 then
      local neg = (a < 0 and 1 or 0) + (b < 0 and 1 or 0) + (d < 0 and 1 or 0)
      c[neg + 1] = c[neg + 1] + 1
    end
  end end end
  return c
end

-- Least frustrated edges over all 2^(n-1) partitions, and how many reach it.
local function lua_frustration(n, edges)
  local best, count = math.huge, 0
  local x = {}
  for mask = 0, 2 ^ (n - 1) - 1 do
    local m = mask
    x[1] = 0
    for v = 2, n do x[v] = m % 2; m = (m - x[v]) / 2 end
    local L = 0
    for _, e in ipairs(edges) do
      local same = x[e[1]] == x[e[2]]
      if (e[3] > 0) ~= same then L = L + 1 end
    end
    if L < best then best, count = L, 1 elseif L == best then count = count + 1 end
  end
  return best, count
end

local function read_edges(path)
  local f = assert(io.open(path))
  f:read("*l")
  local edges, ids, names = {}, {}, {}
  for line in f:lines() do
    local a, b, s = line:match("^([^,]+),([^,]+),(-?%d+)")
    for _, x in ipairs {a, b} do
      if not ids[x] then names[#names + 1] = x; ids[x] = #names end
    end
    edges[#edges + 1] = {ids[a], ids[b], tonumber(s)}
  end
  f:close()
  return edges, names
end

describe("the signed view of a world", function()
  local function world()
    local w = entente.world {date = "2020-01-01"}
    for _, c in ipairs {"AAA", "BBB", "CCC", "DDD"} do w:actor(c, {}) end
    w:relate("AAA", "BBB", "defence", {strength = 1, since = "2000-01-01"})
    w:relate("BBB", "AAA", "trade", {strength = 0.4})
    w:relate("AAA", "CCC", "rivalry", {strength = 0.5})
    w:relate("CCC", "AAA", "trade", {strength = 1})
    w:relate("CCC", "BBB", "sanction", {strength = 0.6, ends = "2010-01-01"})
    return w
  end

  it("sums sign * strength * weight over the relations in force (trade weighs 0.5)", function()
    local g = world():signed {date = "2005-06-01"}
    near(1 + 0.4 * 0.5, g:weight("AAA", "BBB"))
    assert.equal(0, g:weight("AAA", "CCC")) -- rivalry 0.5 against trade 1 * 0.5
    near(-0.6, g:weight("BBB", "CCC"))       -- a directed kind counts for the pair
    assert.equal(2, g.m)
    assert.equal(4, g.n)                     -- DDD has no tie but is an actor
    assert.equal("2005-06-01", g.date)
    assert.equal(0.5, g.weights.trade)
    assert.equal(1, g.weights.defence)
  end)

  it("is taken as of the date: relations out of force do not count", function()
    local w = world()
    near(0.2, w:signed {date = "1990-01-01"}:weight("AAA", "BBB"))
    assert.equal(0, w:signed():weight("BBB", "CCC")) -- the world's date, 2020
  end)

  it("takes per-kind weights from the user, by kind name or alias", function()
    local g = world():signed {date = "2005-06-01", weights = {trade = 1, rival = 2}}
    near(1.4, g:weight("AAA", "BBB"))
    near(1 - 2 * 0.5, g:weight("AAA", "CCC") + 0) -- 1 * 1 - 0.5 * 2 = 0: no tie
    assert.equal(0, g:weight("AAA", "CCC"))
    g = world():signed {date = "2005-06-01", weights = {sanction = 0}}
    assert.equal(0, g:weight("BBB", "CCC"))
  end)

  it("leaves out removed actors", function()
    local w = world()
    w:remove_actor("CCC")
    local g = w:signed {date = "2005-06-01"}
    assert.equal(3, g.n)
    assert.same({"AAA", "BBB", "DDD"}, g:actors())
    assert.matches("unknown actor 'CCC'", errmsg(g.weight, g, "CCC", "AAA"))
  end)

  it("rejects bad options naming the bad value", function()
    local w = world()
    assert.matches("unknown kind 'trad' %(did you mean 'trade'%?%)", errmsg(w.signed, w, {weights = {trad = 1}}))
    assert.matches("weight %-1 for kind 'trade' must be a finite number >= 0",
      errmsg(w.signed, w, {weights = {trade = -1}}))
    assert.matches("weight nan for kind 'trade'", errmsg(w.signed, w, {weights = {trade = 0 / 0}}))
    assert.matches("unknown option 'dates' %(did you mean 'date'%?%)", errmsg(w.signed, w, {dates = "2020"}))
    assert.matches("bad date '2020%-13%-01'", errmsg(w.signed, w, {date = "2020-13-01"}))
  end)
end)

describe("Read's Highland tribes (signnet's published values)", function()
  local w = assert(entente.read_signed_csv("data/signed/tribes.csv", {nodes = "data/signed/tribes_nodes.csv"}))
  local g = w:signed()
  local edges = read_edges("data/signed/tribes.csv")

  it("has 16 actors and 58 ties, 29 of each sign", function()
    assert.equal(16, g.n)
    assert.equal(58, g.m)
    assert.equal(29, g.positive)
    assert.equal("Gavev", g:actors()[1])
  end)

  it("has the census of a triple loop, 68 triangles", function()
    local t = g:triangles()
    local c = lua_census(16, edges)
    assert.same({["+++"] = c[1], ["++-"] = c[2], ["+--"] = c[3], ["---"] = c[4]}, t)
    assert.equal(68, t["+++"] + t["++-"] + t["+--"] + t["---"])
  end)

  it("matches signnet to 6 decimals: triangles 0.8676471, walk 0.3575761, frustration 0.7586207", function()
    near(0.8676471, g:balance("triangles"), 5e-7)
    near(0.3575761, g:balance("walk"), 5e-7)
    near(0.7586207, g:balance("frustration"), 5e-7)
    local all = g:balance()
    near(0.3575761, all.walk, 5e-7)
  end)

  it("proves the frustration index of 7 with the branch and bound and by enumeration", function()
    local L, count = lua_frustration(16, edges)
    assert.equal(7, L)
    assert.equal(1, count)
    local r = g:frustration {exact = true, enumerate = false}
    assert.equal(7, r.index)
    assert.equal(7, r.lower_bound)
    assert.is_true(r.optimal)
    assert.equal("branch and bound", r.method)
    assert.matches("proven optimal", r.proof)
    local e = g:frustration {exact = true}
    assert.equal("enumeration", e.method)
    assert.equal(7, e.index)
    assert.is_true(e.optimal)
    assert.equal(2 ^ 15, e.nodes)
    near(1 - 7 / 29, e.score)
  end)

  it("finds the heuristic never below the exact value, with a bound never above", function()
    for seed = 1, 5 do
      local h = g:frustration {exact = false, seed = seed}
      assert.is_true(h.index >= 7)
      assert.is_true(h.lower_bound <= 7)
      assert.equal("heuristic", h.method)
    end
  end)

  it("splits the tribes into the unique optimal blocs and lists the 7 frustrated ties", function()
    local b = g:blocs()
    assert.same({"Gavev", "Kotun", "Nagad", "Gama"}, b[1])
    assert.equal(12, #b[2])
    local r = g:frustration()
    assert.equal(7, #r.frustrated)
    local side = {}
    for _, x in ipairs(b[1]) do side[x] = 1 end
    for _, x in ipairs(b[2]) do side[x] = 2 end
    for _, f in ipairs(r.frustrated) do
      -- a frustrated tie is positive across the blocs or negative inside one
      assert.equal(f.sign == "+", side[f.a] ~= side[f.b])
    end
  end)

  it("shares the frustration out among the actors (shares sum to 1)", function()
    local e = g:explain()
    local total = 0
    for _, a in ipairs(e.actors) do total = total + a.share end
    near(1, total)
    for i = 2, #e.actors do assert.is_true(e.actors[i - 1].share >= e.actors[i].share) end
    local vc_total = 0
    for _, a in ipairs(e.actors) do vc_total = vc_total + a.triangles end
    assert.equal(3 * 68, vc_total)
  end)
end)

describe("hand-worked signed graphs", function()
  it("an all-positive triangle is +++ and balanced on every method", function()
    local g = graph(3, {{1, 2, 1}, {2, 3, 1}, {1, 3, 1}})
    assert.same({["+++"] = 1, ["++-"] = 0, ["+--"] = 0, ["---"] = 0}, g:triangles())
    local b = g:balance()
    assert.equal(1, b.triangles)
    near(1, b.walk)
    assert.equal(1, b.frustration)
    assert.same({"1", "2", "3"}, g:blocs()[1])
    assert.same({}, g:blocs()[2])
  end)

  it("a perfect two-bloc K4 has four +-- triangles and the two blocs", function()
    local g = graph(4, {{1, 2, 1}, {3, 4, 1}, {1, 3, -1}, {1, 4, -1}, {2, 3, -1}, {2, 4, -1}},
      {"A", "B", "C", "D"})
    assert.same({["+++"] = 0, ["++-"] = 0, ["+--"] = 4, ["---"] = 0}, g:triangles())
    local b = g:balance()
    assert.equal(1, b.triangles)
    near(1, b.walk)
    assert.equal(1, b.frustration)
    assert.same({{"A", "B"}, {"C", "D"}, unattached = {}}, g:blocs())
    assert.is_true(g:frustration().optimal)
    assert.matches("no frustrated tie", g:report())
  end)

  it("one flipped edge in K4: two ++- triangles, index 1 of 6, walk as by the spectrum", function()
    local g = graph(4, {{1, 2, -1}, {1, 3, 1}, {1, 4, 1}, {2, 3, 1}, {2, 4, 1}, {3, 4, 1}})
    assert.same({["+++"] = 2, ["++-"] = 2, ["+--"] = 0, ["---"] = 0}, g:triangles())
    assert.equal(0.5, g:balance("triangles"))
    near(1 - 1 / 3, g:balance("frustration"))
    local r = g:frustration()
    assert.same({{a = "1", b = "2", weight = -1, sign = "-"}}, r.frustrated)
    -- spectrum of A: the matrix J - I with the 1-2 entries negated has
    -- eigenvalues -1 +- sqrt(... ); checked here against the characteristic
    -- polynomial's roots found by the C eigensolver on the same matrix
    local ev = entente.core.sym_eigenvalues(4, {0, -1, 1, 1, -1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0})
    local eu = entente.core.sym_eigenvalues(4, {0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0})
    near(3, eu[4])
    local s, u = 0, 0
    for i = 1, 4 do s = s + math.exp(ev[i]); u = u + math.exp(eu[i]) end
    near(s / u, g:balance("walk"))
    -- eigenvalues of A: 1 - sqrt(... ) by hand: A = [[0,-1,1,1],[-1,0,1,1],[1,1,0,1],[1,1,1,0]]
    -- has eigenvector (1,-1,0,0) with eigenvalue 1, and trace 0, trace(A^2) = 12
    local tr, tr2 = 0, 0
    for i = 1, 4 do tr = tr + ev[i]; tr2 = tr2 + ev[i] ^ 2 end
    near(0, tr, 1e-12)
    near(12, tr2, 1e-12)
  end)

  it("a single unbalanced triangle with two isolated actors: walk by hand", function()
    local g = graph(5, {{1, 2, 1}, {2, 3, 1}, {1, 3, -1}})
    local e = math.exp(1)
    near((math.exp(-2) + 2 * e + 2) / (math.exp(2) + 2 / e + 2), g:balance("walk"), 1e-14)
    assert.same({"4", "5"}, g:blocs().unattached)
    near(1 - 1 / 1.5, g:balance("frustration"))
  end)

  it("sums repeated pairs and drops a zero sum", function()
    local g = graph(3, {{1, 2, 0.5}, {2, 1, 0.25}, {2, 3, 1}, {3, 2, -1}})
    assert.equal(0.75, g:weight("1", "2"))
    assert.equal(0, g:weight("2", "3"))
    assert.equal(1, g.m)
  end)

  it("leaves the triangle score undefined without triangles, with a reason", function()
    local g = graph(3, {{1, 2, -1}, {2, 3, 1}})
    local s, why = g:balance("triangles")
    assert.is_nil(s)
    assert.matches("no triangle", why)
    near(1, g:balance("walk"))
    local e = graph(2, {})
    assert.is_nil((e:balance("frustration")))
    near(1, e:balance("walk"))
  end)
end)

describe("triangles through an actor or a dyad, and tension", function()
  -- The shape of the seed dilemma: C is tied to both camps.
  --   A+B (1), A-D, B-D (-1), C+A, C+B (0.2, weak), C+D, C+E, D+E (1)
  local names = {"A", "B", "C", "D", "E"}
  local edges = {{1, 2, 1}, {1, 4, -1}, {2, 4, -1}, {3, 1, 0.2}, {3, 2, 0.2}, {3, 4, 1}, {3, 5, 1},
    {4, 5, 1}}
  local g = graph(5, edges, names)

  it("lists the triangles through an actor with their signs", function()
    local list = g:triangles("C")
    assert.equal(4, #list)
    local ub = 0
    for _, t in ipairs(list) do
      assert.equal("C", t[1])
      if not t.balanced then ub = ub + 1; assert.equal("++-", t.type) end
    end
    assert.equal(2, ub) -- C-A-D and C-B-D
  end)

  it("lists the triangles through a dyad", function()
    local list = g:triangles("C", "A")
    assert.equal(2, #list)
    table.sort(list, function(x, y) return x[3] < y[3] end)
    assert.same({"C", "A", "B", signs = "+++", type = "+++", balanced = true}, list[1])
    assert.same({"C", "A", "D", signs = "++-", type = "++-", balanced = false}, list[2])
    assert.same({}, g:triangles("A", "E")) -- no tie, no triangle
  end)

  it("breaks ties between optimal partitions by the weaker frustrated ties", function()
    -- four partitions frustrate 2 ties: {A,B} | {C,D,E} (C-A, C-B: weight
    -- 0.4), {A,B,C} | {D,E} (C-D, C-E), {A,B,C,E} | {D} (C-D, D-E) and one
    -- bloc (A-D, B-D), each of weight 2
    local L, count = lua_frustration(5, edges)
    assert.equal(2, L)
    assert.equal(4, count)
    local r = g:frustration()
    assert.equal(2, r.index)
    near(0.4, r.weight)
    assert.same({{"A", "B"}, {"C", "D", "E"}, unattached = {}}, g:blocs())
  end)

  it("puts C in the middle: half the frustration and two unbalanced triangles", function()
    local t = g:tension("C")
    assert.equal(0.5, t.share)
    assert.equal(2, t.unbalanced)
    assert.equal(4, t.triangles)
    assert.equal(2, #t.frustrated)
    assert.equal(2, t.bloc)
    local e = g:explain()
    assert.equal("C", e.actors[1].actor)
    assert.equal(0.25, e.actors[2].share)
    assert.matches("caught in the middle: C 50%%", g:report())
  end)

  it("explains a tense dyad by its unbalanced triangles and two-path pressure", function()
    local d = g:tension("C", "A")
    assert.is_true(d.frustrated)
    assert.equal("+", d.sign)
    assert.equal(1, d.unbalanced)
    assert.equal(1, d.balanced)
    assert.equal("D", d.unbalanced_triangles[1][3])
    assert.equal(0, d.pressure) -- via B: (+)(+) = 1; via D: (+)(-) = -1
    local n = g:tension("A", "D")
    assert.is_false(n.frustrated)
    assert.equal("-", n.sign)
  end)

  it("names a bad actor or method", function()
    assert.matches("bad argument #1 to 'tension' %(unknown actor 'Z'", errmsg(g.tension, g, "Z"))
    assert.matches("unknown actor 'c' %(did you mean 'C'%?%)", errmsg(g.triangles, g, "c"))
    assert.matches("unknown method 'walks' %(did you mean 'walk'%?%)", errmsg(g.balance, g, "walks"))
    assert.matches("unknown option 'exactly' %(did you mean 'exact'%?%)", errmsg(g.frustration, g, {exactly = true}))
    assert.matches("seed must be an integer >= 0, got %-1", errmsg(g.frustration, g, {seed = -1}))
  end)
end)

describe("invariants on random graphs", function()
  local seed = 12345
  local function rnd() seed = (seed * 16807) % 2147483647; return seed / 2147483647 end

  it("census equals a triple loop; balanced graphs score 1; heuristic >= exact", function()
    for _ = 1, 25 do
      local n = 4 + math.floor(rnd() * 8)
      local p, pneg = 0.3 + 0.6 * rnd(), rnd()
      local edges = {}
      for i = 1, n do for j = i + 1, n do
        if rnd() < p then edges[#edges + 1] = {i, j, rnd() < pneg and -1 or 1} end
      end end
      local g = graph(n, edges)
      local c, t = lua_census(n, edges), g:triangles()
      assert.same({c[1], c[2], c[3], c[4]}, {t["+++"], t["++-"], t["+--"], t["---"]})
      local L = lua_frustration(n, edges)
      local ex = g:frustration {exact = true, enumerate = false}
      assert.equal(L, ex.index)
      assert.is_true(ex.optimal)
      local h = g:frustration {exact = false}
      assert.is_true(h.index >= L and h.lower_bound <= L)
      -- the same graph switched to a planted two-bloc partition is balanced
      local bloc, bal = {}, {}
      for v = 1, n do bloc[v] = rnd() < 0.5 end
      for i, e in ipairs(edges) do bal[i] = {e[1], e[2], bloc[e[1]] == bloc[e[2]] and 1 or -1} end
      local b = graph(n, bal):balance()
      assert.is_true(b.triangles == nil or b.triangles == 1)
      near(1, b.walk, 1e-12)
      assert.is_true(#bal == 0 or b.frustration == 1)
    end
  end)
end)

describe("the 51 Correlates of War networks (Doreian & Mrvar 2015)", function()
  -- Frustration indices from an independent solver: the binary program of
  -- bench/balance_milp.py solved by HiGHS (scipy.optimize.milp).
  local highs = {
    ["46-49"] = 17, ["47-50"] = 18, ["48-51"] = 20, ["49-52"] = 15, ["50-53"] = 15, ["51-54"] = 17,
    ["52-55"] = 21, ["53-56"] = 27, ["54-57"] = 33, ["55-58"] = 35, ["56-59"] = 34, ["57-60"] = 26,
    ["58-61"] = 30, ["59-62"] = 36, ["60-63"] = 39, ["61-64"] = 37, ["62-65"] = 36, ["63-66"] = 29,
    ["64-67"] = 24, ["65-68"] = 23, ["66-69"] = 28, ["67-70"] = 27, ["68-71"] = 28, ["69-72"] = 33,
    ["70-73"] = 26, ["71-74"] = 28, ["72-75"] = 29, ["73-76"] = 35, ["74-77"] = 46, ["75-78"] = 48,
    ["76-79"] = 50, ["77-80"] = 45, ["78-81"] = 39, ["79-82"] = 43, ["80-83"] = 48, ["81-84"] = 45,
    ["82-85"] = 47, ["83-86"] = 46, ["84-87"] = 43, ["85-88"] = 34, ["86-89"] = 32, ["87-90"] = 46,
    ["88-91"] = 42, ["89-92"] = 38, ["90-93"] = 44, ["91-94"] = 49, ["92-95"] = 45, ["93-96"] = 50,
    ["94-97"] = 48, ["95-98"] = 38, ["96-99"] = 45,
  }

  it("proves every frustration index optimal, equal to the integer program's", function()
    local n = 0
    for name, want in pairs(highs) do
      local edges, names = read_edges("data/signed/cow/" .. name .. ".csv")
      local g = graph(#names, edges, names)
      local r = g:frustration {exact = true, starts = 1}
      assert.equal(want, r.index, name)
      assert.is_true(r.optimal, name)
      assert.is_true(r.heuristic >= r.index, name)
      n = n + 1
    end
    assert.equal(51, n)
  end)

  it("reads a network through read_signed_csv into a world with the node list", function()
    local w = assert(entente.read_signed_csv("data/signed/cow/46-49.csv"))
    local g = w:signed()
    assert.equal(64, g.n)
    assert.equal(362, g.m)
    assert.equal(320, g.positive)
    assert.equal(17, g:frustration().index)
  end)
end)

describe("read_signed_csv", function()
  local dir = os.tmpname()
  local function file(text)
    local f = assert(io.open(dir, "wb"))
    f:write(text)
    f:close()
    return dir
  end
  teardown(function() os.remove(dir) end)

  it("reads from,to,sign in any column order and CRLF", function()
    local w = assert(entente.read_signed_csv(file("sign,to,from\r\n-1,B,A\r\n1,C,B\r\n")))
    local g = w:signed()
    assert.equal(-1, g:weight("A", "B"))
    assert.equal(1, g:weight("B", "C"))
    assert.equal("positive", w:kind("positive").name)
  end)

  it("returns nil and a message naming the file, line and value", function()
    local p = file("from,to,sign\nA,B,1\nA,C,2\n")
    local w, err = entente.read_signed_csv(p)
    assert.is_nil(w)
    assert.matches(":3:5: bad sign '2' %(expected 1 or %-1%)", err)
    w, err = entente.read_signed_csv(file("from,to,sign\nA,A,1\n"))
    assert.matches(":2:3: self%-loop on 'A'", err)
    w, err = entente.read_signed_csv(file("from,to,sign\nA B,C,1\n"))
    assert.matches(":2:1: bad actor name 'A B'", err)
    w, err = entente.read_signed_csv(file("from,to,weight\nA,B,1\n"))
    assert.matches(":1:1: no column 'sign'", err)
    w, err = entente.read_signed_csv(file("from,to,sign\nA,B\n"))
    assert.matches(":2:", err)
    w, err = entente.read_signed_csv("/nonexistent/file.csv")
    assert.is_nil(w)
    assert.matches("nonexistent", err)
    assert.matches("bad argument #1 to 'read_signed_csv' %(path expected, got number%)",
      errmsg(entente.read_signed_csv, 42))
  end)

  it("keeps isolated actors and their order from a node list", function()
    local nodes = os.tmpname()
    local f = assert(io.open(nodes, "wb"))
    f:write("name\nZ\nA\nB\n")
    f:close()
    local w = assert(entente.read_signed_csv(file("from,to,sign\nA,B,-1\n"), {nodes = nodes}))
    os.remove(nodes)
    local g = w:signed()
    assert.same({"Z", "A", "B"}, g:actors())
    assert.same({"Z"}, g:blocs().unattached)
  end)
end)

describe("limits", function()
  it("refuses the walk score past the dense eigensolver's limit, saying why", function()
    local n = 3001
    local from, to, weight = {}, {}, {}
    for i = 1, n - 1 do from[i], to[i], weight[i] = i, i + 1, 1 end
    local g = entente.signed_graph {n = n, from = from, to = to, weight = weight}
    local s, why = g:balance("walk")
    assert.is_nil(s)
    assert.matches("largest connected component has 3001 actors, over the limit of 3000", why)
    assert.equal(0, g:frustration().index) -- a path is balanced
  end)

  it("checks the columns of signed_graph, naming the row", function()
    assert.matches("edge 2: vertex 9 out of range 1..3",
      errmsg(entente.signed_graph, {n = 3, from = {1, 9}, to = {2, 1}, weight = {1, 1}}))
    assert.matches("edge 1: self%-loop on vertex 2",
      errmsg(entente.signed_graph, {n = 3, from = {2}, to = {2}, weight = {1}}))
    assert.matches("edge 1: weight inf is not a finite number",
      errmsg(entente.signed_graph, {n = 3, from = {1}, to = {2}, weight = {math.huge}}))
  end)
end)
