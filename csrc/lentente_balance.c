/* lentente_balance.c - Lua binding for the balance kernels (thin: argument checks and
** conversions only). */
#include "lentente.h"

void ent_lua_open_balance(lua_State *L) {
  (void)L;
}
