/*
** base/error.c - status strings and the error record.
*/
#include <stdarg.h>
#include <stdio.h>
#include "error.h"

const char *ent_status_string(ent_status s) {
  switch (s) {
    case ENT_OK: return "ok";
    case ENT_ENOMEM: return "out of memory";
    case ENT_EINVAL: return "invalid argument";
    case ENT_ENOTFOUND: return "not found";
    case ENT_EEXIST: return "already exists";
    case ENT_EREMOVED: return "removed";
    case ENT_ELIMIT: return "limit exceeded";
  }
  return "unknown status";
}

ent_status ent_fail(ent_error *err, ent_status st, const char *fmt, ...) {
  if (err) {
    va_list ap;
    err->status = st;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return st;
}

ent_status ent_fail_nomem(ent_error *err, const char *what) {
  return ent_fail(err, ENT_ENOMEM, "out of memory %s", what ? what : "");
}
