-- The flagship report: the 2024 Russia-DPRK treaty seen from China, as one
-- self-contained HTML file with its network map and charts.
-- Run with `make demo`, or: lua5.4 examples/report.lua [out-dir]
--
-- Everything comes from the scenario file examples/russia_dprk_pact.ent: the
-- world, the two dates it compares, the conflicts it studies and China's
-- options with the responses and the evaluation settings, so that the options
-- section shows the same five options and the same verdict as
-- examples/china_options.lua and `entente run examples/russia_dprk_pact.ent`.
--
-- Writes <out-dir>/russia_dprk_pact.html (default out/), and beside it the
-- map as DOT (and SVG and PNG when Graphviz is installed) and each chart as
-- SVG.
local entente = require "entente"
local ent = require "entente.ent"

local dir = arg and arg[1] or "out"
os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'")
local function path(name) return dir .. "/" .. name end

-- The scenario file, beside this script wherever it is run from.
local FILE = ((debug.getinfo(1, "S").source or ""):match("^@(.*[/\\])") or "") .. "russia_dprk_pact.ent"
local w, spec = ent.read(FILE)
if not w then error(spec, 0) end
-- the eve of the summit and the treaty in force: the file's comparison
local cmp = assert(spec.compare[1], FILE .. ": expected a compare statement")
local before, after = cmp[1], cmp[2]

-- The map, grouped into blocs by structural balance when that module is there.
local mapopts = {date = after}
if w.signed then mapopts.balance = w:signed {date = after} end
local m = w:map(mapopts)
assert(m:write(path("russia_dprk_map.dot")))
local ok, err = m:write(path("russia_dprk_map.svg"))
if ok then assert(m:write(path("russia_dprk_map.png"))) else print("map: " .. err) end

-- Who is drawn into each war the file declares, before and after the treaty.
local results, written = {}, {}
for _, c in ipairs(spec.conflicts) do
  local function at(d)
    local params = {}
    for k, v in pairs(c.params or {}) do params[k] = v end
    params.conflict, params.date = {{c.attacker, c.target}}, d
    return w:entrapment(params)
  end
  local r0, r1 = at(before), at(after)
  local name = "entrapment_" .. c.attacker:lower() .. "_" .. c.target:lower() .. ".svg"
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

-- China's options: the five options, the responses and the evaluation
-- settings (criteria, weights, parameter ranges with their sources, draws,
-- seed) declared in section 4 of the scenario file.
local s, serr = ent.scenario(w, spec)
if not s then error(serr, 0) end
local e = assert(spec.evaluate[1], FILE .. ": expected an evaluate statement")
local ev = s:evaluate(ent.materialize(e))
assert(ev:chart {kind = "scores", out = path("options_scores.svg")})
assert(ev:chart {kind = "criteria", out = path("options_criteria.svg")})
written[#written + 1] = "options_scores.svg"
written[#written + 1] = "options_criteria.svg"
table.insert(results, 1, {ev, text = string.format("The options, responses and settings declared in %s " ..
  "(section 4, each parameter with its source), evaluated as examples/china_options.lua evaluates them: " ..
  "%d draws, seed %d.", "examples/russia_dprk_pact.ent", ev.runs, ev.seed)})

local file = path("russia_dprk_pact.html")
assert(w:html {date = after, out = file, map = m, compare = {before, after}, results = results,
  subtitle = "As of " .. after .. ", compared with " .. before})
print("report: " .. file)
print("map:    " .. path("russia_dprk_map.dot") .. (ok and (", .svg, .png") or " (no Graphviz: DOT only)"))
print("charts: " .. table.concat(written, ", ") .. " in " .. dir .. "/")
print(string.format("options: %s (%d draws, seed %d)", ev.verdict.text, ev.runs, ev.seed))
