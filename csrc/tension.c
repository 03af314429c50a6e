/*
** tension.c - event-based tension (see tension.h).
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tension.h"

typedef struct tev {
  ent_date date, end;
  double g;
  ent_id id;
} tev;

static void seterr(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  if (!err || !len) return;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

static int by_end(const void *x, const void *y) {
  const tev *a = x, *b = y;
  if (a->end != b->end) return a->end < b->end ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

static int by_date(const void *x, const void *y) {
  const tev *a = x, *b = y;
  if (a->date != b->date) return a->date < b->date ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

static int matches(const ent_tension_sel *s, const ent_event_info *e) {
  if (s->mode == ENT_TENSION_DYAD) {
    if (e->b == ENT_NONE) return 0;
    if (e->a == s->a && e->b == s->b) return 1;
    return !s->directed && e->a == s->b && e->b == s->a;
  } else {
    int ia = s->member[e->a] != 0, ib = e->b != ENT_NONE && s->member[e->b] != 0;
    if (s->scope == ENT_TENSION_INVOLVING) return ia || ib;
    return ia && (e->b == ENT_NONE || ib);
  }
}

/* Validate and collect the matching events; *out is malloc'd (may be NULL
** when none match). */
static ent_status collect(const ent_world *w, const ent_tension_sel *s, double half_life,
                          tev **out, int32_t *nout, char *err, size_t errlen) {
  int32_t ne, i, k = 0, cap = ent_actor_capacity(w);
  tev *v;
  *out = NULL; *nout = 0;
  if (!s) { seterr(err, errlen, "no selection"); return ENT_EINVAL; }
  if (!(half_life > 0)) { seterr(err, errlen, "half-life must be a positive number of days (got %g)", half_life); return ENT_EINVAL; }
  if (s->mode == ENT_TENSION_DYAD) {
    if (s->a < 0 || s->a >= cap || !ent_actor_alive(w, s->a) || s->b < 0 || s->b >= cap || !ent_actor_alive(w, s->b)) {
      seterr(err, errlen, "unknown actor id %ld in the dyad", (long)(s->a < 0 || s->a >= cap || !ent_actor_alive(w, s->a) ? s->a : s->b));
      return ENT_ENOTFOUND;
    }
    if (s->a == s->b) { seterr(err, errlen, "a dyad needs two distinct actors ('%s' twice)", ent_actor_code(w, s->a)); return ENT_EINVAL; }
  } else if (s->mode == ENT_TENSION_GROUP) {
    if (!s->member) { seterr(err, errlen, "group membership is NULL"); return ENT_EINVAL; }
    if (s->scope != ENT_TENSION_WITHIN && s->scope != ENT_TENSION_INVOLVING) { seterr(err, errlen, "unknown scope %d", s->scope); return ENT_EINVAL; }
  } else {
    seterr(err, errlen, "unknown selection mode %d", s->mode);
    return ENT_EINVAL;
  }
  ne = ent_event_count(w);
  v = malloc(((size_t)ne + 1) * sizeof *v);
  if (!v) { seterr(err, errlen, "out of memory"); return ENT_ENOMEM; }
  for (i = 0; i < ne; i++) {
    ent_event_info e;
    if (!ent_event_alive(w, i) || ent_event_get(w, i, &e) != ENT_OK) continue;
    if (e.a < 0 || e.a >= cap || (e.b != ENT_NONE && (e.b < 0 || e.b >= cap))) continue;
    if (!matches(s, &e) || e.goldstein != e.goldstein) continue;
    v[k].date = e.date; v[k].end = e.date_end < e.date ? e.date : e.date_end;
    v[k].g = e.goldstein; v[k].id = i; k++;
  }
  *out = v; *nout = k;
  return ENT_OK;
}

static double decay(double age, double half_life) {
  return isinf(half_life) ? 1.0 : exp2(-age / half_life);
}

static void add(ent_tension_value *t, double g, double wgt) {
  t->net += g * wgt;
  if (g < 0) t->conflict -= g * wgt;
  else if (g > 0) t->cooperation += g * wgt;
}

ent_status ent_tension(const ent_world *w, const ent_tension_sel *sel, double half_life,
                       const ent_date *dates, int32_t n, ent_tension_value *out,
                       char *err, size_t errlen) {
  tev *v = NULL, *multi = NULL;
  int32_t nv, nm = 0, i, k, next = 0, counted_fin = 0;
  ent_tension_value fin;
  ent_status st;
  if (!w) { seterr(err, errlen, "world is NULL"); return ENT_EINVAL; }
  if (n < 0 || (n > 0 && (!dates || !out))) { seterr(err, errlen, "bad date list"); return ENT_EINVAL; }
  for (k = 1; k < n; k++) if (dates[k] < dates[k - 1]) {
    char b1[16], b2[16];
    ent_date_format(dates[k - 1], b1); ent_date_format(dates[k], b2);
    seterr(err, errlen, "dates must be in increasing order (%s comes after %s)", b2, b1);
    return ENT_EINVAL;
  }
  st = collect(w, sel, half_life, &v, &nv, err, errlen);
  if (st != ENT_OK) return st;
  /* events lasting more than a day count fully while under way: kept apart */
  multi = malloc(((size_t)nv + 1) * sizeof *multi);
  if (!multi) { free(v); seterr(err, errlen, "out of memory"); return ENT_ENOMEM; }
  for (i = 0; i < nv; i++) if (v[i].end > v[i].date) multi[nm++] = v[i];
  qsort(v, (size_t)nv, sizeof *v, by_end);
  qsort(multi, (size_t)nm, sizeof *multi, by_date);
  memset(&fin, 0, sizeof fin);
  for (k = 0; k < n; k++) {
    ent_date t = dates[k];
    ent_tension_value cur;
    /* ended events: carry the sum from the previous date, add the new ones */
    if (k > 0 && t > dates[k - 1]) {
      double f = decay((double)t - (double)dates[k - 1], half_life);
      fin.net *= f; fin.conflict *= f; fin.cooperation *= f;
    }
    while (next < nv && v[next].end <= t) {
      add(&fin, v[next].g, decay((double)t - (double)v[next].end, half_life));
      counted_fin++;
      next++;
    }
    cur = fin;
    cur.events = counted_fin;
    for (i = 0; i < nm && multi[i].date <= t; i++)
      if (multi[i].end > t) { add(&cur, multi[i].g, 1.0); cur.events++; }
    out[k] = cur;
  }
  free(v); free(multi);
  return ENT_OK;
}

ent_status ent_tension_events(const ent_world *w, const ent_tension_sel *sel, double half_life,
                              ent_date date, ent_id *ids, double *weights, int32_t cap,
                              int32_t *count, char *err, size_t errlen) {
  tev *v = NULL;
  int32_t nv, i, k = 0;
  ent_status st;
  if (!w || !count) { seterr(err, errlen, "world or count is NULL"); return ENT_EINVAL; }
  st = collect(w, sel, half_life, &v, &nv, err, errlen);
  if (st != ENT_OK) return st;
  qsort(v, (size_t)nv, sizeof *v, by_date);
  for (i = 0; i < nv && v[i].date <= date; i++) {
    if (k < cap) {
      ids[k] = v[i].id;
      weights[k] = v[i].g * decay(v[i].end > date ? 0.0 : (double)date - (double)v[i].end, half_life);
    }
    k++;
  }
  *count = k;
  free(v);
  return ENT_OK;
}
