-- The flagship scenario: the 2024 Russia-DPRK treaty seen from China.
-- Run with `make demo`, or: lua5.4 examples/russia_dprk_pact.lua
local entente = require "entente"

local w = assert(entente.load "russia_dprk_2024")
print(w)
print()
print(w:summary {date = "2024-12-05"})
print()
print(w:compare("2024-06-18", "2024-12-05"))
print()
print("China's ties, as of 2024-06-18 and 2024-12-05")
for _, d in ipairs {"2024-06-18", "2024-12-05"} do
  for _, r in ipairs(w:relations {actor = "CHN", date = d, obligation = "consultation"}) do
    print("  " .. d .. "  " .. tostring(r))
  end
end
print()
print("Who is bound to defend whom on 2024-12-05, and who is bound to CHN's ally PRK:")
for _, o in ipairs(w:obligations {date = "2024-12-05"}) do
  if o.to == "PRK" then print("  " .. o.from .. " -> PRK  (" .. o.relation.source .. ")") end
end
