-- Charts: standalone SVG written by entente (entente.chart, entente.svg).
local entente = require "entente"
local chart = require "entente.chart"
local svg = require "entente.svg"
chart(entente, entente.World)

local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local X = dofile(here .. "pictures_support.lua")

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

-- Parse with the spec's parser (and lua-expat when installed); return the root.
local function parse(text)
  local root = X.parse(text)
  local ok, msg = X.lxp_ok(text)
  assert.is_not_false(ok, msg)
  assert.equal("svg", root.tag)
  return root
end

-- Text boxes of a chart: none overlaps another and none leaves the canvas.
local function assert_clear_labels(c)
  local root = parse(c.svg)
  local boxes = X.text_boxes(root, svg.text_width)
  assert.same({}, X.overlaps(boxes))
  assert.same({}, X.outside(boxes, c.width, c.height))
  return root, boxes
end

-- A reproducible stream of numbers in [0,1) (a linear congruential generator).
local function lcg(seed)
  return function()
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  end
end

local LONG = {"Side openly with Russia and the DPRK", "Stay the course", "Distance from Pyongyang",
  "Mediate a freeze in exchange for sanctions relief, a long name that must be cut", "Tighten sanctions enforcement",
  "Court Seoul and Tokyo", "Offer a new security guarantee", "Do nothing", "X", "Build up forces in the north-east",
  "Call a UN Security Council meeting", "Recall the ambassador"}

describe("svg writer", function()
  it("escapes markup characters in text and attributes", function()
    local d = svg.new(100, 50, {title = "a < b & c"})
    d:text(10, 20, [[<script>"x" & 'y'</script>]], {class = 'q"uote'})
    local root = parse(d:render())
    local t = X.find(root, "text")[1]
    assert.equal([[<script>"x" & 'y'</script>]], X.text(t))
    assert.equal('q"uote', t.attrs.class)
    assert.equal(0, #X.find(root, "script"))
  end)

  it("drops control characters that XML 1.0 forbids", function()
    local d = svg.new(100, 50)
    d:text(1, 1, "a\1b\27c\tt")
    assert.equal("abc\tt", X.text(X.find(parse(d:render()), "text")[1]))
  end)

  it("writes numbers with at most two decimals and no exponent", function()
    assert.equal("0.33", svg.num(1 / 3))
    assert.equal("0", svg.num(-0.001))
    assert.equal("1000000", svg.num(1e6))
    assert.equal("12.5", svg.num(12.5))
  end)

  it("refuses a NaN or infinite coordinate, naming it", function()
    local d = svg.new(10, 10)
    assert.matches("attribute 'x' is not a finite number: nan", errmsg(d.rect, d, 0 / 0, 1, 1, 1), 1, true)
    assert.matches("attribute 'cy'", errmsg(d.circle, d, 1, math.huge, 1))
  end)

  it("refuses to render with an element left open", function()
    local d = svg.new(10, 10)
    d:open("g")
    assert.matches("<g> left open", errmsg(d.render, d), 1, true)
  end)

  it("measures wider text as wider and cuts text to a width with an ellipsis", function()
    assert.is_true(svg.text_width("WWW", 12) > svg.text_width("iii", 12))
    assert.equal(2 * svg.text_width("abc", 12), svg.text_width("abc", 24))
    local cut, was = svg.fit("a rather long label indeed", 12, 60)
    assert.is_true(was)
    assert.is_true(svg.text_width(cut, 12) <= 60)
    assert.equal("\226\128\166", cut:sub(-3))
    assert.equal("short", (svg.fit("short", 12, 60)))
  end)

  it("counts a multi-byte character once", function()
    assert.equal(svg.text_width("\195\169", 10), svg.text_width("\226\128\148", 10)) -- é and an em dash
    assert.is_true(svg.text_width("\195\169", 10) < 2 * svg.text_width("e", 10))
  end)
end)

describe("the spec's XML checker", function()
  -- It must be able to fail, or the well-formedness checks below prove nothing.
  local bad = {
    ["an unclosed element"] = "<svg><g></svg>",
    ["crossed tags"] = "<svg><g><text></g></text></svg>",
    ["a raw ampersand"] = "<svg><text>a & b</text></svg>",
    ["an unknown entity"] = "<svg><text>&nbsp;</text></svg>",
    ["a duplicate attribute"] = '<svg x="1" x="2"/>',
    ["an unquoted attribute"] = "<svg x=1/>",
    ["two roots"] = "<svg/><svg/>",
    ["text after the root"] = "<svg/>hello",
    ["a raw < in an attribute"] = '<svg title="a<b"/>',
  }
  for what, text in pairs(bad) do
    it("rejects " .. what, function()
      assert.is_false(pcall(X.parse, text))
    end)
  end

  it("accepts a document with a prolog, comments, CDATA and references", function()
    local root = X.parse('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- c -->\n<svg a="&lt;&#65;&#x42;">' ..
      "<![CDATA[<raw>]]><g/></svg>\n")
    assert.equal("<AB", root.attrs.a)
    assert.equal("<raw>", root.children[1])
  end)

  it("finds overlapping text boxes", function()
    assert.equal(1, #X.overlaps {{0, 0, 10, 10, "a"}, {5, 5, 15, 15, "b"}, {20, 0, 30, 10, "c"}})
  end)
end)

describe("chart.summary", function()
  it("gives the type-7 quantiles of R and NumPy", function()
    local s = {}
    for i = 1, 101 do s[i] = 102 - i end -- 101 .. 1, unsorted on purpose
    local q = chart.summary(s)
    assert.equal(6, q.lo); assert.equal(26, q.q1); assert.equal(51, q.median)
    assert.equal(76, q.q3); assert.equal(96, q.hi); assert.equal(51, q.mean)
    -- interpolated: quantile(c(1,2,3,4), 0.25) is 1.75 in R
    assert.equal(1.75, chart.quantile({1, 2, 3, 4}, 0.25))
  end)
end)

describe("chart.boxes (option scores with their uncertainty)", function()
  local rnd = lcg(7)
  local items = {}
  for i, label in ipairs(LONG) do
    local s = {}
    for k = 1, 300 do s[k] = i / 12 + 0.2 * (rnd() - 0.5) end
    items[i] = {label = label, samples = s}
  end
  local c = chart.boxes {title = "China's options under uncertainty", items = items, xlabel = "score"}

  it("is well-formed XML with one box per option, in order", function()
    local root = parse(c.svg)
    local boxes = X.find(root, "g", "box")
    assert.equal(12, #boxes)
    for i, g in ipairs(boxes) do assert.equal(LONG[i], g.attrs["data-label"]) end
    assert.equal(12, #X.find(root, "rect", "iqr"))
    assert.equal(12, #X.find(root, "line", "median"))
    assert.equal(12, #X.find(root, "polygon", "mean"))
  end)

  it("places higher medians further right", function()
    local root = parse(c.svg)
    local prev = -1
    for _, l in ipairs(X.find(root, "line", "median")) do
      local x = tonumber(l.attrs.x1)
      assert.is_true(x > prev)
      prev = x
    end
  end)

  it("keeps every label apart for 12 options with long names", function()
    local _, boxes = assert_clear_labels(c)
    -- the cut label keeps its full text as a tooltip
    local found
    for _, b in ipairs(boxes) do if b[5]:find("Mediate a freeze", 1, true) then found = b[5] end end
    assert.truthy(found)
    assert.not_equal(LONG[4], found)
    assert.truthy(c.svg:find("<title>" .. LONG[4]:gsub("%p", "%%%0"), 1))
  end)

  it("accepts summaries instead of samples", function()
    local c2 = chart.boxes {items = {{label = "a", lo = 0, q1 = 1, median = 2, q3 = 3, hi = 4, mean = 2.2}}}
    assert.equal(1, #X.find(parse(c2.svg), "g", "box"))
  end)

  it("rejects bad input naming the value", function()
    assert.matches("sample 2 must be a finite number, got nan",
      errmsg(chart.boxes, {items = {{label = "a", samples = {1, 0 / 0, 3}}}}), 1, true)
    assert.matches("items must be a non-empty list, got an empty list", errmsg(chart.boxes, {items = {}}), 1, true)
    assert.matches("items[1] has no label", errmsg(chart.boxes, {items = {{samples = {1}}}}), 1, true)
    assert.matches("need lo <= q1 <= median", errmsg(chart.boxes,
      {items = {{label = "a", lo = 0, q1 = 3, median = 2, q3 = 3, hi = 4}}}))
    assert.matches("unknown option 'titel'", errmsg(chart.boxes, {titel = "x", items = items}))
  end)
end)

describe("chart.bars (criteria per option)", function()
  local crit = {"security", "entrapment risk", "economic exposure", "reputation", "partner trust", "balance"}
  local rnd = lcg(3)
  local items = {}
  for i, label in ipairs(LONG) do
    local parts = {}
    for j, c in ipairs(crit) do parts[j] = {name = c, value = (rnd() - 0.4) * 0.3} end
    items[i] = {label = label, parts = parts}
  end

  for _, mode in ipairs {"stacked", "grouped"} do
    it(mode .. ": one bar per option, one segment per criterion, labels apart", function()
      local c = chart.bars {title = "Why", items = items, mode = mode}
      local root = assert_clear_labels(c)
      assert.equal(12, #X.find(root, "g", "bar"))
      assert.equal(12 * 6, #X.find(root, "rect", "seg"))
      assert.equal(mode == "stacked" and 12 or 0, #X.find(root, "line", "total"))
      assert.equal(6 + (mode == "stacked" and 1 or 0), #X.find(root, "g", "legend-entry"))
    end)
  end

  it("stacks negative parts left of zero and positive parts right, the total at the net sum", function()
    local c = chart.bars {items = {{label = "a", parts = {{name = "p", value = 2}, {name = "n", value = -1}}},
      {label = "b", parts = {{name = "p", value = 1}, {name = "n", value = 0}}}}}
    local root = parse(c.svg)
    local segs = X.find(root, "rect", "seg")
    local p, n = segs[1], segs[2]
    assert.equal("p", p.attrs["data-name"]); assert.equal("n", n.attrs["data-name"])
    local zero = tonumber(p.attrs.x)
    assert.near(zero, tonumber(n.attrs.x) + tonumber(n.attrs.width), 0.02)
    -- widths in proportion to the values (2 : 1)
    assert.near(2, tonumber(p.attrs.width) / tonumber(n.attrs.width), 0.01)
    -- the total (2 - 1 = 1) sits half way along the positive part
    local total = X.find(root, "line", "total")[1]
    assert.near(zero + tonumber(p.attrs.width) / 2, tonumber(total.attrs.x1), 0.02)
    assert.same({1, 1}, c.totals)
  end)

  it("keeps a legend of 12 long criterion names apart", function()
    local parts = {}
    for j = 1, 12 do parts[j] = {name = "criterion number " .. j .. " with a longer name", value = j} end
    assert_clear_labels(chart.bars {items = {{label = "x", parts = parts}}})
  end)

  it("rejects bad input naming the value", function()
    assert.matches("mode 'pie' must be 'stacked' or 'grouped'", errmsg(chart.bars, {items = items, mode = "pie"}))
    assert.matches("items[1].parts[1].value ('s') must be a finite number, got 'x'",
      errmsg(chart.bars, {items = {{label = "a", parts = {{name = "s", value = "x"}}}}}), 1, true)
  end)
end)

describe("chart.paired (entrapment before and after)", function()
  local rnd = lcg(11)
  local items = {}
  for i = 1, 40 do
    local b = rnd()
    items[i] = {label = string.format("Actor number %02d", i), before = b, after = math.min(1, b * 1.3)}
  end

  it("shows one pair of dots per actor for 40 actors, labels apart", function()
    local c = chart.paired {title = "Entrapment", items = items}
    local root = assert_clear_labels(c)
    assert.equal(40, #X.find(root, "g", "pair"))
    assert.equal(40, #X.find(root, "circle", "before"))
    assert.equal(40, #X.find(root, "circle", "after"))
  end)

  it("puts probabilities on a 0 to 100% scale", function()
    local c = chart.paired {items = {{label = "a", before = 0, after = 1}, {label = "b", before = 0.25, after = 0.5}}}
    local root = parse(c.svg)
    local b, a = X.find(root, "circle", "before"), X.find(root, "circle", "after")
    local x0, x1 = tonumber(b[1].attrs.cx), tonumber(a[1].attrs.cx)
    assert.near(x0 + 0.25 * (x1 - x0), tonumber(b[2].attrs.cx), 0.02)
    assert.near((x0 + x1) / 2, tonumber(a[2].attrs.cx), 0.02)
    assert.truthy(c.svg:find(">100%<", 1, true))
  end)

  it("draws one dot per row when there is no before", function()
    local root = parse(chart.paired {items = {{label = "a", after = 0.3}}}.svg)
    assert.equal(0, #X.find(root, "circle", "before"))
    assert.equal(1, #X.find(root, "circle", "after"))
  end)

  it("rejects a missing value naming the actor", function()
    assert.matches("items[1].after ('CHN') must be a finite number, got nil",
      errmsg(chart.paired, {items = {{label = "CHN", before = 0.1}}}), 1, true)
  end)
end)

describe("chart.series (tension over time)", function()
  local function series(from, step, n)
    local pts = {}
    local z = chart.day(from)
    for k = 0, n - 1 do pts[k + 1] = {x = chart.datestr(z + k * step), y = math.sin(k / 3) * 4} end
    return pts
  end

  it("converts dates like the core (1970-01-01 is day 0, 2000-03-01 day 11017) and rejects bad ones", function()
    assert.equal(0, chart.day "1970-01-01")
    assert.equal(11017, chart.day "2000-03-01")
    assert.equal(entente._date "2024-12-04", chart.day "2024-12-04")
    assert.equal("2024-02-29", chart.datestr(chart.day "2024-02-29"))
    assert.is_nil(chart.day "2023-02-29")
    assert.is_nil(chart.day "2024-13-01")
  end)

  it("draws one marker per point and one line per series", function()
    local c = chart.series {title = "t", series = {{label = "PRK-ROK", points = series("2023-01-01", 30, 24)},
      {label = "CHN-RUS", points = series("2023-01-01", 30, 24)}}}
    local root = parse(c.svg)
    assert.equal(48, #X.find(root, "circle", "pt"))
    assert.equal(2, #X.find(root, "polyline", "line"))
    assert.equal(2, #X.find(root, "g", "series"))
  end)

  for _, case in ipairs {{"ten days", 1, 10}, {"two months", 2, 30}, {"two years", 30, 24},
    {"sixty years", 365, 60}, {"three centuries", 3650, 30}} do
    it("keeps date ticks apart over " .. case[1], function()
      local c = chart.series {series = {{label = "s", points = series("1990-01-01", case[2], case[3])}}}
      local root = assert_clear_labels(c)
      assert.is_true(#X.find(root, "text", "tick") >= 4) -- y and x ticks are there
    end)
  end

  it("stacks event-mark labels on rows so that close events do not collide", function()
    local marks = {}
    for k = 0, 9 do marks[#marks + 1] = {x = chart.datestr(chart.day "2024-06-01" + k * 3), label = "event number " .. k} end
    local c = chart.series {series = {{label = "s", points = series("2024-01-01", 7, 52)}}, marks = marks}
    local root = assert_clear_labels(c)
    assert.equal(10, #X.find(root, "g", "event-mark"))
  end)

  it("takes numbers on the x axis too", function()
    local root = assert_clear_labels(chart.series {series = {{label = "s", points = {{0, 1}, {5, 2}, {10, 0}}}}})
    assert.equal(3, #X.find(root, "circle", "pt"))
  end)

  it("rejects bad input naming the value", function()
    assert.matches("series[1].points[2].x: bad date '2024-13-01'",
      errmsg(chart.series, {series = {{label = "s", points = {{x = "2024-01-01", y = 1}, {x = "2024-13-01", y = 2}}}}}), 1, true)
    assert.matches("mixes dates and numbers",
      errmsg(chart.series, {series = {{label = "s", points = {{x = "2024-01-01", y = 1}, {x = 3, y = 2}}}}}))
    assert.matches("series[1].points[1].y must be a finite number, got inf",
      errmsg(chart.series, {series = {{label = "s", points = {{x = 1, y = math.huge}}}}}), 1, true)
  end)
end)

describe("charts of results (r:chart)", function()
  local w = entente.load "russia_dprk_2024"

  it("entrapment: one row per actor drawn in, at the probabilities of the results", function()
    local r0 = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-06-18"}
    local r1 = w:entrapment {conflict = {{"ROK", "PRK"}}, date = "2024-12-05"}
    local c = r1:chart {before = r0}
    local root = assert_clear_labels(c)
    local expect = {}
    for _, a in ipairs(r1.actors) do
      if not a.initial and (a.p > 0 or r0:p(a.code) > 0) then expect[#expect + 1] = a.code end
    end
    local pairs_ = X.find(root, "g", "pair")
    assert.equal(#expect, #pairs_)
    assert.is_true(#expect >= 2)
    -- the value column reads before -> after for each actor
    for i, g in ipairs(pairs_) do
      assert.equal(expect[i], g.attrs["data-label"])
      local v = X.text(X.find(g, "text", "value")[1])
      local b, a = v:match("^([%d.]+)%% \226\134\146 ([%d.]+)%%$")
      assert.near(100 * r0:p(expect[i]), tonumber(b), 0.051 * math.max(1, tonumber(b)))
      assert.near(100 * r1:p(expect[i]), tonumber(a), 0.051 * math.max(1, tonumber(a)))
    end
  end)

  it("tension: one marker per date of the series", function()
    local s = w:tension {dyad = {"PRK", "ROK"}, from = "2023-01-01", to = "2024-12-31", step = "month"}
    local s2 = w:tension {dyad = {"CHN", "RUS"}, from = "2023-01-01", to = "2024-12-31", step = "month"}
    local c = s:chart {with = {s2}, marks = {{x = "2024-06-19", label = "treaty signed"}}}
    local root = assert_clear_labels(c)
    assert.equal(#s.dates + #s2.dates, #X.find(root, "circle", "pt"))
    assert.truthy(c.title:find("PRK-ROK and CHN-RUS", 1, true))
  end)

  it("options: one box per option at its quantiles, and criteria parts adding up to the expected score", function()
    local sc = entente.scenario(w, {date = "2024-12-05"})
    sc:option("CHN", "distance", {{"weaken", "CHN", "PRK", "defence", factor = 0.5}})
    sc:option("CHN", "mend ties", {{"add", "CHN", "JPN", "partnership", strength = 0.3}})
    sc:respond("wariness", {actors = {"JPN"}, trust = entente.uniform(0.2, 0.6)})
    local r = sc:evaluate {actor = "CHN", runs = 500, seed = 1, triggers = {{"ROK", "PRK", p = entente.uniform(0.01, 0.05)}}}
    local c = r:chart {}
    local root = assert_clear_labels(c)
    local boxes = X.find(root, "g", "box")
    assert.equal(#r.options, #boxes)
    for i, g in ipairs(boxes) do assert.equal(r.options[i].name, g.attrs["data-label"]) end
    -- the mean diamond and the median bar sit where the quantiles say, on the axis of the ticks
    local ticks = X.find(root, "text", "tick")
    local t1, t2 = ticks[1], ticks[#ticks]
    local v1, v2 = tonumber(X.text(t1)), tonumber(X.text(t2))
    local x1, x2 = tonumber(t1.attrs.x), tonumber(t2.attrs.x)
    local function sx(v) return x1 + (v - v1) / (v2 - v1) * (x2 - x1) end
    for i, g in ipairs(boxes) do
      local med = X.find(g, "line", "median")[1]
      assert.near(sx(r.options[i].q50), tonumber(med.attrs.x1), 0.05)
      local iqr = X.find(g, "rect", "iqr")[1]
      assert.near(sx(r.options[i].q25), tonumber(iqr.attrs.x), 0.05)
    end
    -- criteria: the parts of each option add up to its expected score (fixed weights)
    local cc = r:chart {kind = "criteria"}
    assert_clear_labels(cc)
    for i, o in ipairs(r.options) do assert.near(o.expected, cc.totals[i], 1e-9) end
    assert.matches("kind 'pie' must be 'scores' or 'criteria'", errmsg(chart.options, r, {kind = "pie"}), 1, true)
  end)

  it("writes the file with out= and refuses what it cannot chart", function()
    local s = w:tension {dyad = {"PRK", "ROK"}, from = "2024-01-01", to = "2024-03-01", step = "month"}
    local file = os.tmpname()
    assert(s:chart {out = file})
    local f = io.open(file, "rb"); local text = f:read("*a"); f:close(); os.remove(file)
    parse(text)
    local ok, err = s:chart {out = "/nonexistent-dir/x.svg"}
    assert.is_nil(ok)
    assert.matches("cannot write '/nonexistent-dir/x.svg'", err, 1, true)
    assert.matches("no chart for this result", errmsg(chart.of, {}))
    assert.matches("unknown option 'befor'", errmsg(chart.entrapment, w:entrapment {conflict = {"ROK", "PRK"}}, {befor = 1}))
  end)
end)
