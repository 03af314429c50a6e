--- entente.svg: a tiny SVG writer with escaping and text measuring.
--
--   local svg = require "entente.svg"
--   local d = svg.new(400, 200, {title = "Scores"})
--   d:rect(10, 10, 100, 20, {fill = "#4477aa", class = "bar"})
--   d:text(10, 50, "Côte d'Ivoire & co", {size = 12, anchor = "start"})
--   local text = d:render()             -- a standalone SVG document
--
-- Every attribute value and every text is escaped; numbers are written with
-- at most two decimals (no exponent, no locale), and a NaN or an infinite
-- coordinate raises naming the attribute, so a broken computation never
-- produces a silently empty picture.
--
-- Text is measured with svg.text_width, an estimate from the advance widths
-- of DejaVu Sans (wider than Arial, Helvetica and Liberation Sans, which the
-- documents ask for first), so a layout that keeps the estimated boxes apart
-- keeps the real ones apart too.
local svg = {}

svg.FONT = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"

local ESC = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}

--- svg.escape(s) -> s with & < > " ' replaced by entities; control
-- characters other than tab and newline (not allowed in XML 1.0) dropped.
function svg.escape(s)
  s = tostring(s)
  s = s:gsub("[%c]", function(c)
    if c == "\t" or c == "\n" then return c end
    return ""
  end)
  return (s:gsub("[&<>\"']", ESC))
end

--- svg.num(x, what) -> "12.5": at most two decimals, "-0" written "0".
function svg.num(x, what)
  if type(x) ~= "number" or x ~= x or x == math.huge or x == -math.huge then
    error("entente.svg: " .. (what or "number") .. " is not a finite number: " ..
      (x ~= x and "nan" or tostring(x)), 3)
  end
  local s = string.format("%.2f", x)
  s = s:gsub("%.?0+$", "")
  if s == "-0" or s == "" then s = "0" end
  return s
end

-- Advance widths of DejaVu Sans in em (2048 units), rounded up.
local W = {
  [" "] = 0.32, ["!"] = 0.40, ['"'] = 0.46, ["#"] = 0.84, ["$"] = 0.64, ["%"] = 0.95, ["&"] = 0.78,
  ["'"] = 0.28, ["("] = 0.39, [")"] = 0.39, ["*"] = 0.50, ["+"] = 0.84, [","] = 0.32, ["-"] = 0.37,
  ["."] = 0.32, ["/"] = 0.34, [":"] = 0.34, [";"] = 0.34, ["<"] = 0.84, ["="] = 0.84, [">"] = 0.84,
  ["?"] = 0.54, ["@"] = 1.0, ["["] = 0.39, ["\\"] = 0.34, ["]"] = 0.39, ["^"] = 0.84, ["_"] = 0.50,
  ["`"] = 0.50, ["{"] = 0.64, ["|"] = 0.34, ["}"] = 0.64, ["~"] = 0.84,
  a = 0.62, b = 0.64, c = 0.56, d = 0.64, e = 0.62, f = 0.36, g = 0.64, h = 0.64, i = 0.28,
  j = 0.28, k = 0.58, l = 0.28, m = 0.98, n = 0.64, o = 0.62, p = 0.64, q = 0.64, r = 0.42,
  s = 0.53, t = 0.40, u = 0.64, v = 0.60, w = 0.82, x = 0.60, y = 0.60, z = 0.53,
  A = 0.69, B = 0.69, C = 0.70, D = 0.77, E = 0.64, F = 0.58, G = 0.78, H = 0.76, I = 0.30,
  J = 0.30, K = 0.66, L = 0.56, M = 0.87, N = 0.75, O = 0.79, P = 0.61, Q = 0.79, R = 0.70,
  S = 0.64, T = 0.62, U = 0.74, V = 0.69, W = 0.99, X = 0.69, Y = 0.62, Z = 0.69,
}
for d = 0, 9 do W[tostring(d)] = 0.64 end

local UTF8_CHAR = "[^\128-\191][\128-\191]*"

--- svg.text_width(s, size, bold) -> estimated width in user units.
function svg.text_width(s, size, bold)
  local em = 0
  for ch in tostring(s):gmatch(UTF8_CHAR) do
    em = em + (W[ch] or (#ch > 1 and 1.0 or 0.64))
  end
  return em * (size or 12) * (bold and 1.1 or 1)
end

--- svg.fit(s, size, maxw, bold) -> s, or s cut with an ellipsis so that its
-- estimated width is at most maxw; second result true when it was cut.
function svg.fit(s, size, maxw, bold)
  s = tostring(s)
  if svg.text_width(s, size, bold) <= maxw then return s, false end
  local chars = {}
  for ch in s:gmatch(UTF8_CHAR) do chars[#chars + 1] = ch end
  local ell = "\226\128\166" -- U+2026
  for n = #chars - 1, 0, -1 do
    local t = table.concat(chars, "", 1, n) .. ell
    if svg.text_width(t, size, bold) <= maxw then return t, true end
  end
  return "", true
end

-- Attribute order is fixed (sorted) so that output is reproducible.
local function attrs_string(attrs)
  if not attrs then return "" end
  local keys = {}
  for k in pairs(attrs) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = attrs[k]
    if type(v) == "number" then v = svg.num(v, "attribute '" .. k .. "'")
    elseif type(v) == "boolean" then v = v and "true" or "false"
    else v = svg.escape(v) end
    out[#out + 1] = " " .. k .. '="' .. v .. '"'
  end
  return table.concat(out)
end

local Doc = {}
Doc.__index = Doc

--- svg.new(width, height, {title=, desc=, background=, class=}) -> document
function svg.new(width, height, opts)
  opts = opts or {}
  svg.num(width, "width"); svg.num(height, "height")
  local d = setmetatable({width = width, height = height, class = opts.class, title = opts.title, parts = {}}, Doc)
  if opts.title then d:element("title", nil, opts.title) end
  if opts.desc then d:element("desc", nil, opts.desc) end
  d:element("rect", {x = 0, y = 0, width = "100%", height = "100%", fill = opts.background or "#ffffff",
    class = "background"})
  return d
end

--- d:element(tag, attrs, text): one element, with escaped text content.
function Doc:element(tag, attrs, text)
  if text == nil then
    self.parts[#self.parts + 1] = "<" .. tag .. attrs_string(attrs) .. "/>"
  else
    self.parts[#self.parts + 1] = "<" .. tag .. attrs_string(attrs) .. ">" .. svg.escape(text) .. "</" .. tag .. ">"
  end
  return self
end

--- d:open(tag, attrs) ... d:close(): a container element (g, a, ...).
function Doc:open(tag, attrs)
  self.parts[#self.parts + 1] = "<" .. tag .. attrs_string(attrs) .. ">"
  self.stack = self.stack or {}
  self.stack[#self.stack + 1] = tag
  return self
end

function Doc:close()
  local tag = table.remove(self.stack or {})
  if not tag then error("entente.svg: close() without open()", 2) end
  self.parts[#self.parts + 1] = "</" .. tag .. ">"
  return self
end

-- Copy attrs and add more (the caller's table is not changed).
local function with(attrs, extra)
  local t = {}
  for k, v in pairs(attrs or {}) do t[k] = v end
  for k, v in pairs(extra) do t[k] = v end
  return t
end

function Doc:rect(x, y, w, h, attrs)
  if w < 0 then x, w = x + w, -w end
  if h < 0 then y, h = y + h, -h end
  return self:element("rect", with(attrs, {x = x, y = y, width = w, height = h}))
end

function Doc:line(x1, y1, x2, y2, attrs)
  return self:element("line", with(attrs, {x1 = x1, y1 = y1, x2 = x2, y2 = y2}))
end

function Doc:circle(cx, cy, r, attrs)
  return self:element("circle", with(attrs, {cx = cx, cy = cy, r = r}))
end

--- d:polyline({x1, y1, x2, y2, ...}, attrs)
function Doc:polyline(xy, attrs)
  local pts = {}
  for i = 1, #xy, 2 do pts[#pts + 1] = svg.num(xy[i], "x") .. "," .. svg.num(xy[i + 1], "y") end
  return self:element("polyline", with(attrs, {points = table.concat(pts, " "), fill = (attrs or {}).fill or "none"}))
end

function Doc:polygon(xy, attrs)
  local pts = {}
  for i = 1, #xy, 2 do pts[#pts + 1] = svg.num(xy[i], "x") .. "," .. svg.num(xy[i + 1], "y") end
  return self:element("polygon", with(attrs, {points = table.concat(pts, " ")}))
end

--- d:text(x, y, s, {size=, anchor="start"|"middle"|"end", bold=, fill=, title=, class=})
-- y is the baseline.  `title` adds a tooltip (the full text of a cut label).
function Doc:text(x, y, s, opts)
  opts = opts or {}
  local a = {x = x, y = y, ["font-size"] = opts.size or 12, fill = opts.fill or "#222222",
    class = opts.class or "label"}
  if opts.anchor and opts.anchor ~= "start" then a["text-anchor"] = opts.anchor end
  if opts.bold then a["font-weight"] = "bold" end
  if opts.italic then a["font-style"] = "italic" end
  if opts.title then
    self.parts[#self.parts + 1] = "<text" .. attrs_string(a) .. "><title>" .. svg.escape(opts.title) ..
      "</title>" .. svg.escape(s) .. "</text>"
    return self
  end
  return self:element("text", a, s)
end

--- d:raw(s): append trusted markup as it is.
function Doc:raw(s)
  self.parts[#self.parts + 1] = s
  return self
end

--- d:render() -> the document text (with an XML declaration).  The size is
-- read now, so a layout may set d.height once it knows it.
function Doc:render()
  if self.stack and #self.stack > 0 then
    error("entente.svg: element <" .. self.stack[#self.stack] .. "> left open", 2)
  end
  local w, h = self.width, self.height
  local head = '<svg xmlns="http://www.w3.org/2000/svg"' .. attrs_string {
    width = w, height = h, viewBox = "0 0 " .. svg.num(w, "width") .. " " .. svg.num(h, "height"),
    ["font-family"] = svg.FONT, class = self.class, role = "img",
  } .. ">"
  return '<?xml version="1.0" encoding="UTF-8"?>\n' .. head .. "\n" .. table.concat(self.parts, "\n") .. "\n</svg>\n"
end

--- svg.inline(text) -> an SVG document without its XML declaration and
-- DOCTYPE, to be put inside an HTML page.
function svg.inline(text)
  local prev
  repeat
    prev = text
    text = text:gsub("^%s*<%?xml.-%?>", ""):gsub("^%s*<!%-%-.-%-%->", ""):gsub("^%s*<!DOCTYPE[^>]*>", "")
  until text == prev
  return (text:gsub("^%s+", ""))
end

--- svg.write(path, text) -> path, or nil and a message.
function svg.write(path, text)
  local f, err = io.open(path, "wb")
  if not f then return nil, "cannot write '" .. tostring(path) .. "': " .. tostring(err) end
  f:write(text)
  f:close()
  return path
end

return svg
