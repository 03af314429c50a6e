--- entente.html: one self-contained HTML file with the scenario summary,
-- its tables and its pictures (inline SVG, inline CSS, no script, nothing
-- fetched), which opens in any browser.
--
--   local html = require "entente.html"
--   local page = html.document{title=, subtitle=, sections = {...}}
--   -- a section: {heading=, text = "..." or {"para", ...},
--   --   table = {header = {...}, rows = {{...}}, caption=},
--   --   figure = {svg = text or chart or map, caption=}, figures = {...},
--   --   pre = "...", details = {summary=, pre= or table=} (folded), sections = {...}}
--
--   w:html{date=, out = "report.html", map = true|false|{map options}|map,
--          compare = {"2024-06-18", "2024-12-05"}, charts = {...},
--          results = {r, {r2, before = r1}, series, ...},
--          sections = {...}, events = true}  -> page text (and the file)
--
-- The World method builds the standard report of a scenario; the plain
-- document function takes any sections, so results of other modules
-- (options, entrapment, tension) are added as sections with their charts.
local svg = require "entente.svg"

local html = {}

local ESC = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}

function html.escape(s)
  return (tostring(s):gsub("[&<>\"']", ESC))
end
local esc = html.escape

local CSS = [[
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #222;
  max-width: 1100px; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #dde3ea; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
p.subtitle { color: #555; margin-top: 0; }
nav { background: #f5f7fa; border: 1px solid #e1e6ec; padding: 0.6em 1em; margin: 1em 0; }
nav a { margin-right: 1.2em; color: #2b5c8a; text-decoration: none; white-space: nowrap; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #d8dde3; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
tr:nth-child(even) td { background: #fafbfc; }
caption { caption-side: bottom; text-align: left; color: #666; font-size: 0.9em; padding-top: 0.3em; }
figure { margin: 1em 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f5f7fa; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
details summary { cursor: pointer; color: #2b5c8a; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; border-top: 1px solid #e1e6ec; padding-top: 0.5em; }
]]

local function fail(fname, msg)
  error("bad argument #1 to '" .. fname .. "' (" .. msg .. ")", 3)
end

-- An id for an anchor from a heading.
local function slug(s, used)
  local id = tostring(s):lower():gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
  if id == "" then id = "section" end
  local base, n = id, 1
  while used[id] do n = n + 1; id = base .. "-" .. n end
  used[id] = true
  return id
end

local function is_number_cell(v)
  return type(v) == "number" or (type(v) == "string" and
    (v:match("^%s*[-+]?[%d.,]+%%?%s*$") or v:match("^[%d.]+ [kmbtn]+$")) ~= nil)
end

--- html.table{header = {...}, rows = {{...}}, caption=} -> markup
function html.table(t)
  if type(t) ~= "table" or type(t.rows) ~= "table" then fail("html.table", "table {header=, rows=} expected") end
  local out = {"<table>"}
  if t.caption then out[#out + 1] = "<caption>" .. esc(t.caption) .. "</caption>" end
  if t.header then
    local cells = {}
    for i, h in ipairs(t.header) do cells[i] = "<th>" .. esc(h) .. "</th>" end
    out[#out + 1] = "<thead><tr>" .. table.concat(cells) .. "</tr></thead>"
  end
  out[#out + 1] = "<tbody>"
  for r, row in ipairs(t.rows) do
    if type(row) ~= "table" then fail("html.table", "rows[" .. r .. "] must be a list of cells") end
    local cells = {}
    local n = t.header and #t.header or #row
    for i = 1, math.max(n, #row) do
      local v = row[i]
      if v == nil then v = "" end
      if type(v) == "number" then v = (v == math.floor(v) and math.abs(v) < 1e15) and string.format("%d", v) or
        string.format("%.4g", v) end
      local class = is_number_cell(v) and ' class="num"' or
        (type(v) == "string" and v:match("^%d%d%d%d%-%d%d%-%d%d") and ' class="date"') or ""
      cells[i] = "<td" .. class .. ">" .. esc(v) .. "</td>"
    end
    out[#out + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
  end
  out[#out + 1] = "</tbody></table>"
  return table.concat(out, "\n")
end

-- The SVG text of a figure given as text, a chart, or a map.
local function figure_svg(f)
  if type(f) == "string" then return f end
  if type(f) == "table" then
    if type(f.svg) == "string" then return f.svg end
    if type(f.svg) == "function" then return (f:svg()) end
  end
  return nil
end

--- html.figure{svg = text|chart|map, caption=} -> markup
function html.figure(f)
  if type(f) ~= "table" then fail("html.figure", "table {svg=, caption=} expected, got " .. type(f)) end
  local text = figure_svg(f.svg)
  if not text then fail("html.figure", "svg must be SVG text, a chart or a map, got " .. type(f.svg)) end
  local out = {'<figure class="' .. esc(f.class or "chart") .. '">', svg.inline(text)}
  if f.caption then out[#out + 1] = "<figcaption>" .. esc(f.caption) .. "</figcaption>" end
  out[#out + 1] = "</figure>"
  return table.concat(out, "\n")
end

local function section_html(s, level, used, toc)
  if type(s) ~= "table" then fail("html.document", "a section must be a table, got " .. type(s)) end
  local out = {}
  if s.heading then
    local id = s.id or slug(s.heading, used)
    out[#out + 1] = string.format('<h%d id="%s">%s</h%d>', level, esc(id), esc(s.heading), level)
    if level == 2 and toc then toc[#toc + 1] = {id, s.heading} end
  end
  local texts = type(s.text) == "table" and s.text or (s.text and {s.text} or {})
  for _, p in ipairs(texts) do out[#out + 1] = "<p>" .. esc(p) .. "</p>" end
  if s.figure then out[#out + 1] = html.figure(s.figure) end
  for _, f in ipairs(s.figures or {}) do out[#out + 1] = html.figure(f) end
  if s.table then out[#out + 1] = html.table(s.table) end
  for _, t in ipairs(s.tables or {}) do out[#out + 1] = html.table(t) end
  if s.pre then out[#out + 1] = "<pre>" .. esc(s.pre) .. "</pre>" end
  if s.details then
    local dt = s.details
    out[#out + 1] = "<details><summary>" .. esc(dt.summary or "details") .. "</summary>" ..
      (dt.pre and ("<pre>" .. esc(dt.pre) .. "</pre>") or "") .. (dt.table and html.table(dt.table) or "") .. "</details>"
  end
  for _, sub in ipairs(s.sections or {}) do out[#out + 1] = section_html(sub, math.min(level + 1, 6), used) end
  return table.concat(out, "\n")
end

--- html.document{title=, subtitle=, sections=, footer=} -> the page text
function html.document(doc)
  if type(doc) ~= "table" then fail("html.document", "table expected, got " .. type(doc)) end
  if type(doc.sections or {}) ~= "table" then fail("html.document", "sections must be a list") end
  local used, toc, body = {}, {}, {}
  for _, s in ipairs(doc.sections or {}) do body[#body + 1] = section_html(s, 2, used, toc) end
  -- Polyglot markup (also well-formed XML), so that it can be checked with
  -- an XML parser.
  local out = {"<!DOCTYPE html>", '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">', "<head>",
    '<meta charset="utf-8"/>', '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    "<title>" .. esc(doc.title or "entente report") .. "</title>",
    "<style>" .. CSS .. "</style>", "</head>", "<body>",
    "<header><h1>" .. esc(doc.title or "entente report") .. "</h1>"}
  if doc.subtitle then out[#out + 1] = '<p class="subtitle">' .. esc(doc.subtitle) .. "</p>" end
  out[#out + 1] = "</header>"
  if #toc > 1 then
    local links = {}
    for i, t in ipairs(toc) do links[i] = '<a href="#' .. esc(t[1]) .. '">' .. esc(t[2]) .. "</a>" end
    out[#out + 1] = "<nav>" .. table.concat(links, " ") .. "</nav>"
  end
  out[#out + 1] = "<main>"
  out[#out + 1] = table.concat(body, "\n")
  out[#out + 1] = "</main>"
  out[#out + 1] = "<footer>" .. esc(doc.footer or "Written by entente.") .. "</footer>"
  out[#out + 1] = "</body></html>"
  return table.concat(out, "\n") .. "\n"
end

--- html.write(path, text) -> path, or nil and a message.
html.write = svg.write

------------------------------------------------------- result sections
-- Adapters from result objects to sections (a chart and its table).

local function pct(p) return string.format("%.1f%%", 100 * p) end

-- Works on the object of w:entrapment and on the same fields as plain data
-- (the JSON of `entente run`): actors = {{code=, p=, lo=, hi=, initial=,
-- side = {attacker = {p=}, defender = {p=}} or likely_side=}}.
local function entrapment_section(r, o)
  local chart = require "entente.chart"
  local b = o.before
  local bby = {}
  for _, a in ipairs(b and b.actors or {}) do bby[a.code] = a end
  local exact = r.exact
  if exact == nil then exact = r.method == "exact" end
  local rows = {}
  for _, a in ipairs(r.actors) do
    local ba = bby[a.code]
    local row
    if a.initial then
      row = {a.code, a.initial .. " (initial)", "", ""}
    elseif a.p > 0 or (ba and ba.p > 0) then
      local side = a.side and string.format("attacker %s, defender %s", pct(a.side.attacker.p), pct(a.side.defender.p))
        or a.likely_side or ""
      row = {a.code, pct(a.p), (exact or not a.lo) and "exact" or (pct(a.lo) .. " to " .. pct(a.hi)), side}
    end
    if row then
      if b then row[#row + 1] = ba and (ba.initial and ba.initial or pct(ba.p)) or "" end
      rows[#rows + 1] = row
    end
  end
  local header = {"actor", "P(joins)", "95% interval", "side"}
  if b then header[#header + 1] = "P(joins) as of " .. tostring(b.date) end
  local text = {}
  if o.text then text[1] = o.text end
  local ch = r.chains and r.chains[1]
  if type(ch) == "table" then
    text[#text + 1] = "Most likely chain: " .. string.format("%.1f%% ", 100 * ch.p) .. ch.text
  elseif type(ch) == "string" then
    text[#text + 1] = "Most likely chain: " .. ch
  end
  local c = chart.entrapment(r, {before = b, title = o.title})
  return {heading = o.heading or c.title, text = text, figure = {svg = c, caption = o.caption},
    table = {header = header, rows = rows, caption = "Actors never drawn in are not listed."}}
end

local function tension_section(s, o)
  local chart = require "entente.chart"
  local c = chart.tension(s, {with = o.with, marks = o.marks, title = o.title})
  local list = {s}
  for _, x in ipairs(o.with or {}) do list[#list + 1] = x end
  local header, rows = {"date"}, {}
  for _, x in ipairs(list) do header[#header + 1] = x.label end
  for i, d in ipairs(s.dates) do
    local row = {d}
    for _, x in ipairs(list) do row[#row + 1] = x.tension[i] and string.format("%.2f", x.tension[i]) or "" end
    rows[i] = row
  end
  return {heading = o.heading or c.title, text = o.text, figure = {svg = c, caption = o.caption},
    details = {summary = "The values", table = {header = header, rows = rows}}}
end

-- Options: the box plot of scores, the criteria bars, the table and the verdict.
function html.options_section(r, o)
  local chart = require "entente.chart"
  local rows = {}
  for _, op in ipairs(r.options) do
    rows[#rows + 1] = {op.name, string.format("%.3f", op.expected), string.format("%.3f to %.3f", op.q05, op.q95),
      pct(op.pbest or 0), string.format("%.3f", op.regret or 0)}
  end
  local text = {}
  if o.text then text[#text + 1] = o.text end
  if type(r.verdict) == "table" then
    if r.verdict.text then text[#text + 1] = r.verdict.text end
    for _, why in ipairs(r.verdict.reasons or {}) do text[#text + 1] = why end
  end
  for _, n in ipairs(r.notes or {}) do text[#text + 1] = "Note: " .. n end
  local scores = chart.options(r, {kind = "scores"})
  return {heading = o.heading or scores.title, text = text,
    figures = {{svg = scores}, {svg = chart.options(r, {kind = "criteria", mode = o.mode})}},
    table = {header = {"option", "E[score]", "90% range", "P(best)", "E[regret]"}, rows = rows,
      caption = "Scores are costs in [0, 1]: lower is better."}}
end

--- html.section(result, {before=, with=, marks=, heading=, title=, text=, caption=}) -> section
-- A section with the chart and the table of an entrapment result (with
-- `before`: compared), a tension series (with `with`: more series), or an
-- options evaluation.
function html.section(r, o)
  o = o or {}
  if type(r) ~= "table" then fail("html.section", "a result object expected, got " .. tostring(r)) end
  if type(r.actors) == "table" and (r.conflict ~= nil or r.attacker ~= nil) then return entrapment_section(r, o) end
  if type(r.dates) == "table" and type(r.tension) == "table" then return tension_section(r, o) end
  if type(r.options) == "table" and type(r.options[1]) == "table" and r.options[1].expected ~= nil then
    return html.options_section(r, o)
  end
  fail("html.section", "no section for this result (expected an entrapment, tension or options result)")
end

----------------------------------------------------------- World report

-- Readable magnitudes: 916 bn, 1.34 tn, 26.4 m; small numbers as they are.
local function fmtnum(v)
  if v == nil then return "" end
  local a = math.abs(v)
  if a >= 1e12 then return string.format("%.3g tn", v / 1e12) end
  if a >= 1e9 then return string.format("%.3g bn", v / 1e9) end
  if a >= 1e6 then return string.format("%.3g m", v / 1e6) end
  if v == math.floor(v) then return string.format("%d", v) end
  return string.format("%.4g", v)
end

local function install(entente, World)
  local util = require "entente.util"
  -- the report draws the map and the charts
  if not World.map then require("entente.map")(entente, World) end
  if not entente.chart then require("entente.chart")(entente, World) end
  local HTML_OPTS = util.set {"date", "out", "map", "compare", "charts", "sections", "events", "title", "subtitle",
    "results"}

  --- w:html_sections{date=, map=, compare=, events=} -> the standard sections
  -- of a world's report (summary, map, actors, relations, obligations,
  -- changes, events), for html.document.
  function World:html_sections(opts)
    opts = util.checkopts(opts, HTML_OPTS, "html", 1)
    local d = entente._datestr(self:_asof(opts.date, "html", 1))
    local sections = {}
    local summary = {heading = "Scenario", text = {}}
    if self.description then summary.text[#summary.text + 1] = self.description end
    summary.text[#summary.text + 1] = string.format("%d actors; %d relations in force on %s (%d in all); %d events.",
      #self:actors(), self:count_relations {date = d}, d, self:count_relations(), #self:events())
    if self.sources then summary.text[#summary.text + 1] = "Sources: " .. self.sources end
    sections[#sections + 1] = summary

    -- the map
    if opts.map ~= false then
      local m = opts.map
      if m == nil or m == true then m = self:map {date = d}
      elseif type(m) == "table" and getmetatable(m) ~= entente.map.Map then
        local mo = {}
        for k, v in pairs(m) do mo[k] = v end
        mo.date = mo.date or d
        m = self:map(mo)
      end
      local text, how, why = m:svg()
      sections[#sections + 1] = {heading = "Map", figure = {svg = text, class = "map", caption =
        how == "graphviz" and ("Relations in force on " .. (m.date or d) .. ", laid out by Graphviz (fdp).") or
        ("Relations in force on " .. (m.date or d) .. ", drawn by entente on a circle: " .. tostring(why))},
        details = {summary = "Graphviz DOT source of the map", pre = m.dot}}
    end

    -- actors
    local attrs = {}
    for _, name in ipairs {"cinc", "milex_usd", "gdp_usd", "population", "warheads"} do
      for _, a in ipairs(self:actors()) do
        if a:attr(name) ~= nil then attrs[#attrs + 1] = name; break end
      end
    end
    local header = {"code", "name"}
    for _, n in ipairs(attrs) do header[#header + 1] = n end
    header[#header + 1] = "tags"
    local rows = {}
    for _, a in ipairs(self:actors()) do
      local row = {a.code, a.name}
      for _, n in ipairs(attrs) do row[#row + 1] = fmtnum(a:attr(n)) end
      row[#row + 1] = table.concat(a.tags, ", ")
      rows[#rows + 1] = row
    end
    sections[#sections + 1] = {heading = "Actors", table = {header = header, rows = rows,
      caption = "Empty cells: no data (not zero). m, bn, tn: million, billion, trillion."}}

    -- relations in force
    rows = {}
    for _, r in ipairs(self:relations {date = d}) do
      local i = r:info()
      local k = self:kind(i.kind)
      rows[#rows + 1] = {i.a, i.b, i.kind, k.sign > 0 and "+" or k.sign < 0 and "-" or "0", k.obligation,
        fmtnum(i.strength), i.since or "", i.source or ""}
    end
    sections[#sections + 1] = {heading = "Relations in force on " .. d, table = {
      header = {"a", "b", "kind", "sign", "obligation", "strength", "since", "source"}, rows = rows}}

    rows = {}
    for _, o in ipairs(self:obligations {date = d, level = "defence"}) do
      rows[#rows + 1] = {o.from .. " \226\134\146 " .. o.to, o.kind, o.relation.source}
    end
    sections[#sections + 1] = {heading = "Defence obligations", text = #rows == 0 and "None in force." or
      "Who is bound to come to whose aid on " .. d .. ".", table = #rows > 0 and
      {header = {"obliged", "kind", "source"}, rows = rows} or nil}

    if opts.compare then
      local c = opts.compare
      if type(c) ~= "table" or c[1] == nil or c[2] == nil then
        util.argerror("html", 1, "compare must be a pair of dates {from, to}")
      end
      local ch = self:changes(c[1], c[2])
      rows = {}
      for _, r in ipairs(ch.started) do rows[#rows + 1] = {"started", tostring(r)} end
      for _, r in ipairs(ch.ended) do rows[#rows + 1] = {"ended", tostring(r)} end
      local s = {heading = "What changed between " .. entente.date(c[1]) .. " and " .. entente.date(c[2]),
        text = #rows == 0 and "No relation started or ended." or nil,
        table = #rows > 0 and {header = {"", "relation"}, rows = rows} or nil}
      sections[#sections + 1] = s
    end

    if opts.events ~= false then
      local from = opts.compare and opts.compare[1] or nil
      local evs = self:events {from = from, to = d}
      rows = {}
      for _, e in ipairs(evs) do
        rows[#rows + 1] = {e.date .. (e.ends and (" to " .. e.ends) or ""), e.from, e.to or "",
          e.cameo or "", fmtnum(e.goldstein), e.text or ""}
      end
      if #rows > 0 then
        sections[#sections + 1] = {heading = "Events" .. (from and (" from " .. entente.date(from)) or "") ..
          " to " .. d, table = {header = {"date", "from", "to", "CAMEO", "Goldstein", "what"}, rows = rows}}
      end
    end
    return sections, d
  end

  --- w:html{date=, out=, map=, compare=, charts = {chart or {svg=, caption=}}, sections=, events=,
  ---        title=, subtitle=} -> page text; with out, also writes the file (and returns
  -- nil, message when it cannot).
  function World:html(opts)
    opts = util.checkopts(opts, HTML_OPTS, "html", 1)
    local std = {}
    for k, v in pairs(opts) do
      if k ~= "charts" and k ~= "sections" and k ~= "out" and k ~= "title" and k ~= "subtitle" and k ~= "results" then
        std[k] = v
      end
    end
    local sections, d = self:html_sections(std)
    -- charts and results go after the scenario and its map
    local at = (sections[2] and sections[2].heading == "Map") and 3 or 2
    if opts.charts then
      local figs = {}
      for i, c in ipairs(opts.charts) do
        if type(c) ~= "table" and type(c) ~= "string" then
          util.argerror("html", 1, "charts[" .. i .. "] must be a chart or {svg=, caption=}")
        end
        if type(c) == "table" and c.caption then figs[#figs + 1] = c
        else figs[#figs + 1] = {svg = c} end
      end
      table.insert(sections, at, {heading = "Charts", figures = figs})
      at = at + 1
    end
    -- results after the map: {r, before=, heading=, ...} or a bare result
    for i, r in ipairs(opts.results or {}) do
      if type(r) ~= "table" then util.argerror("html", 1, "results[" .. i .. "] must be a result object") end
      local res, o = r, {}
      if r[1] ~= nil and getmetatable(r) == nil then
        res = r[1]
        for k, v in pairs(r) do if k ~= 1 then o[k] = v end end
      end
      table.insert(sections, at, html.section(res, o))
      at = at + 1
    end
    for _, s in ipairs(opts.sections or {}) do sections[#sections + 1] = s end
    local page = html.document {
      title = opts.title or self.title or "entente report",
      subtitle = opts.subtitle or ("As of " .. d),
      sections = sections,
      footer = "Written by entente " .. tostring(entente.version or "") ..
        ". Every relation row names its source; see the scenario file for the modelling choices.",
    }
    if opts.out then
      if type(opts.out) ~= "string" then util.argerror("html", 1, "out must be a file name, got " .. type(opts.out)) end
      local ok, err = html.write(opts.out, page)
      if not ok then return nil, err end
    end
    return page
  end

  --- html.from_reports(w, reports, {file=}) -> page text
  -- The page of `entente run FILE --format html`: reports is the list the
  -- command builds ({id=, title=, text=, data=} or {unavailable=} or
  -- {error=}); the summary becomes the standard sections with the map (in
  -- blocs when the balance report is there), each entrapment report its
  -- chart and table, the others their text.
  function html.from_reports(w, reports, opts)
    opts = opts or {}
    if type(reports) ~= "table" then util.argerror("html.from_reports", 2, "list of reports expected") end
    local sections = {}
    local has_balance = false
    for _, r in ipairs(reports) do
      if r.id == "balance" and not r.unavailable and not r.error then has_balance = true end
    end
    for _, r in ipairs(reports) do
      if r.unavailable then
        sections[#sections + 1] = {heading = r.title, text = "Not available: " .. r.unavailable .. "."}
      elseif r.error then
        sections[#sections + 1] = {heading = r.title, text = "Failed: " .. tostring(r.error)}
      elseif r.id == "summary" then
        local d = r.data and r.data.date or w.date
        local std = w:html_sections {date = d, events = false, map = has_balance and {balance = true} or true}
        for _, sec in ipairs(std) do sections[#sections + 1] = sec end
      elseif r.id == "compare" and r.data then
        local list = w:html_sections {date = r.data.to, compare = {r.data.from, r.data.to}, map = false}
        for _, sec in ipairs(list) do
          if sec.heading:match("^What changed") or sec.heading:match("^Events") then sections[#sections + 1] = sec end
        end
      elseif r.id == "entrapment" and type(r.data) == "table" and type(r.data.actors) == "table" then
        local sec = html.section(r.data, {heading = r.title})
        sec.details = {summary = "The full report", pre = r.text}
        sections[#sections + 1] = sec
      elseif r.id == "options" and type(r.data) == "table" and type(r.data.options) == "table" then
        local sec = html.section(r.data, {heading = r.title})
        sec.details = {summary = "The full report", pre = r.text}
        sections[#sections + 1] = sec
      else
        sections[#sections + 1] = {heading = r.title, pre = r.text}
      end
    end
    return html.document {
      title = w.title or "entente report",
      subtitle = (opts.file and ("File " .. opts.file .. ", as of ") or "As of ") .. w.date,
      sections = sections,
      footer = "Written by entente " .. tostring(entente.version or "") .. " (entente run --format html).",
    }
  end

  entente.html = html
  return html
end

-- Before the module is installed on a World, html.from_reports installs it
-- on the entente module (the command line needs nothing else).
function html.from_reports(w, reports, opts)
  local entente = require "entente"
  install(entente, entente.World)
  return html.from_reports(w, reports, opts)
end

return setmetatable(html, {__call = function(_, entente, World) return install(entente, World) end})
