/* lentente_cascade.c - Lua binding for the cascade (entrapment) and tension
** kernels.  Thin: argument checks and conversions only; names, defaults and
** reports live in lua/entente/entrapment.lua and tension.lua.  Ids are
** 0-based, dates day numbers.  Everything allocated here is owned by a
** userdata (collected if an error unwinds through us). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lentente.h"
#include "cascade.h"
#include "tension.h"

#define CASCADE_MT "entente.cascade"

typedef struct box { ent_cascade *c; } box;

static int box_gc(lua_State *L) {
  box *b = (box *)luaL_checkudata(L, 1, CASCADE_MT);
  ent_cascade_free(b->c);
  b->c = NULL;
  return 0;
}

static ent_cascade *checkcascade(lua_State *L, int idx) {
  box *b = (box *)luaL_checkudata(L, idx, CASCADE_MT);
  if (!b->c) luaL_argerror(L, idx, "cascade was freed");
  return b->c;
}

/* A scratch buffer owned by a userdata left on the stack. */
static void *buffer(lua_State *L, size_t n) {
  return lua_newuserdata(L, n ? n : 1);
}

static double checkunit(lua_State *L, int idx, const char *what) {
  lua_Number x = luaL_checknumber(L, idx);
  if (!(x >= 0 && x <= 1)) luaL_error(L, "%s must be in [0,1] (got %f)", what, (double)x);
  return (double)x;
}

static int32_t idlist(lua_State *L, int idx, ent_id *out, int32_t cap) {
  int32_t n = (int32_t)lua_rawlen(L, idx), i;
  for (i = 0; i < n && i < cap; i++) {
    lua_Number v;
    lua_rawgeti(L, idx, i + 1);
    v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (v != floor(v) || v < 0 || v > 2147483646.0) luaL_argerror(L, idx, "bad actor id");
    out[i] = (ent_id)v;
  }
  return n;
}

/* cascade_new(w, attackers, defenders, date|nil, reliability, levels{4},
**   kind_weights{[name]=w}|nil, rel_prob{[id]=p}|nil, honour_offensive,
**   both_sides) -> cascade */
static int l_cascade_new(lua_State *L) {
  static const char *const rules[] = {"abstain", "stronger", NULL};
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_cascade_params p;
  ent_id *att, *def;
  int32_t na, nd, i;
  double *kw = NULL, *rp = NULL;
  char err[ENT_CASCADE_ERRLEN];
  box *b;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 6, LUA_TTABLE);
  ent_cascade_params_init(&p);
  na = (int32_t)lua_rawlen(L, 2);
  nd = (int32_t)lua_rawlen(L, 3);
  if (na != nd) luaL_argerror(L, 3, "as many defenders as attackers expected");
  att = (ent_id *)buffer(L, (size_t)na * sizeof *att);
  def = (ent_id *)buffer(L, (size_t)nd * sizeof *def);
  idlist(L, 2, att, na);
  idlist(L, 3, def, nd);
  p.date = ent_lua_optdate(L, 4, ENT_DATE_MIN);
  p.reliability = checkunit(L, 5, "reliability");
  for (i = 0; i < 4; i++) {
    lua_rawgeti(L, 6, i + 1);
    p.level_weight[i] = checkunit(L, -1, "obligation level weight");
    lua_pop(L, 1);
  }
  if (!lua_isnoneornil(L, 7)) {
    int nk = ent_kind_count(w);
    luaL_checktype(L, 7, LUA_TTABLE);
    kw = (double *)buffer(L, (size_t)nk * sizeof *kw);
    for (i = 0; i < nk; i++) kw[i] = NAN;
    lua_pushnil(L);
    while (lua_next(L, 7)) {
      int k;
      if (lua_type(L, -2) != LUA_TSTRING) luaL_argerror(L, 7, "kind names expected as keys");
      if (ent_kind_find(w, lua_tostring(L, -2), &k) != ENT_OK)
        luaL_error(L, "unknown kind '%s'", lua_tostring(L, -2));
      kw[k] = (double)luaL_checknumber(L, -1);
      lua_pop(L, 1);
    }
    p.kind_weight = kw;
  }
  if (!lua_isnoneornil(L, 8)) {
    int32_t nr = ent_relation_capacity(w);
    luaL_checktype(L, 8, LUA_TTABLE);
    rp = (double *)buffer(L, (size_t)nr * sizeof *rp);
    for (i = 0; i < nr; i++) rp[i] = NAN;
    lua_pushnil(L);
    while (lua_next(L, 8)) {
      lua_Number id;
      if (lua_type(L, -2) != LUA_TNUMBER) luaL_argerror(L, 8, "relation ids expected as keys");
      id = lua_tonumber(L, -2);
      if (id != floor(id) || id < 0 || id >= nr || !ent_relation_alive(w, (ent_id)id))
        luaL_error(L, "no live relation with id %f", (double)id);
      rp[(int32_t)id] = (double)luaL_checknumber(L, -1);
      lua_pop(L, 1);
    }
    p.rel_prob = rp;
  }
  p.honour_offensive = lua_toboolean(L, 9);
  p.both_sides = luaL_checkoption(L, 10, "abstain", rules);
  b = (box *)lua_newuserdata(L, sizeof *b);
  b->c = NULL;
  luaL_getmetatable(L, CASCADE_MT);
  lua_setmetatable(L, -2);
  if (ent_cascade_new(w, &p, att, def, na, &b->c, err, sizeof err) != ENT_OK)
    return luaL_error(L, "%s", err);
  return 1;
}

static double checkcount(lua_State *L, int idx, double lo, const char *what) {
  lua_Number x = luaL_checknumber(L, idx);
  if (x != floor(x) || x < lo || x > 9007199254740992.0)
    luaL_error(L, "%s must be a whole number >= %d (got %f)", what, (int)lo, (double)x);
  return (double)x;
}

/* A count for an int32_t field: whole numbers past its range mean as much as
** its largest value (converting them would be undefined). */
static int32_t clamp32(double x) { return x > 2147483647.0 ? INT32_MAX : (int32_t)x; }

/* cascade_run(c, method, runs, seed, threads, chain_cap, exact_max_uncertain) */
static int l_cascade_run(lua_State *L) {
  static const char *const methods[] = {"auto", "exact", "montecarlo", NULL};
  ent_cascade *c = checkcascade(L, 1);
  ent_cascade_run_opts o;
  double th;
  ent_cascade_run_opts_init(&o);
  o.method = luaL_checkoption(L, 2, "auto", methods);
  o.runs = (int64_t)checkcount(L, 3, 1, "runs");
  o.seed = (uint64_t)checkcount(L, 4, 0, "seed");
  th = checkcount(L, 5, 0, "threads");
  if (th > ENT_CASCADE_MAX_THREADS) {   /* the core's message, for any size */
    char buf[32];
    snprintf(buf, sizeof buf, "%.0f", th);
    return luaL_error(L, "threads must be in 0..%d (got %s)", ENT_CASCADE_MAX_THREADS, buf);
  }
  o.threads = (int)th;
  o.chain_cap = clamp32(checkcount(L, 6, 0, "chain_cap"));
  o.exact_max_uncertain = clamp32(checkcount(L, 7, 0, "exact_max_uncertain"));
  if (ent_cascade_run(c, &o) != ENT_OK) return luaL_error(L, "%s", ent_cascade_errmsg(c));
  return 0;
}

/* cascade_info(c) -> exact, runs, threads, uncertain, edges, chains, truncated */
static int l_cascade_info(lua_State *L) {
  ent_cascade *c = checkcascade(L, 1);
  lua_pushboolean(L, ent_cascade_exact(c));
  lua_pushnumber(L, (lua_Number)ent_cascade_runs(c));
  lua_pushinteger(L, ent_cascade_threads_used(c));
  lua_pushinteger(L, ent_cascade_uncertain(c));
  lua_pushinteger(L, ent_cascade_edge_count(c));
  lua_pushinteger(L, ent_cascade_chain_count(c));
  lua_pushboolean(L, ent_cascade_chains_truncated(c));
  return 7;
}

/* cascade_actor(c, id) -> initial, p, lo, hi, p1, lo1, hi1, p2, lo2, hi2, torn */
static int l_cascade_actor(lua_State *L) {
  ent_cascade *c = checkcascade(L, 1);
  ent_cascade_actor_result r;
  lua_Number id = luaL_checknumber(L, 2);
  int k;
  if (!(id >= 0 && id < 2147483647.0) || id != floor(id) || ent_cascade_actor(c, (ent_id)id, &r) != ENT_OK)
    return 0;
  lua_pushinteger(L, r.initial);
  lua_pushnumber(L, r.p_join); lua_pushnumber(L, r.lo); lua_pushnumber(L, r.hi);
  for (k = 0; k < 2; k++) {
    lua_pushnumber(L, r.p_side[k]); lua_pushnumber(L, r.side_lo[k]); lua_pushnumber(L, r.side_hi[k]);
  }
  lua_pushnumber(L, r.p_torn);
  return 11;
}

/* cascade_edges(c) -> list of {from, to, p, flags, relation, kind, entry} */
static int l_cascade_edges(lua_State *L) {
  ent_cascade *c = checkcascade(L, 1);
  int32_t i, m = ent_cascade_edge_count(c);
  lua_createtable(L, m, 0);
  for (i = 0; i < m; i++) {
    ent_cascade_edge e;
    ent_cascade_edge_get(c, i, &e);
    lua_createtable(L, 0, 7);
    lua_pushinteger(L, e.from); lua_setfield(L, -2, "from");
    lua_pushinteger(L, e.to); lua_setfield(L, -2, "to");
    lua_pushnumber(L, e.p); lua_setfield(L, -2, "p");
    lua_pushinteger(L, (lua_Integer)e.flags); lua_setfield(L, -2, "flags");
    lua_pushinteger(L, e.relation); lua_setfield(L, -2, "relation");
    lua_pushinteger(L, e.kind); lua_setfield(L, -2, "kind");
    lua_pushnumber(L, ent_cascade_edge_entry(c, i)); lua_setfield(L, -2, "entry");
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* cascade_dist(c) -> {P(0), P(1), ...}, mean, sd, lo, hi */
static int l_cascade_dist(lua_State *L) {
  ent_cascade *c = checkcascade(L, 1);
  int32_t len, k, last = 0;
  const double *h = ent_cascade_count_dist(c, &len);
  double mean, sd, lo, hi, t = 0;
  for (k = 0; k < len; k++) {
    if (h[k] > 0) last = k + 1;
    t += h[k];
  }
  lua_createtable(L, last, 0);
  for (k = 0; k < last; k++) {
    lua_pushnumber(L, t > 0 ? h[k] / t : 0);
    lua_rawseti(L, -2, k + 1);
  }
  ent_cascade_count_mean(c, &mean, &sd, &lo, &hi);
  lua_pushnumber(L, mean); lua_pushnumber(L, sd); lua_pushnumber(L, lo); lua_pushnumber(L, hi);
  return 5;
}

/* cascade_chain(c, rank) -> actor, side, p, lo, hi, root, {edge indices (0-based)} */
static int l_cascade_chain(lua_State *L) {
  ent_cascade *c = checkcascade(L, 1);
  lua_Number rank = luaL_checknumber(L, 2);
  ent_cascade_chain_info ci;
  int32_t *path, k;
  if (!(rank >= 0 && rank < 2147483647.0) || rank != floor(rank) ||
      ent_cascade_chain(c, (int32_t)rank, &ci) != ENT_OK)
    return 0;
  path = (int32_t *)buffer(L, (size_t)ci.length * sizeof *path);
  ent_cascade_chain_edges(c, (int32_t)rank, path, ci.length);
  lua_pushinteger(L, ci.actor); lua_pushinteger(L, ci.side);
  lua_pushnumber(L, ci.p); lua_pushnumber(L, ci.lo); lua_pushnumber(L, ci.hi);
  lua_pushinteger(L, ci.root);
  lua_createtable(L, ci.length, 0);
  for (k = 0; k < ci.length; k++) { lua_pushinteger(L, path[k]); lua_rawseti(L, -2, k + 1); }
  return 7;
}

/* --------------------------------------------------------------- tension */

/* Selection from arguments idx..: ("dyad", a, b, directed) or ("group",
** {ids}, scope) ; the membership buffer stays on the stack. */
static void checksel(lua_State *L, ent_world *w, int idx, ent_tension_sel *s) {
  static const char *const modes[] = {"dyad", "group", NULL};
  static const char *const scopes[] = {"within", "involving", NULL};
  memset(s, 0, sizeof *s);
  s->mode = luaL_checkoption(L, idx, NULL, modes);
  if (s->mode == ENT_TENSION_DYAD) {
    s->a = (ent_id)luaL_checkinteger(L, idx + 1);
    s->b = (ent_id)luaL_checkinteger(L, idx + 2);
    s->directed = lua_toboolean(L, idx + 3);
  } else {
    int32_t cap = ent_actor_capacity(w), n, i;
    unsigned char *mem;
    luaL_checktype(L, idx + 1, LUA_TTABLE);
    mem = (unsigned char *)buffer(L, (size_t)cap);
    memset(mem, 0, (size_t)cap);
    n = (int32_t)lua_rawlen(L, idx + 1);
    for (i = 0; i < n; i++) {
      lua_Number v;
      lua_rawgeti(L, idx + 1, i + 1);
      v = lua_tonumber(L, -1);
      lua_pop(L, 1);
      if (v != floor(v) || v < 0 || v >= cap) luaL_argerror(L, idx + 1, "bad actor id");
      mem[(int32_t)v] = 1;
    }
    s->member = mem;
    s->scope = luaL_checkoption(L, idx + 2, "within", scopes);
  }
}

/* tension(w, half_life, dates{...}, <selection>) -> net{}, conflict{},
** cooperation{}, events{} */
static int l_tension(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  double hl = (double)luaL_checknumber(L, 2);
  ent_tension_sel s;
  ent_date *dates;
  ent_tension_value *v;
  int32_t n, i;
  char err[160];
  luaL_checktype(L, 3, LUA_TTABLE);
  checksel(L, w, 4, &s);
  n = (int32_t)lua_rawlen(L, 3);
  dates = (ent_date *)buffer(L, (size_t)n * sizeof *dates);
  v = (ent_tension_value *)buffer(L, (size_t)n * sizeof *v);
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 3, i + 1);
    dates[i] = ent_lua_optdate(L, -1, 0);
    lua_pop(L, 1);
  }
  if (ent_tension(w, &s, hl, dates, n, v, err, sizeof err) != ENT_OK) return luaL_error(L, "%s", err);
  lua_createtable(L, n, 0); lua_createtable(L, n, 0); lua_createtable(L, n, 0); lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushnumber(L, v[i].net); lua_rawseti(L, -5, i + 1);
    lua_pushnumber(L, v[i].conflict); lua_rawseti(L, -4, i + 1);
    lua_pushnumber(L, v[i].cooperation); lua_rawseti(L, -3, i + 1);
    lua_pushinteger(L, v[i].events); lua_rawseti(L, -2, i + 1);
  }
  return 4;
}

/* tension_events(w, half_life, date, <selection>) -> {ids}, {weights} */
static int l_tension_events(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  double hl = (double)luaL_checknumber(L, 2);
  ent_date d = ent_lua_optdate(L, 3, 0);
  ent_tension_sel s;
  int32_t cnt, i, cap = ent_event_count(w);
  ent_id *ids;
  double *wts;
  char err[160];
  checksel(L, w, 4, &s);
  ids = (ent_id *)buffer(L, (size_t)cap * sizeof *ids);
  wts = (double *)buffer(L, (size_t)cap * sizeof *wts);
  if (ent_tension_events(w, &s, hl, d, ids, wts, cap, &cnt, err, sizeof err) != ENT_OK)
    return luaL_error(L, "%s", err);
  if (cnt > cap) cnt = cap;
  lua_createtable(L, cnt, 0);
  lua_createtable(L, cnt, 0);
  for (i = 0; i < cnt; i++) {
    lua_pushinteger(L, ids[i]); lua_rawseti(L, -3, i + 1);
    lua_pushnumber(L, wts[i]); lua_rawseti(L, -2, i + 1);
  }
  return 2;
}

static const luaL_Reg cascade_funcs[] = {
  {"cascade_new", l_cascade_new}, {"cascade_run", l_cascade_run},
  {"cascade_info", l_cascade_info}, {"cascade_actor", l_cascade_actor},
  {"cascade_edges", l_cascade_edges}, {"cascade_dist", l_cascade_dist},
  {"cascade_chain", l_cascade_chain},
  {"tension", l_tension}, {"tension_events", l_tension_events},
  {NULL, NULL}
};

void ent_lua_open_cascade(lua_State *L) {
  if (luaL_newmetatable(L, CASCADE_MT)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, cascade_funcs, 0);
}
