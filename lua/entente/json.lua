--- entente.json: a small, strict JSON encoder and decoder in pure Lua.
--
-- Runs on Lua 5.1-5.4 and LuaJIT.  Used by `entente convert` and by the
-- `--format json` reports; lua-cjson is not required.
--
--   json.encode(value, {indent = "  ", order = {"title", "date"}}) -> text
--   json.decode(text, name) -> value | nil, "name:line:col: what is wrong"
--
-- Encoding: a table is an array when its keys are exactly 1..n (n >= 1) or
-- when it is empty; json.object() makes an empty table that encodes as {}.
-- Object keys are written in sorted order, except that the names listed in
-- opts.order come first, in that order; so the output is deterministic.
-- Numbers are written with the fewest digits that read back to the same
-- double; NaN and infinities, functions, userdata and non-string keys are
-- refused with an error naming the path of the bad value ($.relations[3]).
--
-- Decoding follows RFC 8259: no comments, no trailing commas, no leading
-- zeros, \u escapes (surrogate pairs joined) written as UTF-8; a lone
-- surrogate is an error.  null decodes to json.null (a unique sentinel), so
-- that arrays keep their length.  Nesting is limited (default 200 levels)
-- so that hostile input gives an error, not a C stack overflow.
local json = {}

local OBJECT_MT = {__jsontype = "object"}
local ARRAY_MT = {__jsontype = "array"}

json.null = setmetatable({}, {__tostring = function() return "null" end, __jsontype = "null"})

function json.object(t) return setmetatable(t or {}, OBJECT_MT) end
function json.is_object(t) return getmetatable(t) == OBJECT_MT end
function json.array(t) return setmetatable(t or {}, ARRAY_MT) end

------------------------------------------------------------------ encode

local ESC = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n',
  ['\r'] = '\\r', ['\t'] = '\\t'}

local function escape_char(c)
  return ESC[c] or string.format("\\u%04x", c:byte())
end

-- Shortest decimal text that reads back as x (integers without a point).
local function numstr(x)
  if x == math.floor(x) and x > -1e15 and x < 1e15 then return string.format("%d", x) end
  for _, fmt in ipairs {"%.15g", "%.16g", "%.17g"} do
    local s = fmt:format(x)
    if tonumber(s) == x then return s end
  end
  return string.format("%.17g", x)
end
json.numstr = numstr

-- Valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF)?
local function valid_utf8(s)
  if not s:find("[\128-\255]") then return true end
  local i, n = 1, #s
  while i <= n do
    local c = s:byte(i)
    if c < 0x80 then
      i = i + 1
    else
      local len, min
      if c >= 0xC2 and c <= 0xDF then len, min = 2, 0x80
      elseif c >= 0xE0 and c <= 0xEF then len, min = 3, 0x800
      elseif c >= 0xF0 and c <= 0xF4 then len, min = 4, 0x10000
      else return false, i end
      if i + len - 1 > n then return false, i end
      local cp = c % (2 ^ (7 - len))
      for k = 1, len - 1 do
        local cc = s:byte(i + k)
        if cc < 0x80 or cc > 0xBF then return false, i end
        cp = cp * 64 + (cc - 0x80)
      end
      if cp < min or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then return false, i end
      i = i + len
    end
  end
  return true
end
json.valid_utf8 = valid_utf8

local function kind_of(t)
  local mt = getmetatable(t)
  local jt = mt and mt.__jsontype
  if jt then return jt end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  if n == 0 then return "array" end
  for i = 1, n do if t[i] == nil then return "object" end end
  return "array"
end

function json.encode(value, opts)
  opts = opts or {}
  local indent = opts.indent
  local rank = {}
  for i, k in ipairs(opts.order or {}) do rank[k] = i end
  local out, seen = {}, {}
  local function fail(path, msg) error("json.encode: " .. path .. ": " .. msg, 0) end
  local function enc(v, path, depth)
    local t = type(v)
    if v == json.null or v == nil then out[#out + 1] = "null"
    elseif t == "boolean" then out[#out + 1] = v and "true" or "false"
    elseif t == "number" then
      if v ~= v or v == math.huge or v == -math.huge then fail(path, "number " .. tostring(v) .. " has no JSON form") end
      out[#out + 1] = numstr(v)
    elseif t == "string" then
      local ok = valid_utf8(v)
      if not ok then fail(path, "string is not valid UTF-8") end
      out[#out + 1] = '"' .. v:gsub('[%c"\\]', escape_char) .. '"'
    elseif t == "table" then
      if seen[v] then fail(path, "table contains itself") end
      if depth > 200 then fail(path, "nesting deeper than 200 levels") end
      seen[v] = true
      local nl = indent and ("\n" .. indent:rep(depth + 1)) or ""
      local close = indent and ("\n" .. indent:rep(depth)) or ""
      if kind_of(v) == "array" then
        if #v == 0 then out[#out + 1] = "[]" else
          out[#out + 1] = "["
          for i = 1, #v do
            if i > 1 then out[#out + 1] = "," end
            out[#out + 1] = nl
            enc(v[i], path .. "[" .. i .. "]", depth + 1)
          end
          out[#out + 1] = close .. "]"
        end
      else
        local keys = {}
        for k in pairs(v) do
          if type(k) ~= "string" then fail(path, "key " .. tostring(k) .. " is not a string") end
          keys[#keys + 1] = k
        end
        table.sort(keys, function(a, b)
          local ra, rb = rank[a], rank[b]
          if ra and rb then return ra < rb end
          if ra or rb then return ra ~= nil end
          return a < b
        end)
        if #keys == 0 then out[#out + 1] = "{}" else
          out[#out + 1] = "{"
          for i, k in ipairs(keys) do
            if i > 1 then out[#out + 1] = "," end
            out[#out + 1] = nl
            enc(k, path, depth + 1)
            out[#out + 1] = indent and ": " or ":"
            enc(v[k], path .. (k:match("^[%a_][%w_]*$") and ("." .. k) or ("[" .. string.format("%q", k) .. "]")),
              depth + 1)
          end
          out[#out + 1] = close .. "}"
        end
      end
      seen[v] = nil
    else
      fail(path, "cannot encode a " .. t)
    end
  end
  enc(value, "$", 0)
  return table.concat(out)
end

------------------------------------------------------------------ decode

local function utf8char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
    0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end
json.utf8char = utf8char

local SIMPLE_ESC = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}

function json.decode(text, name, opts)
  if type(text) ~= "string" then
    error("bad argument #1 to 'decode' (string expected, got " .. type(text) .. ")", 2)
  end
  name = name or "json"
  local maxdepth = opts and opts.max_depth or 200
  local pos = 1
  local Fail = {}
  local function where(p)
    local line, ls = 1, 1
    local i = text:find("\n", 1, true)
    while i and i < p do
      line, ls = line + 1, i + 1
      i = text:find("\n", i + 1, true)
    end
    return name .. ":" .. line .. ":" .. (p - ls + 1)
  end
  local function found(p)
    if p > #text then return "the end of the text" end
    local tok = text:match("^[%w_.+-]+", p) or text:sub(p, p)
    if #tok > 20 then tok = tok:sub(1, 20) .. "..." end
    return "'" .. tok:gsub("%c", "?") .. "'"
  end
  local function fail(p, msg) error({Fail, where(p) .. ": " .. msg}, 0) end
  local function skip()
    pos = text:find("[^ \t\r\n]", pos) or #text + 1
  end
  local value
  local function str()
    local start = pos
    pos = pos + 1
    local parts = {}
    while true do
      local a, b = text:find('^[^"\\%z\1-\31]+', pos)
      if a then parts[#parts + 1] = text:sub(a, b); pos = b + 1 end
      local c = text:sub(pos, pos)
      if c == '"' then pos = pos + 1; break
      elseif c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        if SIMPLE_ESC[e] then parts[#parts + 1] = SIMPLE_ESC[e]; pos = pos + 2
        elseif e == "u" then
          local hex = text:match("^%x%x%x%x", pos + 2)
          if not hex then fail(pos, "bad \\u escape: expected four hex digits") end
          local cp = tonumber(hex, 16)
          pos = pos + 6
          if cp >= 0xD800 and cp <= 0xDBFF then
            local lo = text:match("^\\u(%x%x%x%x)", pos)
            lo = lo and tonumber(lo, 16)
            if not lo or lo < 0xDC00 or lo > 0xDFFF then fail(pos - 6, "lone surrogate \\u" .. hex) end
            cp = 0x10000 + (cp - 0xD800) * 1024 + (lo - 0xDC00)
            pos = pos + 6
          elseif cp >= 0xDC00 and cp <= 0xDFFF then
            fail(pos - 6, "lone surrogate \\u" .. hex)
          end
          parts[#parts + 1] = utf8char(cp)
        else
          fail(pos, "bad escape '\\" .. e:gsub("%c", "?") .. "': expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        end
      elseif c == "" then fail(start, "unterminated string")
      else fail(pos, "control character in a string: expected it escaped") end
    end
    local s = table.concat(parts)
    local ok, at = valid_utf8(s)
    if not ok then fail(start, "string is not valid UTF-8 (byte " .. at .. " of the string)") end
    return s
  end
  local function num()
    local p = pos
    if text:sub(p, p) == "-" then p = p + 1 end
    local int = text:match("^0", p) or text:match("^[1-9]%d*", p)
    if not int then fail(pos, "bad number " .. found(pos) .. ": expected a digit after '-'") end
    p = p + #int
    if text:match("^%d", p) then fail(pos, "bad number " .. found(pos) .. ": leading zeros are not allowed") end
    local frac = text:match("^%.%d+", p)
    if frac then p = p + #frac
    elseif text:sub(p, p) == "." then fail(pos, "bad number " .. found(pos) .. ": expected digits after '.'") end
    local ex = text:match("^[eE][-+]?%d+", p)
    if ex then p = p + #ex
    elseif text:match("^[eE]", p) then fail(pos, "bad number " .. found(pos) .. ": expected digits in the exponent") end
    local v = tonumber(text:sub(pos, p - 1))
    if v == math.huge or v == -math.huge then fail(pos, "number " .. found(pos) .. " out of range") end
    pos = p
    return v
  end
  function value(depth)
    skip()
    local c = text:sub(pos, pos)
    if c == "{" then
      if depth >= maxdepth then fail(pos, "nesting deeper than " .. maxdepth .. " levels") end
      pos = pos + 1
      local t = json.object()
      skip()
      if text:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        skip()
        if text:sub(pos, pos) ~= '"' then fail(pos, "expected a string key, found " .. found(pos)) end
        local kpos = pos
        local k = str()
        if t[k] ~= nil then fail(kpos, "duplicate key \"" .. k .. "\"") end
        skip()
        if text:sub(pos, pos) ~= ":" then fail(pos, "expected ':' after the key, found " .. found(pos)) end
        pos = pos + 1
        t[k] = value(depth + 1)
        skip()
        c = text:sub(pos, pos)
        if c == "}" then pos = pos + 1; return t end
        if c ~= "," then fail(pos, "expected ',' or '}', found " .. found(pos)) end
        pos = pos + 1
      end
    elseif c == "[" then
      if depth >= maxdepth then fail(pos, "nesting deeper than " .. maxdepth .. " levels") end
      pos = pos + 1
      local t, n = json.array(), 0
      skip()
      if text:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        n = n + 1
        t[n] = value(depth + 1)
        skip()
        c = text:sub(pos, pos)
        if c == "]" then pos = pos + 1; return t end
        if c ~= "," then fail(pos, "expected ',' or ']', found " .. found(pos)) end
        pos = pos + 1
      end
    elseif c == '"' then return str()
    elseif c == "-" or c:match("%d") then return num()
    elseif text:sub(pos, pos + 3) == "true" then pos = pos + 4; return true
    elseif text:sub(pos, pos + 4) == "false" then pos = pos + 5; return false
    elseif text:sub(pos, pos + 3) == "null" then pos = pos + 4; return json.null
    end
    fail(pos, "expected a value (object, array, string, number, true, false, null), found " .. found(pos))
  end
  local ok, res = pcall(function()
    if text:sub(1, 3) == "\239\187\191" then pos = 4 end
    local v = value(0)
    skip()
    if pos <= #text then fail(pos, "expected the end of the text, found " .. found(pos)) end
    return v
  end)
  if ok then return res end
  if type(res) == "table" and res[1] == Fail then return nil, res[2] end
  error(res, 0)
end

return json
