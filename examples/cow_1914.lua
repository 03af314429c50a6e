-- examples/cow_1914.lua: the great powers on the eve of the First World War,
-- from the Correlates of War and ATOP data (as of 1914): capability (CINC),
-- the alliance blocs, and how alike their alliance portfolios were.
--
--   lua5.4 examples/cow_1914.lua
local entente = require "entente"

local YEAR = 1914
local w = assert(entente.cow.load {year = YEAR})
local fmt = string.format

local majors = {}
for _, a in ipairs(w:actors {tag = "major"}) do majors[#majors + 1] = a.code end
local cinc = w:cinc()
table.sort(majors, function(a, b) return cinc[a] > cinc[b] end)

print(fmt("%s: %d states in the COW system, %d great powers", w.title, #w:actors(), #majors))

-- 1. capability
print("\nCINC (share of the system's material capabilities), great powers")
local rows, sum = {}, 0
for i, c in ipairs(majors) do
  sum = sum + cinc[c]
  rows[i] = {tostring(i), c, w:actor(c).name, fmt("%.4f", cinc[c]), fmt("%.1f%%", 100 * sum)}
end
print(entente.report.table({"#", "code", "state", "CINC", "cumulative"}, rows))

-- 2. alliance blocs: groups of great powers joined by ATOP defence or
-- offence pacts in force in 1914 (all obligations are listed below)
local ismajor, parent = {}, {}
for _, c in ipairs(majors) do ismajor[c], parent[c] = true, c end
local function find(c) while parent[c] ~= c do c = parent[c] end return c end
local ties = {}
for _, r in ipairs(w:relations()) do
  local a, b = r.a.code, r.b.code
  if ismajor[a] and ismajor[b] and r.source:find("^ATOP") and r.kind ~= "nonaggression" then
    if r.kind == "defence" or r.kind == "offence" then parent[find(a)] = find(b) end
    local key = a < b and (a .. "-" .. b) or (b .. "-" .. a)
    ties[key] = ties[key] or {}
    table.insert(ties[key], r.kind .. (r.source:find("one%-sided") and (" (" .. a .. " only)") or ""))
  end
end
local blocs, order = {}, {}
for _, c in ipairs(majors) do
  local root = find(c)
  if not blocs[root] then blocs[root] = {}; order[#order + 1] = root end
  table.insert(blocs[root], c)
end
print("\nDefence-pact blocs among the great powers (ATOP, 1914)")
rows = {}
for _, root in ipairs(order) do
  local members = blocs[root]
  local cap = w:bloc_capability(members)
  rows[#rows + 1] = {table.concat(members, " "), fmt("%.4f", cap)}
end
print(entente.report.table({"bloc", "joint CINC"}, rows))
print("\nObligations between great powers")
local keys = {}
for k in pairs(ties) do keys[#keys + 1] = k end
table.sort(keys)
rows = {}
for _, k in ipairs(keys) do rows[#rows + 1] = {k, table.concat(ties[k], ", ")} end
print(entente.report.table({"dyad", "ATOP obligations"}, rows))

-- 3. similarity of alliance portfolios (over all states of the system)
local function show(title, m)
  print("\n" .. title)
  local header = {""}
  for _, c in ipairs(majors) do header[#header + 1] = c end
  local out = {}
  for _, a in ipairs(majors) do
    local row = {a}
    for _, b in ipairs(majors) do row[#row + 1] = fmt("%6.3f", m[a][b]) end
    out[#out + 1] = row
  end
  print(entente.report.table(header, out))
end
show("Signorino-Ritter S (ordinal ATOP portfolios, absolute distance)", w:similarity_matrix {actors = majors})
show("S weighted by CINC", w:similarity_matrix {actors = majors, method = "s_weighted"})
show("Cohen's kappa (Haege 2011)", w:similarity_matrix {actors = majors, method = "kappa"})

local r, share = w:power_ratio("GMY", "FRN")
print(fmt("\nGermany : France power ratio %.2f (Germany's share of the pair %.0f%%)", r, 100 * share))
local ta = w:bloc_capability {"GMY", "AUH", "ITA"}
local te = w:bloc_capability {"UKG", "FRN", "RUS"}
print(fmt("Triple Alliance CINC %.3f vs Triple Entente %.3f (ratio %.2f)", ta, te, te / ta))
