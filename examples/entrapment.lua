-- examples/entrapment.lua: would a war between the two Koreas drag China,
-- Russia, the United States and Japan in, before the Russia-DPRK treaty
-- (signed 2024-06-19) and after it entered into force (2024-12-04)?  And how
-- tense was the Korean dyad through 2023-2024, from the scenario's events?
--
--   lua5.4 examples/entrapment.lua        (after `make`; see README)
local entente = require "entente"

local w = entente.load "russia_dprk_2024"
local BEFORE, AFTER = "2024-06-17", "2024-12-05"
local WATCH = {"CHN", "RUS", "USA", "JPN"}

local function pct(x) return string.format("%5.1f%%", 100 * x) end

print("Who is drawn in if war breaks out on the Korean peninsula?")
print("(obligations honoured with reliability 0.75, Leeds, Long & Mitchell 2000;")
print(" defence pacts only for an attacked partner; exact enumeration)")
print()
local rows = {}
for _, conflict in ipairs {{"PRK", "ROK"}, {"ROK", "PRK"}} do
  local r0 = w:entrapment {conflict = {conflict}, date = BEFORE}
  local r1 = w:entrapment {conflict = {conflict}, date = AFTER}
  for _, c in ipairs(WATCH) do
    local a0, a1 = r0.by[c], r1.by[c]
    rows[#rows + 1] = {conflict[1] .. " attacks " .. conflict[2], c, pct(a0.p), pct(a1.p),
      a1.likely_side or "-", string.format("%+.1f pts", 100 * (a1.p - a0.p))}
  end
end
print(entente.report.table({"conflict", "actor", "P before " .. BEFORE, "P after " .. AFTER, "side", "change"}, rows))

print()
print("Full report, the ROK attacking after the treaty entered into force:")
print()
local after = w:entrapment {conflict = {{"ROK", "PRK"}}, date = AFTER}
print(after)
print()
print("The same by Monte Carlo (seeded: the same numbers on any number of threads):")
print()
print(w:entrapment {conflict = {{"ROK", "PRK"}}, date = AFTER, method = "montecarlo", runs = 1e5, seed = 1, chains = 3})
print()
print("If Beijing honoured its treaty whoever fired first (offensive = true), a DPRK attack:")
local off = w:entrapment {conflict = {{"PRK", "ROK"}}, date = AFTER, offensive = true}
for _, c in ipairs(WATCH) do print(string.format("  %s %s (%s side)", c, pct(off:p(c)), off.by[c].likely_side or "-")) end
print()
print("Obligations in force on " .. AFTER .. " that the cascade used:")
print(after:obligations())

print()
print(w:tension {dyad = {"PRK", "ROK"}, from = "2023-01-01", to = "2024-12-31", step = "month", half_life = 90})
print()
print(w:tension {dyad = {"PRK", "ROK"}, date = "2024-03-01", half_life = 90})
