--- entente.ent: the .ent scenario format (LPeg grammar, parser and writer).
--
--   local ent = require "entente.ent"
--   local w, spec = ent.read("examples/russia_dprk_pact.ent")
--   if not w then io.stderr:write(spec, "\n") end     -- every error, with carets
--   ent.write(w, "copy.ent", spec)                    -- atomic: temp file + rename
--   local w2, spec2 = ent.parse(text, "name.ent")
--   local text = ent.format(w, spec)                  -- the .ent text
--   local data = ent.to_data(w, spec)                 -- plain tables (the JSON shape)
--   local w3, spec3 = ent.from_data(data, "x.json")
--   local s = ent.scenario(w, spec)                   -- options-engine scenario
--   local r = s:evaluate(ent.materialize(spec.evaluate[1]))
--
-- The grammar is documented in docs/scenario-format.md.  Parsing never runs
-- code: the text is matched by an LPeg grammar and the world is built with
-- the public API (entente.world, w:define_kind, w:actor, w:relate, w:event).
-- A file may include other files only by a relative path without `..`, so
-- it cannot reach outside its own directory; and every parse is bounded by
-- the limits in ent.LIMITS (file size, items, nesting, includes).
--
-- Errors are data failures: read/parse return nil, message, list where the
-- message holds every error as "file:line:col: what is wrong", the line of
-- text and a caret under the column (columns count characters).
local lpeg = require "lpeg"
local entente = require "entente"
local json = require "entente.json"
local util = require "entente.util"

local core = entente.core
local World = entente.World
local unpack = table.unpack or unpack
local P, R, S, V, C, Cc, Cp, Ct, Cg, Cmt, Cs, Carg =
  lpeg.P, lpeg.R, lpeg.S, lpeg.V, lpeg.C, lpeg.Cc, lpeg.Cp, lpeg.Ct, lpeg.Cg, lpeg.Cmt, lpeg.Cs, lpeg.Carg

local ent = {}

--- Limits of one parse (a table passed as opts.limits overrides any of them).
ent.LIMITS = {
  max_bytes = 64 * 1024 * 1024,  -- size of one file
  max_items = 2000000,           -- statements, table rows, list and map elements, all files
  max_depth = 16,                -- nesting of lists, maps and distributions (at most 16)
  max_include_depth = 8,         -- include inside include inside ...
  max_includes = 256,            -- files included in all
  max_errors = 50,               -- errors shown (the rest are counted)
}

local KEYWORDS = {"title", "date", "description", "sources", "kind", "actor", "actors", "include",
  "option", "respond", "evaluate", "conflict", "compare"}

-- Side table: positions of the elements of the lists and maps the parser
-- builds (list -> {pos...}, map -> {key = pos}); weak so it never leaks.
local POS = setmetatable({}, {__mode = "k"})
local MISSING = setmetatable({}, {__tostring = function() return "-" end})
-- Side table: "file:line" of each option and response of a spec (weak).
local WHERE = setmetatable({}, {__mode = "k"})

------------------------------------------------------------------ grammar

local nl = P "\r\n" + P "\n"
local cont = P "\\" * S " \t" ^ 0 * nl              -- backslash-newline continues a line
local hsp = S " \t" + cont
local comment = P "#" * (1 - S "\r\n") ^ 0
local _ = hsp ^ 0 * comment ^ -1                     -- horizontal space, then maybe a comment
local __ = (S " \t" + nl + cont + comment) ^ 0       -- any space (inside brackets)
local digit = R "09"
local alnum = R("az", "AZ", "09") + P "_" + R "\128\255"
local bare = alnum ^ 1 * (S "-+." * alnum ^ 1) ^ 0 * P "+" ^ 0
local wordend = -(alnum + S "-+")
local function kw(w) return P(w) * wordend end

local date_full = digit * digit * digit * digit * "-" * digit * digit * "-" * digit * digit
local date_tok = C(date_full + digit * digit * digit * digit) * wordend
local date_full_tok = C(date_full) * wordend

local numend = -(alnum + S "-+" + (P "." * -P "."))
local numtext = S "+-" ^ -1 * (digit ^ 1 * ("." * -P "." * digit ^ 0) ^ -1 + "." * digit ^ 1)
  * (S "eE" * S "+-" ^ -1 * digit ^ 1) ^ -1
local num = (C(numtext) / tonumber + C(S "+-" ^ -1) * "inf" / function(s)
  return s == "-" and -math.huge or math.huge
end) * numend

local hex = R("09", "af", "AF")
local ESC = {['\\"'] = '"', ['\\\\'] = '\\', ['\\n'] = '\n', ['\\t'] = '\t', ['\\r'] = '\r'}
local esc = (P "\\" * S '"\\ntr') / ESC
  + Cmt(P "\\x" * C(hex * hex), function(_, i, h)
    local b = tonumber(h, 16)
    if b == 0 then return false end
    return i, string.char(b)
  end)
  + Cmt(P "\\u{" * C(hex ^ 1) * "}", function(_, i, h)
    local cp = #h <= 6 and tonumber(h, 16) or 0
    if cp == 0 or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then return false end
    return i, json.utf8char(cp)
  end)
local strchar = 1 - S '"\\' - R "\0\8" - R "\10\31" - P "\127"
local quote_ = P '"' / ""

local utf8ok = (R "\0\127" + R "\194\223" * R "\128\191"
  + P "\224" * R "\160\191" * R "\128\191" + (R "\225\236" + R "\238\239") * R "\128\191" * R "\128\191"
  + P "\237" * R "\128\159" * R "\128\191"
  + P "\240" * R "\144\191" * R "\128\191" * R "\128\191"
  + R "\241\243" * R "\128\191" * R "\128\191" * R "\128\191"
  + P "\244" * R "\128\143" * R "\128\191" * R "\128\191") ^ 0 * Cp()

local function mklist(t)
  local list, pos = {}, {}
  for i = 1, #t, 2 do list[#list + 1] = t[i + 1]; pos[#pos + 1] = t[i] end
  POS[list] = pos
  return list
end

local ORDER = setmetatable({}, {__mode = "k"})   -- map -> its keys in file order (marks maps)

-- A distribution written name(args): uniform(lo, hi), triangular(lo, mode,
-- hi), normal(mean, sd[, lo, hi]), beta(a, b[, lo, hi]), fixed(v).  Kept as
-- data ({name, args...} with this metatable); ent.materialize turns it
-- into the options engine's distribution object.
local Tagged = {}
Tagged.__index = Tagged
ent.Tagged = Tagged
local DISTS = {uniform = {2}, triangular = {3}, normal = {2, 4}, beta = {2, 4}, fixed = {1}}
ent.DISTRIBUTIONS = DISTS

local function mktagged(pos, name, t)
  local v = setmetatable({name}, Tagged)
  for i = 2, #t, 2 do v[#v + 1] = t[i] end
  POS[v] = {pos}
  return v
end

local function mkmap(t)
  local map, pos, order = {}, {}, {}
  for i = 1, #t, 3 do
    local k = t[i + 1]
    if map[k] ~= nil then pos[1] = pos[1] or {t[i], k} end   -- first duplicate key
    map[k] = t[i + 2]
    pos[k] = t[i]
    order[#order + 1] = k
  end
  POS[map], ORDER[map] = pos, order
  return map
end

-- lo..hi: between numbers a uniform distribution (one parameter, however
-- many times the options engine uses it); between dates a pair.
local function mkvalue(pos, a, b)
  if b == nil then return a end
  local r
  if type(a) == "number" and type(b) == "number" then r = setmetatable({"uniform", a, b}, Tagged)
  else r = {a, b} end
  POS[r] = {pos}
  return r
end

-- The support [lo, hi] of a distribution written name(args) with valid
-- arguments (nil for anything else): normal without bounds is unbounded,
-- beta without bounds is [0, 1].
local function dist_support(v)
  if getmetatable(v) ~= Tagged then return nil end
  local arity = DISTS[v[1]]
  if not arity then return nil end
  local n = #v - 1
  if n ~= arity[1] and n ~= arity[2] then return nil end
  for i = 2, #v do if type(v[i]) ~= "number" or v[i] ~= v[i] then return nil end end
  local name = v[1]
  if name == "uniform" then
    if v[2] > v[3] then return nil end
    return v[2], v[3]
  elseif name == "triangular" then
    if not (v[2] <= v[3] and v[3] <= v[4]) then return nil end
    return v[2], v[4]
  elseif name == "fixed" then return v[2], v[2]
  elseif n == 4 then return v[4], v[5]
  elseif name == "normal" then return -math.huge, math.huge
  end
  return 0, 1
end

-- name(args) or lo..hi, for messages
local function dist_text(v)
  if getmetatable(v) ~= Tagged then return tostring(v) end
  local parts = {}
  for i = 2, #v do parts[i - 1] = type(v[i]) == "number" and util.fmt(v[i]) or tostring(v[i]) end
  if v[1] == "uniform" and #v == 3 then return parts[1] .. ".." .. parts[2] end
  return tostring(v[1]) .. "(" .. table.concat(parts, ", ") .. ")"
end

-- cinc(YEAR): the capability of every actor from the COW National Material
-- Capabilities data of that year (entente.cow.cinc), a value of the
-- evaluation setting `capability`.
local function is_cinc(v)
  return getmetatable(v) == Tagged and v[1] == "cinc" and #v == 2 and type(v[2]) == "number"
    and v[2] == math.floor(v[2]) and v[2] >= 1 and v[2] <= 9999
end

-- Build the statement grammar.  When `track` is true every terminal first
-- records "expected <label> at <position>" in the state passed as the extra
-- argument of lpeg.match; the farthest position with its labels makes the
-- error message.  The fast grammar (track false) is the same without it.
local function build(track, maxdepth, withpos)
  local T
  if track then
    T = function(p, label)
      return Cmt(Carg(1), function(_, i, st)
        if i > st.far then st.far, st.labels = i, {label}
        elseif i == st.far then st.labels[#st.labels + 1] = label end
        return true
      end) * p
    end
  else
    T = function(p) return p end
  end
  -- strings; in the texts of statements (title, source, ...) adjacent strings
  -- are joined ("abc" "def" is "abcdef"), one substitution capture for all
  local strend = T(quote_, "'\"' to end the string")
  if track then
    strend = (#P "\\" * T(P(false), "!bad escape: expected \\\" \\\\ \\n \\t \\r \\xHH (not 00) or " ..
      "\\u{HEX} (a code point)")) ^ -1 * strend
  end
  local str = Cs(quote_ * (esc + strchar) ^ 0 * strend)
  local strs = Cs(quote_ * (esc + strchar) ^ 0 * strend * ((_ * P '"') / "" * (esc + strchar) ^ 0 * strend) ^ 0)
  -- counts list elements, map entries, rows and changes against max_items
  local count = Cmt(Carg(1), function(_, i, st)
    st.items = st.items + 1
    if st.items > st.max_items then st.limit_pos = st.limit_pos or i; return false end
    return true
  end)

  local sep = _ * ("," + nl) * __
  local rangeable = date_full_tok + num
  local scalar = kw "true" * Cc(true) + kw "false" * Cc(false) + str + C(bare)
  local g = {}
  for d = 1, maxdepth do
    local vd, deeper
    if d < maxdepth then
      local nv = V("v" .. (d + 1))
      local el = count * Cp() * nv
      local entry = count * Cp() * T(C(bare) + str, "a key") * _ * nv
      deeper = ("[" * __ * Ct((el * (sep * el) ^ 0 * sep ^ -1) ^ -1) * __ * T("]", "']'")) / mklist
        + ("{" * __ * Ct((entry * (sep * entry) ^ 0 * sep ^ -1) ^ -1) * __ * T("}", "'}'")) / mkmap
        + (Cp() * C(bare) * "(" * __ * Ct((el * (sep * el) ^ 0 * sep ^ -1) ^ -1) * __ * T(")", "')'")) / mktagged
    else
      deeper = (#S "[{" + #(bare * "(")) *
        T(P(false), "!lists, maps and distributions nested deeper than " .. (maxdepth - 1) .. " levels")
    end
    vd = T((Cp() * rangeable * (_ * ".." * _ * T(rangeable, "the end of the range")) ^ -1) / mkvalue
      + deeper + scalar, "a value")
    g["v" .. d] = vd
  end
  g.m = "{" * __ * Ct(((count * Cp() * T(C(bare) + str, "a key") * _ * V "v2") *
    (sep * count * Cp() * T(C(bare) + str, "a key") * _ * V "v2") ^ 0 * sep ^ -1) ^ -1) * __ * T("}", "'}'") / mkmap
  -- rules of the one grammar below (not copies of a closed grammar: that
  -- would make the pattern, and its compilation, many times larger)
  local value, map = V "v1", V "m"

  local code = T(C(bare) + str, "an actor code")
  local arrow = T(C(P "--" + "->"), "'--' or '->'")
  -- a field and, in the grammars that keep them, its position (the fast
  -- grammar does not: positions are found again when an error needs them)
  local function atp(name, p) return Cg(Cp(), name .. "pos") * Cg(p, name) end
  local at = withpos and atp or function(name, p) return Cg(p, name) end
  local function relbody_with(at)
    local period = T(kw "since", "'since'") * _ * at("since", T(date_tok, "a date")) *
        (_ * T(kw "until", "'until'") * _ * at("ends", T(date_tok, "a date"))) ^ -1
      + T(kw "until", "'until'") * _ * at("ends", T(date_tok, "a date"))
      + at("since", T(date_tok, "a date")) * _ * T(kw "to", "'to'") * _ * at("ends", T(date_tok, "a date"))
    return at("a", code) * _ * Cg(arrow, "arrow") * _ * at("b", code) * _ * T(":", "':'") * _ *
      at("kind", T(C(bare), "a relation kind")) *
      (_ * at("strength", T(num, "a strength"))) ^ -1 *
      (_ * period) ^ -1 *
      (_ * at("source", T(strs, "a source string"))) ^ -1
  end
  local relbody = relbody_with(at)

  local function stmt(name, body)
    return Ct(Cg(Cc(name), "t") * Cg(Cp(), "pos") * kw(name) * _ * body)
  end
  local cameo = C(digit * digit * digit ^ -2) * wordend
  local relation, event
  if withpos then
    relation = Ct(Cg(Cc "relation", "t") * Cg(Cp(), "pos") * relbody)
    event = Ct(Cg(Cc "event", "t") * Cg(Cp(), "pos") * at("date", date_tok) *
      (".." * at("ends", T(date_tok, "a date"))) ^ -1 * _ * at("from", code) *
      (_ * T("->", "'->'") * _ * at("to", code)) ^ -1 *
      (_ * at("cameo", T(cameo, "a CAMEO code"))) ^ -1 *
      (_ * T(kw "goldstein", "'goldstein'") * _ * at("goldstein", T(num, "a number"))) ^ -1 *
      (_ * at("text", T(strs, "the event's text (a string)"))) ^ -1)
  else
    -- the two statements of bulk data, as function captures (faster than a
    -- table capture of named groups); the same grammar as above
    local period = kw "since" * _ * date_tok * (_ * kw "until" * _ * date_tok + Cc(nil))
      + Cc(nil) * kw "until" * _ * date_tok + date_tok * _ * kw "to" * _ * date_tok
    relation = (Carg(1) * Cp() * code * _ * arrow * _ * code * _ * ":" * _ * C(bare) * (_ * num + Cc(nil)) *
      (_ * period + Cc(nil) * Cc(nil)) * (_ * strs + Cc(nil))) /
      function(st, pos, a, arrow_, b, kind, strength, since, ends, source)
        return {t = "relation", file = st.file, pos = pos, a = a, arrow = arrow_, b = b, kind = kind,
          strength = strength, since = since, ends = ends, source = source}
      end
    event = (Carg(1) * Cp() * date_tok * (".." * date_tok + Cc(nil)) * _ * code * (_ * "->" * _ * code + Cc(nil)) *
      (_ * cameo + Cc(nil)) * (_ * kw "goldstein" * _ * num + Cc(nil)) * (_ * strs + Cc(nil))) /
      function(st, pos, d, ends, from, to, cameo_, goldstein, text)
        return {t = "event", file = st.file, pos = pos, date = d, ends = ends, from = from, to = to,
          cameo = cameo_, goldstein = goldstein, text = text}
      end
  end

  local cell = count * Ct(Cp() * (P "-" * #(hsp + nl + "#" + -P(1)) * Cc(MISSING) + value))
  local row = S " \t" ^ 0 * -P "}" * Ct(Cg(Cp(), "pos") * cell * (hsp ^ 1 * cell) ^ 0) * _ *
    T(nl, "the end of the row")
  local blank = _ * nl
  -- a change: VERB A -- B [: KIND [STRENGTH]] [by|factor|to VALUE]... [{named}]
  -- or VERB VALUE... [{named}]
  local named = Ct((_ * count * Cp() * C(kw "by" + kw "factor" + kw "to") * _ * value) ^ 0)
  -- a change's strength: a number, a range lo..hi or a distribution name(args)
  local cstrength = (Cp() * num * (_ * ".." * _ * T(num, "the end of the range")) ^ -1) / mkvalue
    + #(bare * "(") * value
  local crel = Cg(Cp(), "pos") * atp("a", code) * _ * Cg(arrow, "arrow") * _ * atp("b", code) *
    (_ * T(":", "':'") * _ * atp("kind", T(C(bare), "a relation kind")) *
      (_ * atp("strength", T(cstrength, "a strength"))) ^ -1) ^ -1 *
    Cg(named, "named") * (_ * atp("extra", T(map, "by, factor, to or a map {...}"))) ^ -1
  local change = Ct(Cg(Cp(), "pos") * atp("verb", T(C(bare) + str, "a change (a verb such as add or weaken)")) *
    (_ * Cg(Ct(crel), "rel") + Cg(Ct((_ * Cp() * value) ^ 0), "args")))
  -- { change (NL | ;) ... }: the changes of an option or a conditional response
  local changes = T("{", "'{'") * Cg(Ct((__ * count * change * _ * (P ";" + nl + #P "}")) ^ 0), "changes") * __ *
    T("}", "'}' or a change")
  -- the condition of a conditional response: A -- B [: KIND] rises|falls
  local cond = Cg(Cp(), "pos") * atp("a", code) * _ * Cg(arrow, "arrow") * _ * atp("b", code) *
    (_ * T(":", "':'") * _ * atp("kind", T(C(bare), "a relation kind"))) ^ -1 * _ *
    atp("dir", T(C(kw "rises" + kw "falls"), "'rises' or 'falls'"))

  local statement = relation + event
    + stmt("title", at("value", T(strs, "a string")))
    + stmt("date", at("value", T(date_tok, "a date (YYYY-MM-DD)")))
    + stmt("description", at("value", T(strs, "a string")))
    + stmt("sources", at("value", T(strs + V "l", "a string or a list of strings")))
    + stmt("kind", at("name", T(C(bare), "a kind name")) * _ * at("spec", T(map, "'{'")))
    + stmt("actors", T("{", "'{'") * _ * T(nl, "the end of the line after '{'") *
      Cg(Ct((blank + count * row) ^ 0), "rows") * S " \t" ^ 0 * T("}", "'}' or a row"))
    + stmt("actor", at("code", code) * (_ * at("name", T(str + C(bare), "the actor's name"))) ^ -1 *
      (_ * at("attrs", T(map, "'{'"))) ^ -1)
    + stmt("include", at("path", T(str, "a file name (a string)")))
    + stmt("option", at("actor", code) * _ * at("name", T(str, "the option's name (a string)")) * _ * changes)
    + stmt("respond", at("rule", T(C(bare) + str, "a response rule")) *
      (_ * (T(kw "when", "'when'") * _ * Cg(Ct(cond), "when") * _ * changes + at("params", T(map, "'{'")))) ^ -1)
    + stmt("evaluate", at("actor", code) * (_ * at("settings", T(map, "'{'"))) ^ -1)
    + stmt("conflict", at("a", code) * _ * T("->", "'->'") * _ * at("b", code) *
      (_ * at("params", T(map, "'{'"))) ^ -1)
    + stmt("compare", at("d1", T(date_tok, "a date")) * _ * at("d2", T(date_tok, "a date")))
  local gr = {"stmt", stmt = statement * _ * T(nl + -P(1), "the end of the line")}
  for k, v in pairs(g) do gr[k] = v end
  gr.l = g.v2 and ("[" * __ * Ct(((count * Cp() * V "v2") * (sep * count * Cp() * V "v2") ^ 0 * sep ^ -1) ^ -1)
    * __ * T("]", "']'") / mklist) or P(false)
  local full = P(gr)

  local skipline = (1 - nl) ^ 0 * (nl + -P(1))
  local skip = skipline * (S " \t})]" * skipline + nl) ^ 0
  local step = blank ^ 0 * (-P(1) * Cc "eof" + full * Cp() + (hsp + comment) ^ 1 * -P(1) * Cc "eof"
    + Cc(false) * Cp() * skip * Cp())
  -- up to st.quota statements in one match (fewer calls into LPeg, and the
  -- capture memory of one match stays bounded)
  local quota = Cmt(Carg(1), function(_, _, st) st.quota = st.quota - 1; return st.quota >= 0 end)
  local batch = Ct((blank ^ 0 * quota * full) ^ 0) * Cp()
  return step, blank ^ 0 * full, batch
end

-- The grammars of a nesting depth, each built when first needed: the fast
-- one for every parse, the others only when an error needs positions.
local GRAMMARS = {}
local function grammar(depth)
  local g = GRAMMARS[depth]
  if not g then
    g = setmetatable({}, {__index = function(t, k)
      if k == "step" or k == "batch" then
        local step, _, batch = build(false, depth, false)
        t.step, t.batch = step, batch
      elseif k == "withpos" then
        local _, withpos = build(false, depth, true)
        t.withpos = withpos
      elseif k == "tracked" then
        local _, tracked = build(true, depth, true)
        t.tracked = tracked
      end
      return rawget(t, k)
    end})
    GRAMMARS[depth] = g
  end
  return g
end

------------------------------------------------------------------ errors

-- Line and column (in characters) of byte pos in a file record.
local function linecol(f, pos)
  if not f.lines then
    local starts = {1}
    for p in f.text:gmatch("\n()") do starts[#starts + 1] = p end
    f.lines = starts
  end
  local starts = f.lines
  local lo, hi = 1, #starts
  while lo < hi do
    local mid = math.floor((lo + hi + 1) / 2)
    if starts[mid] <= pos then lo = mid else hi = mid - 1 end
  end
  local ls = starts[lo]
  local prefix = f.text:sub(ls, pos - 1)
  return lo, #prefix:gsub("[\128-\191]", "") + 1, ls
end

local function printable(s)
  return (s:gsub("[%z\1-\8\11-\31\127]", "?"))
end

-- The text shown for what stands at pos ("found ...").
local function found_at(text, pos)
  if pos > #text then return "the end of the file" end
  local c = text:sub(pos, pos)
  if c == "\n" or c == "\r" then return "the end of the line" end
  local tok = text:match('^"[^"\n]*"?', pos) or text:match("^[%w_+%-.\128-\255]+", pos) or c
  if #tok > 30 then tok = tok:sub(1, 27) .. "..." end
  if not json.valid_utf8(tok) then tok = tok:gsub("[\128-\255]", "?") end
  return "'" .. printable(tok) .. "'"
end

-- A message on one line, whatever the values it quotes: control
-- characters escaped, bytes that are not UTF-8 shown as \xHH.
local function oneline(msg)
  msg = msg:gsub("[%z\1-\31\127]", function(c)
    return ({["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r"})[c] or string.format("\\x%02x", c:byte())
  end)
  if not json.valid_utf8(msg) then msg = msg:gsub("[\128-\255]", function(c) return string.format("\\x%02x", c:byte()) end) end
  return msg
end

-- "name:line:col: msg" plus the line of text and a caret under the column.
local function render(e)
  e.msg = oneline(e.msg)
  if e.path or not e.file.text then
    return string.format("%s: %s%s", e.file.name, e.path and (e.path .. ": ") or "", e.msg)
  end
  local f = e.file
  local line, col, ls = linecol(f, e.pos)
  local le = f.text:find("[\r\n]", ls) or #f.text + 1
  local src = f.text:sub(ls, le - 1)
  local cut = e.pos - ls     -- bytes before the caret
  local head, tail = src:sub(1, cut), src:sub(cut + 1)
  if #head > 60 then head = "..." .. head:sub(-57) end
  if #tail > 60 then tail = tail:sub(1, 57) .. "..." end
  if not json.valid_utf8(head .. tail) then
    head, tail = head:gsub("[\128-\255]", "?"), tail:gsub("[\128-\255]", "?")
  end
  head, tail = printable(head), printable(tail)
  local pad = head:gsub("[\128-\191]", ""):gsub("[^\t]", " ")
  local len = e.len and math.max(1, math.min(e.len, #tail)) or 1
  local under = "^" .. string.rep("~", len - 1)
  return string.format("%s:%d:%d: %s\n  %s%s\n  %s%s", f.name, line, col, e.msg, head, tail, pad, under)
end

local function join_expected(labels)
  local seen, list = {}, {}
  for _, l in ipairs(labels) do
    if not seen[l] then seen[l] = true; list[#list + 1] = l end
  end
  if #list == 1 then return list[1] end
  return table.concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
end

-------------------------------------------------------------------- parse

local function new_state(opts)
  local limits = {}
  for k, v in pairs(ent.LIMITS) do limits[k] = v end
  if opts and opts.limits then
    for k, v in pairs(opts.limits) do
      if ent.LIMITS[k] == nil then
        util.argerror("parse", 3, "unknown limit '" .. tostring(k) .. "'" .. util.suggest(tostring(k), util.sorted_keys(ent.LIMITS)), 3)
      end
      if type(v) ~= "number" or v < 1 or v ~= math.floor(v) then
        util.argerror("parse", 3, "limit " .. k .. " must be a positive integer, got " .. tostring(v), 3)
      end
      limits[k] = v
    end
  end
  limits.max_depth = math.min(limits.max_depth, 16)
  return {limits = limits, errors = {}, nerrors = 0, stmts = {}, items = 0, max_items = limits.max_items,
    files = {}, includes = 0, syntax = 0, stop = false, failed = {}}
end

local function add_error(st, e)
  st.nerrors = st.nerrors + 1
  if type(e.pos) == "string" then e.path, e.pos = e.pos, nil end   -- a place in JSON data
  e.seq = st.nerrors
  if #st.errors < st.limits.max_errors then st.errors[#st.errors + 1] = e end
end

-- Report a problem with statement s at its field `field` (a position name).
local function serr(st, s, field, msg, len, cascade)
  if s[field .. "pos"] == nil and not s.withpos and type(s.pos) == "number" and s.file.text then
    -- the fast grammar keeps no field positions: match the statement again
    s.withpos = true
    local again = lpeg.match(grammar(st.limits.max_depth).withpos, s.file.text, s.pos,
      {items = 0, max_items = math.huge})
    if type(again) == "table" then
      for k, v in pairs(again) do
        if type(k) == "string" and k:sub(-3) == "pos" then s[k] = v end
      end
    end
  end
  local pos = s[field .. "pos"] or s.pos
  if type(pos) == "string" then
    add_error(st, {file = s.file, path = pos, msg = msg, cascade = cascade})
  else
    add_error(st, {file = s.file, pos = pos, msg = msg, len = len, cascade = cascade})
  end
end

local function syntax_error(st, f, pos)
  if st.nerrors >= st.limits.max_errors then st.nerrors = st.nerrors + 1; return end
  local text = f.text
  local tr = {far = 0, labels = {}, items = 0, max_items = math.huge}
  lpeg.match(grammar(st.limits.max_depth).tracked, text, pos, tr)
  local at = tr.far > 0 and tr.far or pos
  local msg
  for _, l in ipairs(tr.labels) do
    if l:sub(1, 1) == "!" then msg = l:sub(2) end
  end
  if not msg then
    local first = text:match("^[%a_][%w_]*", pos)
    local labels = tr.labels
    if first and util.set(KEYWORDS)[first] and #labels > 1 then
      -- a keyword line: the relation that was tried first is no news
      local keep = {}
      for _, l in ipairs(labels) do if l ~= "'--' or '->'" then keep[#keep + 1] = l end end
      labels = keep
    end
    if at <= pos or (first and first == first:lower() and #labels == 1 and labels[1] == "'--' or '->'"
        and not text:match("^[%w_+%-.]+%s*[%-]", pos)) then
      local guess = first and util.closest(first, KEYWORDS)
      msg = (first and ("unknown statement '" .. first .. "'" .. (guess and (" (did you mean '" .. guess .. "'?)") or "")
        .. ": expected ") or "expected ") ..
        "a statement (a relation 'A -- B : kind', an event 'DATE A -> B CAMEO \"text\"', or one of " ..
        table.concat(KEYWORDS, ", ") .. ")" .. (first and "" or (", found " .. found_at(text, pos)))
      at = pos
    else
      msg = "expected " .. join_expected(labels) .. ", found " .. found_at(text, at)
    end
  end
  add_error(st, {file = f, pos = at, msg = "syntax error: " .. msg})
end

local parse_file

-- A relative include path inside the scenario's directory, or nil, why.
local function check_include(path)
  if path == "" then return nil, "empty file name" end
  if path:find("%z") then return nil, "NUL byte in the file name" end
  if path:sub(1, 1) == "/" or path:sub(1, 1) == "\\" or path:match("^%a:") or path:sub(1, 1) == "~" then
    return nil, "absolute path '" .. path .. "': expected a path relative to the scenario's directory"
  end
  if path:find("\\", 1, true) then return nil, "backslash in '" .. path .. "': use / between directories" end
  for part in (path .. "/"):gmatch("([^/]*)/") do
    if part == ".." then
      return nil, "'..' in '" .. path .. "': an include cannot leave the scenario's directory"
    end
    if part == "" then return nil, "empty directory name in '" .. path .. "'" end
  end
  return true
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local function read_text(path, maxbytes)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local probe, perr = f:read(0)        -- fails on a directory ("Is a directory")
  if probe == nil and perr then f:close(); return nil, path .. ": " .. tostring(perr) end
  local size = f:seek("end")
  if size and size > maxbytes then
    f:close()
    return nil, "file is " .. size .. " bytes, more than the limit of " .. maxbytes .. " (limits.max_bytes)"
  end
  f:seek("set", 0)
  local text = f:read("*a")
  f:close()
  if not text then return nil, "cannot read " .. path end
  if #text > maxbytes then
    return nil, "file is " .. #text .. " bytes, more than the limit of " .. maxbytes .. " (limits.max_bytes)"
  end
  return text
end

local function handle_include(st, s, f)
  local path = s.path
  local ok, why = check_include(path)
  if not ok then return serr(st, s, "path", "bad include: " .. why, #path + 2) end
  if not f.dir then
    return serr(st, s, "path", "include \"" .. path .. "\": not available here: parse text with opts.dir " ..
      "(or read a file) to allow includes", #path + 2)
  end
  if f.depth >= st.limits.max_include_depth then
    return serr(st, s, "path", "includes nested deeper than " .. st.limits.max_include_depth ..
      " levels (limits.max_include_depth)", #path + 2)
  end
  st.includes = st.includes + 1
  if st.includes > st.limits.max_includes then
    return serr(st, s, "path", "more than " .. st.limits.max_includes .. " included files (limits.max_includes)",
      #path + 2)
  end
  local parts = {}
  for part in path:gmatch("[^/]+") do if part ~= "." then parts[#parts + 1] = part end end
  if #parts == 0 then return serr(st, s, "path", "bad include: '" .. path .. "' names a directory", #path + 2) end
  local full = (f.dir == "." and "" or (f.dir .. "/")) .. table.concat(parts, "/")
  local cur = f
  while cur do
    if cur.path == full then
      return serr(st, s, "path", "include cycle: '" .. path .. "' is already being read", #path + 2)
    end
    cur = cur.parent
  end
  local text, err = read_text(full, st.limits.max_bytes)
  if not text then return serr(st, s, "path", "cannot include \"" .. path .. "\": " .. tostring(err), #path + 2) end
  parse_file(st, text, full, dirname(full), f.depth + 1, f)
end

function parse_file(st, text, name, dir, depth, parent)
  local f = {text = text, name = name, dir = dir, depth = depth, parent = parent, path = parent and name or nil}
  if parent == nil and dir and name then f.path = name end
  st.files[#st.files + 1] = f
  f.index = #st.files
  if #text > st.limits.max_bytes then
    add_error(st, {file = {name = name}, msg = "file is " .. #text .. " bytes, more than the limit of " ..
      st.limits.max_bytes .. " (limits.max_bytes)"})
    return
  end
  local pos = 1
  if text:sub(1, 3) == "\239\187\191" then pos = 4 end
  if text:find("[\128-\255]") then
    local bad = lpeg.match(utf8ok, text, pos)
    if bad <= #text then
      add_error(st, {file = f, pos = bad, msg = string.format("invalid UTF-8 (byte 0x%02X): the file must be UTF-8",
        text:byte(bad))})
    end
  end
  local gram = grammar(st.limits.max_depth)
  local step, batch, stmts = gram.step, gram.batch, st.stmts
  local limits = st.limits
  local function too_many(p)
    add_error(st, {file = f, pos = p, msg = "more than " .. limits.max_items ..
      " items (statements, rows, list and map elements) (limits.max_items)"})
    st.stop = true
  end
  local function take(a)
    if a.file ~= f then a.file = f end
    st.items = st.items + 1
    if st.items > limits.max_items then return too_many(a.pos) end
    if a.t == "include" then handle_include(st, a, f)
    else stmts[#stmts + 1] = a end
  end
  while true do
    -- the statements that parse, many at a time
    st.quota = 512
    st.file = f
    local list, after = lpeg.match(batch, text, pos, st)
    if st.limit_pos then return too_many(st.limit_pos) end
    for i = 1, #list do
      take(list[i])
      if st.stop then return end
    end
    pos = after
    -- then one step: the end of the file, or a statement that does not parse
    local a, b, c
    st.file = f   -- (an include in the batch read another file meanwhile)
    if st.quota < 0 then a = nil else a, b, c = lpeg.match(step, text, pos, st) end
    if a == "eof" then break end
    if st.limit_pos then return too_many(st.limit_pos) end
    if a == nil then -- quota used up: next batch
    elseif a then
      take(a)
      if st.stop then return end
      pos = b
    else
      st.syntax = st.syntax + 1
      syntax_error(st, f, b)
      if #st.failed < 1e6 then st.failed[#st.failed + 1] = text:sub(b, math.min(c - 1, b + 65535)) end
      pos = c
    end
  end
end

------------------------------------------------------------------ build

local CODE_PAT = "^[%w_+%-]+$"

local function clean(err)
  err = tostring(err):gsub("^[^\n]-:%d+: ", "")
  local inner = err:match("^bad argument #%d+ to '[^']*' %((.*)%)$")
  return inner or err
end

local function is_list(t)
  if type(t) ~= "table" then return false end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t
end

-- A deep copy of a parsed value: plain tables for the APIs (distributions
-- keep their Tagged metatable).
local function strip(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = strip(x) end
  if getmetatable(v) == Tagged then setmetatable(t, Tagged) end
  if ORDER[v] then ORDER[t] = ORDER[v] end
  return t
end

-- A map (as opposed to a list or a distribution)?
local function is_map(v)
  if type(v) ~= "table" or getmetatable(v) == Tagged then return false end
  return ORDER[v] ~= nil or json.is_object(v) or not is_list(v)
end

local KIND_KEYS = util.set {"sign", "obligation", "strength", "directed", "defensive"}
-- the settings of the options engine's s:evaluate (docs/options.md)
local EVAL_KEYS = util.set {"criteria", "weights", "params", "triggers", "capability", "proliferation", "kinds",
  "runs", "seed", "threads", "dilemma", "keep", "kmax", "date"}

-- Build the world and the scenario spec from the collected statements.
local function build_world(st)
  local stmts = st.stmts
  local by = {}
  for _, s in ipairs(stmts) do
    local list = by[s.t]
    if not list then list = {}; by[s.t] = list end
    list[#list + 1] = s
  end
  local function each(t) return ipairs(by[t] or {}) end
  local function E(s, field, msg, len, cascade) serr(st, s, field, msg, len, cascade) end
  local function mpos(map, key, s, field)
    local p = POS[map] and POS[map][key]
    if p and type(s[field .. "pos"]) == "number" then return p end
    if type(s[field .. "pos"]) == "string" then
      return s[field .. "pos"] .. (type(key) == "number" and ("[" .. key .. "]") or ("." .. tostring(key)))
    end
    return p or s.pos
  end
  -- a problem with the entry key of a map (a byte offset, or a JSON path)
  local function Em(s, field, map, key, msg, len)
    add_error(st, {file = s.file, pos = mpos(map, key, s, field), msg = msg, len = len})
  end
  local function dupcheck(s, field, map)
    local d = POS[map] and POS[map][1]
    if d then
      add_error(st, {file = s.file, pos = d[1], msg = "duplicate key '" .. tostring(d[2]) .. "'", len = #tostring(d[2])})
    end
  end
  local datecache = {}
  local function day(s, field)
    local v = s[field]
    if v == nil then return nil end
    local d = datecache[v]
    if d == nil then
      d = type(v) == "string" and core.date_parse(v) or false
      datecache[v] = d
    end
    if not d then
      E(s, field, "bad date '" .. tostring(v) .. "': expected a real day as YYYY-MM-DD (or a year YYYY)", #tostring(v))
      return false
    end
    return d
  end

  -- header
  local header = {}
  for _, t in ipairs {"title", "date", "description", "sources"} do
    for i, s in each(t) do
      if i == 1 then header[t] = s
      else
        local first = header[t]
        local where = type(first.pos) == "number" and (" (first at " .. first.file.name .. ":" ..
          linecol(first.file, first.pos) .. ")") or ""
        E(s, "pos", t .. " given twice" .. where, #t)
      end
    end
  end
  local wdate = header.date and day(header.date, "value") or nil
  local w = entente.world {title = header.title and header.title.value}
  if wdate then w.date = core.date_format(wdate) end
  if header.description then w.description = header.description.value end
  if header.sources then
    local v = header.sources.value
    if type(v) == "table" then
      for i, x in ipairs(v) do
        if type(x) ~= "string" then Em(header.sources, "value", v, i, "sources: expected strings, found " .. tostring(x)) end
      end
      v = strip(v)
    end
    w.sources = v
  end

  -- kinds
  for _, s in each "kind" do
    local spec = s.spec
    dupcheck(s, "spec", spec)
    local ok = true
    for k, v in pairs(spec) do
      if not KIND_KEYS[k] then
        Em(s, "spec", spec, k, "unknown kind property '" .. tostring(k) .. "'" ..
          util.suggest(tostring(k), util.sorted_keys(KIND_KEYS)) .. ": expected sign, obligation, strength, directed or defensive",
          #tostring(k))
        ok = false
      elseif (k == "directed" or k == "defensive") and type(v) ~= "boolean" then
        Em(s, "spec", spec, k, k .. " must be true or false, found " .. tostring(v)); ok = false
      elseif k == "sign" and v ~= 1 and v ~= -1 and v ~= 0 then
        Em(s, "spec", spec, k, "sign " .. tostring(v) .. ": expected +1, -1 or 0"); ok = false
      elseif k == "strength" and (type(v) ~= "number" or not (v > 0 and v <= 1)) then
        Em(s, "spec", spec, k, "strength " .. tostring(v) .. " out of range: expected a number in (0, 1]"); ok = false
      elseif k == "obligation" and not (type(v) == "string" and util.set(entente.OBLIGATIONS)[v]) then
        Em(s, "spec", spec, k, "unknown obligation '" .. tostring(v) .. "'" .. util.suggest(tostring(v), entente.OBLIGATIONS) ..
          ": expected none, consultation, neutrality or defence"); ok = false
      end
    end
    if ok then
      local good, err = pcall(w.define_kind, w, s.name, spec)
      if not good then E(s, "name", clean(err), #s.name) end
    end
  end

  -- actors (single statements and table rows, in file order)
  local codes = {}
  local function code_ok(s, field, code)
    if type(code) ~= "string" or not code:match(CODE_PAT) or #code > 15 then
      E(s, field, "bad actor code '" .. tostring(code) .. "': expected 1 to 15 of the characters A-Z a-z 0-9 _ + -",
        #tostring(code))
      return false
    end
    return true
  end
  -- attributes are set one by one in the order written, so that the world's
  -- attribute columns come in that order (and a written file reads back the same)
  local function add_actor(s, field, code, attrs, order)
    if not code_ok(s, field, code) then return end
    local good, err = pcall(w.actor, w, code, {name = attrs.name, tags = attrs.tags})
    if not order then
      order = {}
      for k in pairs(attrs) do if k ~= "name" and k ~= "tags" then order[#order + 1] = k end end
      table.sort(order, function(a, b) return tostring(a) < tostring(b) end)
    end
    for _, k in ipairs(order) do
      if not good then break end
      if k ~= "name" and k ~= "tags" and attrs[k] ~= nil then good, err = pcall(w.actor, w, code, {[k] = attrs[k]}) end
    end
    if good then codes[code] = true
    else E(s, field, clean(err), #code) end
  end
  local actor_stmts = {}
  for _, t in ipairs {"actor", "actors"} do
    for _, s in each(t) do actor_stmts[#actor_stmts + 1] = s end
  end
  table.sort(actor_stmts, function(x, y)
    if x.file.index ~= y.file.index then return x.file.index < y.file.index end
    if type(x.pos) == "number" and type(y.pos) == "number" then return x.pos < y.pos end
    return (x.seq or 0) < (y.seq or 0)
  end)
  for _, s in ipairs(actor_stmts) do
    if s.t == "actor" then
      local attrs = {}
      local bad = false
      if s.attrs then
        dupcheck(s, "attrs", s.attrs)
        for k, v in pairs(s.attrs) do
          if k == "tags" then
            if not is_list(v) then Em(s, "attrs", s.attrs, k, "tags must be a list [a, b, ...]"); bad = true
            else
              for i, tg in ipairs(v) do
                if type(tg) ~= "string" or #tg == 0 or #tg > 63 then
                  Em(s, "attrs", s.attrs, k, "bad tag " .. tostring(tg) .. " (item " .. i .. "): expected a string of 1 to 63 bytes")
                  bad = true
                end
              end
            end
          elseif k == "name" then
            if type(v) ~= "string" then Em(s, "attrs", s.attrs, k, "name must be a string"); bad = true end
          elseif type(k) ~= "string" or #k > 63 or (type(v) ~= "number" and type(v) ~= "boolean") then
            Em(s, "attrs", s.attrs, k, "attribute '" .. tostring(k) .. "' must be a number (or true/false), found " ..
              (type(v) == "table" and "a list or map" or tostring(v)), #tostring(k))
            bad = true
          end
          attrs[k] = strip(v)
        end
      end
      if s.name ~= nil then attrs.name = s.name end
      if not bad then add_actor(s, "code", s.code, attrs, s.attrs and ORDER[s.attrs]) end
    else
      local rows = s.rows
      local head = rows[1]
      if not head then E(s, "pos", "an actors table needs a header row: code name ... tags", 6)
      else
        local cols, colpos, okh = {}, {}, true
        for i, c in ipairs(head) do
          local v = c[2]
          if type(v) ~= "string" then
            add_error(st, {file = s.file, pos = c[1], msg = "column " .. i .. " of the header: expected a column name, found " ..
              tostring(v)})
            okh = false
          else
            for j = 1, i - 1 do
              if cols[j] == v then
                add_error(st, {file = s.file, pos = c[1], msg = "column '" .. v .. "' appears twice in the header", len = #v})
                okh = false
              end
            end
          end
          cols[i], colpos[i] = v, c[1]
        end
        if okh and cols[1] ~= "code" then
          add_error(st, {file = s.file, pos = colpos[1], msg = "the first column of an actors table must be 'code', found '" ..
            tostring(cols[1]) .. "'", len = #tostring(cols[1])})
          okh = false
        end
        if okh then
          for r = 2, #rows do
            local row = rows[r]
            local function at(i) return type(row[i]) == "table" and row[i][1] or row.pos end
            if #row ~= #cols then
              add_error(st, {file = s.file, pos = row.pos, msg = "row has " .. #row .. " cells but the header has " ..
                #cols .. " columns (write - for a missing value)"})
            else
              local attrs, good, code = {}, true, nil
              for i, col in ipairs(cols) do
                local v = row[i][2]
                if col == "code" then code = v
                elseif v == MISSING then -- left unset
                elseif col == "name" then
                  if type(v) ~= "string" then
                    add_error(st, {file = s.file, pos = at(i), msg = "name: expected a string, found " .. tostring(v)}); good = false
                  else attrs.name = v end
                elseif col == "tags" then
                  if not is_list(v) then
                    add_error(st, {file = s.file, pos = at(i), msg = "tags: expected a list [a, b, ...] or -"}); good = false
                  else
                    for j, tg in ipairs(v) do
                      if type(tg) ~= "string" or #tg == 0 or #tg > 63 then
                        add_error(st, {file = s.file, pos = POS[v] and POS[v][j] or at(i),
                          msg = "bad tag " .. tostring(tg) .. ": expected a string of 1 to 63 bytes"}); good = false
                      end
                    end
                    attrs.tags = strip(v)
                  end
                elseif type(v) ~= "number" and type(v) ~= "boolean" then
                  add_error(st, {file = s.file, pos = at(i), msg = "attribute '" .. col .. "': expected a number or -, found " ..
                    (type(v) == "table" and "a list or map" or tostring(v)), len = type(v) == "string" and #v or nil})
                  good = false
                elseif #col > 63 then
                  add_error(st, {file = s.file, pos = colpos[i], msg = "attribute name '" .. col .. "' longer than 63 bytes"})
                  good = false
                else attrs[col] = v end
              end
              if code == MISSING or type(code) ~= "string" then
                add_error(st, {file = s.file, pos = at(1), msg = "code: expected an actor code, found " .. tostring(code)})
              elseif good then
                local rs = {file = s.file, pos = at(1), codepos = at(1)}
                add_actor(rs, "code", code, attrs, cols)
              end
            end
          end
        end
      end
    end
  end
  local function actor_ok(s, field)
    local c = s[field]
    if codes[c] then return true end
    local list = {}
    for k in pairs(codes) do list[#list + 1] = k end
    table.sort(list)
    E(s, field, "unknown actor '" .. tostring(c) .. "'" .. util.suggest(tostring(c), list) ..
      ": expected an actor declared with actor or actors", #tostring(c), tostring(c))
    return false
  end

  -- relations
  local kinds = {}
  local function kind_of(s, field)
    local name = s[field]
    local k = kinds[name]
    if k == nil then
      local good, info = pcall(w.kind, w, name)
      k = good and info or false
      kinds[name] = k
      if not good then
        E(s, field, clean(info) .. ": expected a built-in kind or one declared with kind", #tostring(name), tostring(name))
        return false
      end
    end
    if not k then E(s, field, "unknown kind '" .. tostring(name) .. "'", #tostring(name), tostring(name)) end
    return k
  end
  local function relation_opts(s)
    local ok = true
    local k = kind_of(s, "kind")
    if s.a == s.b and codes[s.a] then
      E(s, "b", "relation of actor '" .. s.a .. "' with itself: expected two different actors", #s.b); ok = false
    end
    if not actor_ok(s, "a") then ok = false end
    if not actor_ok(s, "b") then ok = false end
    if s.arrow and k and k.directed and s.arrow ~= "->" then
      E(s, "a", "kind '" .. k.name .. "' is directed: write " .. tostring(s.a) .. " -> " .. tostring(s.b), #tostring(s.a)); ok = false
    elseif s.arrow and k and not k.directed and s.arrow ~= "--" then
      E(s, "a", "kind '" .. k.name .. "' is symmetric: write " .. tostring(s.a) .. " -- " .. tostring(s.b), #tostring(s.a)); ok = false
    end
    local sv = s.strength
    if sv ~= nil and not (sv > 0 and sv <= 1) then
      E(s, "strength", "strength " .. util.fmt(sv) .. " out of range: expected a number in (0, 1]"); ok = false
    end
    local d1, d2 = day(s, "since"), day(s, "ends")
    if d1 == false or d2 == false then ok = false
    elseif d1 and d2 and d1 >= d2 then
      E(s, "ends", "the relation ends (" .. s.ends .. ") before it starts (" .. s.since .. "): expected an end after " ..
        s.since, #s.ends); ok = false
    end
    if not ok or not k then return nil end
    return {strength = sv, since = s.since, ends = s.ends, source = s.source}
  end
  local relate = w.relate
  for _, s in each "relation" do
    -- the common case checked inline; relation_opts explains any problem
    local k, a, b, sv, d1, d2 = kinds[s.kind], s.a, s.b, s.strength, s.since, s.ends
    local o
    if k and codes[a] and codes[b] and a ~= b and (s.arrow == "->") == k.directed
        and (sv == nil or (sv > 0 and sv <= 1)) then
      d1, d2 = d1 == nil or datecache[d1], d2 == nil or datecache[d2]
      if d1 and d2 and (d1 == true or d2 == true or d1 < d2) then
        o = {strength = sv, since = s.since, ends = s.ends, source = s.source}
      end
    end
    if not o then o = relation_opts(s) end
    if o then
      local good, err = pcall(relate, w, a, b, s.kind, o)
      if not good then E(s, "a", clean(err)) end
    end
  end

  -- events
  for _, s in each "event" do
    local ok = true
    local d1, d2 = day(s, "date"), day(s, "ends")
    if d1 == false or d2 == false then ok = false
    elseif d1 and d2 and d2 < d1 then
      E(s, "ends", "the event ends (" .. s.ends .. ") before it starts (" .. s.date .. ")", #s.ends); ok = false
    end
    if not actor_ok(s, "from") then ok = false end
    if s.to ~= nil and not actor_ok(s, "to") then ok = false end
    if s.cameo == nil and s.goldstein == nil then
      E(s, "pos", "an event needs a CAMEO code or a goldstein weight after its actors", #s.date); ok = false
    end
    if s.cameo ~= nil and s.goldstein == nil and not core.cameo(s.cameo) then
      E(s, "cameo", "unknown CAMEO code '" .. s.cameo .. "': expected a code of the CAMEO table (or give goldstein W)",
        #s.cameo); ok = false
    end
    if s.goldstein ~= nil and not (s.goldstein >= -10 and s.goldstein <= 10) then
      E(s, "goldstein", "Goldstein weight " .. util.fmt(s.goldstein) .. " out of range: expected a number in [-10, 10]"); ok = false
    end
    if ok then
      local good, err = pcall(w.event, w, {date = s.date, ends = s.ends, from = s.from, to = s.to, cameo = s.cameo,
        goldstein = s.goldstein, text = s.text})
      if not good then E(s, "pos", clean(err)) end
    end
  end

  -- distributions written name(args) anywhere in a value
  local function checkvals(s, field, v, depth)
    if type(v) ~= "table" then return true end
    depth = depth or 0
    if depth > 32 then return true end
    local ok = true
    if getmetatable(v) == Tagged then
      local p = POS[v] and POS[v][1]
      local function fail(msg)
        if type(p) == "number" then
          local named = s.file.text and s.file.text:sub(p, p + #tostring(v[1]) - 1) == v[1]
          add_error(st, {file = s.file, pos = p, msg = msg, len = named and #tostring(v[1]) or nil})
        else E(s, field, msg) end
        ok = false
      end
      local arity = DISTS[v[1]]
      if v[1] == "cinc" then
        fail("cinc(YEAR) is a value of the evaluation setting capability only (evaluate A {capability cinc(2022)})")
      elseif not arity then
        fail("unknown distribution '" .. tostring(v[1]) .. "'" .. util.suggest(tostring(v[1]), util.sorted_keys(DISTS)) ..
          ": expected uniform(lo, hi), triangular(lo, mode, hi), normal(mean, sd), beta(a, b) or fixed(v)")
      else
        local n = #v - 1
        if n ~= arity[1] and n ~= arity[2] then
          fail(v[1] .. " takes " .. arity[1] .. (arity[2] and (" or " .. arity[2]) or "") .. " numbers, got " .. n)
        end
        local nums = true
        for i = 2, #v do
          if type(v[i]) ~= "number" then
            fail(v[1] .. ": argument " .. (i - 1) .. " must be a number, got " .. tostring(v[i])); nums = false
          end
        end
        if nums and v[1] == "uniform" and n == 2 and v[2] > v[3] then
          fail("range " .. util.fmt(v[2]) .. ".." .. util.fmt(v[3]) .. " runs backwards: expected low..high")
        elseif nums and v[1] == "triangular" and n == 3 and not (v[2] <= v[3] and v[3] <= v[4]) then
          fail("triangular(" .. util.fmt(v[2]) .. ", " .. util.fmt(v[3]) .. ", " .. util.fmt(v[4]) ..
            "): expected lo <= mode <= hi")
        end
      end
      return ok
    end
    for _, x in pairs(v) do ok = checkvals(s, field, x, depth + 1) and ok end
    return ok
  end

  -- scenario spec: options, responses, evaluations, conflicts, comparisons
  local spec = {options = {}, responses = {}, evaluate = {}, conflicts = {}, compare = {}}
  local function change_rel(r)
    local ok = actor_ok(r, "a")
    ok = actor_ok(r, "b") and ok
    if r.a == r.b and codes[r.a] then
      E(r, "b", "a change of actor '" .. r.a .. "' with itself: expected two different actors", #r.b); ok = false
    end
    if r.kind ~= nil then
      local k = kind_of(r, "kind")
      if not k then ok = false
      elseif r.arrow and k.directed ~= (r.arrow == "->") then
        E(r, "a", "kind '" .. k.name .. "' is " .. (k.directed and "directed: write " .. r.a .. " -> " .. r.b or
          "symmetric: write " .. r.a .. " -- " .. r.b), #tostring(r.a)); ok = false
      end
    end
    local sv = r.strength
    if type(sv) == "number" and not (sv > 0 and sv <= 1) then
      E(r, "strength", "strength " .. util.fmt(sv) .. " out of range: expected a number in (0, 1]"); ok = false
    elseif sv ~= nil and type(sv) ~= "number" then
      -- a range or a distribution (an invalid one is reported by checkvals)
      local lo, hi = dist_support(sv)
      if lo and not (lo >= 0 and hi <= 1) then
        E(r, "strength", "strength " .. dist_text(sv) .. " goes outside [0, 1]: expected strengths from 0 to 1",
          #dist_text(sv)); ok = false
      end
    end
    return ok
  end
  -- The changes of an option or a conditional response, as lists: the verb,
  -- its arguments, then named fields.
  local function read_changes(s, list)
    local ok = true
    local changes = {}
    for i, c in ipairs(list) do
      local item = {c.verb}
      local function name_it(k, v, p)
        if item[k] ~= nil then
          if type(p) == "number" then add_error(st, {file = s.file, pos = p, msg = "'" .. tostring(k) .. "' given twice in a change", len = #tostring(k)})
          else E(s, "pos", "'" .. tostring(k) .. "' given twice in a change") end
          ok = false
        end
        if not checkvals(s, "pos", v) then ok = false end
        item[k] = strip(v)
      end
      if c.rel then
        local r = c.rel
        r.file = s.file
        if not change_rel(r) then ok = false end
        item[2], item[3], item[4] = r.a, r.b, r.kind
        if r.strength ~= nil then
          if not checkvals(s, "pos", r.strength) then ok = false end
          item.strength = strip(r.strength)
        end
        local nm = r.named or {}
        for j = 1, #nm, 3 do name_it(nm[j + 1], nm[j + 2], nm[j]) end
        if r.extra then
          dupcheck(r, "extra", r.extra)
          for _, k in ipairs(ORDER[r.extra] or util.sorted_keys(r.extra)) do
            name_it(k, r.extra[k], POS[r.extra] and POS[r.extra][k])
          end
        end
      else
        local args = c.args
        local n = #args / 2
        for j = 1, n do
          local v = args[2 * j]
          if j == n and is_map(v) then
            -- a map at the end holds the named fields
            if POS[v] then dupcheck(s, "pos", v) end
            for _, k in ipairs(ORDER[v] or util.sorted_keys(v)) do name_it(k, v[k], POS[v] and POS[v][k]) end
          else
            if not checkvals(s, "pos", v) then ok = false end
            item[#item + 1] = strip(v)
          end
        end
      end
      changes[i] = item
    end
    return changes, ok
  end
  local function where(s)
    return type(s.pos) == "number" and (s.file.name .. ":" .. linecol(s.file, s.pos)) or s.pos
  end
  local names = {}
  for _, s in each "option" do
    local ok = actor_ok(s, "actor")
    local key = tostring(s.actor) .. "\0" .. s.name
    if names[key] then E(s, "name", "option '" .. s.name .. "' of " .. s.actor .. " given twice", #s.name + 2); ok = false end
    names[key] = true
    local changes, cok = read_changes(s, s.changes)
    if ok and cok then
      local o = {actor = s.actor, name = s.name, changes = changes}
      WHERE[o] = where(s)
      spec.options[#spec.options + 1] = o
    end
  end
  for _, s in each "respond" do
    if s.when then
      -- respond NAME when A -> B [: KIND] rises|falls { changes }: the
      -- engine's conditional rule
      local c = s.when
      c.file = s.file
      local ok = change_rel(c)
      local changes, cok = read_changes(s, s.changes)
      if ok and cok then
        local when = {c.a, c.b}
        if c.kind ~= nil then when[3] = c.kind end
        when[#when + 1] = c.dir
        local r = {rule = "conditional", params = {name = s.rule, when = when, apply = changes}}
        WHERE[r] = where(s)
        spec.responses[#spec.responses + 1] = r
      end
    else
      if s.params then dupcheck(s, "params", s.params) end
      if not s.params or checkvals(s, "params", s.params) then
        local r = {rule = s.rule, params = s.params and strip(s.params) or nil}
        local apply = r.rule == "conditional" and r.params and r.params.apply
        if type(apply) == "table" and not is_map(apply) then
          -- the changes of a conditional rule written as lists (JSON, or a
          -- map in a .ent file): a map at the end holds the named fields
          for i, x in ipairs(apply) do
            if type(x) == "table" and not is_map(x) and getmetatable(x) ~= Tagged then
              local item, n = {}, #x
              for j = 1, n do
                if j == n and is_map(x[j]) then
                  for k, v in pairs(x[j]) do item[k] = v end
                else
                  item[#item + 1] = x[j]
                end
              end
              apply[i] = item
            end
          end
        end
        WHERE[r] = where(s)
        spec.responses[#spec.responses + 1] = r
      end
    end
  end
  for _, s in each "evaluate" do
    local ok = actor_ok(s, "actor")
    local m = s.settings or {}
    if s.settings then dupcheck(s, "settings", m) end
    for k, v in pairs(m) do
      if not EVAL_KEYS[k] then
        Em(s, "settings", m, k, "unknown evaluation setting '" .. tostring(k) .. "'" ..
          util.suggest(tostring(k), util.sorted_keys(EVAL_KEYS)) .. ": expected one of " ..
          table.concat(util.sorted_keys(EVAL_KEYS), ", "),
          #tostring(k)); ok = false
      elseif (k == "runs" and (type(v) ~= "number" or v < 1 or v ~= math.floor(v) or v > 1e9)) then
        Em(s, "settings", m, k, "runs " .. tostring(v) .. ": expected a whole number from 1 to 1e9"); ok = false
      elseif (k == "seed" or k == "threads") and (type(v) ~= "number" or v ~= math.floor(v) or v < 0 or v >= 2 ^ 53) then
        Em(s, "settings", m, k, k .. " " .. tostring(v) .. ": expected a whole number >= 0"); ok = false
      elseif k == "date" and not (type(v) == "string" and core.date_parse(v)) then
        Em(s, "settings", m, k, "date " .. tostring(v) .. ": expected a date YYYY-MM-DD"); ok = false
      elseif k == "triggers" and not (is_list(v) and not is_map(v)) then
        Em(s, "settings", m, k, "triggers: expected a list [{attacker A, defender B, p P}, ...]"); ok = false
      elseif k == "criteria" and not is_list(v) then
        Em(s, "settings", m, k, "criteria: expected a list [a, b, ...]"); ok = false
      elseif k == "weights" then
        if not is_map(v) then
          Em(s, "settings", m, k, "weights: expected a map {criterion weight, ...}"); ok = false
        else
          for c, x in pairs(v) do
            if type(x) == "number" and (x < 0 or x ~= x or x == math.huge) or type(x) ~= "number" and type(x) ~= "table" then
              add_error(st, {file = s.file, pos = POS[v] and POS[v][c] or mpos(m, k, s, "settings"),
                msg = "weight of '" .. tostring(c) .. "' is " .. tostring(x) .. ": expected a number >= 0, a range or a distribution"})
              ok = false
            end
          end
        end
      elseif k == "params" and not is_map(v) then
        Em(s, "settings", m, k, "params: expected a map {name value-or-range, ...}"); ok = false
      elseif k == "capability" and not is_cinc(v) then
        local good = type(v) == "string"
        if getmetatable(v) == Tagged then
          if v[1] == "cinc" then
            Em(s, "settings", m, k, "capability " .. dist_text(v) .. ": expected cinc(YEAR) with a year from 1 to 9999, e.g. cinc(2022)")
            ok = false
          end
          good = true   -- another name(args) is reported by checkvals
        elseif is_map(v) then
          good = true
          for c, x in pairs(v) do
            if type(x) ~= "number" or not (x >= 0 and x < math.huge) then
              add_error(st, {file = s.file, pos = POS[v] and POS[v][c] or mpos(m, k, s, "settings"),
                msg = "capability of '" .. tostring(c) .. "' is " .. tostring(x) .. ": expected a number >= 0"})
              ok = false
            end
          end
        end
        if not good then
          Em(s, "settings", m, k, "capability: expected an attribute name, cinc(YEAR) (the COW CINC scores of a year) " ..
            "or a map {code value, ...}"); ok = false
        end
      end
    end
    for k, v in pairs(m) do
      -- cinc(...) as the capability is checked above
      local cinc = k == "capability" and getmetatable(v) == Tagged and v[1] == "cinc"
      if not cinc and not checkvals(s, "settings", v) then ok = false end
    end
    if ok then
      local e = strip(m)
      e.actor = s.actor
      spec.evaluate[#spec.evaluate + 1] = e
    end
  end
  for _, s in each "conflict" do
    local ok = actor_ok(s, "a")
    ok = actor_ok(s, "b") and ok
    if ok and s.a == s.b then E(s, "b", "a conflict of '" .. s.a .. "' with itself", #s.b); ok = false end
    if ok and s.params then ok = checkvals(s, "params", s.params) end
    if ok then spec.conflicts[#spec.conflicts + 1] = {attacker = s.a, target = s.b, params = s.params and strip(s.params) or nil} end
  end
  for _, s in each "compare" do
    local d1, d2 = day(s, "d1"), day(s, "d2")
    if d1 and d2 then spec.compare[#spec.compare + 1] = {s.d1, s.d2} end
  end
  return w, spec
end

local function finish(st)
  if st.nerrors == 0 then
    local ok, w, spec = pcall(build_world, st)
    if not ok then error(w, 0) end
    if st.nerrors == 0 then return w, spec end
  end
  local errs = st.errors
  if st.syntax > 0 then
    -- an unknown actor or kind named in a statement that did not parse is
    -- a consequence of that syntax error: do not report it twice
    local failed = "\n" .. table.concat(st.failed, "\n") .. "\n"
    local keep = {}
    for _, e in ipairs(errs) do
      local name = e.cascade
      if not (name and failed:find("[^%w_+%-]" .. name:gsub("%p", "%%%0") .. "[^%w_+%-]")) then keep[#keep + 1] = e end
    end
    errs = keep
  end
  table.sort(errs, function(a, b)
    local fa, fb = a.file.index or 0, b.file.index or 0
    if fa ~= fb then return fa < fb end
    local pa, pb = a.pos or 0, b.pos or 0
    if pa ~= pb then return pa < pb end
    return a.seq < b.seq
  end)
  local out = {}
  for i, e in ipairs(errs) do out[i] = render(e); e.text = out[i] end
  local more = st.nerrors - #st.errors
  if more > 0 then out[#out + 1] = string.format("(%d more error%s not shown)", more, more == 1 and "" or "s") end
  return nil, table.concat(out, "\n"), errs
end

local function run_parse(text, name, opts)
  local st = new_state(opts)
  parse_file(st, text, name, opts and opts.dir, 0, nil)
  if st.nerrors > 0 then
    -- still check what parsed, so that one run shows as many errors as it can
    if not st.stop then
      local ok, err = pcall(build_world, st)
      if not ok then error(err, 0) end
    end
    return finish(st)
  end
  return finish(st)
end

--- ent.parse(text, name, {dir=, limits=}) -> world, spec | nil, message, errors
-- name is used in messages ("<string>" by default); dir, when given, is the
-- directory that relative includes are read from (none otherwise).
function ent.parse(text, name, opts)
  if type(text) ~= "string" then util.argerror("parse", 1, "string expected, got " .. type(text)) end
  if name ~= nil and type(name) ~= "string" then util.argerror("parse", 2, "name must be a string, got " .. type(name)) end
  if opts ~= nil and type(opts) ~= "table" then util.argerror("parse", 3, "table expected, got " .. type(opts)) end
  if opts then util.checkopts(opts, {dir = true, limits = true}, "parse", 3) end
  return run_parse(text, name or "<string>", opts)
end

--- ent.read(path, {limits=}) -> world, spec | nil, message, errors
function ent.read(path, opts)
  if type(path) ~= "string" then util.argerror("read", 1, "file name expected, got " .. type(path)) end
  if opts ~= nil then util.checkopts(opts, {limits = true}, "read", 2) end
  local limits = new_state(opts).limits
  local text, err = read_text(path, limits.max_bytes)
  if not text then
    err = tostring(err)
    if err:sub(1, #path) ~= path then err = path .. ": " .. err end
    return nil, err, {{msg = err}}
  end
  return run_parse(text, path, {dir = dirname(path), limits = opts and opts.limits})
end

------------------------------------------------------------------ JSON / data

local jvalue, change_data

local DATA_KEYS = {"format", "title", "date", "description", "sources", "kinds", "actors", "relations", "events",
  "options", "responses", "evaluate", "conflicts", "compare"}
ent.DATA_ORDER = {"format", "title", "date", "description", "sources", "kinds", "actors", "relations", "events",
  "options", "responses", "evaluate", "conflicts", "compare",
  "code", "name", "a", "b", "kind", "strength", "since", "ends", "from", "to", "cameo", "goldstein", "text",
  "source", "tags", "attrs", "actor", "changes", "rule", "params", "attacker", "target",
  "sign", "obligation", "directed", "defensive", "criteria", "weights", "runs", "seed"}

local function builtin_kinds()
  if not ent._builtin then
    local set = {}
    for _, k in ipairs(entente.world {}:kinds()) do set[k.name] = true end
    ent._builtin = set
  end
  return ent._builtin
end

local function attr_order(w)
  return core.attr_names(w._c)
end

-- Distribution objects of the options engine as Tagged data.
local function dist_data(v)
  if v.kind == "uniform" then return setmetatable({"uniform", v.lo, v.hi}, Tagged) end
  if v.kind == "triangular" then return setmetatable({"triangular", v.lo, v.c, v.hi}, Tagged) end
  if v.kind == "fixed" then return setmetatable({"fixed", v.a}, Tagged) end
  local t = setmetatable({v.kind, v.a, v.b}, Tagged)
  local dlo, dhi = -math.huge, math.huge
  if v.kind == "beta" then dlo, dhi = 0, 1 end
  if (v.lo or dlo) ~= dlo or (v.hi or dhi) ~= dhi then t[4], t[5] = v.lo or dlo, v.hi or dhi end
  return t
end

local function is_dist(v)
  return type(v) == "table" and entente.Distribution ~= nil and getmetatable(v) == entente.Distribution
end

-- A value as JSON-ready data: maps as objects, lists as arrays,
-- distributions as {"$dist": [name, args...]}.
function jvalue(v)
  if type(v) ~= "table" then return v end
  if is_dist(v) then v = dist_data(v) end
  if getmetatable(v) == Tagged then
    local a = json.array()
    for i, x in ipairs(v) do a[i] = x end
    return json.object {["$dist"] = a}
  end
  if is_map(v) then
    local o = json.object()
    for k, x in pairs(v) do o[k] = jvalue(x) end
    return o
  end
  local a = json.array()
  for i, x in ipairs(v) do a[i] = jvalue(x) end
  return a
end

-- A change {verb, args..., name = value...} as a JSON array: the verb, the
-- arguments, then an object of the named fields (an empty one when the
-- last argument is itself a map, so that it is not taken for them).
function change_data(c)
  local a = json.array()
  for i, x in ipairs(c) do a[i] = jvalue(x) end
  local named = json.object()
  for k, x in pairs(c) do
    if type(k) ~= "number" or k < 1 or k > #c or k ~= math.floor(k) then named[k] = jvalue(x) end
  end
  if next(named) ~= nil or is_map(c[#c]) then a[#a + 1] = named end
  return a
end

--- ent.to_data(world_or_scenario, spec) -> plain table (the JSON form of a scenario)
function ent.to_data(obj, spec)
  local w
  w, spec = ent._unpack(obj, spec, "to_data")
  local d = {format = "entente-scenario 1", title = w.title, date = w.date, description = w.description,
    sources = w.sources}
  local kinds = {}
  local builtin = builtin_kinds()
  for _, k in ipairs(w:kinds()) do
    if not builtin[k.name] then
      kinds[#kinds + 1] = {name = k.name, sign = k.sign, obligation = k.obligation, strength = k.strength,
        directed = k.directed, defensive = k.defensive}
    end
  end
  d.kinds = kinds
  local cols = attr_order(w)
  local actors = {}
  for _, a in ipairs(w:actors()) do
    local attrs = json.object()
    for _, c in ipairs(cols) do
      local v = core.attr_get(w._c, a.id, c)
      if v ~= nil and v == v then attrs[c] = v end
    end
    actors[#actors + 1] = {code = a.code, name = a.name, tags = a.tags, attrs = attrs}
  end
  d.actors = actors
  local rels = {}
  for _, r in ipairs(w:relations()) do
    local i = r:info()
    rels[#rels + 1] = {a = i.a, b = i.b, kind = i.kind, strength = i.strength, since = i.since, ends = i.ends,
      source = i.source ~= "" and i.source or nil}
  end
  d.relations = rels
  local evs = {}
  for id = 0, core.event_count(w._c) - 1 do
    local day0, de, a, b, cameo, g, text = core.event_get(w._c, id)
    if day0 then
      local e = {date = core.date_format(day0), ends = de ~= day0 and core.date_format(de) or nil,
        from = core.actor_code(w._c, a), to = b and core.actor_code(w._c, b) or nil,
        cameo = cameo ~= "" and cameo or nil, text = text ~= "" and text or nil}
      if cameo == "" or core.cameo(cameo) ~= g then e.goldstein = g end
      evs[#evs + 1] = e
    end
  end
  d.events = evs
  spec = spec or {}
  if spec.options and #spec.options > 0 then
    d.options = {}
    for i, o in ipairs(spec.options) do
      if type(o.changes) == "function" then
        error("option '" .. tostring(o.name) .. "' of " .. tostring(o.actor) ..
          " is a Lua function and cannot be written to a scenario file", 0)
      end
      local changes = {}
      for j, c in ipairs(o.changes or {}) do changes[j] = change_data(c) end
      d.options[i] = {actor = o.actor, name = o.name, changes = changes}
    end
  end
  local function list(t)
    if not t or #t == 0 then return nil end
    local out = {}
    for i, x in ipairs(t) do out[i] = jvalue(x) end
    return out
  end
  d.responses, d.evaluate, d.conflicts, d.compare = list(spec.responses), list(spec.evaluate), list(spec.conflicts),
    list(spec.compare)
  for i, r in ipairs(spec.responses or {}) do
    -- the changes of a conditional rule as lists [verb, args..., {named}]
    local p = type(r) == "table" and r.rule == "conditional" and r.params
    if type(p) == "table" and type(p.apply) == "table" and is_map(d.responses[i].params) then
      local apply = json.array()
      for j, c in ipairs(p.apply) do apply[j] = type(c) == "table" and change_data(c) or jvalue(c) end
      d.responses[i].params.apply = apply
    end
  end
  return d
end

-- Turn JSON data into the statements the parser makes, positions being paths.
local function data_statements(st, d, f)
  local out = st.stmts
  local function add(s) s.file = f; out[#out + 1] = s end
  local function bad(path, msg) add_error(st, {file = f, path = path, msg = msg}) end
  -- JSON values as parsed values: null dropped, objects marked as maps,
  -- {"$dist": [name, args...]} as distributions
  local function unnull(v)
    if v == json.null then return nil end
    if type(v) == "table" then
      local dist = json.is_object(v) and v["$dist"]
      if dist and next(v, next(v)) == nil and type(dist) == "table" and type(dist[1]) == "string" then
        local t = setmetatable({}, Tagged)
        for i, x in ipairs(dist) do t[i] = unnull(x) end
        return t
      end
      local t = {}
      for k, x in pairs(v) do t[k] = unnull(x) end
      if json.is_object(v) then
        ORDER[t] = util.sorted_keys(t)
      end
      return t
    end
    return v
  end
  d = unnull(d)
  if type(d) ~= "table" or is_list(d) and next(d) ~= nil then return bad("$", "expected a JSON object") end
  local known = util.set(DATA_KEYS)
  for k in pairs(d) do
    if not known[k] then bad("$." .. tostring(k), "unknown key '" .. tostring(k) .. "'" .. util.suggest(tostring(k), DATA_KEYS)) end
  end
  local function typed(path, v, t, what)
    if v ~= nil and type(v) ~= t then bad(path, "expected " .. what .. ", found " .. (type(v) == "table" and "a list or object" or tostring(v))); return false end
    return true
  end
  local function list(path, v)
    if v == nil then return {} end
    if type(v) ~= "table" or not is_list(v) then bad(path, "expected a list"); return {} end
    return v
  end
  local function obj(path, v, keys)
    if type(v) ~= "table" or (is_list(v) and next(v) ~= nil) then bad(path, "expected an object"); return false end
    if keys then
      local kset = util.set(keys)
      for k in pairs(v) do
        if not kset[k] then bad(path .. "." .. tostring(k), "unknown key '" .. tostring(k) .. "'" .. util.suggest(tostring(k), keys)) return false end
      end
    end
    return true
  end
  local function need(path, v, what)
    if v == nil then bad(path, "missing: expected " .. what); return false end
    return true
  end
  local function p(path, fields, s)
    for _, fl in ipairs(fields) do s[fl .. "pos"] = path .. "." .. fl end
    s.pos = path
    return s
  end
  if d.format ~= nil and d.format ~= "entente-scenario 1" then
    bad("$.format", "unknown format '" .. tostring(d.format) .. "': expected \"entente-scenario 1\"")
  end
  for _, k in ipairs {"title", "description"} do
    if d[k] ~= nil and typed("$." .. k, d[k], "string", "a string") then add(p("$", {}, {t = k, value = d[k], valuepos = "$." .. k})) end
  end
  if d.date ~= nil and typed("$.date", d.date, "string", "a date string") then
    add({t = "date", value = d.date, valuepos = "$.date", pos = "$.date"})
  end
  if d.sources ~= nil then
    if type(d.sources) == "string" or (type(d.sources) == "table" and is_list(d.sources)) then
      add({t = "sources", value = d.sources, valuepos = "$.sources", pos = "$.sources"})
    else bad("$.sources", "expected a string or a list of strings") end
  end
  for i, k in ipairs(list("$.kinds", d.kinds)) do
    local path = "$.kinds[" .. i .. "]"
    if obj(path, k, {"name", "sign", "obligation", "strength", "directed", "defensive"}) and
        need(path .. ".name", k.name, "a kind name") and typed(path .. ".name", k.name, "string", "a kind name") then
      local spec = {}
      for kk, v in pairs(k) do if kk ~= "name" then spec[kk] = v end end
      add({t = "kind", name = k.name, namepos = path .. ".name", spec = spec, specpos = path, pos = path})
    end
  end
  for i, a in ipairs(list("$.actors", d.actors)) do
    local path = "$.actors[" .. i .. "]"
    if obj(path, a, {"code", "name", "tags", "attrs"}) and need(path .. ".code", a.code, "an actor code")
        and typed(path .. ".code", a.code, "string", "an actor code")
        and typed(path .. ".name", a.name, "string", "a string") then
      local attrs = {}
      if a.attrs ~= nil and obj(path .. ".attrs", a.attrs) then
        for k, v in pairs(a.attrs) do attrs[k] = v end
      end
      if a.tags ~= nil then attrs.tags = a.tags end
      add({t = "actor", code = a.code, name = a.name, attrs = attrs, pos = path, codepos = path .. ".code",
        attrspos = path .. ".attrs", seq = i})
    end
  end
  for i, r in ipairs(list("$.relations", d.relations)) do
    local path = "$.relations[" .. i .. "]"
    if obj(path, r, {"a", "b", "kind", "strength", "since", "ends", "source"})
        and need(path .. ".a", r.a, "an actor code") and need(path .. ".b", r.b, "an actor code")
        and need(path .. ".kind", r.kind, "a kind name")
        and typed(path .. ".a", r.a, "string", "an actor code") and typed(path .. ".b", r.b, "string", "an actor code")
        and typed(path .. ".kind", r.kind, "string", "a kind name") and typed(path .. ".strength", r.strength, "number", "a number")
        and typed(path .. ".since", r.since, "string", "a date") and typed(path .. ".ends", r.ends, "string", "a date")
        and typed(path .. ".source", r.source, "string", "a string") then
      add(p(path, {"a", "b", "kind", "strength", "since", "ends", "source"}, {t = "relation", a = r.a, b = r.b,
        kind = r.kind, strength = r.strength, since = r.since, ends = r.ends, source = r.source}))
    end
  end
  for i, e in ipairs(list("$.events", d.events)) do
    local path = "$.events[" .. i .. "]"
    if obj(path, e, {"date", "ends", "from", "to", "cameo", "goldstein", "text"})
        and typed(path .. ".date", e.date, "string", "a date") and typed(path .. ".ends", e.ends, "string", "a date")
        and typed(path .. ".from", e.from, "string", "an actor code") and typed(path .. ".to", e.to, "string", "an actor code")
        and typed(path .. ".cameo", e.cameo, "string", "a CAMEO code (a string of digits)")
        and typed(path .. ".goldstein", e.goldstein, "number", "a number")
        and typed(path .. ".text", e.text, "string", "a string") then
      if e.date == nil then bad(path, "an event needs a date")
      elseif e.from == nil then bad(path, "an event needs 'from' (an actor code)")
      elseif e.cameo ~= nil and not e.cameo:match("^%d%d%d?%d?$") then bad(path .. ".cameo", "bad CAMEO code '" .. e.cameo .. "'")
      else
        add(p(path, {"date", "ends", "from", "to", "cameo", "goldstein", "text"}, {t = "event", date = e.date, ends = e.ends,
          from = e.from, to = e.to, cameo = e.cameo, goldstein = e.goldstein, text = e.text}))
      end
    end
  end
  for i, o in ipairs(list("$.options", d.options)) do
    local path = "$.options[" .. i .. "]"
    if obj(path, o, {"actor", "name", "changes"}) and need(path .. ".actor", o.actor, "an actor code")
        and need(path .. ".name", o.name, "the option's name") and typed(path .. ".actor", o.actor, "string", "an actor code")
        and typed(path .. ".name", o.name, "string", "a string") then
      local changes = {}
      for j, c in ipairs(list(path .. ".changes", o.changes)) do
        if type(c) ~= "table" or not is_list(c) or type(c[1]) ~= "string" then
          bad(path .. ".changes[" .. j .. "]", "expected a list [verb, arguments...]")
        else
          local args = {}
          for k = 2, #c do args[#args + 1] = path .. ".changes[" .. j .. "][" .. k .. "]"; args[#args + 1] = c[k] end
          changes[#changes + 1] = {verb = c[1], args = args}
        end
      end
      add(p(path, {"actor", "name"}, {t = "option", actor = o.actor, name = o.name or "", changes = changes}))
    end
  end
  for i, r in ipairs(list("$.responses", d.responses)) do
    local path = "$.responses[" .. i .. "]"
    if obj(path, r, {"rule", "params"}) and need(path .. ".rule", r.rule, "a rule name")
        and typed(path .. ".rule", r.rule, "string", "a rule name")
        and (r.params == nil or is_map(r.params) or bad(path .. ".params", "expected an object")) then
      add(p(path, {"rule", "params"}, {t = "respond", rule = r.rule, params = r.params}))
    end
  end
  for i, e in ipairs(list("$.evaluate", d.evaluate)) do
    local path = "$.evaluate[" .. i .. "]"
    if obj(path, e) and need(path .. ".actor", e.actor, "an actor code") and typed(path .. ".actor", e.actor, "string", "an actor code") then
      local m = {}
      for k, v in pairs(e) do if k ~= "actor" then m[k] = v end end
      add({t = "evaluate", actor = e.actor, settings = m, pos = path, actorpos = path .. ".actor", settingspos = path})
    end
  end
  for i, c in ipairs(list("$.conflicts", d.conflicts)) do
    local path = "$.conflicts[" .. i .. "]"
    if obj(path, c, {"attacker", "target", "params"}) and need(path .. ".attacker", c.attacker, "an actor code")
        and need(path .. ".target", c.target, "an actor code")
        and typed(path .. ".attacker", c.attacker, "string", "an actor code")
        and typed(path .. ".target", c.target, "string", "an actor code")
        and (c.params == nil or is_map(c.params) or bad(path .. ".params", "expected an object")) then
      add({t = "conflict", a = c.attacker, b = c.target, params = c.params, pos = path, apos = path .. ".attacker",
        bpos = path .. ".target"})
    end
  end
  for i, c in ipairs(list("$.compare", d.compare)) do
    local path = "$.compare[" .. i .. "]"
    if type(c) ~= "table" or #c ~= 2 then bad(path, "expected a pair of dates [d1, d2]")
    elseif typed(path .. "[1]", c[1], "string", "a date") and typed(path .. "[2]", c[2], "string", "a date") then
      add({t = "compare", d1 = c[1], d2 = c[2], pos = path, d1pos = path .. "[1]", d2pos = path .. "[2]"})
    end
  end
end

--- ent.from_data(data, name) -> world, spec | nil, message, errors
function ent.from_data(d, name)
  local st = new_state()
  local f = {name = name or "<data>", index = 1}
  st.files[1] = f
  data_statements(st, d, f)
  local ok, w, spec = pcall(build_world, st)
  if not ok then error(w, 0) end
  if st.nerrors == 0 then return w, spec end
  return finish(st)
end

--- ent.decode_json(text, name) -> world, spec | nil, message
function ent.decode_json(text, name)
  if type(text) ~= "string" then util.argerror("decode_json", 1, "string expected, got " .. type(text)) end
  local d, err = json.decode(text, name or "<json>")
  if d == nil then return nil, err, {{msg = err}} end
  return ent.from_data(d, name or "<json>")
end

--- ent.encode_json(world_or_scenario, spec) -> text
function ent.encode_json(obj, spec)
  return json.encode(ent.to_data(obj, spec), {indent = "  ", order = ent.DATA_ORDER}) .. "\n"
end

------------------------------------------------------------------ writer

local BARE_PAT = "^[%a_\128-\255][%w_\128-\255]*"
local RESERVED = util.set {"true", "false", "inf"}

local function is_bare(s)
  if RESERVED[s] then return false end
  -- bare words: alnum runs joined by - + . and maybe trailing +, not starting with a digit
  local head = s:match(BARE_PAT)
  if not head then return false end
  local rest = s:sub(#head + 1)
  while rest ~= "" do
    local piece = rest:match("^[-+.][%w_\128-\255]+")
    if not piece then break end
    rest = rest:sub(#piece + 1)
  end
  rest = rest:gsub("^%++", "")
  return rest == "" and json.valid_utf8(s)
end

local QESC = {['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r'}
local function qesc(c) return QESC[c] or string.format("\\x%02x", c:byte()) end

-- A string literal that reads back as s (any bytes but NUL).
local function quote(s)
  if not s:find('[%z\1-\31"\\\127-\255]') then return '"' .. s .. '"' end
  if json.valid_utf8(s) then return '"' .. s:gsub('[%z\1-\31"\\\127]', qesc) .. '"' end
  -- not UTF-8: keep the valid sequences, escape the stray bytes
  local out, i, n = {}, 1, #s
  while i <= n do
    local c = s:sub(i, i)
    local seq = c:byte() >= 194 and s:match("^[\194-\244][\128-\191]+", i)
    if seq and json.valid_utf8(seq) then out[#out + 1] = seq; i = i + #seq
    else
      out[#out + 1] = c:byte() >= 128 and string.format("\\x%02x", c:byte()) or c:gsub('[%z\1-\31"\\\127]', qesc)
      i = i + 1
    end
  end
  return '"' .. table.concat(out) .. '"'
end
ent.quote = quote

local function word(s) return is_bare(s) and s or quote(s) end
local CODEWORD = {}   -- emptied by each ent.format
local function codeword(s)
  local c = CODEWORD[s]
  if c then return c end
  if s:match("^[%a_][%w_]*[-+%w_]*$") and is_bare(s) and not s:find("%-%-") and not s:find("%-$") then c = s
  else c = quote(s) end
  CODEWORD[s] = c
  return c
end

local numstr = json.numstr
local function numword(x)
  if x == math.huge then return "inf" elseif x == -math.huge then return "-inf" end
  return numstr(x)
end

-- The keys of a map: in the order they were read, then any others sorted.
local function map_keys(v)
  local keys, seen = {}, {}
  for _, k in ipairs(ORDER[v] or {}) do
    if v[k] ~= nil and not seen[k] then keys[#keys + 1] = k; seen[k] = true end
  end
  local rest = {}
  for k in pairs(v) do if not seen[k] then rest[#rest + 1] = k end end
  table.sort(rest, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    return a < b
  end)
  for _, k in ipairs(rest) do keys[#keys + 1] = k end
  return keys
end

local function valuetext(v, depth)
  depth = depth or 1
  local t = type(v)
  if t == "number" then return numword(v)
  elseif t == "boolean" then return tostring(v)
  elseif t == "string" then
    if v:match("^%d%d%d%d%-%d%d%-%d%d$") then return v end
    return word(v)
  elseif t == "table" then
    if depth >= 16 then error("ent.write: value nested deeper than 15 levels", 0) end
    if is_dist(v) then v = dist_data(v) end
    if getmetatable(v) == Tagged then
      if v[1] == "uniform" and #v == 3 and type(v[2]) == "number" and type(v[3]) == "number" then
        return numword(v[2]) .. ".." .. numword(v[3])
      end
      local parts = {}
      for i = 2, #v do parts[i - 1] = valuetext(v[i], depth + 1) end
      return tostring(v[1]) .. "(" .. table.concat(parts, ", ") .. ")"
    end
    if not is_map(v) then
      local parts = {}
      for i, x in ipairs(v) do parts[i] = valuetext(x, depth + 1) end
      return "[" .. table.concat(parts, ", ") .. "]"
    end
    local parts = {}
    for _, k in ipairs(map_keys(v)) do
      if type(k) ~= "string" then error("ent.write: map key " .. tostring(k) .. " is not a string", 0) end
      parts[#parts + 1] = word(k) .. " " .. valuetext(v[k], depth + 1)
    end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  error("ent.write: cannot write a " .. t .. " value", 0)
end

-- A change as a line: the relation form (VERB A -- B : KIND STRENGTH by ...)
-- when it reads back as the same change, the general form otherwise.
local function change_text(w, c, directed)
  if type(c) ~= "table" or type(c[1]) ~= "string" then
    error("ent.write: a change must be a list {verb, ...} with a verb string, got " .. tostring(c and c[1] or c), 0)
  end
  local n = #c
  local named = {}
  for k, v in pairs(c) do
    if type(k) == "number" and k >= 1 and k <= n and k == math.floor(k) then -- positional
    elseif type(k) == "string" then named[k] = v
    else error("ent.write: a change cannot hold the key " .. tostring(k), 0) end
  end
  local kind = c[4]
  local relform = (n == 3 or n == 4) and type(c[2]) == "string" and type(c[3]) == "string" and c[2] ~= c[3]
    and w:has(c[2]) and w:has(c[3]) and (n == 3 or (type(kind) == "string" and directed[kind] ~= nil))
  local parts = {word(c[1])}
  if relform then
    parts[2], parts[3], parts[4] = codeword(c[2]), kind and directed[kind] and "->" or "--", codeword(c[3])
    if kind then
      parts[5], parts[6] = ":", kind
      local sv = named.strength
      if is_dist(sv) then sv = dist_data(sv) end
      if type(sv) == "number" and sv > 0 and sv <= 1 then parts[7] = numstr(sv); named.strength = nil
      elseif type(sv) == "table" then
        -- a range or distribution of strengths reads back in this place too
        local lo, hi = dist_support(sv)
        if lo and lo >= 0 and hi <= 1 then parts[7] = valuetext(sv); named.strength = nil end
      end
    end
    for _, k in ipairs {"by", "factor", "to"} do
      if named[k] ~= nil then parts[#parts + 1] = k .. " " .. valuetext(named[k]); named[k] = nil end
    end
    if next(named) then parts[#parts + 1] = valuetext(json.object(named)) end
  else
    for k = 2, n do parts[#parts + 1] = valuetext(c[k]) end
    if next(named) then parts[#parts + 1] = valuetext(json.object(named))
    elseif n >= 2 and is_map(c[n]) then parts[#parts + 1] = "{}" end
  end
  return table.concat(parts, " ")
end

-- A change {verb, args..., named...} as a list whose last element, a map,
-- holds the named fields (an empty map when the last argument is a map).
local function change_list(c)
  local a = {}
  for i, x in ipairs(c) do a[i] = x end
  local named = json.object()
  for k, x in pairs(c) do
    if type(k) ~= "number" or k < 1 or k > #c or k ~= math.floor(k) then named[k] = x end
  end
  if next(named) ~= nil or is_map(c[#c]) then a[#a + 1] = named end
  return a
end

-- Can a response be written as a conditional block (respond NAME when ...
-- { changes }) that reads back as the same response?
local function conditional_block(w, r, directed)
  local p = r.rule == "conditional" and r.params
  if type(p) ~= "table" or getmetatable(p) == Tagged or is_dist(p) then return false end
  for k in pairs(p) do if k ~= "name" and k ~= "when" and k ~= "apply" then return false end end
  local wh, apply = p.when, p.apply
  if type(p.name) ~= "string" or type(wh) ~= "table" or not is_list(wh) or is_map(wh) or (#wh ~= 3 and #wh ~= 4)
      or type(apply) ~= "table" or is_map(apply) then
    return false
  end
  for _, x in ipairs(wh) do if type(x) ~= "string" then return false end end
  if wh[#wh] ~= "rises" and wh[#wh] ~= "falls" then return false end
  if wh[1] == wh[2] or not w:has(wh[1]) or not w:has(wh[2]) or (#wh == 4 and directed[wh[3]] == nil) then return false end
  for _, c in ipairs(apply) do
    if type(c) ~= "table" or type(c[1]) ~= "string" then return false end
  end
  return true
end

local function width(s)
  if not s:find("[\128-\255]") then return #s end
  return #s:gsub("[\128-\191]", "")
end
local function pad(s, n) return s .. string.rep(" ", n - width(s)) end

local function period_text(since, ends)
  if since and ends then return since .. " to " .. ends
  elseif since then return "since " .. since
  elseif ends then return "until " .. ends end
  return nil
end

-- World (and spec) from a world or an options-engine scenario.
function ent._unpack(obj, spec, fname)
  if type(obj) == "table" and getmetatable(obj) == World then return obj, spec end
  if type(obj) == "table" then
    local w = rawget(obj, "world") or rawget(obj, "_world") or rawget(obj, "w")
    if type(w) == "table" and getmetatable(w) == World then
      if spec == nil and type(obj.ent_spec) == "function" then spec = obj:ent_spec() end
      if spec == nil and ent.scenario_spec then spec = ent.scenario_spec(obj) end
      return w, spec
    end
  end
  util.argerror(fname, 1, "world or scenario expected, got " .. type(obj), 3)
end

--- ent.format(world_or_scenario, spec) -> the .ent text
function ent.format(obj, spec)
  local w
  w, spec = ent._unpack(obj, spec, "format")
  CODEWORD = {}
  local out = {}
  local function line(s) out[#out + 1] = s end
  line("# entente scenario (written by entente " .. tostring(entente.version) .. "; format: docs/scenario-format.md)")
  if w.title then line("title " .. quote(w.title)) end
  line("date " .. w.date)
  if w.description then line("description " .. quote(tostring(w.description))) end
  if w.sources ~= nil then
    line("sources " .. (type(w.sources) == "table" and valuetext(w.sources) or quote(tostring(w.sources))))
  end
  local builtin = builtin_kinds()
  local first = true
  for _, k in ipairs(w:kinds()) do
    if not builtin[k.name] then
      if first then line(""); first = false end
      line(string.format("kind %s {sign %s, obligation %s, strength %s, directed %s, defensive %s}", k.name,
        k.sign > 0 and "+1" or tostring(k.sign), k.obligation, numstr(k.strength), tostring(k.directed),
        tostring(k.defensive)))
    end
  end
  -- actors: one table, attribute columns in the world's order
  local actors = w:actors()
  if #actors > 0 then
    local cols = attr_order(w)
    local used = {}
    local rows = {}
    local anytags = false
    for _, a in ipairs(actors) do
      local tags = a.tags
      if #tags > 0 then anytags = true end
      local row = {codeword(a.code), quote(a.name)}
      local tagtext = {}
      for i, tg in ipairs(tags) do tagtext[i] = word(tg) end
      row.tags = #tags > 0 and ("[" .. table.concat(tagtext, ", ") .. "]") or "-"
      row.attrs = {}
      for _, c in ipairs(cols) do
        local v = core.attr_get(w._c, a.id, c)
        if v ~= nil and v == v then row.attrs[c] = numword(v); used[c] = true end
      end
      rows[#rows + 1] = row
    end
    local header = {"code", "name"}
    local acols = {}
    for _, c in ipairs(cols) do
      if used[c] then acols[#acols + 1] = c; header[#header + 1] = word(c) end
    end
    if anytags then header[#header + 1] = "tags" end
    local cells = {header}
    for _, row in ipairs(rows) do
      local r = {row[1], row[2]}
      for _, c in ipairs(acols) do r[#r + 1] = row.attrs[c] or "-" end
      if anytags then r[#r + 1] = row.tags end
      cells[#cells + 1] = r
    end
    local widths = {}
    for _, r in ipairs(cells) do
      for i, c in ipairs(r) do if width(c) > (widths[i] or 0) then widths[i] = width(c) end end
    end
    line("")
    line("actors {")
    for _, r in ipairs(cells) do
      local parts = {}
      for i, c in ipairs(r) do parts[i] = i == #r and c or pad(c, widths[i]) end
      line("  " .. table.concat(parts, "  "))
    end
    line("}")
  end
  -- relations
  local ids = core.relations(w._c, nil, nil, nil, nil)
  if #ids > 0 then
    line("")
    -- aligned columns, as in a fact table (the widths of the first 1000 rows);
    -- read from the core directly, with the codes and kinds looked up once
    local wa, wb, wk, ws, wp = 0, 0, 0, 0, 0
    local c, datestr = w._c, core.date_format
    local codes, kinds, strengths = {}, {}, {}
    for k = 0, core.kind_count(c) - 1 do
      local name, _, _, _, flags = core.kind_get(c, k)
      kinds[k] = {name, flags % 2 >= 1 and "->" or "--"}
    end
    local rows = {}
    for i, id in ipairs(ids) do
      local a, b, k, sv, since, ends, source = core.rel_get(c, id)
      local ca, cb = codes[a], codes[b]
      if not ca then ca = codeword(core.actor_code(c, a)); codes[a] = ca end
      if not cb then cb = codeword(core.actor_code(c, b)); codes[b] = cb end
      local kind = kinds[k]
      local st = strengths[sv]
      if not st then st = numstr(sv); strengths[sv] = st end
      local row = {ca, kind[2], cb, kind[1], st,
        period_text(since and datestr(since), ends and datestr(ends)) or "",
        source ~= "" and quote(source) or ""}
      if i <= 1000 then
        wa, wb, wk = math.max(wa, #row[1]), math.max(wb, #row[3]), math.max(wk, #row[4])
        ws, wp = math.max(ws, #row[5]), math.max(wp, #row[6])
      end
      rows[i] = row
    end
    -- every padded cell is ASCII (codes, kinds, numbers, dates), so that
    -- string.format pads them; widths stay below format's limit of 99
    local function w99(x) return math.min(x, 99) end
    local head = "%-" .. w99(wa) .. "s %s %-" .. w99(wb) .. "s : "
    local fsrc = head .. "%-" .. w99(wk) .. "s %-" .. w99(ws) .. "s %-" .. w99(wp) .. "s %s"
    local fper = head .. "%-" .. w99(wk) .. "s %-" .. w99(ws) .. "s %s"
    local fbare = head .. "%s %s"
    local fmt = string.format
    for _, r in ipairs(rows) do
      if r[7] ~= "" then line(fmt(fsrc, r[1], r[2], r[3], r[4], r[5], r[6], r[7]))
      elseif r[6] ~= "" then line(fmt(fper, r[1], r[2], r[3], r[4], r[5], r[6]))
      else line(fmt(fbare, r[1], r[2], r[3], r[4], r[5])) end
    end
  end
  -- events
  local evs = {}
  local w1, wf, wt, wc = 0, 0, 0, 0
  for id = 0, core.event_count(w._c) - 1 do
    local d0, de, a, b, cameo, g, text = core.event_get(w._c, id)
    if d0 then
      local e = {core.date_format(d0) .. (de ~= d0 and (".." .. core.date_format(de)) or ""),
        codeword(core.actor_code(w._c, a)), b and codeword(core.actor_code(w._c, b)) or "", cameo}
      if cameo == "" or core.cameo(cameo) ~= g then e[4] = (cameo ~= "" and (cameo .. " ") or "") .. "goldstein " .. numstr(g) end
      e[5] = text ~= "" and quote(text) or ""
      if #evs < 1000 then
        w1, wf, wt, wc = math.max(w1, #e[1]), math.max(wf, #e[2]), math.max(wt, #e[3]), math.max(wc, #e[4])
      end
      evs[#evs + 1] = e
    end
  end
  if #evs > 0 then
    line("")
    local function w99(x) return math.min(x, 99) end
    local head = "%-" .. w99(w1) .. "s %-" .. w99(wf) .. "s"
    local fto, fnone = " -> %-" .. w99(wt) .. "s", string.rep(" ", wt > 0 and wt + 4 or 0)
    local ftext = " %-" .. w99(wc) .. "s %s"
    local fmt = string.format
    for _, e in ipairs(evs) do
      local s = fmt(head, e[1], e[2]) .. (e[3] ~= "" and fmt(fto, e[3]) or fnone) ..
        (e[5] ~= "" and fmt(ftext, e[4], e[5]) or (" " .. e[4]))
      line((s:gsub("%s+$", "")))
    end
  end
  spec = spec or {}
  local directed = {}
  for _, k in ipairs(w:kinds()) do directed[k.name] = k.directed end
  for i, o in ipairs(spec.options or {}) do
    if i == 1 then line("") end
    if type(o.changes) == "function" then
      error("ent.write: option '" .. tostring(o.name) .. "' of " .. tostring(o.actor) ..
        " is a Lua function and cannot be written to a scenario file", 0)
    end
    line("option " .. codeword(o.actor) .. " " .. quote(o.name) .. " {")
    for _, c in ipairs(o.changes or {}) do line("  " .. change_text(w, c, directed)) end
    line("}")
  end
  for i, r in ipairs(spec.responses or {}) do
    if i == 1 then line("") end
    local p = r.params
    if conditional_block(w, r, directed) then
      -- respond NAME when A -> B [: KIND] rises|falls { changes }
      local wh = p.when
      local kind = #wh == 4 and wh[3] or nil
      line("respond " .. word(p.name) .. " when " .. codeword(wh[1]) .. (kind and directed[kind] and " -> " or " -- ") ..
        codeword(wh[2]) .. (kind and (" : " .. kind) or "") .. " " .. wh[#wh] .. " {")
      for _, c in ipairs(p.apply) do line("  " .. change_text(w, c, directed)) end
      line("}")
    else
      if r.rule == "conditional" and type(p) == "table" and type(p.apply) == "table" then
        -- the changes as lists, named fields in a map at the end
        local q = {}
        for k, v in pairs(p) do q[k] = v end
        q.apply = {}
        for j, c in ipairs(p.apply) do q.apply[j] = type(c) == "table" and change_list(c) or c end
        p = q
      end
      line("respond " .. word(r.rule) .. (p and next(p) and (" " .. valuetext(p)) or ""))
    end
  end
  for i, e in ipairs(spec.evaluate or {}) do
    if i == 1 then line("") end
    local m = {}
    for k, v in pairs(e) do if k ~= "actor" then m[k] = v end end
    line("evaluate " .. codeword(e.actor) .. (next(m) and (" " .. valuetext(m)) or ""))
  end
  for i, c in ipairs(spec.conflicts or {}) do
    if i == 1 then line("") end
    line("conflict " .. codeword(c.attacker) .. " -> " .. codeword(c.target) ..
      (c.params and next(c.params) and (" " .. valuetext(c.params)) or ""))
  end
  for i, c in ipairs(spec.compare or {}) do
    if i == 1 then line("") end
    line("compare " .. c[1] .. " " .. c[2])
  end
  return table.concat(out, "\n") .. "\n"
end

--- ent.write_file(path, text): atomic write (temporary file in the same
-- directory, then rename), so a crash never leaves half a file.
function ent.write_file(path, text)
  local tmp = string.format("%s.tmp-%d-%d", path, os.time(), math.random(1, 1e9))
  local f, err = io.open(tmp, "wb")
  if not f then return nil, "cannot write " .. path .. ": " .. tostring(err) end
  local ok, werr = f:write(text)
  if ok then ok, werr = f:flush() end
  f:close()
  if not ok then
    os.remove(tmp)
    return nil, "cannot write " .. path .. ": " .. tostring(werr)
  end
  local rok, rerr = os.rename(tmp, path)
  if not rok then
    os.remove(tmp)
    return nil, "cannot write " .. path .. ": " .. tostring(rerr)
  end
  return true
end

--- ent.write(world_or_scenario, path, spec) -> true | nil, message
-- Writes .ent, or JSON when path ends in .json.  Atomic.
function ent.write(obj, path, spec)
  if type(path) ~= "string" then util.argerror("write", 2, "file name expected, got " .. type(path)) end
  local ok, text = pcall(path:match("%.json$") and ent.encode_json or ent.format, obj, spec)
  if not ok then
    if tostring(text):match("^bad argument") then error(text, 2) end
    return nil, clean(text)
  end
  return ent.write_file(path, text)
end

------------------------------------------------------------------ comparing

--- ent.diff(w1, w2) -> nil when the worlds hold the same title, date,
-- description, sources, kinds, actors (names, tags, attributes), relations
-- (in order: actors, kind, strength, dates, source) and events; otherwise a
-- description of the first difference.
function ent.diff(a, b)
  local function s(v)
    if type(v) == "table" then return valuetext(v) end
    return tostring(v)
  end
  for _, k in ipairs {"title", "date", "description"} do
    if a[k] ~= b[k] then return k .. ": " .. s(a[k]) .. " vs " .. s(b[k]) end
  end
  if s(a.sources) ~= s(b.sources) then return "sources: " .. s(a.sources) .. " vs " .. s(b.sources) end
  local ka, kb = a:kinds(), b:kinds()
  if #ka ~= #kb then return "number of kinds: " .. #ka .. " vs " .. #kb end
  for i = 1, #ka do
    for _, f in ipairs {"name", "sign", "obligation", "strength", "directed", "defensive"} do
      if ka[i][f] ~= kb[i][f] then return "kind " .. ka[i].name .. " " .. f .. ": " .. s(ka[i][f]) .. " vs " .. s(kb[i][f]) end
    end
  end
  local aa, ab = a:actors(), b:actors()
  if #aa ~= #ab then return "number of actors: " .. #aa .. " vs " .. #ab end
  for i = 1, #aa do
    local x, y = aa[i], ab[i]
    if x.code ~= y.code then return "actor " .. i .. ": " .. x.code .. " vs " .. y.code end
    if x.name ~= y.name then return "actor " .. x.code .. " name: " .. x.name .. " vs " .. y.name end
    if s(x.tags) ~= s(y.tags) then return "actor " .. x.code .. " tags: " .. s(x.tags) .. " vs " .. s(y.tags) end
    local tx, ty = x:attrs(), y:attrs()
    for k, v in pairs(tx) do
      if v == v and ty[k] ~= v then return "actor " .. x.code .. " attribute " .. k .. ": " .. s(v) .. " vs " .. s(ty[k]) end
    end
    for k, v in pairs(ty) do
      if v == v and tx[k] ~= v then return "actor " .. x.code .. " attribute " .. k .. ": " .. s(tx[k]) .. " vs " .. s(v) end
    end
  end
  local ra, rb = a:relations(), b:relations()
  if #ra ~= #rb then return "number of relations: " .. #ra .. " vs " .. #rb end
  for i = 1, #ra do
    local x, y = ra[i]:info(), rb[i]:info()
    for _, f in ipairs {"a", "b", "kind", "strength", "since", "ends", "source"} do
      if x[f] ~= y[f] then return "relation " .. i .. " " .. f .. ": " .. s(x[f]) .. " vs " .. s(y[f]) end
    end
  end
  local ea, eb = {}, {}
  for id = 0, core.event_count(a._c) - 1 do local t = {core.event_get(a._c, id)}; if t[1] then ea[#ea + 1] = t end end
  for id = 0, core.event_count(b._c) - 1 do local t = {core.event_get(b._c, id)}; if t[1] then eb[#eb + 1] = t end end
  if #ea ~= #eb then return "number of events: " .. #ea .. " vs " .. #eb end
  for i = 1, #ea do
    local x, y = ea[i], eb[i]
    local cx = {x[1], x[2], core.actor_code(a._c, x[3]), x[4] and core.actor_code(a._c, x[4]), x[5], x[6], x[7]}
    local cy = {y[1], y[2], core.actor_code(b._c, y[3]), y[4] and core.actor_code(b._c, y[4]), y[5], y[6], y[7]}
    for j = 1, 7 do
      if cx[j] ~= cy[j] then return "event " .. i .. " field " .. j .. ": " .. s(cx[j]) .. " vs " .. s(cy[j]) end
    end
  end
  return nil
end

------------------------------------------------------------------ scenario

--- ent.materialize(value) -> a copy in which every distribution written
-- name(args) is the options engine's distribution object (entente.uniform,
-- entente.triangular, ...) and cinc(YEAR) the COW CINC scores of that year
-- by actor code (entente.cow.cinc).  Raises when the engine is not
-- installed, or the COW data has no such year.
function ent.materialize(v)
  if type(v) ~= "table" then return v end
  if is_cinc(v) then
    local cow = entente.cow
    if type(cow) ~= "table" or type(cow.cinc) ~= "function" then
      error("cinc(" .. string.format("%d", v[2]) .. ") needs the COW module (entente.cow)", 0)
    end
    local t, err = cow.cinc(v[2])
    if not t then error("cinc(" .. string.format("%d", v[2]) .. "): " .. tostring(err), 0) end
    return t
  end
  if getmetatable(v) == Tagged then
    local f = DISTS[v[1]] and entente[v[1]]
    if type(f) ~= "function" then
      error("distribution " .. tostring(v[1]) .. "(...) needs the options engine (entente." .. tostring(v[1]) .. ")", 0)
    end
    local args = {}
    for i = 2, #v do args[i - 1] = v[i] end
    return f(unpack(args, 1, #v - 1))
  end
  if is_dist(v) then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = ent.materialize(x) end
  return t
end

--- ent.scenario(world, spec) -> an options-engine scenario with the
-- declared options and responses | nil, message (engine missing or a
-- declared option refused by it, with the option's file:line).
function ent.scenario(w, spec)
  if type(entente.scenario) ~= "function" then
    return nil, "the options engine (entente.scenario) is not available"
  end
  local s = entente.scenario(w)
  for _, o in ipairs(spec and spec.options or {}) do
    local ok, err = pcall(function() s:option(o.actor, o.name, ent.materialize(o.changes)) end)
    if not ok then
      err = clean(err)
      if not err:find("option '" .. tostring(o.name) .. "'", 1, true) then err = "option '" .. tostring(o.name) .. "': " .. err end
      return nil, tostring(WHERE[o] or "?") .. ": " .. err
    end
  end
  for _, r in ipairs(spec and spec.responses or {}) do
    local ok, err = pcall(function() s:respond(r.rule, ent.materialize(r.params)) end)
    if not ok then return nil, tostring(WHERE[r] or "?") .. ": respond " .. tostring(r.rule) .. ": " .. clean(err) end
  end
  return s
end

--- ent.scenario_spec(scenario) -> the spec (options, responses) of an
-- options-engine scenario, for writing it; an option or rule given as a
-- Lua function is kept as a function (ent.write refuses it).
function ent.scenario_spec(sc)
  local spec = {options = {}, responses = {}, evaluate = {}, conflicts = {}, compare = {}}
  for i, o in ipairs(sc.options or {}) do
    local changes
    if o.fn then changes = o.fn
    else
      changes = {}
      for j, c in ipairs(o.changes or {}) do
        local item = {c.op, c.a, c.b, c.kind}
        if c.op == "add" then item.strength = c.value
        elseif c.op ~= "end" and c.mode then item[c.mode] = c.value end
        changes[j] = item
      end
    end
    spec.options[i] = {actor = o.actor, name = o.name, changes = changes}
  end
  for i, r in ipairs(sc.responses or {}) do
    if r.fn then
      spec.options[#spec.options + 1] = {actor = "?", name = "response rule " .. tostring(r.name), changes = r.fn}
    else
      spec.responses[i] = {rule = r.rule, params = r.params and next(r.params) and r.params or nil}
    end
  end
  return spec
end
entente.ent = ent
entente.read_ent = ent.read
entente.write_ent = ent.write
return ent
