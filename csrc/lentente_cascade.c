/* lentente_cascade.c - Lua binding for the cascade kernels (thin: argument checks and
** conversions only). */
#include "lentente.h"

void ent_lua_open_cascade(lua_State *L) {
  (void)L;
}
