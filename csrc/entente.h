/*
** entente.h - public C API of the entente core.
**
** The core stores actors, relation kinds, relations and events of a world and
** runs the numeric kernels on them.  It has no dependency on Lua: the Lua
** binding (lentente*.c) is one client among others (see examples/embed and
** spec/c/test_core.c).
**
** Conventions (after igraph): one prefix `ent_`, opaque structs, functions
** return an ent_status (ENT_OK == 0) and write results through pointers; the
** last error of a world is described by ent_world_errmsg().  Nothing here
** keeps global mutable state, so distinct worlds may be used from distinct
** threads.  Complexities are given per function; n = actors, m = relations.
*/
#ifndef ENTENTE_H
#define ENTENTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "entente/base.h"

/* ------------------------------------------------------------------ kinds */

typedef enum ent_obligation {
  ENT_OBL_NONE = 0,
  ENT_OBL_CONSULTATION = 1,
  ENT_OBL_NEUTRALITY = 2,
  ENT_OBL_DEFENCE = 3
} ent_obligation;

/* Kind flags. */
#define ENT_KIND_DIRECTED   0x01u  /* a -> b has a direction (sanction) */
#define ENT_KIND_DEFENSIVE  0x02u  /* obligation holds only if the partner is attacked */

typedef struct ent_kind_info {
  const char *name;        /* owned by the world */
  int sign;                /* +1 cooperative, -1 hostile, 0 neutral */
  ent_obligation obligation;
  double strength;         /* default strength in (0,1] */
  unsigned flags;
} ent_kind_info;

/* ---------------------------------------------------------------- records */

typedef int32_t ent_id;    /* dense index; -1 = none */
#define ENT_NONE (-1)

typedef struct ent_relation_info {
  ent_id a, b;
  int kind;
  double strength;
  ent_date since, until;   /* valid on [since, until) */
  const char *source;      /* never NULL; "" when none; owned by the world */
} ent_relation_info;

typedef struct ent_event_info {
  ent_date date, date_end; /* date_end == date for a one-day event */
  ent_id a, b;             /* b may be ENT_NONE */
  char cameo[8];           /* CAMEO code with its leading zeros, or "" */
  double goldstein;        /* Goldstein weight, -10..10 */
  const char *text;        /* owned by the world */
} ent_event_info;

typedef struct ent_world ent_world;

/* ------------------------------------------------------------------ world */

/* A new world with the built-in kinds (see ent_kind_builtin_names). */
ent_status ent_world_new(ent_world **out);
void ent_world_free(ent_world *w);
/* A deep copy sharing nothing mutable with w: O(n + m), a few memcpy. */
ent_status ent_world_fork(const ent_world *w, ent_world **out);
/* The message of the last failing call on w (never NULL). */
const char *ent_world_errmsg(const ent_world *w);

ent_date ent_world_date(const ent_world *w);
void ent_world_set_date(ent_world *w, ent_date d);

/* ----------------------------------------------------------------- actors */

/* Codes are 1..15 bytes of [A-Za-z0-9_+-]; names up to 255 bytes. */
ent_status ent_actor_add(ent_world *w, const char *code, const char *name, ent_id *out);
/* O(1) expected.  ENT_ENOTFOUND when unknown or removed. */
ent_status ent_actor_find(const ent_world *w, const char *code, ent_id *out);
/* Removing an actor removes all its relations and events; O(deg + events). */
ent_status ent_actor_remove(ent_world *w, ent_id a);
int ent_actor_alive(const ent_world *w, ent_id a);
/* Number of actor ids ever issued (live or removed); ids are 0..count-1. */
int32_t ent_actor_capacity(const ent_world *w);
int32_t ent_actor_count(const ent_world *w);   /* live actors */
const char *ent_actor_code(const ent_world *w, ent_id a);
const char *ent_actor_name(const ent_world *w, ent_id a);
ent_status ent_actor_set_name(ent_world *w, ent_id a, const char *name);

/* Numeric attributes are columns: one double per actor, NaN when unset. */
ent_status ent_attr_column(ent_world *w, const char *attr, int create, int *col_out);
int ent_attr_count(const ent_world *w);
const char *ent_attr_name(const ent_world *w, int col);
ent_status ent_actor_set_attr(ent_world *w, ent_id a, int col, double v);
double ent_actor_attr(const ent_world *w, ent_id a, int col);
/* Direct read access to a column (length ent_actor_capacity). */
const double *ent_attr_values(const ent_world *w, int col);

/* Tags: short strings attached to an actor (region, regime ...). */
ent_status ent_actor_tag(ent_world *w, ent_id a, const char *tag);
ent_status ent_actor_untag(ent_world *w, ent_id a, const char *tag);
int ent_actor_has_tag(const ent_world *w, ent_id a, const char *tag);
int ent_actor_tag_count(const ent_world *w, ent_id a);
const char *ent_actor_tag_at(const ent_world *w, ent_id a, int i);

/* ------------------------------------------------------------------ kinds */

int ent_kind_count(const ent_world *w);
ent_status ent_kind_find(const ent_world *w, const char *name, int *out);
ent_status ent_kind_get(const ent_world *w, int kind, ent_kind_info *out);
/* Register a kind; ENT_EEXIST if the name is taken. */
ent_status ent_kind_add(ent_world *w, const ent_kind_info *info, int *out);

/* -------------------------------------------------------------- relations */

/* Add a relation.  strength in (0,1]; since < until (either may be a
** sentinel); a != b; source may be NULL.  For symmetric kinds the pair is
** stored as given.  O(1) amortised. */
ent_status ent_relate(ent_world *w, ent_id a, ent_id b, int kind, double strength,
                      ent_date since, ent_date until, const char *source, ent_id *out);
/* Bulk forms for loading, with software prefetching (bulk loads are bound
** by cache misses on the code table, the actors and the adjacency lists).
** ent_actor_find_many: out[i] = id of codes[i], or ENT_NONE.
** ent_relate_many: adds rows 0..n-1 (a NaN strength takes the kind's default;
** source[i] may be NULL; source itself may be NULL for none); stops at the first failing row, whose index goes to
** *done (== n when all were added), and returns its status. */
void ent_actor_find_many(const ent_world *w, const char *const *codes, int32_t n, ent_id *out);
ent_status ent_relate_many(ent_world *w, int32_t n, const ent_id *a, const ent_id *b, const int *kind,
                           const double *strength, const ent_date *since, const ent_date *until,
                           const char *const *source, int32_t *done);
/* Set the end of a relation's validity (until = d); d must be > since. */
ent_status ent_relation_end(ent_world *w, ent_id r, ent_date d);
ent_status ent_relation_set_strength(ent_world *w, ent_id r, double strength);
/* Remove a relation from every index; its id is never reused.  O(1). */
ent_status ent_relation_remove(ent_world *w, ent_id r);
int ent_relation_alive(const ent_world *w, ent_id r);
ent_status ent_relation_get(const ent_world *w, ent_id r, ent_relation_info *out);
int32_t ent_relation_capacity(const ent_world *w);
int32_t ent_relation_count(const ent_world *w);   /* live relations */
/* 1 if r is alive and valid at d (since <= d < until). */
int ent_relation_active(const ent_world *w, ent_id r, ent_date d);

/* Query: write the ids of the live relations matching the filter into ids
** (capacity cap) and the total number of matches into *n (so a call with
** cap = 0 counts).  Filters: actor/other = ENT_NONE for any, kind = -1 for
** any, date = ENT_DATE_MIN for any date.  With actor set the cost is
** O(deg(actor)), otherwise O(m).  Ids come out in increasing order. */
typedef struct ent_query {
  ent_id actor, other;
  int kind;
  ent_date date;
} ent_query;
void ent_query_init(ent_query *q);
void ent_relations(const ent_world *w, const ent_query *q, ent_id *ids, int32_t cap, int32_t *n);

/* Bytes of the relation store (without source strings), for benchmarks. */
size_t ent_relation_store_bytes(const ent_world *w);
/* Bytes of one relation record (48 on LP64). */
size_t ent_relation_record_size(void);

/* ----------------------------------------------------------------- events */

/* cameo may be NULL or ""; when goldstein is NaN it is looked up from the
** CAMEO table (ENT_ENOTFOUND if the code is unknown). */
ent_status ent_event_add(ent_world *w, ent_date date, ent_date date_end, ent_id a, ent_id b,
                         const char *cameo, double goldstein, const char *text, ent_id *out);
int32_t ent_event_count(const ent_world *w);
ent_status ent_event_get(const ent_world *w, ent_id e, ent_event_info *out);
int ent_event_alive(const ent_world *w, ent_id e);
ent_status ent_event_remove(ent_world *w, ent_id e);

/* CAMEO to Goldstein table (GDELT 1.0 lookup, 311 codes), compiled in. */
ent_status ent_cameo_goldstein(const char *code, double *out);
int ent_cameo_table_size(void);
const char *ent_cameo_code_at(int i, double *goldstein);

#ifdef __cplusplus
}
#endif
#endif
