-- Helpers for the picture specs (map, chart, html): a small, strict XML
-- parser written for these specs (well-formedness per XML 1.0: one root,
-- nesting, quoted unique attributes, known entities, no raw < or & in
-- text), queries on the tree, and a check that text boxes do not overlap.
-- Not a spec itself (no _spec suffix); loaded with dofile.
local X = {}

local ENTITIES = {amp = "&", lt = "<", gt = ">", quot = '"', apos = "'"}

local function utf8char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
    0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end

-- Replace entity and character references; error on an unknown one or a bare &.
local function unescape(s, where)
  return (s:gsub("&([^;]*);?", function(name)
    local num = name:match("^#(%d+)$")
    if num then return utf8char(tonumber(num)) end
    local hex = name:match("^#x(%x+)$")
    if hex then return utf8char(tonumber(hex, 16)) end
    local e = ENTITIES[name]
    if not e then error("XML: bad entity reference '&" .. name .. "' " .. where, 0) end
    return e
  end))
end

local NAME = "[%a_:][%w_:%.%-]*"

--- X.parse(text) -> root element {tag=, attrs=, children=, parent=}, or raises
-- "XML: ... at byte N".
function X.parse(s)
  local pos = 1
  local n = #s
  local root
  local stack = {}
  local function at() return "at byte " .. pos end
  local function err(msg) error("XML: " .. msg .. " " .. at(), 0) end
  if s:sub(1, 3) == "\239\187\191" then pos = 4 end
  while pos <= n do
    local lt = s:find("<", pos, true)
    local text = s:sub(pos, (lt or n + 1) - 1)
    if text ~= "" then
      if text:find(">", 1, true) and text:find("]]>", 1, true) then err("']]>' in text") end
      if #stack == 0 then
        if text:find("%S") then err("text outside the root element") end
      else
        local t = unescape(text, at())
        local top = stack[#stack]
        top.children[#top.children + 1] = t
      end
    end
    if not lt then break end
    pos = lt
    if s:sub(pos, pos + 3) == "<!--" then
      local e = s:find("-->", pos + 4, true)
      if not e then err("unterminated comment") end
      if s:sub(pos + 4, e - 1):find("--", 1, true) then err("'--' inside a comment") end
      pos = e + 3
    elseif s:sub(pos, pos + 8) == "<![CDATA[" then
      if #stack == 0 then err("CDATA outside the root element") end
      local e = s:find("]]>", pos + 9, true)
      if not e then err("unterminated CDATA") end
      local top = stack[#stack]
      top.children[#top.children + 1] = s:sub(pos + 9, e - 1)
      pos = e + 3
    elseif s:sub(pos, pos + 1) == "<?" then
      local e = s:find("?>", pos + 2, true)
      if not e then err("unterminated processing instruction") end
      pos = e + 2
    elseif s:sub(pos, pos + 8) == "<!DOCTYPE" then
      if root then err("DOCTYPE after the root element") end
      local e = s:find(">", pos, true)
      local bracket = s:find("[", pos, true)
      if bracket and e and bracket < e then e = s:find("]%s*>", bracket) ; e = e and s:find(">", e, true) end
      if not e then err("unterminated DOCTYPE") end
      pos = e + 1
    elseif s:sub(pos, pos + 1) == "</" then
      local name, e = s:match("^</(" .. NAME .. ")%s*>()", pos)
      if not name then err("bad end tag") end
      local top = table.remove(stack)
      if not top then err("end tag </" .. name .. "> without a start tag") end
      if top.tag ~= name then err("end tag </" .. name .. "> closes <" .. top.tag .. ">") end
      pos = e
    else
      local name, p = s:match("^<(" .. NAME .. ")()", pos)
      if not name then err("bad start tag") end
      if #stack == 0 and root then err("a second root element <" .. name .. ">") end
      local el = {tag = name, attrs = {}, children = {}, parent = stack[#stack]}
      local seen = {}
      while true do
        local ws, q = s:match("^(%s*)()", p)
        p = q
        if s:sub(p, p + 1) == "/>" then p = p + 2; el.empty = true; break end
        if s:sub(p, p) == ">" then p = p + 1; break end
        if ws == "" then pos = p; err("attributes of <" .. name .. "> need white space between them") end
        local an, quote, rest = s:match("^(" .. NAME .. ")%s*=%s*(['\"])()", p)
        if not an then pos = p; err("bad attribute in <" .. name .. ">") end
        local close = s:find(quote, rest, true)
        if not close then pos = p; err("unterminated attribute value in <" .. name .. ">") end
        local raw = s:sub(rest, close - 1)
        if raw:find("<", 1, true) then pos = p; err("'<' in the value of attribute '" .. an .. "'") end
        if seen[an] then pos = p; err("duplicate attribute '" .. an .. "' in <" .. name .. ">") end
        seen[an] = true
        el.attrs[an] = unescape(raw, at())
        p = close + 1
      end
      if el.parent then el.parent.children[#el.parent.children + 1] = el end
      if not root then root = el end
      if not el.empty then stack[#stack + 1] = el end
      pos = p
    end
  end
  if #stack > 0 then err("<" .. stack[#stack].tag .. "> is not closed") end
  if not root then err("no root element") end
  return root
end

--- X.lxp_ok(text) -> true, or false and the message of lua-expat when it is
-- installed (a second, independent parser); nil when it is not.
function X.lxp_ok(text)
  local ok, lxp = pcall(require, "lxp")
  if not ok then return nil end
  local p = lxp.new({})
  local r, msg, line = p:parse(text)
  if r then r, msg, line = p:parse() end
  p:close()
  if not r then return false, tostring(msg) .. " at line " .. tostring(line) end
  return true
end

-- Every element below el (depth first), filtered by f.
function X.all(el, f)
  local out = {}
  local function walk(e)
    if f(e) then out[#out + 1] = e end
    for _, c in ipairs(e.children) do if type(c) == "table" then walk(c) end end
  end
  walk(el)
  return out
end

function X.has_class(e, class)
  local c = e.attrs.class
  if not c then return false end
  for word in c:gmatch("%S+") do if word == class then return true end end
  return false
end

--- X.find(root, tag, class) -> elements with that tag (and class, if given).
function X.find(root, tag, class)
  return X.all(root, function(e) return (tag == nil or e.tag == tag) and (class == nil or X.has_class(e, class)) end)
end

--- X.text(el) -> its text, without the text of <title> children (tooltips).
function X.text(el)
  local parts = {}
  for _, c in ipairs(el.children) do
    if type(c) == "string" then parts[#parts + 1] = c
    elseif c.tag ~= "title" then parts[#parts + 1] = X.text(c) end
  end
  return table.concat(parts)
end

--- X.text_boxes(root, measure) -> {x0, y0, x1, y1, text} for every <text>:
-- width from measure(text, size, bold), height from the font size (ascent
-- 0.8 em above the baseline, descent 0.25 em below).
function X.text_boxes(root, measure)
  local boxes = {}
  for _, t in ipairs(X.find(root, "text")) do
    local s = X.text(t)
    if s:find("%S") then
      local size = tonumber(t.attrs["font-size"]) or 12
      local x, y = tonumber(t.attrs.x), tonumber(t.attrs.y)
      local w = measure(s, size, t.attrs["font-weight"] == "bold")
      local anchor = t.attrs["text-anchor"] or "start"
      local x0 = anchor == "middle" and x - w / 2 or anchor == "end" and x - w or x
      boxes[#boxes + 1] = {x0, y - 0.8 * size, x0 + w, y + 0.25 * size, s}
    end
  end
  return boxes
end

--- X.overlaps(boxes) -> list of "text A / text B" for pairs that overlap.
function X.overlaps(boxes)
  local out = {}
  for i = 1, #boxes do
    local a = boxes[i]
    for j = i + 1, #boxes do
      local b = boxes[j]
      if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4] then
        out[#out + 1] = "'" .. a[5] .. "' / '" .. b[5] .. "'"
      end
    end
  end
  return out
end

--- X.outside(boxes, width, height) -> texts that leave the canvas.
function X.outside(boxes, width, height)
  local out = {}
  for _, b in ipairs(boxes) do
    if b[1] < 0 or b[2] < 0 or b[3] > width or b[4] > height then out[#out + 1] = b[5] end
  end
  return out
end

return X
