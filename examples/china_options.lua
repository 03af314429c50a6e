-- China's options after the Russia-DPRK treaty (flagship scenario, 2024-12-05).
--
-- The end of the seed article (context/seed-article.txt) is a decision
-- problem: China can side with Russia and the DPRK, distance itself, or try to
-- mend ties with Japan and South Korea, and "siding with North Korea or Russia
-- and fixing ties with the Northeast Asian countries appear unfeasible and
-- risky".  This script lays the choice out with entente's options model
-- (docs/options.md): five options, the responses of the United States, Japan,
-- South Korea, Russia and the DPRK, six criteria, and every uncertain number
-- as a stated range with its source.  The verdict printed at the end is
-- computed from the run; nothing in this file says in advance what it is.
--
-- Run with `make demo`, or: lua5.4 examples/china_options.lua [draws]
local entente = require "entente"

local U, T = entente.uniform, entente.triangular

-- Everything the evaluation needs, so that bench/options.lua can run the
-- same evaluation.  Returns the scenario and the options of s:evaluate.
-- `alt` (optional) replaces one assumption, to see what would change the
-- verdict: {weight = {criterion, factor}}, {war = factor},
-- {reciprocity = share}, {trust = factor}.
local function build(runs, alt)
  alt = alt or {}
  local w = assert(entente.load "russia_dprk_2024")
  local s = entente.scenario(w, {date = "2024-12-05", title = "China after the Russia-DPRK treaty"})

  ---------------------------------------------------------------- options
  -- Strength conventions are the scenario's (defence 1, consultation 0.5,
  -- strategic partnership 0.7, partnership 0.3-0.5, trade = bn USD / 700).

  -- Side with Russia and the DPRK: a mutual-assistance pledge to Russia of
  -- the kind Russia gave the DPRK (Art. 4 of the 2024 treaty, R01), read as
  -- conditional (strength 0.3-0.8, not 1); material support for Russia's war
  -- (dual-use goods and munitions, the kind of aid the DPRK gives, R23);
  -- a strategic partnership with the DPRK matching Russia's.
  s:option("CHN", "align", {
    {"add", "CHN", "RUS", "defence", strength = T(0.3, 0.5, 0.8)},
    {"add", "CHN", "RUS", "military_aid", strength = U(0.2, 0.6)},
    {"add", "CHN", "PRK", "strategic_partnership", strength = 0.7},
  })

  -- Distance from both: say the 1961 treaty's Art. II is conditional (its
  -- strength cut to 40-80%; Beijing's "their own matter" line of 2024, E26,
  -- E34, points that way) and cool the 2022-2023 "no limits" statements
  -- (R06, R07) to 60-90% of their strength.  Trade is left as it is.
  s:option("CHN", "distance", {
    {"weaken", "CHN", "PRK", "defence", factor = U(0.4, 0.8)},
    {"weaken", "CHN", "RUS", "strategic_partnership", factor = U(0.6, 0.9)},
  })

  -- Court Japan and South Korea: a partnership with each (the trilateral
  -- summit process and FTA talks resumed in Seoul in May 2024) and a little
  -- more trade (3 bn to 20 bn USD a year each, 0.005-0.03 on the scale).
  -- What they accept is decided by the wariness rule below.
  s:option("CHN", "court", {
    {"add", "CHN", "JPN", "partnership", strength = 0.3},
    {"add", "CHN", "ROK", "partnership", strength = 0.3},
    {"strengthen", "CHN", "JPN", "trade", by = U(0.005, 0.03)},
    {"strengthen", "CHN", "ROK", "trade", by = U(0.005, 0.03)},
  })

  -- Hedge: half of the court option, a small step back from the DPRK
  -- (Art. II at 80-95%), nothing changed with Russia.
  s:option("CHN", "hedge", {
    {"weaken", "CHN", "PRK", "defence", factor = U(0.8, 0.95)},
    {"add", "CHN", "JPN", "partnership", strength = 0.15},
    {"add", "CHN", "ROK", "partnership", strength = 0.15},
  })

  -------------------------------------------------------------- responses
  -- Balancing (Walt's balance of threat): when the threat to the US, Japan
  -- or South Korea rises, they tighten their alliances by gain x the rise
  -- (gain 0.5-2, a judgement: a rise of 0.1 in threat adds 0.05-0.2 to their
  -- ties); the US also turns more hostile to China by up to 1 x the rise.
  -- The seed article: closer Russia-DPRK ties "encourage the US and its
  -- allies to expand their presence in the Indo-Pacific".
  s:respond("balancing", {actors = {"USA", "JPN", "ROK"}, gain = U(0.5, 2), hostility = {USA = U(0, 1)}})

  -- Reciprocity: Russia and the DPRK answer distancing with distancing,
  -- returning 30-90% of it (full tit-for-tat is 100%; both depend on China,
  -- the DPRK for 98% of its trade, R17, so less than full).
  s:respond("reciprocity", {actors = {"RUS", "PRK"}, share = alt.reciprocity or U(0.3, 0.9)})

  -- Wariness: Japan and South Korea accept only a share of an overture:
  -- trust 0.1-0.3 (of the order of the share of their publics with a
  -- favourable view of China in Pew Research Center surveys, 2021-2023; a
  -- proxy), reduced by pressure from their US ally (weight 0.5-1; the seed
  -- article: "the US is also likely to impose pressure on Japan and South
  -- Korea not to side with China").
  local tf = alt.trust or 1
  s:respond("wariness", {actors = {"JPN", "ROK"}, trust = U(0.1 * tf, 0.3 * tf), pressure = U(0.5, 1)})

  -- US secondary sanctions, a rule written in Lua: if China arms Russia, the
  -- US sanctions China (strength 0.2-0.5), as it designated Chinese firms
  -- supplying Russia's military industry in 2023-2024.
  s:respond(function(ctx)
    if ctx:strength("CHN", "RUS", "military_aid") > ctx:strength("CHN", "RUS", "military_aid", "before") then
      ctx:apply {{"add", "USA", "CHN", "sanction", strength = U(0.2, 0.5)}}
      ctx:log("the US sanctions China for arming Russia")
    end
  end, {name = "US secondary sanctions"})

  ---------------------------------------------------------- evaluation
  local cinc = assert(entente.cow.cinc(2022))   -- COW NMC v7.0, the latest year
  local opts = {
    actor = "CHN",
    -- The article names every concern (entrapment, reputation, economy,
    -- security, partners) and ranks none: equal central weights, each
    -- anywhere from half to one and a half.
    weights = {threat = U(0.5, 1.5), entrapment = U(0.5, 1.5), economy = U(0.5, 1.5),
      reputation = U(0.5, 1.5), trust = U(0.5, 1.5), tension = U(0.5, 1.5)},
    -- No war on the peninsula since the 1953 armistice: 71 years without one
    -- give (0 + 1) / (71 + 2) = 1.4% a year by Laplace's rule; the 2024
    -- escalation (E19, E20) argues for the upper end.  Split by who starts
    -- it; the DPRK is the defender only after a US/ROK strike, and only then
    -- does China's defensive Art. II apply.
    triggers = {
      {"PRK", "ROK", p = U(0.005 * (alt.war or 1), 0.03 * (alt.war or 1))},
      {"ROK", "PRK", p = U(0.002 * (alt.war or 1), 0.015 * (alt.war or 1))},
    },
    params = {
      -- Alliance commitments honoured: 75% (Leeds, Long & Mitchell 2000,
      -- 1816-1944), 50% (Berkemeier & Fuhrmann 2018, 1816-2003), 22% after 1945.
      reliability = T(0.22, 0.5, 0.75),
      -- Sanctions on a partner reach China's trade with it: 10-50%, a
      -- judgement (the US and EU listed Chinese firms trading with Russia).
      secondary = U(0.1, 0.5),
      -- Aggression and proliferation count fully; sanctions count 50-100%
      -- (UN sanctions bind all members, the EU's bind the EU).
      norms = {aggression = 1, proliferation = 1, sanctions = U(0.5, 1)},
    },
    capability = cinc,
    proliferation = {PRK = 1},   -- nuclear tests in breach of UNSCR 1718 (E01, E03)
    runs = runs or 100000,
    seed = 2024,
  }
  if alt.weight then
    local c, f = alt.weight[1], alt.weight[2]
    opts.weights[c] = U(0.5 * f, 1.5 * f)
  end
  return s, opts
end

-- When run as a script (not loaded by the bench).
if not (arg and arg[0] and arg[0]:match("china_options%.lua$")) then return build end

local runs = tonumber(arg[1]) or 100000
local s, opts = build(runs)
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
