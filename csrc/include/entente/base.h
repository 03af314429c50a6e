/*
** entente/base.h - what every part of the entente C API uses: the version,
** status codes and the error record, calendar dates, random streams.
**
** Errors: every fallible function returns an ent_status (ENT_OK == 0) and,
** when it fails and its ent_error *err argument is not NULL, writes the
** status and a one-line message naming the bad value into *err.  On success
** *err is left as it was.  Nothing here keeps global mutable state.
*/
#ifndef ENTENTE_BASE_H
#define ENTENTE_BASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_VERSION "0.1.0"

typedef enum ent_status {
  ENT_OK = 0,
  ENT_ENOMEM,      /* allocation failed */
  ENT_EINVAL,      /* bad argument value (out of range, malformed) */
  ENT_ENOTFOUND,   /* unknown code, kind, id */
  ENT_EEXIST,      /* already exists */
  ENT_EREMOVED,    /* id refers to something that was removed */
  ENT_ELIMIT       /* input larger than a documented limit */
} ent_status;

/* ------------------------------------------------------------------ dates */

/* A calendar date as days since 1970-01-01 (proleptic Gregorian).  The two
** sentinels stand for an open interval end ("since ever", "until further
** notice"). */
typedef int32_t ent_date;
#define ENT_DATE_MIN INT32_MIN
#define ENT_DATE_MAX INT32_MAX

/* Parse "YYYY-MM-DD" or "YYYY" (read as YYYY-01-01); years 1..9999.  Returns
** ENT_EINVAL for anything else, including impossible days (2023-02-29). */
ent_status ent_date_parse(const char *s, size_t len, ent_date *out);
/* Write d as "YYYY-MM-DD" (11 bytes with the NUL); sentinels as "" . */
void ent_date_format(ent_date d, char buf[16]);
ent_date ent_date_from_ymd(int y, int m, int d);
void ent_date_to_ymd(ent_date d, int *y, int *m, int *day);

/* ----------------------------------------------------------------- errors */

#define ENT_ERROR_SIZE 256
typedef struct ent_error {
  ent_status status;
  char msg[ENT_ERROR_SIZE];   /* one line, NUL-terminated */
} ent_error;

/* A short constant description of s ("out of memory", ...). */
const char *ent_status_string(ent_status s);

/* ---------------------------------------------------------- random streams */

/* xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64.  The
** stream of (seed, stream) is a function of those two numbers only, so a
** computation that gives block b of its draws the stream b gives the same
** answer whatever the number of threads. */
typedef struct ent_rng { uint64_t s[4]; } ent_rng;
void ent_rng_seed(ent_rng *r, uint64_t seed, uint64_t stream);
uint64_t ent_rng_next(ent_rng *r);
double ent_rng_uniform(ent_rng *r);          /* in [0,1), 53 bits */

#ifdef __cplusplus
}
#endif
#endif
