-- A pure-Lua evaluation of the options criteria, written from the formulas
-- of docs/options.md, independently of csrc/options.c.  It reads a compiled
-- evaluation exported by r:_export() (slots, terms, kinds, capabilities, the
-- trigger polynomials) and recomputes everything else itself: strengths,
-- dyads, alliance and hostility, the focal actor's triangles, the six
-- criteria and the overall score.  Used by spec/options_spec.lua as a second
-- method and by bench/options.lua as the pure-Lua baseline.
local ref = {}

local DEFAULT_LEVEL = {0, 0.25, 0, 1}
local DEFAULT_RELIABILITY = 0.75
local KTRADE, KSANCTION, KAGGRESSION = 1, 2, 4
local DIRECTED, DEFENSIVE = 1, 2

local function clamp01(x)
  if not (x > 0) then return 0 end
  if x > 1 then return 1 end
  return x
end

local function has(bits, b) return bits % (2 * b) >= b end

local function pval(theta, p, d)
  if p >= 0 then return theta[p + 1] end
  return d
end

local function key(a, b)
  if a < b then return a .. ":" .. b end
  return b .. ":" .. a
end

-- Slot strengths after every term, at theta.
function ref.strengths(m, theta)
  local s = {}
  for i, sl in ipairs(m.slots) do s[i] = sl[4] end
  for _, t in ipairs(m.terms) do
    local v = t[3]
    for f = 0, 2 do
      local p, a, b = t[4 + 3 * f], t[5 + 3 * f], t[6 + 3 * f]
      if p >= 0 then v = v * (a + b * theta[p + 1]) else v = v * a end
    end
    local slot = t[1] + 1
    local x = s[slot]
    if t[2] == 0 then x = x + v elseif t[2] == 1 then x = x * v else x = v end
    s[slot] = clamp01(x)
  end
  return s
end

-- Per-dyad and per-actor aggregates.
local function aggregate(m, theta, s)
  local D = {}
  local focal = m.focal
  local sthird, sany, aggr = {}, {}, {}
  local lw = {}
  for l = 1, 4 do lw[l] = clamp01(pval(theta, m.level_param[l], DEFAULT_LEVEL[l])) end
  local function dy(a, b)
    local k = key(a, b)
    local d = D[k]
    if not d then
      d = {u = math.min(a, b), v = math.max(a, b), ally = 0, host = 0, sig = 0, coop = 0, ntr = 0, trd = 0, sdir = 0}
      D[k] = d
    end
    return d
  end
  for i, sl in ipairs(m.slots) do
    local a, b, kind = sl[1], sl[2], m.kinds[sl[3] + 1]
    local d = dy(a, b)
    local x = s[i]
    if x > 0 then
      if kind.sign > 0 then
        local l = lw[kind.level + 1]
        if l > 0 then
          local rho = clamp01(pval(theta, m.rel[key(a, b)], DEFAULT_RELIABILITY))
          local al = rho * l * x
          if al > 1 then al = 1 end
          if al > d.ally then d.ally = al end
        end
        d.coop = d.coop + kind.sw * x
      elseif kind.sign < 0 then
        d.host = d.host + kind.hw * x
      end
      d.sig = d.sig + kind.sign * kind.sw * x
      if has(kind.cls, KTRADE) then d.trd = d.trd + x else d.ntr = d.ntr + kind.sign * kind.sw * x end
      if has(kind.cls, KSANCTION) then
        if a == focal or b == focal then d.sdir = math.max(d.sdir, x) end
        sany[b] = math.max(sany[b] or 0, x)
        if a ~= focal then sthird[b] = math.max(sthird[b] or 0, x) end
        if not has(kind.flags, DIRECTED) then
          sany[a] = math.max(sany[a] or 0, x)
          if b ~= focal then sthird[a] = math.max(sthird[a] or 0, x) end
        end
      end
      if has(kind.cls, KAGGRESSION) then aggr[a] = math.max(aggr[a] or 0, x) end
    end
  end
  for _, d in pairs(D) do if d.host > 1 then d.host = 1 end end
  return D, sthird, sany, aggr
end

-- Security threat to actor j.
function ref.threat(m, D, j)
  local allyJ = {}
  for _, d in pairs(D) do
    if d.u == j then allyJ[d.v] = d.ally elseif d.v == j then allyJ[d.u] = d.ally end
  end
  local function aj(x) if x == j then return 1 end return allyJ[x] or 0 end
  -- hostility reaching y from j's bloc, and reaching k through its allies:
  -- independent paths combine as 1 - prod (1 - path)
  local notg = {}
  for _, d in pairs(D) do
    if d.host > 0 then
      notg[d.v] = (notg[d.v] or 1) * (1 - aj(d.u) * d.host)
      notg[d.u] = (notg[d.u] or 1) * (1 - aj(d.v) * d.host)
    end
  end
  local g = {}
  for k, v in pairs(notg) do g[k] = 1 - v end
  local notH = {}
  for k, v in pairs(notg) do notH[k] = v end
  for _, d in pairs(D) do
    if d.ally > 0 then
      notH[d.u] = (notH[d.u] or 1) * (1 - d.ally * (g[d.v] or 0))
      notH[d.v] = (notH[d.v] or 1) * (1 - d.ally * (g[d.u] or 0))
    end
  end
  local H = {}
  for k, v in pairs(notH) do H[k] = 1 - v end
  for _, d in pairs(D) do
    local o = d.u == j and d.v or (d.v == j and d.u or nil)
    if o and d.ntr > 0 then H[o] = (H[o] or 0) * (d.ntr >= 1 and 0 or 1 - d.ntr) end
  end
  local num, own = 0, m.actors[j + 1][1]
  for k, h in pairs(H) do if k ~= j then num = num + h * m.actors[k + 1][1] end end
  for k, a in pairs(allyJ) do if k ~= j then own = own + a * m.actors[k + 1][1] end end
  if num + own > 0 then return num / (num + own) end
  return 0
end

-- P(focal drawn in) from the exported polynomial: each variable's
-- probability recomputed from the slots.
local function edge_p(m, theta, s, var, lw)
  local best = 0
  for i, sl in ipairs(m.slots) do
    local kind = m.kinds[sl[3] + 1]
    if kind.sign > 0 then
      local dir = (sl[1] == var.from and sl[2] == var.to) or
        (not has(kind.flags, DIRECTED) and sl[2] == var.from and sl[1] == var.to)
      if dir and (var.cls == 0 or not has(kind.flags, DEFENSIVE)) then
        local v = lw[kind.level + 1] * s[i]
        if v > best then best = v end
      end
    end
  end
  return clamp01(clamp01(pval(theta, m.rel[key(var.from, var.to)] or -1, DEFAULT_RELIABILITY)) * best)
end

function ref.p_join(m, theta, s, t)
  local P = m.polys[t]
  local lw = {}
  for l = 1, 4 do lw[l] = clamp01(pval(theta, m.level_param[l], DEFAULT_LEVEL[l])) end
  local pv = {}
  for v, var in ipairs(P.vars) do pv[v - 1] = edge_p(m, theta, s, var, lw) end
  local sum = 0
  for _, mono in ipairs(P.monos) do
    local x = mono.coef
    for _, v in ipairs(mono.vars) do x = x * pv[v] end
    sum = sum + x
  end
  return clamp01(sum)
end

-- All criteria of model m at theta: {threat, entrapment, economy,
-- reputation, trust, tension, overall}.
function ref.eval(ex, m, theta)
  local spec = ex.spec
  local s = ref.strengths(m, theta)
  local D, sthird, sany, aggr = aggregate(m, theta, s)
  local f = m.focal
  local out = {0, 0, 0, 0, 0, 0, 0}
  out[1] = ref.threat(m, D, f)
  local stay = 1
  for t = 1, #spec.triggers do
    local q = clamp01(theta[spec.triggers[t].q + 1])
    stay = stay * (1 - q * ref.p_join(m, theta, s, t))
  end
  out[2] = clamp01(1 - stay)
  -- the focal actor's dyads; base trade and political ties from base strengths
  local base = {}
  for i, sl in ipairs(m.slots) do base[i] = sl[4] end
  local D0 = aggregate(m, theta, base)
  local T0, T1, num = 0, 0, 0
  local sigma = spec.sigma_param >= 0 and clamp01(theta[spec.sigma_param + 1]) or 0
  local rnum, rden, lost, tden = 0, 0, 0, 0
  local na = spec.norm_param
  local wa = na[1] >= 0 and clamp01(theta[na[1] + 1]) or 1
  local wp = na[2] >= 0 and clamp01(theta[na[2] + 1]) or 1
  local wsn = na[3] >= 0 and clamp01(theta[na[3] + 1]) or 1
  local nbr = {}
  for k, d in pairs(D) do
    local o = d.u == f and d.v or (d.v == f and d.u or nil)
    if o then
      nbr[#nbr + 1] = o
      local d0 = D0[k]
      T0, T1 = T0 + d0.trd, T1 + d.trd
      local risk = math.max(d.sdir, sigma * (sthird[o] or 0))
      num = num + d.trd * risk
      local v = 1 - (1 - wa * (aggr[o] or 0)) * (1 - wp * m.actors[o + 1][2]) * (1 - wsn * (sany[o] or 0))
      rnum, rden = rnum + d.coop * v, rden + d.coop
      if d0.ntr > 0 then
        local l = math.min(d0.ntr, math.max(0, d0.ntr - d.ntr))
        lost, tden = lost + l, tden + d0.ntr
      end
    end
  end
  local den = T0 > 0 and T0 or T1
  out[3] = den > 0 and clamp01((num + T0 - T1) / den) or 0
  out[4] = rden > 0 and clamp01(rnum / rden) or 0
  out[5] = tden > 0 and clamp01(lost / tden) or 0
  -- triangles through the focal actor, enumerated here
  table.sort(nbr)
  local unb, tot = 0, 0
  for i = 1, #nbr do
    for j = i + 1, #nbr do
      local x, y = nbr[i], nbr[j]
      local dxy = D[key(x, y)]
      if dxy then
        local a, b, c = D[key(f, x)].sig, D[key(f, y)].sig, dxy.sig
        if math.abs(a) > 1e-12 and math.abs(b) > 1e-12 and math.abs(c) > 1e-12 then
          local neg = (a < 0 and 1 or 0) + (b < 0 and 1 or 0) + (c < 0 and 1 or 0)
          local g = (math.min(1, math.abs(a)) * math.min(1, math.abs(b)) * math.min(1, math.abs(c))) ^ (1 / 3)
          tot = tot + g
          if neg % 2 == 1 then unb = unb + g end
        end
      end
    end
  end
  out[6] = tot > 0 and unb / tot or 0
  local wsum, total = 0, 0
  for c = 1, 6 do
    local p = spec.weight_param[c]
    if p >= 0 then
      local wt = theta[p + 1]
      if not (wt > 0) then wt = 0 end
      wsum, total = wsum + wt, total + wt * out[c]
    else
      out[c] = 0
    end
  end
  out[7] = wsum > 0 and total / wsum or 0
  return out
end

function ref.point(ex, theta)
  local rows = {}
  for i, m in ipairs(ex.models) do rows[i] = ref.eval(ex, m, theta) end
  return rows
end

------------------------------------------------------------ sampling

local function normal(rand)
  local u1, u2 = rand(), rand()
  if u1 < 1e-300 then u1 = 1e-300 end
  return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
end

local function gamma(a, rand)
  local boost = 1
  if a < 1 then boost = rand() ^ (1 / a); a = a + 1 end
  local d = a - 1 / 3
  local c = 1 / math.sqrt(9 * d)
  while true do
    local x, v
    repeat x = normal(rand); v = 1 + c * x until v > 0
    v = v * v * v
    local u = rand()
    if u < 1 - 0.0331 * x ^ 4 or math.log(u) < 0.5 * x * x + d * (1 - v + math.log(v)) then return boost * d * v end
  end
end

function ref.sample(p, rand)
  if p.type == 0 then return p.a end
  if p.type == 1 then return p.lo + rand() * (p.hi - p.lo) end
  if p.type == 2 then
    local u, w = rand(), p.hi - p.lo
    if w <= 0 then return p.lo end
    if u < (p.c - p.lo) / w then return p.lo + math.sqrt(u * w * (p.c - p.lo)) end
    return p.hi - math.sqrt((1 - u) * w * (p.hi - p.c))
  end
  if p.type == 3 then
    for _ = 1, 1000 do
      local x = p.a + p.b * normal(rand)
      if x >= p.lo and x <= p.hi then return x end
    end
    return math.max(p.lo, math.min(p.hi, p.a))
  end
  local x, y = gamma(p.a, rand), gamma(p.b, rand)
  return p.lo + (p.hi - p.lo) * x / (x + y)
end

-- Monte Carlo in Lua: expected score, P(best) and regret per option.
function ref.montecarlo(ex, runs, seed)
  math.randomseed(seed or 1)
  local rand = math.random
  local nm = #ex.models
  local mean, pbest, regret = {}, {}, {}
  for i = 1, nm do mean[i], pbest[i], regret[i] = 0, 0, 0 end
  local theta = {}
  for r = 1, runs do
    for k, p in ipairs(ex.params) do theta[k] = ref.sample(p, rand) end
    local rows = ref.point(ex, theta)
    local best = math.huge
    for i = 1, nm do if rows[i][7] < best then best = rows[i][7] end end
    local nb = 0
    for i = 1, nm do if rows[i][7] <= best + 1e-12 then nb = nb + 1 end end
    for i = 1, nm do
      local v = rows[i][7]
      mean[i] = mean[i] + (v - mean[i]) / r
      if v <= best + 1e-12 then pbest[i] = pbest[i] + 1 / nb end
      regret[i] = regret[i] + v - best
    end
  end
  for i = 1, nm do pbest[i], regret[i] = pbest[i] / runs, regret[i] / runs end
  return {mean = mean, pbest = pbest, regret = regret}
end

-- A fork of world w with the strengths of model m at theta (relations in
-- force at `date`), for checks against other entente models.
function ref.world_at(entente, w, m, theta, date)
  local core = entente.core
  local f = w:fork()
  local s = ref.strengths(m, theta)
  local day = entente._date(date)
  -- the model's slots follow relation ids of w in increasing order, then
  -- the added slots: rebuild from scratch to stay independent of that
  for _, id in ipairs(core.relations(f._c, nil, nil, nil, day)) do core.rel_remove(f._c, id) end
  for i, sl in ipairs(m.slots) do
    if s[i] > 0 then
      local kind = (core.kind_get(f._c, sl[3]))
      f:relate(core.actor_code(f._c, sl[1]), core.actor_code(f._c, sl[2]), kind, {strength = s[i], since = date})
    end
  end
  return f
end

return ref
