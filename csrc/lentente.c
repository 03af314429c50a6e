/*
** lentente.c - Lua binding of the entente core: module entente.core.
**
** Thin by design: every function checks and converts its arguments, calls one
** ent_* function and converts the result.  Names, defaults, handles and
** messages that name user arguments live in lua/entente/init.lua.  Ids cross
** the boundary 0-based; dates as day numbers (nil for an open end).
*/
#include <math.h>
#include <string.h>

#include "lentente.h"

#if LUA_VERSION_NUM < 502
void ent_lua_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  for (; l->name; l++) {
    int i;
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

void *luaL_testudata(lua_State *L, int ud, const char *tname) {
  void *p = lua_touserdata(L, ud);
  if (p && lua_getmetatable(L, ud)) {
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2)) p = NULL;
    lua_pop(L, 2);
    return p;
  }
  return NULL;
}
#endif

/* ------------------------------------------------------------ helpers */

ent_world *ent_lua_checkworld(lua_State *L, int idx) {
  ent_world **pw = (ent_world **)luaL_checkudata(L, idx, ENT_WORLD_MT);
  if (!*pw) luaL_argerror(L, idx, "world was freed");
  return *pw;
}

int ent_lua_fail(lua_State *L, ent_world *w) {
  return luaL_error(L, "%s", ent_world_errmsg(w));
}

ent_date ent_lua_optdate(lua_State *L, int idx, ent_date dflt) {
  lua_Number d;
  if (lua_isnoneornil(L, idx)) return dflt;
  d = luaL_checknumber(L, idx);
  if (!(d >= -2147483647.0 && d <= 2147483646.0) || d != floor(d))
    luaL_argerror(L, idx, "bad day number");
  return (ent_date)d;
}

static ent_id checkid(lua_State *L, int idx) {
  lua_Number n = luaL_checknumber(L, idx);
  if (!(n >= -1 && n < 2147483647.0) || n != floor(n)) luaL_argerror(L, idx, "bad id");
  return (ent_id)n;
}

static void pushdate(lua_State *L, ent_date d) {
  if (d == ENT_DATE_MIN || d == ENT_DATE_MAX) lua_pushnil(L);
  else lua_pushinteger(L, d);
}

static ent_world **newworld(lua_State *L) {
  ent_world **pw = (ent_world **)lua_newuserdata(L, sizeof *pw);
  *pw = NULL;
  luaL_getmetatable(L, ENT_WORLD_MT);
  lua_setmetatable(L, -2);
  return pw;
}

/* -------------------------------------------------------------- dates */

static int l_date_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  ent_date d;
  if (ent_date_parse(s, len, &d) != ENT_OK) return 0;
  lua_pushinteger(L, d);
  return 1;
}

static int l_date_format(lua_State *L) {
  char buf[16];
  ent_date_format(ent_lua_optdate(L, 1, ENT_DATE_MIN), buf);
  lua_pushstring(L, buf);
  return 1;
}

/* -------------------------------------------------------------- world */

static int l_world_new(lua_State *L) {
  ent_world **pw = newworld(L);
  if (ent_world_new(pw) != ENT_OK) return luaL_error(L, "out of memory");
  return 1;
}

static int l_world_gc(lua_State *L) {
  ent_world **pw = (ent_world **)luaL_checkudata(L, 1, ENT_WORLD_MT);
  ent_world_free(*pw);
  *pw = NULL;
  return 0;
}

static int l_fork(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_world **pw = newworld(L);
  if (ent_world_fork(w, pw) != ENT_OK) return luaL_error(L, "out of memory");
  return 1;
}

static int l_get_date(lua_State *L) {
  lua_pushinteger(L, ent_world_date(ent_lua_checkworld(L, 1)));
  return 1;
}

static int l_set_date(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_world_set_date(w, ent_lua_optdate(L, 2, ent_world_date(w)));
  return 0;
}

/* ------------------------------------------------------------- actors */

static int l_actor_add(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_id id;
  if (ent_actor_add(w, luaL_checkstring(L, 2), luaL_optstring(L, 3, NULL), &id) != ENT_OK)
    return ent_lua_fail(L, w);
  lua_pushinteger(L, id);
  return 1;
}

/* actor_add_columns(w, codes, names|nil) -> nil | failing row */
static int l_actor_add_columns(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  lua_Integer i, n;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (lua_Integer)lua_rawlen(L, 2);
  for (i = 1; i <= n; i++) {
    ent_id id;
    const char *name = NULL;
    int ok;
    lua_rawgeti(L, 2, (int)i);
    if (lua_istable(L, 3)) lua_rawgeti(L, 3, (int)i);
    else lua_pushnil(L);
    if (lua_type(L, -1) == LUA_TSTRING) name = lua_tostring(L, -1);
    ok = lua_type(L, -2) == LUA_TSTRING && (lua_isnil(L, -1) || name) &&
         ent_actor_add(w, lua_tostring(L, -2), name, &id) == ENT_OK;
    lua_pop(L, 2);
    if (!ok) {
      lua_pushinteger(L, i);
      return 1;
    }
  }
  return 0;
}

static int l_actor_find(lua_State *L) {
  ent_id id;
  if (ent_actor_find(ent_lua_checkworld(L, 1), luaL_checkstring(L, 2), &id) != ENT_OK) return 0;
  lua_pushinteger(L, id);
  return 1;
}

static int l_actor_remove(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  if (ent_actor_remove(w, checkid(L, 2)) != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

static int l_actor_alive(lua_State *L) {
  lua_pushboolean(L, ent_actor_alive(ent_lua_checkworld(L, 1), checkid(L, 2)));
  return 1;
}

static int l_actor_capacity(lua_State *L) {
  lua_pushinteger(L, ent_actor_capacity(ent_lua_checkworld(L, 1)));
  return 1;
}

static int l_actor_count(lua_State *L) {
  lua_pushinteger(L, ent_actor_count(ent_lua_checkworld(L, 1)));
  return 1;
}

static int l_actor_code(lua_State *L) {
  lua_pushstring(L, ent_actor_code(ent_lua_checkworld(L, 1), checkid(L, 2)));
  return 1;
}

static int l_actor_name(lua_State *L) {
  lua_pushstring(L, ent_actor_name(ent_lua_checkworld(L, 1), checkid(L, 2)));
  return 1;
}

static int l_actor_set_name(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  if (ent_actor_set_name(w, checkid(L, 2), luaL_checkstring(L, 3)) != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

/* attr_set(w, id, name, value|nil) */
static int l_attr_set(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_id a = checkid(L, 2);
  int col;
  double v = lua_isnoneornil(L, 4) ? NAN : (double)luaL_checknumber(L, 4);
  if (ent_attr_column(w, luaL_checkstring(L, 3), 1, &col) != ENT_OK ||
      ent_actor_set_attr(w, a, col, v) != ENT_OK)
    return ent_lua_fail(L, w);
  return 0;
}

static int l_attr_get(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_id a = checkid(L, 2);
  int col;
  double v;
  if (ent_attr_column(w, luaL_checkstring(L, 3), 0, &col) != ENT_OK) return 0;
  v = ent_actor_attr(w, a, col);
  if (isnan(v)) return 0;
  lua_pushnumber(L, v);
  return 1;
}

static int l_attr_names(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  int i, n = ent_attr_count(w);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, ent_attr_name(w, i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int l_tag(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_status st = lua_toboolean(L, 4) ? ent_actor_untag(w, checkid(L, 2), luaL_checkstring(L, 3))
                                      : ent_actor_tag(w, checkid(L, 2), luaL_checkstring(L, 3));
  if (st != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

static int l_has_tag(lua_State *L) {
  lua_pushboolean(L, ent_actor_has_tag(ent_lua_checkworld(L, 1), checkid(L, 2), luaL_checkstring(L, 3)));
  return 1;
}

static int l_tags(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_id a = checkid(L, 2);
  int i, n = ent_actor_tag_count(w, a);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, ent_actor_tag_at(w, a, i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* -------------------------------------------------------------- kinds */

static int l_kind_count(lua_State *L) {
  lua_pushinteger(L, ent_kind_count(ent_lua_checkworld(L, 1)));
  return 1;
}

static int l_kind_find(lua_State *L) {
  int k;
  if (ent_kind_find(ent_lua_checkworld(L, 1), luaL_checkstring(L, 2), &k) != ENT_OK) return 0;
  lua_pushinteger(L, k);
  return 1;
}

/* kind_get(w, k) -> name, sign, obligation (0..3), strength, flags */
static int l_kind_get(lua_State *L) {
  ent_kind_info k;
  if (ent_kind_get(ent_lua_checkworld(L, 1), (int)luaL_checkinteger(L, 2), &k) != ENT_OK) return 0;
  lua_pushstring(L, k.name);
  lua_pushinteger(L, k.sign);
  lua_pushinteger(L, (lua_Integer)k.obligation);
  lua_pushnumber(L, k.strength);
  lua_pushinteger(L, (lua_Integer)k.flags);
  return 5;
}

static int l_kind_add(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_kind_info k;
  int id;
  k.name = luaL_checkstring(L, 2);
  k.sign = (int)luaL_checkinteger(L, 3);
  k.obligation = (ent_obligation)luaL_checkinteger(L, 4);
  k.strength = luaL_checknumber(L, 5);
  k.flags = (unsigned)luaL_optinteger(L, 6, 0);
  if (ent_kind_add(w, &k, &id) != ENT_OK) return ent_lua_fail(L, w);
  lua_pushinteger(L, id);
  return 1;
}

/* ---------------------------------------------------------- relations */

/* relate(w, a, b, kind, strength, since|nil, until|nil, source|nil) -> id */
static int l_relate(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_id id;
  if (ent_relate(w, checkid(L, 2), checkid(L, 3), (int)luaL_checkinteger(L, 4), luaL_checknumber(L, 5),
                 ent_lua_optdate(L, 6, ENT_DATE_MIN), ent_lua_optdate(L, 7, ENT_DATE_MAX),
                 luaL_optstring(L, 8, NULL), &id) != ENT_OK)
    return ent_lua_fail(L, w);
  lua_pushinteger(L, id);
  return 1;
}

/* A column of relate_columns: a table (one value per row) or a scalar that
** applies to every row, converted once. */
typedef struct column {
  int idx, is_table;
  int kind;            /* kind column: scalar kind id */
  double number;       /* strength column: scalar value, NAN = kind default */
  ent_date date;       /* date columns: scalar value */
  const char *str;     /* source column: scalar string (anchored as an argument) */
  int ok;              /* the scalar converted */
} column;

static int isfalse(lua_State *L, int idx) {
  return lua_isnil(L, idx) || (lua_isboolean(L, idx) && !lua_toboolean(L, idx));
}

static int todate(lua_State *L, int idx, ent_date open, ent_date *out) {
  size_t len;
  const char *s;
  if (isfalse(L, idx)) {
    *out = open;
    return 1;
  }
  if (lua_type(L, idx) != LUA_TSTRING) return 0;
  s = lua_tolstring(L, idx, &len);
  return ent_date_parse(s, len, out) == ENT_OK;
}

static int tokind(lua_State *L, ent_world *w, int idx, int *k) {
  if (lua_type(L, idx) == LUA_TNUMBER) *k = (int)lua_tointeger(L, idx);
  else if (lua_type(L, idx) != LUA_TSTRING || ent_kind_find(w, lua_tostring(L, idx), k) != ENT_OK) return 0;
  return 1;
}

/* A kind column repeats a few names: equal pointers of strings anchored in
** the same table are equal names, so a small cache spares the name search. */
typedef struct kindcache { const char *name[8]; int kind[8]; int next; } kindcache;

static int tokind_cached(lua_State *L, ent_world *w, int idx, kindcache *kc, int *k) {
  const char *p;
  int j;
  if (lua_type(L, idx) != LUA_TSTRING) return tokind(L, w, idx, k);
  p = lua_tostring(L, idx);
  for (j = 0; j < 8; j++)
    if (kc->name[j] == p) {
      *k = kc->kind[j];
      return 1;
    }
  if (!tokind(L, w, idx, k)) return 0;
  kc->name[kc->next] = p;
  kc->kind[kc->next] = *k;
  kc->next = (kc->next + 1) % 8;
  return 1;
}

static int tostrength(lua_State *L, int idx, double *s) {
  if (lua_type(L, idx) == LUA_TNUMBER) *s = lua_tonumber(L, idx);
  else if (lua_isnil(L, idx)) *s = NAN; /* the kind's default */
  else return 0;
  return 1;
}

static int tosource(lua_State *L, int idx, const char **src) {
  if (lua_type(L, idx) == LUA_TSTRING) *src = lua_tostring(L, idx);
  else if (isfalse(L, idx)) *src = NULL;
  else return 0;
  return 1;
}

/* relate_columns(w, first, last, A, B, K, S, SI, E, SO) -> nil | failing row
** Adds rows first..last of the columns (see World:relate_many); stops at the
** first row that does not convert or is rejected and returns its number,
** leaving the rows before it added (the Lua side explains or rolls back).
** Scalars are converted once; rows are converted a chunk at a time into C
** arrays (strings stay anchored in their tables) and handed to the core's
** bulk functions, so the loop allocates nothing. */
static int l_relate_columns(lua_State *L) {
  enum { CHUNK = 256 };
  ent_world *w = ent_lua_checkworld(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2), n = luaL_checkinteger(L, 3);
  column c[7];
  const char *ca[CHUNK], *cb[CHUNK], *src[CHUNK];
  ent_id a[CHUNK], b[CHUNK];
  int kind[CHUNK];
  double strength[CHUNK];
  ent_date since[CHUNK], until[CHUNK];
  kindcache kc = {{NULL}, {0}, 0};
  int j, top;
  lua_settop(L, 10);
  luaL_checktype(L, 4, LUA_TTABLE);
  luaL_checktype(L, 5, LUA_TTABLE);
  for (j = 0; j < 7; j++) {
    column *cj = &c[j];
    cj->idx = 4 + j;
    cj->is_table = lua_istable(L, cj->idx);
    cj->ok = 1;
    if (cj->is_table) continue;
    switch (j) {
      case 2: cj->ok = tokind(L, w, cj->idx, &cj->kind); break;
      case 3: cj->ok = tostrength(L, cj->idx, &cj->number); break;
      case 4: cj->ok = todate(L, cj->idx, ENT_DATE_MIN, &cj->date); break;
      case 5: cj->ok = todate(L, cj->idx, ENT_DATE_MAX, &cj->date); break;
      case 6: cj->ok = tosource(L, cj->idx, &cj->str); break;
      default: break;
    }
    if (!cj->ok) {
      lua_pushinteger(L, i);
      return 1;
    }
  }
  top = lua_gettop(L);
  while (i <= n) {
    int32_t m = 0, r, done;
    int bad = 0;
    /* convert up to CHUNK rows; a row that does not convert ends the chunk */
    for (; m < CHUNK && i + m <= n; m++) {
      int ok;
      for (j = 0; j < 7; j++)
        if (c[j].is_table) lua_rawgeti(L, c[j].idx, (int)(i + m));
        else lua_pushnil(L);
      kind[m] = c[2].kind;
      strength[m] = c[3].number;
      since[m] = c[4].date;
      until[m] = c[5].date;
      src[m] = c[6].str;
      ca[m] = lua_type(L, top + 1) == LUA_TSTRING ? lua_tostring(L, top + 1) : NULL;
      cb[m] = lua_type(L, top + 2) == LUA_TSTRING ? lua_tostring(L, top + 2) : NULL;
      ok = ca[m] && cb[m] &&
           (!c[2].is_table || tokind_cached(L, w, top + 3, &kc, &kind[m])) &&
           (!c[3].is_table || tostrength(L, top + 4, &strength[m])) &&
           (!c[4].is_table || todate(L, top + 5, ENT_DATE_MIN, &since[m])) &&
           (!c[5].is_table || todate(L, top + 6, ENT_DATE_MAX, &until[m])) &&
           (!c[6].is_table || tosource(L, top + 7, &src[m]));
      lua_settop(L, top);
      if (!ok) {
        bad = 1;
        break;
      }
    }
    ent_actor_find_many(w, ca, m, a);
    ent_actor_find_many(w, cb, m, b);
    for (r = 0; r < m; r++)
      if (a[r] == ENT_NONE || b[r] == ENT_NONE) break;
    if (r < m) bad = 1;
    if (ent_relate_many(w, r, a, b, kind, strength, since, until, src, &done) != ENT_OK || done < r) {
      lua_pushinteger(L, i + done);
      return 1;
    }
    i += r;
    if (bad) {
      lua_pushinteger(L, i);
      return 1;
    }
  }
  return 0;
}

static int l_rel_end(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  if (ent_relation_end(w, checkid(L, 2), ent_lua_optdate(L, 3, ENT_DATE_MAX)) != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

static int l_rel_set_strength(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  if (ent_relation_set_strength(w, checkid(L, 2), luaL_checknumber(L, 3)) != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

static int l_rel_remove(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  if (ent_relation_remove(w, checkid(L, 2)) != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

static int l_rel_alive(lua_State *L) {
  lua_pushboolean(L, ent_relation_alive(ent_lua_checkworld(L, 1), checkid(L, 2)));
  return 1;
}

/* rel_get(w, id) -> a, b, kind, strength, since, until, source */
static int l_rel_get(lua_State *L) {
  ent_relation_info r;
  if (ent_relation_get(ent_lua_checkworld(L, 1), checkid(L, 2), &r) != ENT_OK) return 0;
  lua_pushinteger(L, r.a);
  lua_pushinteger(L, r.b);
  lua_pushinteger(L, r.kind);
  lua_pushnumber(L, r.strength);
  pushdate(L, r.since);
  pushdate(L, r.until);
  lua_pushstring(L, r.source);
  return 7;
}

/* The query filters at 2..5: actor|nil, other|nil, kind|nil, date|nil. */
static void checkquery(lua_State *L, ent_query *q) {
  ent_query_init(q);
  if (!lua_isnoneornil(L, 2)) q->actor = checkid(L, 2);
  if (!lua_isnoneornil(L, 3)) q->other = checkid(L, 3);
  if (!lua_isnoneornil(L, 4)) q->kind = (int)luaL_checkinteger(L, 4);
  q->date = ent_lua_optdate(L, 5, ENT_DATE_MIN);
}

/* relations(w, actor|nil, other|nil, kind|nil, date|nil) -> {ids} */
static int l_relations(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_query q;
  ent_id *ids;
  int32_t n, i;
  checkquery(L, &q);
  ent_relations(w, &q, NULL, 0, &n);
  /* the id buffer is a userdata so a memory error cannot leak it */
  ids = (ent_id *)lua_newuserdata(L, (size_t)(n ? n : 1) * sizeof *ids);
  ent_relations(w, &q, ids, n, &n);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushinteger(L, ids[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* count_relations(w, actor|nil, other|nil, kind|nil, date|nil) -> n */
static int l_count_relations(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_query q;
  int32_t n;
  checkquery(L, &q);
  ent_relations(w, &q, NULL, 0, &n);
  lua_pushinteger(L, n);
  return 1;
}

static int l_rel_count(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  lua_pushinteger(L, ent_relation_count(w));
  lua_pushinteger(L, ent_relation_capacity(w));
  return 2;
}

static int l_relation_record_bytes(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)ent_relation_record_size());
  return 1;
}

static int l_store_bytes(lua_State *L) {
  lua_pushnumber(L, (lua_Number)ent_relation_store_bytes(ent_lua_checkworld(L, 1)));
  return 1;
}

/* ------------------------------------------------------------- events */

/* event_add(w, date, date_end, a, b|nil, cameo|nil, goldstein|nil, text) -> id */
static int l_event_add(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  ent_date d = ent_lua_optdate(L, 2, ENT_DATE_MIN);
  ent_id id;
  if (ent_event_add(w, d, ent_lua_optdate(L, 3, d), checkid(L, 4),
                    lua_isnoneornil(L, 5) ? ENT_NONE : checkid(L, 5), luaL_optstring(L, 6, NULL),
                    lua_isnoneornil(L, 7) ? NAN : (double)luaL_checknumber(L, 7),
                    luaL_optstring(L, 8, NULL), &id) != ENT_OK)
    return ent_lua_fail(L, w);
  lua_pushinteger(L, id);
  return 1;
}

/* event_get(w, id) -> date, date_end, a, b|nil, cameo, goldstein, text */
static int l_event_get(lua_State *L) {
  ent_event_info e;
  if (ent_event_get(ent_lua_checkworld(L, 1), checkid(L, 2), &e) != ENT_OK) return 0;
  lua_pushinteger(L, e.date);
  lua_pushinteger(L, e.date_end);
  lua_pushinteger(L, e.a);
  if (e.b == ENT_NONE) lua_pushnil(L);
  else lua_pushinteger(L, e.b);
  lua_pushstring(L, e.cameo);
  lua_pushnumber(L, e.goldstein);
  lua_pushstring(L, e.text);
  return 7;
}

static int l_event_count(lua_State *L) {
  lua_pushinteger(L, ent_event_count(ent_lua_checkworld(L, 1)));
  return 1;
}

static int l_event_alive(lua_State *L) {
  lua_pushboolean(L, ent_event_alive(ent_lua_checkworld(L, 1), checkid(L, 2)));
  return 1;
}

static int l_event_remove(lua_State *L) {
  ent_world *w = ent_lua_checkworld(L, 1);
  if (ent_event_remove(w, checkid(L, 2)) != ENT_OK) return ent_lua_fail(L, w);
  return 0;
}

static int l_cameo(lua_State *L) {
  double g;
  if (ent_cameo_goldstein(luaL_checkstring(L, 1), &g) != ENT_OK) return 0;
  lua_pushnumber(L, g);
  return 1;
}

static const luaL_Reg core_funcs[] = {
  {"date_parse", l_date_parse}, {"date_format", l_date_format},
  {"world_new", l_world_new}, {"fork", l_fork},
  {"get_date", l_get_date}, {"set_date", l_set_date},
  {"actor_add", l_actor_add}, {"actor_add_columns", l_actor_add_columns}, {"actor_find", l_actor_find}, {"actor_remove", l_actor_remove},
  {"actor_alive", l_actor_alive}, {"actor_capacity", l_actor_capacity},
  {"actor_count", l_actor_count}, {"actor_code", l_actor_code}, {"actor_name", l_actor_name},
  {"actor_set_name", l_actor_set_name},
  {"attr_set", l_attr_set}, {"attr_get", l_attr_get}, {"attr_names", l_attr_names},
  {"tag", l_tag}, {"has_tag", l_has_tag}, {"tags", l_tags},
  {"kind_count", l_kind_count}, {"kind_find", l_kind_find}, {"kind_get", l_kind_get},
  {"kind_add", l_kind_add},
  {"relate", l_relate}, {"relate_columns", l_relate_columns}, {"rel_end", l_rel_end}, {"rel_set_strength", l_rel_set_strength},
  {"rel_remove", l_rel_remove}, {"rel_alive", l_rel_alive}, {"rel_get", l_rel_get},
  {"relations", l_relations}, {"count_relations", l_count_relations}, {"rel_count", l_rel_count}, {"store_bytes", l_store_bytes}, {"relation_record_bytes", l_relation_record_bytes},
  {"event_add", l_event_add}, {"event_get", l_event_get}, {"event_count", l_event_count},
  {"event_alive", l_event_alive}, {"event_remove", l_event_remove},
  {"cameo", l_cameo},
  {NULL, NULL}
};

#ifndef ENTENTE_API
#define ENTENTE_API __attribute__((visibility("default")))
#endif

ENTENTE_API int luaopen_entente_core(lua_State *L) {
  if (luaL_newmetatable(L, ENT_WORLD_MT)) {
    lua_pushcfunction(L, l_world_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "entente.world");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
  luaL_newlib(L, core_funcs);
  lua_pushliteral(L, ENT_VERSION);
  lua_setfield(L, -2, "version");
  ent_lua_open_balance(L);
  ent_lua_open_cow(L);
  ent_lua_open_cascade(L);
  ent_lua_open_options(L);
  return 1;
}
