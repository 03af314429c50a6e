--- entente.csv: an RFC 4180 CSV reader written with LPeg.
--
-- Fields are separated by commas and records by LF or CRLF.  A field may be
-- quoted with double quotes; inside quotes a comma, CR, LF and a doubled
-- quote ("") stand for themselves.  An unquoted empty field is *missing*
-- and reads as nil; a quoted empty field ("") is the empty string.  A UTF-8
-- byte-order mark at the start is skipped.  Every record must have as many
-- fields as the header.
--
-- Malformed input (an unterminated quoted field, a quote inside an unquoted
-- field, text after a closing quote, a stray CR, a wrong number of fields)
-- is a data failure: the functions return nil and a message
-- "name:line:col: what is wrong", line and column (in bytes) 1-based.
--
--   local header, rows = csv.read("data/cow/nmc.csv")
--   rows[1][1]             --> "2"    (strings; nil where a field is empty)
--   csv.read(path, {records = true})  --> rows keyed by column name
--   csv.read(path, {each = function(row, where) ... end})
--       streams: each row is handed to `each` and not kept; `where(k)`
--       gives "name:line:col" of field k of that row (for the caller's own
--       error messages); `each` may return false, msg to stop the reading,
--       which then returns nil, msg.  read returns header, number of rows.
--   csv.parse(text, name, opts) is the same on a string.
local lpeg = require "lpeg"

local P, S, C, Cs, Ct, Cp = lpeg.P, lpeg.S, lpeg.C, lpeg.Cs, lpeg.Ct, lpeg.Cp

local csv = {}

-- The quoted empty field "" must survive as "" while an unquoted empty field
-- becomes nil; the grammar marks the first with this value.
local QEMPTY = {}

local quote = P '"'
local quoted = quote * Cs((P '""' / '"' + (1 - quote)) ^ 0) * quote
  / function(v) if v == "" then return QEMPTY end return v end
local unquoted = C((1 - S ',"\r\n') ^ 0)
local field = quoted + unquoted
local record = Ct(field * (',' * field) ^ 0) * Cp()
-- the same, giving each field's start position (used for messages only)
local positions = Ct(Cp() * (field / 0) * (',' * Cp() * (field / 0)) ^ 0)

local function count_nl(s, i, j)
  local n = 0
  local p = s:find("\n", i, true)
  while p and p < j do
    n = n + 1
    p = s:find("\n", p + 1, true)
  end
  return n
end

-- "name:line:col" of byte position pos, knowing that byte recstart is at
-- the start of line recline.
local function where_at(name, s, recstart, recline, pos)
  local line = recline + count_nl(s, recstart, pos)
  local ls = recstart
  local p = s:find("\n", recstart, true)
  while p and p < pos do
    ls = p + 1
    p = s:find("\n", p + 1, true)
  end
  return name .. ":" .. line .. ":" .. (pos - ls + 1)
end

-- Why the record starting at recstart stopped at byte stop.
local function diagnose(s, recstart, stop)
  local c = s:sub(stop, stop)
  local prev = stop > recstart and s:sub(stop - 1, stop - 1) or ""
  if c == '"' then
    if stop == recstart or prev == "," then
      return "unterminated quoted field"
    end
    return "double quote inside an unquoted field (quote the whole field and double the quote)"
  elseif c == "\r" then
    return "carriage return not followed by a line feed"
  end
  -- only a quoted field can stop before a character other than , CR LF "
  return string.format("unexpected %q after a closing quote (expected a comma or the end of the line)", c)
end

local function parse(s, name, opts)
  opts = opts or {}
  if type(s) ~= "string" then
    error("bad argument #1 to 'csv.parse' (string expected, got " .. type(s) .. ")", 3)
  end
  name = name or "csv"
  local each, records = opts.each, opts.records
  local want_header = opts.header ~= false
  local pos, line, len = 1, 1, #s
  if s:sub(1, 3) == "\239\187\191" then pos = 4 end
  local header, ncols
  local rows, nrows = {}, 0
  local recstart, recline -- of the current record, for where()
  local function where(k)
    local at = recstart
    if k then
      local ps = lpeg.match(positions, s, recstart)
      at = ps and ps[k] or recstart
    end
    return where_at(name, s, recstart, recline, at)
  end
  while pos <= len do
    recstart, recline = pos, line
    local t, stop = lpeg.match(record, s, pos)
    local c = s:sub(stop, stop)
    local nxt
    if stop > len then
      nxt = stop
    elseif c == "\n" then
      nxt = stop + 1
    elseif c == "\r" and s:sub(stop + 1, stop + 1) == "\n" then
      nxt = stop + 2
    else
      return nil, where_at(name, s, recstart, recline, stop) .. ": " .. diagnose(s, recstart, stop)
    end
    local nf = #t
    -- embedded line breaks inside quoted fields
    for i = 1, nf do
      local v = t[i]
      if v == QEMPTY then
        t[i] = ""
      elseif v == "" then
        t[i] = nil
      elseif v:find("\n", 1, true) then
        line = line + count_nl(v, 1, #v + 1)
      end
    end
    line = line + 1
    if not ncols then
      ncols = nf
      if want_header then
        header = t
        for i = 1, nf do
          if t[i] == nil then
            return nil, where_at(name, s, recstart, recline, recstart) ..
              ": empty column name in the header (column " .. i .. ")"
          end
        end
      end
    end
    if t ~= header then
      if nf ~= ncols then
        local at = stop
        if nf > ncols then
          local ps = lpeg.match(positions, s, recstart)
          at = ps[ncols + 1]
        end
        return nil, where_at(name, s, recstart, recline, at) .. ": expected " .. ncols ..
          " fields as in the " .. (want_header and "header" or "first record") .. ", found " .. nf
      end
      if records then
        local r = {}
        for i = 1, nf do r[header[i]] = t[i] end
        t = r
      end
      nrows = nrows + 1
      if each then
        local ok, msg = each(t, where)
        if ok == false then return nil, msg or (where() .. ": rejected") end
      else
        rows[nrows] = t
      end
    end
    pos = nxt
  end
  if want_header and not header then
    return nil, name .. ":1:1: empty file (no header)"
  end
  if each then return header, nrows end
  return header, rows
end

--- Parse CSV text.  name is used in messages (default "csv").
function csv.parse(text, name, opts)
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #3 to 'csv.parse' (table expected, got " .. type(opts) .. ")", 2)
  end
  return parse(text, name, opts)
end

--- Read and parse a CSV file.  Returns header, rows (or header, count when
-- streaming with opts.each); nil, message when the file cannot be read or
-- is malformed.
function csv.read(path, opts)
  if type(path) ~= "string" then
    error("bad argument #1 to 'csv.read' (string expected, got " .. type(path) .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #2 to 'csv.read' (table expected, got " .. type(opts) .. ")", 2)
  end
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("*a")
  f:close()
  if not s then return nil, path .. ": read failed" end
  return parse(s, (opts and opts.name) or path, opts)
end

return csv
