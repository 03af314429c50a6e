-- China's options after the Russia-DPRK treaty (flagship scenario, 2024-12-05).
--
-- The end of the seed article (context/seed-article.txt) is a decision
-- problem: China can side with Russia and the DPRK, distance itself, or try to
-- mend ties with Japan and South Korea, and "siding with North Korea or Russia
-- and fixing ties with the Northeast Asian countries appear unfeasible and
-- risky".  This script lays the choice out with entente's options model
-- (docs/options.md): five options (status quo, align, distance, court,
-- hedge), the responses of the United States, Japan, South Korea, Russia and
-- the DPRK, six criteria, and every uncertain number as a stated range with
-- its source.
--
-- All of that is declared once, in section 4 of the scenario file
-- examples/russia_dprk_pact.ent, each parameter with its source beside it;
-- this script reads it from there (as `entente run` and examples/report.lua
-- do), runs the evaluation, prints the report, a conclusion computed from the
-- run (nothing in this file says in advance what it is) and what would
-- change it.
--
-- Run with `make demo`, or: lua5.4 examples/china_options.lua [draws]
local ent = require "entente.ent"

-- The scenario file, beside this script wherever it is run from.
local FILE = ((debug.getinfo(1, "S").source or ""):match("^@(.*[/\\])") or "") .. "russia_dprk_pact.ent"

-- A value of the file times f: a number, a range lo..hi (uniform), or a
-- triangular or fixed distribution (every bound and the mode times f).
local function scaled(v, f, what)
  if type(v) == "number" then return v * f end
  if getmetatable(v) == ent.Tagged and (v[1] == "uniform" or v[1] == "triangular" or v[1] == "fixed") then
    local t = setmetatable({v[1]}, ent.Tagged)
    for i = 2, #v do t[i] = v[i] * f end
    return t
  end
  error(FILE .. ": " .. what .. " is " .. tostring(type(v) == "table" and (tostring(v[1]) .. "(...)") or v) ..
    ": only a number, a range, a triangular or a fixed distribution can be scaled", 2)
end

-- Everything the evaluation needs, so that bench/options.lua can run the
-- same evaluation.  Returns the scenario and the options of s:evaluate, read
-- from the scenario file; runs (optional) replaces the file's number of draws.
-- `alt` (optional) replaces one assumption, to see what would change the
-- verdict: {weight = {criterion, factor}} (that weight's range times factor),
-- {war = factor} (the war probabilities times factor), {reciprocity = share},
-- {trust = factor} (Japan's and South Korea's trust times factor).
local function build(runs, alt)
  alt = alt or {}
  local w, spec = ent.read(FILE)
  if not w then error(spec, 2) end
  local e = spec.evaluate[1]
  if not e or e.actor ~= "CHN" then error(FILE .. ": expected an evaluation of CHN's options (evaluate CHN {...})", 2) end
  local function rule(name)
    for _, r in ipairs(spec.responses) do if r.rule == name then return r.params end end
    error(FILE .. ": no '" .. name .. "' response declared", 3)
  end
  if alt.weight then
    local c, f = alt.weight[1], alt.weight[2]
    e.weights = e.weights or {}
    e.weights[c] = scaled(e.weights[c] or 1, f, "the weight of " .. c)
  end
  if alt.war then
    for i, t in ipairs(e.triggers or {}) do t.p = scaled(t.p, alt.war, "the probability of trigger " .. i) end
  end
  if alt.reciprocity then rule("reciprocity").share = alt.reciprocity end
  if alt.trust then
    local p = rule("wariness")
    p.trust = scaled(p.trust, alt.trust, "the trust of the wariness rule")
  end
  local s, err = ent.scenario(w, spec)
  if not s then error(err, 2) end
  local opts = ent.materialize(e)
  if runs then opts.runs = runs end
  return s, opts
end

-- When run as a script (not loaded by the bench).
if not (arg and arg[0] and arg[0]:match("china_options%.lua$")) then return build end

local s, opts = build(tonumber(arg[1]))
local r = s:evaluate(opts)
print(r:report())
print()

-- The conclusion, from the run.
local v = r.verdict
local top, second = r:option(r.ranking[1]), r:option(r.ranking[2])
print("Conclusion (computed from this run)")
if v.dilemma then
  print("  The model finds China in a dilemma: " .. v.text:gsub("^Dilemma: ", ""))
else
  print("  The model does not find a dilemma under these assumptions: " .. v.text:gsub("^No dilemma: ", ""))
end
print(string.format("  '%s' leads '%s' by %.3f on a scale of 1, while the uncertainty moves every score together",
  top.name, second.name, second.expected - top.expected))
print(string.format("  ('%s' ranges %.3f-%.3f over 90%% of draws) and '%s' beats '%s' in %.2f%% of them.",
  top.name, top.q05, top.q95, top.name, second.name, 100 * r.better[top.name][second.name]))

-- What would change the verdict: each assumption replaced in turn, re-run.
print()
print("  What would change it (each assumption replaced alone, re-run with 10,000 draws):")
local alts = {}
for _, c in ipairs {"threat", "entrapment", "economy", "reputation", "trust", "tension"} do
  alts[#alts + 1] = {label = "weight of " .. c .. " x3", alt = {weight = {c, 3}}}
  alts[#alts + 1] = {label = "weight of " .. c .. " x0.2", alt = {weight = {c, 0.2}}}
end
alts[#alts + 1] = {label = "war on the peninsula 5 times likelier", alt = {war = 5}}
alts[#alts + 1] = {label = "Russia and the DPRK return all distancing (share 1)", alt = {reciprocity = 1}}
alts[#alts + 1] = {label = "Japan and South Korea twice as trusting", alt = {trust = 2}}
local changed = 0
for _, a in ipairs(alts) do
  local s2, o2 = build(10000, a.alt)
  local r2 = s2:evaluate(o2)
  local v2 = r2.verdict
  local best = r2:option(v2.most_often_best)
  if v2.dilemma ~= v.dilemma or v2.most_often_best ~= v.most_often_best then
    changed = changed + 1
    print(string.format("  - %s: %s", a.label, v2.dilemma and "a dilemma" or "no dilemma"))
    print(string.format("      '%s' best in %.0f%% of draws; ranking %s", best.name, 100 * best.pbest,
      table.concat(r2.ranking, " > ")))
  end
end
if changed == 0 then print("  - none of the assumptions tried changes the verdict") end
local untouched = #alts - changed
print(string.format("  (%d of the %d replacements tried leave the verdict as it is.)", untouched, #alts))
