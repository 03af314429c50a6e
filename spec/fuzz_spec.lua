-- spec/fuzz_spec.lua: mutated scenario, JSON and CSV files fed to the
-- parsers (ent.parse, ent.decode_json, csv.parse).  Seeded and bounded:
-- ENTENTE_FUZZ_ITERS (default 1500 per corpus file kind) and
-- ENTENTE_FUZZ_SEED choose the run; see spec/fixtures/ent/README.md.
--
-- For every input: no Lua error escapes the parser, no hang (an instruction
-- budget), and every rejection is a clear error: each message starts with
-- "file:line:col: " (or "file: $.path: " for JSON data) and, for .ent, shows
-- the line and a caret.  An accepted .ent input also round-trips: written
-- back and read again it gives the same world.
local ent = require "entente.ent"
local csv_ok, csv = pcall(require, "entente.csv")

local DIR = "spec/fixtures/ent/"
local ITERS = tonumber(os.getenv("ENTENTE_FUZZ_ITERS") or "") or 1500
local SEED = tonumber(os.getenv("ENTENTE_FUZZ_SEED") or "") or 20240619
local BUDGET = 5e7   -- Lua instructions per parse: far above any input here

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local t = f:read("*a")
  f:close()
  return t
end

local function listdir(dir, ext)
  local out = {}
  local p = io.popen('ls -1 "' .. dir .. '" 2>/dev/null')
  for name in p:lines() do
    if name:sub(-#ext) == ext then out[#out + 1] = dir .. name end
  end
  p:close()
  table.sort(out)
  return out
end

local function rng(seed)
  local s = seed
  return function(n)
    s = (s * 1103515245 + 12345) % 2147483648
    return s % n + 1
  end
end

local TOKENS = {"{", "}", "[", "]", "(", ")", '"', "\\", "--", "->", "..", "#", "\n", "\r", "\r\n", "\0", "\255",
  "\195", "\226\130", "inf", "-inf", "1e999", "-", ":", ",", ";", " ", "\t", "actor", "actors {", "include \"x.ent\"",
  "include \"../x\"", "since", "until", "to", "goldstein", "option X \"o\" {", "respond", "evaluate", "uniform(",
  "triangular(1,2", "2024-02-30", "9999-12-31", "0000-00-00", "0x10", "true", "false", "\"\\u{110000}\"", "\\x00",
  "{a {b {c {d {e", string.rep("[", 40), string.rep("{", 20), "os.execute(\"id\")", "return {}", "\239\187\191"}

local function mutate(r, s, corpus)
  local n = r(6)
  for _ = 1, n do
    local len = #s
    local op = r(9)
    local i = len > 0 and r(len) or 1
    if op == 1 and len > 0 then                       -- flip a byte
      s = s:sub(1, i - 1) .. string.char(r(256) - 1) .. s:sub(i + 1)
    elseif op == 2 then                               -- insert a byte
      s = s:sub(1, i - 1) .. string.char(r(256) - 1) .. s:sub(i)
    elseif op == 3 and len > 0 then                   -- delete a range
      s = s:sub(1, i - 1) .. s:sub(i + r(40))
    elseif op == 4 then                               -- insert a token
      s = s:sub(1, i - 1) .. TOKENS[r(#TOKENS)] .. s:sub(i)
    elseif op == 5 and len > 0 then                   -- duplicate a range
      local j = math.min(len, i + r(80))
      s = s:sub(1, j) .. s:sub(i, j) .. s:sub(j + 1)
    elseif op == 6 then                               -- splice from another corpus file
      local o = corpus[r(#corpus)]
      local a = r(#o + 1)
      s = s:sub(1, i - 1) .. o:sub(a, a + r(120)) .. s:sub(i)
    elseif op == 7 and len > 0 then                   -- truncate
      s = s:sub(1, i)
    elseif op == 8 then                               -- swap two lines
      local lines = {}
      for l in (s .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
      if #lines > 1 then
        local a, b = r(#lines), r(#lines)
        lines[a], lines[b] = lines[b], lines[a]
        s = table.concat(lines, "\n")
      end
    else                                              -- repeat a line many times
      local l = s:match("[^\n]*\n", i) or ""
      s = s:sub(1, i - 1) .. l:rep(r(50)) .. s:sub(i)
    end
  end
  return s
end

-- Run f(...) with an instruction budget; returns ok, results... or false, why.
local unpack = table.unpack or unpack
local function pack(...) return {n = select("#", ...), ...} end

local function bounded(f, ...)
  local co = coroutine.create(f)
  debug.sethook(co, function() error("fuzz: instruction budget exceeded (a hang?)", 0) end, "", BUDGET)
  local res = pack(coroutine.resume(co, ...))
  return unpack(res, 1, res.n)
end

local function show(s)
  if #s > 400 then s = s:sub(1, 400) .. "..." end
  return (s:gsub("[%z\1-\8\11-\31\127-\255]", function(c) return string.format("\\x%02x", c:byte()) end))
end

-- Keep a failing input, and fail with its seed and iteration.
local function fail(kind, i, input, why)
  local name = string.format("%scrashers/new-%d-%d.%s", DIR, SEED, i, kind)
  local f = io.open(name, "wb")
  if f then f:write(input); f:close() end
  error(string.format("fuzz %s (seed %d, iteration %d, kept as %s): %s\ninput: %s", kind, SEED, i, name, why,
    show(input)), 0)
end

-- Check one .ent input; returns nil or what is wrong.
local function check_ent(input, name)
  local ok, w, msg, errs = bounded(ent.parse, input, name, {dir = DIR})
  if not ok then return "raised: " .. tostring(w) end
  if w then
    local ok2, text = pcall(ent.format, w, msg)
    if not ok2 then return "accepted but cannot be written: " .. tostring(text) end
    local w2, msg2 = ent.parse(text, "again.ent")
    if not w2 then return "accepted but its written form is rejected:\n" .. tostring(msg2) .. "\n---\n" .. text end
    local d = ent.diff(w, w2)
    if d then return "round trip differs: " .. d end
    return nil
  end
  if type(msg) ~= "string" or type(errs) ~= "table" or #errs == 0 then return "rejected without a message" end
  for _, e in ipairs(errs) do
    local t = e.text or ""
    local esc = name:gsub("%p", "%%%0")
    if e.path then
      if not t:match("^" .. esc .. ": ") then return "error without its file: " .. t end
    elseif e.pos then
      if not t:match("^[^\n]+:%d+:%d+: [^\n]+\n  [^\n]*\n  [ \t]*%^~*$") then
        return "error without file:line:col, line and caret: " .. show(t)
      end
    elseif not t:match(": ") then
      return "error without a place: " .. t
    end
  end
  return nil
end

local function check_json(input, name)
  local ok, w, msg = bounded(ent.decode_json, input, name)
  if not ok then return "raised: " .. tostring(w) end
  if w then return nil end
  if type(msg) ~= "string" then return "rejected without a message" end
  local esc = name:gsub("%p", "%%%0")
  for line in msg:gmatch("[^\n]+") do
    if not (line:match("^" .. esc .. ":%d+:%d+: ") or line:match("^" .. esc .. ": %$") or line:match("^%(%d+ more error")) then
      return "error without a place: " .. line
    end
  end
  return nil
end

local function check_csv(input, name)
  local ok, header, rows = bounded(csv.parse, input, name)
  if not ok then return "raised: " .. tostring(header) end
  if header then
    if type(rows) ~= "table" then return "accepted without rows" end
    for _, row in ipairs(rows) do if #row > #header then return "row longer than the header" end end
    return nil
  end
  if type(rows) ~= "string" then return "rejected without a message" end
  local esc = name:gsub("%p", "%%%0")
  if not rows:match("^" .. esc .. ":%d+:%d+: %S") then return "error without file:line:col: " .. rows end
  return nil
end

local function corpus(ext, extra)
  local files = listdir(DIR, ext)
  for _, f in ipairs(extra or {}) do files[#files + 1] = f end
  local texts = {}
  for i, f in ipairs(files) do texts[i] = assert(readfile(f), f) end
  return texts, files
end

local function run(kind, check, texts)
  local r = rng(SEED + #kind)
  for i = 1, ITERS do
    local input = mutate(r, texts[r(#texts)], texts)
    local why = check(input, "fuzz." .. kind)
    if why then fail(kind, i, input, why) end
  end
end

describe("fuzzing", function()
  it("never breaks the .ent parser, and every rejection says where and what", function()
    local texts, files = corpus(".ent", {"examples/russia_dprk_pact.ent"})
    for i, t in ipairs(texts) do
      assert.is_nil(check_ent(t, files[i]), files[i])
    end
    run("ent", check_ent, texts)
  end)

  it("never breaks the JSON reader", function()
    local texts, files = corpus(".json")
    for i, t in ipairs(texts) do assert.is_nil(check_json(t, files[i]), files[i]) end
    run("json", check_json, texts)
  end)

  it("never breaks the CSV reader", function()
    if not csv_ok then return pending("entente.csv is not installed") end
    local texts, files = corpus(".csv", {"data/cow/cow_majors.csv", "data/signed/tribes.csv"})
    for i, t in ipairs(texts) do assert.is_nil(check_csv(t, files[i]), files[i]) end
    run("csv", check_csv, texts)
  end)

  it("replays every input kept in spec/fixtures/ent/crashers", function()
    local n = 0
    for _, kind in ipairs {"ent", "json", "csv"} do
      for _, f in ipairs(listdir(DIR .. "crashers/", "." .. kind)) do
        local check = kind == "ent" and check_ent or kind == "json" and check_json or check_csv
        if kind ~= "csv" or csv_ok then
          assert.is_nil(check(assert(readfile(f)), f), f)
          n = n + 1
        end
      end
    end
    assert.is_true(n >= 0)
  end)

  it("is seeded: the same seed gives the same inputs", function()
    local texts = corpus(".ent")
    local a, b = rng(5), rng(5)
    for _ = 1, 20 do assert.are.equal(mutate(a, texts[1], texts), mutate(b, texts[1], texts)) end
  end)
end)
