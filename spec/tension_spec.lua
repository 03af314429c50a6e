-- Tension: Goldstein-weighted events decayed with a half-life, per dyad and
-- per group, at a date or as a series.  Values worked by hand from the
-- formula g * 0.5^(age / half_life); series checked against date-by-date sums.
local entente = require "entente"

local function errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function near(want, got, tol)
  assert(math.abs(want - got) <= (tol or 1e-12), string.format("expected %.17g, got %.17g", want, got))
end

local function world()
  local w = entente.world {date = "2024-06-01"}
  for _, c in ipairs {"P", "R", "J", "U"} do w:actor(c, {tags = c ~= "U" and {"peninsula"} or nil}) end
  w:event {date = "2024-01-15", from = "P", to = "R", cameo = "160", text = "reduce relations"}   -- -4.0
  w:event {date = "2024-02-26", from = "R", to = "P", cameo = "112", text = "accuse"}            -- -2.0
  w:event {date = "2024-01-25", ends = "2024-02-03", from = "P", to = "R", goldstein = 3, text = "talks"}
  w:event {date = "2024-01-20", from = "P", cameo = "150", text = "missile test"}               -- -7.2
  w:event {date = "2024-01-22", from = "J", to = "R", cameo = "064", text = "share intelligence"} -- +7.0
  w:event {date = "2024-01-22", from = "U", to = "P", cameo = "112", text = "accuse"}            -- -2.0
  return w
end

local function days(a, b) return entente._date(b) - entente._date(a) end

describe("tension of a dyad", function()
  local w = world()

  it("sums Goldstein weights halved every half-life, both directions", function()
    local h = 30
    local v = w:tension {dyad = {"P", "R"}, date = "2024-04-24", half_life = h}
    local t = "2024-04-24"
    local want = -4 * 0.5 ^ (days("2024-01-15", t) / h) - 2 * 0.5 ^ (days("2024-02-26", t) / h)
      + 3 * 0.5 ^ (days("2024-02-03", t) / h)
    near(want, v.net)
    near(-want, v.tension)
    near(4 * 0.5 ^ (days("2024-01-15", t) / h) + 2 * 0.5 ^ (days("2024-02-26", t) / h), v.conflict)
    near(3 * 0.5 ^ (days("2024-02-03", t) / h), v.cooperation)
    assert.equal(3, v.events)
    assert.equal(3, #v.contributions)
    near(-4 * 0.5 ^ (days("2024-01-15", t) / h), v.contributions[1].weight)
  end)

  it("counts an event under way fully and ignores later events", function()
    local v = w:tension {dyad = {"R", "P"}, date = "2024-01-30", half_life = 10}
    near(-4 * 0.5 ^ (15 / 10) + 3, v.net)
    assert.equal(2, v.events)
    local before = w:tension {dyad = {"P", "R"}, date = "2024-01-14"}
    assert.equal(0, before.net)
    assert.equal(0, before.events)
  end)

  it("halves exactly after one half-life", function()
    local a = w:tension {dyad = {"U", "P"}, date = "2024-01-22", half_life = 45}
    local b = w:tension {dyad = {"U", "P"}, date = "2024-03-07", half_life = 45}
    near(-2, a.net)
    near(-1, b.net)
  end)

  it("keeps direction when asked", function()
    local v = w:tension {dyad = {"P", "R"}, directed = true, date = "2024-03-01", half_life = math.huge}
    near(-4 + 3, v.net)
    local all = w:tension {dyad = {"P", "R"}, date = "2024-03-01", half_life = math.huge}
    near(-4 + 3 - 2, all.net)
  end)

  it("uses the world's date and a 90-day half-life by default", function()
    local v = w:tension {dyad = {"U", "P"}}
    assert.equal("2024-06-01", v.date)
    assert.equal(90, v.half_life)
    near(-2 * 0.5 ^ (days("2024-01-22", "2024-06-01") / 90), v.net)
  end)
end)

describe("tension of a group", function()
  local w = world()
  it("counts events within the group, and a member acting alone", function()
    local v = w:tension {group = {"P", "R"}, date = "2024-03-01", half_life = math.huge}
    near(-4 - 2 + 3 - 7.2, v.net)
    assert.equal(4, v.events)
  end)

  it("or every event involving a member", function()
    local v = w:tension {group = {"J"}, scope = "involving", date = "2024-03-01", half_life = math.huge}
    near(7, v.net)
    local p = w:tension {group = {"P"}, scope = "involving", date = "2024-03-01", half_life = math.huge}
    near(-4 - 2 + 3 - 7.2 - 2, p.net)
  end)

  it("takes a region as a tag", function()
    local v = w:tension {region = "peninsula", date = "2024-03-01", half_life = math.huge}
    near(-4 - 2 + 3 - 7.2 + 7, v.net)
    assert.matches("region 'peninsula'", v.label)
  end)
end)

describe("tension series", function()
  local w = world()
  it("equals the date-by-date values (carried sums against direct sums)", function()
    local s = w:tension {dyad = {"P", "R"}, from = "2024-01-01", to = "2024-06-30", step = "day", half_life = 20}
    assert.equal(days("2024-01-01", "2024-06-30") + 1, #s.dates)
    for i = 1, #s.dates, 7 do
      local v = w:tension {dyad = {"P", "R"}, date = s.dates[i], half_life = 20}
      near(v.tension, s.tension[i], 1e-12)
      near(v.conflict, s.conflict[i], 1e-12)
      assert.equal(v.events, s.events[i])
    end
    assert.equal(0, s:at "2024-01-14")
    local d, peak = s:peak()
    -- the -4.0 of 2024-01-15 alone; later the talks (+3) and decay keep it lower
    assert.equal("2024-01-15", d)
    near(4, peak)
  end)

  it("steps by month from the first day of the month, ending on `to`", function()
    local s = w:tension {dyad = {"P", "R"}, from = "2023-01-01", to = "2024-12-31"}
    assert.equal(25, #s.dates)
    assert.equal("2023-01-01", s.dates[1])
    assert.equal("2024-12-01", s.dates[24])
    assert.equal("2024-12-31", s.dates[25])
    assert.matches("Tension of P%-R, 2023%-01%-01 to 2024%-12%-31", tostring(s))
  end)
end)

describe("tension on the flagship scenario", function()
  local w = entente.load "russia_dprk_2024"
  it("rises with Kim's 'primary foe' speech and the ROK's accusation, then decays", function()
    local s = w:tension {dyad = {"PRK", "ROK"}, from = "2023-01-01", to = "2024-12-31", half_life = 90}
    assert.equal(0, s:at "2023-12-01")
    -- E19 (2024-01-15, CAMEO 160 = -4.0) and E21 (2024-02-26, CAMEO 112 = -2.0)
    near(4 * 0.5 ^ (17 / 90), s:at "2024-02-01")
    near(4 * 0.5 ^ (days("2024-01-15", "2024-03-01") / 90) + 2 * 0.5 ^ (4 / 90), s:at "2024-03-01")
    local d = s:peak()
    assert.equal("2024-03-01", d)
  end)
end)

describe("tension arguments", function()
  local w = world()
  it("name the bad value", function()
    assert.matches("half_life must be a positive number of days", errmsg(w.tension, w, {dyad = {"P", "R"}, half_life = 0}))
    assert.matches("unknown actor 'Q'", errmsg(w.tension, w, {dyad = {"P", "Q"}}))
    assert.matches("exactly one of", errmsg(w.tension, w, {dyad = {"P", "R"}, group = {"P"}}))
    assert.matches("'P' twice", errmsg(w.tension, w, {dyad = {"P", "P"}}))
    assert.matches("no actor has the tag 'atlantis'", errmsg(w.tension, w, {region = "atlantis"}))
    assert.matches("bad date '2024%-02%-30'", errmsg(w.tension, w, {dyad = {"P", "R"}, date = "2024-02-30"}))
    assert.matches("is before from", errmsg(w.tension, w, {dyad = {"P", "R"}, from = "2024-02-01", to = "2024-01-01"}))
    assert.matches("step must be", errmsg(w.tension, w, {dyad = {"P", "R"}, from = "2024-01-01", to = "2024-02-01", step = 0}))
    assert.matches("scope must be 'within' or 'involving', got near",
      errmsg(w.tension, w, {group = {"P"}, scope = "near"}))
  end)

  it("prints the events that make the value", function()
    local s = tostring(w:tension {dyad = {"P", "R"}, date = "2024-03-01"})
    assert.matches("Tension of P%-R as of 2024%-03%-01 %(half%-life 90 days%)", s)
    assert.matches("reduce relations", s)
    assert.matches("weight now", s)
  end)
end)
