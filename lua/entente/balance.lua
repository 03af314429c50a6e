-- entente.balance: structural balance of the signed view of a world.
--
--   local g = w:signed{date = "2024-12-05", weights = {trade = 0.5}}
--   g:triangles()                 --> {["+++"]=, ["++-"]=, ["+--"]=, ["---"]=}
--   g:balance("triangles" | "walk" | "frustration")   --> number in [0, 1]
--   g:frustration{exact = true}   --> index, bound, proof, blocs, frustrated ties
--   g:blocs(), g:tension(actor), g:tension(a, b), g:explain(), g:report()
--   entente.read_signed_csv(path) --> a world of "positive"/"negative" ties
--
-- The snapshot (a C userdata, CSR arrays) is immutable; results that cost
-- more than a pass over the edges are cached in the SignedGraph table.
-- Formulas and sources: docs/balance.md.
local util = require "entente.util"

local argerror, checkopts, fmt = util.argerror, util.checkopts, util.fmt

-- Default frustration method: exact (with a node budget) up to this many
-- edges, the heuristic alone beyond.
local AUTO_EXACT_M = 20000
local AUTO_NODE_LIMIT = 20000000

local TYPES = {"+++", "++-", "+--", "---"}

return function(entente, World)
  local core = entente.core

  local SignedGraph = {}
  SignedGraph.__index = SignedGraph
  entente.SignedGraph = SignedGraph

  -- names[id + 1] = code of vertex id, or false for an absent vertex.
  local function make(c, names, meta)
    local n, m, npos, nvert = core.signed_info(c)
    local present, degree = core.signed_vertices(c)
    local index = {}
    for i = 1, n do
      if names[i] and present[i] then index[names[i]] = i - 1 end
    end
    return setmetatable({
      _c = c, _names = names, _index = index, _present = present, _degree = degree, _cache = {},
      n = nvert, m = m, positive = npos, negative = m - npos,
      date = meta.date, weights = meta.weights, title = meta.title,
    }, SignedGraph)
  end

  SignedGraph.__tostring = function(g)
    return string.format("signed graph%s%s: %d actors, %d ties (%d positive, %d negative)",
      g.title and (" '" .. g.title .. "'") or "", g.date and (" as of " .. g.date) or "",
      g.n, g.m, g.positive, g.negative)
  end

  -- Dense id of an actor given by code or handle; raises at the user's call.
  function SignedGraph:_vid(x, fname, argn)
    local t = type(x)
    if t == "table" and type(x.code) == "string" then x, t = x.code, "string" end
    if t == "string" then
      local id = self._index[x]
      if id then return id end
      argerror(fname, argn, "unknown actor '" .. x .. "'" .. util.suggest(x, self:actors()), 3)
    end
    argerror(fname, argn, "actor code expected, got " .. t, 3)
  end

  function SignedGraph:_name(id) return self._names[id + 1] end

  --- g:actors() -> codes of the actors of the view (with or without ties), by id.
  function SignedGraph:actors()
    local list = {}
    for i, name in ipairs(self._names) do
      if name and self._present[i] then list[#list + 1] = name end
    end
    return list
  end

  local function signchar(w) return w > 0 and "+" or "-" end

  --- g:edges() -> list of {a=, b=, weight=, sign=} (a before b in actor order).
  function SignedGraph:edges()
    local U, V, W = core.signed_edges(self._c)
    local list = {}
    for e = 1, #U do
      list[e] = {a = self:_name(U[e]), b = self:_name(V[e]), weight = W[e], sign = signchar(W[e])}
    end
    return list
  end

  --- g:weight(a, b) -> the signed weight of the dyad (0 when no tie).
  function SignedGraph:weight(a, b)
    return core.signed_weight(self._c, self:_vid(a, "weight", 1), self:_vid(b, "weight", 2))
  end

  local function triangle(g, u, v, x)
    local c = g._c
    local s = signchar(core.signed_weight(c, u, v)) .. signchar(core.signed_weight(c, u, x)) ..
      signchar(core.signed_weight(c, v, x))
    local _, neg = s:gsub("%-", "")
    return {g:_name(u), g:_name(v), g:_name(x), signs = s, type = TYPES[neg + 1],
      balanced = neg % 2 == 0}
  end

  --- g:triangles() -> census {["+++"]=, ["++-"]=, ["+--"]=, ["---"]=}
  --- g:triangles(a) -> the triangles through a; g:triangles(a, b) -> through the dyad a-b.
  -- A listed triangle is {x, y, z, signs = "+-+" (signs of x-y, x-z, y-z),
  -- type = "++-", balanced = bool}.
  function SignedGraph:triangles(a, b)
    local c = self._c
    if a == nil then
      if b ~= nil then argerror("triangles", 1, "actor expected before the second actor") end
      local c0, c1, c2, c3 = core.signed_census(c)
      return {["+++"] = c0, ["++-"] = c1, ["+--"] = c2, ["---"] = c3}
    end
    local u = self:_vid(a, "triangles", 1)
    local list = {}
    if b == nil then
      local flat = core.signed_triangles_at(c, u)
      for i = 1, #flat, 2 do list[#list + 1] = triangle(self, u, flat[i], flat[i + 1]) end
    else
      local v = self:_vid(b, "triangles", 2)
      if core.signed_weight(c, u, v) ~= 0 then
        for _, x in ipairs(core.signed_common(c, u, v)) do list[#list + 1] = triangle(self, u, v, x) end
      end
    end
    return list
  end

  ------------------------------------------------------------ frustration

  local FRUST_OPTS = util.set {"exact", "seed", "starts", "kicks", "node_limit", "enumerate"}

  local function checkint(v, name, lo, fname)
    if v == nil then return nil end
    if type(v) ~= "number" or v ~= math.floor(v) or v < lo or v > 2 ^ 53 then
      argerror(fname, 1, name .. " must be an integer >= " .. lo .. ", got " .. tostring(v), 3)
    end
    return v
  end

  --- g:frustration{exact=, seed=, starts=, kicks=, node_limit=} -> result
  -- exact: true runs an exact method after the heuristic (every partition
  -- enumerated when at most 22 actors have ties, unless enumerate = false;
  -- branch and bound otherwise); false
  -- the heuristic alone; nil (default) exact when the view has at most
  -- 20,000 ties (with a budget of 2e7 nodes unless node_limit is given).
  -- Result: index (frustrated ties of the best partition), score =
  -- 1 - index / (m / 2), lower_bound, optimal, gap, method, proof (text),
  -- heuristic (index found by the heuristic alone), blocs = {{codes}, {codes}},
  -- unattached (actors without ties), frustrated = {{a=, b=, sign=, weight=}},
  -- nodes, reduced = {actors=, ties=, blocks=, largest_block=}.
  function SignedGraph:frustration(opts)
    opts = checkopts(opts, FRUST_OPTS, "frustration", 1)
    local exact = opts.exact
    if exact ~= nil and type(exact) ~= "boolean" then
      argerror("frustration", 1, "exact must be a boolean, got " .. tostring(exact))
    end
    local seed = checkint(opts.seed, "seed", 0, "frustration") or 1
    local starts = checkint(opts.starts, "starts", 1, "frustration")
    local kicks = checkint(opts.kicks, "kicks", 0, "frustration")
    local limit = checkint(opts.node_limit, "node_limit", 0, "frustration")
    local enumerate = opts.enumerate
    if enumerate ~= nil and type(enumerate) ~= "boolean" then
      argerror("frustration", 1, "enumerate must be a boolean, got " .. tostring(enumerate))
    end
    enumerate = enumerate ~= false
    if exact == nil then
      exact = self.m <= AUTO_EXACT_M
      if exact and limit == nil then limit = AUTO_NODE_LIMIT end
    end
    local key = table.concat({tostring(exact), seed, tostring(starts), tostring(kicks), tostring(limit),
      tostring(enumerate)}, ":")
    local cached = self._cache["frustration:" .. key]
    if cached then return cached end
    local r, side = core.signed_frustration(self._c, exact, seed, starts, kicks, limit, enumerate)
    local m = self.m
    local res = {
      index = r.index, lower_bound = r.lower, optimal = r.optimal, gap = r.index - r.lower,
      edges = m, score = m > 0 and 1 - r.index / (m / 2) or nil,
      method = exact and (r.enumerated and "enumeration" or "branch and bound") or "heuristic",
      heuristic = r.heuristic, nodes = r.nodes,
      seed = seed,
      reduced = (exact and not r.enumerated) and {actors = r.reduced_n, ties = r.reduced_m, blocks = r.blocks,
        largest_block = r.largest_block} or nil,
      _side = side,
    }
    res.weight = r.weight
    if r.enumerated then
      res.proof = string.format("proven optimal: all %d partitions of the %d actors with ties enumerated; " ..
        "of the optimal ones, the one with the least frustrated weight (%s)", r.nodes, r.reduced_n,
        fmt(r.weight))
    elseif r.optimal and exact and r.index > 0 and r.lower > 0 then
      res.proof = string.format("proven optimal: exact reductions, then branch and bound (Russian doll search) " ..
        "on %d biconnected block(s) of the reduced graph (%d actors, %d ties, %d nodes) closed with " ..
        "lower bound %d = index", r.blocks, r.reduced_n, r.reduced_m, r.nodes, r.lower)
    elseif r.optimal and r.index == 0 then
      res.proof = "proven optimal: the partition found violates no tie (the view is balanced)"
    elseif r.optimal and exact then
      res.proof = string.format("proven optimal: exact branch and bound (%d nodes), lower bound %d = index",
        r.nodes, r.lower)
    elseif r.optimal then
      res.proof = string.format("proven optimal: %d edge-disjoint unbalanced triangles each need a " ..
        "frustrated tie, and the partition found has %d", r.lower, r.index)
    elseif exact then
      res.proof = string.format("not proven: the node budget ran out; best partition %d, lower bound %d " ..
        "(the optimum of the largest sub-block solved, or a triangle packing)", r.index, r.lower)
    else
      res.proof = string.format("not proven (heuristic): best partition %d, lower bound %d from " ..
        "edge-disjoint unbalanced triangles", r.index, r.lower)
    end
    local b1, b2, un = {}, {}, {}
    for i, s in ipairs(side) do
      local name = self._names[i]
      if name and self._present[i] then
        if s > 0 then b1[#b1 + 1] = name
        elseif s < 0 then b2[#b2 + 1] = name
        else un[#un + 1] = name end
      end
    end
    res.blocs, res.unattached = {b1, b2}, un
    local U, V, W = core.signed_edges(self._c)
    local fr = {}
    for _, e in ipairs(core.signed_frustrated(self._c, side)) do
      fr[#fr + 1] = {a = self:_name(U[e + 1]), b = self:_name(V[e + 1]), weight = W[e + 1],
        sign = signchar(W[e + 1])}
    end
    res.frustrated = fr
    self._cache["frustration:" .. key] = res
    return res
  end

  --- g:blocs(opts) -> {{codes of bloc 1}, {codes of bloc 2}, unattached = {codes}}
  -- The two blocs of the best partition found by g:frustration(opts); bloc 1
  -- holds the first actor (in the world's order) that has a tie.
  function SignedGraph:blocs(opts)
    local r = self:frustration(opts)
    return {r.blocs[1], r.blocs[2], unattached = r.unattached}
  end

  local METHODS = {"triangles", "walk", "frustration"}

  --- g:balance(method, opts) -> score in [0, 1] (1 = balanced), or nil, why
  --- g:balance() -> {triangles=, walk=, frustration=} (a score may be nil)
  -- triangles: share of balanced triangles (+++ and +--); walk: Estrada &
  -- Benzi's sum exp(eig(A)) / sum exp(eig(|A|)); frustration: 1 - L / (m/2)
  -- with opts passed to g:frustration.
  function SignedGraph:balance(method, opts)
    if method == nil then
      local t = {}
      for _, name in ipairs(METHODS) do t[name] = self:balance(name, opts) end
      return t
    end
    if method == "triangles" then
      local s = core.signed_balance_triangles(self._c)
      if s == nil then return nil, "triangle balance is undefined: the view has no triangle" end
      return s
    elseif method == "walk" then
      local s, big, lim = core.signed_balance_walk(self._c)
      if s == nil and big then
        return nil, string.format("walk balance needs a dense eigensolver: the largest connected " ..
          "component has %d actors, over the limit of %d", big, lim)
      end
      if s == nil then return nil, "walk balance is undefined: the view has no actor" end
      return s
    elseif method == "frustration" then
      if self.m == 0 then return nil, "frustration balance is undefined: the view has no tie" end
      return self:frustration(opts).score
    end
    argerror("balance", 1, "unknown method '" .. tostring(method) .. "'" ..
      util.suggest(tostring(method), METHODS) .. "; expected triangles, walk or frustration")
  end

  ---------------------------------------------------------- explanations

  function SignedGraph:_vcensus()
    local vc = self._cache.vcensus
    if not vc then
      vc = core.signed_vertex_census(self._c)
      self._cache.vcensus = vc
    end
    return vc
  end

  -- Frustrated ties per actor code for a frustration result.
  local function frustrated_at(res)
    local per = res._per
    if not per then
      per = {}
      for _, e in ipairs(res.frustrated) do
        per[e.a] = (per[e.a] or 0) + 1
        per[e.b] = (per[e.b] or 0) + 1
      end
      res._per = per
    end
    return per
  end

  local function bloc_of(res, code)
    for i = 1, 2 do
      for _, x in ipairs(res.blocs[i]) do if x == code then return i end end
    end
    return nil
  end

  --- g:tension(a, opts) -> why actor a is (or is not) caught in the middle:
  -- {actor, bloc, ties, triangles, unbalanced, census = {...}, frustrated =
  -- {{other=, sign=}}, share (of the frustration index), unbalanced_triangles}
  --- g:tension(a, b, opts) -> why the dyad is tense: {a, b, weight, sign,
  -- frustrated (the tie violates the best partition), triangles,
  -- balanced, unbalanced, unbalanced_triangles, common = {{actor=, with_a=,
  -- with_b=}}, pressure (sum over common neighbours x of s(a,x) s(b,x): a
  -- sign opposite to the tie's means friends of friends are enemies, or the
  -- reverse)}
  function SignedGraph:tension(a, b, opts)
    if type(b) == "table" and type(b.code) ~= "string" and opts == nil then b, opts = nil, b end
    local u = self:_vid(a, "tension", 1)
    local res = self:frustration(opts)
    local code = self:_name(u)
    if b == nil then
      local vc = self:_vcensus()
      local k = 4 * u
      local census = {["+++"] = vc[k + 1], ["++-"] = vc[k + 2], ["+--"] = vc[k + 3], ["---"] = vc[k + 4]}
      local fr = {}
      for _, e in ipairs(res.frustrated) do
        if e.a == code then fr[#fr + 1] = {other = e.b, sign = e.sign, weight = e.weight}
        elseif e.b == code then fr[#fr + 1] = {other = e.a, sign = e.sign, weight = e.weight} end
      end
      local ub = {}
      for _, t in ipairs(self:triangles(code)) do if not t.balanced then ub[#ub + 1] = t end end
      return {
        actor = code, bloc = bloc_of(res, code), ties = self._degree[u + 1],
        triangles = vc[k + 1] + vc[k + 2] + vc[k + 3] + vc[k + 4],
        unbalanced = vc[k + 2] + vc[k + 4], census = census,
        frustrated = fr, share = res.index > 0 and #fr / (2 * res.index) or 0,
        unbalanced_triangles = ub,
      }
    end
    local v = self:_vid(b, "tension", 2)
    local c = self._c
    local w = core.signed_weight(c, u, v)
    local tris, ub, nb = self:triangles(a, b), {}, 0
    for _, t in ipairs(tris) do
      if t.balanced then nb = nb + 1 else ub[#ub + 1] = t end
    end
    local common, pressure = {}, 0
    for _, x in ipairs(core.signed_common(c, u, v)) do
      local sa, sb = core.signed_weight(c, u, x), core.signed_weight(c, v, x)
      common[#common + 1] = {actor = self:_name(x), with_a = signchar(sa), with_b = signchar(sb)}
      pressure = pressure + (sa > 0 and 1 or -1) * (sb > 0 and 1 or -1)
    end
    local frustrated = false
    local name_b = self:_name(v)
    for _, e in ipairs(res.frustrated) do
      if (e.a == code and e.b == name_b) or (e.b == code and e.a == name_b) then frustrated = true end
    end
    return {
      a = code, b = name_b, weight = w, sign = w ~= 0 and signchar(w) or nil, frustrated = frustrated,
      triangles = tris, balanced = nb, unbalanced = #ub, unbalanced_triangles = ub,
      common = common, pressure = pressure,
    }
  end

  --- g:explain(opts) -> {index, optimal, blocs, unattached, frustrated,
  -- actors = {{actor=, bloc=, share=, frustrated=, unbalanced=, triangles=}}}
  -- with the actors sorted by share of the frustration, then by unbalanced
  -- triangles: the first ones are caught in the middle.
  function SignedGraph:explain(opts)
    local res = self:frustration(opts)
    local per = frustrated_at(res)
    local vc = self:_vcensus()
    local list = {}
    for i, name in ipairs(self._names) do
      if name and self._present[i] then
        local k = 4 * (i - 1)
        local f = per[name] or 0
        list[#list + 1] = {
          actor = name, bloc = bloc_of(res, name), frustrated = f,
          share = res.index > 0 and f / (2 * res.index) or 0,
          unbalanced = vc[k + 2] + vc[k + 4], triangles = vc[k + 1] + vc[k + 2] + vc[k + 3] + vc[k + 4],
        }
      end
    end
    table.sort(list, function(x, y)
      if x.share ~= y.share then return x.share > y.share end
      if x.unbalanced ~= y.unbalanced then return x.unbalanced > y.unbalanced end
      return x.actor < y.actor
    end)
    return {index = res.index, optimal = res.optimal, score = res.score, blocs = res.blocs,
      unattached = res.unattached, frustrated = res.frustrated, actors = list}
  end

  local function pct(x) return string.format("%d%%", math.floor(100 * x + 0.5)) end

  local function score_str(s) return s and string.format("%.3f", s) or "n/a" end

  --- g:report(opts) -> a short readable text: census, the three scores, the
  -- blocs, the frustrated ties and the actors caught in the middle.
  function SignedGraph:report(opts)
    local out = {}
    local function add(...) out[#out + 1] = string.format(...) end
    add("%s", tostring(self))
    if self.weights then
      local ws = {}
      for _, name in ipairs(util.sorted_keys(self.weights)) do
        if self.weights[name] ~= 1 then ws[#ws + 1] = name .. " " .. fmt(self.weights[name]) end
      end
      add("  kind weights: %s", #ws > 0 and (table.concat(ws, ", ") .. ", others 1") or "all 1")
    end
    local t = self:triangles()
    local total = t["+++"] + t["++-"] + t["+--"] + t["---"]
    add("  triangles: +++ %d, ++- %d, +-- %d, --- %d (%d in all, %d balanced)", t["+++"], t["++-"],
      t["+--"], t["---"], total, t["+++"] + t["+--"])
    local b = self:balance(nil, opts)
    add("  balance (1 = balanced): triangles %s, walk %s, frustration %s", score_str(b.triangles),
      score_str(b.walk), score_str(b.frustration))
    if self.m == 0 then return table.concat(out, "\n") end
    local e = self:explain(opts)
    local r = self:frustration(opts)
    add("  frustration index: %d of %d ties (%s)", r.index, self.m,
      r.optimal and "proven optimal" or ("lower bound " .. r.lower_bound))
    add("  blocs: {%s} vs {%s}%s", table.concat(e.blocs[1], ", "), table.concat(e.blocs[2], ", "),
      #e.unattached > 0 and ("; no ties: " .. table.concat(e.unattached, ", ")) or "")
    if #e.frustrated > 0 then
      local fs = {}
      for i, f in ipairs(e.frustrated) do
        if i > 12 then fs[#fs + 1] = "..."; break end
        fs[#fs + 1] = string.format("%s %s %s (%s)", f.a, f.sign, f.b,
          f.sign == "+" and "friends across the blocs" or "enemies inside a bloc")
      end
      add("  frustrated ties: %s", table.concat(fs, "; "))
      local cs = {}
      for _, a in ipairs(e.actors) do
        if a.share > 0 or a.unbalanced > 0 then
          if #cs >= 8 then cs[#cs + 1] = "..."; break end
          cs[#cs + 1] = string.format("%s %s of the frustration, %d unbalanced triangle%s", a.actor,
            pct(a.share), a.unbalanced, a.unbalanced == 1 and "" or "s")
        end
      end
      add("  caught in the middle: %s", table.concat(cs, "; "))
    else
      add("  no frustrated tie: the view splits cleanly into two blocs")
    end
    return table.concat(out, "\n")
  end

  ---------------------------------------------------------- constructors

  local SIGNED_OPTS = util.set {"date", "weights"}

  --- w:signed{date=, weights = {kind = weight}} -> SignedGraph
  -- One signed weight per dyad as of the date (default: the world's date):
  -- the sum over the relations in force of kind.sign * strength *
  -- weight(kind); its sign is the tie's sign, a zero sum is no tie.  Default
  -- weights: trade 0.5, every other kind 1.
  function World:signed(opts)
    opts = checkopts(opts, SIGNED_OPTS, "signed", 1)
    local d = self:_asof(opts.date, "signed", 1)
    local wt = {}
    if opts.weights ~= nil then
      if type(opts.weights) ~= "table" then
        argerror("signed", 1, "weights must be a table of kind = weight, got " .. type(opts.weights))
      end
      for name, x in pairs(opts.weights) do
        local k = self:_kid(name, "signed", 1)
        if type(x) ~= "number" or x ~= x or x < 0 or x == math.huge then
          argerror("signed", 1, "weight " .. (x ~= x and "nan" or tostring(x)) .. " for kind '" .. tostring(name) ..
            "' must be a finite number >= 0")
        end
        wt[k] = x
      end
    end
    local c = core.signed_from_world(self._c, d, wt)
    local names = {}
    for id = 0, core.actor_capacity(self._c) - 1 do
      names[id + 1] = core.actor_alive(self._c, id) and core.actor_code(self._c, id) or false
    end
    local eff = {}
    for _, k in ipairs(self:kinds()) do
      eff[k.name] = wt[k.id] or (k.name == "trade" and 0.5 or 1)
    end
    return make(c, names, {date = entente._datestr(d), weights = eff, title = self.title})
  end

  local GRAPH_OPTS = util.set {"n", "from", "to", "weight", "names", "title"}

  --- entente.signed_graph{n=, from=, to=, weight=, names=} -> SignedGraph
  -- A view straight from columns: vertices 1..n, ties from[i] - to[i] with
  -- weight[i] (repeated pairs are summed); names[i] is the code of vertex i
  -- (default its number as a string).  For large synthetic graphs.
  function entente.signed_graph(spec)
    spec = checkopts(spec, GRAPH_OPTS, "signed_graph", 1)
    local n = spec.n
    if type(n) ~= "number" or n ~= math.floor(n) or n < 0 then
      argerror("signed_graph", 1, "n must be a count of vertices, got " .. tostring(n))
    end
    local names = {}
    if spec.names ~= nil then
      if type(spec.names) ~= "table" or #spec.names ~= n then
        argerror("signed_graph", 1, "names must be a list of n codes")
      end
      for i = 1, n do names[i] = tostring(spec.names[i]) end
    else
      for i = 1, n do names[i] = tostring(i) end
    end
    for _, col in ipairs {"from", "to", "weight"} do
      if type(spec[col]) ~= "table" then argerror("signed_graph", 1, col .. " must be a list") end
    end
    local ok, c = pcall(core.signed_from_edges, n, spec.from, spec.to, spec.weight)
    if not ok then
      argerror("signed_graph", 1, tostring(c):gsub("^bad argument #%d to '[^']*' %((.*)%)$", "%1"))
    end
    return make(c, names, {title = spec.title})
  end

  local READ_OPTS = util.set {"nodes", "title"}

  local function valid_code(s)
    return #s >= 1 and #s <= 15 and not s:find("[^%w_+%-]")
  end

  --- entente.read_signed_csv(path, {nodes = path, title =}) -> world | nil, message
  -- Reads a signed edge list with columns from,to,sign (sign 1 or -1) into a
  -- new world: actors by name (codes of 1 to 15 characters of A-Z a-z 0-9 _
  -- + -), one tie of kind "positive" (sign +1, strength 1) or "negative"
  -- (sign -1, strength 1) per row, always in force.  nodes: a CSV with a
  -- column name listing the actors (keeps isolates and the order).
  function entente.read_signed_csv(path, opts)
    if type(path) ~= "string" then argerror("read_signed_csv", 1, "path expected, got " .. type(path)) end
    opts = checkopts(opts, READ_OPTS, "read_signed_csv", 2)
    local csv = require "entente.csv"
    local codes, seen = {}, {}
    local function add(name) if not seen[name] then seen[name] = true; codes[#codes + 1] = name end end
    -- column positions from the header line (before streaming the rows)
    local function columns(file, need)
      local f, ferr = io.open(file, "rb")
      if not f then return nil, ferr end
      local first = f:read("*l") or ""
      f:close()
      if first:sub(1, 3) == "\239\187\191" then first = first:sub(4) end
      local hdr = csv.parse((first:gsub("\r$", "")), file) or {}
      local ci = {}
      for i, h in ipairs(hdr) do ci[h] = i end
      for _, name in ipairs(need) do
        if not ci[name] then
          return nil, file .. ":1:1: no column '" .. name .. "' in the header (expected " ..
            table.concat(need, ",") .. ")"
        end
      end
      return ci
    end
    local function bad_name(name)
      return "bad actor name '" .. name .. "' (1 to 15 characters of A-Z a-z 0-9 _ + -)"
    end
    if opts.nodes ~= nil then
      local nodes = opts.nodes
      if type(nodes) ~= "string" then argerror("read_signed_csv", 2, "nodes must be a path") end
      local nc, nerr = columns(nodes, {"name"})
      if not nc then return nil, nerr end
      local header, err = csv.read(nodes, {each = function(row, where)
        local name = row[nc.name]
        if name == nil then return false, where(nc.name) .. ": empty name" end
        if not valid_code(name) then return false, where(nc.name) .. ": " .. bad_name(name) end
        if seen[name] then return false, where(nc.name) .. ": actor '" .. name .. "' listed twice" end
        add(name)
      end})
      if not header then return nil, err end
    end
    local ci, cerr = columns(path, {"from", "to", "sign"})
    if not ci then return nil, cerr end
    local A, B, K = {}, {}, {}
    local header, err = csv.read(path, {each = function(row, where)
      local a, b, s = row[ci.from], row[ci.to], row[ci.sign]
      if a == nil then return false, where(ci.from) .. ": empty 'from'" end
      if b == nil then return false, where(ci.to) .. ": empty 'to'" end
      if not valid_code(a) then return false, where(ci.from) .. ": " .. bad_name(a) end
      if not valid_code(b) then return false, where(ci.to) .. ": " .. bad_name(b) end
      if a == b then return false, where(ci.to) .. ": self-loop on '" .. a .. "'" end
      local x = tonumber(s)
      if x ~= 1 and x ~= -1 then
        return false, where(ci.sign) .. ": bad sign '" .. tostring(s) .. "' (expected 1 or -1)"
      end
      add(a)
      add(b)
      local i = #A + 1
      A[i], B[i], K[i] = a, b, x > 0 and "positive" or "negative"
    end})
    if not header then return nil, err end
    local w = entente.world {title = opts.title or path:match("([^/\\]+)$")}
    w:define_kind("positive", {sign = 1, strength = 1})
    w:define_kind("negative", {sign = -1, strength = 1})
    if #codes > 0 then w:add_actors(codes) end
    if #A > 0 then w:relate_many {a = A, b = B, kind = K, strength = 1} end
    return w
  end
end
