/*
** base/error.h - filling an ent_error (internal to the core).
*/
#ifndef ENT_BASE_ERROR_H
#define ENT_BASE_ERROR_H

#include "entente/base.h"

#if defined(__GNUC__) || defined(__clang__)
#define ENT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ENT_PRINTF(f, a)
#endif

/* Write st and the formatted message into *err (when err is not NULL) and
** return st, so that a failing path reads `return ent_fail(err, ENT_EINVAL,
** "weight %g ...", x);`.  The message is cut to ENT_ERROR_SIZE - 1 bytes. */
ent_status ent_fail(ent_error *err, ent_status st, const char *fmt, ...) ENT_PRINTF(3, 4);

/* The same for an out-of-memory failure: "out of memory <what>". */
ent_status ent_fail_nomem(ent_error *err, const char *what);

#endif
