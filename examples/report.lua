-- The flagship report: the 2024 Russia-DPRK treaty seen from China, as one
-- self-contained HTML file with its network map and charts.
-- Run with `make demo`, or: lua5.4 examples/report.lua [out-dir]
--
-- Writes <out-dir>/russia_dprk_pact.html (default out/), and beside it the
-- map as DOT (and SVG and PNG when Graphviz is installed) and each chart as
-- SVG.
local entente = require "entente"
-- Until init.lua installs the picture modules, install them here.
for _, m in ipairs {"map", "chart", "html"} do
  if not entente[m] then require("entente." .. m)(entente, entente.World) end
end

local dir = arg and arg[1] or "out"
os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'")
local function path(name) return dir .. "/" .. name end

local w = assert(entente.load "russia_dprk_2024")
local before, after = "2024-06-18", "2024-12-05"   -- the eve of the summit; the treaty in force

-- The map, grouped into blocs by structural balance when that module is there.
local mapopts = {date = after}
if w.signed then mapopts.balance = w:signed {date = after} end
local m = w:map(mapopts)
assert(m:write(path("russia_dprk_map.dot")))
local ok, err = m:write(path("russia_dprk_map.svg"))
if ok then assert(m:write(path("russia_dprk_map.png"))) else print("map: " .. err) end

-- Who is drawn into a war on the Korean peninsula, before and after the treaty.
local results, written = {}, {}
for _, conflict in ipairs {{"ROK", "PRK"}, {"PRK", "ROK"}} do
  local r0 = w:entrapment {conflict = {conflict}, date = before}
  local r1 = w:entrapment {conflict = {conflict}, date = after}
  local name = "entrapment_" .. conflict[1]:lower() .. "_" .. conflict[2]:lower() .. ".svg"
  assert(r1:chart {before = r0, out = path(name)})
  written[#written + 1] = name
  results[#results + 1] = {r1, before = r0, text = "Hollow dots: as of " .. before ..
    ", before the Pyongyang summit; filled dots: as of " .. after .. ", the treaty in force."}
end

-- Tension of the dyads at stake, month by month.
local marks = {
  {x = "2023-09-13", label = "Kim-Putin summit"},
  {x = "2024-01-15", label = "ROK 'primary foe'"},
  {x = "2024-06-19", label = "treaty signed"},
  {x = "2024-10-08", label = "DPRK troops to Russia"},
  {x = "2024-12-04", label = "treaty in force"},
}
local series = {}
for i, dy in ipairs {{"PRK", "ROK"}, {"RUS", "PRK"}, {"USA", "PRK"}, {"CHN", "RUS"}} do
  series[i] = w:tension {dyad = dy, from = "2023-01-01", to = "2024-12-31", step = "month"}
end
assert(series[1]:chart {with = {series[2], series[3], series[4]}, marks = marks, out = path("tension.svg")})
written[#written + 1] = "tension.svg"
results[#results + 1] = {series[1], with = {series[2], series[3], series[4]}, marks = marks}

-- China's options as the seed article frames them (side with its partners,
-- distance itself from them, mend ties with Tokyo and Seoul; the status quo
-- is always an option).  Illustrative settings: the changes and the ranges of
-- the responses are choices of this example, written out here to be changed.
local s = entente.scenario(w, {date = after})
s:option("CHN", "side with Russia and the DPRK", {
  {"strengthen", "CHN", "RUS", "strategic_partnership", by = 0.2},
  {"strengthen", "CHN", "PRK", "trade", factor = 3}})
s:option("CHN", "distance from Russia and the DPRK", {
  {"weaken", "CHN", "RUS", "strategic_partnership", factor = 0.5},
  {"weaken", "CHN", "PRK", "defence", factor = 0.5}})
s:option("CHN", "mend ties with Japan and South Korea", {
  {"add", "CHN", "JPN", "partnership", strength = 0.3},
  {"add", "CHN", "ROK", "partnership", strength = 0.3}})
s:respond("reciprocity", {actors = {"RUS", "PRK"}, share = entente.uniform(0.3, 0.9)})  -- partners answer distancing
s:respond("wariness", {actors = {"JPN", "ROK"}, trust = entente.uniform(0.2, 0.6)})     -- Tokyo and Seoul are cautious
local ev = s:evaluate {actor = "CHN", runs = 5000, seed = 1,
  triggers = {{"ROK", "PRK", p = entente.uniform(0.01, 0.05)}, {"PRK", "ROK", p = entente.uniform(0.01, 0.05)}}}
assert(ev:chart {kind = "scores", out = path("options_scores.svg")})
assert(ev:chart {kind = "criteria", out = path("options_criteria.svg")})
written[#written + 1] = "options_scores.svg"
written[#written + 1] = "options_criteria.svg"
table.insert(results, 1, {ev, text = "Illustrative settings, written out in examples/report.lua."})

local file = path("russia_dprk_pact.html")
assert(w:html {date = after, out = file, map = m, compare = {before, after}, results = results,
  subtitle = "As of " .. after .. ", compared with " .. before})
print("report: " .. file)
print("map:    " .. path("russia_dprk_map.dot") .. (ok and (", .svg, .png") or " (no Graphviz: DOT only)"))
print("charts: " .. table.concat(written, ", ") .. " in " .. dir .. "/")
