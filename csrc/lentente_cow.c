/* lentente_cow.c - Lua binding for the cow kernels (thin: argument checks and
** conversions only). */
#include "lentente.h"

void ent_lua_open_cow(lua_State *L) {
  (void)L;
}
