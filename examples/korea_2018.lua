-- examples/korea_2018.lua: the states of the flagship scenario (Russia-DPRK
-- pact, China's dilemma) in 2018, the last year of the ATOP data: CINC,
-- alliance ties among them, and the similarity of their alliance portfolios.
--
--   lua5.4 examples/korea_2018.lua
local entente = require "entente"

local YEAR = 2018
local STATES = {"USA", "CHN", "RUS", "JPN", "ROK", "PRK", "UKR"}
local w = assert(entente.cow.load {year = YEAR})
local fmt = string.format
local cinc = w:cinc()
table.sort(STATES, function(a, b) return cinc[a] > cinc[b] end)

print(fmt("%s: %d states in the COW system", w.title, #w:actors()))

print("\nCINC of the scenario's states (rank in the whole system)")
local rank = {}
for i, r in ipairs(w:cinc_ranking()) do rank[r.code] = i end
local rows = {}
for _, c in ipairs(STATES) do
  rows[#rows + 1] = {c, w:actor(c).name, fmt("%.4f", cinc[c]), tostring(rank[c])}
end
print(entente.report.table({"code", "state", "CINC", "rank"}, rows))

local LEVEL = {defence = 3, offence = 3, neutrality = 2, consultation = 2, nonaggression = 1}
print("\nATOP obligations among them in 2018 (tie level 3 defence/offence, 2 neutrality/consultation, 1 non-aggression)")
rows = {}
for i, a in ipairs(STATES) do
  for j = i + 1, #STATES do
    local b = STATES[j]
    local kinds, level = {}, 0
    for _, r in ipairs(w:dyad(a, b)) do
      if LEVEL[r.kind] then
        kinds[#kinds + 1] = r.kind .. (r.source:find("one%-sided") and (" (" .. r.a.code .. " only)") or "")
        if LEVEL[r.kind] > level then level = LEVEL[r.kind] end
      elseif r.kind == "rivalry" or r.kind == "war" then
        kinds[#kinds + 1] = r.kind
      end
    end
    if #kinds > 0 then rows[#rows + 1] = {a .. "-" .. b, tostring(level), table.concat(kinds, ", ")} end
  end
end
print(entente.report.table({"dyad", "level", "relations"}, rows))

local function show(title, m)
  print("\n" .. title)
  local header = {""}
  for _, c in ipairs(STATES) do header[#header + 1] = c end
  local out = {}
  for _, a in ipairs(STATES) do
    local row = {a}
    for _, b in ipairs(STATES) do row[#row + 1] = fmt("%6.3f", m[a][b]) end
    out[#out + 1] = row
  end
  print(entente.report.table(header, out))
end
show("Signorino-Ritter S (ordinal portfolios over all " .. #w:actors() .. " states)", w:similarity_matrix {actors = STATES})
show("S weighted by CINC", w:similarity_matrix {actors = STATES, method = "s_weighted"})
show("Cohen's kappa (Haege 2011)", w:similarity_matrix {actors = STATES, method = "kappa"})
show("Kendall's tau-b (Bueno de Mesquita 1975)", w:similarity_matrix {actors = STATES, method = "taub"})

local r = w:power_ratio("CHN", "USA")
print(fmt("\nChina : United States CINC ratio %.2f", r))
print(fmt("CHN+RUS+PRK %.3f vs USA+JPN+ROK %.3f", w:bloc_capability {"CHN", "RUS", "PRK"},
  w:bloc_capability {"USA", "JPN", "ROK"}))
