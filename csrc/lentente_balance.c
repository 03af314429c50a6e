/* lentente_balance.c - Lua binding for the balance kernels (thin: argument
** checks and conversions only; the SignedGraph class is in
** lua/entente/balance.lua).  Vertex ids are 0-based here.  Scratch buffers
** are Lua userdata and a snapshot is boxed in its userdata before it is
** built, so nothing leaks when an error unwinds. */
#include <math.h>
#include <string.h>

#include "lentente.h"
#include "balance.h"

#define SIGNED_MT "entente.signed"

typedef struct sbox {
  ent_signed *g;
} sbox;

static ent_signed *checksigned(lua_State *L, int idx) {
  sbox *b = (sbox *)luaL_checkudata(L, idx, SIGNED_MT);
  if (!b->g) luaL_argerror(L, idx, "signed graph was freed");
  return b->g;
}

static sbox *newbox(lua_State *L) {
  sbox *b = (sbox *)lua_newuserdata(L, sizeof *b);
  b->g = NULL;
  luaL_getmetatable(L, SIGNED_MT);
  lua_setmetatable(L, -2);
  return b;
}

/* Scratch memory owned by the Lua stack (collected on error). */
static void *scratch(lua_State *L, size_t k, size_t sz) {
  if (k == 0) k = 1;
  if (k > ((size_t)-1) / sz) luaL_error(L, "out of memory");
  return lua_newuserdata(L, k * sz);
}

static int32_t checkvertex(lua_State *L, const ent_signed *g, int idx) {
  lua_Number x = luaL_checknumber(L, idx);
  int32_t n = ent_signed_n(g);
  if (!(x >= 0 && x < n) || x != floor(x)) {
    lua_pushfstring(L, "vertex %s out of range 0..%d", lua_tostring(L, idx), (int)n - 1);
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return (int32_t)x;
}

static int fail(lua_State *L, ent_status st, const char *err) {
  if (st == ENT_ENOMEM) return luaL_error(L, "out of memory");
  return luaL_error(L, "%s", err && err[0] ? err : ent_status_string(st));
}

static int l_gc(lua_State *L) {
  sbox *b = (sbox *)luaL_checkudata(L, 1, SIGNED_MT);
  ent_signed_free(b->g);
  b->g = NULL;
  return 0;
}

static int l_tostring(lua_State *L) {
  sbox *b = (sbox *)luaL_checkudata(L, 1, SIGNED_MT);
  if (!b->g) lua_pushliteral(L, "signed graph (freed)");
  else
    lua_pushfstring(L, "signed graph: %d vertices, %d edges (%d positive)",
                    (int)ent_signed_nvertices(b->g), (int)ent_signed_m(b->g),
                    (int)ent_signed_npositive(b->g));
  return 1;
}

/* signed_from_world(world, day, weights) ; weights[k] (0-based kind) or nil */
static int l_from_world(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_date d = ent_lua_optdate(L, 2, ent_world_date(w));
  int nk = ent_kind_count(w), k;
  double *kw;
  char err[ENT_SIGNED_ERRLEN];
  ent_status st;
  sbox *b;
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  kw = (double *)scratch(L, (size_t)nk, sizeof *kw);
  for (k = 0; k < nk; k++) {
    kw[k] = ent_signed_default_weight(w, k);
    if (!lua_isnoneornil(L, 3)) {
      lua_rawgeti(L, 3, k);
      if (!lua_isnil(L, -1)) kw[k] = luaL_checknumber(L, -1);
      lua_pop(L, 1);
    }
  }
  b = newbox(L);
  err[0] = '\0';
  st = ent_signed_from_world(w, d, kw, nk, &b->g, err, sizeof err);
  if (st != ENT_OK) return fail(L, st, err);
  return 1;
}

/* signed_from_edges(n, from, to, weight): lists of 1-based vertex numbers
** and weights (Lua convention; checked here with 1-based messages). */
static int l_from_edges(lua_State *L) {
  lua_Number nn = luaL_checknumber(L, 1);
  int32_t n, m, i;
  int32_t *from, *to;
  double *wt;
  char err[ENT_SIGNED_ERRLEN];
  ent_status st;
  sbox *b;
  if (!(nn >= 0 && nn <= ENT_SIGNED_MAXM) || nn != floor(nn))
    return luaL_argerror(L, 1, lua_pushfstring(L, "vertex count %s out of range", lua_tostring(L, 1)));
  n = (int32_t)nn;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  if (lua_rawlen(L, 2) > (size_t)ENT_SIGNED_MAXM)
    return luaL_argerror(L, 2, "too many edges");
  m = (int32_t)lua_rawlen(L, 2);
  if ((int32_t)lua_rawlen(L, 3) != m || (int32_t)lua_rawlen(L, 4) != m)
    return luaL_argerror(L, 3, "columns from, to and weight must have the same length");
  from = (int32_t *)scratch(L, (size_t)m, sizeof *from);
  to = (int32_t *)scratch(L, (size_t)m, sizeof *to);
  wt = (double *)scratch(L, (size_t)m, sizeof *wt);
  for (i = 0; i < m; i++) {
    lua_Number a, c, x;
    int isnum;
    lua_rawgeti(L, 2, i + 1);
    lua_rawgeti(L, 3, i + 1);
    lua_rawgeti(L, 4, i + 1);
    a = lua_tonumber(L, -3);
    c = lua_tonumber(L, -2);
    x = lua_tonumber(L, -1);
    isnum = lua_type(L, -3) == LUA_TNUMBER && lua_type(L, -2) == LUA_TNUMBER;
    if (!isnum || !(a >= 1 && a <= n) || a != floor(a) || !(c >= 1 && c <= n) || c != floor(c)) {
      int bad = !(lua_type(L, -3) == LUA_TNUMBER && a >= 1 && a <= n && a == floor(a)) ? -3 : -2;
      lua_pushfstring(L, "edge %d: vertex %s out of range 1..%d", (int)i + 1,
                      lua_type(L, bad) == LUA_TNUMBER || lua_type(L, bad) == LUA_TSTRING
                          ? lua_tostring(L, bad)
                          : luaL_typename(L, bad),
                      (int)n);
      return luaL_argerror(L, 2, lua_tostring(L, -1));
    }
    if (a == c) {
      lua_pushfstring(L, "edge %d: self-loop on vertex %d", (int)i + 1, (int)a);
      return luaL_argerror(L, 2, lua_tostring(L, -1));
    }
    if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(x)) {
      lua_pushfstring(L, "edge %d: weight %s is not a finite number", (int)i + 1,
                      lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING
                          ? lua_tostring(L, -1)
                          : luaL_typename(L, -1));
      return luaL_argerror(L, 4, lua_tostring(L, -1));
    }
    from[i] = (int32_t)a - 1, to[i] = (int32_t)c - 1, wt[i] = x;
    lua_pop(L, 3);
  }
  b = newbox(L);
  err[0] = '\0';
  st = ent_signed_from_edges(n, m, from, to, wt, &b->g, err, sizeof err);
  if (st != ENT_OK) return fail(L, st, err);
  return 1;
}

/* info(g) -> n, m, positive, present vertices */
static int l_info(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  lua_pushinteger(L, (lua_Integer)ent_signed_n(g));
  lua_pushinteger(L, (lua_Integer)ent_signed_m(g));
  lua_pushinteger(L, (lua_Integer)ent_signed_npositive(g));
  lua_pushinteger(L, (lua_Integer)ent_signed_nvertices(g));
  return 4;
}

/* present(g) -> list (1..n) of booleans; degree(g) -> list of degrees */
static int l_vertices(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t n = ent_signed_n(g), v;
  lua_createtable(L, n, 0);
  lua_createtable(L, n, 0);
  for (v = 0; v < n; v++) {
    lua_pushboolean(L, ent_signed_present(g, v));
    lua_rawseti(L, -3, v + 1);
    lua_pushinteger(L, (lua_Integer)ent_signed_degree(g, v));
    lua_rawseti(L, -2, v + 1);
  }
  return 2;
}

/* edges(g) -> u, v, w lists (0-based ids, sorted by (u, v), u < v) */
static int l_edges(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t m = ent_signed_m(g), e;
  lua_createtable(L, m, 0);
  lua_createtable(L, m, 0);
  lua_createtable(L, m, 0);
  for (e = 0; e < m; e++) {
    ent_id u, v;
    double w;
    ent_signed_edge(g, e, &u, &v, &w);
    lua_pushinteger(L, (lua_Integer)u);
    lua_rawseti(L, -4, e + 1);
    lua_pushinteger(L, (lua_Integer)v);
    lua_rawseti(L, -3, e + 1);
    lua_pushnumber(L, w);
    lua_rawseti(L, -2, e + 1);
  }
  return 3;
}

static int l_weight(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t u = checkvertex(L, g, 2), v = checkvertex(L, g, 3);
  lua_pushnumber(L, ent_signed_weight(g, u, v));
  return 1;
}

/* neighbours(g, v) -> list of neighbour ids, list of weights */
static int l_neighbours(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t v = checkvertex(L, g, 2), k, i = 0;
  const int32_t *off, *nbr;
  const double *wt;
  ent_signed_csr(g, &off, &nbr, &wt, NULL);
  lua_createtable(L, off[v + 1] - off[v], 0);
  lua_createtable(L, off[v + 1] - off[v], 0);
  for (k = off[v]; k < off[v + 1]; k++) {
    i++;
    lua_pushinteger(L, (lua_Integer)nbr[k]);
    lua_rawseti(L, -3, i);
    lua_pushnumber(L, wt[k]);
    lua_rawseti(L, -2, i);
  }
  return 2;
}

static int l_census(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int64_t c[4];
  int k;
  ent_status st = ent_signed_census(g, c);
  if (st != ENT_OK) return fail(L, st, NULL);
  for (k = 0; k < 4; k++) lua_pushinteger(L, (lua_Integer)c[k]);
  return 4;
}

/* vertex_census(g) -> list of 4n counts: [4v + k + 1] */
static int l_vertex_census(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t n = ent_signed_n(g);
  int64_t *c = (int64_t *)scratch(L, 4 * (size_t)n, sizeof *c), i;
  ent_status st = ent_signed_vertex_census(g, c);
  if (st != ENT_OK) return fail(L, st, NULL);
  lua_createtable(L, 4 * n, 0);
  for (i = 0; i < 4 * (int64_t)n; i++) {
    lua_pushinteger(L, (lua_Integer)c[i]);
    lua_rawseti(L, -2, (int)(i + 1));
  }
  return 1;
}

/* triangles_at(g, v) -> flat list x1, y1, x2, y2 ... */
static int l_triangles_at(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t v = checkvertex(L, g, 2), *out;
  int64_t cnt, i;
  ent_signed_triangles_at(g, v, NULL, 0, &cnt);
  out = (int32_t *)scratch(L, 2 * (size_t)cnt, sizeof *out);
  ent_signed_triangles_at(g, v, out, cnt, &cnt);
  lua_createtable(L, (int)(2 * cnt), 0);
  for (i = 0; i < 2 * cnt; i++) {
    lua_pushinteger(L, (lua_Integer)out[i]);
    lua_rawseti(L, -2, (int)(i + 1));
  }
  return 1;
}

/* common(g, u, v) -> list of common neighbours */
static int l_common(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t u = checkvertex(L, g, 2), v = checkvertex(L, g, 3), *out;
  int64_t cnt, i;
  ent_signed_common(g, u, v, NULL, 0, &cnt);
  out = (int32_t *)scratch(L, (size_t)cnt, sizeof *out);
  ent_signed_common(g, u, v, out, cnt, &cnt);
  lua_createtable(L, (int)cnt, 0);
  for (i = 0; i < cnt; i++) {
    lua_pushinteger(L, (lua_Integer)out[i]);
    lua_rawseti(L, -2, (int)(i + 1));
  }
  return 1;
}

/* balance_triangles(g) -> score or nil (no triangle) */
static int l_balance_triangles(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  double s;
  ent_status st = ent_signed_balance_triangles(g, &s);
  if (st != ENT_OK) return fail(L, st, NULL);
  if (isnan(s)) lua_pushnil(L);
  else lua_pushnumber(L, s);
  return 1;
}

/* balance_walk(g) -> score | nil, size of the component over the limit, limit */
static int l_balance_walk(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  double s = 0;
  int32_t big = 0;
  ent_status st = ent_signed_balance_walk(g, &s, &big);
  if (st == ENT_ELIMIT) {
    lua_pushnil(L);
    lua_pushinteger(L, (lua_Integer)big);
    lua_pushinteger(L, (lua_Integer)ENT_WALK_MAXN);
    return 3;
  }
  if (st != ENT_OK) return fail(L, st, "walk balance: the eigensolver did not converge");
  if (isnan(s)) lua_pushnil(L);
  else lua_pushnumber(L, s);
  return 1;
}

static int64_t optint(lua_State *L, int idx, int64_t dflt, lua_Number lo, lua_Number hi,
                      const char *what) {
  lua_Number x;
  if (lua_isnoneornil(L, idx)) return dflt;
  x = luaL_checknumber(L, idx);
  if (!(x >= lo && x <= hi) || x != floor(x)) {
    lua_pushfstring(L, "%s %s out of range", what, lua_tostring(L, idx));
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return (int64_t)x;
}

/* frustration(g, exact, seed, starts, kicks, node_limit, enumerate) -> result table, sides list (1..n) */
static int l_frustration(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int32_t n = ent_signed_n(g), v;
  ent_frust_opts o;
  ent_frust_result r;
  int8_t *side;
  ent_status st;
  ent_frust_opts_init(&o);
  o.exact = lua_toboolean(L, 2);
  o.seed = (uint64_t)optint(L, 3, 1, 0, 9007199254740992.0, "seed");
  o.starts = (int32_t)optint(L, 4, o.starts, 1, 1000000, "starts");
  o.kicks = optint(L, 5, 0, 0, 1e15, "kicks");
  o.node_limit = optint(L, 6, o.node_limit, 0, 9e15, "node_limit");
  if (!lua_isnoneornil(L, 7) && !lua_toboolean(L, 7)) o.enum_max = 0;
  side = (int8_t *)scratch(L, (size_t)n, sizeof *side);
  st = ent_signed_frustration(g, &o, side, &r);
  if (st != ENT_OK) return fail(L, st, NULL);
  lua_createtable(L, 0, 11);
  lua_pushinteger(L, (lua_Integer)r.index);
  lua_setfield(L, -2, "index");
  lua_pushinteger(L, (lua_Integer)r.lower);
  lua_setfield(L, -2, "lower");
  lua_pushboolean(L, r.optimal);
  lua_setfield(L, -2, "optimal");
  lua_pushinteger(L, (lua_Integer)r.heuristic);
  lua_setfield(L, -2, "heuristic");
  lua_pushinteger(L, (lua_Integer)r.nodes);
  lua_setfield(L, -2, "nodes");
  lua_pushinteger(L, (lua_Integer)r.reduced_n);
  lua_setfield(L, -2, "reduced_n");
  lua_pushinteger(L, (lua_Integer)r.reduced_m);
  lua_setfield(L, -2, "reduced_m");
  lua_pushinteger(L, (lua_Integer)r.blocks);
  lua_setfield(L, -2, "blocks");
  lua_pushinteger(L, (lua_Integer)r.largest_block);
  lua_setfield(L, -2, "largest_block");
  lua_pushboolean(L, r.enumerated);
  lua_setfield(L, -2, "enumerated");
  lua_pushnumber(L, r.weight);
  lua_setfield(L, -2, "weight");
  lua_createtable(L, n, 0);
  for (v = 0; v < n; v++) {
    lua_pushinteger(L, (lua_Integer)side[v]);
    lua_rawseti(L, -2, v + 1);
  }
  return 2;
}

static int8_t *checksides(lua_State *L, const ent_signed *g, int idx) {
  int32_t n = ent_signed_n(g), v;
  int8_t *side;
  luaL_checktype(L, idx, LUA_TTABLE);
  side = (int8_t *)scratch(L, (size_t)n, sizeof *side);
  for (v = 0; v < n; v++) {
    lua_Number x;
    lua_rawgeti(L, idx, v + 1);
    x = lua_tonumber(L, -1);
    if (!(x == 1 || x == -1 || x == 0)) {
      lua_pushfstring(L, "side of vertex %d must be 1, -1 or 0, got %s", (int)v,
                      lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING
                          ? lua_tostring(L, -1)
                          : luaL_typename(L, -1));
      luaL_argerror(L, idx, lua_tostring(L, -1));
    }
    side[v] = (int8_t)x;
    lua_pop(L, 1);
  }
  return side;
}

/* frustration_of(g, sides) -> L ; frustrated(g, sides) -> list of edge ids (0-based) */
static int l_frustration_of(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int8_t *side = checksides(L, g, 2);
  lua_pushinteger(L, (lua_Integer)ent_signed_frustration_of(g, side));
  return 1;
}

static int l_frustrated(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int8_t *side = checksides(L, g, 2);
  int64_t cnt, i;
  int32_t *out;
  ent_signed_frustrated(g, side, NULL, 0, &cnt);
  out = (int32_t *)scratch(L, (size_t)cnt, sizeof *out);
  ent_signed_frustrated(g, side, out, cnt, &cnt);
  lua_createtable(L, (int)cnt, 0);
  for (i = 0; i < cnt; i++) {
    lua_pushinteger(L, (lua_Integer)out[i]);
    lua_rawseti(L, -2, (int)(i + 1));
  }
  return 1;
}

static int l_packing(lua_State *L) {
  ent_signed *g = checksigned(L, 1);
  int64_t lb;
  ent_status st = ent_signed_triangle_packing(g, &lb);
  if (st != ENT_OK) return fail(L, st, NULL);
  lua_pushinteger(L, (lua_Integer)lb);
  return 1;
}

/* sym_eigenvalues(k, list of k*k entries, row-major) -> ascending list */
static int l_sym_eigenvalues(lua_State *L) {
  lua_Number kk = luaL_checknumber(L, 1);
  int32_t k, i;
  double *a, *ev;
  ent_status st;
  if (!(kk >= 0 && kk <= ENT_WALK_MAXN) || kk != floor(kk))
    return luaL_argerror(L, 1, lua_pushfstring(L, "size %s out of range 0..%d", lua_tostring(L, 1),
                                               (int)ENT_WALK_MAXN));
  k = (int32_t)kk;
  luaL_checktype(L, 2, LUA_TTABLE);
  if ((int64_t)lua_rawlen(L, 2) != (int64_t)k * k)
    return luaL_argerror(L, 2, lua_pushfstring(L, "expected %d entries", (int)(k * k)));
  a = (double *)scratch(L, (size_t)k * (size_t)k, sizeof *a);
  ev = (double *)scratch(L, (size_t)k, sizeof *ev);
  for (i = 0; i < k * k; i++) {
    lua_rawgeti(L, 2, i + 1);
    if (lua_type(L, -1) != LUA_TNUMBER)
      return luaL_argerror(L, 2, lua_pushfstring(L, "entry %d is not a number", (int)i + 1));
    a[i] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  for (i = 0; i < k; i++) {
    int32_t j;
    for (j = 0; j < i; j++)
      if (a[(size_t)i * k + j] != a[(size_t)j * k + i])
        return luaL_argerror(L, 2, "matrix is not symmetric");
  }
  st = ent_sym_eigenvalues(k, a, ev);
  if (st != ENT_OK) return fail(L, st, "the eigensolver did not converge");
  lua_createtable(L, k, 0);
  for (i = 0; i < k; i++) {
    lua_pushnumber(L, ev[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const luaL_Reg methods[] = {
  {"info", l_info},
  {"vertices", l_vertices},
  {"edges", l_edges},
  {"weight", l_weight},
  {"neighbours", l_neighbours},
  {"census", l_census},
  {"vertex_census", l_vertex_census},
  {"triangles_at", l_triangles_at},
  {"common", l_common},
  {"balance_triangles", l_balance_triangles},
  {"balance_walk", l_balance_walk},
  {"frustration", l_frustration},
  {"frustration_of", l_frustration_of},
  {"frustrated", l_frustrated},
  {"packing", l_packing},
  {NULL, NULL}
};

void ent_lua_open_balance(lua_State *L) {
  const luaL_Reg *r;
  /* metatable of the snapshot userdata: __gc, __tostring, methods */
  luaL_newmetatable(L, SIGNED_MT);
  lua_pushcfunction(L, l_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_newtable(L);
  for (r = methods; r->name; r++) {
    lua_pushcfunction(L, r->func);
    lua_setfield(L, -2, r->name);
  }
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  /* module functions: signed_<method> and the constructors */
  for (r = methods; r->name; r++) {
    lua_pushfstring(L, "signed_%s", r->name);
    lua_pushcfunction(L, r->func);
    lua_settable(L, -3);
  }
  lua_pushcfunction(L, l_from_world);
  lua_setfield(L, -2, "signed_from_world");
  lua_pushcfunction(L, l_from_edges);
  lua_setfield(L, -2, "signed_from_edges");
  lua_pushcfunction(L, l_sym_eigenvalues);
  lua_setfield(L, -2, "sym_eigenvalues");
}
