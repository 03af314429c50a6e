-- Structural balance of the seed scenario, the day before Putin's visit to
-- Pyongyang (2024-06-18) and the day after the Russia-DPRK treaty entered
-- into force (2024-12-05): the signed triangle census, the three balance
-- scores, the two blocs and the actors caught in the middle.
--
--   lua examples/balance.lua          (from the repository root, after make)
local entente = require "entente"

local w = assert(entente.load "russia_dprk_2024")

local dates = {"2024-06-18", "2024-12-05"}
local views = {}
for i, d in ipairs(dates) do
  views[i] = w:signed {date = d}
  print(views[i]:report())
  print()
end

-- What moved between the two dates: the ties whose weight changed.
local before, after = views[1], views[2]
print("Ties that changed between " .. dates[1] .. " and " .. dates[2] .. ":")
local any = false
for _, e in ipairs(after:edges()) do
  local old = before:weight(e.a, e.b)
  if math.abs(old - e.weight) > 1e-12 then
    any = true
    print(string.format("  %s-%s: %+.2f -> %+.2f%s", e.a, e.b, old, e.weight,
      (old > 0) == (e.weight > 0) and " (same sign: the census and the scores do not move)" or " (sign flipped)"))
  end
end
if not any then print("  none") end
print()

-- Why China is caught in the middle, on the later date.
local t = after:tension("CHN")
print(string.format("CHN: bloc %d, %d ties, %d of its %d triangles unbalanced, %d%% of the frustration",
  t.bloc, t.ties, t.unbalanced, t.triangles, math.floor(100 * t.share + 0.5)))
for _, tri in ipairs(t.unbalanced_triangles) do
  print(string.format("  unbalanced: %s-%s-%s (%s)", tri[1], tri[2], tri[3], tri.signs))
end
for _, other in ipairs {"ROK", "JPN"} do
  local d = after:tension("CHN", other)
  local via = {}
  for _, c in ipairs(d.common) do via[#via + 1] = c.actor .. " (" .. c.with_a .. "/" .. c.with_b .. ")" end
  print(string.format("  CHN-%s %s%s: %d unbalanced of %d triangles; common neighbours %s",
    other, d.sign or "no tie", d.frustrated and ", frustrated (friends across the blocs)" or "",
    d.unbalanced, #d.triangles, table.concat(via, ", ")))
end
print()
print("Sensitivity: with trade weighted 1 instead of 0.5, CHN-USA turns " ..
  (w:signed {date = dates[2], weights = {trade = 1}}:weight("CHN", "USA") > 0 and "positive" or "negative") ..
  " (trade 0.95 against rivalry 0.5).")
