/*
** host.c - a minimal program embedding Lua with entente, as a game engine or
** an analysis tool would.  Usage: host SCRIPT.lua [args...]
**
** The host opens the standard libraries, registers entente.core as a preloaded
** module (linked statically, no .so needed) and makes the Lua half of entente
** findable through ENTENTE_LUA_DIR (default: ./lua), then runs the script.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int luaopen_entente_core(lua_State *L);

#ifndef LUA_OK /* Lua 5.1 and LuaJIT */
#define LUA_OK 0
#define lua_getglobal(L, s) lua_getfield((L), LUA_GLOBALSINDEX, (s))
#endif

/* Prepend dir/?.lua;dir/?/init.lua to package.path. */
static void add_lua_dir(lua_State *L, const char *dir) {
  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;", dir, dir);
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
}

static void preload_core(lua_State *L) {
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_entente_core);
  lua_setfield(L, -2, "entente.core");
  lua_pop(L, 2);
}

static int traceback(lua_State *L) {
#if LUA_VERSION_NUM >= 502
  luaL_traceback(L, L, lua_tostring(L, 1), 1);
#endif
  return 1;
}

int main(int argc, char **argv) {
  lua_State *L;
  const char *dir = getenv("ENTENTE_LUA_DIR");
  int i, status;
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRIPT.lua [args...]\n", argv[0]);
    return 2;
  }
  L = luaL_newstate();
  if (!L) {
    fprintf(stderr, "host: cannot create Lua state\n");
    return 1;
  }
  luaL_openlibs(L);
  preload_core(L);
  add_lua_dir(L, dir ? dir : "lua");
  lua_createtable(L, argc, 0); /* arg table as the stand-alone interpreter makes it */
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  lua_pushcfunction(L, traceback);
  status = luaL_loadfile(L, argv[1]);
  if (status == LUA_OK) status = lua_pcall(L, 0, 0, -2);
  if (status != LUA_OK) fprintf(stderr, "host: %s\n", lua_tostring(L, -1));
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}
