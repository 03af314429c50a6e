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

------------------------------------------------------- headless Chromium

-- Under make test-asan the sanitizer runtime is preloaded into the Lua
-- interpreter; the programs the specs start must not inherit it.
local CLEAN = os.getenv("LD_PRELOAD") and "env -u LD_PRELOAD " or ""

local function run_ok(cmd)
  local r = os.execute(CLEAN .. cmd)
  return r == true or r == 0
end

--- X.have(program) -> whether the program is on the PATH.
function X.have(prog)
  return run_ok("sh -c 'command -v " .. prog .. "' >/dev/null 2>&1")
end

--- X.tmpdir() -> a new empty directory; X.rmtree(dir) removes it.
function X.tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(run_ok("mkdir -p " .. "'" .. d .. "'"), "cannot make " .. d)
  return d
end

function X.rmtree(d)
  run_ok("rm -rf '" .. d .. "'")
end

--- X.chromium() -> the Chromium program, or nil when none is installed.
function X.chromium()
  for _, name in ipairs {"chromium", "chromium-browser", "google-chrome"} do
    if X.have(name) then return name end
  end
  return nil
end

-- Headless, as root in a container: no sandbox, no GPU, no network chatter,
-- a fresh profile each time.
X.CHROMIUM_FLAGS = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run " ..
  "--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars"

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function chromium(args)
  local prog = assert(X.chromium())
  local profile = X.tmpdir()
  -- a hung browser must not hang the suite
  local limit = X.have("timeout") and "timeout 180 " or ""
  local p = io.popen(CLEAN .. limit .. prog .. " " .. X.CHROMIUM_FLAGS .. " --user-data-dir=" .. q(profile) .. " " ..
    args .. " 2>/dev/null")
  local out = p:read("*a")
  p:close()
  X.rmtree(profile)
  return out
end

local function url(path)
  if path:sub(1, 1) ~= "/" then
    local p = io.popen(CLEAN .. "pwd")
    path = p:read("*l") .. "/" .. path
    p:close()
  end
  return "file://" .. path
end

--- X.screenshot(html_path, png_path, width, height) -> the PNG bytes, or nil.
function X.screenshot(html, png, width, height)
  os.remove(png)
  chromium("--window-size=" .. (width or 1200) .. "," .. (height or 900) .. " --screenshot=" .. q(png) .. " " ..
    q(url(html)))
  local f = io.open(png, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

--- X.dump_dom(html_path) -> the DOM after the page's scripts have run.
function X.dump_dom(html)
  return chromium("--virtual-time-budget=5000 --dump-dom " .. q(url(html)))
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function X.base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1, c2 = math.floor(n / 262144), math.floor(n / 4096) % 64
    local c3, c4 = math.floor(n / 64) % 64, n % 64
    out[#out + 1] = B64:sub(c1 + 1, c1 + 1) .. B64:sub(c2 + 1, c2 + 1) ..
      (b and B64:sub(c3 + 1, c3 + 1) or "=") .. (c and B64:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

--- X.png_stats(png_bytes, dir) -> {width=, height=, nonwhite= fraction, colours= count of
-- distinct colours (capped at 4096)}: the browser decodes the image (as a
-- data: URI, so the canvas is readable) and counts the pixels.
function X.png_stats(png, dir)
  local page = dir .. "/png_stats.html"
  write(page, '<!DOCTYPE html><html><body><img id="i" src="data:image/png;base64,' .. X.base64(png) .. '"/>' ..
    "<script>\n" ..
    "var img = document.getElementById('i');\n" ..
    "function go() { var c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;\n" ..
    "  var x = c.getContext('2d'); x.drawImage(img, 0, 0); var d = x.getImageData(0, 0, c.width, c.height).data;\n" ..
    "  var non = 0, seen = {}, n = 0;\n" ..
    "  for (var k = 0; k < d.length; k += 4) { if (d[k] < 245 || d[k+1] < 245 || d[k+2] < 245) non++;\n" ..
    "    var key = d[k] + ',' + d[k+1] + ',' + d[k+2]; if (n < 4096 && !seen[key]) { seen[key] = 1; n++; } }\n" ..
    "  document.body.setAttribute('data-stats', [c.width, c.height, non / (c.width * c.height), n].join(' ')); }\n" ..
    "if (img.complete) go(); else img.onload = go;\n</script></body></html>")
  local dom = X.dump_dom(page)
  os.remove(page)
  local w, h, non, n = dom:match('data%-stats="(%S+) (%S+) (%S+) (%S+)"')
  if not w then return nil, "the browser did not report on the image" end
  return {width = tonumber(w), height = tonumber(h), nonwhite = tonumber(non), colours = tonumber(n)}
end

--- X.rendered_overlaps(html_path) -> {checked = number of texts, overlaps = {"a / b"}}:
-- the page's SVG texts as the browser lays them out with its real fonts
-- (getBBox), pairs overlapping by more than half a pixel in each SVG.
X.OVERLAP_SCRIPT = [[
<script>
var res = [], checked = 0;
document.querySelectorAll('svg').forEach(function (s) {
  var boxes = [];
  s.querySelectorAll('text').forEach(function (t) {
    var txt = ''; t.childNodes.forEach(function (c) { if (c.nodeType === 3) txt += c.nodeValue; });
    if (!/\S/.test(txt)) return;
    var b = t.getBBox(); boxes.push([b.x, b.y, b.x + b.width, b.y + b.height, txt]); checked++;
  });
  for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
    var a = boxes[i], b = boxes[j];
    if (a[0] + 0.5 < b[2] && b[0] + 0.5 < a[2] && a[1] + 0.5 < b[3] && b[1] + 0.5 < a[3]) res.push(a[4] + ' / ' + b[4]);
  }
});
var pre = document.createElement('pre'); pre.id = 'overlaps';
pre.textContent = 'checked ' + checked + '\n' + res.join('\n'); document.body.appendChild(pre);
</script>]]

function X.rendered_overlaps(html)
  local dom = X.dump_dom(html)
  local body = dom:match('<pre id="overlaps">(.-)</pre>')
  if not body then return nil, "the browser did not report" end
  local n = tonumber(body:match("^checked (%d+)"))
  local list = {}
  for line in body:gmatch("\n([^\n]+)") do list[#list + 1] = line end
  return {checked = n, overlaps = list}
end

return X
