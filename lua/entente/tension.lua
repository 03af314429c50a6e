-- entente.tension: event-based tension of a dyad or a group of actors.
--
-- Each event carries a Goldstein weight g (-10 most hostile .. +10 most
-- cooperative; Goldstein 1992, via the GDELT CAMEO table).  At an as-of date
-- an event counts with g * 0.5^(age / half_life), age in days since it ended
-- (0 while under way); events after the date do not count.  tension = -net,
-- so hostility reads as positive tension.  docs/entrapment.md, "Tension".
--
--   w:tension{dyad = {"PRK", "ROK"}, date = "2024-03-01"}
--   w:tension{dyad = {"PRK", "ROK"}, from = "2023-01-01", to = "2024-12-31", step = "month"}
--   w:tension{region = "Northeast Asia"}            -- actors with that tag
--   w:tension{group = {"PRK", "ROK", "JPN"}, scope = "involving"}
local util = require "entente.util"

local argerror, checkopts, fmt = util.argerror, util.checkopts, util.fmt

-- A convention, not a measured value: about a quarter of a year, so that an
-- event has lost half its weight after three months and 90% after ten.
local DEFAULT_HALF_LIFE = 90

local OPTS = util.set {"dyad", "group", "region", "scope", "directed", "date", "from", "to", "step",
  "half_life"}

return function(entente, World)
  local core = entente.core
  local Value, Series = {}, {}
  Value.__index, Series.__index = Value, Series
  entente.TensionValue, entente.TensionSeries = Value, Series

  local function fail(msg) argerror("tension", 1, msg, 3) end

  -- first day of the month after day d
  local function next_month(d)
    local y, m = entente._datestr(d):match("^(%d+)-(%d+)")
    y, m = tonumber(y), tonumber(m) + 1
    if m > 12 then y, m = y + 1, 1 end
    return core.date_parse(string.format("%04d-%02d-01", y, m))
  end

  local function dates_between(d1, d2, step)
    local list = {}
    if step == nil then step = "month" end
    if step == "day" then step = 1 elseif step == "week" then step = 7 end
    if step == "month" then
      local d = d1
      while d <= d2 do
        list[#list + 1] = d
        d = next_month(d)
        -- from a mid-month start, later points fall on the 1st
      end
      if list[#list] ~= d2 then list[#list + 1] = d2 end
    else
      if type(step) ~= "number" or step ~= math.floor(step) or step < 1 then
        fail("step must be 'day', 'week', 'month' or a whole number of days, got " .. tostring(step))
      end
      local d = d1
      while d <= d2 do list[#list + 1] = d; d = d + step end
      if list[#list] ~= d2 then list[#list + 1] = d2 end
    end
    return list
  end

  --- w:tension{dyad={a,b} | group={...} | region=tag, scope=, directed=,
  ---   date= | from=, to=, step=, half_life=}
  function World:tension(opts)
    opts = checkopts(opts, OPTS, "tension", 1)
    local hl = opts.half_life == nil and DEFAULT_HALF_LIFE or opts.half_life
    if type(hl) ~= "number" or not (hl > 0) then
      fail("half_life must be a positive number of days (math.huge for no decay), got " .. tostring(hl))
    end
    local sel, label, members
    local nsel = (opts.dyad and 1 or 0) + (opts.group and 1 or 0) + (opts.region and 1 or 0)
    if nsel ~= 1 then fail("give exactly one of dyad = {a, b}, group = {...} or region = tag") end
    local scope = opts.scope or "within"
    if scope ~= "within" and scope ~= "involving" then
      fail("scope must be 'within' or 'involving', got " .. tostring(scope))
    end
    if opts.dyad then
      local dy = opts.dyad
      if type(dy) ~= "table" or dy[1] == nil or dy[2] == nil then fail("dyad must be {actor, actor}") end
      local a, b = self:_aid(dy[1], "tension", 1, 3), self:_aid(dy[2], "tension", 1, 3)
      if a == b then fail("dyad needs two distinct actors, got '" .. core.actor_code(self._c, a) .. "' twice") end
      sel = {"dyad", a, b, opts.directed and true or false}
      members = {core.actor_code(self._c, a), core.actor_code(self._c, b)}
      label = members[1] .. (opts.directed and " -> " or "-") .. members[2]
    else
      local ids = {}
      members = {}
      if opts.group then
        if type(opts.group) ~= "table" or #opts.group == 0 then fail("group must be a non-empty list of actors") end
        for i, x in ipairs(opts.group) do ids[i] = self:_aid(x, "tension", 1, 3) end
        for i, id in ipairs(ids) do members[i] = core.actor_code(self._c, id) end
        label = "group " .. table.concat(members, " ")
      else
        if type(opts.region) ~= "string" then fail("region must be a tag string, got " .. type(opts.region)) end
        for _, a in ipairs(self:actors {tag = opts.region}) do ids[#ids + 1] = a.id; members[#members + 1] = a.code end
        if #ids == 0 then fail("no actor has the tag '" .. opts.region .. "'") end
        label = "region '" .. opts.region .. "' (" .. table.concat(members, " ") .. ")"
      end
      sel = {"group", ids, scope}
      if scope == "involving" then label = label .. ", events involving it" end
    end
    local unpack_ = table.unpack or unpack
    local function run(dates)
      local ok, net, conflict, coop, count = pcall(core.tension, self._c, hl, dates, unpack_(sel))
      if not ok then fail(tostring(net):gsub("^[^:]*:%d+: ", "")) end
      return net, conflict, coop, count
    end

    if opts.from ~= nil or opts.to ~= nil then
      if opts.date ~= nil then fail("give either date or from/to, not both") end
      local d1 = opts.from ~= nil and entente._date(opts.from, "tension", 1, 2) or nil
      local d2 = opts.to ~= nil and entente._date(opts.to, "tension", 1, 2) or core.get_date(self._c)
      if d1 == nil then fail("a series needs from = date") end
      if d2 < d1 then fail("to " .. entente._datestr(d2) .. " is before from " .. entente._datestr(d1)) end
      local dates = dates_between(d1, d2, opts.step)
      local net, conflict, coop, count = run(dates)
      local s = setmetatable({label = label, members = members, half_life = hl, from = entente._datestr(d1),
        to = entente._datestr(d2), dates = {}, days = dates, net = net, conflict = conflict,
        cooperation = coop, events = count, tension = {}}, Series)
      for i, d in ipairs(dates) do
        s.dates[i] = entente._datestr(d)
        s.tension[i] = -net[i]
      end
      return s
    end
    if opts.step ~= nil then fail("step needs from and to") end
    local day = self:_asof(opts.date, "tension", 1)
    local net, conflict, coop, count = run({day})
    local ok, ids, wts = pcall(core.tension_events, self._c, hl, day, unpack_(sel))
    if not ok then fail(tostring(ids)) end
    local v = setmetatable({label = label, members = members, half_life = hl, date = entente._datestr(day),
      net = net[1], tension = -net[1], conflict = conflict[1], cooperation = coop[1], events = count[1],
      contributions = {}}, Value)
    for i, id in ipairs(ids) do
      local d, de, a, b, cameo, g, text = core.event_get(self._c, id)
      v.contributions[i] = {id = id, date = entente._datestr(d), ends = de ~= d and entente._datestr(de) or nil,
        from = core.actor_code(self._c, a), to = b and core.actor_code(self._c, b) or nil,
        cameo = cameo ~= "" and cameo or nil, goldstein = g, weight = wts[i], text = text}
    end
    return v
  end

  local function hlstr(hl) return hl == math.huge and "no decay" or ("half-life " .. fmt(hl) .. " days") end

  Value.__tostring = function(v)
    local out = {string.format("Tension of %s as of %s (%s): %s", v.label, v.date, hlstr(v.half_life),
      fmt(v.tension, 4))}
    out[#out + 1] = string.format("  hostile %s, cooperative %s, net Goldstein %s, over %d event(s)",
      fmt(v.conflict, 4), fmt(v.cooperation, 4), fmt(v.net, 4), v.events)
    local rows = {}
    for _, c in ipairs(v.contributions) do
      rows[#rows + 1] = {c.date, c.from .. (c.to and (" -> " .. c.to) or ""), c.cameo or "",
        fmt(c.goldstein, 3), fmt(c.weight, 4), c.text}
    end
    if #rows > 0 then
      out[#out + 1] = entente.report.table({"date", "actors", "CAMEO", "Goldstein", "weight now", "event"}, rows)
    end
    return table.concat(out, "\n")
  end

  --- s:at(date) -> the value at a date of the series (nil if not a point).
  function Series:at(d)
    local day = entente._date(d, "at", 1)
    for i, x in ipairs(self.days) do if x == day then return self.tension[i] end end
    return nil
  end

  --- s:peak() -> date, tension of the highest point
  function Series:peak()
    local bi
    for i, t in ipairs(self.tension) do if not bi or t > self.tension[bi] then bi = i end end
    return self.dates[bi], self.tension[bi]
  end

  Series.__tostring = function(s)
    local out = {string.format("Tension of %s, %s to %s (%s); tension = -net Goldstein", s.label, s.from, s.to,
      hlstr(s.half_life))}
    local hi = 0
    for _, t in ipairs(s.tension) do if math.abs(t) > hi then hi = math.abs(t) end end
    local rows = {}
    for i, d in ipairs(s.dates) do
      local t = s.tension[i]
      local n = hi > 0 and math.floor(20 * math.abs(t) / hi + 0.5) or 0
      rows[#rows + 1] = {d, fmt(t, 4), fmt(s.conflict[i], 4), fmt(s.cooperation[i], 4), tostring(s.events[i]),
        string.rep(t >= 0 and "#" or "+", n)}
    end
    out[#out + 1] = entente.report.table({"date", "tension", "hostile", "cooperative", "events", ""}, rows)
    return table.concat(out, "\n")
  end
end
