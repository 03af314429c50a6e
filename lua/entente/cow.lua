-- entente.cow: Correlates of War and ATOP data, capability (CINC) and
-- alliance-portfolio similarity (S, kappa, pi, tau-b).  Installed on World
-- by init.lua; see docs/cow.md for the API, the formulas and their sources.
--
--   local w = entente.cow.load {year = 1914}
--   w:cinc()                               --> {USA = 0.2063, UKG = 0.1379, ...}
--   w:similarity("UKG", "FRN")             --> S of the two alliance portfolios
--   w:similarity_matrix {actors = {"UKG", "FRN", "RUS", "GMY"}, method = "kappa"}
local csv = require "entente.csv"
local util = require "entente.util"

local argerror, checkopts = util.argerror, util.checkopts
local floor = math.floor
local NAN = 0 / 0

-- ATOP obligation flags (as in csrc/similarity.h) and the kinds they map to.
local OBLIGATIONS = {
  {bit = 1, column = "atop_defense", kind = "defence"},
  {bit = 2, column = "atop_offense", kind = "offence"},
  {bit = 4, column = "atop_neutral", kind = "neutrality"},
  {bit = 8, column = "atop_nonagg", kind = "nonaggression"},
  {bit = 16, column = "atop_consul", kind = "consultation"},
}
local COMPONENTS = {"milex", "milper", "irst", "pec", "tpop", "upop"}

local function hasbit(flags, bit) return floor(flags / bit) % 2 == 1 end

-- Where this file lives, to find the repository's data/cow.
local function default_dir()
  local env = os.getenv("ENTENTE_COW_DIR")
  if env and env ~= "" then return env end
  local src = debug.getinfo(1, "S").source
  if src:sub(1, 1) == "@" then
    local root = src:sub(2):gsub("[^/\\]*$", ""):gsub("[/\\]?lua[/\\]entente[/\\]$", "")
    if root == "" then root = "." end
    return root .. "/data/cow"
  end
  return "data/cow"
end

return function(entente, World)
  local core = entente.core
  local cow = {}
  entente.cow = cow

  ------------------------------------------------------------ reading

  -- A stricter wrapper: validates the header first (so `idx` is set).
  local function read_table(dir, file, columns, fn)
    local path = dir .. "/" .. file
    local f = io.open(path, "rb")
    if not f then return nil, "cannot open " .. path .. " (COW data directory: " .. dir .. ")" end
    local first = f:read("*l") or ""
    f:close()
    local idx = {}
    local hdr = csv.parse(first:gsub("\r$", "") .. "\n", path)
    if not hdr then return nil, path .. ":1:1: unreadable header" end
    for i, name in ipairs(hdr) do idx[name] = i end
    for _, c in ipairs(columns) do
      if not idx[c] then return nil, path .. ":1:1: missing column '" .. c .. "'" end
    end
    -- one getter for all rows (no closure per row: the trade file has 673k)
    local cur, curwhere
    local function get(col) return cur[idx[col]] end
    local function where(col) return curwhere(idx[col]) end
    local h, err = csv.read(path, {name = path, each = function(r, w)
      cur, curwhere = r, w
      return fn(get, where)
    end})
    if not h then return nil, err end
    return true
  end

  -- Number in a field; nil when missing; false, message when malformed.
  local function number(get, where, col, required)
    local v = get(col)
    if v == nil then
      if required then return false, where(col) .. ": missing value in column '" .. col .. "'" end
      return nil
    end
    local x = tonumber(v)
    if not x then return false, where(col) .. ": '" .. v .. "' in column '" .. col .. "' is not a number" end
    return x
  end

  -- Read numeric columns of a row into t; returns false, msg on a bad value.
  local function numbers(get, where, cols, required, t)
    for _, c in ipairs(cols) do
      local x, err = number(get, where, c, required[c])
      if x == false then return false, err end
      t[c] = x
    end
    return t
  end

  ------------------------------------------------------------ dataset

  local Dataset = {}
  Dataset.__index = Dataset
  local datasets = {}

  --- entente.cow.dataset(dir) -> the COW tables of dir (default: the
  -- repository's data/cow, or $ENTENTE_COW_DIR), each read on first use and
  -- kept.  Returns nil, message when dir has no readable cow_states.csv.
  function cow.dataset(dir)
    if dir ~= nil and type(dir) ~= "string" then
      argerror("cow.dataset", 1, "directory path expected, got " .. type(dir))
    end
    dir = dir or default_dir()
    local ds = datasets[dir]
    if ds then return ds end
    ds = setmetatable({dir = dir}, Dataset)
    local ok, err = ds:_states()
    if not ok then return nil, err end
    datasets[dir] = ds
    return ds
  end

  function Dataset:_states()
    if self.abb then return true end
    local abb, ccode, name, spells = {}, {}, {}, {}
    local ok, err = read_table(self.dir, "cow_states.csv",
      {"stateabb", "ccode", "statenme", "styear", "endyear"}, function(get, where)
        local t, e = numbers(get, where, {"ccode", "styear", "endyear"},
          {ccode = true, styear = true, endyear = true}, {})
        if not t then return false, e end
        local a = get("stateabb")
        if not a then return false, where("stateabb") .. ": missing state abbreviation" end
        abb[t.ccode], ccode[a], name[t.ccode] = a, t.ccode, get("statenme") or a
        spells[#spells + 1] = {ccode = t.ccode, from = t.styear, to = t.endyear}
      end)
    if not ok then return nil, err end
    self.abb, self.ccode, self.name, self.spells = abb, ccode, name, spells
    return true
  end

  function Dataset:_nmc()
    if self.nmc then return true end
    local years = {}
    local ok, err = read_table(self.dir, "nmc.csv", {"ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop"},
      function(get, where)
        local t, e = numbers(get, where, {"ccode", "year"}, {ccode = true, year = true}, {})
        if not t then return false, e end
        local y = years[t.year]
        if not y then y = {ccodes = {}, rows = {}}; years[t.year] = y end
        local r = {ccode = t.ccode}
        for _, c in ipairs(COMPONENTS) do
          local x, e2 = number(get, where, c, false)
          if x == false then return false, e2 end
          if x and x < 0 then return false, where(c) .. ": negative value " .. get(c) .. " in column '" .. c .. "'" end
          r[c] = x
        end
        y.rows[#y.rows + 1] = r
      end)
    if not ok then return nil, err end
    local first, last
    for year, y in pairs(years) do
      table.sort(y.rows, function(a, b) return a.ccode < b.ccode end)
      y.index = {}
      for k, r in ipairs(y.rows) do
        y.ccodes[k] = r.ccode
        if y.index[r.ccode] then
          return nil, self.dir .. "/nmc.csv: duplicate state-year " .. string.format("%d %d", r.ccode, year)
        end
        y.index[r.ccode] = k
      end
      if not first or year < first then first = year end
      if not last or year > last then last = year end
    end
    self.nmc, self.first_year, self.last_year = years, first, last
    return true
  end

  -- The system of a year: {ccodes = sorted list, index = {ccode = k},
  -- rows = NMC rows}; nil, message when the year is not covered.
  function Dataset:system(year)
    local ok, err = self:_nmc()
    if not ok then return nil, err end
    local y = self.nmc[year]
    if not y then
      return nil, string.format("no COW state system for year %s (NMC covers %d-%d)", tostring(year),
        self.first_year, self.last_year)
    end
    return y
  end

  --- ds:cinc(year) -> {ccode = cinc}, {ccode = {milex = share, ...}} (cached)
  function Dataset:cinc(year)
    local y, err = self:system(year)
    if not y then return nil, err end
    if not y.cinc then
      local comp, n = {}, #y.rows
      for k, r in ipairs(y.rows) do
        for c, name in ipairs(COMPONENTS) do
          local v = r[name]
          if v == nil then v = NAN end
          comp[(k - 1) * 6 + c] = v
        end
      end
      local cinc, shares = core.cinc(comp, n)
      y.cinc, y.shares = {}, {}
      for k, r in ipairs(y.rows) do
        y.cinc[r.ccode] = cinc[k]
        local s = {}
        for c, name in ipairs(COMPONENTS) do
          local v = shares[(k - 1) * 6 + c]
          if v == v then s[name] = v end
        end
        y.shares[r.ccode] = s
      end
      y.cinc_list = cinc
    end
    return y.cinc, y.shares
  end

  function Dataset:_atop()
    if self.atop then return true end
    local store = core.atop_new()
    local cols = {"ccode1", "ccode2", "year"}
    local req = {ccode1 = true, ccode2 = true, year = true}
    local t = {}
    local ok, err = read_table(self.dir, "atop_alliance.csv",
      {"ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"},
      function(get, where)
        local _, e = numbers(get, where, cols, req, t)
        if e then return false, e end
        local flags = 0
        for _, o in ipairs(OBLIGATIONS) do
          local v = get(o.column)
          if v == "1" then flags = flags + o.bit
          elseif v ~= "0" then
            return false, where(o.column) .. ": '" .. tostring(v) .. "' in column '" .. o.column .. "' is not 0 or 1"
          end
        end
        if t.ccode1 < 0 or t.ccode1 > 9999 or t.ccode2 < 0 or t.ccode2 > 9999 or t.ccode1 ~= floor(t.ccode1)
          or t.ccode2 ~= floor(t.ccode2) or t.year ~= floor(t.year) then
          return false, where("ccode1") .. ": bad COW code or year"
        end
        core.atop_add(store, t.year, t.ccode1, t.ccode2, flags)
      end)
    if not ok then return nil, err end
    core.atop_year(store, 0) -- sorts the rows by year once, here
    self.atop = store
    return true
  end

  -- Generic small tables: read once into a list of records of numbers
  -- (and the string columns listed in strs).
  local function simple_table(ds, key, file, numcols, required, strs)
    if ds[key] then return ds[key] end
    local list = {}
    local cols = {}
    for _, c in ipairs(numcols) do cols[#cols + 1] = c end
    for _, c in ipairs(strs or {}) do cols[#cols + 1] = c end
    local req = {}
    for _, c in ipairs(required) do req[c] = true end
    local ok, err = read_table(ds.dir, file, cols, function(get, where)
      local t, e = numbers(get, where, numcols, req, {})
      if not t then return false, e end
      for _, c in ipairs(strs or {}) do t[c] = get(c) end
      list[#list + 1] = t
    end)
    if not ok then return nil, err end
    ds[key] = list
    return list
  end

  --- ds:majors(), ds:wars(), ds:rivalries(), ds:disputes(), ds:contiguity():
  -- the rows of the tables as lists of records (see data/cow/README.md).
  function Dataset:majors()
    return simple_table(self, "_majors", "cow_majors.csv",
      {"ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"},
      {"ccode", "styear", "endyear"})
  end

  function Dataset:wars()
    return simple_table(self, "_wars", "cow_war_inter.csv",
      {"warnum", "ccode1", "ccode2", "year", "cowinteronset", "sidea1", "sidea2", "initiator1", "initiator2",
       "outcome1", "outcome2", "batdeath1", "batdeath2", "resume"},
      {"warnum", "ccode1", "ccode2", "year"})
  end

  function Dataset:rivalries()
    return simple_table(self, "_rivalries", "td_rivalries.csv",
      {"rivalryno", "ccode1", "ccode2", "styear", "endyear"}, {"ccode1", "ccode2", "styear", "endyear"},
      {"rivalryname", "region", "type1", "type2", "type3"})
  end

  function Dataset:disputes()
    return simple_table(self, "_disputes", "cow_mid_disps.csv",
      {"dispnum", "styear", "stmon", "outcome", "settle", "fatality", "mindur", "maxdur", "hiact", "hostlev", "recip"},
      {"dispnum", "styear"})
  end

  function Dataset:contiguity()
    return simple_table(self, "_contiguity", "cow_contdir.csv", {"ccode1", "ccode2", "conttype"},
      {"ccode1", "ccode2", "conttype"}, {"stdate", "enddate"})
  end

  --- ds:trade(year) -> list of {ccode1, ccode2, flow1, flow2} (million USD;
  -- nil where missing).  The 15 MB file is read on the first call only.
  function Dataset:trade(year)
    if not self._trade then
      -- per year, four flat arrays (ccode1, ccode2, flow1, flow2): compact
      local by = {}
      local cols = {"ccode1", "ccode2", "year", "flow1", "flow2"}
      local req = {ccode1 = true, ccode2 = true, year = true}
      local t = {}
      local ok, err = read_table(self.dir, "cow_trade_ndy.csv", cols, function(get, where)
        local _, e = numbers(get, where, cols, req, t)
        if e then return false, e end
        local l = by[t.year]
        if not l then l = {n = 0, {}, {}, {}, {}}; by[t.year] = l end
        local n = l.n + 1
        l.n = n
        l[1][n], l[2][n], l[3][n], l[4][n] = t.ccode1, t.ccode2, t.flow1 or NAN, t.flow2 or NAN
      end)
      if not ok then return nil, err end
      self._trade = by
    end
    local l = self._trade[year]
    local rows = {}
    if l then
      for k = 1, l.n do
        local f1, f2 = l[3][k], l[4][k]
        rows[k] = {ccode1 = l[1][k], ccode2 = l[2][k], flow1 = f1 == f1 and f1 or nil, flow2 = f2 == f2 and f2 or nil}
      end
    end
    return rows
  end

  function Dataset:is_major(ccode, year)
    local majors = assert(self:majors())
    for _, m in ipairs(majors) do
      if m.ccode == ccode and m.styear <= year and year <= m.endyear then return true end
    end
    return false
  end

  -- ccode of a state abbreviation (or a number) or nil.
  function Dataset:code(x)
    if type(x) == "number" then return self.abb[x] and x or nil end
    return self.ccode[x]
  end

  ---------------------------------------------------------- load a world

  local LOAD_OPTS = util.set {"year", "dir", "alliances", "wars", "rivalries", "trade", "contiguity", "title"}

  -- First and last year of the run of consecutive years around `year` for
  -- which test(y) holds (test(year) is true).
  local function run(year, test, lo, hi)
    local a, b = year, year
    while a > lo and test(a - 1) do a = a - 1 end
    while b < hi and test(b + 1) do b = b + 1 end
    return a, b
  end

  local function ystr(y) return string.format("%04d-01-01", y) end

  local function load_alliances(w, ds, year, actor_of)
    local ok, err = ds:_atop()
    if not ok then return nil, err end
    local store = ds.atop
    local c1, c2, fl = core.atop_year(store, year)
    local flags, pairs_ = {}, {}
    for i = 1, #c1 do
      flags[c1[i] * 10000 + c2[i]] = fl[i]
      local a, b = c1[i], c2[i]
      if a > b then a, b = b, a end
      local key = a * 10000 + b
      if not pairs_[key] and actor_of[a] and actor_of[b] and a ~= b then
        pairs_[key] = true
        pairs_[#pairs_ + 1] = {a, b}
      end
    end
    table.sort(pairs_, function(x, y) if x[1] ~= y[1] then return x[1] < y[1] end return x[2] < y[2] end)
    local function f(y, a, b) return core.atop_flags(store, y, a, b) or 0 end
    -- A pledge only one side made binds only that side: it gets a directed
    -- twin of its kind ("defence_onesided", a obliged to b), so that the
    -- entrapment cascade and w:obligations do not read it both ways.
    local function onesided(kind)
      local name = kind .. "_onesided"
      if not core.kind_find(w._c, name) then
        local k = w:kind(kind)
        w:define_kind(name, {sign = k.sign, obligation = k.obligation, strength = k.strength,
          directed = true, defensive = k.defensive})
      end
      return name
    end
    for _, p in ipairs(pairs_) do
      local a, b = p[1], p[2]
      local fab, fba = flags[a * 10000 + b] or 0, flags[b * 10000 + a] or 0
      for _, o in ipairs(OBLIGATIONS) do
        local ab, ba = hasbit(fab, o.bit), hasbit(fba, o.bit)
        if ab or ba then
          local from, to, source, test
          if ab and ba then
            from, to, source = a, b, "ATOP 5.1"
            test = function(y) return hasbit(f(y, a, b), o.bit) and hasbit(f(y, b, a), o.bit) end
          else
            from, to = a, b
            if ba then from, to = b, a end
            source = "ATOP 5.1 (one-sided: " .. ds.abb[from] .. " to " .. ds.abb[to] .. ")"
            test = function(y) return hasbit(f(y, from, to), o.bit) and not hasbit(f(y, to, from), o.bit) end
          end
          local y0, y1 = run(year, test, 1815, 2018)
          w:relate(actor_of[from], actor_of[to], (ab and ba) and o.kind or onesided(o.kind),
            {since = ystr(y0), ends = ystr(y1 + 1), source = source})
        end
      end
    end
    return true
  end

  local function load_wars(w, ds, year, actor_of)
    local wars, err = ds:wars()
    if not wars then return nil, err end
    local span, seen, list = {}, {}, {}
    for _, r in ipairs(wars) do
      local a, b = r.ccode1, r.ccode2
      if a > b then a, b = b, a end
      local key = r.warnum .. ":" .. a .. ":" .. b
      local s = span[key]
      if not s then s = {r.year, r.year}; span[key] = s end
      if r.year < s[1] then s[1] = r.year end
      if r.year > s[2] then s[2] = r.year end
      if r.year == year and actor_of[a] and actor_of[b] and not seen[key] then
        seen[key] = true
        list[#list + 1] = {key = key, a = a, b = b, warnum = r.warnum}
      end
    end
    table.sort(list, function(x, y)
      if x.warnum ~= y.warnum then return x.warnum < y.warnum end
      if x.a ~= y.a then return x.a < y.a end
      return x.b < y.b
    end)
    for _, r in ipairs(list) do
      local s = span[r.key]
      w:relate(actor_of[r.a], actor_of[r.b], "war", {since = ystr(s[1]), ends = ystr(s[2] + 1),
        source = string.format("COW inter-state war #%d", r.warnum)})
    end
    return true
  end

  local function load_rivalries(w, ds, year, actor_of)
    local rivs, err = ds:rivalries()
    if not rivs then return nil, err end
    for _, r in ipairs(rivs) do
      if r.styear <= year and year <= r.endyear and actor_of[r.ccode1] and actor_of[r.ccode2]
        and r.ccode1 ~= r.ccode2 then
        w:relate(actor_of[r.ccode1], actor_of[r.ccode2], "rivalry", {since = ystr(r.styear),
          ends = ystr(r.endyear + 1),
          source = "Thompson & Dreyer rivalry " .. string.format("%d", r.rivalryno) .. ": " ..
            (r.rivalryname or "") .. " (" .. (r.type1 or "?") .. ")"})
      end
    end
    return true
  end

  local function load_trade(w, ds, year, actor_of)
    local rows, err = ds:trade(year)
    if not rows then return nil, err end
    local max, keep = 0, {}
    for _, r in ipairs(rows) do
      if actor_of[r.ccode1] and actor_of[r.ccode2] and (r.flow1 or r.flow2) then
        local total = (r.flow1 or 0) + (r.flow2 or 0)
        if total > 0 then
          keep[#keep + 1] = {r.ccode1, r.ccode2, total}
          if total > max then max = total end
        end
      end
    end
    for _, k in ipairs(keep) do
      w:relate(actor_of[k[1]], actor_of[k[2]], "trade", {strength = k[3] / max, since = ystr(year),
        ends = ystr(year + 1), source = string.format("COW trade v4.0 %d: %.0f million USD", year, k[3])})
    end
    return true
  end

  local CONT_STRENGTH = {1, 0.8, 0.6, 0.4, 0.2}

  local function load_contiguity(w, ds, year, actor_of)
    local rows, err = ds:contiguity()
    if not rows then return nil, err end
    local ok = pcall(w.kind, w, "contiguity")
    if not ok then w:define_kind("contiguity", {sign = 0, strength = 1}) end
    local y0, y1 = ystr(year), string.format("%04d-12-31", year)
    for _, r in ipairs(rows) do
      if r.ccode1 < r.ccode2 and r.conttype >= 1 and r.conttype <= 5 and actor_of[r.ccode1] and actor_of[r.ccode2]
        and r.stdate and r.enddate and r.stdate <= y1 and r.enddate >= y0 and r.stdate < r.enddate then
        w:relate(actor_of[r.ccode1], actor_of[r.ccode2], "contiguity", {strength = CONT_STRENGTH[r.conttype],
          since = r.stdate, ends = r.enddate,
          source = string.format("COW direct contiguity type %d", r.conttype)})
      end
    end
    return true
  end

  --- entente.cow.load{year=, dir=, alliances=true, wars=true, rivalries=true,
  --  trade=false, contiguity=false, title=} -> world, or nil, message
  -- A world of the COW state system as of `year` (see docs/cow.md).
  function cow.load(opts)
    opts = checkopts(opts, LOAD_OPTS, "cow.load", 1)
    local year = opts.year
    if type(year) ~= "number" or year ~= floor(year) then
      argerror("cow.load", 1, "option 'year' must be a whole number, got " .. tostring(year))
    end
    local ds, err = cow.dataset(opts.dir)
    if not ds then return nil, err end
    local sys
    sys, err = ds:system(year)
    if not sys then return nil, err end
    local cinc = ds:cinc(year)
    local majors
    majors, err = ds:majors()
    if not majors then return nil, err end
    local w = entente.world {title = opts.title or string.format("Correlates of War %d", year), date = ystr(year)}
    local actor_of = {}
    for _, r in ipairs(sys.rows) do
      local abb = ds.abb[r.ccode]
      if not abb then return nil, ds.dir .. "/nmc.csv: COW code " .. r.ccode .. " is not in cow_states.csv" end
      local attrs = {name = ds.name[r.ccode], ccode = r.ccode, cinc = cinc[r.ccode]}
      for _, c in ipairs(COMPONENTS) do attrs[c] = r[c] end
      local tags = {"cow"}
      if ds:is_major(r.ccode, year) then tags[#tags + 1] = "major" end
      attrs.tags = tags
      actor_of[r.ccode] = w:actor(abb, attrs)
    end
    local steps = {
      {opts.alliances ~= false, load_alliances},
      {opts.wars ~= false, load_wars},
      {opts.rivalries ~= false, load_rivalries},
      {opts.trade == true, load_trade},
      {opts.contiguity == true, load_contiguity},
    }
    for _, s in ipairs(steps) do
      if s[1] then
        local ok, e = s[2](w, ds, year, actor_of)
        if not ok then return nil, e end
      end
    end
    rawset(w, "_cow", {ds = ds, year = year})
    return w
  end

  ---------------------------------------------------------- similarity

  -- method name -> kernel method, default distance, weighted
  local METHODS = {
    s = {"s", "abs"}, s_squared = {"s", "sq"},
    s_weighted = {"s", "abs", true}, s_weighted_squared = {"s", "sq", true},
    kappa = {"kappa", "nominal"}, kappa_quadratic = {"kappa", "sq"}, kappa_linear = {"kappa", "abs"},
    pi = {"pi", "nominal"}, pi_quadratic = {"pi", "sq"}, pi_linear = {"pi", "abs"},
    taub = {"taub", "abs"},
  }
  local METHOD_NAMES = util.sorted_keys(METHODS)
  local DISTANCES = {abs = "abs", absolute = "abs", linear = "abs", sq = "sq", squared = "sq",
    quadratic = "sq", nominal = "nominal"}
  local SIM_OPTS = util.set {"method", "year", "date", "binary", "distance", "weights", "threads", "actors", "dir"}

  local function parse_method(opts, fname, argn)
    local name = opts.method or "s"
    local m = METHODS[name]
    if not m then
      argerror(fname, argn, "unknown method '" .. tostring(name) .. "'" .. util.suggest(tostring(name), METHOD_NAMES) ..
        "; methods: " .. table.concat(METHOD_NAMES, ", "), 3)
    end
    local dist = m[2]
    if opts.distance ~= nil then
      dist = DISTANCES[opts.distance]
      if not dist then
        argerror(fname, argn, "unknown distance '" .. tostring(opts.distance) .. "' (abs, sq or nominal)", 3)
      end
      if m[1] == "s" and dist == "nominal" then
        argerror(fname, argn, "distance 'nominal' is for kappa and pi; S takes 'abs' or 'sq'", 3)
      end
    end
    return m[1], dist, m[3] or opts.weights ~= nil
  end

  -- Tie level of a relation kind for the portfolio built from a world's
  -- relations (same ladder as ATOP): defence/offence 3, neutrality or
  -- consultation 2, non-aggression 1, anything else 0.
  local function kind_level(k)
    if k.name == "offence" or k.obligation == "defence" then return 3 end
    if k.obligation == "neutrality" or k.obligation == "consultation" then return 2 end
    if k.name == "nonaggression" then return 1 end
    return 0
  end

  -- The portfolios to use: {P, codes, index (code -> 0-based), weights(),
  -- maxlevel, what}.  From ATOP when a year is given or the world was
  -- loaded from COW; otherwise from the world's relations as of a date.
  local function portfolios(w, opts, fname, argn)
    local binary = opts.binary and true or false
    local year = opts.year
    local cowinfo = w and rawget(w, "_cow")
    if year == nil and cowinfo and opts.date == nil then year = cowinfo.year end
    if year ~= nil then
      if type(year) ~= "number" or year ~= floor(year) then
        argerror(fname, argn, "year must be a whole number, got " .. tostring(year), 3)
      end
      local ds, err = cowinfo and cowinfo.ds or cow.dataset(opts.dir)
      if not ds then return nil, err end
      local sys
      sys, err = ds:system(year)
      if not sys then return nil, err end
      local ok
      ok, err = ds:_atop()
      if not ok then return nil, err end
      local codes, index = {}, {}
      for k, c in ipairs(sys.ccodes) do codes[k] = ds.abb[c]; index[ds.abb[c]] = k - 1 end
      local P = core.portfolio_atop(ds.atop, year, sys.ccodes, binary)
      return {P = P, codes = codes, index = index, maxlevel = binary and 1 or 3,
        what = "the COW system of " .. string.format("%d", year),
        weights = function()
          local cinc = ds:cinc(year)
          local list = {}
          for k, c in ipairs(sys.ccodes) do list[k] = cinc[c] end
          return list
        end}
    end
    if not w then argerror(fname, argn, "option 'year' is required", 3) end
    local d = w:_asof(opts.date, fname, argn)
    local actors = w:actors()
    local n = #actors
    if n == 0 then argerror(fname, argn, "the world has no actors", 3) end
    local codes, index, pos = {}, {}, {}
    for k, a in ipairs(actors) do codes[k] = a.code; index[a.code] = k - 1; pos[a.id] = k - 1 end
    local levels = {}
    for k = 1, n * n do levels[k] = 0 end
    local top = binary and 1 or 3
    for k = 0, n - 1 do levels[k * n + k + 1] = top end
    local klevel = {}
    for _, k in ipairs(w:kinds()) do klevel[k.name] = {kind_level(k), k.directed} end
    for _, id in ipairs(core.relations(w._c, nil, nil, nil, d)) do
      local a, b, kid = core.rel_get(w._c, id)
      local kname = core.kind_get(w._c, kid)
      local lv = klevel[kname][1]
      if binary and lv > 0 then lv = 1 end
      local i, j = pos[a], pos[b]
      if lv > levels[i * n + j + 1] then levels[i * n + j + 1] = lv end
      if not klevel[kname][2] and lv > levels[j * n + i + 1] then levels[j * n + i + 1] = lv end
    end
    return {P = core.portfolio_new(n, levels), codes = codes, index = index, maxlevel = top,
      what = "the world", weights = function()
        local list = {}
        for k, a in ipairs(actors) do
          local c = a:attr("cinc")
          if c == nil then
            argerror(fname, argn, "actor '" .. a.code .. "' has no 'cinc' attribute (needed for a weighted S; "
              .. "give weights = {code = weight}", 4)
          end
          list[k] = c
        end
        return list
      end}
  end

  local function weights_of(ctx, opts, fname, argn)
    if opts.weights == nil then return ctx.weights() end
    if type(opts.weights) ~= "table" then argerror(fname, argn, "weights must be a table {code = weight}", 3) end
    local list = {}
    for k, c in ipairs(ctx.codes) do
      local v = opts.weights[c]
      if v == nil then v = 0 end
      if type(v) ~= "number" or not (v >= 0) or v == math.huge then
        argerror(fname, argn, "weight of '" .. c .. "' is " .. tostring(v) .. " (must be a number >= 0)", 3)
      end
      list[k] = v
    end
    for c in pairs(opts.weights) do
      if ctx.index[c] == nil then
        argerror(fname, argn, "weight given for '" .. tostring(c) .. "', which is not in " .. ctx.what, 3)
      end
    end
    return list
  end

  local function code_of(x)
    if type(x) == "table" and x.code then return x.code end
    return x
  end

  local function simargs(w, opts, fname, argn)
    opts = checkopts(opts, SIM_OPTS, fname, argn, 3)
    local method, dist, weighted = parse_method(opts, fname, argn)
    local ctx, err = portfolios(w, opts, fname, argn)
    if not ctx then return nil, err end
    local weights = nil
    if weighted then
      if method ~= "s" then argerror(fname, argn, "weights apply to S only", 3) end
      weights = weights_of(ctx, opts, fname, argn)
    end
    return ctx, method, dist, weights
  end

  local function similarity(w, a, b, opts)
    local ctx, method, dist, weights = simargs(w, opts, "similarity", 3)
    if not ctx then return nil, method end
    local ca, cb = code_of(a), code_of(b)
    local i, j = ctx.index[ca], ctx.index[cb]
    if i == nil then argerror("similarity", 1, "no state '" .. tostring(ca) .. "' in " .. ctx.what .. util.suggest(tostring(ca), ctx.codes), 2) end
    if j == nil then argerror("similarity", 2, "no state '" .. tostring(cb) .. "' in " .. ctx.what .. util.suggest(tostring(cb), ctx.codes), 2) end
    return core.sim_dyad(ctx.P, i, j, method, dist, ctx.maxlevel, weights)
  end

  --- w:similarity(a, b, {method=, year=, date=, binary=, distance=, weights=})
  -- -> number in [-1, 1] (NaN where undefined).  method: "s" (default),
  -- "s_squared", "s_weighted" (CINC weights), "kappa", "kappa_quadratic",
  -- "pi", "pi_quadratic", "taub" (and *_linear, s_weighted_squared).
  function World:similarity(a, b, opts) return similarity(self, a, b, opts) end

  --- entente.cow.similarity(a, b, {year=, ...}): the same on the COW data alone.
  function cow.similarity(a, b, opts) return similarity(nil, a, b, opts) end

  local function matrix(w, opts)
    local ctx, method, dist, weights = simargs(w, opts, "similarity_matrix", 1)
    if not ctx then return nil, method end
    local list = ctx.codes
    if opts and opts.actors then
      if type(opts.actors) ~= "table" then argerror("similarity_matrix", 1, "actors must be a list of codes", 2) end
      list = {}
      for k, a in ipairs(opts.actors) do
        local c = code_of(a)
        if ctx.index[c] == nil then
          argerror("similarity_matrix", 1, "no state '" .. tostring(c) .. "' in " .. ctx.what .. util.suggest(tostring(c), ctx.codes), 2)
        end
        list[k] = c
      end
    end
    local out = {}
    if #list > 24 then
      local m = core.sim_all(ctx.P, method, dist, ctx.maxlevel, weights, opts and opts.threads or 0)
      for _, a in ipairs(list) do
        local row, i = {}, ctx.index[a]
        for _, b in ipairs(list) do row[b] = core.simmat_get(m, i, ctx.index[b]) end
        out[a] = row
      end
    else
      for _, a in ipairs(list) do out[a] = {} end
      for x, a in ipairs(list) do
        for y = x, #list do
          local b = list[y]
          local v = core.sim_dyad(ctx.P, ctx.index[a], ctx.index[b], method, dist, ctx.maxlevel, weights)
          out[a][b], out[b][a] = v, v
        end
      end
    end
    return out
  end

  --- w:similarity_matrix{actors=, method=, year=, ...} -> {a = {b = value}}
  -- for every pair of the listed actors (default: every state of the system
  -- or world).  The portfolios always span the whole system.
  function World:similarity_matrix(opts) return matrix(self, opts) end
  function cow.similarity_matrix(opts) return matrix(nil, opts) end

  --- entente.cow.similarity_year(year, {method=, binary=, distance=, threads=, dir=})
  -- -> {year=, codes = {...}, get = function(a, b), sum = function()}: all
  -- dyads of a year computed at once in C (threaded).
  function cow.similarity_year(year, opts)
    opts = checkopts(opts, SIM_OPTS, "cow.similarity_year", 2)
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.year = year
    local ctx, method, dist, weights = simargs(nil, o, "cow.similarity_year", 2)
    if not ctx then return nil, method end
    local m = core.sim_all(ctx.P, method, dist, ctx.maxlevel, weights, opts.threads or 0)
    return {
      year = year, codes = ctx.codes, n = #ctx.codes,
      get = function(a, b)
        local i = type(a) == "number" and a - 1 or ctx.index[a]
        local j = type(b) == "number" and b - 1 or ctx.index[b]
        if i == nil or j == nil then return nil end
        return core.simmat_get(m, i, j)
      end,
      sum = function() return core.simmat_sum(m) end,
    }
  end

  --- entente.cow.portfolio(year, code, {binary=}) -> {other code = level}
  -- (the non-zero tie levels of a state, itself included).
  function cow.portfolio(year, code, opts)
    opts = checkopts(opts, util.set {"binary", "dir"}, "cow.portfolio", 3)
    local ctx, err = portfolios(nil, {year = year, binary = opts.binary, dir = opts.dir}, "cow.portfolio", 1)
    if not ctx then return nil, err end
    local i = ctx.index[code]
    if i == nil then argerror("cow.portfolio", 2, "no state '" .. tostring(code) .. "' in " .. ctx.what) end
    local t = {}
    for k, c in ipairs(ctx.codes) do
      local v = core.portfolio_get(ctx.P, i, k - 1)
      if v > 0 then t[c] = v end
    end
    return t
  end

  ---------------------------------------------------------- capability

  -- CINC of a world's actors from their NMC component attributes.
  local function world_cinc(w)
    local actors = w:actors()
    local comp, any = {}, false
    for k, a in ipairs(actors) do
      for c, name in ipairs(COMPONENTS) do
        local v = a:attr(name)
        if v ~= nil then any = true else v = NAN end
        comp[(k - 1) * 6 + c] = v
      end
    end
    if not any then return nil end
    local ok, cinc, shares = pcall(core.cinc, comp, #actors)
    if not ok then argerror("cinc", 1, tostring(cinc):gsub("^.-%((.*)%)$", "%1"), 3) end
    local out, sh = {}, {}
    for k, a in ipairs(actors) do
      if cinc[k] == cinc[k] then out[a.code] = cinc[k] end
      local s = {}
      for c, name in ipairs(COMPONENTS) do
        local v = shares[(k - 1) * 6 + c]
        if v == v then s[name] = v end
      end
      sh[a.code] = s
    end
    return out, sh
  end

  -- {code = cinc}, {code = shares} for a year (COW data) or for the world.
  local function cinc_table(w, year, fname, dir)
    local cowinfo = w and rawget(w, "_cow")
    if year == nil and cowinfo then year = cowinfo.year end
    if year == nil then
      if not w then argerror(fname, 1, "year expected", 3) end
      local c, s = world_cinc(w)
      if c then return c, s end
      -- no components: the actors' cinc attributes as given
      local out = {}
      for _, a in ipairs(w:actors()) do out[a.code] = a:attr("cinc") end
      return out, {}
    end
    if type(year) ~= "number" or year ~= floor(year) then
      argerror(fname, 1, "year must be a whole number, got " .. tostring(year), 3)
    end
    local ds, err = cowinfo and cowinfo.ds or cow.dataset(dir)
    if not ds then return nil, err end
    local cinc, shares = ds:cinc(year)
    if not cinc then return nil, shares end
    local out, sh = {}, {}
    for c, v in pairs(cinc) do out[ds.abb[c]] = v; sh[ds.abb[c]] = shares[c] end
    return out, sh
  end

  --- w:cinc(year) -> {code = CINC}, {code = {milex = share, ...}}
  -- year defaults to the loaded COW year; a world not loaded from COW
  -- without a year gets CINC computed over its own actors from their
  -- milex, milper, irst, pec, tpop, upop attributes.
  function World:cinc(year) return cinc_table(self, year, "cinc") end
  function cow.cinc(year, opts)
    opts = checkopts(opts, util.set {"dir"}, "cow.cinc", 2)
    return cinc_table(nil, year, "cow.cinc", opts.dir)
  end

  local function cap_of(t, code, fname, argn, year)
    local v = t[code]
    if v == nil then
      argerror(fname, argn, "no capability for '" .. tostring(code) .. "'" ..
        (year and (" in " .. string.format("%d", year)) or ""), 3)
    end
    return v
  end

  --- w:power_ratio(a, b, {year=}) -> cinc_a / cinc_b, cinc_a / (cinc_a + cinc_b)
  function World:power_ratio(a, b, opts)
    opts = checkopts(opts, util.set {"year"}, "power_ratio", 3)
    local t, err = cinc_table(self, opts.year, "power_ratio")
    if not t then return nil, err end
    local ca = cap_of(t, code_of(a), "power_ratio", 1, opts.year)
    local cb = cap_of(t, code_of(b), "power_ratio", 2, opts.year)
    return ca / cb, ca / (ca + cb)
  end

  --- w:bloc_capability(codes, {year=}) -> sum of the members' CINC (their
  -- joint share of the system), {code = cinc}
  function World:bloc_capability(codes, opts)
    opts = checkopts(opts, util.set {"year"}, "bloc_capability", 2)
    if type(codes) ~= "table" then argerror("bloc_capability", 1, "list of actor codes expected, got " .. type(codes)) end
    local t, err = cinc_table(self, opts.year, "bloc_capability")
    if not t then return nil, err end
    local sum, members = 0, {}
    for _, c in ipairs(codes) do
      c = code_of(c)
      local v = cap_of(t, c, "bloc_capability", 1, opts.year)
      members[c] = v
      sum = sum + v
    end
    return sum, members
  end

  --- w:cinc_ranking(year) -> list of {code=, cinc=} sorted by CINC, largest first.
  function World:cinc_ranking(year)
    local t, err = cinc_table(self, year, "cinc_ranking")
    if not t then return nil, err end
    local list = {}
    for c, v in pairs(t) do list[#list + 1] = {code = c, cinc = v} end
    table.sort(list, function(x, y) if x.cinc ~= y.cinc then return x.cinc > y.cinc end return x.code < y.code end)
    return list
  end

  cow.COMPONENTS = COMPONENTS
  cow.METHODS = METHOD_NAMES
  cow.Dataset = Dataset
end
