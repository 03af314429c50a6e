-- bench/balance.lua: the balance kernels on a synthetic signed graph of
-- 100,000 actors and about 1,000,000 ties (not part of the tests).
--
--   make bench      or      lua bench/balance.lua [actors]
--
-- The graph (deterministic, Park-Miller generator): 1,000 communities of 100
-- actors split between two blocs; each actor draws 9 partners in its
-- community (positive with probability 0.9) and 2 anywhere (positive with
-- probability 0.8 inside its bloc, negative with probability 0.8 across).
-- Triangle census: entente's signed census against python3-igraph's C
-- triangle listing (Graph.list_triangles, which also builds a Python tuple
-- per triangle) and C triangle count inside Graph.transitivity_undirected,
-- and NetworkX (nx.triangles), each timed around the counting call only,
-- best of several runs; the totals must agree.  Frustration: the heuristic's time, index, lower bound and gap, and
-- the planted partition's index for comparison.
local entente = require "entente"

local N = tonumber(arg and arg[1]) or 100000
local C = 100
local seed = 20240619
local function rnd() seed = (seed * 16807) % 2147483647; return seed / 2147483647 end
local function below(k) return math.floor(rnd() * k) end

local t0 = os.clock()
local seen, from, to, weight, m = {}, {}, {}, {}, 0
local function add(a, b, s)
  if a == b then return end
  if a > b then a, b = b, a end
  local key = a * N + b
  if seen[key] then return end
  seen[key] = true
  m = m + 1
  from[m], to[m], weight[m] = a + 1, b + 1, s
end
for v = 0, N - 1 do
  local c = math.floor(v / C)
  for _ = 1, 9 do add(v, c * C + below(C), rnd() < 0.9 and 1 or -1) end
  for _ = 1, 2 do
    local u = below(N)
    local same = (math.floor(u / C) % 2) == (c % 2)
    add(v, u, ((same and rnd() < 0.8) or (not same and rnd() >= 0.8)) and 1 or -1)
  end
end
seen = nil
local tgen = os.clock() - t0

t0 = os.clock()
local g = entente.signed_graph {n = N, from = from, to = to, weight = weight, title = "synthetic"}
local tbuild = os.clock() - t0
print(string.format("graph: %d actors, %d ties (%d negative); generated in %.2f s (Lua), snapshot built in %.3f s",
  g.n, g.m, g.negative, tgen, tbuild))

local function best_of(k, f)
  local best, res = math.huge, nil
  for _ = 1, k do
    local s = os.clock()
    res = f()
    local dt = os.clock() - s
    if dt < best then best = dt end
  end
  return best, res
end

local tcensus, census = best_of(5, function() return g:triangles() end)
local total = census["+++"] + census["++-"] + census["+--"] + census["---"]
print(string.format("entente signed census: %.4f s  (+++ %d, ++- %d, +-- %d, --- %d; %d triangles)",
  tcensus, census["+++"], census["++-"], census["+--"], census["---"], total))

-- Peers, in /usr/bin/python3 (python3-igraph, python3-networkx).
local PY = [[
import sys, time
path, n = sys.argv[1], int(sys.argv[2])
edges = []
with open(path) as f:
    for line in f:
        a, b = line.split()
        edges.append((int(a), int(b)))
try:
    import igraph
    g = igraph.Graph(n=n, edges=edges)
    best = None
    for _ in range(3):
        t = time.perf_counter(); k = len(g.list_triangles()); dt = time.perf_counter() - t
        best = dt if best is None or dt < best else best
    print("igraph-list_triangles %.6f %d %s" % (best, k, igraph.__version__))
    # transitivity counts the triangles in C without building Python tuples
    best = None
    for _ in range(3):
        t = time.perf_counter(); tr = g.transitivity_undirected(); dt = time.perf_counter() - t
        best = dt if best is None or dt < best else best
    print("igraph-transitivity %.6f %d %s" % (best, k, igraph.__version__))
except ImportError:
    print("igraph skip 0 -")
try:
    import networkx as nx
    G = nx.Graph(); G.add_nodes_from(range(n)); G.add_edges_from(edges)
    t = time.perf_counter(); k = sum(nx.triangles(G).values()) // 3; dt = time.perf_counter() - t
    print("networkx %.6f %d %s" % (dt, k, nx.__version__))
except ImportError:
    print("networkx skip 0 -")
]]

local python = "/usr/bin/python3"
local pyf = io.open(python, "rb")
if pyf then
  pyf:close()
  local edgefile, script = os.tmpname(), os.tmpname()
  local f = assert(io.open(edgefile, "wb"))
  for i = 1, m do f:write(from[i] - 1, " ", to[i] - 1, "\n") end
  f:close()
  f = assert(io.open(script, "wb"))
  f:write(PY)
  f:close()
  local p = io.popen(python .. " " .. script .. " " .. edgefile .. " " .. N .. " 2>&1")
  local out = p:read("*a")
  p:close()
  os.remove(edgefile)
  os.remove(script)
  for name, secs, count, version in out:gmatch("([%a%-_]+) (%S+) (%d+) (%S+)") do
    if secs == "skip" then
      print(name .. ": not installed, skipped")
    else
      local s = tonumber(secs)
      print(string.format("%s %s triangle count: %.4f s (%s triangles%s); entente is %.1fx %s", name, version, s,
        count, tonumber(count) == total and ", same total" or " - TOTALS DIFFER", s / tcensus,
        s >= tcensus and "faster" or "slower (ratio < 1)"))
    end
  end
  if not out:find("igraph") then print("python peers failed: " .. out) end
else
  print("no /usr/bin/python3: peers skipped")
end

-- Frustration heuristic (multilevel iterated local search, seeded).
local s = os.clock()
local r = g:frustration {exact = false}
local tf = os.clock() - s
print(string.format("frustration heuristic: %.2f s; index %d (score %.4f), lower bound %d (edge-disjoint " ..
  "unbalanced triangles), gap %d = %.1f%% of the index", tf, r.index, r.score, r.lower_bound,
  r.index - r.lower_bound, 100 * (r.index - r.lower_bound) / math.max(r.index, 1)))
-- the planted partition (bloc = community parity) for comparison
local planted = 0
for i = 1, m do
  local a, b = from[i] - 1, to[i] - 1
  local same = (math.floor(a / C) % 2) == (math.floor(b / C) % 2)
  if (weight[i] > 0) ~= same then planted = planted + 1 end
end
print(string.format("planted two-bloc partition: index %d (the heuristic is %s)", planted,
  r.index <= planted and "at or below it" or "above it"))
