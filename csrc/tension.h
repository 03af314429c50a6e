/*
** tension.h - event-based tension: Goldstein weights decayed with a half-life.
**
** An event of Goldstein weight g (-10 hostile .. +10 cooperative) counts at
** an as-of date t when it started on or before t, with weight
**     g * 0.5^(age / half_life),   age = t - min(date_end, t)   (days)
** so an event still under way at t counts fully, and an ended one loses half
** its weight every half_life days.  Sums are kept apart for the hostile
** (g < 0) and the cooperative (g > 0) events; docs/entrapment.md.
*/
#ifndef ENTENTE_TENSION_H
#define ENTENTE_TENSION_H

#include "entente.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_TENSION_DYAD  0
#define ENT_TENSION_GROUP 1

#define ENT_TENSION_WITHIN    0  /* both ends in the group, or a member acting alone */
#define ENT_TENSION_INVOLVING 1  /* at least one end in the group */

typedef struct ent_tension_sel {
  int mode;                     /* ENT_TENSION_DYAD or ENT_TENSION_GROUP */
  ent_id a, b;                  /* dyad */
  int directed;                 /* dyad: only events from a to b */
  const unsigned char *member;  /* group: ent_actor_capacity entries, nonzero = in */
  int scope;                    /* group: ENT_TENSION_WITHIN or ENT_TENSION_INVOLVING */
} ent_tension_sel;

typedef struct ent_tension_value {
  double net;          /* sum of g * decay */
  double conflict;     /* sum of -g * decay over g < 0 (>= 0) */
  double cooperation;  /* sum of g * decay over g > 0 (>= 0) */
  int32_t events;      /* events counted (started on or before the date) */
} ent_tension_value;

/* Values at n as-of dates, which must be in non-decreasing order.
** half_life in days, > 0 (INFINITY: no decay).  O(E log E + n + n * M) for E
** matching events of which M last more than one day: the decayed sum is
** carried from one date to the next. */
ent_status ent_tension(const ent_world *w, const ent_tension_sel *sel, double half_life,
                       const ent_date *dates, int32_t n, ent_tension_value *out,
                       char *err, size_t errlen);

/* The events counted at one date, with their decayed weights, by date then
** id: writes min(*count, cap) ids and weights, *count = the number counted. */
ent_status ent_tension_events(const ent_world *w, const ent_tension_sel *sel, double half_life,
                              ent_date date, ent_id *ids, double *weights, int32_t cap,
                              int32_t *count, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
