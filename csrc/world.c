/*
** world.c - actors, attributes, tags, relation kinds, relations and events.
**
** Storage is a handful of flat arrays so that a fork is a few memcpy calls:
**   actors    fixed 16-byte codes + a hash index code -> id, plus per-actor
**             name id, alive flag, degree and head/tail of the adjacency list;
**   relations 48-byte records; each record is a node of two doubly linked
**             lists, one per endpoint (slot 0 in a's list, 1 in b's), kept in
**             increasing id order, so add/remove are O(1) and the adjacency
**             index can never disagree with the store;
**   strings   names, sources, tags and texts are interned in one pool.
** Ids are never reused: a handle to a removed record stays detectably dead.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"
#include "strpool.h"

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif

#define CODE_MAX 15
#define NAME_MAX_LEN 255

typedef struct rel {
  ent_id a, b;
  ent_date since, until;
  double strength;
  uint16_t kind;
  uint16_t alive;
  int32_t source;       /* string id */
  ent_id next[2], prev[2];
} rel;

typedef struct actor {
  char code[CODE_MAX + 1];
  int32_t name;         /* string id */
  ent_id head, tail;    /* adjacency list ends */
  int32_t degree;
  int32_t alive;
} actor;

typedef struct kind {
  int32_t name;         /* string id */
  int sign;
  ent_obligation obligation;
  double strength;
  unsigned flags;
} kind;

typedef struct event {
  ent_date date, date_end;
  ent_id a, b;
  char cameo[8];
  double goldstein;
  int32_t text;
  int32_t alive;
} event;

typedef struct tagpair { ent_id actor; int32_t tag; } tagpair;

/* The code table keeps a copy of each code next to its id, so a lookup
** touches one cache line instead of two (bulk loads are bound by misses). */
#define SLOT_FREE (-1)
#define SLOT_DEAD (-2)   /* a removed actor: probing continues past it */
typedef struct codeslot { ent_id id; char code[CODE_MAX + 1]; } codeslot;

struct ent_world {
  ent_date date;
  ent_strpool strings;
  actor *actors; int32_t nactors, cap_actors, live_actors;
  codeslot *code_slots; int32_t ncode_slots;    /* hash: code -> actor id */
  int32_t *attr_names; double **attr_cols; int nattrs, cap_attrs;
  tagpair *tags; int32_t ntags, cap_tags;
  kind *kinds; int nkinds, cap_kinds;
  rel *rels; int32_t nrels, cap_rels, live_rels;
  event *events; int32_t nevents, cap_events, live_events;
  char err[256];
};

/* ---------------------------------------------------------------- errors */

static ent_status fail(ent_world *w, ent_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->err, sizeof w->err, fmt, ap);
  va_end(ap);
  return st;
}

const char *ent_world_errmsg(const ent_world *w) { return w->err; }

/* Grow *arr (element size sz) so that it holds at least need elements. */
static int grow(void *arrp, int32_t *cap, int32_t need, size_t sz) {
  void **arr = (void **)arrp;
  int32_t c = *cap ? *cap : 16;
  void *p;
  if (need <= *cap) return 1;
  while (c < need) {
    if (c > INT32_MAX / 2) return 0;
    c *= 2;
  }
  p = realloc(*arr, (size_t)c * sz);
  if (!p) return 0;
  *arr = p;
  *cap = c;
  return 1;
}

/* ------------------------------------------------------------- built-ins */

static const struct {
  const char *name; int sign; ent_obligation obl; double strength; unsigned flags;
} builtin_kinds[] = {
  /* Obligation levels follow the ATOP/COW typology; default strengths are
  ** conventions documented in README ("Relation kinds"). */
  {"defence", +1, ENT_OBL_DEFENCE, 1.0, ENT_KIND_DEFENSIVE},
  {"offence", +1, ENT_OBL_DEFENCE, 1.0, 0},
  {"neutrality", +1, ENT_OBL_NEUTRALITY, 0.6, 0},
  {"nonaggression", +1, ENT_OBL_NONE, 0.4, 0},
  {"consultation", +1, ENT_OBL_CONSULTATION, 0.5, 0},
  {"strategic_partnership", +1, ENT_OBL_CONSULTATION, 0.7, 0},
  {"partnership", +1, ENT_OBL_NONE, 0.5, 0},
  {"trade", +1, ENT_OBL_NONE, 0.3, 0},
  {"rivalry", -1, ENT_OBL_NONE, 0.7, 0},
  {"dispute", -1, ENT_OBL_NONE, 0.5, 0},
  {"sanction", -1, ENT_OBL_NONE, 0.6, ENT_KIND_DIRECTED},
  {"war", -1, ENT_OBL_NONE, 1.0, 0},
};

ent_status ent_world_new(ent_world **out) {
  ent_world *w = calloc(1, sizeof *w);
  size_t i;
  if (!w) return ENT_ENOMEM;
  w->date = ent_date_from_ymd(2000, 1, 1);
  for (i = 0; i < sizeof builtin_kinds / sizeof builtin_kinds[0]; i++) {
    ent_kind_info k;
    int id;
    k.name = builtin_kinds[i].name;
    k.sign = builtin_kinds[i].sign;
    k.obligation = builtin_kinds[i].obl;
    k.strength = builtin_kinds[i].strength;
    k.flags = builtin_kinds[i].flags;
    if (ent_kind_add(w, &k, &id) != ENT_OK) {
      ent_world_free(w);
      return ENT_ENOMEM;
    }
  }
  *out = w;
  return ENT_OK;
}

void ent_world_free(ent_world *w) {
  int i;
  if (!w) return;
  ent_strpool_free(&w->strings);
  free(w->actors);
  free(w->code_slots);
  for (i = 0; i < w->nattrs; i++) free(w->attr_cols[i]);
  free(w->attr_cols);
  free(w->attr_names);
  free(w->tags);
  free(w->kinds);
  free(w->rels);
  free(w->events);
  free(w);
}

static void *dup(const void *src, size_t n, int *ok) {
  void *d;
  if (n == 0 || !src) return NULL;
  d = malloc(n);
  if (!d) *ok = 0;
  else memcpy(d, src, n);
  return d;
}

ent_status ent_world_fork(const ent_world *w, ent_world **out) {
  ent_world *c = calloc(1, sizeof *c);
  int ok = 1, i;
  if (!c) return ENT_ENOMEM;
  *c = *w;
  /* Null every pointer first so a failure half-way frees only copies. */
  c->actors = NULL; c->code_slots = NULL; c->attr_names = NULL; c->attr_cols = NULL;
  c->tags = NULL; c->kinds = NULL; c->rels = NULL; c->events = NULL;
  c->nattrs = 0;
  ent_strpool_init(&c->strings);
  if (ent_strpool_copy(&c->strings, &w->strings) != ENT_OK) ok = 0;
  c->actors = dup(w->actors, (size_t)w->nactors * sizeof *w->actors, &ok);
  c->cap_actors = w->nactors;
  c->code_slots = dup(w->code_slots, (size_t)w->ncode_slots * sizeof *w->code_slots, &ok);
  c->tags = dup(w->tags, (size_t)w->ntags * sizeof *w->tags, &ok);
  c->cap_tags = w->ntags;
  c->kinds = dup(w->kinds, (size_t)w->nkinds * sizeof *w->kinds, &ok);
  c->cap_kinds = w->nkinds;
  c->rels = dup(w->rels, (size_t)w->nrels * sizeof *w->rels, &ok);
  c->cap_rels = w->nrels;
  c->events = dup(w->events, (size_t)w->nevents * sizeof *w->events, &ok);
  c->cap_events = w->nevents;
  if (ok && w->nattrs > 0) {
    c->attr_names = dup(w->attr_names, (size_t)w->nattrs * sizeof *w->attr_names, &ok);
    c->attr_cols = calloc((size_t)w->nattrs, sizeof *c->attr_cols);
    if (!c->attr_cols) ok = 0;
    c->cap_attrs = w->nattrs;
    for (i = 0; ok && i < w->nattrs; i++) {
      /* columns are sized to cap_actors of the original; copy what is used */
      c->attr_cols[i] = malloc((size_t)(w->nactors ? w->nactors : 1) * sizeof(double));
      if (!c->attr_cols[i]) ok = 0;
      else {
        if (w->nactors) memcpy(c->attr_cols[i], w->attr_cols[i], (size_t)w->nactors * sizeof(double));
        c->nattrs = i + 1;
      }
    }
  }
  if (!ok) {
    ent_world_free(c);
    return ENT_ENOMEM;
  }
  c->err[0] = '\0';
  *out = c;
  return ENT_OK;
}

ent_date ent_world_date(const ent_world *w) { return w->date; }
void ent_world_set_date(ent_world *w, ent_date d) { w->date = d; }

/* ----------------------------------------------------------------- actors */

static int valid_code(const char *code) {
  size_t i, n = strlen(code);
  if (n == 0 || n > CODE_MAX) return 0;
  for (i = 0; i < n; i++) {
    char ch = code[i];
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
          ch == '_' || ch == '-' || ch == '+'))
      return 0;
  }
  return 1;
}

/* Probe from slot i (the code's hash, masked). */
static uint32_t code_probe_at(const ent_world *w, const char *code, uint32_t i, int32_t *found) {
  uint32_t mask = (uint32_t)w->ncode_slots - 1;
  for (;; i = (i + 1) & mask) {
    const codeslot *sl = &w->code_slots[i];
    if (sl->id == SLOT_FREE) {
      *found = -1;
      return i;
    }
    if (sl->id >= 0 && strcmp(sl->code, code) == 0) {
      *found = sl->id;
      return i;
    }
  }
}

static uint32_t code_probe(const ent_world *w, const char *code, int32_t *found) {
  uint32_t mask = (uint32_t)w->ncode_slots - 1;
  return code_probe_at(w, code, ent_hash_bytes(code, strlen(code)) & mask, found);
}

static int32_t code_lookup(const ent_world *w, const char *code) {
  int32_t id;
  if (w->ncode_slots == 0) return -1;
  code_probe(w, code, &id);
  return id;
}

static void code_insert(ent_world *w, int32_t id) {
  uint32_t mask = (uint32_t)w->ncode_slots - 1;
  const char *code = w->actors[id].code;
  uint32_t i = ent_hash_bytes(code, strlen(code)) & mask;
  while (w->code_slots[i].id != SLOT_FREE) i = (i + 1) & mask;
  w->code_slots[i].id = id;
  memcpy(w->code_slots[i].code, code, sizeof w->code_slots[i].code);
}

static void code_forget(ent_world *w, int32_t id) {
  int32_t found;
  uint32_t i = code_probe(w, w->actors[id].code, &found);
  if (found == id) w->code_slots[i].id = SLOT_DEAD;
}

static int code_rehash(ent_world *w, int32_t nslots) {
  codeslot *slots = malloc((size_t)nslots * sizeof *slots);
  int32_t id;
  if (!slots) return 0;
  for (id = 0; id < nslots; id++) slots[id].id = SLOT_FREE;
  free(w->code_slots);
  w->code_slots = slots;
  w->ncode_slots = nslots;
  for (id = 0; id < w->nactors; id++)
    if (w->actors[id].alive) code_insert(w, id);
  return 1;
}

ent_status ent_actor_add(ent_world *w, const char *code, const char *name, ent_id *out) {
  actor *a;
  int32_t nm, i;
  if (!code || !valid_code(code))
    return fail(w, ENT_EINVAL, "bad actor code '%s' (1 to %d letters, digits, _ + -)", code ? code : "(null)", CODE_MAX);
  if (code_lookup(w, code) >= 0) return fail(w, ENT_EEXIST, "actor '%s' already exists", code);
  if (name && strlen(name) > NAME_MAX_LEN) return fail(w, ENT_EINVAL, "actor name longer than %d bytes", NAME_MAX_LEN);
  if (w->nactors == INT32_MAX - 1) return fail(w, ENT_ELIMIT, "too many actors");
  if (w->nactors == w->cap_actors) {
    /* attribute columns follow the actor capacity: grow them first, so a
    ** failure leaves columns longer than needed, never shorter */
    int32_t cap = w->cap_actors ? w->cap_actors * 2 : 16;
    actor *ac;
    if (w->cap_actors > INT32_MAX / 2) return fail(w, ENT_ELIMIT, "too many actors");
    for (i = 0; i < w->nattrs; i++) {
      double *col = realloc(w->attr_cols[i], (size_t)cap * sizeof(double));
      if (!col) return fail(w, ENT_ENOMEM, "out of memory");
      w->attr_cols[i] = col;
    }
    ac = realloc(w->actors, (size_t)cap * sizeof *ac);
    if (!ac) return fail(w, ENT_ENOMEM, "out of memory");
    w->actors = ac;
    w->cap_actors = cap;
  }
  if ((w->nactors + 1) * 2 > w->ncode_slots &&
      !code_rehash(w, w->ncode_slots ? w->ncode_slots * 2 : 64))
    return fail(w, ENT_ENOMEM, "out of memory");
  nm = -1; /* no name: the code stands for it */
  if (name && ent_strpool_intern(&w->strings, name, strlen(name), &nm) != ENT_OK)
    return fail(w, ENT_ENOMEM, "out of memory");
  a = &w->actors[w->nactors];
  memset(a, 0, sizeof *a);
  strcpy(a->code, code);
  a->name = nm;
  a->head = a->tail = ENT_NONE;
  a->alive = 1;
  for (i = 0; i < w->nattrs; i++) w->attr_cols[i][w->nactors] = NAN;
  code_insert(w, w->nactors);
  *out = w->nactors++;
  w->live_actors++;
  return ENT_OK;
}

ent_status ent_actor_find(const ent_world *w, const char *code, ent_id *out) {
  int32_t id = code ? code_lookup(w, code) : -1;
  if (id < 0) return ENT_ENOTFOUND;
  *out = id;
  return ENT_OK;
}

int ent_actor_alive(const ent_world *w, ent_id a) {
  return a >= 0 && a < w->nactors && w->actors[a].alive;
}

static ent_status check_actor(ent_world *w, ent_id a) {
  if (a < 0 || a >= w->nactors) return fail(w, ENT_ENOTFOUND, "no actor with id %d", (int)a);
  if (!w->actors[a].alive) return fail(w, ENT_EREMOVED, "actor '%s' was removed", w->actors[a].code);
  return ENT_OK;
}

int32_t ent_actor_capacity(const ent_world *w) { return w->nactors; }
int32_t ent_actor_count(const ent_world *w) { return w->live_actors; }

const char *ent_actor_code(const ent_world *w, ent_id a) {
  return (a >= 0 && a < w->nactors) ? w->actors[a].code : "";
}

const char *ent_actor_name(const ent_world *w, ent_id a) {
  if (a < 0 || a >= w->nactors) return "";
  return w->actors[a].name < 0 ? w->actors[a].code : ent_strpool_get(&w->strings, w->actors[a].name);
}

ent_status ent_actor_set_name(ent_world *w, ent_id a, const char *name) {
  ent_status st = check_actor(w, a);
  int32_t nm;
  if (st != ENT_OK) return st;
  if (!name || strlen(name) > NAME_MAX_LEN) return fail(w, ENT_EINVAL, "actor name missing or longer than %d bytes", NAME_MAX_LEN);
  if (ent_strpool_intern(&w->strings, name, strlen(name), &nm) != ENT_OK)
    return fail(w, ENT_ENOMEM, "out of memory");
  w->actors[a].name = nm;
  return ENT_OK;
}

/* ------------------------------------------------------------- attributes */

ent_status ent_attr_column(ent_world *w, const char *attr, int create, int *col_out) {
  int i;
  int32_t nm, cap = w->cap_attrs;
  double *col;
  for (i = 0; i < w->nattrs; i++)
    if (strcmp(ent_strpool_get(&w->strings, w->attr_names[i]), attr) == 0) {
      *col_out = i;
      return ENT_OK;
    }
  if (!create) return fail(w, ENT_ENOTFOUND, "unknown attribute '%s'", attr);
  if (attr[0] == '\0' || strlen(attr) > 63) return fail(w, ENT_EINVAL, "bad attribute name '%s'", attr);
  if (!grow(&w->attr_names, &cap, w->nattrs + 1, sizeof *w->attr_names))
    return fail(w, ENT_ENOMEM, "out of memory");
  w->cap_attrs = cap;
  {
    double **cols = realloc(w->attr_cols, (size_t)w->cap_attrs * sizeof *cols);
    if (!cols) return fail(w, ENT_ENOMEM, "out of memory");
    w->attr_cols = cols;
  }
  col = malloc((size_t)(w->cap_actors ? w->cap_actors : 1) * sizeof(double));
  if (!col) return fail(w, ENT_ENOMEM, "out of memory");
  if (ent_strpool_intern(&w->strings, attr, strlen(attr), &nm) != ENT_OK) {
    free(col);
    return fail(w, ENT_ENOMEM, "out of memory");
  }
  for (i = 0; i < w->cap_actors; i++) col[i] = NAN;
  w->attr_names[w->nattrs] = nm;
  w->attr_cols[w->nattrs] = col;
  *col_out = w->nattrs++;
  return ENT_OK;
}

int ent_attr_count(const ent_world *w) { return w->nattrs; }

const char *ent_attr_name(const ent_world *w, int col) {
  return (col >= 0 && col < w->nattrs) ? ent_strpool_get(&w->strings, w->attr_names[col]) : NULL;
}

ent_status ent_actor_set_attr(ent_world *w, ent_id a, int col, double v) {
  ent_status st = check_actor(w, a);
  if (st != ENT_OK) return st;
  if (col < 0 || col >= w->nattrs) return fail(w, ENT_ENOTFOUND, "no attribute column %d", col);
  w->attr_cols[col][a] = v;
  return ENT_OK;
}

double ent_actor_attr(const ent_world *w, ent_id a, int col) {
  if (col < 0 || col >= w->nattrs || a < 0 || a >= w->nactors) return NAN;
  return w->attr_cols[col][a];
}

const double *ent_attr_values(const ent_world *w, int col) {
  return (col >= 0 && col < w->nattrs) ? w->attr_cols[col] : NULL;
}

/* ------------------------------------------------------------------- tags */

static int32_t tag_index(const ent_world *w, ent_id a, int32_t tag) {
  int32_t i;
  for (i = 0; i < w->ntags; i++)
    if (w->tags[i].actor == a && w->tags[i].tag == tag) return i;
  return -1;
}

ent_status ent_actor_tag(ent_world *w, ent_id a, const char *tag) {
  ent_status st = check_actor(w, a);
  int32_t t;
  if (st != ENT_OK) return st;
  if (!tag || tag[0] == '\0' || strlen(tag) > 63) return fail(w, ENT_EINVAL, "bad tag '%s'", tag ? tag : "(null)");
  if (ent_strpool_intern(&w->strings, tag, strlen(tag), &t) != ENT_OK)
    return fail(w, ENT_ENOMEM, "out of memory");
  if (tag_index(w, a, t) >= 0) return ENT_OK;
  if (!grow(&w->tags, &w->cap_tags, w->ntags + 1, sizeof *w->tags))
    return fail(w, ENT_ENOMEM, "out of memory");
  w->tags[w->ntags].actor = a;
  w->tags[w->ntags].tag = t;
  w->ntags++;
  return ENT_OK;
}

ent_status ent_actor_untag(ent_world *w, ent_id a, const char *tag) {
  int32_t t = ent_strpool_find(&w->strings, tag, strlen(tag)), i;
  ent_status st = check_actor(w, a);
  if (st != ENT_OK) return st;
  if (t < 0 || (i = tag_index(w, a, t)) < 0) return ENT_OK;
  /* keep insertion order: tags are few */
  memmove(&w->tags[i], &w->tags[i + 1], (size_t)(w->ntags - i - 1) * sizeof *w->tags);
  w->ntags--;
  return ENT_OK;
}

int ent_actor_has_tag(const ent_world *w, ent_id a, const char *tag) {
  int32_t t = ent_strpool_find(&w->strings, tag, strlen(tag));
  return t >= 0 && tag_index(w, a, t) >= 0;
}

int ent_actor_tag_count(const ent_world *w, ent_id a) {
  int32_t i;
  int n = 0;
  for (i = 0; i < w->ntags; i++) n += w->tags[i].actor == a;
  return n;
}

const char *ent_actor_tag_at(const ent_world *w, ent_id a, int k) {
  int32_t i;
  for (i = 0; i < w->ntags; i++)
    if (w->tags[i].actor == a && k-- == 0) return ent_strpool_get(&w->strings, w->tags[i].tag);
  return NULL;
}

/* ------------------------------------------------------------------ kinds */

int ent_kind_count(const ent_world *w) { return w->nkinds; }

ent_status ent_kind_find(const ent_world *w, const char *name, int *out) {
  int i;
  for (i = 0; i < w->nkinds; i++)
    if (strcmp(ent_strpool_get(&w->strings, w->kinds[i].name), name) == 0) {
      *out = i;
      return ENT_OK;
    }
  return ENT_ENOTFOUND;
}

ent_status ent_kind_get(const ent_world *w, int k, ent_kind_info *out) {
  if (k < 0 || k >= w->nkinds) return ENT_ENOTFOUND;
  out->name = ent_strpool_get(&w->strings, w->kinds[k].name);
  out->sign = w->kinds[k].sign;
  out->obligation = w->kinds[k].obligation;
  out->strength = w->kinds[k].strength;
  out->flags = w->kinds[k].flags;
  return ENT_OK;
}

ent_status ent_kind_add(ent_world *w, const ent_kind_info *info, int *out) {
  int id;
  int32_t nm, cap = w->cap_kinds;
  size_t i, n = info->name ? strlen(info->name) : 0;
  if (n == 0 || n > 31) return fail(w, ENT_EINVAL, "bad kind name '%s'", info->name ? info->name : "(null)");
  for (i = 0; i < n; i++) {
    char ch = info->name[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
      return fail(w, ENT_EINVAL, "bad kind name '%s' (lower-case letters, digits, _)", info->name);
  }
  if (ent_kind_find(w, info->name, &id) == ENT_OK) return fail(w, ENT_EEXIST, "kind '%s' already exists", info->name);
  if (info->sign < -1 || info->sign > 1) return fail(w, ENT_EINVAL, "kind sign %d not in -1, 0, 1", info->sign);
  if ((int)info->obligation < 0 || info->obligation > ENT_OBL_DEFENCE)
    return fail(w, ENT_EINVAL, "bad obligation level %d", (int)info->obligation);
  if (!(info->strength > 0 && info->strength <= 1)) return fail(w, ENT_EINVAL, "strength %g out of range (0,1]", info->strength);
  if (w->nkinds >= 65535) return fail(w, ENT_ELIMIT, "too many kinds");
  if (!grow(&w->kinds, &cap, w->nkinds + 1, sizeof *w->kinds)) return fail(w, ENT_ENOMEM, "out of memory");
  w->cap_kinds = cap;
  if (ent_strpool_intern(&w->strings, info->name, n, &nm) != ENT_OK) return fail(w, ENT_ENOMEM, "out of memory");
  w->kinds[w->nkinds].name = nm;
  w->kinds[w->nkinds].sign = info->sign;
  w->kinds[w->nkinds].obligation = info->obligation;
  w->kinds[w->nkinds].strength = info->strength;
  w->kinds[w->nkinds].flags = info->flags;
  *out = w->nkinds++;
  return ENT_OK;
}

/* -------------------------------------------------------------- relations */

/* Slot of relation r in actor x's list (0 when x is a, 1 when x is b). */
#define SLOT(r, x) ((r)->a == (x) ? 0 : 1)

static void list_append(ent_world *w, ent_id x, ent_id id) {
  actor *ac = &w->actors[x];
  rel *r = &w->rels[id];
  int s = SLOT(r, x);
  r->next[s] = ENT_NONE;
  r->prev[s] = ac->tail;
  if (ac->tail == ENT_NONE) ac->head = id;
  else {
    rel *t = &w->rels[ac->tail];
    t->next[SLOT(t, x)] = id;
  }
  ac->tail = id;
  ac->degree++;
}

static void list_unlink(ent_world *w, ent_id x, ent_id id) {
  actor *ac = &w->actors[x];
  rel *r = &w->rels[id];
  int s = SLOT(r, x);
  if (r->prev[s] == ENT_NONE) ac->head = r->next[s];
  else {
    rel *p = &w->rels[r->prev[s]];
    p->next[SLOT(p, x)] = r->next[s];
  }
  if (r->next[s] == ENT_NONE) ac->tail = r->prev[s];
  else {
    rel *nx = &w->rels[r->next[s]];
    nx->prev[SLOT(nx, x)] = r->prev[s];
  }
  ac->degree--;
}

static ent_status relate_check(ent_world *w, ent_id a, ent_id b, int k, double strength,
                               ent_date since, ent_date until) {
  ent_status st;
  if ((st = check_actor(w, a)) != ENT_OK || (st = check_actor(w, b)) != ENT_OK) return st;
  if (a == b) return fail(w, ENT_EINVAL, "relation of actor '%s' with itself", w->actors[a].code);
  if (k < 0 || k >= w->nkinds) return fail(w, ENT_ENOTFOUND, "no kind with id %d", k);
  if (!(strength > 0 && strength <= 1)) return fail(w, ENT_EINVAL, "strength %g out of range (0,1]", strength);
  if (since >= until) {
    char s1[16], s2[16];
    ent_date_format(since, s1);
    ent_date_format(until, s2);
    return fail(w, ENT_EINVAL, "since %s is not before until %s", s1, s2);
  }
  if (w->nrels == INT32_MAX - 1) return fail(w, ENT_ELIMIT, "too many relations");
  return ENT_OK;
}

/* Store a checked relation whose source is already interned (-1: none). */
static ent_status relate_store(ent_world *w, ent_id a, ent_id b, int k, double strength,
                               ent_date since, ent_date until, int32_t src, ent_id *out) {
  rel *r;
  if (!grow(&w->rels, &w->cap_rels, w->nrels + 1, sizeof *w->rels)) return fail(w, ENT_ENOMEM, "out of memory");
  r = &w->rels[w->nrels];
  r->a = a;
  r->b = b;
  r->kind = (uint16_t)k;
  r->strength = strength;
  r->since = since;
  r->until = until;
  r->source = src;
  r->alive = 1;
  list_append(w, a, w->nrels);
  list_append(w, b, w->nrels);
  *out = w->nrels++;
  w->live_rels++;
  return ENT_OK;
}

static ent_status intern_source(ent_world *w, const char *source, int32_t *src) {
  *src = -1;
  if (source && source[0] && ent_strpool_intern(&w->strings, source, strlen(source), src) != ENT_OK)
    return fail(w, ENT_ENOMEM, "out of memory");
  return ENT_OK;
}

ent_status ent_relate(ent_world *w, ent_id a, ent_id b, int k, double strength,
                      ent_date since, ent_date until, const char *source, ent_id *out) {
  ent_status st;
  int32_t src;
  if ((st = relate_check(w, a, b, k, strength, since, until)) != ENT_OK) return st;
  if ((st = intern_source(w, source, &src)) != ENT_OK) return st;
  return relate_store(w, a, b, k, strength, since, until, src, out);
}

void ent_actor_find_many(const ent_world *w, const char *const *codes, int32_t n, ent_id *out) {
  enum { BLOCK = 32 };
  uint32_t h[BLOCK], mask = (uint32_t)w->ncode_slots - 1;
  int32_t i0, i;
  for (i0 = 0; i0 < n; i0 += BLOCK) {
    int32_t m = n - i0 < BLOCK ? n - i0 : BLOCK;
    for (i = 0; i < m; i++) PREFETCH(codes[i0 + i]);
    if (w->ncode_slots == 0) {
      for (i = 0; i < m; i++) out[i0 + i] = ENT_NONE;
      continue;
    }
    for (i = 0; i < m; i++) {
      const char *c = codes[i0 + i];
      h[i] = ent_hash_bytes(c, strlen(c)) & mask;
      PREFETCH(&w->code_slots[h[i]]);
    }
    for (i = 0; i < m; i++) code_probe_at(w, codes[i0 + i], h[i], &out[i0 + i]);
  }
}

ent_status ent_relate_many(ent_world *w, int32_t n, const ent_id *a, const ent_id *b, const int *kind,
                           const double *strength, const ent_date *since, const ent_date *until,
                           const char *const *source, int32_t *done) {
  enum { AHEAD = 8 };
  int32_t i, src = -1;
  const char *last = NULL;
  ent_status st = ENT_OK;
  /* two stages ahead: the actors of row i+2*AHEAD, the list tails of row i+AHEAD */
  for (i = 0; i < n && i < 2 * AHEAD; i++) {
    if (a[i] >= 0 && a[i] < w->nactors) PREFETCH(&w->actors[a[i]]);
    if (b[i] >= 0 && b[i] < w->nactors) PREFETCH(&w->actors[b[i]]);
  }
  for (i = 0; i < n; i++) {
    ent_id id;
    int32_t f = i + 2 * AHEAD, t = i + AHEAD;
    if (f < n) {
      if (a[f] >= 0 && a[f] < w->nactors) PREFETCH(&w->actors[a[f]]);
      if (b[f] >= 0 && b[f] < w->nactors) PREFETCH(&w->actors[b[f]]);
    }
    if (t < n) {
      if (a[t] >= 0 && a[t] < w->nactors && w->actors[a[t]].tail >= 0) PREFETCH(&w->rels[w->actors[a[t]].tail]);
      if (b[t] >= 0 && b[t] < w->nactors && w->actors[b[t]].tail >= 0) PREFETCH(&w->rels[w->actors[b[t]].tail]);
    }
    double str = strength[i];
    if (isnan(str)) { /* NaN: the kind's default strength */
      str = kind[i] >= 0 && kind[i] < w->nkinds ? w->kinds[kind[i]].strength : NAN;
    }
    st = relate_check(w, a[i], b[i], kind[i], str, since[i], until[i]);
    /* rows usually share their source: intern once per distinct pointer */
    if (st == ENT_OK && (source ? source[i] : NULL) != last) {
      last = source ? source[i] : NULL;
      st = intern_source(w, last, &src);
    }
    if (st == ENT_OK) st = relate_store(w, a[i], b[i], kind[i], str, since[i], until[i], src, &id);
    if (st != ENT_OK) break;
  }
  *done = i;
  return st;
}

static ent_status check_rel(ent_world *w, ent_id r) {
  if (r < 0 || r >= w->nrels) return fail(w, ENT_ENOTFOUND, "no relation with id %d", (int)r);
  if (!w->rels[r].alive) return fail(w, ENT_EREMOVED, "relation %d was removed", (int)r);
  return ENT_OK;
}

ent_status ent_relation_end(ent_world *w, ent_id r, ent_date d) {
  ent_status st = check_rel(w, r);
  if (st != ENT_OK) return st;
  if (d <= w->rels[r].since) {
    char s1[16], s2[16];
    ent_date_format(d, s1);
    ent_date_format(w->rels[r].since, s2);
    return fail(w, ENT_EINVAL, "end date %s is not after since %s", s1, s2);
  }
  w->rels[r].until = d;
  return ENT_OK;
}

ent_status ent_relation_set_strength(ent_world *w, ent_id r, double strength) {
  ent_status st = check_rel(w, r);
  if (st != ENT_OK) return st;
  if (!(strength > 0 && strength <= 1)) return fail(w, ENT_EINVAL, "strength %g out of range (0,1]", strength);
  w->rels[r].strength = strength;
  return ENT_OK;
}

ent_status ent_relation_remove(ent_world *w, ent_id r) {
  ent_status st = check_rel(w, r);
  if (st != ENT_OK) return st;
  list_unlink(w, w->rels[r].a, r);
  list_unlink(w, w->rels[r].b, r);
  w->rels[r].alive = 0;
  w->live_rels--;
  return ENT_OK;
}

int ent_relation_alive(const ent_world *w, ent_id r) {
  return r >= 0 && r < w->nrels && w->rels[r].alive;
}

ent_status ent_relation_get(const ent_world *w, ent_id r, ent_relation_info *out) {
  const rel *x;
  if (r < 0 || r >= w->nrels) return ENT_ENOTFOUND;
  x = &w->rels[r];
  if (!x->alive) return ENT_EREMOVED;
  out->a = x->a;
  out->b = x->b;
  out->kind = x->kind;
  out->strength = x->strength;
  out->since = x->since;
  out->until = x->until;
  out->source = x->source >= 0 ? ent_strpool_get(&w->strings, x->source) : "";
  return ENT_OK;
}

int32_t ent_relation_capacity(const ent_world *w) { return w->nrels; }
int32_t ent_relation_count(const ent_world *w) { return w->live_rels; }

int ent_relation_active(const ent_world *w, ent_id r, ent_date d) {
  const rel *x;
  if (r < 0 || r >= w->nrels) return 0;
  x = &w->rels[r];
  return x->alive && x->since <= d && d < x->until;
}

void ent_query_init(ent_query *q) {
  q->actor = q->other = ENT_NONE;
  q->kind = -1;
  q->date = ENT_DATE_MIN;
}

static int matches(const rel *r, const ent_query *q) {
  if (q->kind >= 0 && r->kind != q->kind) return 0;
  if (q->date != ENT_DATE_MIN && !(r->since <= q->date && q->date < r->until)) return 0;
  if (q->other != ENT_NONE && r->a != q->other && r->b != q->other) return 0;
  return 1;
}

void ent_relations(const ent_world *w, const ent_query *q, ent_id *ids, int32_t cap, int32_t *n) {
  int32_t cnt = 0;
  ent_id x = q->actor;
  if (x == ENT_NONE && q->other != ENT_NONE) x = q->other;
  if (x != ENT_NONE) {
    ent_id id;
    if (!ent_actor_alive(w, x)) {
      *n = 0;
      return;
    }
    /* a dyad query walks the shorter list */
    if (q->actor != ENT_NONE && q->other != ENT_NONE && ent_actor_alive(w, q->other) &&
        w->actors[q->other].degree < w->actors[x].degree)
      x = q->other;
    for (id = w->actors[x].head; id != ENT_NONE;) {
      const rel *r = &w->rels[id];
      int ok = matches(r, q);
      if (ok && q->actor != ENT_NONE && q->other != ENT_NONE)
        ok = (r->a == q->actor || r->b == q->actor) && (r->a == q->other || r->b == q->other);
      if (ok) {
        if (cnt < cap) ids[cnt] = id;
        cnt++;
      }
      id = r->next[SLOT(r, x)];
    }
  } else {
    ent_id id;
    for (id = 0; id < w->nrels; id++) {
      const rel *r = &w->rels[id];
      if (r->alive && matches(r, q)) {
        if (cnt < cap) ids[cnt] = id;
        cnt++;
      }
    }
  }
  *n = cnt;
}

size_t ent_relation_record_size(void) { return sizeof(rel); }

size_t ent_relation_store_bytes(const ent_world *w) {
  return (size_t)w->cap_rels * sizeof(rel);
}

/* ----------------------------------------------------------------- events */

ent_status ent_event_add(ent_world *w, ent_date date, ent_date date_end, ent_id a, ent_id b,
                         const char *cameo, double goldstein, const char *text, ent_id *out) {
  ent_status st;
  event *e;
  int32_t t = -1;
  size_t i, n = cameo ? strlen(cameo) : 0;
  if ((st = check_actor(w, a)) != ENT_OK) return st;
  if (b != ENT_NONE && (st = check_actor(w, b)) != ENT_OK) return st;
  if (a == b) return fail(w, ENT_EINVAL, "event of actor '%s' with itself", w->actors[a].code);
  if (date == ENT_DATE_MIN || date == ENT_DATE_MAX) return fail(w, ENT_EINVAL, "event without a date");
  if (date_end < date) return fail(w, ENT_EINVAL, "event ends before it starts");
  if (n > 7) return fail(w, ENT_EINVAL, "bad CAMEO code '%s'", cameo);
  for (i = 0; i < n; i++)
    if (cameo[i] < '0' || cameo[i] > '9') return fail(w, ENT_EINVAL, "bad CAMEO code '%s'", cameo);
  if (isnan(goldstein)) {
    if (n == 0) return fail(w, ENT_EINVAL, "event needs a CAMEO code or a Goldstein weight");
    if (ent_cameo_goldstein(cameo, &goldstein) != ENT_OK)
      return fail(w, ENT_ENOTFOUND, "unknown CAMEO code '%s'", cameo);
  } else if (!(goldstein >= -10 && goldstein <= 10)) {
    return fail(w, ENT_EINVAL, "Goldstein weight %g out of range [-10,10]", goldstein);
  }
  if (text && text[0] && ent_strpool_intern(&w->strings, text, strlen(text), &t) != ENT_OK)
    return fail(w, ENT_ENOMEM, "out of memory");
  if (!grow(&w->events, &w->cap_events, w->nevents + 1, sizeof *w->events))
    return fail(w, ENT_ENOMEM, "out of memory");
  e = &w->events[w->nevents];
  memset(e, 0, sizeof *e);
  e->date = date;
  e->date_end = date_end;
  e->a = a;
  e->b = b;
  if (n) memcpy(e->cameo, cameo, n);
  e->goldstein = goldstein;
  e->text = t;
  e->alive = 1;
  *out = w->nevents++;
  w->live_events++;
  return ENT_OK;
}

int32_t ent_event_count(const ent_world *w) { return w->nevents; }

int ent_event_alive(const ent_world *w, ent_id e) {
  return e >= 0 && e < w->nevents && w->events[e].alive;
}

ent_status ent_event_get(const ent_world *w, ent_id id, ent_event_info *out) {
  const event *e;
  if (id < 0 || id >= w->nevents) return ENT_ENOTFOUND;
  e = &w->events[id];
  if (!e->alive) return ENT_EREMOVED;
  out->date = e->date;
  out->date_end = e->date_end;
  out->a = e->a;
  out->b = e->b;
  memcpy(out->cameo, e->cameo, sizeof out->cameo);
  out->goldstein = e->goldstein;
  out->text = e->text >= 0 ? ent_strpool_get(&w->strings, e->text) : "";
  return ENT_OK;
}

ent_status ent_event_remove(ent_world *w, ent_id id) {
  if (id < 0 || id >= w->nevents) return fail(w, ENT_ENOTFOUND, "no event with id %d", (int)id);
  if (!w->events[id].alive) return fail(w, ENT_EREMOVED, "event %d was removed", (int)id);
  w->events[id].alive = 0;
  w->live_events--;
  return ENT_OK;
}

ent_status ent_actor_remove(ent_world *w, ent_id a) {
  ent_status st = check_actor(w, a);
  int32_t i;
  if (st != ENT_OK) return st;
  while (w->actors[a].head != ENT_NONE) ent_relation_remove(w, w->actors[a].head);
  for (i = 0; i < w->nevents; i++)
    if (w->events[i].alive && (w->events[i].a == a || w->events[i].b == a)) {
      w->events[i].alive = 0;
      w->live_events--;
    }
  for (i = w->ntags - 1; i >= 0; i--)
    if (w->tags[i].actor == a) {
      memmove(&w->tags[i], &w->tags[i + 1], (size_t)(w->ntags - i - 1) * sizeof *w->tags);
      w->ntags--;
    }
  code_forget(w, a);
  w->actors[a].alive = 0;
  w->live_actors--;
  return ENT_OK;
}
