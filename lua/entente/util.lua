-- entente.util: argument errors with suggestions, small table helpers.
local util = {}

-- Levenshtein distance, for "did you mean" suggestions.
function util.distance(s, t)
  local m, n = #s, #t
  local prev, cur = {}, {}
  for j = 0, n do prev[j] = j end
  for i = 1, m do
    cur[0] = i
    local si = s:byte(i)
    for j = 1, n do
      local cost = (si == t:byte(j)) and 0 or 1
      local v = prev[j] + 1
      if cur[j - 1] + 1 < v then v = cur[j - 1] + 1 end
      if prev[j - 1] + cost < v then v = prev[j - 1] + cost end
      cur[j] = v
    end
    prev, cur = cur, prev
  end
  return prev[n]
end

-- The candidate closest to word, if it is close enough to be a typo.
function util.closest(word, candidates)
  local best, bestd
  word = tostring(word):lower()
  for _, c in ipairs(candidates) do
    local d = util.distance(word, c:lower())
    if not bestd or d < bestd or (d == bestd and c < best) then best, bestd = c, d end
  end
  if best and bestd <= math.max(2, math.floor(#word / 3)) then return best end
  return nil
end

function util.suggest(word, candidates)
  local c = util.closest(word, candidates)
  return c and (" (did you mean '" .. c .. "'?)") or ""
end

-- Raise "bad argument #argn to 'fname' (msg)" at the caller of the API
-- function; level counts from the function that calls argerror.
function util.argerror(fname, argn, msg, level)
  error(string.format("bad argument #%d to '%s' (%s)", argn, fname, msg), (level or 2) + 1)
end

-- Reject option keys that are not known, naming the closest known one.
function util.checkopts(opts, known, fname, argn, level)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    util.argerror(fname, argn, "table expected, got " .. type(opts), (level or 2) + 1)
  end
  for k in pairs(opts) do
    if type(k) ~= "string" or not known[k] then
      local names = {} -- built only on error: this runs on every API call
      for n in pairs(known) do names[#names + 1] = n end
      table.sort(names)
      util.argerror(fname, argn, "unknown option '" .. tostring(k) .. "'" ..
        (type(k) == "string" and util.suggest(k, names) or ""), (level or 2) + 1)
    end
  end
  return opts
end

function util.set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

function util.sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
  return ks
end

-- Format a number for reports: integers without decimals, others to 4
-- significant digits unless digits is given.
function util.fmt(x, digits)
  if type(x) ~= "number" then return tostring(x) end
  if x ~= x then return "nan" end
  if x == math.floor(x) and math.abs(x) < 1e15 then return string.format("%d", x) end
  return string.format("%." .. (digits or 4) .. "g", x)
end

return util
