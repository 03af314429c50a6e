-- Run by examples/embed/host: prove the embedded module works.
local entente = require "entente"
local w = assert(entente.load "russia_dprk_2024")
print(w)
print(#w:obligations {date = "2024-12-05"} .. " defence obligations in force on 2024-12-05")
