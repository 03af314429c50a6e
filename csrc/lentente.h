/*
** lentente.h - shared by the Lua binding files (csrc/lentente*.c) only.
** The core (every other csrc file) never includes Lua headers.
*/
#ifndef LENTENTE_H
#define LENTENTE_H

#include "lua.h"
#include "lauxlib.h"
#include "entente.h"

/* Lua 5.1 / LuaJIT compatibility for the few 5.2+ calls the binding uses. */
#if LUA_VERSION_NUM < 502
#define lua_rawlen(L, i) lua_objlen((L), (i))
#ifndef luaL_newlibtable /* LuaJIT 2.1 has these two */
#define luaL_newlibtable(L, l) lua_createtable((L), 0, sizeof(l) / sizeof((l)[0]) - 1)
#define luaL_newlib(L, l) (luaL_newlibtable((L), (l)), ent_lua_setfuncs((L), (l), 0))
#endif
#define luaL_setfuncs(L, l, n) ent_lua_setfuncs((L), (l), (n))
void ent_lua_setfuncs(lua_State *L, const luaL_Reg *l, int nup);
void *luaL_testudata(lua_State *L, int ud, const char *tname);
#endif

#define ENT_WORLD_MT "entente.world"

/* The world userdata at idx (raises a type error otherwise). */
ent_world *ent_lua_checkworld(lua_State *L, int idx);
/* Raise a Lua error with the world's last message (never returns). */
int ent_lua_fail(lua_State *L, ent_world *w);
/* Optional date argument: a number of days (as produced by core.date) or nil
** (gives dflt). */
ent_date ent_lua_optdate(lua_State *L, int idx, ent_date dflt);

/* Each area adds its functions to the module table on top of the stack. */
void ent_lua_open_balance(lua_State *L);     /* lentente_balance.c */
void ent_lua_open_cow(lua_State *L);         /* lentente_cow.c: capability, similarity */
void ent_lua_open_cascade(lua_State *L);     /* lentente_cascade.c: entrapment, tension */
void ent_lua_open_options(lua_State *L);     /* lentente_options.c */

#endif
