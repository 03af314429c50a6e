-- The HTML report (entente.html): one self-contained file with the scenario
-- summary, its tables and its pictures; rendered in headless Chromium when
-- it is installed (Debian packages chromium and chromium-driver).
local entente = require "entente"
local map = require "entente.map"
local chart = require "entente.chart"
local html = require "entente.html"
map(entente, entente.World)
chart(entente, entente.World)
html(entente, entente.World)

local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local X = dofile(here .. "pictures_support.lua")

-- Under make test-asan, Graphviz must not inherit the preloaded sanitizer
-- runtime (it leaks by design); see spec/map_spec.lua.
if os.getenv("LD_PRELOAD") then map.dot_program = {"env", "-u", "LD_PRELOAD", "dot"} end

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end


-- The text of a table's rows (tbody), as lists of cell texts.
local function table_rows(t)
  local rows = {}
  for _, tr in ipairs(X.find(t, "tr")) do
    if tr.parent.tag == "tbody" then
      local cells = {}
      for _, td in ipairs(X.find(tr, "td")) do cells[#cells + 1] = X.text(td) end
      rows[#rows + 1] = cells
    end
  end
  return rows
end

-- The section (h2 and what follows up to the next h2) whose heading starts with s.
local function section(root, s)
  local main = X.find(root, "main")[1]
  local out, inside = {}, false
  for _, c in ipairs(main.children) do
    if type(c) == "table" then
      if c.tag == "h2" then inside = X.text(c):sub(1, #s) == s end
      if inside then out[#out + 1] = c end
    end
  end
  return {tag = "section", attrs = {}, children = out}
end

local w = entente.load "russia_dprk_2024"
local r0 = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-06-18"}
local r1 = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-12-05"}
local s1 = w:tension {dyad = {"PRK", "ROK"}, from = "2023-01-01", to = "2024-12-31", step = "month"}
local s2 = w:tension {dyad = {"RUS", "PRK"}, from = "2023-01-01", to = "2024-12-31", step = "month"}
local page = w:html {date = "2024-12-05", compare = {"2024-06-18", "2024-12-05"},
  results = {{r1, before = r0}, {s1, with = {s2}, marks = {{x = "2024-06-19", label = "treaty signed"}}}}}

describe("w:html", function()
  local root = X.parse(page)

  it("is one well-formed (polyglot XHTML) document", function()
    assert.equal("html", root.tag)
    assert.is_not_false(X.lxp_ok(page))
    assert.equal("<!DOCTYPE html>", page:sub(1, 15))
  end)

  it("is self-contained: no script, no stylesheet link, nothing fetched", function()
    assert.equal(0, #X.find(root, "script"))
    assert.equal(0, #X.find(root, "link"))
    assert.equal(0, #X.find(root, "img"))
    for _, e in ipairs(X.all(root, function() return true end)) do
      for k, v in pairs(e.attrs) do
        if k == "src" or k == "href" or k == "xlink:href" then
          assert.equal("#", v:sub(1, 1), "external reference " .. k .. "=" .. v)
        end
      end
    end
    local css = X.text(X.find(root, "style")[1])
    assert.is_nil(css:find("url(", 1, true))
    assert.is_nil(css:find("@import", 1, true))
  end)

  it("has the title, the date and a table of contents linking every section", function()
    assert.equal("Russia-DPRK pact and China's dilemma (2024)", X.text(X.find(root, "h1")[1]))
    assert.truthy(page:find("As of 2024-12-05", 1, true))
    local ids = {}
    for _, h in ipairs(X.find(root, "h2")) do ids["#" .. h.attrs.id] = true end
    local links = X.find(X.find(root, "nav")[1], "a")
    assert.equal(#X.find(root, "h2"), #links)
    for _, a in ipairs(links) do assert.truthy(ids[a.attrs.href], a.attrs.href) end
  end)

  it("has the map as inline SVG with one node per actor", function()
    local sec = section(root, "Map")
    local svgs = X.find(sec, "svg")
    assert.equal(1, #svgs)
    local nodes = X.find(svgs[1], "g", "node")
    assert.equal(#w:actors(), #nodes)
    -- and its DOT source, folded
    assert.truthy(X.text(X.find(sec, "details")[1]):find("graph entente_map {", 1, true))
  end)

  it("has one actors row per actor and one relations row per relation in force", function()
    local actors = table_rows(X.find(section(root, "Actors"), "table")[1])
    assert.equal(#w:actors(), #actors)
    for i, a in ipairs(w:actors()) do assert.equal(a.code, actors[i][1]) end
    -- milex of the USA, 916 bn USD, written readably
    assert.equal("916 bn", actors[1][3])
    local rels = table_rows(X.find(section(root, "Relations in force"), "table")[1])
    assert.equal(w:count_relations {date = "2024-12-05"}, #rels)
  end)

  it("lists the defence obligations and what changed between the two dates", function()
    local obl = table_rows(X.find(section(root, "Defence obligations"), "table")[1])
    assert.equal(#w:obligations {date = "2024-12-05"}, #obl)
    local ch = w:changes("2024-06-18", "2024-12-05")
    local rows = table_rows(X.find(section(root, "What changed"), "table")[1])
    assert.equal(#ch.started + #ch.ended, #rows)
  end)

  it("has each result as a chart and its table", function()
    local sec = section(root, "Who is drawn in if ROK attacks PRK")
    local svg_ = X.find(sec, "svg")[1]
    local drawn = 0
    for _, a in ipairs(r1.actors) do
      if not a.initial and (a.p > 0 or r0:p(a.code) > 0) then drawn = drawn + 1 end
    end
    assert.equal(drawn, #X.find(svg_, "g", "pair"))
    local rows = table_rows(X.find(sec, "table")[1])
    assert.equal(drawn + 2, #rows) -- and the two belligerents
    local ten = section(root, "Tension of PRK-ROK and RUS-PRK")
    assert.equal(2 * #s1.dates, #X.find(X.find(ten, "svg")[1], "circle", "pt"))
    assert.equal(#s1.dates, #table_rows(X.find(ten, "table")[1]))
  end)

  it("has an options evaluation as two charts, its table and its verdict", function()
    local sc = entente.scenario(w, {date = "2024-12-05"})
    sc:option("CHN", "distance", {{"weaken", "CHN", "PRK", "defence", factor = 0.5}})
    local r = sc:evaluate {actor = "CHN", runs = 200, seed = 1}
    local p = X.parse(w:html {results = {r}, map = false, events = false})
    local sec = section(p, "CHN's options")
    local svgs = X.find(sec, "svg")
    assert.equal(2, #svgs)
    assert.equal(#r.options, #X.find(svgs[1], "g", "box"))
    assert.equal(#r.options, #X.find(svgs[2], "g", "bar"))
    local rows = table_rows(X.find(sec, "table")[1])
    assert.equal(#r.options, #rows)
    assert.equal(string.format("%.3f", r.options[1].expected), rows[1][2])
    assert.truthy(X.text(sec):find(r.verdict.text, 1, true))
  end)

  it("puts charts of one's own after the scenario", function()
    local c = chart.paired {items = {{label = "a", before = 0.1, after = 0.2}}}
    local p = X.parse(w:html {map = false, events = false, charts = {c, {svg = c, caption = "again"}}})
    local h2 = X.find(p, "h2")
    assert.equal("Scenario", X.text(h2[1]))
    assert.equal("Charts", X.text(h2[2]))
    local sec = section(p, "Charts")
    assert.equal(2, #X.find(sec, "svg"))
    assert.equal("again", X.text(X.find(sec, "figcaption")[1]))
    assert.matches("charts[1] must be a chart", errmsg(w.html, w, {charts = {42}}), 1, true)
  end)

  it("draws the map itself when Graphviz is missing, and says so", function()
    local saved = map.dot_program
    map.dot_program = "/nonexistent/entente-no-dot"
    local ok, p = pcall(w.html, w, {events = false})
    map.dot_program = saved
    assert.is_true(ok, p)
    local r = X.parse(p)
    local sec = section(r, "Map")
    assert.equal(#w:actors(), #X.find(sec, "g", "node"))
    assert.truthy(X.text(X.find(sec, "figcaption")[1]):find("apt-get install graphviz", 1, true))
  end)

  it("writes the file with out=, and reports a file it cannot write", function()
    local file = os.tmpname()
    local p = assert(w:html {out = file, map = false, events = false})
    assert.equal(p, readfile(file))
    os.remove(file)
    local ok, err = w:html {out = "/nonexistent-dir/r.html", map = false}
    assert.is_nil(ok)
    assert.matches("cannot write '/nonexistent-dir/r.html'", err, 1, true)
  end)

  it("rejects bad options naming the value", function()
    assert.matches("unknown option 'maps'", errmsg(w.html, w, {maps = false}))
    assert.matches("bad date '2024-02-30'", errmsg(w.html, w, {date = "2024-02-30"}), 1, true)
    assert.matches("compare must be a pair of dates", errmsg(w.html, w, {compare = "2024"}))
    assert.matches("no section for this result", errmsg(w.html, w, {results = {{}}}))
  end)
end)

describe("html.from_reports (entente run FILE --format html)", function()
  it("turns the reports of the command into a page with the map and a chart per conflict", function()
    local cli = require "entente.cli"
    local json = require "entente.json"
    local out = {}
    local sink = {write = function(_, ...) for _, v in ipairs {...} do out[#out + 1] = v end end}
    local code = cli.main({"run", here .. "../examples/russia_dprk_pact.ent", "--format", "json", "--progress", "never"},
      {stdout = sink, stderr = {write = function() end}, isatty = function() return false end})
    assert.equal(0, code)
    local doc = json.decode(table.concat(out))
    local reports, nconf = {}, 0
    for i, r in ipairs(doc.reports) do
      reports[i] = {id = r.id, title = r.title, data = r.data, unavailable = r.unavailable, error = r.error,
        text = "report " .. i}
      if r.id == "entrapment" and r.data then nconf = nconf + 1 end
    end
    assert.is_true(nconf >= 1)
    local p = html.from_reports(w, reports, {file = "examples/russia_dprk_pact.ent"})
    local root = X.parse(p)
    assert.equal(#w:actors(), #X.find(section(root, "Map"), "g", "node"))
    local charts = 0
    for _, h in ipairs(X.find(root, "h2")) do
      if X.text(h):match("^Entrapment") then charts = charts + 1 end
    end
    assert.equal(nconf, charts)
    -- each entrapment section has its chart, one row per actor drawn in
    for _, r in ipairs(reports) do
      if r.id == "entrapment" and r.data then
        local sec = section(root, r.title)
        local drawn = 0
        for _, a in ipairs(r.data.actors) do if not a.initial and a.p > 0 then drawn = drawn + 1 end end
        assert.equal(drawn, #X.find(X.find(sec, "svg")[1], "g", "pair"))
      end
    end
  end)
end)

describe("html.document", function()
  it("escapes text and builds tables with numeric cells marked", function()
    local p = html.document {title = "a <b> & c", sections = {{heading = "T & U", text = "x < y",
      table = {header = {"k", "v"}, rows = {{"<k>", 1.5}, {"z", "12%"}}}}}}
    local root = X.parse(p)
    assert.equal("a <b> & c", X.text(X.find(root, "h1")[1]))
    local tds = X.find(root, "td")
    assert.equal("<k>", X.text(tds[1]))
    assert.equal("num", tds[2].attrs.class)
    assert.equal("1.5", X.text(tds[2]))
    assert.equal("num", tds[4].attrs.class)
    assert.equal("t-u", X.find(root, "h2")[1].attrs.id)
  end)

  it("refuses a figure that is not SVG, naming what it got", function()
    assert.matches("svg must be SVG text, a chart or a map, got number",
      errmsg(html.document, {sections = {{figure = {svg = 42}}}}), 1, true)
  end)
end)

describe("the report in a browser", function()
  local browser = X.chromium()

  it("renders to a screenshot that is not blank", function()
    if not browser then
      pending("headless Chromium is not installed (Debian packages chromium and chromium-driver)")
      return
    end
    local dir = X.tmpdir()
    local report, blank = dir .. "/report.html", dir .. "/blank.html"
    local f = assert(io.open(report, "wb")); f:write(page); f:close()
    f = assert(io.open(blank, "wb")); f:write("<!DOCTYPE html><html><body></body></html>"); f:close()
    local png = X.screenshot(report, dir .. "/report.png", 1200, 1600)
    local png0 = X.screenshot(blank, dir .. "/blank.png", 1200, 1600)
    assert.truthy(png, "no screenshot of the report")
    assert.truthy(png0, "no screenshot of the blank page")
    assert.equal("\137PNG\r\n\26\n", png:sub(1, 8))
    -- a page of text, a map and charts compresses far worse than white
    assert.is_true(#png > 5 * #png0, "report " .. #png .. " bytes, blank " .. #png0)
    -- and the pixels say so too: the browser decodes both screenshots
    local st = assert(X.png_stats(png, dir))
    local st0 = assert(X.png_stats(png0, dir))
    assert.equal(1200, st.width)
    assert.equal(0, st0.nonwhite)
    assert.is_true(st.nonwhite > 0.03, "non-white share " .. st.nonwhite)
    assert.is_true(st.colours > 50, st.colours .. " colours")
    X.rmtree(dir)
  end)

  it("lays out every chart label clear of the others with the browser's own fonts", function()
    if not browser then
      pending("headless Chromium is not installed (Debian packages chromium and chromium-driver)")
      return
    end
    local items12, parts, items40, marks = {}, {}, {}, {}
    local labels = {"Side openly with Russia and the DPRK", "Stay the course", "Distance from Pyongyang",
      "Mediate a freeze in exchange for sanctions relief, a long name that must be cut", "Tighten sanctions",
      "Court Seoul and Tokyo", "Offer a guarantee", "Do nothing", "X", "Build up forces in the north-east",
      "Call a UN Security Council meeting", "Recall the ambassador"}
    for i, l in ipairs(labels) do
      local s = {}
      for k = 1, 50 do s[k] = i + math.sin(k * i) end
      items12[i] = {label = l, samples = s}
      local ps = {}
      for j = 1, 6 do ps[j] = {name = "criterion " .. j .. " (weighted)", value = math.cos(i * j)} end
      parts[i] = {label = l, parts = ps}
    end
    for i = 1, 40 do items40[i] = {label = "Actor number " .. i, before = (i % 7) / 7, after = (i % 5) / 5} end
    for k = 0, 9 do marks[#marks + 1] = {x = chart.datestr(chart.day "2024-06-01" + 3 * k), label = "event " .. k} end
    local pts = {}
    for k = 0, 51 do pts[#pts + 1] = {x = chart.datestr(chart.day "2024-01-01" + 7 * k), y = math.sin(k / 4)} end
    local figs = {
      {svg = chart.boxes {title = "12 options", items = items12, xlabel = "score"}},
      {svg = chart.bars {title = "12 options, 6 criteria", items = parts, xlabel = "score"}},
      {svg = chart.bars {title = "grouped", items = parts, mode = "grouped"}},
      {svg = chart.paired {title = "40 actors", items = items40, xlabel = "probability"}},
      {svg = chart.series {title = "a year", series = {{label = "s", points = pts}}, marks = marks, ylabel = "y"}},
      {svg = r1:chart {before = r0}},
      {svg = s1:chart {with = {s2}}},
    }
    local dir = X.tmpdir()
    local file = dir .. "/charts.html"
    local p = html.document {title = "charts", sections = {{figures = figs}}}
    p = p:gsub("</body>", X.OVERLAP_SCRIPT .. "</body>")
    local f = assert(io.open(file, "wb")); f:write(p); f:close()
    local res = assert(X.rendered_overlaps(file))
    X.rmtree(dir)
    assert.is_true(res.checked > 200, "only " .. tostring(res.checked) .. " texts checked")
    assert.same({}, res.overlaps)
  end)
end)
