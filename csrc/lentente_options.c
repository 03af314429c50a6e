/* lentente_options.c - Lua binding for the options kernels (thin: argument checks and
** conversions only). */
#include "lentente.h"

void ent_lua_open_options(lua_State *L) {
  (void)L;
}
