-- The network map (entente.map): DOT text, Graphviz renderings, and
-- entente's own drawing when Graphviz is missing.
local entente = require "entente"
local map = require "entente.map"
local svg = require "entente.svg"
map(entente, entente.World)

local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local X = dofile(here .. "pictures_support.lua")

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function parse(text)
  local root = X.parse(text)
  assert.is_not_false(X.lxp_ok(text))
  assert.equal("svg", root.tag)
  return root
end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

-- The DOT statements of nodes and edges, read back from the text.
local function dot_nodes(dot)
  local t = {}
  for code, attrs in dot:gmatch('\n%s*"([^"]+)" %[(width=[^\n]*)%];') do t[code] = attrs end
  return t
end

local function dot_edges(dot)
  local t = {}
  for a, b, attrs in dot:gmatch('\n%s*"([^"]+)" %-%- "([^"]+)" %[([^\n]*)%];') do t[#t + 1] = {a = a, b = b, attrs = attrs} end
  return t
end

local function width_of(attrs) return tonumber(attrs:match("width=([%d.]+)")) end

-- Under the sanitizer run (make test-asan) the sanitizer runtime is
-- preloaded into this interpreter; Graphviz, which leaks by design, must not
-- inherit it.
if os.getenv("LD_PRELOAD") then map.dot_program = {"env", "-u", "LD_PRELOAD", "dot"} end
local HAS_DOT = X.have "dot"

describe("w:map", function()
  local w = entente.load "russia_dprk_2024"
  local m = w:map {date = "2024-12-05"}

  it("has one node per actor and a title with the date", function()
    local nodes = dot_nodes(m.dot)
    local n = 0
    for _, a in ipairs(w:actors()) do
      assert.truthy(nodes[a.code], a.code)
      n = n + 1
    end
    local count = 0
    for _ in pairs(nodes) do count = count + 1 end
    assert.equal(n, count)
    assert.truthy(m.dot:find("Russia-DPRK pact and China's dilemma (2024), as of 2024-12-05", 1, true))
  end)

  it("has one edge per dyad and kind in force on the date", function()
    local expect = {}
    for _, r in ipairs(w:relations {date = "2024-12-05"}) do
      local i = r:info()
      local a, b = i.a, i.b
      if b < a and not w:kind(i.kind).directed then a, b = b, a end
      expect[a .. "|" .. b .. "|" .. i.kind] = true
    end
    local n = 0
    for _ in pairs(expect) do n = n + 1 end
    local edges = dot_edges(m.dot)
    assert.equal(n, #edges)
    assert.equal(n, #m.edges)
    -- the 1961 USSR-DPRK treaty (ended 2000) is not on the 2024 map; the 2024 one is
    local has = {}
    for _, e in ipairs(m.edges) do has[e.a .. "|" .. e.b .. "|" .. e.kind] = true end
    assert.truthy(has["RUS|PRK|defence"])
    assert.equal(1, #w:map {date = "1990-01-01", kinds = {"defence"}, actors = {"RUS", "PRK"}}.edges)
  end)

  it("styles edges by kind: defence thick, partnership thin, trade dotted, sanctions dashed, hostile red", function()
    local style = {}
    for _, e in ipairs(dot_edges(m.dot)) do
      local kind = e.attrs:match('tooltip="[^:]*: (%S+)')
      style[kind] = e.attrs
    end
    local function pw(k) return tonumber(style[k]:match("penwidth=([%d.]+)")) end
    assert.is_true(pw("defence") > pw("consultation"))
    assert.is_true(pw("consultation") > pw("partnership"))
    assert.truthy(style.trade:find("style=dotted", 1, true))
    assert.truthy(style.sanction:find("style=dashed", 1, true))
    assert.is_nil(style.defence:find("style=", 1, true))
    assert.truthy(style.war:find('color="#c62828"', 1, true))
    assert.truthy(style.rivalry:find('color="#c62828"', 1, true))
    assert.truthy(style.defence:find('color="#2563a8"', 1, true))
    -- directed kinds (sanctions, military aid) have arrows, the others not
    assert.truthy(style.sanction:find("dir=forward", 1, true))
    assert.is_nil(style.defence:find("dir=forward", 1, true))
  end)

  it("sizes nodes by military expenditure when no actor has a CINC, and says so", function()
    local nodes = dot_nodes(m.dot)
    -- milex: USA 916 bn > CHN 296 bn > RUS 109 bn > UKR 64.8 bn
    assert.is_true(width_of(nodes.USA) > width_of(nodes.CHN))
    assert.is_true(width_of(nodes.CHN) > width_of(nodes.RUS))
    assert.is_true(width_of(nodes.RUS) > width_of(nodes.UKR))
    -- width = 0.55 + 1.05 sqrt(value / largest): (w - 0.55)^2 goes as the value
    local r = ((width_of(nodes.USA) - 0.55) / (width_of(nodes.CHN) - 0.55)) ^ 2
    assert.near(916 / 296, r, 0.01)
    -- PRK has no milex: drawn small, dashed
    assert.truthy(nodes.PRK:find("dashed", 1, true))
    assert.truthy(m.dot:find("Node size: military expenditure (milex_usd); dashed outline: no data", 1, true))
  end)

  it("prefers cinc when an actor has it, and can draw all nodes alike", function()
    local f = w:fork()
    f:actor("CHN").cinc = 0.2
    f:actor("USA").cinc = 0.14
    local m2 = f:map()
    assert.truthy(m2.dot:find("Node size: CINC", 1, true))
    local nodes = dot_nodes(m2.dot)
    assert.is_true(width_of(nodes.CHN) > width_of(nodes.USA))
    local m3 = w:map {size = false}
    assert.truthy(m3.dot:find("Node size: all equal", 1, true))
    local widths = {}
    for _, attrs in pairs(dot_nodes(m3.dot)) do widths[width_of(attrs)] = true end
    local n = 0
    for _ in pairs(widths) do n = n + 1 end
    assert.equal(1, n)
  end)

  it("groups actors by bloc and highlights frustrated edges", function()
    local mb = w:map {blocs = {{"USA", "JPN", "ROK"}, {"RUS", "PRK", "CHN"}}, frustrated = {{"USA", "CHN"}}}
    local c1 = mb.dot:match('subgraph "cluster_bloc_1" {(.-)\n  }')
    local c2 = mb.dot:match('subgraph "cluster_bloc_2" {(.-)\n  }')
    for _, code in ipairs {"USA", "JPN", "ROK"} do assert.truthy(c1:find('"' .. code .. '"', 1, true)) end
    for _, code in ipairs {"RUS", "PRK", "CHN"} do assert.truthy(c2:find('"' .. code .. '"', 1, true)) end
    assert.is_nil(c1:find('"CHN"', 1, true))
    local halo = 0
    for _, e in ipairs(dot_edges(mb.dot)) do
      local is_fr = e.attrs:find("frustrated", 1, true) ~= nil
      local dyad = (e.a == "USA" and e.b == "CHN") or (e.a == "CHN" and e.b == "USA")
      assert.equal(dyad, is_fr)
      if is_fr then
        assert.truthy(e.attrs:find('color="#ffa31a:', 1, true))
        halo = halo + 1
      end
    end
    assert.equal(2, halo) -- CHN-USA trade and rivalry
    assert.truthy(mb.dot:find("frustrated (breaks balance)", 1, true))
    -- also as a map code = bloc
    local mc = w:map {blocs = {USA = "west", CHN = "east"}}
    assert.truthy(mc.dot:find('label="bloc west"', 1, true))
  end)

  it("takes blocs and frustrated edges from an object with :blocs() and :frustrated()", function()
    local g = {blocs = function() return {{"USA", "JPN"}, {"RUS", "PRK"}} end,
      frustrated = function() return {{a = "CHN", b = "JPN"}} end}
    local mg = w:map {balance = g}
    assert.truthy(mg.dot:find("cluster_bloc_2", 1, true))
    assert.equal(1, mg.nfrustrated) -- CHN-JPN trade
  end)

  it("rejects bad input naming the value", function()
    assert.matches("unknown option 'dat'", errmsg(w.map, w, {dat = "2024"}))
    assert.matches("bad date '2024-13-01'", errmsg(w.map, w, {date = "2024-13-01"}), 1, true)
    assert.matches("unknown actor 'XXX'", errmsg(w.map, w, {blocs = {{"USA", "XXX"}}}))
    assert.matches("unknown actor 'ZZZ'", errmsg(w.map, w, {actors = {"USA", "ZZZ"}}))
    assert.matches("unknown kind 'tradee'", errmsg(w.map, w, {exclude = {"tradee"}}))
    assert.matches("size must be an attribute name, a table code = value or false, got 42",
      errmsg(w.map, w, {size = 42}), 1, true)
    assert.matches("frustrated[1] must be a pair of actor codes", errmsg(w.map, w, {frustrated = {{"USA"}}}), 1, true)
    assert.matches("nodes[2] ('B'): size value -1 must be a finite number >= 0",
      errmsg(map.build, {nodes = {{code = "A"}, {code = "B", value = -1}}}), 1, true)
    assert.matches("edges[1].b: unknown actor 'C'",
      errmsg(map.build, {nodes = {{code = "A"}}, edges = {{a = "A", b = "C", kind = "trade"}}}), 1, true)
    assert.matches("cannot tell the format of 'map.jpeg'", errmsg(m.write, m, "map.jpeg"), 1, true)
  end)

  it("escapes quotes and backslashes in DOT strings", function()
    local mm = map.build {title = 'A "quoted" \\ title', nodes = {{code = 'X"Y', name = "a\\b"}}}
    assert.truthy(mm.dot:find('"X\\"Y"', 1, true))
    assert.truthy(mm.dot:find('A &quot;quoted&quot; \\ title', 1, true)) -- inside the HTML-like label
  end)
end)

describe("map rendering", function()
  local w = entente.load "russia_dprk_2024"
  local m = w:map {date = "2024-12-05", blocs = {{"USA", "JPN", "ROK"}, {"RUS", "PRK"}}, frustrated = {{"CHN", "USA"}}}

  it("writes DOT without Graphviz", function()
    local file = os.tmpname() .. ".dot"
    assert.equal(file, m:write(file))
    assert.equal(m.dot, readfile(file))
    os.remove(file)
  end)

  it("renders SVG through Graphviz with one node per actor and one edge per relation shown", function()
    if not HAS_DOT then
      pending("Graphviz 'dot' is not installed (Debian package graphviz)")
      return
    end
    local text, how = m:svg()
    assert.equal("graphviz", how)
    local root = parse(text)
    assert.equal(#w:actors(), #X.find(root, "g", "node"))
    assert.equal(#m.edges, #X.find(root, "g", "edge"))
    local titles = {}
    for _, g in ipairs(X.find(root, "g", "node")) do titles[X.text(X.find(g, "title")[1])] = true end
    for _, a in ipairs(w:actors()) do assert.truthy(titles[a.code], a.code) end
    assert.truthy(text:find("as of 2024&#45;12&#45;05", 1, true) or text:find("as of 2024-12-05", 1, true))
  end)

  it("renders PNG through Graphviz", function()
    if not HAS_DOT then
      pending("Graphviz 'dot' is not installed (Debian package graphviz)")
      return
    end
    local file = os.tmpname() .. ".png"
    assert.equal(file, m:write(file))
    local png = readfile(file)
    os.remove(file)
    assert.equal("\137PNG\r\n\26\n", png:sub(1, 8))
    -- IHDR: width and height, big-endian
    local function u32(s, i) local a, b, c, d = s:byte(i, i + 3); return ((a * 256 + b) * 256 + c) * 256 + d end
    assert.is_true(u32(png, 17) > 300 and u32(png, 21) > 300)
  end)

  describe("without Graphviz", function()
    local saved
    before_each(function() saved = map.dot_program; map.dot_program = "/nonexistent/entente-no-dot" end)
    after_each(function() map.dot_program = saved end)

    it("says clearly what is missing and how to get it", function()
      local ok, err = m:write(os.tmpname() .. ".svg")
      assert.is_nil(ok)
      assert.matches("Graphviz '/nonexistent/entente-no-dot' was not found", err, 1, true)
      assert.matches("apt-get install graphviz", err, 1, true)
      local ok2, err2 = m:render("png")
      assert.is_nil(ok2)
      assert.equal(err, err2)
    end)

    it("draws its own SVG: one node per actor, one edge per relation, labels apart", function()
      local text, how, why = m:svg()
      assert.equal("entente", how)
      assert.matches("was not found", why)
      local root = parse(text)
      assert.equal(#w:actors(), #X.find(root, "g", "node"))
      assert.equal(#m.edges, #X.find(root, "g", "edge"))
      assert.equal(2, #X.find(root, "g", "frustrated")) -- CHN-USA trade and rivalry
      local boxes = X.text_boxes(root, svg.text_width)
      assert.same({}, X.overlaps(boxes))
    end)

    it("keeps 40 actors' labels apart", function()
      local nodes, edges = {}, {}
      for i = 1, 40 do
        nodes[i] = {code = string.format("A%02d", i), value = i * i, bloc = i % 3}
        if i > 1 then edges[#edges + 1] = {a = nodes[i - 1].code, b = nodes[i].code, kind = "trade", sign = 1} end
      end
      local big = map.build {title = "forty", date = "2024-01-01", nodes = nodes, edges = edges, size_by = "value"}
      local root = parse(big:draw())
      assert.equal(40, #X.find(root, "g", "node"))
      local w_, h_ = tonumber(root.attrs.width), tonumber(root.attrs.height)
      local boxes = X.text_boxes(root, svg.text_width)
      assert.same({}, X.overlaps(boxes))
      assert.same({}, X.outside(boxes, w_, h_))
    end)
  end)
end)
