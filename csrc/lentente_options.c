/* lentente_options.c - Lua binding for the options kernels (thin: argument checks and
** conversions only; lua/entente/options.lua holds names, defaults and messages).
** Ids and parameter indices cross the boundary 0-based (-1 = none). */
#include <math.h>
#include <string.h>

#include "lentente.h"
#include "options.h"

#define OPTMODEL_MT "entente.optmodel"
#define OPT_MT "entente.opt"
#define EXPLAIN_MT "entente.optexplain"

/* ------------------------------------------------------------ helpers */

static int32_t checkint(lua_State *L, int idx) {
  lua_Number n = luaL_checknumber(L, idx);
  if (!(n >= -2147483647.0 && n <= 2147483647.0) || n != floor(n)) luaL_argerror(L, idx, "whole number expected");
  return (int32_t)n;
}

static int32_t optint(lua_State *L, int idx, int32_t dflt) {
  return lua_isnoneornil(L, idx) ? dflt : checkint(L, idx);
}

/* A seed or stream number: in [0, 2^64) (a cast from outside is undefined). */
static uint64_t optseed(lua_State *L, int idx, lua_Number dflt) {
  lua_Number x = luaL_optnumber(L, idx, dflt);
  if (!(x >= 0 && x < 18446744073709551616.0)) luaL_argerror(L, idx, "seed must be a number in [0, 2^64)");
  return (uint64_t)x;
}

/* t[i] (1-based) as a number, or dflt when nil. */
static double fieldn(lua_State *L, int t, int i, double dflt) {
  double v;
  lua_rawgeti(L, t, i);
  v = lua_isnil(L, -1) ? dflt : lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

static double getfieldn(lua_State *L, int t, const char *k, double dflt) {
  double v;
  lua_getfield(L, t, k);
  v = lua_isnil(L, -1) ? dflt : lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

/* A scratch array owned by the Lua stack (freed by the GC, even on error). */
static void *scratch(lua_State *L, size_t bytes) {
  return lua_newuserdata(L, bytes ? bytes : 1);
}

/* A table of n numbers at idx into a new scratch array; NULL when nil. */
static double *numarray(lua_State *L, int idx, int32_t n, double dflt) {
  double *a;
  int32_t i;
  if (lua_isnoneornil(L, idx)) return NULL;
  luaL_checktype(L, idx, LUA_TTABLE);
  a = (double *)scratch(L, ((size_t)n + 1) * sizeof(double));   /* stays on the stack */
  for (i = 0; i < n; i++) a[i] = fieldn(L, idx, i + 1, dflt);
  return a;
}

static ent_optmodel **checkmodelp(lua_State *L, int idx) {
  return (ent_optmodel **)luaL_checkudata(L, idx, OPTMODEL_MT);
}

static ent_optmodel *checkmodel(lua_State *L, int idx) {
  ent_optmodel **pm = checkmodelp(L, idx);
  if (!*pm) luaL_argerror(L, idx, "option model already handed to an evaluator");
  return *pm;
}

static ent_opt *checkopt(lua_State *L, int idx) {
  ent_opt **pe = (ent_opt **)luaL_checkudata(L, idx, OPT_MT);
  if (!*pe) luaL_argerror(L, idx, "evaluator was freed");
  return *pe;
}

static void checkdist(lua_State *L, int t, ent_dist *d) {
  char err[ENT_OPT_ERRLEN];
  d->type = (ent_dist_type)(int)getfieldn(L, t, "type", 0);
  d->a = getfieldn(L, t, "a", 0); d->b = getfieldn(L, t, "b", 0); d->c = getfieldn(L, t, "c", 0);
  d->lo = getfieldn(L, t, "lo", -HUGE_VAL); d->hi = getfieldn(L, t, "hi", HUGE_VAL);
  if (ent_dist_check(d, err, sizeof err) != ENT_OK) luaL_error(L, "%s", err);
}

/* theta from a table of K numbers, on the stack (scratch). */
static double *checktheta(lua_State *L, int idx, int32_t K) {
  double *th;
  int32_t k;
  luaL_checktype(L, idx, LUA_TTABLE);
  if ((int32_t)lua_rawlen(L, idx) != K) luaL_argerror(L, idx, "parameter vector of the wrong length");
  th = (double *)scratch(L, ((size_t)K + 1) * sizeof(double));
  for (k = 0; k < K; k++) {
    th[k] = fieldn(L, idx, k + 1, NAN);
    if (th[k] != th[k]) luaL_argerror(L, idx, "parameter vector holds a non-number");
  }
  return th;
}

/* ------------------------------------------------------- distributions */

static void distargs(lua_State *L, ent_dist *d) {
  d->type = (ent_dist_type)checkint(L, 1);
  d->a = luaL_optnumber(L, 2, 0); d->b = luaL_optnumber(L, 3, 0); d->c = luaL_optnumber(L, 4, 0);
  d->lo = luaL_optnumber(L, 5, -HUGE_VAL); d->hi = luaL_optnumber(L, 6, HUGE_VAL);
}

static int l_dist_check(lua_State *L) {
  ent_dist d;
  char err[ENT_OPT_ERRLEN];
  distargs(L, &d);
  if (ent_dist_check(&d, err, sizeof err) != ENT_OK) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int l_dist_quantile(lua_State *L) {
  ent_dist d;
  char err[ENT_OPT_ERRLEN];
  distargs(L, &d);
  if (ent_dist_check(&d, err, sizeof err) != ENT_OK) return luaL_error(L, "%s", err);
  lua_pushnumber(L, ent_dist_quantile(&d, luaL_checknumber(L, 7)));
  return 1;
}

static int l_dist_mean(lua_State *L) {
  ent_dist d;
  char err[ENT_OPT_ERRLEN];
  distargs(L, &d);
  if (ent_dist_check(&d, err, sizeof err) != ENT_OK) return luaL_error(L, "%s", err);
  lua_pushnumber(L, ent_dist_mean(&d));
  return 1;
}

/* dist_samples(type, a, b, c, lo, hi, n, seed, stream) -> list */
static int l_dist_samples(lua_State *L) {
  ent_dist d;
  ent_rng r;
  char err[ENT_OPT_ERRLEN];
  int32_t n, i;
  distargs(L, &d);
  if (ent_dist_check(&d, err, sizeof err) != ENT_OK) return luaL_error(L, "%s", err);
  n = checkint(L, 7);
  if (n < 0) luaL_argerror(L, 7, "count must be >= 0");
  ent_rng_seed(&r, optseed(L, 8, 1), optseed(L, 9, 0));
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushnumber(L, ent_dist_sample(&d, &r));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* --------------------------------------------------------------- models */

/* optmodel_new(base, moved, date, focal, setup) where setup has the fields
** capability, proliferation, kind_class, signed_weight, hostility_weight
** (lists, 1-based by actor id or kind), rel_param, level_param (4),
** pairs ({{a, b, param}, ...}). */
static int l_optmodel_new(lua_State *L) {
  ent_world *base = ent_lua_checkworld(L, 1);
  ent_world *moved = lua_isnoneornil(L, 2) ? base : ent_lua_checkworld(L, 2);
  ent_opt_setup s;
  int32_t n = ent_actor_capacity(moved), nk = ent_kind_count(moved), i;
  unsigned *cls = NULL;
  ent_opt_pair *pairs = NULL;
  ent_optmodel **pm;
  char err[ENT_OPT_ERRLEN];
  ent_status st;
  memset(&s, 0, sizeof s);
  s.date = ent_lua_optdate(L, 3, ent_world_date(moved));
  s.focal = checkint(L, 4);
  luaL_checktype(L, 5, LUA_TTABLE);
  lua_getfield(L, 5, "capability");
  if (!lua_isnil(L, -1)) s.capability = numarray(L, lua_gettop(L), n, NAN);
  lua_getfield(L, 5, "proliferation");
  if (!lua_isnil(L, -1)) s.proliferation = numarray(L, lua_gettop(L), n, 0.0);
  lua_getfield(L, 5, "signed_weight");
  if (!lua_isnil(L, -1)) s.signed_weight = numarray(L, lua_gettop(L), nk, 1.0);
  lua_getfield(L, 5, "hostility_weight");
  if (!lua_isnil(L, -1)) s.hostility_weight = numarray(L, lua_gettop(L), nk, 1.0);
  lua_getfield(L, 5, "kind_class");
  if (!lua_isnil(L, -1)) {
    int t = lua_gettop(L);
    cls = (unsigned *)scratch(L, ((size_t)nk + 1) * sizeof *cls);
    for (i = 0; i < nk; i++) cls[i] = (unsigned)fieldn(L, t, i + 1, 0);
    s.kind_class = cls;
  }
  s.rel_param = (int32_t)getfieldn(L, 5, "rel_param", -1);
  lua_getfield(L, 5, "level_param");
  for (i = 0; i < 4; i++) s.level_param[i] = lua_istable(L, -1) ? (int32_t)fieldn(L, lua_gettop(L), i + 1, -1) : -1;
  lua_getfield(L, 5, "pairs");
  if (lua_istable(L, -1)) {
    int t = lua_gettop(L);
    int32_t np = (int32_t)lua_rawlen(L, t);
    pairs = (ent_opt_pair *)scratch(L, ((size_t)np + 1) * sizeof *pairs);
    for (i = 0; i < np; i++) {
      lua_rawgeti(L, t, i + 1);
      pairs[i].a = (ent_id)fieldn(L, lua_gettop(L), 1, -1);
      pairs[i].b = (ent_id)fieldn(L, lua_gettop(L), 2, -1);
      pairs[i].param = (int32_t)fieldn(L, lua_gettop(L), 3, -1);
      lua_pop(L, 1);
    }
    s.npairs = np; s.pairs = pairs;
  }
  pm = (ent_optmodel **)lua_newuserdata(L, sizeof *pm);
  *pm = NULL;
  luaL_getmetatable(L, OPTMODEL_MT);
  lua_setmetatable(L, -2);
  /* the reads above may run metamethods (lua_getfield): take the worlds
  ** again, and the arrays must still cover the moved world */
  base = ent_lua_checkworld(L, 1);
  moved = lua_isnoneornil(L, 2) ? base : ent_lua_checkworld(L, 2);
  if (ent_actor_capacity(moved) != n || ent_kind_count(moved) != nk)
    return luaL_error(L, "the world changed while the setup was read");
  st = ent_optmodel_new(base, moved, &s, pm, err, sizeof err);
  if (st != ENT_OK) return luaL_error(L, "%s", err);
  return 1;
}

static int l_model_gc(lua_State *L) {
  ent_optmodel **pm = checkmodelp(L, 1);
  ent_optmodel_free(*pm);
  *pm = NULL;
  return 0;
}

static int l_model_slot_add(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  int32_t out;
  ent_status st = ent_optmodel_slot_add(m, checkint(L, 2), checkint(L, 3), checkint(L, 4), &out);
  if (st != ENT_OK) return luaL_error(L, "cannot add a slot (%s)", ent_status_string(st));
  lua_pushnumber(L, out);
  return 1;
}

static int l_model_slots(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  int32_t i, ns = ent_optmodel_slot_count(m);
  lua_createtable(L, ns, 0);
  for (i = 0; i < ns; i++) {
    ent_opt_slot_info si;
    ent_optmodel_slot_get(m, i, &si);
    lua_createtable(L, 0, 5);
    lua_pushnumber(L, si.a); lua_setfield(L, -2, "a");
    lua_pushnumber(L, si.b); lua_setfield(L, -2, "b");
    lua_pushnumber(L, si.kind); lua_setfield(L, -2, "kind");
    lua_pushnumber(L, si.base); lua_setfield(L, -2, "base");
    if (si.relation != ENT_NONE) { lua_pushnumber(L, si.relation); lua_setfield(L, -2, "relation"); }
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static void checkterm(lua_State *L, int first, ent_opt_term *t) {
  int f;
  t->slot = checkint(L, first);
  t->op = (int)checkint(L, first + 1);
  t->coef = luaL_checknumber(L, first + 2);
  for (f = 0; f < 3; f++) {
    t->f[f].param = optint(L, first + 3 + 3 * f, -1);
    t->f[f].a = luaL_optnumber(L, first + 4 + 3 * f, 1.0);
    t->f[f].b = luaL_optnumber(L, first + 5 + 3 * f, 0.0);
  }
}

static int pushterm(lua_State *L, const ent_opt_term *t) {
  int f;
  lua_pushnumber(L, t->slot); lua_pushnumber(L, t->op); lua_pushnumber(L, t->coef);
  for (f = 0; f < 3; f++) {
    lua_pushnumber(L, t->f[f].param); lua_pushnumber(L, t->f[f].a); lua_pushnumber(L, t->f[f].b);
  }
  return 12;
}

/* m:term_add(slot, op, coef, p1, a1, b1, p2, a2, b2, p3, a3, b3) */
static int l_model_term_add(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  ent_opt_term t;
  checkterm(L, 2, &t);
  if (ent_optmodel_term_add(m, &t) != ENT_OK) return luaL_error(L, "bad term (slot %d, op %d)", (int)t.slot, t.op);
  lua_pushnumber(L, ent_optmodel_term_count(m) - 1);
  return 1;
}

static int l_model_term_set(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  ent_opt_term t;
  int32_t i = checkint(L, 2);
  checkterm(L, 3, &t);
  if (ent_optmodel_term_set(m, i, &t) != ENT_OK) return luaL_error(L, "bad term %d", (int)i);
  return 0;
}

static int l_model_term_get(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  ent_opt_term t;
  if (ent_optmodel_term_get(m, checkint(L, 2), &t) != ENT_OK) return luaL_argerror(L, 2, "no such term");
  return pushterm(L, &t);
}

static int l_model_term_count(lua_State *L) {
  lua_pushnumber(L, ent_optmodel_term_count(checkmodel(L, 1)));
  return 1;
}

static int l_model_kind(lua_State *L) {
  int sign, level;
  unsigned flags, cls;
  if (ent_optmodel_kind(checkmodel(L, 1), checkint(L, 2), &sign, &level, &flags, &cls) != ENT_OK)
    return luaL_argerror(L, 2, "no such kind");
  lua_pushnumber(L, sign); lua_pushnumber(L, level); lua_pushnumber(L, flags); lua_pushnumber(L, cls);
  return 4;
}

/* m:strengths(theta, nterms) -> list (1-based by slot) */
static int l_model_strengths(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  int32_t ns = ent_optmodel_slot_count(m), i, nt = optint(L, 3, -1);
  double *th = checktheta(L, 2, (int32_t)lua_rawlen(L, 2));
  double *s = (double *)scratch(L, ((size_t)ns + 1) * sizeof *s);
  ent_optmodel_strengths(m, th, nt, s);
  lua_createtable(L, ns, 0);
  for (i = 0; i < ns; i++) { lua_pushnumber(L, s[i]); lua_rawseti(L, -2, i + 1); }
  return 1;
}

/* m:threat(theta, nterms, actor) -> threat, H (list by actor id + 1), ally */
static int l_model_threat(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  int32_t n = ent_optmodel_actors(m), i;
  double *th = checktheta(L, 2, (int32_t)lua_rawlen(L, 2));
  double *H = (double *)scratch(L, ((size_t)n + 1) * sizeof *H);
  double *ally = (double *)scratch(L, ((size_t)n + 1) * sizeof *ally);
  double t;
  if (ent_optmodel_threat(m, th, optint(L, 3, -1), checkint(L, 4), &t, H, ally) != ENT_OK)
    return luaL_argerror(L, 4, "bad actor id");
  lua_pushnumber(L, t);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) { lua_pushnumber(L, H[i]); lua_rawseti(L, -2, i + 1); }
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) { lua_pushnumber(L, ally[i]); lua_rawseti(L, -2, i + 1); }
  return 3;
}

static int l_model_dyad(lua_State *L) {
  ent_optmodel *m = checkmodel(L, 1);
  double *th = checktheta(L, 2, (int32_t)lua_rawlen(L, 2));
  double a, h, s;
  if (ent_optmodel_dyad(m, th, optint(L, 3, -1), checkint(L, 4), checkint(L, 5), &a, &h, &s) != ENT_OK)
    return luaL_error(L, "bad actor ids");
  lua_pushnumber(L, a); lua_pushnumber(L, h); lua_pushnumber(L, s);
  return 3;
}

/* ------------------------------------------------------------ evaluator */

/* opt_new(models, dists, spec): spec = {weight_param = {6}, sigma_param,
** norm_param = {3}, triggers = {{att = {...}, def = {...}, q = p}, ...},
** kmax}.  The models are handed over (unusable afterwards). */
static int l_opt_new(lua_State *L) {
  ent_opt_spec spec;
  ent_dist *dists;
  ent_optmodel **models;
  ent_opt_trigger *trig = NULL;
  ent_opt **pe;
  int32_t nm, K, i, nt = 0;
  char err[ENT_OPT_ERRLEN];
  ent_status st;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  memset(&spec, 0, sizeof spec);
  nm = (int32_t)lua_rawlen(L, 1);
  K = (int32_t)lua_rawlen(L, 2);
  dists = (ent_dist *)scratch(L, ((size_t)K + 1) * sizeof *dists);
  for (i = 0; i < K; i++) {
    lua_rawgeti(L, 2, i + 1);
    if (!lua_istable(L, -1)) return luaL_error(L, "parameter %d is not a distribution table", (int)i + 1);
    checkdist(L, lua_gettop(L), &dists[i]);
    lua_pop(L, 1);
  }
  spec.nparams = K; spec.params = dists;
  lua_getfield(L, 3, "weight_param");
  for (i = 0; i < ENT_OPT_NCRIT; i++) spec.weight_param[i] = lua_istable(L, -1) ? (int32_t)fieldn(L, lua_gettop(L), i + 1, -1) : -1;
  lua_pop(L, 1);
  spec.sigma_param = (int32_t)getfieldn(L, 3, "sigma_param", -1);
  lua_getfield(L, 3, "norm_param");
  for (i = 0; i < 3; i++) spec.norm_param[i] = lua_istable(L, -1) ? (int32_t)fieldn(L, lua_gettop(L), i + 1, -1) : -1;
  lua_pop(L, 1);
  spec.kmax = (int32_t)getfieldn(L, 3, "kmax", 0);
  lua_getfield(L, 3, "triggers");
  if (lua_istable(L, -1)) {
    int tt = lua_gettop(L);
    nt = (int32_t)lua_rawlen(L, tt);
    trig = (ent_opt_trigger *)scratch(L, ((size_t)nt + 1) * sizeof *trig);
    for (i = 0; i < nt; i++) {
      int tr, k;
      int32_t np, j;
      ent_id *att, *def;
      luaL_checkstack(L, 8, "too many triggers");
      lua_rawgeti(L, tt, i + 1);
      tr = lua_gettop(L);
      lua_getfield(L, tr, "att");
      lua_getfield(L, tr, "def");
      if (!lua_istable(L, -1) || !lua_istable(L, -2)) return luaL_error(L, "trigger %d needs att and def lists", (int)i + 1);
      np = (int32_t)lua_rawlen(L, -2);
      att = (ent_id *)scratch(L, ((size_t)np + 1) * sizeof *att);
      def = (ent_id *)scratch(L, ((size_t)np + 1) * sizeof *def);
      for (j = 0; j < np; j++) {
        att[j] = (ent_id)fieldn(L, tr + 1, j + 1, -1);
        def[j] = (ent_id)fieldn(L, tr + 2, j + 1, -1);
      }
      trig[i].attackers = att; trig[i].defenders = def; trig[i].npairs = np;
      trig[i].q_param = (int32_t)getfieldn(L, tr, "q", -1);
      /* keep att/def anchored: leave them on the stack under the list */
      k = lua_gettop(L);
      (void)k;
    }
    spec.ntriggers = nt; spec.triggers = trig;
  }
  models = (ent_optmodel **)scratch(L, ((size_t)nm + 1) * sizeof *models);
  pe = (ent_opt **)lua_newuserdata(L, sizeof *pe);
  *pe = NULL;
  luaL_getmetatable(L, OPT_MT);
  lua_setmetatable(L, -2);
  /* The models last: the reads above may run metamethods (lua_getfield),
  ** which could change the list or free a model; from here to the hand-over
  ** below no Lua code runs, so the boxes emptied are those read here. */
  for (i = 0; i < nm; i++) {
    lua_rawgeti(L, 1, i + 1);
    models[i] = checkmodel(L, lua_gettop(L));
    lua_pop(L, 1);
  }
  st = ent_opt_new(&spec, models, nm, pe, err, sizeof err);
  if (st != ENT_OK) return luaL_error(L, "%s", err);
  for (i = 0; i < nm; i++) {       /* the evaluator owns them now */
    lua_rawgeti(L, 1, i + 1);
    *checkmodelp(L, lua_gettop(L)) = NULL;
    lua_pop(L, 1);
  }
  return 1;
}

static int l_opt_gc(lua_State *L) {
  ent_opt **pe = (ent_opt **)luaL_checkudata(L, 1, OPT_MT);
  ent_opt_free(*pe);
  *pe = NULL;
  return 0;
}

/* e:run(runs, seed, threads, keep, bins) */
static int l_opt_run(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  ent_opt_run_opts o;
  lua_Number runs = luaL_checknumber(L, 2), seed = luaL_optnumber(L, 3, 1);
  ent_status st;
  ent_opt_run_opts_init(&o);
  if (!(runs >= 1 && runs <= 9007199254740992.0) || runs != floor(runs)) return luaL_argerror(L, 2, "runs must be a whole number >= 1");
  if (!(seed >= 0 && seed < 18446744073709551616.0) || seed != floor(seed))   /* 2^64 excluded */ return luaL_argerror(L, 3, "seed must be a whole number >= 0");
  o.runs = (int64_t)runs; o.seed = (uint64_t)seed;
  o.threads = (int)optint(L, 4, 0);
  o.keep = lua_toboolean(L, 5);
  o.bins = optint(L, 6, 0);
  st = ent_opt_run(e, &o);
  if (st != ENT_OK) return luaL_error(L, "%s", ent_opt_errmsg(e));
  lua_pushnumber(L, ent_opt_threads_used(e));
  return 1;
}

static const double QS[] = {0.05, 0.25, 0.5, 0.75, 0.95};
static const char *QN[] = {"q05", "q25", "q50", "q75", "q95"};

/* e:results() -> {runs=, threads=, options = {{stats = {k = {mean, sd, min,
** max, q05 .. q95}}, pbest, regret}}, pairs = {i = {j = {le, lt, crit_le,
** crit_lt}}}} (k and option indices 1-based) */
static int l_opt_results(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t nm = ent_opt_nmodels(e), i, j;
  int k, q;
  if (ent_opt_runs(e) == 0) return luaL_error(L, "no results: run the evaluator first");
  lua_createtable(L, 0, 4);
  lua_pushnumber(L, (lua_Number)ent_opt_runs(e)); lua_setfield(L, -2, "runs");
  lua_pushnumber(L, ent_opt_threads_used(e)); lua_setfield(L, -2, "threads");
  lua_createtable(L, nm, 0);
  for (i = 0; i < nm; i++) {
    lua_createtable(L, 0, 3);
    lua_createtable(L, ENT_OPT_NOUT, 0);
    for (k = 0; k < ENT_OPT_NOUT; k++) {
      ent_opt_stat s;
      ent_opt_stat_get(e, i, k, &s);
      lua_createtable(L, 0, 9);
      lua_pushnumber(L, s.mean); lua_setfield(L, -2, "mean");
      lua_pushnumber(L, s.sd); lua_setfield(L, -2, "sd");
      lua_pushnumber(L, s.min); lua_setfield(L, -2, "min");
      lua_pushnumber(L, s.max); lua_setfield(L, -2, "max");
      for (q = 0; q < 5; q++) { lua_pushnumber(L, ent_opt_quantile(e, i, k, QS[q])); lua_setfield(L, -2, QN[q]); }
      lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "stats");
    lua_pushnumber(L, ent_opt_pbest(e, i)); lua_setfield(L, -2, "pbest");
    lua_pushnumber(L, ent_opt_regret(e, i)); lua_setfield(L, -2, "regret");
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "options");
  lua_createtable(L, nm, 0);
  for (i = 0; i < nm; i++) {
    lua_createtable(L, nm, 0);
    for (j = 0; j < nm; j++) {
      ent_opt_pairstat p;
      if (i == j) continue;
      ent_opt_compare(e, i, j, &p);
      lua_createtable(L, 0, 4);
      lua_pushnumber(L, (lua_Number)p.le); lua_setfield(L, -2, "le");
      lua_pushnumber(L, (lua_Number)p.lt); lua_setfield(L, -2, "lt");
      lua_pushnumber(L, (lua_Number)p.crit_le); lua_setfield(L, -2, "crit_le");
      lua_pushnumber(L, (lua_Number)p.crit_lt); lua_setfield(L, -2, "crit_lt");
      lua_rawseti(L, -2, j + 1);
    }
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "pairs");
  return 1;
}

static int l_opt_quantile(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  lua_pushnumber(L, ent_opt_quantile(e, checkint(L, 2), (int)checkint(L, 3), luaL_checknumber(L, 4)));
  return 1;
}

static int l_opt_central(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t K = ent_opt_nparams(e), k;
  const double *c = ent_opt_central(e);
  lua_createtable(L, K, 0);
  for (k = 0; k < K; k++) { lua_pushnumber(L, c[k]); lua_rawseti(L, -2, k + 1); }
  return 1;
}

/* e:point(theta) -> {{7 values}, ...} */
static int l_opt_point(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t nm = ent_opt_nmodels(e), i;
  double *th = checktheta(L, 2, ent_opt_nparams(e));
  double *out = (double *)scratch(L, (size_t)nm * ENT_OPT_NOUT * sizeof *out);
  int k;
  if (ent_opt_point(e, th, out) != ENT_OK) return luaL_error(L, "out of memory");
  lua_createtable(L, nm, 0);
  for (i = 0; i < nm; i++) {
    lua_createtable(L, ENT_OPT_NOUT, 0);
    for (k = 0; k < ENT_OPT_NOUT; k++) { lua_pushnumber(L, out[(size_t)i * ENT_OPT_NOUT + k]); lua_rawseti(L, -2, k + 1); }
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int l_explain_gc(lua_State *L) {
  ent_opt_explain **px = (ent_opt_explain **)luaL_checkudata(L, 1, EXPLAIN_MT);
  ent_opt_explain_free(*px);
  *px = NULL;
  return 0;
}

static void setarr(lua_State *L, const char *name, const double *a, int32_t n) {
  int32_t i;
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) { lua_pushnumber(L, a[i]); lua_rawseti(L, -2, i + 1); }
  lua_setfield(L, -2, name);
}

/* e:explain(i, theta) -> table of arrays (actor arrays 1-based by id + 1) */
static int l_opt_explain(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t i = checkint(L, 2), k;
  double *th = checktheta(L, 3, ent_opt_nparams(e));
  ent_opt_explain *x, **px;
  ent_status st;
  /* boxed before it is built: the tables below may raise a memory error */
  px = (ent_opt_explain **)lua_newuserdata(L, sizeof *px);
  *px = NULL;
  luaL_getmetatable(L, EXPLAIN_MT);
  lua_setmetatable(L, -2);
  st = ent_opt_explain_new(e, i, th, px);
  if (st != ENT_OK) return luaL_error(L, "cannot explain option %d (%s)", (int)i, ent_status_string(st));
  x = *px;
  lua_createtable(L, 0, 24);
  setarr(L, "out", x->out, ENT_OPT_NOUT);
  setarr(L, "weight", x->weight, ENT_OPT_NCRIT);
  setarr(L, "hostile", x->hostile, x->n); setarr(L, "ally", x->ally, x->n); setarr(L, "cap", x->cap, x->n);
  lua_pushnumber(L, x->threat_num); lua_setfield(L, -2, "threat_num");
  lua_pushnumber(L, x->threat_own); lua_setfield(L, -2, "threat_own");
  setarr(L, "q", x->q, x->ntrig); setarr(L, "p_join", x->p_join, x->ntrig);
  setarr(L, "trade0", x->trade0, x->n); setarr(L, "trade", x->trade, x->n); setarr(L, "risk", x->risk, x->n);
  lua_pushnumber(L, x->trade_total0); lua_setfield(L, -2, "trade_total0");
  lua_pushnumber(L, x->trade_total); lua_setfield(L, -2, "trade_total");
  setarr(L, "coop", x->coop, x->n); setarr(L, "viol", x->viol, x->n);
  setarr(L, "tie0", x->tie0, x->n); setarr(L, "tie", x->tie, x->n); setarr(L, "lost", x->lost, x->n);
  setarr(L, "tri_w", x->tri_w, x->ntri);
  lua_createtable(L, x->ntri, 0);
  for (k = 0; k < x->ntri; k++) {
    lua_createtable(L, 0, 3);
    lua_pushnumber(L, x->tri_x[k]); lua_setfield(L, -2, "x");
    lua_pushnumber(L, x->tri_y[k]); lua_setfield(L, -2, "y");
    lua_pushnumber(L, x->tri_sign[k]); lua_setfield(L, -2, "sign");
    lua_pushnumber(L, x->tri_w[k]); lua_setfield(L, -2, "w");
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "triangles");
  ent_opt_explain_free(x); /* now rather than at the next collection */
  *px = NULL;
  return 1;
}

/* e:chains(i, t, theta, cap) -> p_join, {{p =, actors = {ids}}, ...} */
static int l_opt_chains(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t i = checkint(L, 2), t = checkint(L, 3), cap = optint(L, 5, 3), cnt, k, a;
  double *th = checktheta(L, 4, ent_opt_nparams(e));
  ent_opt_chain *ch;
  double pj;
  ent_status st;
  if (cap < 0 || cap > 100) return luaL_argerror(L, 5, "cap must be in 0..100");
  ch = (ent_opt_chain *)scratch(L, ((size_t)cap + 1) * sizeof *ch);
  st = ent_opt_chains(e, i, t, th, ch, cap, &cnt, &pj);
  if (st != ENT_OK) return luaL_error(L, "cannot trace chains (%s)", ent_status_string(st));
  lua_pushnumber(L, pj);
  lua_createtable(L, cnt, 0);
  for (k = 0; k < cnt; k++) {
    lua_createtable(L, 0, 2);
    lua_pushnumber(L, ch[k].p); lua_setfield(L, -2, "p");
    lua_createtable(L, ch[k].len + 1, 0);
    for (a = 0; a <= ch[k].len; a++) { lua_pushnumber(L, ch[k].actors[a]); lua_rawseti(L, -2, a + 1); }
    lua_setfield(L, -2, "actors");
    lua_rawseti(L, -2, k + 1);
  }
  return 2;
}

/* e:poly(i, t) -> {nvar, held, vars = {{from, to, cls, flags}}, monos = {{coef, vars = {...}}}} */
static int l_opt_poly(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t i = checkint(L, 2), t = checkint(L, 3), nv, nmono, held, k, j;
  if (ent_opt_poly_info(e, i, t, &nv, &nmono, &held) != ENT_OK) return luaL_error(L, "no polynomial %d/%d", (int)i, (int)t);
  lua_createtable(L, 0, 4);
  lua_pushnumber(L, nv); lua_setfield(L, -2, "nvar");
  lua_pushnumber(L, held); lua_setfield(L, -2, "held");
  lua_createtable(L, nv, 0);
  for (k = 0; k < nv; k++) {
    ent_opt_var v;
    ent_opt_poly_var(e, i, t, k, &v);
    lua_createtable(L, 0, 4);
    lua_pushnumber(L, v.from); lua_setfield(L, -2, "from");
    lua_pushnumber(L, v.to); lua_setfield(L, -2, "to");
    lua_pushnumber(L, v.cls); lua_setfield(L, -2, "cls");
    lua_pushnumber(L, v.flags); lua_setfield(L, -2, "flags");
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "vars");
  lua_createtable(L, nmono, 0);
  for (k = 0; k < nmono; k++) {
    double coef;
    const int32_t *vars;
    int32_t len;
    ent_opt_poly_mono(e, i, t, k, &coef, &vars, &len);
    lua_createtable(L, 0, 2);
    lua_pushnumber(L, coef); lua_setfield(L, -2, "coef");
    lua_createtable(L, len, 0);
    for (j = 0; j < len; j++) { lua_pushnumber(L, vars[j]); lua_rawseti(L, -2, j + 1); }
    lua_setfield(L, -2, "vars");
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "monos");
  return 1;
}

static int l_opt_triangles(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t ntri, k;
  const int32_t *xy;
  if (ent_opt_triangles(e, checkint(L, 2), &ntri, &xy) != ENT_OK) return luaL_argerror(L, 2, "no such option");
  lua_createtable(L, ntri, 0);
  for (k = 0; k < ntri; k++) {
    lua_createtable(L, 2, 0);
    lua_pushnumber(L, xy[2 * k]); lua_rawseti(L, -2, 1);
    lua_pushnumber(L, xy[2 * k + 1]); lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, k + 1);
  }
  return 1;
}

/* e:model(i) -> the slots and terms of option model i (for the reference) */
static int l_opt_model(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  const ent_optmodel *m = ent_opt_model(e, checkint(L, 2));
  int32_t ns, nt, i;
  if (!m) return luaL_argerror(L, 2, "no such option");
  ns = ent_optmodel_slot_count(m); nt = ent_optmodel_term_count(m);
  lua_createtable(L, 0, 4);
  lua_pushnumber(L, ent_optmodel_actors(m)); lua_setfield(L, -2, "n");
  lua_pushnumber(L, ent_optmodel_focal(m)); lua_setfield(L, -2, "focal");
  lua_createtable(L, ns, 0);
  for (i = 0; i < ns; i++) {
    ent_opt_slot_info si;
    ent_optmodel_slot_get(m, i, &si);
    lua_createtable(L, 4, 0);
    lua_pushnumber(L, si.a); lua_rawseti(L, -2, 1);
    lua_pushnumber(L, si.b); lua_rawseti(L, -2, 2);
    lua_pushnumber(L, si.kind); lua_rawseti(L, -2, 3);
    lua_pushnumber(L, si.base); lua_rawseti(L, -2, 4);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "slots");
  lua_createtable(L, nt, 0);
  for (i = 0; i < nt; i++) {
    ent_opt_term t;
    int f;
    ent_optmodel_term_get(m, i, &t);
    lua_createtable(L, 12, 0);
    lua_pushnumber(L, t.slot); lua_rawseti(L, -2, 1);
    lua_pushnumber(L, t.op); lua_rawseti(L, -2, 2);
    lua_pushnumber(L, t.coef); lua_rawseti(L, -2, 3);
    for (f = 0; f < 3; f++) {
      lua_pushnumber(L, t.f[f].param); lua_rawseti(L, -2, 4 + 3 * f);
      lua_pushnumber(L, t.f[f].a); lua_rawseti(L, -2, 5 + 3 * f);
      lua_pushnumber(L, t.f[f].b); lua_rawseti(L, -2, 6 + 3 * f);
    }
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "terms");
  {
    int32_t n = ent_optmodel_actors(m), a, nk, k;
    lua_createtable(L, n, 0);
    for (a = 0; a < n; a++) {
      double c, p;
      ent_optmodel_actor(m, a, &c, &p);
      lua_createtable(L, 2, 0);
      lua_pushnumber(L, c); lua_rawseti(L, -2, 1);
      lua_pushnumber(L, p); lua_rawseti(L, -2, 2);
      lua_rawseti(L, -2, a + 1);
    }
    lua_setfield(L, -2, "actors");
    for (nk = 0; ent_optmodel_kind(m, nk, NULL, NULL, NULL, NULL) == ENT_OK; nk++) {}
    lua_createtable(L, nk, 0);
    for (k = 0; k < nk; k++) {
      int sign, level;
      unsigned flags, cls;
      double sw, hw;
      ent_optmodel_kind(m, k, &sign, &level, &flags, &cls);
      ent_optmodel_kind_weights(m, k, &sw, &hw);
      lua_createtable(L, 0, 6);
      lua_pushnumber(L, sign); lua_setfield(L, -2, "sign");
      lua_pushnumber(L, level); lua_setfield(L, -2, "level");
      lua_pushnumber(L, flags); lua_setfield(L, -2, "flags");
      lua_pushnumber(L, cls); lua_setfield(L, -2, "cls");
      lua_pushnumber(L, sw); lua_setfield(L, -2, "sw");
      lua_pushnumber(L, hw); lua_setfield(L, -2, "hw");
      lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "kinds");
    lua_createtable(L, 4, 0);
    for (k = 0; k < 4; k++) { lua_pushnumber(L, ent_optmodel_level_param(m, k)); lua_rawseti(L, -2, k + 1); }
    lua_setfield(L, -2, "level_param");
  }
  return 1;
}

/* e:rel_param(i, a, b) -> the reliability parameter of the pair in model i */
static int l_opt_rel_param(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  const ent_optmodel *m = ent_opt_model(e, checkint(L, 2));
  if (!m) return luaL_argerror(L, 2, "no such option");
  lua_pushnumber(L, ent_optmodel_rel_param(m, checkint(L, 3), checkint(L, 4)));
  return 1;
}

/* e:draws(i) -> list of rows (when the run kept them) */
static int l_opt_draws(lua_State *L) {
  ent_opt *e = checkopt(L, 1);
  int32_t i = checkint(L, 2), nm = ent_opt_nmodels(e);
  const double *d = ent_opt_draws(e);
  int64_t r, runs = ent_opt_runs(e);
  int k;
  if (!d) { lua_pushnil(L); return 1; }
  if (i < 0 || i >= nm) return luaL_argerror(L, 2, "no such option");
  lua_createtable(L, (int)runs, 0);
  for (r = 0; r < runs; r++) {
    lua_createtable(L, ENT_OPT_NOUT, 0);
    for (k = 0; k < ENT_OPT_NOUT; k++) {
      lua_pushnumber(L, d[((size_t)r * nm + (size_t)i) * ENT_OPT_NOUT + k]);
      lua_rawseti(L, -2, k + 1);
    }
    lua_rawseti(L, -2, (int)r + 1);
  }
  return 1;
}

static const luaL_Reg model_methods[] = {
  {"slot_add", l_model_slot_add}, {"slots", l_model_slots},
  {"term_add", l_model_term_add}, {"term_set", l_model_term_set}, {"term_get", l_model_term_get},
  {"term_count", l_model_term_count}, {"kind", l_model_kind},
  {"strengths", l_model_strengths}, {"threat", l_model_threat}, {"dyad", l_model_dyad},
  {NULL, NULL}
};

static const luaL_Reg opt_methods[] = {
  {"run", l_opt_run}, {"results", l_opt_results}, {"quantile", l_opt_quantile},
  {"central", l_opt_central}, {"point", l_opt_point}, {"explain", l_opt_explain},
  {"chains", l_opt_chains}, {"poly", l_opt_poly}, {"triangles", l_opt_triangles},
  {"model", l_opt_model}, {"draws", l_opt_draws}, {"rel_param", l_opt_rel_param},
  {NULL, NULL}
};

static const luaL_Reg funcs[] = {
  {"dist_check", l_dist_check}, {"dist_quantile", l_dist_quantile}, {"dist_mean", l_dist_mean},
  {"dist_samples", l_dist_samples}, {"optmodel_new", l_optmodel_new}, {"opt_new", l_opt_new},
  {NULL, NULL}
};

static void newmeta(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction gc) {
  luaL_newmetatable(L, name);
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

void ent_lua_open_options(lua_State *L) {
  newmeta(L, OPTMODEL_MT, model_methods, l_model_gc);
  newmeta(L, OPT_MT, opt_methods, l_opt_gc);
  luaL_newmetatable(L, EXPLAIN_MT);
  lua_pushcfunction(L, l_explain_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
