--- entente.map: a network map of a world as of a date.
--
--   local m = w:map{date = "2024-12-05"}          -- blocs, frustrated, size...
--   m:write("out/map.dot")                        -- Graphviz DOT, always
--   m:write("out/map.svg"); m:write("out/map.png")  -- through Graphviz `dot`
--   local text, how = m:svg()    -- Graphviz SVG, or entente's own drawing
--
-- Actors are nodes whose size grows with their capability (attribute
-- `cinc` when any actor has it, else `milex_usd`, else all the same size;
-- the legend says which; width = 0.55 in + 1.05 in x sqrt(value / largest)), coloured and grouped by bloc when blocs are given.
-- Relations in force are edges styled by kind: defence pacts thick and
-- solid, consultation pacts medium, partnerships thin, trade dotted,
-- sanctions dashed; cooperative kinds blue, hostile ones red; directed kinds
-- have arrows.  Frustrated edges (those that break structural balance) get
-- an orange halo.  The title carries the date.
--
-- The core, map.build{...}, takes plain data (nodes and edges as tables), so
-- any graph can be drawn; World:map gathers that data from a world.
local svg = require "entente.svg"

local map = {}

local floor, max, min, sqrt = math.floor, math.max, math.min, math.sqrt

--- The Graphviz program: "dot" on the PATH unless ENTENTE_DOT names another.
-- May also be a list of words, a command with its arguments
-- ({"timeout", "60", "dot"}); each word is quoted for the shell.
map.dot_program = os.getenv("ENTENTE_DOT") or "dot"

map.BLOC_COLOURS = {"#cfe0f3", "#f6d0cd", "#d4ecd0", "#f3e6bf", "#e2d5ee", "#cdeeee", "#f0d9c5", "#dddddd"}
map.BLOC_BORDERS = {"#4477aa", "#cc4444", "#2e8b3e", "#b8962e", "#7a52a8", "#2a9d9d", "#b86b2e", "#777777"}
local NO_BLOC_FILL = "#f4f4f4"
local HALO = "#ffa31a"
local POS, NEG, NEUTRAL = "#2563a8", "#c62828", "#777777"

local function fail(fname, msg, level)
  error("bad argument #1 to '" .. fname .. "' (" .. msg .. ")", (level or 2) + 1)
end

------------------------------------------------------------ edge styles

--- map.edge_style(edge) -> {class=, colour=, width=, dash= nil|"dashed"|"dotted", label=}
-- edge: {kind=, sign=, obligation=}.  The class names the legend entry.
function map.edge_style(e)
  local kind, sign, obl = e.kind, e.sign or 0, e.obligation or "none"
  local colour = sign > 0 and POS or sign < 0 and NEG or NEUTRAL
  if kind == "sanction" then
    return {class = "sanction", colour = NEG, width = 1.5, dash = "dashed", label = "sanctions (dashed, red)"}
  elseif kind == "war" then
    return {class = "war", colour = NEG, width = 4, label = "war (thick, red)"}
  elseif kind == "trade" then
    return {class = "trade", colour = "#6f9bd1", width = 1, dash = "dotted", label = "trade (dotted)"}
  elseif sign < 0 then
    return {class = "hostile", colour = colour, width = 2, label = "rivalry, dispute (red)"}
  elseif obl == "defence" then
    return {class = "defence", colour = colour, width = 4, label = "defence pact (thick)"}
  elseif obl == "consultation" or obl == "neutrality" then
    return {class = "consultation", colour = colour, width = 2, label = "consultation, neutrality, strategic partnership"}
  end
  return {class = "partnership", colour = colour, width = 1, label = "partnership, aid (thin)"}
end

local LEGEND_ORDER = {"defence", "consultation", "partnership", "trade", "hostile", "war", "sanction"}

----------------------------------------------------------------- build

local Map = {}
Map.__index = Map
map.Map = Map

Map.__tostring = function(m)
  return string.format("map '%s' as of %s: %d actors, %d edges (%d frustrated), size by %s",
    m.title or "", m.date or "?", #m.nodes, #m.edges, m.nfrustrated, m.size_by or "nothing")
end

local function checklist(fname, t, what)
  if type(t) ~= "table" then fail(fname, what .. " must be a list, got " .. type(t), 3) end
  return t
end

--- map.build{title=, date=, nodes = {{code=, name=, value=, bloc=}},
---           edges = {{a=, b=, kind=, sign=, obligation=, strength=, directed=, frustrated=, source=}},
---           size_by = "label of the size measure", note=} -> map
-- value = capability (nil: no data, drawn small and dashed); bloc = any
-- label (nil: none).
function map.build(spec)
  local fname = "map.build"
  if type(spec) ~= "table" then fail(fname, "table expected, got " .. type(spec)) end
  local nodes = checklist(fname, spec.nodes, "nodes")
  local edges = checklist(fname, spec.edges or {}, "edges")
  local index, blocs, bloc_index = {}, {}, {}
  local vmax = 0
  for i, n in ipairs(nodes) do
    if type(n) ~= "table" or type(n.code) ~= "string" or n.code == "" then
      fail(fname, "nodes[" .. i .. "] needs a code (string), got " .. tostring(type(n) == "table" and n.code or n))
    end
    if index[n.code] then fail(fname, "nodes[" .. i .. "]: duplicate code '" .. n.code .. "'") end
    index[n.code] = i
    if n.value ~= nil then
      if type(n.value) ~= "number" or n.value ~= n.value or n.value < 0 or n.value == math.huge then
        fail(fname, "nodes[" .. i .. "] ('" .. n.code .. "'): size value " .. tostring(n.value) ..
          " must be a finite number >= 0")
      end
      vmax = max(vmax, n.value)
    end
    if n.bloc ~= nil and not bloc_index[n.bloc] then
      blocs[#blocs + 1] = n.bloc
      bloc_index[n.bloc] = #blocs
    end
  end
  local m = setmetatable({title = spec.title, date = spec.date, size_by = spec.size_by,
    blocs = blocs, nodes = {}, edges = {}, nfrustrated = 0, note = spec.note}, Map)
  for i, n in ipairs(nodes) do
    -- width 0.55 in (room for a code) + 1.05 in x sqrt(value / max), so
    -- (width - 0.55)^2 is in proportion to the value
    local frac = (n.value and vmax > 0) and sqrt(n.value / vmax) or nil
    m.nodes[i] = {code = n.code, name = n.name or n.code, value = n.value, bloc = n.bloc,
      bloc_no = n.bloc ~= nil and bloc_index[n.bloc] or nil,
      size = spec.size_by and (frac and 0.55 + 1.05 * frac or 0.55) or 0.75,
      nodata = spec.size_by ~= nil and n.value == nil}
  end
  for i, e in ipairs(edges) do
    if type(e) ~= "table" then fail(fname, "edges[" .. i .. "] must be a table") end
    for _, k in ipairs {"a", "b"} do
      if not index[e[k]] then
        fail(fname, "edges[" .. i .. "]." .. k .. ": unknown actor '" .. tostring(e[k]) .. "'")
      end
    end
    if type(e.kind) ~= "string" then fail(fname, "edges[" .. i .. "] needs a kind (string)") end
    local st = map.edge_style(e)
    m.edges[i] = {a = e.a, b = e.b, kind = e.kind, sign = e.sign or 0, obligation = e.obligation or "none",
      strength = e.strength, directed = e.directed and true or false, frustrated = e.frustrated and true or false,
      source = e.source, since = e.since, style = st}
    if e.frustrated then m.nfrustrated = m.nfrustrated + 1 end
  end
  m.dot = map.to_dot(m)
  return m
end

------------------------------------------------------------------- DOT

-- A DOT string literal.
local function q(s)
  return '"' .. tostring(s):gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n") .. '"'
end

-- Text inside an HTML-like label.
local function h(s)
  return (tostring(s):gsub("[&<>\"]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;"}))
end

local function fmt_value(v)
  if v >= 1e12 then return string.format("%.2f tn", v / 1e12) end
  if v >= 1e9 then return string.format("%.0f bn", v / 1e9) end
  if v >= 1e6 then return string.format("%.0f m", v / 1e6) end
  if v < 1 then return string.format("%.4f", v) end
  return string.format("%.4g", v)
end

-- The legend rows in use: {style, label}, in a fixed order.
function Map:legend_entries()
  local used = {}
  for _, e in ipairs(self.edges) do used[e.style.class] = used[e.style.class] or e.style end
  local list = {}
  for _, c in ipairs(LEGEND_ORDER) do if used[c] then list[#list + 1] = used[c] end end
  return list
end

-- A line sample for the legend as an HTML table row of cells.
local function dot_swatch(st)
  local cells = {}
  local hgt = max(1, floor(st.width + 0.5))
  if st.dash then
    local on, off = st.dash == "dashed" and 6 or 2, st.dash == "dashed" and 4 or 3
    local x = 0
    while x + on <= 36 do
      cells[#cells + 1] = '<TD WIDTH="' .. on .. '" HEIGHT="' .. hgt .. '" FIXEDSIZE="TRUE" BGCOLOR="' .. st.colour .. '"></TD>'
      cells[#cells + 1] = '<TD WIDTH="' .. off .. '" HEIGHT="' .. hgt .. '" FIXEDSIZE="TRUE"></TD>'
      x = x + on + off
    end
  else
    cells[1] = '<TD WIDTH="36" HEIGHT="' .. hgt .. '" FIXEDSIZE="TRUE" BGCOLOR="' .. st.colour .. '"></TD>'
  end
  return '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>' .. table.concat(cells) .. "</TR></TABLE>"
end

function Map:title_text()
  local t = self.title or "Network map"
  if self.date then t = t .. ", as of " .. self.date end
  return t
end

function Map:size_text()
  if not self.size_by then return "Node size: all equal (no capability data)" end
  local t = "Node size: " .. self.size_by
  for _, n in ipairs(self.nodes) do
    if n.nodata then return t .. "; dashed outline: no data" end
  end
  return t
end

function map.to_dot(m)
  local out = {}
  local function add(s) out[#out + 1] = s end
  add("// " .. (m.title or "entente map") .. (m.date and (", as of " .. m.date) or "") .. ": written by entente.map")
  add("graph entente_map {")
  -- fdp lays out clusters (the blocs); splines=true routes edges around
  -- the nodes (see Map:render for a Graphviz bug it can meet)
  add('  graph [layout=fdp, overlap=false, splines=true, outputorder=edgesfirst, pad=0.3, sep="+12", K=1.3,' ..
    ' maxiter=2000, start=7, size="16,16", fontname="Helvetica,Arial,sans-serif", labelloc=t, labeljust=l];')
  add('  node [shape=circle, fixedsize=true, style=filled, fontname="Helvetica,Arial,sans-serif",'
    .. ' fontsize=12, penwidth=1.2, color="#333333"];')
  add('  edge [dir=none, arrowsize=0.7];')
  -- title and legend as one HTML-like graph label
  local rows = {}
  rows[#rows + 1] = '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="18"><B>' .. h(m:title_text()) .. "</B></FONT></TD></TR>"
  local entries = m:legend_entries()
  local cells = {}
  for _, st in ipairs(entries) do
    cells[#cells + 1] = "<TD>" .. dot_swatch(st) .. '</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="11">' .. h(st.label) .. "</FONT></TD>"
  end
  if m.nfrustrated > 0 then
    cells[#cells + 1] = "<TD>" .. dot_swatch({colour = HALO, width = 6}) ..
      '</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="11">frustrated (breaks balance)</FONT></TD>'
  end
  -- three entries a row, with a spacer cell between entries: Graphviz sizes
  -- the cells with its own font metrics, which a browser's font may exceed
  local legend = {}
  local gap = '<TD WIDTH="24"></TD>'
  for i = 1, #cells, 3 do
    legend[#legend + 1] = "<TR>" .. cells[i] .. (cells[i + 1] and (gap .. cells[i + 1]) or "") ..
      (cells[i + 2] and (gap .. cells[i + 2]) or "") .. "</TR>"
  end
  local notes = {h(m:size_text())}
  if #m.blocs > 0 then notes[#notes + 1] = "colour and box: bloc" end
  notes[#notes + 1] = "blue: cooperative, red: hostile; arrows: directed"
  rows[#rows + 1] = '<TR><TD ALIGN="LEFT" COLSPAN="2"><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1">' ..
    table.concat(legend) .. "</TABLE></TD></TR>"
  rows[#rows + 1] = '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="11" COLOR="#444444">' ..
    table.concat(notes, "; ") .. "</FONT></TD></TR>"
  if m.note then
    rows[#rows + 1] = '<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="10" COLOR="#666666">' .. h(m.note) .. "</FONT></TD></TR>"
  end
  add('  label=<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">' .. table.concat(rows) .. "</TABLE>>;")

  local function node_line(n, indent)
    local fill = n.bloc_no and map.BLOC_COLOURS[(n.bloc_no - 1) % #map.BLOC_COLOURS + 1] or NO_BLOC_FILL
    local tip = n.name .. (n.value and (" (" .. (m.size_by or "value") .. ": " .. fmt_value(n.value) .. ")") or "") ..
      (n.bloc ~= nil and (", bloc " .. tostring(n.bloc)) or "")
    add(string.format('%s%s [width=%.4f, fillcolor=%s, tooltip=%s%s];', indent, q(n.code), n.size, q(fill), q(tip),
      n.nodata and ', style="filled,dashed"' or ""))
  end
  if #m.blocs > 0 then
    for b, bloc in ipairs(m.blocs) do
      add("  subgraph " .. q("cluster_bloc_" .. b) .. " {")
      add(string.format('    label=%s; fontsize=11; fontcolor=%s; style="rounded,dashed"; color=%s; penwidth=1;',
        q("bloc " .. tostring(bloc)), q(map.BLOC_BORDERS[(b - 1) % #map.BLOC_BORDERS + 1]),
        q(map.BLOC_BORDERS[(b - 1) % #map.BLOC_BORDERS + 1])))
      for _, n in ipairs(m.nodes) do if n.bloc_no == b then node_line(n, "    ") end end
      add("  }")
    end
    for _, n in ipairs(m.nodes) do if not n.bloc_no then node_line(n, "  ") end end
  else
    for _, n in ipairs(m.nodes) do node_line(n, "  ") end
  end
  for _, e in ipairs(m.edges) do
    local st = e.style
    local attrs = {}
    local colour = st.colour
    local width = st.width
    if e.frustrated then
      -- a halo: the edge colour between two orange strokes
      colour = HALO .. ":" .. colour .. ":" .. HALO
      width = max(width, 2.5)
    end
    attrs[#attrs + 1] = "color=" .. q(colour)
    attrs[#attrs + 1] = string.format("penwidth=%.1f", width)
    if st.dash then attrs[#attrs + 1] = "style=" .. st.dash end
    if e.directed then attrs[#attrs + 1] = "dir=forward" end
    attrs[#attrs + 1] = "class=" .. q("rel " .. st.class .. (e.frustrated and " frustrated" or ""))
    local tip = e.a .. (e.directed and " -> " or " -- ") .. e.b .. ": " .. e.kind ..
      (e.strength and string.format(" %.2g", e.strength) or "") .. (e.since and (" since " .. e.since) or "") ..
      (e.frustrated and " [frustrated]" or "") .. (e.source and e.source ~= "" and ("; " .. e.source) or "")
    attrs[#attrs + 1] = "tooltip=" .. q(tip)
    add(string.format("  %s -- %s [%s];", q(e.a), q(e.b), table.concat(attrs, ", ")))
  end
  add("}")
  return table.concat(out, "\n") .. "\n"
end

-------------------------------------------------------------- Graphviz

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function execute(cmd)
  local r = os.execute(cmd)
  return r == true or r == 0
end

-- The command words of map.dot_program.
local function dot_words()
  local p = map.dot_program
  if type(p) == "table" then return p end
  return {tostring(p)}
end

--- map.graphviz() -> the command that runs Graphviz (shell words), or nil and
-- a message saying how to get it.
function map.graphviz()
  local words = dot_words()
  local quoted = {}
  for i, w in ipairs(words) do quoted[i] = shell_quote(w) end
  if execute("command -v " .. quoted[1] .. " >/dev/null 2>&1") then return table.concat(quoted, " ") end
  return nil, "Graphviz '" .. table.concat(words, " ") .. "' was not found: install the Debian package graphviz " ..
    "(apt-get install graphviz) to render the map to SVG or PNG; the .dot file can be written without it"
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local FORMATS = {svg = true, png = true, pdf = true}

--- m:render(format) -> the rendered bytes ("svg", "png", "pdf"), or nil and a message.
function Map:render(format)
  format = format or "svg"
  if not FORMATS[format] then fail("render", "format '" .. tostring(format) .. "' must be svg, png or pdf") end
  local prog, err = map.graphviz()
  if not prog then return nil, err end
  local src, dst, errf = os.tmpname(), os.tmpname(), os.tmpname()
  local cmd = prog .. " -T" .. format .. (format == "png" and " -Gdpi=96" or "") .. " -o " ..
    shell_quote(dst) .. " " .. shell_quote(src) .. " 2>" .. shell_quote(errf)
  -- Graphviz 2.43's fdp crashes now and then (at random, on a graph it
  -- draws fine the next time) when splines=true meets clusters: try twice,
  -- then with curved edges, which never crashed in our runs.
  local curved = (self.dot:gsub("splines=true", "splines=curved", 1))
  local ok, out, msg
  for _, text in ipairs {self.dot, self.dot, curved} do
    local f = io.open(src, "wb")
    if not f then return nil, "cannot write a temporary file " .. src end
    f:write(text)
    f:close()
    ok = execute(cmd)
    out, msg = read_file(dst), read_file(errf) or ""
    if ok and out and out ~= "" then break end
  end
  os.remove(src); os.remove(dst); os.remove(errf)
  if not ok or not out or out == "" then
    return nil, "Graphviz failed to render the map: " .. (msg ~= "" and msg or "no output")
  end
  return out
end

--- m:write(path) -> path, or nil and a message.  The format follows the
-- extension: .dot (always possible), .svg, .png, .pdf (need Graphviz).
function Map:write(path)
  if type(path) ~= "string" then fail("write", "file name expected, got " .. type(path)) end
  local ext = path:match("%.(%w+)$")
  ext = ext and ext:lower()
  local data, err
  if ext == "dot" or ext == "gv" then data = self.dot
  elseif ext and FORMATS[ext] then data, err = self:render(ext)
  else fail("write", "cannot tell the format of '" .. path .. "': use .dot, .svg, .png or .pdf") end
  if not data then return nil, err end
  local f, ferr = io.open(path, "wb")
  if not f then return nil, "cannot write '" .. path .. "': " .. tostring(ferr) end
  f:write(data)
  f:close()
  return path
end

--- m:svg() -> SVG text and "graphviz", or entente's own drawing and
-- "entente" (with the reason Graphviz was not used) when Graphviz is missing.
function Map:svg()
  local text, err = self:render("svg")
  if text then return text, "graphviz" end
  return self:draw(), "entente", err
end

------------------------------------------------- entente's own drawing

-- Without Graphviz: blocs on arcs of one circle, straight edges, the same
-- styles and legend.  Plain, but it always works and keeps every label clear.
function Map:draw()
  local n = #self.nodes
  local width = 760
  local order = {}
  for i, nd in ipairs(self.nodes) do order[i] = nd end
  table.sort(order, function(a, b)
    local x, y = a.bloc_no or 1e9, b.bloc_no or 1e9
    if x ~= y then return x < y end
    return a.code < b.code
  end)
  local spacing_r = n > 1 and 2 * math.pi / n or 0
  local R = max(150, min(330, n * 16))
  local maxr = max(10, min(34, n > 1 and R * spacing_r / 2 - 14 or 34))
  local doc = svg.new(width, 100, {title = self:title_text()})
  local y = 16
  local title_lines = {}
  do -- title, wrapped
    local cur
    for word in self:title_text():gmatch("%S+") do
      local try = cur and (cur .. " " .. word) or word
      if cur and svg.text_width(try, 16, true) > width - 32 then title_lines[#title_lines + 1] = cur; cur = word
      else cur = try end
    end
    title_lines[#title_lines + 1] = cur
  end
  for _, l in ipairs(title_lines) do
    y = y + 16
    doc:text(16, y, svg.fit(l, 16, width - 32, true), {size = 16, bold = true, class = "title"})
    y = y + 5
  end
  y = y + 4
  -- legend: swatches in rows
  local x = 16
  local entries = self:legend_entries()
  if self.nfrustrated > 0 then entries[#entries + 1] = {colour = HALO, width = 6, label = "frustrated (breaks balance)", class = "frustrated"} end
  y = y + 12
  for _, st in ipairs(entries) do
    local w = 44 + svg.text_width(st.label, 11) + 14
    if x > 16 and x + w > width - 16 then x = 16; y = y + 18 end
    doc:line(x, y - 4, x + 36, y - 4, {stroke = st.colour, ["stroke-width"] = st.width,
      ["stroke-dasharray"] = st.dash == "dashed" and "6,4" or st.dash == "dotted" and "2,3" or nil})
    doc:text(x + 42, y, st.label, {size = 11, class = "legend"})
    x = x + w
  end
  y = y + 18
  local notes = self:size_text() .. (#self.blocs > 0 and "; colour: bloc" or "") .. "; Graphviz not used: circular layout"
  doc:text(16, y, svg.fit(notes, 11, width - 32), {size = 11, fill = "#555555", class = "note"})
  y = y + 10
  local cx, cy = width / 2, y + R + maxr + 24
  local pos = {}
  for i, nd in ipairs(order) do
    local a = -math.pi / 2 + (i - 1) * spacing_r
    pos[nd.code] = {cx + R * math.cos(a), cy + R * math.sin(a), a}
  end
  local radius = {}
  for _, nd in ipairs(self.nodes) do
    radius[nd.code] = self.size_by and (nd.value and maxr * (0.45 + 0.55 * (nd.size - 0.55) / 1.05) or maxr * 0.45) or maxr * 0.6
  end
  -- parallel relations of one dyad are drawn side by side, 5 px apart
  local count, rank = {}, {}
  for i, e in ipairs(self.edges) do
    local key = e.a < e.b and (e.a .. "|" .. e.b) or (e.b .. "|" .. e.a)
    count[key] = (count[key] or 0) + 1
    rank[i] = {key, count[key]}
  end
  doc:open("g", {class = "edges"})
  for i, e in ipairs(self.edges) do
    local p, r = pos[e.a], pos[e.b]
    local key, k = rank[i][1], rank[i][2]
    local off = (k - (count[key] + 1) / 2) * 5
    if off ~= 0 then
      local dx, dy = r[1] - p[1], r[2] - p[2]
      local len = sqrt(dx * dx + dy * dy)
      if e.b < e.a then off = -off end
      local ox, oy = -dy / len * off, dx / len * off
      p, r = {p[1] + ox, p[2] + oy}, {r[1] + ox, r[2] + oy}
    end
    local st = e.style
    local dash = st.dash == "dashed" and "6,4" or st.dash == "dotted" and "2,3" or nil
    doc:open("g", {class = "edge " .. st.class .. (e.frustrated and " frustrated" or "")})
    doc:element("title", nil, e.a .. (e.directed and " -> " or " -- ") .. e.b .. ": " .. e.kind)
    if e.frustrated then
      doc:line(p[1], p[2], r[1], r[2], {stroke = HALO, ["stroke-width"] = st.width + 6, ["stroke-opacity"] = 0.7})
    end
    doc:line(p[1], p[2], r[1], r[2], {stroke = st.colour, ["stroke-width"] = st.width, ["stroke-dasharray"] = dash})
    if e.directed then
      -- an arrowhead at the rim of b
      local dx, dy = r[1] - p[1], r[2] - p[2]
      local len = sqrt(dx * dx + dy * dy)
      if len > 0 then
        local ux, uy = dx / len, dy / len
        local tx, ty = r[1] - ux * radius[e.b], r[2] - uy * radius[e.b]
        doc:polygon({tx, ty, tx - ux * 9 - uy * 4, ty - uy * 9 + ux * 4, tx - ux * 9 + uy * 4, ty - uy * 9 - ux * 4},
          {fill = st.colour})
      end
    end
    doc:close()
  end
  doc:close()
  for _, nd in ipairs(order) do
    local p = pos[nd.code]
    local fill = nd.bloc_no and map.BLOC_COLOURS[(nd.bloc_no - 1) % #map.BLOC_COLOURS + 1] or NO_BLOC_FILL
    local rr = radius[nd.code]
    doc:open("g", {class = "node", ["data-code"] = nd.code})
    doc:element("title", nil, nd.name)
    doc:circle(p[1], p[2], rr, {fill = fill, stroke = "#333333", ["stroke-width"] = 1.2,
      ["stroke-dasharray"] = nd.nodata and "4,3" or nil})
    -- the code outside the circle, along the radius
    local lx, ly = p[1] + (rr + 6) * math.cos(p[3]), p[2] + (rr + 6) * math.sin(p[3])
    local c = math.cos(p[3])
    local anchor = c > 0.3 and "start" or c < -0.3 and "end" or "middle"
    if anchor == "middle" then ly = ly + (math.sin(p[3]) > 0 and 11 or -2) else ly = ly + 4 end
    doc:text(lx, ly, nd.code, {size = 12, bold = true, anchor = anchor, class = "node-label"})
    doc:close()
  end
  doc.height = cy + R + maxr + 30
  return doc:render()
end

-------------------------------------------------------- World adapter

-- Blocs from any of: {{codes}, {codes}}, {code = bloc}, an object with a
-- :blocs() method (the signed graph of w:signed), or a table with a blocs
-- list (the result of g:frustration()).
local function bloc_of(blocs, fname)
  if blocs == nil then return {} end
  if type(blocs) == "table" and type(blocs.blocs) == "function" then blocs = blocs:blocs()
  elseif type(blocs) == "table" and type(blocs.blocs) == "table" then blocs = blocs.blocs end
  if type(blocs) ~= "table" then fail(fname, "blocs must be a list of lists of actor codes or a table code = bloc, got " ..
    type(blocs), 4) end
  local out = {}
  if #blocs > 0 then
    for b, list in ipairs(blocs) do
      if type(list) ~= "table" then fail(fname, "blocs[" .. b .. "] must be a list of actor codes", 4) end
      local members = list.members or list
      for _, code in ipairs(members) do
        if type(code) == "table" then code = code.code end
        out[code] = list.name or list.label or b
      end
    end
  else
    for code, b in pairs(blocs) do out[code] = b end
  end
  return out
end

-- Frustrated dyads from {{a, b}}, {{a=, b=}}, relation handles, a signed
-- graph (its g:frustration().frustrated), a frustration result (its
-- frustrated list), or an object with a :frustrated() method; a set keyed
-- "A|B" with A < B.
local function frustrated_set(fr, fname)
  local set = {}
  if fr == nil then return set end
  if type(fr) == "table" then
    if type(fr.frustration) == "function" then fr = fr:frustration() end
    if type(fr.frustrated) == "function" then fr = fr:frustrated()
    elseif type(fr.frustrated) == "table" then fr = fr.frustrated end
  end
  if type(fr) ~= "table" then fail(fname, "frustrated must be a list of actor pairs, got " .. type(fr), 4) end
  for i, p in ipairs(fr) do
    if type(p) ~= "table" then fail(fname, "frustrated[" .. i .. "] must be a pair of actor codes", 4) end
    local a, b = p.a or p[1], p.b or p[2]
    if type(a) == "table" then a = a.code end
    if type(b) == "table" then b = b.code end
    if type(a) ~= "string" or type(b) ~= "string" then
      fail(fname, "frustrated[" .. i .. "] must be a pair of actor codes", 4)
    end
    if b < a then a, b = b, a end
    set[a .. "|" .. b] = true
  end
  return set
end

local SIZE_NAMES = {cinc = "CINC (COW composite index of national capability)",
  milex_usd = "military expenditure (milex_usd)"}

-- The module is also the installer: require("entente.map")(entente, World)
-- adds World:map and entente.map.
local function install(entente, World)
  local MAP_OPTS = {date = true, title = true, blocs = true, frustrated = true, balance = true, size = true,
    exclude = true, kinds = true, note = true, actors = true}

  --- w:map{date=, title=, blocs=, frustrated=, balance=, size=, exclude={kinds}, kinds={kinds}, actors={codes}, note=}
  function World:map(opts)
    local fname = "map"
    if opts == nil then opts = {} end
    if type(opts) ~= "table" then fail(fname, "table of options expected, got " .. type(opts)) end
    for k in pairs(opts) do
      if not MAP_OPTS[k] then fail(fname, "unknown option '" .. tostring(k) .. "'") end
    end
    local day = self:_asof(opts.date, fname, 1)
    local date = entente._datestr(day)
    local g = opts.balance
    if g == true then
      if not self.signed then fail(fname, "balance = true needs the balance module (w:signed)") end
      g = self:signed {date = date}
    end
    local blocs = bloc_of(opts.blocs ~= nil and opts.blocs or g, fname)
    local fr = frustrated_set(opts.frustrated ~= nil and opts.frustrated or g, fname)

    -- which actors
    local actors = {}
    if opts.actors then
      if type(opts.actors) ~= "table" then fail(fname, "actors must be a list of actor codes") end
      for i, c in ipairs(opts.actors) do
        self:_aid(c, fname, 1)
        actors[i] = self:actor(c)
      end
    else
      actors = self:actors()
    end
    local keep = {}
    for _, a in ipairs(actors) do keep[a.code] = true end

    -- capability measure
    local size_attr, size_by = opts.size, nil
    local values = {}
    if size_attr == nil then
      for _, attr in ipairs {"cinc", "milex_usd"} do
        for _, a in ipairs(actors) do
          if a:attr(attr) ~= nil then size_attr = attr; break end
        end
        if size_attr then break end
      end
    end
    if type(size_attr) == "string" then
      size_by = SIZE_NAMES[size_attr] or size_attr
      for _, a in ipairs(actors) do values[a.code] = a:attr(size_attr) end
    elseif type(size_attr) == "table" then
      size_by = "given values"
      for code, v in pairs(size_attr) do
        self:_aid(code, fname, 1)
        values[code] = v
      end
    elseif size_attr ~= nil and size_attr ~= false then
      fail(fname, "size must be an attribute name, a table code = value or false, got " .. tostring(size_attr))
    end

    local nodes = {}
    for _, a in ipairs(actors) do
      nodes[#nodes + 1] = {code = a.code, name = a.name, value = values[a.code], bloc = blocs[a.code]}
    end
    for code in pairs(blocs) do
      if not keep[code] then self:_aid(code, fname, 1) end -- unknown codes raise; known but filtered are skipped
    end

    -- relations in force, one edge per dyad and kind
    local excl = {}
    for _, k in ipairs(opts.exclude or {}) do excl[self:kind(k).name] = true end
    local only
    if opts.kinds then
      only = {}
      for _, k in ipairs(opts.kinds) do only[self:kind(k).name] = true end
    end
    local edges, seen = {}, {}
    for _, r in ipairs(self:relations {date = date}) do
      local info = r:info()
      if keep[info.a] and keep[info.b] and not excl[info.kind] and (not only or only[info.kind]) then
        local k = self:kind(info.kind)
        local a, b = info.a, info.b
        local key = (k.directed or a < b) and (a .. "|" .. b .. "|" .. info.kind) or (b .. "|" .. a .. "|" .. info.kind)
        local e = seen[key]
        if e then
          e.strength = max(e.strength, info.strength)
          e.source = e.source .. "; " .. info.source
        else
          local pa, pb = a, b
          if pb < pa then pa, pb = pb, pa end
          e = {a = a, b = b, kind = info.kind, sign = k.sign, obligation = k.obligation, strength = info.strength,
            directed = k.directed, since = info.since, source = info.source or "",
            frustrated = fr[pa .. "|" .. pb] or false}
          seen[key] = e
          edges[#edges + 1] = e
        end
      end
    end
    return map.build {title = opts.title or self.title, date = date, nodes = nodes, edges = edges,
      size_by = size_by, note = opts.note}
  end

  entente.map = map
  return map
end

return setmetatable(map, {__call = function(_, entente, World) return install(entente, World) end})
