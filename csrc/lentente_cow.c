/* lentente_cow.c - Lua binding for the cow kernels (capability, similarity,
** ATOP store).  Thin: argument checks and conversions only; the loaders and
** the World methods are in lua/entente/cow.lua.  Indices are 0-based.
** Scratch buffers are Lua userdata, so nothing leaks when an error unwinds. */
#include <math.h>
#include <string.h>

#include "lentente.h"
#include "capability.h"
#include "similarity.h"

#define ATOP_MT "entente.atop"
#define PORT_MT "entente.portfolio"
#define SIMMAT_MT "entente.simmat"

typedef struct portfolio {
  int32_t n;
  uint8_t P[1]; /* n*n, allocated past the end */
} portfolio;

typedef struct simmat {
  int32_t n;
  double v[1]; /* n*n */
} simmat;

/* Largest n accepted for a dense n x n matrix (keeps n*n*8 far from overflow). */
#define MAXN 20000

static int32_t checkint(lua_State *L, int idx, lua_Number lo, lua_Number hi) {
  lua_Number x = luaL_checknumber(L, idx);
  if (!(x >= lo && x <= hi) || x != floor(x)) {
    lua_pushfstring(L, "integer in [%d, %d] expected, got %s", (int)lo, (int)hi,
                    lua_tostring(L, idx));
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return (int32_t)x;
}

/* A printable form of the value at idx for messages. */
static const char *valstr(lua_State *L, int idx) {
  int t = lua_type(L, idx);
  if (t == LUA_TNUMBER || t == LUA_TSTRING) return lua_tostring(L, idx);
  return luaL_typename(L, idx);
}

/* --------------------------------------------------------------- ATOP */

static ent_atop *checkatop(lua_State *L, int idx) {
  ent_atop **p = (ent_atop **)luaL_checkudata(L, idx, ATOP_MT);
  if (!*p) luaL_argerror(L, idx, "ATOP store was freed");
  return *p;
}

static int l_atop_gc(lua_State *L) {
  ent_atop **p = (ent_atop **)luaL_checkudata(L, 1, ATOP_MT);
  ent_atop_free(*p);
  *p = NULL;
  return 0;
}

static int l_atop_new(lua_State *L) {
  ent_atop **p = (ent_atop **)lua_newuserdata(L, sizeof *p);
  *p = NULL;
  luaL_getmetatable(L, ATOP_MT);
  lua_setmetatable(L, -2);
  if (ent_atop_new(p) != ENT_OK) return luaL_error(L, "out of memory");
  return 1;
}

static int l_atop_add(lua_State *L) {
  ent_atop *s = checkatop(L, 1);
  int32_t year = checkint(L, 2, -9999, 9999);
  int32_t c1 = checkint(L, 3, 0, ENT_ATOP_MAXCODE);
  int32_t c2 = checkint(L, 4, 0, ENT_ATOP_MAXCODE);
  int32_t fl = checkint(L, 5, 0, ENT_ATOP_ALL);
  if (ent_atop_add(s, year, c1, c2, (unsigned)fl) != ENT_OK) return luaL_error(L, "out of memory");
  return 0;
}

static int l_atop_count(lua_State *L) {
  lua_pushnumber(L, (lua_Number)ent_atop_count(checkatop(L, 1)));
  return 1;
}

static int l_atop_flags(lua_State *L) {
  ent_atop *s = checkatop(L, 1);
  int32_t year = checkint(L, 2, -9999, 9999);
  int32_t c1 = checkint(L, 3, 0, ENT_ATOP_MAXCODE);
  int32_t c2 = checkint(L, 4, 0, ENT_ATOP_MAXCODE);
  unsigned f;
  if (ent_atop_flags(s, year, c1, c2, &f) != ENT_OK) return 0;
  lua_pushnumber(L, f);
  return 1;
}

/* atop_year(s, year) -> ccode1 list, ccode2 list, flags list */
static int l_atop_year(lua_State *L) {
  ent_atop *s = checkatop(L, 1);
  int32_t year = checkint(L, 2, -9999, 9999);
  size_t first, count, r;
  ent_atop_year(s, year, &first, &count);
  lua_createtable(L, (int)count, 0);
  lua_createtable(L, (int)count, 0);
  lua_createtable(L, (int)count, 0);
  for (r = 0; r < count; r++) {
    int32_t y, c1, c2;
    unsigned f;
    ent_atop_row(s, first + r, &y, &c1, &c2, &f);
    lua_pushnumber(L, c1);
    lua_rawseti(L, -4, (int)r + 1);
    lua_pushnumber(L, c2);
    lua_rawseti(L, -3, (int)r + 1);
    lua_pushnumber(L, f);
    lua_rawseti(L, -2, (int)r + 1);
  }
  return 3;
}

/* ---------------------------------------------------------- portfolios */

static portfolio *newportfolio(lua_State *L, int32_t n) {
  portfolio *p = (portfolio *)lua_newuserdata(L, sizeof(portfolio) + (size_t)n * n);
  p->n = n;
  luaL_getmetatable(L, PORT_MT);
  lua_setmetatable(L, -2);
  return p;
}

static portfolio *checkport(lua_State *L, int idx) {
  return (portfolio *)luaL_checkudata(L, idx, PORT_MT);
}

/* portfolio_atop(s, year, {ccodes}, binary) -> portfolio */
static int l_portfolio_atop(lua_State *L) {
  ent_atop *s = checkatop(L, 1);
  int32_t year = checkint(L, 2, -9999, 9999), n, k;
  int binary = lua_toboolean(L, 4);
  int32_t *cc;
  portfolio *p;
  luaL_checktype(L, 3, LUA_TTABLE);
  n = (int32_t)lua_rawlen(L, 3);
  if (n > MAXN) luaL_argerror(L, 3, "too many states");
  cc = (int32_t *)lua_newuserdata(L, sizeof(int32_t) * (size_t)(n ? n : 1));
  for (k = 0; k < n; k++) {
    lua_Number c;
    lua_rawgeti(L, 3, k + 1);
    c = lua_tonumber(L, -1);
    if (!lua_isnumber(L, -1) || c != floor(c) || c < 0 || c > ENT_ATOP_MAXCODE) {
      lua_pushfstring(L, "bad COW code '%s' at position %d", valstr(L, -1), k + 1);
      return luaL_argerror(L, 3, lua_tostring(L, -1));
    }
    cc[k] = (int32_t)c;
    lua_pop(L, 1);
  }
  p = newportfolio(L, n);
  if (ent_atop_portfolios(s, year, n, cc, binary, p->P) != ENT_OK)
    return luaL_argerror(L, 3, "duplicate COW code in the list of states");
  return 1;
}

/* portfolio_new(n, {levels, row major}) -> portfolio */
static int l_portfolio_new(lua_State *L) {
  int32_t n = checkint(L, 1, 1, MAXN), k;
  size_t nn = (size_t)n * n;
  portfolio *p;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_rawlen(L, 2) != nn) {
    lua_pushfstring(L, "%d levels expected (n*n), got %d", (int)nn, (int)lua_rawlen(L, 2));
    return luaL_argerror(L, 2, lua_tostring(L, -1));
  }
  p = newportfolio(L, n);
  for (k = 0; k < (int32_t)nn; k++) {
    lua_Number v;
    lua_rawgeti(L, 2, k + 1);
    v = lua_tonumber(L, -1);
    if (!lua_isnumber(L, -1) || v != floor(v) || v < 0 || v > ENT_SIM_MAXLEVEL) {
      lua_pushfstring(L, "tie level %s at position %d not in 0..%d", valstr(L, -1),
                      k + 1, ENT_SIM_MAXLEVEL);
      return luaL_argerror(L, 2, lua_tostring(L, -1));
    }
    p->P[k] = (uint8_t)v;
    lua_pop(L, 1);
  }
  return 1;
}

static int l_portfolio_n(lua_State *L) {
  lua_pushnumber(L, checkport(L, 1)->n);
  return 1;
}

static int l_portfolio_get(lua_State *L) {
  portfolio *p = checkport(L, 1);
  int32_t i = checkint(L, 2, 0, p->n - 1), k = checkint(L, 3, 0, p->n - 1);
  lua_pushnumber(L, p->P[(size_t)i * p->n + k]);
  return 1;
}

/* ---------------------------------------------------------- similarity */

static const char *const METHODS[] = {"s", "kappa", "pi", "taub", NULL};
static const char *const DISTANCES[] = {"abs", "sq", "nominal", NULL};

/* args at idx: method, distance, maxlevel, weights (nil or list of n) */
static void checkopts(lua_State *L, int idx, const portfolio *p, ent_sim_opts *o) {
  ent_sim_opts_init(o);
  o->method = (ent_sim_method)luaL_checkoption(L, idx, NULL, METHODS);
  o->distance = (ent_sim_distance)luaL_checkoption(L, idx + 1, NULL, DISTANCES);
  o->maxlevel = checkint(L, idx + 2, 1, ENT_SIM_MAXLEVEL);
  if (!lua_isnoneornil(L, idx + 3)) {
    double *w;
    int32_t k;
    luaL_checktype(L, idx + 3, LUA_TTABLE);
    if ((int32_t)lua_rawlen(L, idx + 3) != p->n) {
      lua_pushfstring(L, "%d weights expected, got %d", (int)p->n, (int)lua_rawlen(L, idx + 3));
      luaL_argerror(L, idx + 3, lua_tostring(L, -1));
    }
    w = (double *)lua_newuserdata(L, sizeof(double) * (size_t)p->n);
    for (k = 0; k < p->n; k++) {
      lua_rawgeti(L, idx + 3, k + 1);
      if (!lua_isnumber(L, -1)) {
        lua_pushfstring(L, "weight %d is not a number", k + 1);
        luaL_argerror(L, idx + 3, lua_tostring(L, -1));
      }
      w[k] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    o->weights = w; /* anchored on the stack until the function returns */
  }
}

static void checkdata(lua_State *L, const portfolio *p, const ent_sim_opts *o, int argn) {
  int64_t bad;
  if (ent_sim_check(p->P, p->n, o, &bad) == ENT_OK) return;
  if (bad >= 0)
    lua_pushfstring(L, "tie level %d of state %d with state %d exceeds the scale's top level %d",
                    (int)p->P[bad], (int)(bad / p->n), (int)(bad % p->n), o->maxlevel);
  else if (bad <= -2)
    lua_pushfstring(L, "weight %d is %f (weights must be finite and >= 0)", (int)(-bad - 1),
                    o->weights[-bad - 2]);
  else if (o->method == ENT_SIM_S && o->distance == ENT_DIST_NOMINAL)
    lua_pushliteral(L, "distance 'nominal' is for kappa and pi; S takes 'abs' or 'sq'");
  else
    lua_pushliteral(L, "weights sum to 0");
  luaL_argerror(L, argn, lua_tostring(L, -1));
}

/* sim_dyad(p, i, j, method, distance, maxlevel, weights) -> number */
static int l_sim_dyad(lua_State *L) {
  portfolio *p = checkport(L, 1);
  int32_t i = checkint(L, 2, 0, p->n - 1), j = checkint(L, 3, 0, p->n - 1);
  ent_sim_opts o;
  double v;
  checkopts(L, 4, p, &o);
  checkdata(L, p, &o, 4);
  ent_sim_dyad(p->P, p->n, i, j, &o, &v);
  lua_pushnumber(L, v);
  return 1;
}

/* sim_all(p, method, distance, maxlevel, weights, nthreads) -> simmat */
static int l_sim_all(lua_State *L) {
  portfolio *p = checkport(L, 1);
  ent_sim_opts o;
  int nthreads;
  simmat *m;
  checkopts(L, 2, p, &o);
  nthreads = (int)luaL_optinteger(L, 6, 0);
  checkdata(L, p, &o, 2);
  m = (simmat *)lua_newuserdata(L, sizeof(simmat) + sizeof(double) * (size_t)p->n * p->n);
  m->n = p->n;
  luaL_getmetatable(L, SIMMAT_MT);
  lua_setmetatable(L, -2);
  if (ent_sim_all(p->P, p->n, &o, nthreads, m->v) != ENT_OK) return luaL_error(L, "similarity failed");
  return 1;
}

static int l_simmat_get(lua_State *L) {
  simmat *m = (simmat *)luaL_checkudata(L, 1, SIMMAT_MT);
  int32_t i = checkint(L, 2, 0, m->n - 1), j = checkint(L, 3, 0, m->n - 1);
  lua_pushnumber(L, m->v[(size_t)i * m->n + j]);
  return 1;
}

static int l_simmat_n(lua_State *L) {
  lua_pushnumber(L, ((simmat *)luaL_checkudata(L, 1, SIMMAT_MT))->n);
  return 1;
}

/* simmat_sum(m) -> sum of the upper triangle (i < j) and the number of NaN
** cells there: a cheap digest for benchmarks and checks. */
static int l_simmat_sum(lua_State *L) {
  simmat *m = (simmat *)luaL_checkudata(L, 1, SIMMAT_MT);
  double s = 0;
  int32_t i, j, nan = 0;
  for (i = 0; i < m->n; i++)
    for (j = i + 1; j < m->n; j++) {
      double v = m->v[(size_t)i * m->n + j];
      if (v != v) nan++;
      else s += v;
    }
  lua_pushnumber(L, s);
  lua_pushnumber(L, nan);
  return 2;
}

/* ---------------------------------------------------------- capability */

/* cinc({6n components, NaN = missing}, n) -> {cinc}, {6n shares} */
static int l_cinc(lua_State *L) {
  int32_t n, k;
  double *comp, *cinc, *sh;
  int64_t bad;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = checkint(L, 2, 0, 1000000);
  if (lua_rawlen(L, 1) != (size_t)n * ENT_NMC_COMPONENTS) {
    lua_pushfstring(L, "%d component values expected (6 per state), got %d", (int)n * 6,
                    (int)lua_rawlen(L, 1));
    return luaL_argerror(L, 1, lua_tostring(L, -1));
  }
  comp = (double *)lua_newuserdata(L, sizeof(double) * ((size_t)n * 13 + 1));
  cinc = comp + (size_t)n * 6;
  sh = cinc + n;
  for (k = 0; k < n * 6; k++) {
    lua_rawgeti(L, 1, k + 1);
    if (!lua_isnumber(L, -1)) {
      lua_pushfstring(L, "component value %d is not a number (use 0/0 for missing)", k + 1);
      return luaL_argerror(L, 1, lua_tostring(L, -1));
    }
    comp[k] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  if (ent_cinc(n, comp, cinc, sh, &bad) != ENT_OK) {
    lua_pushfstring(L, "component value %d is %f (must be finite and >= 0)", (int)bad + 1, comp[bad]);
    return luaL_argerror(L, 1, lua_tostring(L, -1));
  }
  lua_createtable(L, n, 0);
  for (k = 0; k < n; k++) {
    lua_pushnumber(L, cinc[k]);
    lua_rawseti(L, -2, k + 1);
  }
  lua_createtable(L, n * 6, 0);
  for (k = 0; k < n * 6; k++) {
    lua_pushnumber(L, sh[k]);
    lua_rawseti(L, -2, k + 1);
  }
  return 2;
}

static const luaL_Reg cow_funcs[] = {
  {"atop_new", l_atop_new}, {"atop_add", l_atop_add}, {"atop_count", l_atop_count},
  {"atop_flags", l_atop_flags}, {"atop_year", l_atop_year},
  {"portfolio_atop", l_portfolio_atop}, {"portfolio_new", l_portfolio_new},
  {"portfolio_n", l_portfolio_n}, {"portfolio_get", l_portfolio_get},
  {"sim_dyad", l_sim_dyad}, {"sim_all", l_sim_all},
  {"simmat_get", l_simmat_get}, {"simmat_n", l_simmat_n}, {"simmat_sum", l_simmat_sum},
  {"cinc", l_cinc},
  {NULL, NULL}
};

void ent_lua_open_cow(lua_State *L) {
  luaL_newmetatable(L, ATOP_MT);
  lua_pushcfunction(L, l_atop_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, PORT_MT);
  lua_pop(L, 1);
  luaL_newmetatable(L, SIMMAT_MT);
  lua_pop(L, 1);
  luaL_setfuncs(L, cow_funcs, 0);
}
