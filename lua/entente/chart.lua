--- entente.chart: standalone SVG charts, written by entente itself.
--
-- Each chart function takes plain data (labels and numbers) and returns a
-- chart object: c.svg is the SVG text, c:write(path) saves it, tostring(c)
-- gives the text.  No external program is needed.
--
--   chart.boxes{title=, items = {{label=, samples = {...}} or
--               {label=, lo=, q1=, median=, q3=, hi=, mean=}}, xlabel=}
--       one horizontal box per option: box = quartiles, bar = median,
--       diamond = mean, whiskers = 5th to 95th percentile of the samples.
--   chart.bars{title=, items = {{label=, parts = {{name=, value=}, ...}}},
--              mode = "stacked"|"grouped", xlabel=}
--       contributions per option (criteria), stacked left and right of zero
--       (negative parts to the left) with the net total marked, or grouped.
--   chart.paired{title=, items = {{label=, before=, after=,
--                before_lo=, before_hi=, after_lo=, after_hi=}},
--                labels = {"before", "after"}, percent = true}
--       two values per row (entrapment probability before and after a change).
--   chart.series{title=, series = {{label=, points = {{x=, y=}, ...}}},
--                marks = {{x=, label=}}, ylabel=}
--       lines over time (x as "YYYY-MM-DD" dates or numbers), one marker
--       per point, optional vertical event marks.
--
-- Results of the other modules chart themselves (installed by
-- require("entente.chart")(entente, World)), or through chart.of(r, opts):
--   r:chart{before = r0, out=}        w:entrapment results (before/after)
--   s:chart{with = {s2}, marks=}      w:tension{from=, to=} series
--   r:chart{kind = "scores"|"criteria", mode=}   s:evaluate{...} results
--
-- Layout keeps every text box (estimated with svg.text_width, which errs
-- wide) apart: long labels are cut with an ellipsis (the full text stays as
-- a tooltip), axis ticks are thinned until their labels fit, and event-mark
-- labels are stacked on as many rows as they need.
local svg = require "entente.svg"

local chart = {}

local floor, abs, max, min = math.floor, math.abs, math.max, math.min

-- Paul Tol's "bright" and "muted" qualitative schemes (colour-blind safe).
chart.PALETTE = {"#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB",
  "#332288", "#117733", "#44AA99", "#999933", "#882255"}

local FS = 12          -- label font size
local TITLE_FS = 16
local SMALL_FS = 11
local PAD = 16         -- outer margin

------------------------------------------------------------------ errors

-- level: 1 = the function calling fail (default: its caller, the user).
local function fail(fname, msg, level)
  error("bad argument #1 to '" .. fname .. "' (" .. msg .. ")", (level or 2) + 1)
end

local function isnum(x) return type(x) == "number" and x == x and x ~= math.huge and x ~= -math.huge end

-- level as for fail: 1 = the function calling checknum (default: its caller).
local function checknum(fname, x, what, level)
  if not isnum(x) then
    error("bad argument #1 to '" .. fname .. "' (" .. what .. " must be a finite number, got " ..
      (type(x) == "string" and ("'" .. x .. "'") or x ~= x and "nan" or tostring(x)) .. ")", (level or 2) + 1)
  end
  return x
end

local function checkitems(fname, items, what)
  if type(items) ~= "table" or #items == 0 then
    fail(fname, what .. " must be a non-empty list, got " ..
      (type(items) == "table" and "an empty list" or tostring(items)), 3)
  end
  for i, it in ipairs(items) do
    if type(it) ~= "table" then fail(fname, what .. "[" .. i .. "] must be a table, got " .. type(it), 3) end
    if it.label == nil then fail(fname, what .. "[" .. i .. "] has no label", 3) end
  end
  return items
end

local function checkopts(fname, opts, known)
  if type(opts) ~= "table" then fail(fname, "table of options expected, got " .. type(opts), 3) end
  for k in pairs(opts) do
    if not known[k] then fail(fname, "unknown option '" .. tostring(k) .. "'", 3) end
  end
  return opts
end

local function set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

----------------------------------------------------------------- numbers

--- chart.quantile(sorted, p): linear interpolation between order statistics
-- (type 7 of Hyndman & Fan 1996, the default of R and NumPy).
function chart.quantile(sorted, p)
  local n = #sorted
  if n == 0 then return nil end
  local h = (n - 1) * p + 1
  local lo = floor(h)
  if lo >= n then return sorted[n] end
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo])
end

--- chart.summary(samples) -> {lo=p05, q1=, median=, q3=, hi=p95, mean=, n=, min=, max=}
function chart.summary(samples, fname, level)
  local s, sum = {}, 0
  for i, v in ipairs(samples) do
    checknum(fname or "summary", v, "sample " .. i, (level or 1) + 2)
    s[i] = v
    sum = sum + v
  end
  if #s == 0 then fail(fname or "summary", "no samples", (level or 1) + 2) end
  table.sort(s)
  local q = chart.quantile
  return {lo = q(s, 0.05), q1 = q(s, 0.25), median = q(s, 0.5), q3 = q(s, 0.75), hi = q(s, 0.95),
    mean = sum / #s, n = #s, min = s[1], max = s[#s]}
end

-- Ticks at multiples of 1, 2, 2.5 or 5 times a power of ten covering
-- [lo, hi], at most n of them.
local function nice_ticks(lo, hi, n)
  if hi <= lo then hi = lo + 1 end
  local best
  for _, m in ipairs {1, 2, 2.5, 5} do
    for e = -12, 15 do
      local step = m * 10 ^ e
      local a, b = floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
      if b - a + 1 <= n then
        if not best or step < best then best = step end
        break
      end
    end
  end
  local step = best or (hi - lo)
  local ticks = {}
  local a, b = floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
  for k = a, b do ticks[#ticks + 1] = k * step end
  return ticks, step
end

local function decimals(step)
  local d = 0
  while d < 8 and abs(step * 10 ^ d - floor(step * 10 ^ d + 0.5)) > 1e-9 do d = d + 1 end
  return d
end

local function fmtnum(v, d)
  local s = string.format("%." .. d .. "f", v)
  if s:match("^%-0%.?0*$") then s = s:sub(2) end
  return s
end

local function fmtpct(v, d)
  return fmtnum(v * 100, d) .. "%"
end

-- A short, readable value: 3 significant digits.
local function short(v, percent)
  if percent then
    local p = v * 100
    return (abs(p) >= 10 or p == 0) and string.format("%.0f%%", p) or string.format("%.1f%%", p)
  end
  if v == floor(v) and abs(v) < 1e6 then return string.format("%d", v) end
  local s = string.format("%.3g", v)
  if s:find("e") then s = string.format("%.2e", v) end
  return s
end
chart.short = short

------------------------------------------------------------------- dates

-- Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
-- days_from_civil), and back; integer arithmetic through math.floor only.
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = floor(z / 146097)
  local doe = z - era * 146097
  local yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100))
  local mp = floor((5 * doy + 2) / 153)
  local d = doy - floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end

--- chart.day("YYYY-MM-DD" | "YYYY-MM" | "YYYY") -> day number, or nil.
function chart.day(s)
  if type(s) ~= "string" then return nil end
  local y, m, d = s:match("^(%-?%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then y, m = s:match("^(%-?%d%d%d%d)%-(%d%d)$"); d = "01" end
  if not y then y = s:match("^(%-?%d%d%d%d)$"); m, d = "01", "01" end
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m < 1 or m > 12 or d < 1 or d > 31 then return nil end
  local z = days_from_civil(y, m, d)
  local y2, m2 = civil_from_days(z)
  if y2 ~= y or m2 ~= m then return nil end -- 2024-02-30
  return z
end

function chart.datestr(z)
  local y, m, d = civil_from_days(z)
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- Date ticks: the finest step among days, weeks, months and years whose
-- labels fit side by side in `width` pixels.
local function date_ticks(z0, z1, width)
  local y0 = civil_from_days(z0)
  local y1 = civil_from_days(z1)
  local steps = {
    {"day", 1}, {"day", 2}, {"day", 7}, {"day", 14}, {"month", 1}, {"month", 2}, {"month", 3},
    {"month", 6}, {"year", 1}, {"year", 2}, {"year", 5}, {"year", 10}, {"year", 20}, {"year", 25},
    {"year", 50}, {"year", 100}, {"year", 200}, {"year", 500}, {"year", 1000},
  }
  for _, st in ipairs(steps) do
    local unit, n = st[1], st[2]
    local ticks = {}
    if unit == "day" then
      local start = floor(z0 / n) * n
      if start < z0 then start = start + n end
      for z = start, z1, n do ticks[#ticks + 1] = {z, chart.datestr(z)} end
    elseif unit == "month" then
      local y, m = civil_from_days(z0)
      m = floor((m - 1) / n) * n + 1
      while true do
        local z = days_from_civil(y, m, 1)
        if z > z1 then break end
        if z >= z0 then ticks[#ticks + 1] = {z, string.format("%04d-%02d", y, m)} end
        m = m + n
        if m > 12 then m = m - 12; y = y + 1 end
        if #ticks > 400 then break end
      end
    else
      local y = floor(y0 / n) * n
      while y <= y1 do
        local z = days_from_civil(y, 1, 1)
        if z >= z0 and z <= z1 then ticks[#ticks + 1] = {z, string.format("%d", y)} end
        y = y + n
      end
    end
    if #ticks >= 2 or unit == "year" and n >= 1000 then
      local wmax = 0
      for _, t in ipairs(ticks) do wmax = max(wmax, svg.text_width(t[2], SMALL_FS)) end
      local span = max(z1 - z0, 1)
      local ok = #ticks <= 400
      for i = 2, #ticks do
        if (ticks[i][1] - ticks[i - 1][1]) / span * width < wmax + 10 then ok = false; break end
      end
      if ok and #ticks >= 2 then return ticks end
    end
  end
  return {{z0, chart.datestr(z0)}, {z1, chart.datestr(z1)}}
end

----------------------------------------------------------------- objects

local Chart = {}
Chart.__index = Chart
Chart.__tostring = function(c) return c.svg end
chart.Chart = Chart

--- c:write(path) -> path, or nil and a message.
function Chart:write(path)
  return svg.write(path, self.svg)
end

local function new_chart(kind, doc, extra)
  local c = setmetatable({kind = kind, title = doc.title, svg = doc:render(), width = doc.width, height = doc.height}, Chart)
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

----------------------------------------------------------------- layout

-- Greedy word wrap by estimated width.
local function wrap(text, size, width, bold)
  local lines, cur = {}, nil
  for word in tostring(text):gmatch("%S+") do
    local try = cur and (cur .. " " .. word) or word
    if cur and svg.text_width(try, size, bold) > width then
      lines[#lines + 1] = cur
      cur = word
    else
      cur = try
    end
  end
  if cur then lines[#lines + 1] = cur end
  for i, l in ipairs(lines) do lines[i] = svg.fit(l, size, width, bold) end
  return lines
end
chart._wrap = wrap

-- Title and subtitle at the top; returns the y below them.
local function header(doc, opts, width)
  local y = PAD
  if opts.title then
    for _, l in ipairs(wrap(opts.title, TITLE_FS, width - 2 * PAD, true)) do
      y = y + TITLE_FS
      doc:text(PAD, y, l, {size = TITLE_FS, bold = true, class = "title"})
      y = y + 5
    end
  end
  if opts.subtitle then
    for _, l in ipairs(wrap(opts.subtitle, FS, width - 2 * PAD)) do
      y = y + FS
      doc:text(PAD, y, l, {size = FS, fill = "#555555", class = "subtitle"})
      y = y + 4
    end
  end
  return y + 8
end

-- Legend entries {name=, draw = function(doc, x, ymid)} flowing in rows;
-- returns the y below the legend.  Each entry is a 14 px swatch + its name.
local function legend(doc, entries, x0, y, width)
  if #entries == 0 then return y end
  local x = x0
  local rowh = FS + 8
  y = y + FS
  for _, e in ipairs(entries) do
    local name = svg.fit(e.name, SMALL_FS, width - 24)
    local w = 20 + svg.text_width(name, SMALL_FS) + 16
    if x > x0 and x + w > x0 + width then
      x = x0
      y = y + rowh
    end
    doc:open("g", {class = "legend-entry"})
    e.draw(doc, x, y - 4)
    doc:text(x + 20, y, name, {size = SMALL_FS, class = "legend", title = name ~= e.name and e.name or nil})
    doc:close()
    x = x + w
  end
  return y + 10
end

-- Row labels cut to fit the label column; returns the column width.
local function label_column(items, width, key)
  local wmax = 0
  for _, it in ipairs(items) do wmax = max(wmax, svg.text_width(tostring(it[key or "label"]), FS)) end
  return min(wmax, floor(width * 0.3))
end

-- A horizontal value axis under a plot spanning [x0, x1] for values
-- [lo, hi]: ticks thinned until their labels fit.  Returns the tick list.
local function value_ticks(lo, hi, x0, x1, percent)
  local n = 11
  while n >= 2 do
    local ticks, step = nice_ticks(lo, hi, n)
    local d = decimals(percent and step * 100 or step)
    local labels, wmax = {}, 0
    for i, t in ipairs(ticks) do
      labels[i] = percent and fmtpct(t, d) or fmtnum(t, d)
      wmax = max(wmax, svg.text_width(labels[i], SMALL_FS))
    end
    local span = ticks[#ticks] - ticks[1]
    local px = span > 0 and (x1 - x0) * step / span or (x1 - x0)
    if px >= wmax + 8 or n == 2 then return ticks, labels end
    n = n - 1
  end
end

local function draw_xaxis(doc, ticks, labels, scale, ytop, ybot, xlabel, xmid)
  doc:open("g", {class = "axis"})
  for i, t in ipairs(ticks) do
    local x = scale(t)
    doc:line(x, ytop, x, ybot, {stroke = t == 0 and "#888888" or "#e3e3e3", ["stroke-width"] = 1})
    doc:text(x, ybot + SMALL_FS + 4, labels[i], {size = SMALL_FS, anchor = "middle", fill = "#444444", class = "tick"})
  end
  local y = ybot + SMALL_FS + 4
  if xlabel then
    y = y + FS + 8
    doc:text(xmid, y, xlabel, {size = FS, anchor = "middle", fill = "#333333", class = "axis-label"})
  end
  doc:close()
  return y
end

local function footnote(doc, text, y, width)
  if not text then return y end
  y = y + 8
  for _, l in ipairs(wrap(text, SMALL_FS, width - 2 * PAD)) do
    y = y + SMALL_FS + 3
    doc:text(PAD, y, l, {size = SMALL_FS, fill = "#666666", class = "note"})
  end
  return y
end

--------------------------------------------------------------- box plot

local BOX_OPTS = set {"title", "subtitle", "items", "xlabel", "width", "note", "percent", "highlight", "min", "max"}

--- chart.boxes{title=, items=, xlabel=, width=760, note=, percent=, highlight=label, min=, max=}
function chart.boxes(opts)
  local fname = "chart.boxes"
  opts = checkopts(fname, opts, BOX_OPTS)
  local items = checkitems(fname, opts.items, "items")
  local width = opts.width or 760
  local stats = {}
  local lo, hi = opts.min, opts.max
  for i, it in ipairs(items) do
    local s
    if it.samples then
      if type(it.samples) ~= "table" then fail(fname, "items[" .. i .. "].samples must be a list of numbers") end
      s = chart.summary(it.samples, fname, 2)
    else
      s = {}
      for _, k in ipairs {"lo", "q1", "median", "q3", "hi"} do
        s[k] = checknum(fname, it[k], "items[" .. i .. "]." .. k)
      end
      s.mean = it.mean ~= nil and checknum(fname, it.mean, "items[" .. i .. "].mean") or nil
    end
    if not (s.lo <= s.q1 and s.q1 <= s.median and s.median <= s.q3 and s.q3 <= s.hi) then
      fail(fname, "items[" .. i .. "] ('" .. tostring(it.label) .. "'): need lo <= q1 <= median <= q3 <= hi")
    end
    stats[i] = s
    lo = lo and min(lo, s.lo, s.mean or s.lo) or min(s.lo, s.mean or s.lo)
    hi = hi and max(hi, s.hi, s.mean or s.hi) or max(s.hi, s.mean or s.hi)
  end
  if opts.min then lo = opts.min end
  if opts.max then hi = opts.max end
  if hi - lo < 1e-12 then lo, hi = lo - 0.5, hi + 0.5 end

  local doc = svg.new(width, 100, {title = opts.title})
  local y = header(doc, opts, width)
  y = legend(doc, {
    {name = "median", draw = function(d, x, ym) d:line(x + 7, ym - 6, x + 7, ym + 6, {stroke = "#1d3b5c", ["stroke-width"] = 2}) end},
    {name = "mean", draw = function(d, x, ym) d:polygon({x + 7, ym - 5, x + 12, ym, x + 7, ym + 5, x + 2, ym}, {fill = "#d9480f"}) end},
    {name = "box: 25th-75th percentile", draw = function(d, x, ym) d:rect(x, ym - 5, 14, 10, {fill = "#a9c4e2", stroke = "#1d3b5c"}) end},
    {name = "whiskers: 5th-95th percentile", draw = function(d, x, ym) d:line(x, ym, x + 14, ym, {stroke = "#1d3b5c"}) end},
  }, PAD, y, width - 2 * PAD)

  local lw = label_column(items, width)
  local valtexts, vw = {}, 0
  for i, s in ipairs(stats) do
    valtexts[i] = (s.mean and short(s.mean, opts.percent) .. "  " or "") ..
      "[" .. short(s.lo, opts.percent) .. ", " .. short(s.hi, opts.percent) .. "]"
    vw = max(vw, svg.text_width(valtexts[i], SMALL_FS))
  end
  local x0 = PAD + lw + 12
  local x1 = width - PAD - vw - 12
  local ticks, labels = value_ticks(lo, hi, x0, x1, opts.percent)
  lo, hi = min(lo, ticks[1]), max(hi, ticks[#ticks])
  local function sx(v) return x0 + (v - lo) / (hi - lo) * (x1 - x0) end
  local rowh = 30
  local top = y + FS + 2 -- room for the column head
  doc:text(width - PAD, top - 4, "mean [5th, 95th]", {size = SMALL_FS, anchor = "end", fill = "#666666", class = "column-head"})
  local bottom = top + rowh * #items
  local yend = draw_xaxis(doc, ticks, labels, sx, top, bottom, opts.xlabel, (x0 + x1) / 2)
  for i, it in ipairs(items) do
    local s = stats[i]
    local cy = top + (i - 0.5) * rowh
    local label = tostring(it.label)
    local cut = svg.fit(label, FS, lw)
    local hl = opts.highlight ~= nil and label == tostring(opts.highlight)
    doc:open("g", {class = "box", ["data-label"] = label})
    doc:element("title", nil, string.format("%s: mean %s, median %s, quartiles %s to %s, 5th-95th %s to %s%s",
      label, s.mean and short(s.mean) or "-", short(s.median), short(s.q1), short(s.q3), short(s.lo), short(s.hi),
      s.n and (", " .. s.n .. " draws") or ""))
    doc:text(PAD + lw, cy + FS * 0.35, cut, {size = FS, anchor = "end", bold = hl, class = "row-label",
      title = cut ~= label and label or nil})
    doc:line(sx(s.lo), cy, sx(s.hi), cy, {stroke = "#1d3b5c", ["stroke-width"] = 1.2})
    doc:line(sx(s.lo), cy - 5, sx(s.lo), cy + 5, {stroke = "#1d3b5c"})
    doc:line(sx(s.hi), cy - 5, sx(s.hi), cy + 5, {stroke = "#1d3b5c"})
    doc:rect(sx(s.q1), cy - 9, max(sx(s.q3) - sx(s.q1), 1), 18,
      {fill = hl and "#f4b183" or "#a9c4e2", stroke = "#1d3b5c", class = "iqr"})
    doc:line(sx(s.median), cy - 9, sx(s.median), cy + 9, {stroke = "#1d3b5c", ["stroke-width"] = 2.5, class = "median"})
    if s.mean then
      local mx = sx(s.mean)
      doc:polygon({mx, cy - 5, mx + 5, cy, mx, cy + 5, mx - 5, cy}, {fill = "#d9480f", class = "mean"})
    end
    doc:text(width - PAD, cy + SMALL_FS * 0.35, valtexts[i], {size = SMALL_FS, anchor = "end", fill = "#333333", class = "value"})
    doc:close()
  end
  y = footnote(doc, opts.note, yend, width)
  doc.height = y + PAD
  return new_chart("boxes", doc, {stats = stats})
end

------------------------------------------------------------ bar charts

local BAR_OPTS = set {"title", "subtitle", "items", "xlabel", "width", "note", "mode", "percent", "total", "names"}

--- chart.bars{title=, items = {{label=, parts = {{name=, value=}}}}, mode = "stacked"|"grouped",
---            xlabel=, names = {order of part names}, total = true}
function chart.bars(opts)
  local fname = "chart.bars"
  opts = checkopts(fname, opts, BAR_OPTS)
  local items = checkitems(fname, opts.items, "items")
  local mode = opts.mode or "stacked"
  if mode ~= "stacked" and mode ~= "grouped" then
    fail(fname, "mode '" .. tostring(mode) .. "' must be 'stacked' or 'grouped'")
  end
  local width = opts.width or 760
  -- The part names in order of first appearance (or as given).
  local names, seen = {}, {}
  for _, n in ipairs(opts.names or {}) do if not seen[n] then names[#names + 1] = n; seen[n] = true end end
  for i, it in ipairs(items) do
    if type(it.parts) ~= "table" then fail(fname, "items[" .. i .. "].parts must be a list of {name=, value=}") end
    for j, p in ipairs(it.parts) do
      if type(p) ~= "table" or p.name == nil then fail(fname, "items[" .. i .. "].parts[" .. j .. "] needs a name") end
      checknum(fname, p.value, "items[" .. i .. "].parts[" .. j .. "].value ('" .. tostring(p.name) .. "')")
      if not seen[p.name] then names[#names + 1] = p.name; seen[p.name] = true end
    end
  end
  local colour = {}
  for i, n in ipairs(names) do colour[n] = chart.PALETTE[(i - 1) % #chart.PALETTE + 1] end

  local lo, hi, totals = 0, 0, {}
  for i, it in ipairs(items) do
    local pos, neg, tot = 0, 0, 0
    for _, p in ipairs(it.parts) do
      tot = tot + p.value
      if mode == "stacked" then
        if p.value >= 0 then pos = pos + p.value else neg = neg + p.value end
      else
        pos, neg = max(pos, p.value), min(neg, p.value)
      end
    end
    totals[i] = tot
    lo, hi = min(lo, neg, tot), max(hi, pos, tot)
  end
  if hi - lo < 1e-12 then hi = lo + 1 end

  local doc = svg.new(width, 100, {title = opts.title})
  local y = header(doc, opts, width)
  local entries = {}
  for _, n in ipairs(names) do
    entries[#entries + 1] = {name = tostring(n), draw = function(d, x, ym) d:rect(x, ym - 5, 14, 10, {fill = colour[n]}) end}
  end
  if mode == "stacked" and opts.total ~= false then
    entries[#entries + 1] = {name = "net total", draw = function(d, x, ym)
      d:line(x + 7, ym - 7, x + 7, ym + 7, {stroke = "#111111", ["stroke-width"] = 3}) end}
  end
  y = legend(doc, entries, PAD, y, width - 2 * PAD)

  local lw = label_column(items, width)
  local valtexts, vw = {}, 0
  for i = 1, #items do
    valtexts[i] = short(totals[i], opts.percent)
    vw = max(vw, svg.text_width(valtexts[i], SMALL_FS))
  end
  vw = max(vw, svg.text_width("total", SMALL_FS))
  local x0 = PAD + lw + 12
  local x1 = width - PAD - vw - 12
  local ticks, labels = value_ticks(lo, hi, x0, x1, opts.percent)
  lo, hi = min(lo, ticks[1]), max(hi, ticks[#ticks])
  local function sx(v) return x0 + (v - lo) / (hi - lo) * (x1 - x0) end
  local barh = mode == "stacked" and 18 or max(4, min(10, floor(26 / max(#names, 1))))
  local rowh = mode == "stacked" and 30 or max(30, barh * #names + 12)
  local top = y + FS + 2 -- room for the column head
  doc:text(width - PAD, top - 4, "total", {size = SMALL_FS, anchor = "end", fill = "#666666", class = "column-head"})
  local bottom = top + rowh * #items
  local yend = draw_xaxis(doc, ticks, labels, sx, top, bottom, opts.xlabel, (x0 + x1) / 2)
  for i, it in ipairs(items) do
    local cy = top + (i - 0.5) * rowh
    local label = tostring(it.label)
    local cut = svg.fit(label, FS, lw)
    doc:open("g", {class = "bar", ["data-label"] = label})
    doc:text(PAD + lw, cy + FS * 0.35, cut, {size = FS, anchor = "end", class = "row-label",
      title = cut ~= label and label or nil})
    -- parts drawn in the legend's order
    local byname = {}
    for _, p in ipairs(it.parts) do byname[p.name] = (byname[p.name] or 0) + p.value end
    local pos, neg = 0, 0
    for k, n in ipairs(names) do
      local v = byname[n]
      if v then
        local a, b, yy, hh
        if mode == "stacked" then
          if v >= 0 then a, b = pos, pos + v; pos = b else a, b = neg + v, neg; neg = a end
          yy, hh = cy - barh / 2, barh
        else
          a, b = min(0, v), max(0, v)
          yy, hh = cy - barh * #names / 2 + (k - 1) * barh, barh - 1
        end
        doc:open("rect", {x = sx(a), y = yy, width = max(sx(b) - sx(a), 0.5), height = hh,
          fill = colour[n], class = "seg", ["data-name"] = tostring(n)})
        doc:element("title", nil, label .. ", " .. tostring(n) .. ": " .. short(v, opts.percent))
        doc:close()
      end
    end
    if mode == "stacked" and opts.total ~= false then
      local tx = sx(totals[i])
      doc:line(tx, cy - barh / 2 - 4, tx, cy + barh / 2 + 4, {stroke = "#111111", ["stroke-width"] = 3, class = "total"})
    end
    doc:text(width - PAD, cy + SMALL_FS * 0.35, valtexts[i], {size = SMALL_FS, anchor = "end", fill = "#333333", class = "value"})
    doc:close()
  end
  y = footnote(doc, opts.note, yend, width)
  doc.height = y + PAD
  return new_chart("bars", doc, {names = names, totals = totals})
end

---------------------------------------------------------- paired values

local PAIRED_OPTS = set {"title", "subtitle", "items", "xlabel", "width", "note", "labels", "percent", "min", "max", "interval"}

--- chart.paired{title=, items = {{label=, before=, after=, before_lo=, before_hi=, after_lo=, after_hi=}},
---              labels = {"before", "after"}, percent = true, min = 0, max = 1, interval = "95% interval"}
-- `before` may be left out (one value per row).
function chart.paired(opts)
  local fname = "chart.paired"
  opts = checkopts(fname, opts, PAIRED_OPTS)
  local items = checkitems(fname, opts.items, "items")
  local width = opts.width or 760
  local names = opts.labels or {"before", "after"}
  local lo, hi = math.huge, -math.huge
  for i, it in ipairs(items) do
    for _, k in ipairs {"before", "after", "before_lo", "before_hi", "after_lo", "after_hi"} do
      if it[k] ~= nil or k == "after" then
        local v = checknum(fname, it[k], "items[" .. i .. "]." .. k .. " ('" .. tostring(it.label) .. "')")
        lo, hi = min(lo, v), max(hi, v)
      end
    end
  end
  local percent = opts.percent
  if percent == nil then percent = lo >= 0 and hi <= 1 end
  if opts.min then lo = opts.min elseif percent then lo = 0 end
  if opts.max then hi = opts.max elseif percent then hi = max(hi, 0.05) end
  if hi - lo < 1e-12 then hi = lo + 1 end
  local before_col, after_col = "#8a8a8a", "#c0392b"

  local doc = svg.new(width, 100, {title = opts.title})
  local y = header(doc, opts, width)
  local has_before, has_interval = false, false
  for _, it in ipairs(items) do
    if it.before ~= nil then has_before = true end
    if it.after_lo ~= nil or it.before_lo ~= nil then has_interval = true end
  end
  local entries = {}
  if has_before then
    entries[#entries + 1] = {name = tostring(names[1]), draw = function(d, x, ym)
      d:circle(x + 7, ym, 5, {fill = "#ffffff", stroke = before_col, ["stroke-width"] = 2}) end}
  end
  entries[#entries + 1] = {name = tostring(names[2]), draw = function(d, x, ym) d:circle(x + 7, ym, 5, {fill = after_col}) end}
  if has_interval then
    entries[#entries + 1] = {name = opts.interval or "95% interval", draw = function(d, x, ym)
      d:line(x, ym, x + 14, ym, {stroke = after_col, ["stroke-width"] = 1}) end}
  end
  y = legend(doc, entries, PAD, y, width - 2 * PAD)

  local lw = label_column(items, width)
  local arrow = " \226\134\146 " -- U+2192
  local valtexts, vw = {}, 0
  for i, it in ipairs(items) do
    valtexts[i] = it.before ~= nil and (short(it.before, percent) .. arrow .. short(it.after, percent)) or
      short(it.after, percent)
    vw = max(vw, svg.text_width(valtexts[i], SMALL_FS))
  end
  local x0 = PAD + lw + 12
  local x1 = width - PAD - vw - 12
  local ticks, labels = value_ticks(lo, hi, x0, x1, percent)
  lo, hi = min(lo, ticks[1]), max(hi, ticks[#ticks])
  local function sx(v) return x0 + (v - lo) / (hi - lo) * (x1 - x0) end
  local rowh = #items > 20 and 20 or 26
  local top = y + 4
  local bottom = top + rowh * #items
  local yend = draw_xaxis(doc, ticks, labels, sx, top, bottom, opts.xlabel, (x0 + x1) / 2)
  for i, it in ipairs(items) do
    local cy = top + (i - 0.5) * rowh
    local label = tostring(it.label)
    local cut = svg.fit(label, FS, lw)
    doc:open("g", {class = "pair", ["data-label"] = label})
    doc:element("title", nil, label .. ": " .. (it.before ~= nil and (tostring(names[1]) .. " " ..
      short(it.before, percent) .. ", ") or "") .. tostring(names[2]) .. " " .. short(it.after, percent))
    if i % 2 == 0 then doc:rect(x0, cy - rowh / 2, x1 - x0, rowh, {fill = "#f6f6f6", class = "stripe"}) end
    doc:text(PAD + lw, cy + FS * 0.35, cut, {size = FS, anchor = "end", class = "row-label",
      title = cut ~= label and label or nil})
    if it.before_lo and it.before_hi then
      doc:line(sx(it.before_lo), cy - 3, sx(it.before_hi), cy - 3, {stroke = before_col})
    end
    if it.after_lo and it.after_hi then
      doc:line(sx(it.after_lo), cy + 3, sx(it.after_hi), cy + 3, {stroke = after_col})
    end
    local xa = sx(it.after)
    if it.before ~= nil then
      local xb = sx(it.before)
      if abs(xa - xb) > 1 then
        doc:line(xb, cy, xa, cy, {stroke = "#555555", ["stroke-width"] = 1.5, class = "change"})
      end
      doc:circle(xb, cy, 5, {fill = "#ffffff", stroke = before_col, ["stroke-width"] = 2, class = "before"})
    end
    doc:circle(xa, cy, 5, {fill = after_col, ["fill-opacity"] = 0.9, class = "after"})
    doc:text(width - PAD, cy + SMALL_FS * 0.35, valtexts[i], {size = SMALL_FS, anchor = "end", fill = "#333333", class = "value"})
    doc:close()
  end
  y = footnote(doc, opts.note, yend, width)
  doc.height = y + PAD
  return new_chart("paired", doc, {percent = percent})
end

----------------------------------------------------------- time series

local SERIES_OPTS = set {"title", "subtitle", "series", "xlabel", "ylabel", "width", "height", "note", "marks", "zero", "points"}

-- x as a number, or a date string as its day number.
local function xval(fname, x, what)
  if type(x) == "string" then
    local z = chart.day(x)
    if not z then fail(fname, what .. ": bad date '" .. x .. "', expected YYYY-MM-DD", 3) end
    return z, true
  end
  return checknum(fname, x, what, 3), false
end

--- chart.series{title=, series = {{label=, points = {{x=, y=} or {x, y}}}}, ylabel=, xlabel=,
---              marks = {{x=, label=}}, height = 260, points = true}
function chart.series(opts)
  local fname = "chart.series"
  opts = checkopts(fname, opts, SERIES_OPTS)
  local series = checkitems(fname, opts.series, "series")
  local width = opts.width or 760
  local plot_h = opts.height or 260
  local xlo, xhi, ylo, yhi = math.huge, -math.huge, math.huge, -math.huge
  local dates
  local data = {}
  for i, s in ipairs(series) do
    if type(s.points) ~= "table" then fail(fname, "series[" .. i .. "].points must be a list of {x=, y=}") end
    local pts = {}
    for j, p in ipairs(s.points) do
      if type(p) ~= "table" then fail(fname, "series[" .. i .. "].points[" .. j .. "] must be a table") end
      local x, isdate = xval(fname, p.x ~= nil and p.x or p[1], "series[" .. i .. "].points[" .. j .. "].x")
      if dates == nil then dates = isdate
      elseif dates ~= isdate then fail(fname, "series[" .. i .. "].points[" .. j .. "].x: mixes dates and numbers") end
      local yv = checknum(fname, p.y ~= nil and p.y or p[2], "series[" .. i .. "].points[" .. j .. "].y")
      pts[j] = {x, yv, p.x ~= nil and p.x or p[1]}
      xlo, xhi, ylo, yhi = min(xlo, x), max(xhi, x), min(ylo, yv), max(yhi, yv)
    end
    table.sort(pts, function(a, b) return a[1] < b[1] end)
    data[i] = pts
  end
  if xlo == math.huge then fail(fname, "no points to draw") end
  local marks = {}
  for i, m in ipairs(opts.marks or {}) do
    local x = xval(fname, m.x, "marks[" .. i .. "].x")
    marks[#marks + 1] = {x = x, label = tostring(m.label or "")}
    xlo, xhi = min(xlo, x), max(xhi, x)
  end
  if xhi - xlo < 1e-9 then xlo, xhi = xlo - 1, xhi + 1 end
  if opts.zero ~= false then ylo, yhi = min(ylo, 0), max(yhi, 0) end
  if yhi - ylo < 1e-12 then ylo, yhi = ylo - 1, yhi + 1 end

  local doc = svg.new(width, 100, {title = opts.title})
  local y = header(doc, opts, width)
  local entries = {}
  for i, s in ipairs(series) do
    local col = chart.PALETTE[(i - 1) % #chart.PALETTE + 1]
    entries[#entries + 1] = {name = tostring(s.label), draw = function(d, x, ym)
      d:line(x, ym, x + 14, ym, {stroke = col, ["stroke-width"] = 2}); d:circle(x + 7, ym, 3, {fill = col}) end}
  end
  y = legend(doc, entries, PAD, y, width - 2 * PAD)

  -- y ticks and the left margin they need
  local yticks, ystep
  local n = max(2, min(9, floor(plot_h / 28)))
  yticks, ystep = nice_ticks(ylo, yhi, n)
  ylo, yhi = min(ylo, yticks[1]), max(yhi, yticks[#yticks])
  local yd = decimals(ystep)
  local ylabels, ylw = {}, 0
  for i, t in ipairs(yticks) do
    ylabels[i] = fmtnum(t, yd)
    ylw = max(ylw, svg.text_width(ylabels[i], SMALL_FS))
  end
  local x0 = PAD + ylw + 8
  local x1 = width - PAD - 8
  if opts.ylabel then
    y = y + FS
    doc:text(PAD, y, svg.fit(opts.ylabel, FS, width - 2 * PAD), {size = FS, fill = "#333333", class = "axis-label"})
    y = y + 6
  end

  -- Event marks: labels placed on the first row where they do not collide.
  local function sx(v) return x0 + (v - xlo) / (xhi - xlo) * (x1 - x0) end
  table.sort(marks, function(a, b) return a.x < b.x end)
  local rows_end = {}
  local maxlw = min(220, (x1 - x0) / 2)
  for _, m in ipairs(marks) do
    m.text = svg.fit(m.label, SMALL_FS, maxlw)
    local w = svg.text_width(m.text, SMALL_FS)
    local lx = sx(m.x) + 3
    if lx + w > width - PAD then lx = sx(m.x) - 3 - w; m.anchor_end = true end
    m.left, m.right = lx, lx + w
    local r = 1
    while rows_end[r] and rows_end[r] + 6 > m.left do r = r + 1 end
    rows_end[r] = m.right
    m.row = r
  end
  local mark_rows = #rows_end
  local top = y + mark_rows * (SMALL_FS + 4) + 4
  local bottom = top + plot_h
  local function sy(v) return bottom - (v - ylo) / (yhi - ylo) * plot_h end

  doc:open("g", {class = "axis"})
  for i, t in ipairs(yticks) do
    doc:line(x0, sy(t), x1, sy(t), {stroke = t == 0 and "#888888" or "#e3e3e3"})
    doc:text(x0 - 6, sy(t) + SMALL_FS * 0.35, ylabels[i], {size = SMALL_FS, anchor = "end", fill = "#444444", class = "tick"})
  end
  local xt
  if dates then
    xt = date_ticks(floor(xlo), math.ceil(xhi), x1 - x0)
  else
    local tk, labels = value_ticks(xlo, xhi, x0, x1, false)
    xt = {}
    for i, t in ipairs(tk) do if t >= xlo - 1e-9 and t <= xhi + 1e-9 then xt[#xt + 1] = {t, labels[i]} end end
  end
  -- drop tick labels that would run past the plot edges or into each other
  local last_right = -math.huge
  for _, t in ipairs(xt) do
    local x = sx(t[1])
    local w = svg.text_width(t[2], SMALL_FS)
    local l, r = x - w / 2, x + w / 2
    if l < PAD then l, r = PAD, PAD + w end
    if r > width - PAD then l, r = width - PAD - w, width - PAD end
    if l >= last_right + 6 then
      doc:line(x, bottom, x, bottom + 4, {stroke = "#888888"})
      doc:text((l + r) / 2, bottom + SMALL_FS + 6, t[2], {size = SMALL_FS, anchor = "middle", fill = "#444444", class = "tick"})
      last_right = r
    end
  end
  doc:line(x0, bottom, x1, bottom, {stroke = "#888888"})
  doc:close()
  local yend = bottom + SMALL_FS + 6
  if opts.xlabel then
    yend = yend + FS + 8
    doc:text((x0 + x1) / 2, yend, opts.xlabel, {size = FS, anchor = "middle", fill = "#333333", class = "axis-label"})
  end

  for _, m in ipairs(marks) do
    local mx = sx(m.x)
    local ly = y + m.row * (SMALL_FS + 4)
    doc:open("g", {class = "event-mark"})
    doc:line(mx, ly - SMALL_FS + 2, mx, bottom, {stroke = "#999999", ["stroke-dasharray"] = "3,3"})
    doc:text(m.anchor_end and m.right or m.left, ly, m.text, {size = SMALL_FS, fill = "#555555", class = "mark-label",
      anchor = m.anchor_end and "end" or "start", title = m.text ~= m.label and m.label or nil})
    doc:close()
  end

  local r = 3
  local npts = 0
  for _, pts in ipairs(data) do npts = npts + #pts end
  if npts > 150 then r = 2 end
  for i, s in ipairs(series) do
    local col = chart.PALETTE[(i - 1) % #chart.PALETTE + 1]
    local pts = data[i]
    doc:open("g", {class = "series", ["data-label"] = tostring(s.label)})
    local xy = {}
    for _, p in ipairs(pts) do xy[#xy + 1] = sx(p[1]); xy[#xy + 1] = sy(p[2]) end
    if #pts > 1 then doc:polyline(xy, {stroke = col, ["stroke-width"] = 2, class = "line"}) end
    if opts.points ~= false then
      for _, p in ipairs(pts) do
        doc:open("circle", {cx = sx(p[1]), cy = sy(p[2]), r = r, fill = col, class = "pt"})
        doc:element("title", nil, tostring(s.label) .. ", " .. (dates and chart.datestr(p[1]) or short(p[1])) ..
          ": " .. short(p[2]))
        doc:close()
      end
    end
    doc:close()
  end
  y = footnote(doc, opts.note, yend, width)
  doc.height = y + PAD
  return new_chart("series", doc, {dates = dates})
end

------------------------------------------------------------- adapters
-- Thin adapters from the result objects of other modules to the plain
-- charts above.  Each takes the result and an options table; `out = path`
-- also writes the SVG (returning nil and a message when it cannot).

local function finish(c, out)
  if out ~= nil then
    if type(out) ~= "string" then error("bad argument #1 to 'chart' (out must be a file name, got " .. type(out) .. ")", 3) end
    local ok, err = c:write(out)
    if not ok then return nil, err end
  end
  return c
end

local function conflict_text(r)
  local cs = {}
  for i, pr in ipairs(r.conflict or {}) do cs[i] = tostring(pr.attacker) .. " attacks " .. tostring(pr.defender) end
  if #cs == 0 and r.attacker then cs[1] = tostring(r.attacker) .. " attacks " .. tostring(r.target or r.defender) end
  return table.concat(cs, "; ")
end

-- An entrapment result as plain data: the object of w:entrapment, or the
-- same fields decoded from JSON ({actors = {{code=, p=, lo=, hi=, initial=}},
-- attacker=, target=, method=, date=, runs=, seed=}).
local function is_entrapment(r)
  return type(r) == "table" and type(r.actors) == "table" and (r.conflict ~= nil or r.attacker ~= nil)
end

local function entrapment_view(r)
  local by = r.by
  if type(by) ~= "table" then
    by = {}
    for _, a in ipairs(r.actors) do by[a.code] = a end
  end
  local exact = r.exact
  if exact == nil then exact = r.method == "exact" end
  return by, exact
end

local ENTRAP_OPTS = set {"before", "title", "subtitle", "note", "width", "labels", "all", "out"}

--- chart.entrapment(r, {before = r0, labels=, all=, title=, out=}) -> chart
-- Probability that each actor is drawn in (w:entrapment results), with its
-- 95% interval when computed by Monte Carlo; with `before`, the same
-- conflict before a change as hollow dots.  The initial belligerents are
-- left out; so are actors never drawn in (in both) unless all = true.
function chart.entrapment(r, opts)
  local fname = "chart"
  opts = checkopts(fname, opts or {}, ENTRAP_OPTS)
  if not is_entrapment(r) then
    fail(fname, "an entrapment result (w:entrapment) expected, got " .. tostring(r))
  end
  local b = opts.before
  if b ~= nil and not is_entrapment(b) then
    fail(fname, "before must be an entrapment result (w:entrapment), got " .. tostring(b))
  end
  local _, exact = entrapment_view(r)
  local bby, bexact
  if b then bby, bexact = entrapment_view(b) end
  local items = {}
  for _, a in ipairs(r.actors) do
    local ba = b and bby[a.code]
    if not a.initial and not (ba and ba.initial) then
      local bp = b and (ba and ba.p or 0) or nil
      if opts.all or a.p > 0 or (bp and bp > 0) then
        local it = {label = a.code, after = a.p, before = bp}
        if not exact and a.lo then it.after_lo, it.after_hi = a.lo, a.hi end
        if b and ba and not bexact and ba.lo then it.before_lo, it.before_hi = ba.lo, ba.hi end
        items[#items + 1] = it
      end
    end
  end
  if #items == 0 then
    for _, a in ipairs(r.actors) do if not a.initial then items[#items + 1] = {label = a.code, after = a.p} end end
  end
  if #items == 0 then fail(fname, "the entrapment result has no actor besides the belligerents") end
  local labels = opts.labels or {b and ("as of " .. tostring(b.date)) or "before", "as of " .. tostring(r.date)}
  local conflict = conflict_text(r)
  local c = chart.paired {
    title = opts.title or ("Who is drawn in if " .. conflict),
    subtitle = opts.subtitle or ((exact and "Exact enumeration" or ("Monte Carlo, " .. tostring(r.runs) ..
      " runs, seed " .. tostring(r.seed) .. "; lines: 95% Wilson intervals"))),
    items = items, labels = labels, percent = true, min = 0, max = 1, width = opts.width,
    xlabel = "probability of being drawn into the war", note = opts.note,
  }
  return finish(c, opts.out)
end

-- "A, B and C" (or "A, B and 3 more").
local function series_names(series)
  local names = {}
  for i, s in ipairs(series) do names[i] = tostring(s.label) end
  if #names > 3 then return names[1] .. ", " .. names[2] .. " and " .. (#names - 2) .. " more" end
  if #names == 1 then return names[1] end
  return table.concat(names, ", ", 1, #names - 1) .. " and " .. names[#names]
end

local TENSION_OPTS = set {"title", "subtitle", "note", "width", "height", "marks", "with", "out", "ylabel"}

--- chart.tension(s, {with = {more series}, marks = {{x=date, label=}}, title=, out=}) -> chart
-- Tension over time (w:tension{from=, to=} series): one line per series,
-- one marker per date, optional event marks.
function chart.tension(s, opts)
  local fname = "chart"
  opts = checkopts(fname, opts or {}, TENSION_OPTS)
  local list = {s}
  for _, x in ipairs(opts.with or {}) do list[#list + 1] = x end
  local series, hl = {}, nil
  for i, x in ipairs(list) do
    if type(x) ~= "table" or type(x.dates) ~= "table" or type(x.tension) ~= "table" then
      fail(fname, "a tension series (w:tension{from=, to=}) expected" .. (i > 1 and (" in with[" .. (i - 1) .. "]") or "") ..
        ", got " .. tostring(x))
    end
    local pts = {}
    for k, d in ipairs(x.dates) do pts[k] = {x = d, y = x.tension[k]} end
    series[i] = {label = x.label or ("series " .. i), points = pts}
    hl = hl or x.half_life
  end
  local c = chart.series {
    title = opts.title or ("Tension of " .. series_names(series) .. ", " .. tostring(s.from) .. " to " .. tostring(s.to)),
    subtitle = opts.subtitle or ("Decayed sum of event Goldstein weights, sign flipped (hostility is positive)" ..
      (hl and ("; half-life " .. (hl == math.huge and "none" or (short(hl) .. " days"))) or "")),
    series = series, marks = opts.marks, width = opts.width, height = opts.height, note = opts.note,
    ylabel = opts.ylabel or "tension",
  }
  return finish(c, opts.out)
end

local CRIT_LABEL = {threat = "security threat", entrapment = "entrapment risk", economy = "economic exposure",
  reputation = "reputation", trust = "partner trust", tension = "structural tension"}

local OPTIONS_OPTS = set {"kind", "mode", "title", "subtitle", "note", "width", "out"}

local function is_options(r)
  return type(r) == "table" and type(r.options) == "table" and type(r.options[1]) == "table" and
    r.options[1].expected ~= nil
end

-- The central weight of each criterion, normalised to sum 1 (the weights
-- are the parameters "weight of <criterion>").
local function criterion_weights(r)
  local wt, sum = {}, 0
  for _, c in ipairs(r.criteria or {}) do
    local v = 1
    for _, p in ipairs(r.params or {}) do
      if p.name == "weight of " .. c then v = math.max(0, tonumber(p.central) or 0) end
    end
    wt[c] = v
    sum = sum + v
  end
  for c, v in pairs(wt) do wt[c] = sum > 0 and v / sum or 0 end
  return wt
end

--- chart.options(r, {kind = "scores"|"criteria", mode = "stacked"|"grouped", title=, out=}) -> chart
-- An options evaluation (s:evaluate, or its JSON): "scores" draws each
-- option's score distribution (a cost: lower is better) as a box; "criteria"
-- draws each option's expected score split by criterion (central weight x
-- mean criterion score), which adds up to the expected score when the
-- weights are fixed.
function chart.options(r, opts)
  local fname = "chart"
  opts = checkopts(fname, opts or {}, OPTIONS_OPTS)
  if not is_options(r) then fail(fname, "an options evaluation (s:evaluate) expected, got " .. tostring(r)) end
  local kind = opts.kind or "scores"
  local who = tostring(r.actor or "the actor") .. "'s options" .. (r.date and (", as of " .. r.date) or "")
  local best = r.ranking and r.ranking[1]
  local c
  if kind == "scores" then
    local items = {}
    for i, o in ipairs(r.options) do
      items[i] = {label = o.name, lo = o.q05, q1 = o.q25, median = o.q50, q3 = o.q75, hi = o.q95, mean = o.expected}
    end
    c = chart.boxes {
      title = opts.title or who,
      subtitle = opts.subtitle or ("Score of each option over " .. tostring(r.runs) .. " draws of the uncertain " ..
        "parameters (seed " .. tostring(r.seed) .. "); a cost: lower is better" ..
        (best and ("; best expected score: " .. best) or "") .. "."),
      items = items, xlabel = "score (weighted cost, 0 best, 1 worst)", width = opts.width, note = opts.note,
      highlight = best,
    }
  elseif kind == "criteria" then
    local wt = criterion_weights(r)
    local items, names = {}, {}
    for _, cr in ipairs(r.criteria or {}) do names[#names + 1] = CRIT_LABEL[cr] or cr end
    for i, o in ipairs(r.options) do
      local parts = {}
      for _, cr in ipairs(r.criteria or {}) do
        local s = o.criteria and o.criteria[cr]
        if s then parts[#parts + 1] = {name = CRIT_LABEL[cr] or cr, value = wt[cr] * s.mean} end
      end
      items[i] = {label = o.name, parts = parts}
    end
    c = chart.bars {
      title = opts.title or ("Why: " .. who .. ", criterion by criterion"),
      subtitle = opts.subtitle or "Each criterion's share of the expected score (central weight x mean score); " ..
        "a cost: shorter is better.",
      items = items, names = names, mode = opts.mode, xlabel = "weighted cost", width = opts.width, note = opts.note,
    }
  else
    fail(fname, "kind '" .. tostring(kind) .. "' must be 'scores' or 'criteria'")
  end
  return finish(c, opts.out)
end

--- chart.of(result, opts) -> chart: the chart that suits a result object.
function chart.of(r, opts)
  if type(r) ~= "table" then fail("chart", "a result object expected, got " .. tostring(r)) end
  if is_entrapment(r) then return chart.entrapment(r, opts) end
  if type(r.dates) == "table" and type(r.tension) == "table" then return chart.tension(r, opts) end
  if is_options(r) then return chart.options(r, opts) end
  fail("chart", "no chart for this result (expected an entrapment, tension or options result), got " .. tostring(r))
end

-- The module is also the installer: require("entente.chart")(entente, World)
-- adds entente.chart and a :chart{...} method to the result objects of the
-- modules installed before it (entrapment, tension, options) that lack one.
local function install(entente, World)
  entente.chart = chart
  for _, name in ipairs {"EntrapmentResult", "TensionSeries", "OptionsResult"} do
    local class = entente[name]
    if type(class) == "table" and class.chart == nil then
      class.chart = function(r, opts) return chart.of(r, opts) end
    end
  end
  return chart
end

return setmetatable(chart, {__call = function(_, entente, World) return install(entente, World) end})
