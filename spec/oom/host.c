/*
** spec/oom/host.c - runs a Lua script in a state whose allocator can be made
** to fail: the script calls oom(k) so that the (k+1)-th allocation from now
** fails (every later one too), and oom() to allocate normally again.  Built
** with entente.core linked in (as examples/embed/host.c) and run under
** `make test-asan`, it shows whether anything the binding allocates leaks
** when a memory error unwinds through it.  Lua 5.1+ (PUC) only: LuaJIT's
** 64-bit builds refuse a custom allocator.  Usage, from the repository:
** oomhost spec/oom/binding.lua
*/
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int luaopen_entente_core(lua_State *L);

static long budget = -1; /* allocations left before the failures; -1: no limit */
static long failed = 0;  /* allocations refused since the last oom() */

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  /* Lua assumes that shrinking a block never fails */
  if (budget >= 0 && (ptr == NULL || nsize > osize)) {
    if (budget == 0) {
      failed++;
      return NULL;
    }
    budget--;
  }
  return realloc(ptr, nsize);
}

/* oom(k): the allocation after the next k fails; oom(): no limit.  Returns
** the number of allocations refused under the previous setting. */
static int l_oom(lua_State *L) {
  long f = failed;
  budget = lua_isnoneornil(L, 1) ? -1 : (long)luaL_checkinteger(L, 1);
  failed = 0;
  lua_pushinteger(L, (lua_Integer)f);
  return 1;
}

static int traceback(lua_State *L) {
#if LUA_VERSION_NUM >= 502
  luaL_traceback(L, L, lua_tostring(L, 1), 1);
#endif
  return 1;
}

int main(int argc, char **argv) {
  lua_State *L;
  int status;
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRIPT.lua\n", argv[0]);
    return 2;
  }
  L = lua_newstate(alloc, NULL);
  if (!L) {
    fprintf(stderr, "oom host: cannot create a Lua state with a custom allocator\n");
    return 77;
  }
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_entente_core);
  lua_setfield(L, -2, "entente.core");
  lua_pop(L, 1);
  lua_pushliteral(L, "lua/?.lua;lua/?/init.lua;"); /* run from the repository */
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  lua_pushcfunction(L, l_oom);
  lua_setglobal(L, "oom");
  lua_pushcfunction(L, traceback);
  status = luaL_loadfile(L, argv[1]);
  if (status == 0) status = lua_pcall(L, 0, 0, -2);
  if (status != 0) fprintf(stderr, "oom host: %s\n", lua_tostring(L, -1));
  lua_close(L);
  return status == 0 ? 0 : 1;
}
