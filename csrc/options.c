/*
** options.c - options under uncertainty: option models, the six criteria,
** seeded Monte Carlo over parameter distributions (see options.h for the
** model, docs/options.md for the formulas and their sources).
**
** Layout: a model keeps its slots (relations) as parallel arrays and groups
** them into dyads (unordered pairs) with a per-actor CSR index.  A draw
** fills per-dyad aggregates (alliance strength, hostility, signed weight,
** trade, ...) in one pass over the slots, then each criterion reads only the
** focal actor's dyads, its triangles and the trigger polynomials.  Every
** buffer a draw touches is allocated once per worker.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "base/rng.h"
#include "balance.h"
#include "cascade.h"

#define EPS_TIE 1e-12
#define DEFAULT_KMAX 14
#define DEFAULT_BINS 2000

static const double DEFAULT_LEVEL[4] = {0.0, 0.25, 0.0, 1.0};
#define DEFAULT_RELIABILITY 0.75

static void seterr(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  if (!err || !len) return;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

static double clamp01(double x) {
  if (!(x > 0.0)) return 0.0;   /* also NaN */
  return x > 1.0 ? 1.0 : x;
}

/* ============================================================== randomness */

/* In (0,1): never 0 or 1, for inverse CDFs with infinite tails. */
static double rng_open(ent_rng *r) { return ((double)(ent_rng_next(r) >> 11) + 0.5) * 0x1.0p-53; }

/* =========================================================== distributions */

static double norm_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* Acklam's rational approximation, refined by one Halley step. */
static double norm_inv(double p) {
  static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                              1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                              6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                              -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                              3.754408661907416e+00};
  double q, r, x, e, u;
  if (!(p > 0.0)) return -HUGE_VAL;
  if (!(p < 1.0)) return HUGE_VAL;
  if (p < 0.02425) {
    q = sqrt(-2.0 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - 0.02425) {
    q = p - 0.5; r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    q = sqrt(-2.0 * log(1.0 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  e = norm_cdf(x) - p;
  u = e * sqrt(2.0 * 3.14159265358979323846) * exp(x * x / 2.0);
  return x - u / (1.0 + x * u / 2.0);
}

/* Regularised incomplete beta I_x(a, b): continued fraction (Lentz). */
static double betacf(double a, double b, double x) {
  const double tiny = 1e-300;
  double qab = a + b, qap = a + 1.0, qam = a - 1.0, c = 1.0, d = 1.0 - qab * x / qap, h;
  int m;
  if (fabs(d) < tiny) d = tiny;
  d = 1.0 / d; h = d;
  for (m = 1; m <= 300; m++) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2)), del;
    d = 1.0 + aa * d; if (fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c; if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d; h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d; if (fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c; if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d; del = d * c; h *= del;
    if (fabs(del - 1.0) < 1e-15) break;
  }
  return h;
}

static double betai(double a, double b, double x) {
  double bt;
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1.0 - x));
  if (x < (a + 1.0) / (a + b + 2.0)) return bt * betacf(a, b, x) / a;
  return 1.0 - bt * betacf(b, a, 1.0 - x) / b;
}

static int bad(double x) { return !isfinite(x); }

ent_status ent_dist_check(const ent_dist *d, char *err, size_t errlen) {
  switch (d->type) {
  case ENT_DIST_CONST:
    if (bad(d->a)) { seterr(err, errlen, "constant %g is not a finite number", d->a); return ENT_EINVAL; }
    return ENT_OK;
  case ENT_DIST_UNIFORM:
    if (bad(d->lo) || bad(d->hi)) { seterr(err, errlen, "uniform bounds %g, %g must be finite", d->lo, d->hi); return ENT_EINVAL; }
    if (d->lo > d->hi) { seterr(err, errlen, "uniform lower bound %g is above the upper bound %g", d->lo, d->hi); return ENT_EINVAL; }
    return ENT_OK;
  case ENT_DIST_TRIANGULAR:
    if (bad(d->lo) || bad(d->hi) || bad(d->c)) {
      seterr(err, errlen, "triangular (%g, %g, %g) must be finite", d->lo, d->c, d->hi); return ENT_EINVAL;
    }
    if (!(d->lo <= d->c && d->c <= d->hi)) {
      seterr(err, errlen, "triangular mode %g is not within [%g, %g]", d->c, d->lo, d->hi); return ENT_EINVAL;
    }
    return ENT_OK;
  case ENT_DIST_NORMAL: {
    double plo, phi;
    if (bad(d->a)) { seterr(err, errlen, "normal mean %g is not finite", d->a); return ENT_EINVAL; }
    if (bad(d->b) || d->b < 0) { seterr(err, errlen, "normal sd %g must be finite and >= 0", d->b); return ENT_EINVAL; }
    if (isnan(d->lo) || isnan(d->hi) || !(d->lo < d->hi)) {
      seterr(err, errlen, "normal truncation [%g, %g] is empty", d->lo, d->hi); return ENT_EINVAL;
    }
    if (d->b == 0) {
      if (!(d->a >= d->lo && d->a <= d->hi)) {
        seterr(err, errlen, "normal mean %g with sd 0 is outside [%g, %g]", d->a, d->lo, d->hi); return ENT_EINVAL;
      }
      return ENT_OK;
    }
    plo = norm_cdf((d->lo - d->a) / d->b); phi = norm_cdf((d->hi - d->a) / d->b);
    if (!(phi - plo > 1e-12)) {
      seterr(err, errlen, "normal(%g, %g) has no probability in [%g, %g]", d->a, d->b, d->lo, d->hi); return ENT_EINVAL;
    }
    return ENT_OK;
  }
  case ENT_DIST_BETA:
    if (bad(d->a) || bad(d->b) || !(d->a > 0) || !(d->b > 0)) {
      seterr(err, errlen, "beta shapes %g, %g must be finite and > 0", d->a, d->b); return ENT_EINVAL;
    }
    if (bad(d->lo) || bad(d->hi) || !(d->lo < d->hi)) {
      seterr(err, errlen, "beta range [%g, %g] must be finite with lower < upper", d->lo, d->hi); return ENT_EINVAL;
    }
    return ENT_OK;
  }
  seterr(err, errlen, "unknown distribution type %d", (int)d->type);
  return ENT_EINVAL;
}

static double tri_quantile(double lo, double c, double hi, double u) {
  double w = hi - lo, fc;
  if (!(w > 0)) return lo;
  fc = (c - lo) / w;
  if (u < fc) return lo + sqrt(u * w * (c - lo));
  return hi - sqrt((1.0 - u) * w * (hi - c));
}

static double normal_quantile(const ent_dist *d, double u) {
  double plo, phi, x;
  if (d->b == 0) return d->a;
  plo = isinf(d->lo) ? 0.0 : norm_cdf((d->lo - d->a) / d->b);
  phi = isinf(d->hi) ? 1.0 : norm_cdf((d->hi - d->a) / d->b);
  x = d->a + d->b * norm_inv(plo + u * (phi - plo));
  if (x < d->lo) x = d->lo;
  if (x > d->hi) x = d->hi;
  return x;
}

double ent_dist_quantile(const ent_dist *d, double u) {
  if (u < 0) u = 0;
  if (u > 1) u = 1;
  switch (d->type) {
  case ENT_DIST_CONST: return d->a;
  case ENT_DIST_UNIFORM: return d->lo + u * (d->hi - d->lo);
  case ENT_DIST_TRIANGULAR: return tri_quantile(d->lo, d->c, d->hi, u);
  case ENT_DIST_NORMAL: return normal_quantile(d, u);
  case ENT_DIST_BETA: {
    double lo = 0.0, hi = 1.0;
    int it;
    if (u <= 0) return d->lo;
    if (u >= 1) return d->hi;
    for (it = 0; it < 200 && hi - lo > 1e-16; it++) {
      double mid = 0.5 * (lo + hi);
      if (betai(d->a, d->b, mid) < u) lo = mid; else hi = mid;
    }
    return d->lo + (d->hi - d->lo) * 0.5 * (lo + hi);
  }
  }
  return NAN;
}

double ent_dist_mean(const ent_dist *d) {
  switch (d->type) {
  case ENT_DIST_CONST: return d->a;
  case ENT_DIST_UNIFORM: return 0.5 * (d->lo + d->hi);
  case ENT_DIST_TRIANGULAR: return (d->lo + d->c + d->hi) / 3.0;
  case ENT_DIST_NORMAL: {
    double al, be, za, zb, num;
    if (d->b == 0) return d->a;
    al = (d->lo - d->a) / d->b; be = (d->hi - d->a) / d->b;
    za = isinf(al) ? 0.0 : exp(-al * al / 2); zb = isinf(be) ? 0.0 : exp(-be * be / 2);
    num = (za - zb) / sqrt(2.0 * 3.14159265358979323846);
    return d->a + d->b * num / (norm_cdf(be) - norm_cdf(al));
  }
  case ENT_DIST_BETA: return d->lo + (d->hi - d->lo) * d->a / (d->a + d->b);
  }
  return NAN;
}

/* Marsaglia & Tsang (2000); shape < 1 by the boost G(a) = G(a+1) U^(1/a). */
static double gamma_draw(double a, ent_rng *r) {
  double boost = 1.0, dd, c;
  if (a < 1.0) {
    boost = pow(rng_open(r), 1.0 / a);
    a += 1.0;
  }
  dd = a - 1.0 / 3.0; c = 1.0 / sqrt(9.0 * dd);
  for (;;) {
    double x, v, u;
    do { x = norm_inv(rng_open(r)); v = 1.0 + c * x; } while (v <= 0.0);
    v = v * v * v; u = rng_open(r);
    if (u < 1.0 - 0.0331 * x * x * x * x) return boost * dd * v;
    if (log(u) < 0.5 * x * x + dd * (1.0 - v + log(v))) return boost * dd * v;
  }
}

double ent_dist_sample(const ent_dist *d, ent_rng *r) {
  switch (d->type) {
  case ENT_DIST_CONST: return d->a;
  case ENT_DIST_UNIFORM: return d->lo + ent_rng_uniform(r) * (d->hi - d->lo);
  case ENT_DIST_TRIANGULAR: return tri_quantile(d->lo, d->c, d->hi, ent_rng_uniform(r));
  case ENT_DIST_NORMAL: return normal_quantile(d, rng_open(r));
  case ENT_DIST_BETA: {
    double x = gamma_draw(d->a, r), y = gamma_draw(d->b, r);
    double t = (x + y > 0) ? x / (x + y) : 0.5;
    return d->lo + (d->hi - d->lo) * t;
  }
  }
  return NAN;
}

/* A distribution that can take more than one value. */
static int dist_varies(const ent_dist *d) {
  switch (d->type) {
  case ENT_DIST_CONST: return 0;
  case ENT_DIST_UNIFORM: case ENT_DIST_TRIANGULAR: return d->lo < d->hi;
  case ENT_DIST_NORMAL: return d->b > 0;
  case ENT_DIST_BETA: return 1;
  }
  return 0;
}

/* ================================================================== models */

#define KF_DIRECTED  0x01u
#define KF_DEFENSIVE 0x02u

struct ent_optmodel {
  int32_t n;
  ent_id focal;
  int32_t nk;
  signed char *ksign;
  unsigned char *klevel, *kflags, *kcls;
  double *ksw, *khw;
  double *cap, *prolif;
  int32_t m, mcap;
  int32_t *sa, *sb, *sk, *srel;
  double *sbase;
  int32_t nt, tcap;
  ent_opt_term *terms;
  int32_t rel_param, level_param[4];
  int32_t npairs;
  ent_opt_pair *pairs;
  /* dyads, rebuilt whenever a slot is added */
  int32_t D;
  int32_t *du, *dv, *drel, *sdy;   /* dyad ends (du < dv), reliability param, slot -> dyad */
  int32_t *aoff, *adj, *adjo;      /* per actor: its dyads, sorted by the other end */
};

void ent_optmodel_free(ent_optmodel *m) {
  if (!m) return;
  free(m->ksign); free(m->klevel); free(m->kflags); free(m->kcls); free(m->ksw); free(m->khw);
  free(m->cap); free(m->prolif);
  free(m->sa); free(m->sb); free(m->sk); free(m->srel); free(m->sbase);
  free(m->terms); free(m->pairs);
  free(m->du); free(m->dv); free(m->drel); free(m->sdy);
  free(m->aoff); free(m->adj); free(m->adjo);
  free(m);
}

static int slots_reserve(ent_optmodel *m, int32_t want) {
  int32_t cap = m->mcap ? m->mcap : 16;
  int32_t *sa, *sb, *sk, *sr;
  double *bs;
  if (want <= m->mcap) return 1;
  while (cap < want) cap *= 2;
  sa = realloc(m->sa, (size_t)cap * sizeof *sa); if (!sa) return 0; m->sa = sa;
  sb = realloc(m->sb, (size_t)cap * sizeof *sb); if (!sb) return 0; m->sb = sb;
  sk = realloc(m->sk, (size_t)cap * sizeof *sk); if (!sk) return 0; m->sk = sk;
  sr = realloc(m->srel, (size_t)cap * sizeof *sr); if (!sr) return 0; m->srel = sr;
  bs = realloc(m->sbase, (size_t)cap * sizeof *bs); if (!bs) return 0; m->sbase = bs;
  m->mcap = cap;
  return 1;
}

static int terms_reserve(ent_optmodel *m, int32_t want) {
  int32_t cap = m->tcap ? m->tcap : 16;
  ent_opt_term *t;
  if (want <= m->tcap) return 1;
  while (cap < want) cap *= 2;
  t = realloc(m->terms, (size_t)cap * sizeof *t);
  if (!t) return 0;
  m->terms = t; m->tcap = cap;
  return 1;
}

typedef struct pairkey { int32_t u, v, slot; } pairkey;

static int pairkey_cmp(const void *x, const void *y) {
  const pairkey *a = x, *b = y;
  if (a->u != b->u) return a->u < b->u ? -1 : 1;
  if (a->v != b->v) return a->v < b->v ? -1 : 1;
  return a->slot < b->slot ? -1 : a->slot > b->slot;
}

static int32_t pair_param(const ent_optmodel *m, int32_t u, int32_t v) {
  int32_t i;
  for (i = 0; i < m->npairs; i++) {
    const ent_opt_pair *p = &m->pairs[i];
    if ((p->a == u && p->b == v) || (p->a == v && p->b == u)) return p->param;
  }
  return m->rel_param;
}

/* (Re)build the dyads and the per-actor index.  O(m log m + n). */
static int build_dyads(ent_optmodel *m) {
  pairkey *k = NULL;
  int32_t i, D = 0, *cnt = NULL;
  free(m->du); free(m->dv); free(m->drel); free(m->sdy); free(m->aoff); free(m->adj); free(m->adjo);
  m->du = m->dv = m->drel = m->sdy = m->aoff = m->adj = m->adjo = NULL;
  m->D = 0;
  k = malloc(((size_t)m->m + 1) * sizeof *k);
  m->sdy = malloc(((size_t)m->m + 1) * sizeof *m->sdy);
  m->du = malloc(((size_t)m->m + 1) * sizeof *m->du);
  m->dv = malloc(((size_t)m->m + 1) * sizeof *m->dv);
  m->drel = malloc(((size_t)m->m + 1) * sizeof *m->drel);
  m->aoff = calloc((size_t)m->n + 2, sizeof *m->aoff);
  m->adj = malloc((2 * (size_t)m->m + 1) * sizeof *m->adj);
  m->adjo = malloc((2 * (size_t)m->m + 1) * sizeof *m->adjo);
  cnt = calloc((size_t)m->n + 1, sizeof *cnt);
  if (!k || !m->sdy || !m->du || !m->dv || !m->drel || !m->aoff || !m->adj || !m->adjo || !cnt) {
    free(k); free(cnt);
    return 0;
  }
  for (i = 0; i < m->m; i++) {
    k[i].u = m->sa[i] < m->sb[i] ? m->sa[i] : m->sb[i];
    k[i].v = m->sa[i] < m->sb[i] ? m->sb[i] : m->sa[i];
    k[i].slot = i;
  }
  qsort(k, (size_t)m->m, sizeof *k, pairkey_cmp);
  for (i = 0; i < m->m; i++) {
    if (i == 0 || k[i].u != k[i - 1].u || k[i].v != k[i - 1].v) {
      m->du[D] = k[i].u; m->dv[D] = k[i].v;
      m->drel[D] = pair_param(m, k[i].u, k[i].v);
      D++;
    }
    m->sdy[k[i].slot] = D - 1;
  }
  m->D = D;
  for (i = 0; i < D; i++) { m->aoff[m->du[i] + 1]++; m->aoff[m->dv[i] + 1]++; }
  for (i = 0; i < m->n; i++) m->aoff[i + 1] += m->aoff[i];
  /* dyads are sorted by (u, v): filling in dyad order keeps each actor's
  ** list sorted by the other end */
  for (i = 0; i < D; i++) {
    int32_t u = m->du[i], v = m->dv[i], at;
    at = m->aoff[u] + cnt[u]++; m->adj[at] = i; m->adjo[at] = v;
    at = m->aoff[v] + cnt[v]++; m->adj[at] = i; m->adjo[at] = u;
  }
  /* the lists of v received u's in increasing u, but a vertex's list mixes
  ** "as v" entries (others < it) before "as u" entries (others > it) only
  ** if filled in that order: sort each list to be safe */
  for (i = 0; i < m->n; i++) {
    int32_t a = m->aoff[i], b = m->aoff[i + 1], x, y;
    for (x = a + 1; x < b; x++) {      /* insertion sort: lists are short */
      int32_t d = m->adj[x], o = m->adjo[x];
      for (y = x - 1; y >= a && m->adjo[y] > o; y--) { m->adj[y + 1] = m->adj[y]; m->adjo[y + 1] = m->adjo[y]; }
      m->adj[y + 1] = d; m->adjo[y + 1] = o;
    }
  }
  free(k); free(cnt);
  return 1;
}

static int32_t dyad_find(const ent_optmodel *m, int32_t u, int32_t v) {
  int32_t lo, hi;
  if (u < 0 || u >= m->n || v < 0 || v >= m->n) return -1;
  lo = m->aoff[u]; hi = m->aoff[u + 1] - 1;
  while (lo <= hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (m->adjo[mid] == v) return m->adj[mid];
    if (m->adjo[mid] < v) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

static int strength_in(const ent_world *w, ent_id r, ent_date d, double *s) {
  ent_relation_info ri;
  if (!ent_relation_active(w, r, d)) return 0;
  if (ent_relation_get(w, r, &ri) != ENT_OK) return 0;
  *s = ri.strength;
  return 1;
}

static unsigned class_by_name(const char *name) {
  if (!name) return 0;
  if (strcmp(name, "trade") == 0) return ENT_OPT_KTRADE;
  if (strcmp(name, "sanction") == 0) return ENT_OPT_KSANCTION;
  if (strcmp(name, "war") == 0 || strcmp(name, "dispute") == 0) return ENT_OPT_KAGGRESSION;
  return 0;
}

ent_status ent_optmodel_new(const ent_world *base, const ent_world *moved, const ent_opt_setup *s,
                            ent_optmodel **out, char *err, size_t errlen) {
  ent_optmodel *m;
  ent_query q;
  ent_id *ids = NULL;
  unsigned char *seen = NULL;
  int32_t nb = 0, nm = 0, i, rc;
  int k;
  *out = NULL;
  if (!base || !s) { seterr(err, errlen, "world or setup is NULL"); return ENT_EINVAL; }
  if (!moved) moved = base;
  if (s->focal < 0 || s->focal >= ent_actor_capacity(moved) || !ent_actor_alive(moved, s->focal)) {
    seterr(err, errlen, "focal actor id %ld is not a live actor", (long)s->focal);
    return ENT_ENOTFOUND;
  }
  if (s->npairs < 0 || (s->npairs > 0 && !s->pairs)) { seterr(err, errlen, "bad reliability pairs"); return ENT_EINVAL; }
  m = calloc(1, sizeof *m);
  if (!m) goto nomem;
  m->n = ent_actor_capacity(moved);
  m->focal = s->focal;
  m->nk = ent_kind_count(moved);
  m->rel_param = s->rel_param;
  for (k = 0; k < 4; k++) m->level_param[k] = s->level_param[k];
  m->ksign = malloc((size_t)m->nk + 1); m->klevel = malloc((size_t)m->nk + 1);
  m->kflags = malloc((size_t)m->nk + 1); m->kcls = malloc((size_t)m->nk + 1);
  m->ksw = malloc(((size_t)m->nk + 1) * sizeof *m->ksw);
  m->khw = malloc(((size_t)m->nk + 1) * sizeof *m->khw);
  m->cap = calloc((size_t)m->n + 1, sizeof *m->cap);
  m->prolif = calloc((size_t)m->n + 1, sizeof *m->prolif);
  if (!m->ksign || !m->klevel || !m->kflags || !m->kcls || !m->ksw || !m->khw || !m->cap || !m->prolif) goto nomem;
  for (k = 0; k < m->nk; k++) {
    ent_kind_info ki;
    if (ent_kind_get(moved, k, &ki) != ENT_OK) { memset(&ki, 0, sizeof ki); ki.name = "?"; }
    m->ksign[k] = (signed char)(ki.sign > 0 ? 1 : ki.sign < 0 ? -1 : 0);
    m->klevel[k] = (unsigned char)(ki.obligation >= 0 && ki.obligation <= 3 ? ki.obligation : 0);
    m->kflags[k] = (unsigned char)(((ki.flags & ENT_KIND_DIRECTED) ? KF_DIRECTED : 0u) |
                                   ((ki.flags & ENT_KIND_DEFENSIVE) ? KF_DEFENSIVE : 0u));
    m->kcls[k] = (unsigned char)(s->kind_class ? s->kind_class[k] : class_by_name(ki.name));
    m->ksw[k] = s->signed_weight ? s->signed_weight[k] : ent_signed_default_weight(moved, k);
    m->khw[k] = s->hostility_weight ? s->hostility_weight[k] : 1.0;
    if (!isfinite(m->ksw[k]) || m->ksw[k] < 0 || !isfinite(m->khw[k]) || m->khw[k] < 0) {
      seterr(err, errlen, "weights of kind '%s' must be finite and >= 0 (signed %g, hostility %g)",
             ki.name, m->ksw[k], m->khw[k]);
      ent_optmodel_free(m);
      return ENT_EINVAL;
    }
  }
  for (i = 0; i < m->n; i++) {
    double c = s->capability ? s->capability[i] : 0.0, p = s->proliferation ? s->proliferation[i] : 0.0;
    if (c != c) c = 0.0;
    if (!isfinite(c) || c < 0) {
      seterr(err, errlen, "capability of actor '%s' must be finite and >= 0 (got %g)",
             ent_actor_code(moved, i) ? ent_actor_code(moved, i) : "?", c);
      ent_optmodel_free(m);
      return ENT_EINVAL;
    }
    if (p != p) p = 0.0;
    if (!(p >= 0 && p <= 1)) {
      seterr(err, errlen, "proliferation of actor '%s' must be in [0,1] (got %g)",
             ent_actor_code(moved, i) ? ent_actor_code(moved, i) : "?", p);
      ent_optmodel_free(m);
      return ENT_EINVAL;
    }
    m->cap[i] = c; m->prolif[i] = p;
  }
  if (s->npairs > 0) {
    m->pairs = malloc((size_t)s->npairs * sizeof *m->pairs);
    if (!m->pairs) goto nomem;
    memcpy(m->pairs, s->pairs, (size_t)s->npairs * sizeof *m->pairs);
    m->npairs = s->npairs;
  }
  /* slots: relations in force in base or in moved, by id */
  ent_query_init(&q);
  q.date = s->date;
  ent_relations(base, &q, NULL, 0, &nb);
  ent_relations(moved, &q, NULL, 0, &nm);
  rc = ent_relation_capacity(moved);
  if (ent_relation_capacity(base) > rc) rc = ent_relation_capacity(base);
  ids = malloc(((size_t)nb + (size_t)nm + 1) * sizeof *ids);
  seen = calloc((size_t)rc + 1, 1);
  if (!ids || !seen) goto nomem;
  ent_relations(base, &q, ids, nb, &nb);
  ent_relations(moved, &q, ids + nb, nm, &nm);
  for (i = 0; i < nb + nm; i++) seen[ids[i]] = 1;
  for (i = 0; i < rc; i++) {
    ent_relation_info ri;
    double sb = 0.0, sm = 0.0;
    int inb, inm;
    if (!seen[i]) continue;
    inb = strength_in(base, i, s->date, &sb);
    inm = strength_in(moved, i, s->date, &sm);
    if (ent_relation_get(inm ? moved : base, i, &ri) != ENT_OK) continue;
    if (ri.a >= m->n || ri.b >= m->n || ri.kind >= m->nk) continue;
    if (!slots_reserve(m, m->m + 1)) goto nomem;
    m->sa[m->m] = ri.a; m->sb[m->m] = ri.b; m->sk[m->m] = ri.kind; m->srel[m->m] = i;
    m->sbase[m->m] = inb ? sb : 0.0;
    if ((inm ? sm : 0.0) != m->sbase[m->m]) {
      ent_opt_term t;
      memset(&t, 0, sizeof t);
      t.slot = m->m; t.op = ENT_OPT_SET; t.coef = inm ? sm : 0.0;
      t.f[0].param = t.f[1].param = t.f[2].param = -1;
      t.f[0].a = t.f[1].a = t.f[2].a = 1.0;
      if (!terms_reserve(m, m->nt + 1)) goto nomem;
      m->terms[m->nt++] = t;
    }
    m->m++;
  }
  free(ids); free(seen); ids = NULL; seen = NULL;
  if (!build_dyads(m)) goto nomem;
  *out = m;
  return ENT_OK;
nomem:
  free(ids); free(seen);
  ent_optmodel_free(m);
  seterr(err, errlen, "out of memory");
  return ENT_ENOMEM;
}

ent_status ent_optmodel_kind_weights(const ent_optmodel *m, int kind, double *signed_w, double *hostility_w) {
  if (kind < 0 || kind >= m->nk) return ENT_EINVAL;
  *signed_w = m->ksw[kind]; *hostility_w = m->khw[kind];
  return ENT_OK;
}

ent_status ent_optmodel_actor(const ent_optmodel *m, ent_id a, double *capability, double *proliferation) {
  if (a < 0 || a >= m->n) return ENT_EINVAL;
  *capability = m->cap[a]; *proliferation = m->prolif[a];
  return ENT_OK;
}

int32_t ent_optmodel_rel_param(const ent_optmodel *m, ent_id a, ent_id b) { return pair_param(m, a, b); }

int32_t ent_optmodel_level_param(const ent_optmodel *m, int level) {
  return level >= 0 && level < 4 ? m->level_param[level] : -1;
}

int32_t ent_optmodel_actors(const ent_optmodel *m) { return m->n; }
ent_id ent_optmodel_focal(const ent_optmodel *m) { return m->focal; }
int32_t ent_optmodel_slot_count(const ent_optmodel *m) { return m->m; }
int32_t ent_optmodel_term_count(const ent_optmodel *m) { return m->nt; }

ent_status ent_optmodel_slot_add(ent_optmodel *m, ent_id a, ent_id b, int kind, int32_t *out) {
  if (a < 0 || a >= m->n || b < 0 || b >= m->n || a == b || kind < 0 || kind >= m->nk) return ENT_EINVAL;
  if (!slots_reserve(m, m->m + 1)) return ENT_ENOMEM;
  m->sa[m->m] = a; m->sb[m->m] = b; m->sk[m->m] = kind; m->srel[m->m] = ENT_NONE; m->sbase[m->m] = 0.0;
  m->m++;
  if (!build_dyads(m)) { m->m--; return ENT_ENOMEM; }
  if (out) *out = m->m - 1;
  return ENT_OK;
}

ent_status ent_optmodel_slot_get(const ent_optmodel *m, int32_t i, ent_opt_slot_info *out) {
  if (i < 0 || i >= m->m) return ENT_EINVAL;
  out->a = m->sa[i]; out->b = m->sb[i]; out->kind = m->sk[i]; out->base = m->sbase[i];
  out->relation = m->srel[i];
  return ENT_OK;
}

ent_status ent_optmodel_kind(const ent_optmodel *m, int kind, int *sign, int *level, unsigned *flags,
                             unsigned *cls) {
  if (kind < 0 || kind >= m->nk) return ENT_EINVAL;
  if (sign) *sign = m->ksign[kind];
  if (level) *level = m->klevel[kind];
  if (flags) *flags = m->kflags[kind];
  if (cls) *cls = m->kcls[kind];
  return ENT_OK;
}

static ent_status term_check(const ent_optmodel *m, const ent_opt_term *t) {
  int i;
  if (t->slot < 0 || t->slot >= m->m) return ENT_EINVAL;
  if (t->op != ENT_OPT_ADD && t->op != ENT_OPT_MUL && t->op != ENT_OPT_SET) return ENT_EINVAL;
  if (!isfinite(t->coef)) return ENT_EINVAL;
  for (i = 0; i < 3; i++) if (!isfinite(t->f[i].a) || !isfinite(t->f[i].b)) return ENT_EINVAL;
  return ENT_OK;
}

ent_status ent_optmodel_term_add(ent_optmodel *m, const ent_opt_term *t) {
  ent_status st = term_check(m, t);
  if (st != ENT_OK) return st;
  if (!terms_reserve(m, m->nt + 1)) return ENT_ENOMEM;
  m->terms[m->nt++] = *t;
  return ENT_OK;
}

ent_status ent_optmodel_term_get(const ent_optmodel *m, int32_t i, ent_opt_term *out) {
  if (i < 0 || i >= m->nt) return ENT_EINVAL;
  *out = m->terms[i];
  return ENT_OK;
}

ent_status ent_optmodel_term_set(ent_optmodel *m, int32_t i, const ent_opt_term *t) {
  ent_status st;
  if (i < 0 || i >= m->nt) return ENT_EINVAL;
  st = term_check(m, t);
  if (st != ENT_OK) return st;
  m->terms[i] = *t;
  return ENT_OK;
}

/* ============================================================ evaluation */

static double term_value(const ent_opt_term *t, const double *theta) {
  double v = t->coef;
  int i;
  for (i = 0; i < 3; i++) {
    const ent_opt_factor *f = &t->f[i];
    v *= f->param >= 0 ? f->a + f->b * theta[f->param] : f->a;
  }
  return v;
}

static void apply_terms(const ent_optmodel *m, const double *theta, int32_t nterms, double *s) {
  int32_t i;
  if (nterms < 0 || nterms > m->nt) nterms = m->nt;
  for (i = 0; i < m->m; i++) s[i] = m->sbase[i];
  for (i = 0; i < nterms; i++) {
    const ent_opt_term *t = &m->terms[i];
    double v = term_value(t, theta), x = s[t->slot];
    if (t->op == ENT_OPT_ADD) x += v;
    else if (t->op == ENT_OPT_MUL) x *= v;
    else x = v;
    s[t->slot] = clamp01(x);
  }
}

static double pval(const double *theta, int32_t p, double dflt) { return p >= 0 ? theta[p] : dflt; }

/* Per-draw scratch (sized for the largest model). */
typedef struct work {
  double *s;                                          /* slots */
  double *ally, *host, *sig, *coop, *ntr, *trd, *sdir; /* dyads */
  double *sthird, *sany, *aggr, *allyJ, *g, *H;       /* actors */
  double *pv;                                         /* polynomial variables */
} work;

static void work_free(work *w) {
  free(w->s); free(w->ally); free(w->host); free(w->sig); free(w->coop); free(w->ntr); free(w->trd);
  free(w->sdir); free(w->sthird); free(w->sany); free(w->aggr); free(w->allyJ); free(w->g); free(w->H);
  free(w->pv);
  memset(w, 0, sizeof *w);
}

static int work_init(work *w, int32_t m, int32_t D, int32_t n, int32_t nv) {
  size_t sm = (size_t)m + 1, sd = (size_t)D + 1, sn = (size_t)n + 1;
  memset(w, 0, sizeof *w);
  w->s = malloc(sm * sizeof(double));
  w->ally = malloc(sd * sizeof(double)); w->host = malloc(sd * sizeof(double));
  w->sig = malloc(sd * sizeof(double)); w->coop = malloc(sd * sizeof(double));
  w->ntr = malloc(sd * sizeof(double)); w->trd = malloc(sd * sizeof(double));
  w->sdir = malloc(sd * sizeof(double));
  w->sthird = malloc(sn * sizeof(double)); w->sany = malloc(sn * sizeof(double));
  w->aggr = malloc(sn * sizeof(double)); w->allyJ = calloc(sn, sizeof(double));
  w->g = malloc(sn * sizeof(double)); w->H = malloc(sn * sizeof(double));
  w->pv = malloc(((size_t)nv + 1) * sizeof(double));
  if (!w->s || !w->ally || !w->host || !w->sig || !w->coop || !w->ntr || !w->trd || !w->sdir ||
      !w->sthird || !w->sany || !w->aggr || !w->allyJ || !w->g || !w->H || !w->pv) {
    work_free(w);
    return 0;
  }
  return 1;
}

/* The per-dyad and per-actor aggregates of strengths w->s.  O(n + D + m). */
static void aggregate(const ent_optmodel *m, const double *theta, work *w) {
  int32_t D = m->D, n = m->n, r;
  double lw[4];
  int l;
  for (l = 0; l < 4; l++) lw[l] = clamp01(pval(theta, m->level_param[l], DEFAULT_LEVEL[l]));
  memset(w->ally, 0, (size_t)D * sizeof(double)); memset(w->host, 0, (size_t)D * sizeof(double));
  memset(w->sig, 0, (size_t)D * sizeof(double)); memset(w->coop, 0, (size_t)D * sizeof(double));
  memset(w->ntr, 0, (size_t)D * sizeof(double)); memset(w->trd, 0, (size_t)D * sizeof(double));
  memset(w->sdir, 0, (size_t)D * sizeof(double));
  memset(w->sthird, 0, (size_t)n * sizeof(double)); memset(w->sany, 0, (size_t)n * sizeof(double));
  memset(w->aggr, 0, (size_t)n * sizeof(double));
  for (r = 0; r < m->m; r++) {
    double x = w->s[r], sw;
    int32_t d, k, a, b;
    int sg;
    unsigned cls;
    if (!(x > 0.0)) continue;
    d = m->sdy[r]; k = m->sk[r]; a = m->sa[r]; b = m->sb[r];
    sg = m->ksign[k]; sw = m->ksw[k]; cls = m->kcls[k];
    if (sg > 0) {
      double lv = lw[m->klevel[k]];
      if (lv > 0.0) {
        double al = clamp01(pval(theta, m->drel[d], DEFAULT_RELIABILITY)) * lv * x;
        if (al > 1.0) al = 1.0;
        if (al > w->ally[d]) w->ally[d] = al;
      }
      w->coop[d] += sw * x;
    } else if (sg < 0) {
      w->host[d] += m->khw[k] * x;
    }
    w->sig[d] += sg * sw * x;
    if (cls & ENT_OPT_KTRADE) w->trd[d] += x;
    else w->ntr[d] += sg * sw * x;
    if (cls & ENT_OPT_KSANCTION) {
      if (a == m->focal || b == m->focal) { if (x > w->sdir[d]) w->sdir[d] = x; }
      if (x > w->sany[b]) w->sany[b] = x;
      if (a != m->focal && x > w->sthird[b]) w->sthird[b] = x;
      if (!(m->kflags[k] & KF_DIRECTED)) {
        if (x > w->sany[a]) w->sany[a] = x;
        if (b != m->focal && x > w->sthird[a]) w->sthird[a] = x;
      }
    }
    if ((cls & ENT_OPT_KAGGRESSION) && x > w->aggr[a]) w->aggr[a] = x;
  }
  for (r = 0; r < D; r++) if (w->host[r] > 1.0) w->host[r] = 1.0;
}

/* Security threat to actor j from the aggregates in w (see options.h).
** H and allyJ are left filled (allyJ is cleared by the caller via
** clear_allyJ).  O(n + D). */
static double threat_of(const ent_optmodel *m, work *w, int32_t j, double *num_out, double *own_out) {
  int32_t n = m->n, d, k;
  double num = 0.0, own;
  double *allyJ = w->allyJ, *g = w->g, *H = w->H;
  for (d = m->aoff[j]; d < m->aoff[j + 1]; d++) allyJ[m->adjo[d]] = w->ally[m->adj[d]];
  /* paths combine as independent chances (noisy-or): g and H hold the
  ** products of (1 - path) first, then are turned into 1 - product */
  for (k = 0; k < n; k++) g[k] = 1.0;
  for (d = 0; d < m->D; d++) {
    double h = w->host[d], au, av;
    int32_t u, v;
    if (!(h > 0.0)) continue;
    u = m->du[d]; v = m->dv[d];
    au = u == j ? 1.0 : allyJ[u]; av = v == j ? 1.0 : allyJ[v];
    g[v] *= 1.0 - au * h;
    g[u] *= 1.0 - av * h;
  }
  for (k = 0; k < n; k++) g[k] = 1.0 - g[k];
  for (k = 0; k < n; k++) H[k] = 1.0 - g[k];
  for (d = 0; d < m->D; d++) {
    double a = w->ally[d];
    int32_t u, v;
    if (!(a > 0.0)) continue;
    u = m->du[d]; v = m->dv[d];
    H[u] *= 1.0 - a * g[v];
    H[v] *= 1.0 - a * g[u];
  }
  for (k = 0; k < n; k++) H[k] = 1.0 - H[k];
  /* an actor's hostility is discounted by its direct political cooperation
  ** with j (net non-trade tie, capped at 1): a partner is less of a threat */
  for (d = m->aoff[j]; d < m->aoff[j + 1]; d++) {
    double co = w->ntr[m->adj[d]];
    if (co > 0.0) H[m->adjo[d]] *= co >= 1.0 ? 0.0 : 1.0 - co;
  }
  own = m->cap[j];
  for (k = 0; k < n; k++) {
    if (k == j) continue;
    num += H[k] * m->cap[k];
  }
  for (d = m->aoff[j]; d < m->aoff[j + 1]; d++) own += w->ally[m->adj[d]] * m->cap[m->adjo[d]];
  if (num_out) *num_out = num;
  if (own_out) *own_out = own;
  return num + own > 0.0 ? num / (num + own) : 0.0;
}

static void clear_allyJ(const ent_optmodel *m, work *w, int32_t j) {
  int32_t d;
  for (d = m->aoff[j]; d < m->aoff[j + 1]; d++) w->allyJ[m->adjo[d]] = 0.0;
}

static int model_work(const ent_optmodel *m, work *w) { return work_init(w, m->m, m->D, m->n, 1); }

ent_status ent_optmodel_strengths(const ent_optmodel *m, const double *theta, int32_t nterms, double *s) {
  apply_terms(m, theta, nterms, s);
  return ENT_OK;
}

ent_status ent_optmodel_threat(const ent_optmodel *m, const double *theta, int32_t nterms,
                               ent_id actor, double *threat, double *H, double *ally) {
  work w;
  int32_t d;
  if (actor < 0 || actor >= m->n) return ENT_EINVAL;
  if (!model_work(m, &w)) return ENT_ENOMEM;
  apply_terms(m, theta, nterms, w.s);
  aggregate(m, theta, &w);
  *threat = threat_of(m, &w, actor, NULL, NULL);
  if (H) memcpy(H, w.H, (size_t)m->n * sizeof(double));
  if (ally) {
    memset(ally, 0, (size_t)m->n * sizeof(double));
    for (d = m->aoff[actor]; d < m->aoff[actor + 1]; d++) ally[m->adjo[d]] = w.ally[m->adj[d]];
  }
  work_free(&w);
  return ENT_OK;
}

ent_status ent_optmodel_dyad(const ent_optmodel *m, const double *theta, int32_t nterms,
                             ent_id a, ent_id b, double *ally, double *hostility, double *sign_w) {
  work w;
  int32_t d = dyad_find(m, a, b);
  *ally = *hostility = *sign_w = 0.0;
  if (a < 0 || a >= m->n || b < 0 || b >= m->n) return ENT_EINVAL;
  if (d < 0) return ENT_OK;
  if (!model_work(m, &w)) return ENT_ENOMEM;
  apply_terms(m, theta, nterms, w.s);
  aggregate(m, theta, &w);
  *ally = w.ally[d]; *hostility = w.host[d]; *sign_w = w.sig[d];
  work_free(&w);
  return ENT_OK;
}

/* ============================================================ evaluator */

/* An obligation edge of a model: members are slots. */
typedef struct oedge {
  int32_t from, to;
  int cls;                 /* 0 all members, 1 non-defensive only */
  unsigned flags;          /* ENT_OPT_EDGE_* */
  int32_t moff, mlen;      /* into the model's member array */
  int32_t dyad;
} oedge;

typedef struct poly {
  int32_t nvar, nmono, held;
  int32_t *var;            /* edge index per variable */
  double *coef;
  int32_t *moff, *mvar;    /* monomial j: mvar[moff[j] .. moff[j+1]-1] */
} poly;

typedef struct cmodel {
  ent_optmodel *m;
  int32_t ne;
  oedge *edges;
  int32_t *members;
  poly *polys;             /* one per trigger */
  int32_t nfd;             /* the focal actor's dyads */
  int32_t *fd, *fo;
  double *t0, *n0;         /* base trade and net political tie per focal dyad */
  double T0;
  int32_t ntri;
  int32_t *tri;            /* 3 dyads per triangle */
  int32_t *trixy;          /* 2 actors per triangle */
} cmodel;

struct ent_opt {
  int32_t K;
  ent_dist *dist;
  double *central;
  unsigned char *varies;
  int32_t nm;
  cmodel *cm;
  int32_t wparam[ENT_OPT_NCRIT];
  int32_t sigma_param, norm_param[3];
  int32_t ntrig;
  int32_t *qparam;
  int32_t *toff;           /* trigger t: pairs toff[t] .. toff[t+1]-1 */
  ent_id *tatt, *tdef;
  int32_t maxm, maxD, maxn, maxv;
  /* results */
  int have, threads_used;
  int64_t runs;
  int32_t bins;
  double *mean, *m2;       /* nm * NOUT */
  double *vmin, *vmax;     /* nm * NOUT */
  int64_t *hist;           /* nm * NOUT * bins */
  double *pbest, *regret;  /* nm */
  int64_t *pairs;          /* nm * nm * 4 */
  double *draws;
  char err[ENT_OPT_ERRLEN];
};

static void poly_free(poly *p) {
  free(p->var); free(p->coef); free(p->moff); free(p->mvar);
  memset(p, 0, sizeof *p);
}

static void free_results(ent_opt *e) {
  free(e->mean); free(e->m2); free(e->vmin); free(e->vmax); free(e->hist);
  free(e->pbest); free(e->regret); free(e->pairs); free(e->draws);
  e->mean = e->m2 = e->vmin = e->vmax = NULL; e->hist = NULL;
  e->pbest = e->regret = NULL; e->pairs = NULL; e->draws = NULL;
  e->have = 0;
}

static void cmodel_free(cmodel *c, int32_t ntrig) {
  int32_t t;
  if (c->polys) for (t = 0; t < ntrig; t++) poly_free(&c->polys[t]);
  free(c->polys); free(c->edges); free(c->members);
  free(c->fd); free(c->fo); free(c->t0); free(c->n0); free(c->tri); free(c->trixy);
  ent_optmodel_free(c->m);
  memset(c, 0, sizeof *c);
}

void ent_opt_free(ent_opt *e) {
  int32_t i;
  if (!e) return;
  free_results(e);
  if (e->cm) for (i = 0; i < e->nm; i++) cmodel_free(&e->cm[i], e->ntrig);
  free(e->cm); free(e->dist); free(e->central); free(e->varies);
  free(e->qparam); free(e->toff); free(e->tatt); free(e->tdef);
  free(e);
}

const char *ent_opt_errmsg(const ent_opt *e) { return e ? e->err : ""; }
int32_t ent_opt_nmodels(const ent_opt *e) { return e->nm; }
int32_t ent_opt_nparams(const ent_opt *e) { return e->K; }
const ent_optmodel *ent_opt_model(const ent_opt *e, int32_t i) { return i >= 0 && i < e->nm ? e->cm[i].m : NULL; }
const double *ent_opt_central(const ent_opt *e) { return e->central; }

/* --------------------------------------------------------- compile pieces */

typedef struct mkey { int32_t to, from, slot; int def; } mkey;

static int mkey_cmp(const void *x, const void *y) {
  const mkey *a = x, *b = y;
  if (a->to != b->to) return a->to < b->to ? -1 : 1;
  if (a->from != b->from) return a->from < b->from ? -1 : 1;
  return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* Slots whose strength may differ between draws, and slots that may be > 0. */
static void slot_flags(const ent_opt *e, const ent_optmodel *m, unsigned char *unc, unsigned char *pos) {
  int32_t i;
  int f;
  for (i = 0; i < m->m; i++) { unc[i] = 0; pos[i] = m->sbase[i] > 0.0; }
  for (i = 0; i < m->nt; i++) {
    const ent_opt_term *t = &m->terms[i];
    for (f = 0; f < 3; f++) if (t->f[f].param >= 0 && t->f[f].b != 0.0 && e->varies[t->f[f].param]) unc[t->slot] = 1;
    pos[t->slot] = 1;
  }
}

/* The obligation edges of a model (one decision per partner, as in
** ent_cascade_new; see the header comment on ent_opt_var). */
static int build_edges(const ent_opt *e, cmodel *c) {
  const ent_optmodel *m = c->m;
  mkey *k = NULL;
  unsigned char *unc = NULL, *pos = NULL;
  int32_t nk = 0, i, ne = 0, nmem = 0;
  k = malloc((2 * (size_t)m->m + 1) * sizeof *k);
  unc = malloc((size_t)m->m + 1); pos = malloc((size_t)m->m + 1);
  c->edges = malloc((4 * (size_t)m->m + 1) * sizeof *c->edges);
  c->members = malloc((4 * (size_t)m->m + 1) * sizeof *c->members);
  if (!k || !unc || !pos || !c->edges || !c->members) { free(k); free(unc); free(pos); return 0; }
  slot_flags(e, m, unc, pos);
  for (i = 0; i < m->m; i++) {
    int32_t kd = m->sk[i];
    int l = m->klevel[kd], lp = m->level_param[l];
    int lwpos = lp >= 0 ? (e->varies[lp] || e->central[lp] > 0.0) : DEFAULT_LEVEL[l] > 0.0;
    if (m->ksign[kd] <= 0 || !pos[i] || !lwpos) continue;
    k[nk].from = m->sa[i]; k[nk].to = m->sb[i]; k[nk].slot = i;
    k[nk].def = (m->kflags[kd] & KF_DEFENSIVE) != 0; nk++;
    if (!(m->kflags[kd] & KF_DIRECTED)) {
      k[nk] = k[nk - 1]; k[nk].from = m->sb[i]; k[nk].to = m->sa[i]; nk++;
    }
  }
  qsort(k, (size_t)nk, sizeof *k, mkey_cmp);
  for (i = 0; i < nk;) {
    int32_t j = i, g, ndef = 0, nnd = 0;
    while (j < nk && k[j].to == k[i].to && k[j].from == k[i].from) j++;
    for (g = i; g < j; g++) { if (k[g].def) ndef++; else nnd++; }
    /* edge over all members: defensive if any member is */
    c->edges[ne].from = k[i].from; c->edges[ne].to = k[i].to; c->edges[ne].cls = 0;
    c->edges[ne].flags = ndef ? ENT_OPT_EDGE_DEFENSIVE : 0u;
    c->edges[ne].dyad = dyad_find(m, k[i].from, k[i].to);
    c->edges[ne].moff = nmem;
    for (g = i; g < j; g++) c->members[nmem++] = k[g].slot;
    c->edges[ne].mlen = nmem - c->edges[ne].moff;
    ne++;
    if (ndef && nnd) {   /* the non-defensive members call for an attacking partner */
      c->edges[ne] = c->edges[ne - 1];
      c->edges[ne].cls = 1; c->edges[ne].flags = ENT_OPT_EDGE_ATTACKER;
      c->edges[ne].moff = nmem;
      for (g = i; g < j; g++) if (!k[g].def) c->members[nmem++] = k[g].slot;
      c->edges[ne].mlen = nmem - c->edges[ne].moff;
      ne++;
    }
    i = j;
  }
  c->ne = ne;
  free(k); free(unc); free(pos);
  return 1;
}

/* Probability of edge x given slot strengths s. */
static double edge_p(const ent_optmodel *m, const oedge *x, const int32_t *members, const double *s,
                     const double *theta) {
  double best = 0.0, rho;
  int32_t i;
  for (i = 0; i < x->mlen; i++) {
    int32_t r = members[x->moff + i];
    int l = m->klevel[m->sk[r]];
    double v = clamp01(pval(theta, m->level_param[l], DEFAULT_LEVEL[l])) * s[r];
    if (v > best) best = v;
  }
  rho = clamp01(pval(theta, m->drel[x->dyad], DEFAULT_RELIABILITY));
  return clamp01(rho * best);
}

static int edge_varies(const ent_opt *e, const ent_optmodel *m, const oedge *x, const int32_t *members,
                       const unsigned char *unc) {
  int32_t i, p = m->drel[x->dyad];
  if (p >= 0 && e->varies[p]) return 1;
  for (i = 0; i < x->mlen; i++) {
    int32_t r = members[x->moff + i];
    int32_t lp = m->level_param[m->klevel[m->sk[r]]];
    if (unc[r] || (lp >= 0 && e->varies[lp])) return 1;
  }
  return 0;
}

static unsigned cascade_flags(unsigned f) {
  return ((f & ENT_OPT_EDGE_DEFENSIVE) ? ENT_CEDGE_DEFENSIVE : 0u) |
         ((f & ENT_OPT_EDGE_ATTACKER) ? ENT_CEDGE_ATTACKER_ONLY : 0u);
}

/* P(focal joins) on the edges given (p per edge, only p > 0 are passed). */
static ent_status cascade_pjoin(const ent_opt *e, const cmodel *c, int32_t t, const double *p,
                                const unsigned char *use, ent_cascade_edge *buf, double *out,
                                char *err, size_t errlen) {
  int32_t i, me = 0;
  ent_cascade *cs = NULL;
  ent_cascade_run_opts ro;
  ent_cascade_actor_result ar;
  ent_status st;
  for (i = 0; i < c->ne; i++) {
    if (!use[i] || !(p[i] > 0.0)) continue;
    buf[me].from = c->edges[i].from; buf[me].to = c->edges[i].to; buf[me].p = p[i];
    buf[me].flags = cascade_flags(c->edges[i].flags);
    buf[me].relation = ENT_NONE; buf[me].kind = -1;
    me++;
  }
  st = ent_cascade_new_edges(c->m->n, buf, me, NULL, e->tatt + e->toff[t], e->tdef + e->toff[t],
                             e->toff[t + 1] - e->toff[t], &cs, err, errlen);
  if (st != ENT_OK) return st;
  ent_cascade_run_opts_init(&ro);
  ro.method = ENT_CASCADE_AUTO; ro.exact_max_uncertain = 20; ro.runs = 1 << 16; ro.seed = 20240619;
  ro.threads = 1; ro.chain_cap = 0;
  st = ent_cascade_run(cs, &ro);
  if (st == ENT_OK) st = ent_cascade_actor(cs, c->m->focal, &ar);
  if (st != ENT_OK) seterr(err, errlen, "entrapment cascade failed: %s", ent_cascade_errmsg(cs));
  else *out = ar.p_join;
  ent_cascade_free(cs);
  return st;
}

/* The polynomial of trigger t: variables, corner values, Moebius transform. */
static ent_status build_poly(const ent_opt *e, cmodel *c, int32_t t, int32_t kmax, char *err, size_t errlen) {
  const ent_optmodel *m = c->m;
  poly *P = &c->polys[t];
  int32_t n = m->n, i, j, ne = c->ne, qh = 0, qt = 0, nv = 0, x, nx;
  unsigned char *init = NULL, *rel = NULL, *reach = NULL, *use = NULL, *unc = NULL, *pos = NULL, *isvar = NULL;
  int32_t *queue = NULL, *depth = NULL, *cand = NULL;
  double *pc = NULL, *pw = NULL, *tab = NULL, *sc = NULL;
  ent_cascade_edge *buf = NULL;
  ent_status st = ENT_OK;
  int focal_init = 0;
  init = calloc((size_t)n + 1, 1); rel = calloc((size_t)n + 1, 1); reach = calloc((size_t)n + 1, 1);
  use = calloc((size_t)ne + 1, 1); isvar = calloc((size_t)ne + 1, 1);
  unc = malloc((size_t)m->m + 1); pos = malloc((size_t)m->m + 1);
  queue = malloc(((size_t)n + 1) * sizeof *queue); depth = malloc(((size_t)n + 1) * sizeof *depth);
  cand = malloc(((size_t)ne + 1) * sizeof *cand);
  pc = malloc(((size_t)ne + 1) * sizeof *pc); pw = malloc(((size_t)ne + 1) * sizeof *pw);
  sc = malloc(((size_t)m->m + 1) * sizeof *sc);
  buf = malloc(((size_t)ne + 1) * sizeof *buf);
  if (!init || !rel || !reach || !use || !isvar || !unc || !pos || !queue || !depth || !cand || !pc || !pw ||
      !sc || !buf) { st = ENT_ENOMEM; goto done; }
  slot_flags(e, m, unc, pos);
  apply_terms(m, e->central, -1, sc);
  for (i = 0; i < ne; i++) pc[i] = edge_p(m, &c->edges[i], c->members, sc, e->central);
  for (i = e->toff[t]; i < e->toff[t + 1]; i++) {
    init[e->tatt[i]] = 1; init[e->tdef[i]] = 1;
    if (e->tatt[i] == m->focal || e->tdef[i] == m->focal) focal_init = 1;
  }
  if (focal_init) {           /* a belligerent from the start: P = 1 */
    P->coef = malloc(sizeof *P->coef); P->moff = calloc(2, sizeof *P->moff);
    P->var = malloc(sizeof *P->var); P->mvar = malloc(sizeof *P->mvar);
    if (!P->coef || !P->moff || !P->var || !P->mvar) { st = ENT_ENOMEM; goto done; }
    P->coef[0] = 1.0; P->nmono = 1;
    goto done;
  }
  /* actors the conflict can reach (edges to -> from with a possible p > 0) */
  for (i = 0; i < n; i++) if (init[i]) { reach[i] = 1; queue[qt++] = i; }
  while (qh < qt) {
    int32_t a = queue[qh++];
    for (i = 0; i < ne; i++) {
      const oedge *x0 = &c->edges[i];
      if (x0->to != a || init[x0->from] || reach[x0->from]) continue;
      if (!(pc[i] > 0.0) && !edge_varies(e, m, x0, c->members, unc)) continue;
      reach[x0->from] = 1; queue[qt++] = x0->from;
    }
  }
  /* actors whose entry can matter to the focal actor, with their distance */
  qh = qt = 0;
  rel[m->focal] = 1; depth[m->focal] = 0; queue[qt++] = m->focal;
  while (qh < qt) {
    int32_t a = queue[qh++];
    if (init[a]) continue;
    for (i = 0; i < ne; i++) {
      const oedge *x0 = &c->edges[i];
      if (x0->from != a || rel[x0->to]) continue;
      rel[x0->to] = 1; depth[x0->to] = depth[a] + 1; queue[qt++] = x0->to;
    }
  }
  /* relevant edges; variables in order of distance from the focal actor */
  for (i = 0; i < ne; i++) {
    const oedge *x0 = &c->edges[i];
    if (!rel[x0->from] || init[x0->from] || !reach[x0->to] || !reach[x0->from]) continue;
    if (edge_varies(e, m, x0, c->members, unc)) cand[nv++] = i;
    else if (pc[i] > 0.0) use[i] = 1;
  }
  for (i = 1; i < nv; i++) {     /* stable insertion sort by depth of `from` */
    int32_t v = cand[i], y;
    for (y = i - 1; y >= 0 && depth[c->edges[cand[y]].from] > depth[c->edges[v].from]; y--) cand[y + 1] = cand[y];
    cand[y + 1] = v;
  }
  if (nv > kmax) {
    P->held = nv - kmax;
    for (i = kmax; i < nv; i++) use[cand[i]] = 1;   /* held at the central value */
    nv = kmax;
  }
  if (!reach[m->focal]) { nv = 0; P->held = 0; }
  P->nvar = nv;
  P->var = malloc(((size_t)nv + 1) * sizeof *P->var);
  if (!P->var) { st = ENT_ENOMEM; goto done; }
  for (i = 0; i < nv; i++) { P->var[i] = cand[i]; isvar[cand[i]] = 1; }
  nx = (int32_t)1 << nv;
  tab = malloc((size_t)nx * sizeof *tab);
  if (!tab) { st = ENT_ENOMEM; goto done; }
  if (!reach[m->focal]) {
    tab[0] = 0.0;
  } else {
    for (x = 0; x < nx; x++) {
      for (i = 0; i < ne; i++) pw[i] = pc[i];
      for (i = 0; i < nv; i++) { pw[P->var[i]] = (x >> i) & 1 ? 1.0 : 0.0; use[P->var[i]] = 1; }
      st = cascade_pjoin(e, c, t, pw, use, buf, &tab[x], err, errlen);
      if (st != ENT_OK) goto done;
    }
  }
  /* Moebius: tab[x] becomes the coefficient of prod_{i in x} p_i */
  for (i = 0; i < nv; i++)
    for (x = 0; x < nx; x++) if ((x >> i) & 1) tab[x] -= tab[x ^ ((int32_t)1 << i)];
  {
    int32_t nmono = 0, nvars = 0, b;
    for (x = 0; x < nx; x++) if (fabs(tab[x]) > 1e-14) {
      nmono++;
      for (b = 0; b < nv; b++) if ((x >> b) & 1) nvars++;
    }
    P->coef = malloc(((size_t)nmono + 1) * sizeof *P->coef);
    P->moff = malloc(((size_t)nmono + 2) * sizeof *P->moff);
    P->mvar = malloc(((size_t)nvars + 1) * sizeof *P->mvar);
    if (!P->coef || !P->moff || !P->mvar) { st = ENT_ENOMEM; goto done; }
    nmono = 0; nvars = 0;
    for (x = 0; x < nx; x++) if (fabs(tab[x]) > 1e-14) {
      P->coef[nmono] = tab[x]; P->moff[nmono] = nvars;
      for (b = 0; b < nv; b++) if ((x >> b) & 1) P->mvar[nvars++] = b;
      nmono++;
    }
    P->moff[nmono] = nvars;
    P->nmono = nmono;
  }
  (void)j;
done:
  if (st == ENT_ENOMEM) seterr(err, errlen, "out of memory");
  free(init); free(rel); free(reach); free(use); free(isvar); free(unc); free(pos);
  free(queue); free(depth); free(cand); free(pc); free(pw); free(tab); free(sc); free(buf);
  return st;
}

static double poly_eval(const poly *P, const double *pv) {
  double sum = 0.0;
  int32_t j, i;
  for (j = 0; j < P->nmono; j++) {
    double v = P->coef[j];
    for (i = P->moff[j]; i < P->moff[j + 1]; i++) v *= pv[P->mvar[i]];
    sum += v;
  }
  return clamp01(sum);
}

static int build_focal(cmodel *c) {
  const ent_optmodel *m = c->m;
  int32_t f = m->focal, a = m->aoff[f], b = m->aoff[f + 1], i, r;
  double *tb, *nb;
  c->nfd = b - a;
  c->fd = malloc(((size_t)c->nfd + 1) * sizeof *c->fd);
  c->fo = malloc(((size_t)c->nfd + 1) * sizeof *c->fo);
  c->t0 = calloc((size_t)c->nfd + 1, sizeof *c->t0);
  c->n0 = calloc((size_t)c->nfd + 1, sizeof *c->n0);
  tb = calloc((size_t)m->D + 1, sizeof *tb);
  nb = calloc((size_t)m->D + 1, sizeof *nb);
  if (!c->fd || !c->fo || !c->t0 || !c->n0 || !tb || !nb) { free(tb); free(nb); return 0; }
  for (r = 0; r < m->m; r++) {
    int32_t k = m->sk[r];
    double x = m->sbase[r];
    if (!(x > 0.0)) continue;
    if (m->kcls[k] & ENT_OPT_KTRADE) tb[m->sdy[r]] += x;
    else nb[m->sdy[r]] += m->ksign[k] * m->ksw[k] * x;
  }
  c->T0 = 0.0;
  for (i = 0; i < c->nfd; i++) {
    c->fd[i] = m->adj[a + i]; c->fo[i] = m->adjo[a + i];
    c->t0[i] = tb[c->fd[i]]; c->n0[i] = nb[c->fd[i]];
    c->T0 += c->t0[i];
  }
  free(tb); free(nb);
  return 1;
}

static ent_status build_triangles(cmodel *c, char *err, size_t errlen) {
  const ent_optmodel *m = c->m;
  ent_signed *g = NULL;
  double *wt = NULL;
  int32_t *tri = NULL, i;
  int64_t cnt = 0;
  ent_status st;
  c->ntri = 0;
  if (m->D == 0) return ENT_OK;
  wt = malloc((size_t)m->D * sizeof *wt);
  if (!wt) return ENT_ENOMEM;
  for (i = 0; i < m->D; i++) wt[i] = 1.0;
  st = ent_signed_from_edges(m->n, m->D, m->du, m->dv, wt, &g, err, errlen);
  free(wt);
  if (st != ENT_OK) return st;
  st = ent_signed_triangles_at(g, m->focal, NULL, 0, &cnt);
  if (st == ENT_OK && cnt > 0) {
    tri = malloc((size_t)cnt * 2 * sizeof *tri);
    c->tri = malloc((size_t)cnt * 3 * sizeof *c->tri);
    c->trixy = malloc((size_t)cnt * 2 * sizeof *c->trixy);
    if (!tri || !c->tri || !c->trixy) st = ENT_ENOMEM;
    else st = ent_signed_triangles_at(g, m->focal, tri, cnt, &cnt);
    if (st == ENT_OK) {
      for (i = 0; i < (int32_t)cnt; i++) {
        int32_t x = tri[2 * i], y = tri[2 * i + 1];
        c->tri[3 * i] = dyad_find(m, m->focal, x);
        c->tri[3 * i + 1] = dyad_find(m, m->focal, y);
        c->tri[3 * i + 2] = dyad_find(m, x, y);
        c->trixy[2 * i] = x; c->trixy[2 * i + 1] = y;
      }
      c->ntri = (int32_t)cnt;
    }
  }
  free(tri);
  ent_signed_free(g);
  return st;
}

static int check_param(const ent_opt *e, int32_t p, int allow_none) {
  return (allow_none && p < 0) || (p >= 0 && p < e->K);
}

ent_status ent_opt_new(const ent_opt_spec *spec, ent_optmodel **models, int32_t nmodels,
                       ent_opt **out, char *err, size_t errlen) {
  ent_opt *e;
  int32_t i, t, np = 0, kmax;
  int c;
  ent_status st;
  *out = NULL;
  if (!spec || nmodels < 1 || !models) { seterr(err, errlen, "need at least one option model"); return ENT_EINVAL; }
  if (spec->nparams < 0 || (spec->nparams > 0 && !spec->params)) { seterr(err, errlen, "bad parameter list"); return ENT_EINVAL; }
  kmax = spec->kmax == 0 ? DEFAULT_KMAX : spec->kmax;
  if (kmax < 1 || kmax > ENT_OPT_KMAX_LIMIT) {
    seterr(err, errlen, "kmax must be in 1..%d (got %ld)", ENT_OPT_KMAX_LIMIT, (long)spec->kmax);
    return ENT_EINVAL;
  }
  for (i = 0; i < spec->nparams; i++) {
    char buf[200];
    if (ent_dist_check(&spec->params[i], buf, sizeof buf) != ENT_OK) {
      seterr(err, errlen, "parameter %ld: %s", (long)i + 1, buf);
      return ENT_EINVAL;
    }
  }
  for (i = 0; i < nmodels; i++) {
    int32_t j;
    if (!models[i]) { seterr(err, errlen, "option model %ld is NULL", (long)i + 1); return ENT_EINVAL; }
    if (models[i]->focal != models[0]->focal) {
      seterr(err, errlen, "option model %ld has another focal actor", (long)i + 1); return ENT_EINVAL;
    }
    /* the evaluator takes ownership: one model twice would be freed twice */
    for (j = 0; j < i; j++)
      if (models[j] == models[i]) {
        seterr(err, errlen, "option model %ld is option model %ld again", (long)i + 1, (long)j + 1);
        return ENT_EINVAL;
      }
  }
  e = calloc(1, sizeof *e);
  if (!e) { seterr(err, errlen, "out of memory"); return ENT_ENOMEM; }
  e->K = spec->nparams;
  e->dist = malloc(((size_t)e->K + 1) * sizeof *e->dist);
  e->central = malloc(((size_t)e->K + 1) * sizeof *e->central);
  e->varies = malloc((size_t)e->K + 1);
  if (!e->dist || !e->central || !e->varies) goto nomem;
  for (i = 0; i < e->K; i++) {
    e->dist[i] = spec->params[i];
    e->central[i] = ent_dist_quantile(&e->dist[i], 0.5);
    e->varies[i] = (unsigned char)dist_varies(&e->dist[i]);
  }
  for (c = 0; c < ENT_OPT_NCRIT; c++) {
    e->wparam[c] = spec->weight_param[c];
    if (!check_param(e, e->wparam[c], 1)) { seterr(err, errlen, "weight parameter of criterion %d out of range", c + 1); goto inval; }
  }
  e->sigma_param = spec->sigma_param;
  if (!check_param(e, e->sigma_param, 1)) { seterr(err, errlen, "sanction spill-over parameter out of range"); goto inval; }
  for (c = 0; c < 3; c++) {
    e->norm_param[c] = spec->norm_param[c];
    if (!check_param(e, e->norm_param[c], 1)) { seterr(err, errlen, "norm weight parameter out of range"); goto inval; }
  }
  /* triggers */
  e->ntrig = spec->ntriggers;
  if (e->ntrig < 0 || (e->ntrig > 0 && !spec->triggers)) { seterr(err, errlen, "bad trigger list"); goto inval; }
  e->qparam = malloc(((size_t)e->ntrig + 1) * sizeof *e->qparam);
  e->toff = malloc(((size_t)e->ntrig + 2) * sizeof *e->toff);
  if (!e->qparam || !e->toff) goto nomem;
  for (t = 0; t < e->ntrig; t++) {
    if (spec->triggers[t].npairs < 1 || !spec->triggers[t].attackers || !spec->triggers[t].defenders) {
      seterr(err, errlen, "trigger %ld needs at least one attacker/defender pair", (long)t + 1); goto inval;
    }
    if (!check_param(e, spec->triggers[t].q_param, 0)) {
      seterr(err, errlen, "trigger %ld: probability parameter out of range", (long)t + 1); goto inval;
    }
    np += spec->triggers[t].npairs;
  }
  e->tatt = malloc(((size_t)np + 1) * sizeof *e->tatt);
  e->tdef = malloc(((size_t)np + 1) * sizeof *e->tdef);
  if (!e->tatt || !e->tdef) goto nomem;
  np = 0;
  for (t = 0; t < e->ntrig; t++) {
    const ent_opt_trigger *tr = &spec->triggers[t];
    e->qparam[t] = tr->q_param;
    e->toff[t] = np;
    for (i = 0; i < tr->npairs; i++) {
      ent_id a = tr->attackers[i], d = tr->defenders[i];
      int32_t k;
      for (k = 0; k < nmodels; k++) if (a < 0 || d < 0 || a >= models[k]->n || d >= models[k]->n) break;
      if (k < nmodels || a == d) {
        seterr(err, errlen, "trigger %ld, pair %ld: bad actors %ld, %ld", (long)t + 1, (long)i + 1, (long)a, (long)d);
        goto inval;
      }
      e->tatt[np] = a; e->tdef[np] = d; np++;
    }
  }
  e->toff[e->ntrig] = np;
  /* models: parameter indices */
  for (i = 0; i < nmodels; i++) {
    const ent_optmodel *m = models[i];
    int32_t k;
    if (!check_param(e, m->rel_param, 1)) { seterr(err, errlen, "option %ld: reliability parameter out of range", (long)i + 1); goto inval; }
    for (c = 0; c < 4; c++) if (!check_param(e, m->level_param[c], 1)) {
      seterr(err, errlen, "option %ld: obligation weight parameter out of range", (long)i + 1); goto inval;
    }
    for (k = 0; k < m->npairs; k++) if (!check_param(e, m->pairs[k].param, 0)) {
      seterr(err, errlen, "option %ld: reliability parameter of pair %ld out of range", (long)i + 1, (long)k + 1); goto inval;
    }
    for (k = 0; k < m->nt; k++) {
      int f;
      for (f = 0; f < 3; f++) if (!check_param(e, m->terms[k].f[f].param, 1)) {
        seterr(err, errlen, "option %ld: term %ld uses parameter %ld, out of range", (long)i + 1, (long)k + 1,
               (long)m->terms[k].f[f].param + 1);
        goto inval;
      }
    }
  }
  e->nm = nmodels;
  e->cm = calloc((size_t)nmodels, sizeof *e->cm);
  if (!e->cm) goto nomem;
  for (i = 0; i < nmodels; i++) {
    cmodel *cm = &e->cm[i];
    cm->m = models[i];
    if (!build_edges(e, cm) || !build_focal(cm)) goto nomem_models;
    st = build_triangles(cm, err, errlen);
    if (st != ENT_OK) goto fail_models;
    cm->polys = calloc((size_t)e->ntrig + 1, sizeof *cm->polys);
    if (!cm->polys) goto nomem_models;
    for (t = 0; t < e->ntrig; t++) {
      st = build_poly(e, cm, t, kmax, err, errlen);
      if (st != ENT_OK) goto fail_models;
      if (cm->polys[t].nvar > e->maxv) e->maxv = cm->polys[t].nvar;
    }
    if (cm->m->m > e->maxm) e->maxm = cm->m->m;
    if (cm->m->D > e->maxD) e->maxD = cm->m->D;
    if (cm->m->n > e->maxn) e->maxn = cm->m->n;
  }
  *out = e;
  return ENT_OK;
nomem_models:
  seterr(err, errlen, "out of memory");
  st = ENT_ENOMEM;
fail_models:
  /* the caller keeps the models on failure */
  for (i = 0; i < nmodels; i++) e->cm[i].m = NULL;
  ent_opt_free(e);
  return st;
nomem:
  seterr(err, errlen, "out of memory");
  ent_opt_free(e);
  return ENT_ENOMEM;
inval:
  ent_opt_free(e);
  return ENT_EINVAL;
}

ent_status ent_opt_poly_info(const ent_opt *e, int32_t i, int32_t t, int32_t *nvar, int32_t *nmono, int32_t *held) {
  if (i < 0 || i >= e->nm || t < 0 || t >= e->ntrig) return ENT_EINVAL;
  *nvar = e->cm[i].polys[t].nvar; *nmono = e->cm[i].polys[t].nmono; *held = e->cm[i].polys[t].held;
  return ENT_OK;
}

ent_status ent_opt_poly_var(const ent_opt *e, int32_t i, int32_t t, int32_t v, ent_opt_var *out) {
  const poly *P;
  const oedge *x;
  if (i < 0 || i >= e->nm || t < 0 || t >= e->ntrig) return ENT_EINVAL;
  P = &e->cm[i].polys[t];
  if (v < 0 || v >= P->nvar) return ENT_EINVAL;
  x = &e->cm[i].edges[P->var[v]];
  out->from = x->from; out->to = x->to; out->cls = x->cls; out->flags = x->flags;
  return ENT_OK;
}

ent_status ent_opt_poly_mono(const ent_opt *e, int32_t i, int32_t t, int32_t j, double *coef,
                             const int32_t **vars, int32_t *len) {
  const poly *P;
  if (i < 0 || i >= e->nm || t < 0 || t >= e->ntrig) return ENT_EINVAL;
  P = &e->cm[i].polys[t];
  if (j < 0 || j >= P->nmono) return ENT_EINVAL;
  *coef = P->coef[j]; *vars = P->mvar + P->moff[j]; *len = P->moff[j + 1] - P->moff[j];
  return ENT_OK;
}

ent_status ent_opt_triangles(const ent_opt *e, int32_t i, int32_t *ntri, const int32_t **xy) {
  if (i < 0 || i >= e->nm) return ENT_EINVAL;
  *ntri = e->cm[i].ntri; *xy = e->cm[i].trixy;
  return ENT_OK;
}

/* ------------------------------------------------------- one evaluation */

/* All criteria of model i at theta into out[NOUT]; x (may be NULL) gets the
** explanation.  w is scratch sized for the largest model. */
static void eval_model(const ent_opt *e, int32_t i, const double *theta, work *w, double *out,
                       ent_opt_explain *x) {
  const cmodel *c = &e->cm[i];
  const ent_optmodel *m = c->m;
  int32_t f = m->focal, k, t;
  double wsum = 0.0, total = 0.0;
  int cr;
  for (cr = 0; cr < ENT_OPT_NOUT; cr++) out[cr] = 0.0;
  apply_terms(m, theta, -1, w->s);
  aggregate(m, theta, w);
  /* security threat */
  if (e->wparam[ENT_CRIT_THREAT] >= 0 || x) {
    double num, own;
    out[ENT_CRIT_THREAT] = threat_of(m, w, f, &num, &own);
    if (x) {
      x->threat_num = num; x->threat_own = own;
      for (k = 0; k < m->n; k++) {
        x->hostile[k] = k == f ? 0.0 : w->H[k];
        x->ally[k] = k == f ? 0.0 : w->allyJ[k];
        x->cap[k] = m->cap[k];
      }
    }
    clear_allyJ(m, w, f);
  }
  /* entrapment risk */
  if (e->wparam[ENT_CRIT_ENTRAP] >= 0 || x) {
    double stay = 1.0;
    for (t = 0; t < e->ntrig; t++) {
      const poly *P = &c->polys[t];
      double pj, q;
      int32_t v;
      for (v = 0; v < P->nvar; v++) {
        const oedge *ed = &c->edges[P->var[v]];
        w->pv[v] = edge_p(m, ed, c->members, w->s, theta);
      }
      pj = poly_eval(P, w->pv);
      q = clamp01(theta[e->qparam[t]]);
      stay *= 1.0 - q * pj;
      if (x) { x->q[t] = q; x->p_join[t] = pj; }
    }
    out[ENT_CRIT_ENTRAP] = clamp01(1.0 - stay);
  }
  /* economic exposure */
  if (e->wparam[ENT_CRIT_ECON] >= 0 || x) {
    double sigma = e->sigma_param >= 0 ? clamp01(theta[e->sigma_param]) : 0.0;
    double T1 = 0.0, num = 0.0, den;
    for (k = 0; k < c->nfd; k++) {
      int32_t d = c->fd[k], o = c->fo[k];
      double tr = w->trd[d], risk = w->sdir[d];
      if (sigma * w->sthird[o] > risk) risk = sigma * w->sthird[o];
      T1 += tr;
      num += tr * risk;
      if (x) { x->trade0[o] = c->t0[k]; x->trade[o] = tr; x->risk[o] = risk; }
    }
    den = c->T0 > 0.0 ? c->T0 : T1;
    num += c->T0 - T1;            /* net trade lost (a gain offsets) */
    out[ENT_CRIT_ECON] = den > 0.0 ? clamp01(num / den) : 0.0;
    if (x) { x->trade_total0 = c->T0; x->trade_total = T1; }
  }
  /* reputation */
  if (e->wparam[ENT_CRIT_REPUT] >= 0 || x) {
    double wa = e->norm_param[0] >= 0 ? clamp01(theta[e->norm_param[0]]) : 1.0;
    double wp = e->norm_param[1] >= 0 ? clamp01(theta[e->norm_param[1]]) : 1.0;
    double ws = e->norm_param[2] >= 0 ? clamp01(theta[e->norm_param[2]]) : 1.0;
    double num = 0.0, den = 0.0;
    for (k = 0; k < c->nfd; k++) {
      int32_t d = c->fd[k], o = c->fo[k];
      double co = w->coop[d], v;
      v = 1.0 - (1.0 - wa * w->aggr[o]) * (1.0 - wp * m->prolif[o]) * (1.0 - ws * w->sany[o]);
      num += co * v; den += co;
      if (x) { x->coop[o] = co; x->viol[o] = v; }
    }
    out[ENT_CRIT_REPUT] = den > 0.0 ? clamp01(num / den) : 0.0;
  }
  /* partner trust */
  if (e->wparam[ENT_CRIT_TRUST] >= 0 || x) {
    double lost = 0.0, den = 0.0;
    for (k = 0; k < c->nfd; k++) {
      double n0 = c->n0[k], n1 = w->ntr[c->fd[k]], l;
      if (!(n0 > 0.0)) continue;
      l = n0 - n1;
      if (l < 0.0) l = 0.0;
      if (l > n0) l = n0;
      lost += l; den += n0;
      if (x) { x->tie0[c->fo[k]] = n0; x->tie[c->fo[k]] = n1; x->lost[c->fo[k]] = l; }
    }
    out[ENT_CRIT_TRUST] = den > 0.0 ? clamp01(lost / den) : 0.0;
  }
  /* structural tension */
  if (e->wparam[ENT_CRIT_TENSION] >= 0 || x) {
    double unb = 0.0, tot = 0.0;
    for (k = 0; k < c->ntri; k++) {
      double a = w->sig[c->tri[3 * k]], b = w->sig[c->tri[3 * k + 1]], d = w->sig[c->tri[3 * k + 2]], g;
      int sg;
      if (fabs(a) <= 1e-12 || fabs(b) <= 1e-12 || fabs(d) <= 1e-12) {
        if (x) { x->tri_sign[k] = 0; x->tri_w[k] = 0.0; }
        continue;
      }
      sg = ((a < 0) + (b < 0) + (d < 0)) % 2 ? -1 : 1;
      g = cbrt((fabs(a) < 1 ? fabs(a) : 1.0) * (fabs(b) < 1 ? fabs(b) : 1.0) * (fabs(d) < 1 ? fabs(d) : 1.0));
      tot += g;
      if (sg < 0) unb += g;
      if (x) { x->tri_sign[k] = (int8_t)sg; x->tri_w[k] = g; }
    }
    out[ENT_CRIT_TENSION] = tot > 0.0 ? unb / tot : 0.0;
  }
  for (cr = 0; cr < ENT_OPT_NCRIT; cr++) {
    double wt;
    if (e->wparam[cr] < 0) continue;
    wt = theta[e->wparam[cr]];
    if (!(wt > 0.0)) wt = 0.0;
    wsum += wt;
    total += wt * out[cr];
    if (x) x->weight[cr] = wt;
  }
  out[ENT_OPT_OVERALL] = wsum > 0.0 ? total / wsum : 0.0;
  if (x) {
    for (cr = 0; cr < ENT_OPT_NCRIT; cr++) x->weight[cr] = wsum > 0.0 ? x->weight[cr] / wsum : 0.0;
    for (cr = 0; cr < ENT_OPT_NOUT; cr++) x->out[cr] = out[cr];
  }
}

static int e_work(const ent_opt *e, work *w) { return work_init(w, e->maxm, e->maxD, e->maxn, e->maxv); }

ent_status ent_opt_point(const ent_opt *e, const double *theta, double *out) {
  work w;
  int32_t i;
  if (!e_work(e, &w)) return ENT_ENOMEM;
  for (i = 0; i < e->nm; i++) eval_model(e, i, theta, &w, out + (size_t)i * ENT_OPT_NOUT, NULL);
  work_free(&w);
  return ENT_OK;
}

void ent_opt_explain_free(ent_opt_explain *x) {
  if (!x) return;
  free(x->hostile); free(x->ally); free(x->cap); free(x->q); free(x->p_join);
  free(x->trade0); free(x->trade); free(x->risk); free(x->coop); free(x->viol);
  free(x->tie0); free(x->tie); free(x->lost);
  free(x->tri_x); free(x->tri_y); free(x->tri_sign); free(x->tri_w);
  free(x);
}

ent_status ent_opt_explain_new(const ent_opt *e, int32_t i, const double *theta, ent_opt_explain **out) {
  ent_opt_explain *x;
  work w;
  size_t n, nt, nr;
  int32_t k;
  *out = NULL;
  if (i < 0 || i >= e->nm) return ENT_EINVAL;
  n = (size_t)e->cm[i].m->n + 1; nt = (size_t)e->ntrig + 1; nr = (size_t)e->cm[i].ntri + 1;
  x = calloc(1, sizeof *x);
  if (!x) return ENT_ENOMEM;
  x->n = e->cm[i].m->n; x->ntrig = e->ntrig; x->ntri = e->cm[i].ntri;
  x->hostile = calloc(n, sizeof(double)); x->ally = calloc(n, sizeof(double)); x->cap = calloc(n, sizeof(double));
  x->q = calloc(nt, sizeof(double)); x->p_join = calloc(nt, sizeof(double));
  x->trade0 = calloc(n, sizeof(double)); x->trade = calloc(n, sizeof(double)); x->risk = calloc(n, sizeof(double));
  x->coop = calloc(n, sizeof(double)); x->viol = calloc(n, sizeof(double));
  x->tie0 = calloc(n, sizeof(double)); x->tie = calloc(n, sizeof(double)); x->lost = calloc(n, sizeof(double));
  x->tri_x = calloc(nr, sizeof(int32_t)); x->tri_y = calloc(nr, sizeof(int32_t));
  x->tri_sign = calloc(nr, 1); x->tri_w = calloc(nr, sizeof(double));
  if (!x->hostile || !x->ally || !x->cap || !x->q || !x->p_join || !x->trade0 || !x->trade || !x->risk ||
      !x->coop || !x->viol || !x->tie0 || !x->tie || !x->lost || !x->tri_x || !x->tri_y || !x->tri_sign ||
      !x->tri_w || !e_work(e, &w)) {
    ent_opt_explain_free(x);
    return ENT_ENOMEM;
  }
  for (k = 0; k < x->ntri; k++) { x->tri_x[k] = e->cm[i].trixy[2 * k]; x->tri_y[k] = e->cm[i].trixy[2 * k + 1]; }
  eval_model(e, i, theta, &w, x->out, x);
  work_free(&w);
  *out = x;
  return ENT_OK;
}

ent_status ent_opt_chains(const ent_opt *e, int32_t i, int32_t t, const double *theta,
                          ent_opt_chain *chains, int32_t cap, int32_t *count, double *p_join) {
  const cmodel *c;
  double *s = NULL, *p = NULL;
  unsigned char *use = NULL;
  ent_cascade_edge *buf = NULL;
  int32_t *map = NULL, k, me = 0, nc = 0, r;
  ent_cascade *cs = NULL;
  ent_cascade_run_opts ro;
  ent_cascade_actor_result ar;
  ent_status st;
  char err[ENT_CASCADE_ERRLEN];
  *count = 0; *p_join = 0.0;
  if (i < 0 || i >= e->nm || t < 0 || t >= e->ntrig || cap < 0) return ENT_EINVAL;
  c = &e->cm[i];
  s = malloc(((size_t)c->m->m + 1) * sizeof *s);
  p = malloc(((size_t)c->ne + 1) * sizeof *p);
  use = malloc((size_t)c->ne + 1);
  buf = malloc(((size_t)c->ne + 1) * sizeof *buf);
  map = malloc(((size_t)c->ne + 1) * sizeof *map);
  if (!s || !p || !use || !buf || !map) { st = ENT_ENOMEM; goto done; }
  apply_terms(c->m, theta, -1, s);
  for (k = 0; k < c->ne; k++) {
    p[k] = edge_p(c->m, &c->edges[k], c->members, s, theta);
    if (!(p[k] > 0.0)) continue;
    buf[me].from = c->edges[k].from; buf[me].to = c->edges[k].to; buf[me].p = p[k];
    buf[me].flags = cascade_flags(c->edges[k].flags); buf[me].relation = k; buf[me].kind = -1;
    me++;
  }
  (void)use; (void)map;
  st = ent_cascade_new_edges(c->m->n, buf, me, NULL, e->tatt + e->toff[t], e->tdef + e->toff[t],
                             e->toff[t + 1] - e->toff[t], &cs, err, sizeof err);
  if (st != ENT_OK) goto done;
  ent_cascade_run_opts_init(&ro);
  ro.seed = 20240619; ro.threads = 1; ro.chain_cap = 1 << 16;
  st = ent_cascade_run(cs, &ro);
  if (st != ENT_OK) goto done;
  st = ent_cascade_actor(cs, c->m->focal, &ar);
  if (st != ENT_OK) goto done;
  *p_join = ar.p_join;
  for (r = 0; r < ent_cascade_chain_count(cs) && nc < cap; r++) {
    ent_cascade_chain_info ci;
    int32_t ed[ENT_OPT_CHAIN_MAX], L, q;
    if (ent_cascade_chain(cs, r, &ci) != ENT_OK || ci.actor != c->m->focal) continue;
    if (ci.length > ENT_OPT_CHAIN_MAX) continue;
    L = ci.length;
    ent_cascade_chain_edges(cs, r, ed, ENT_OPT_CHAIN_MAX);
    chains[nc].p = ci.p; chains[nc].len = L;
    chains[nc].actors[0] = ci.root;
    for (q = 0; q < L; q++) {
      ent_cascade_edge ce;
      ent_cascade_edge_get(cs, ed[q], &ce);
      chains[nc].actors[q + 1] = ce.from;
    }
    nc++;
  }
  *count = nc;
done:
  ent_cascade_free(cs);
  free(s); free(p); free(use); free(buf); free(map);
  return st;
}

/* ------------------------------------------------------------ Monte Carlo */

void ent_opt_run_opts_init(ent_opt_run_opts *o) {
  memset(o, 0, sizeof *o);
  o->runs = 10000;
  o->seed = 1;
  o->bins = DEFAULT_BINS;
}

typedef struct worker {
  ent_opt *e;
  int tid, nth;
  int64_t runs, nblocks;
  uint64_t seed;
  int32_t bins;
  work w;
  double *theta, *row;
  double *blocks;          /* shared: per block accumulators */
  double *vmin, *vmax;     /* own */
  int64_t *hist, *pairs;   /* own */
  double *draws;           /* shared, or NULL */
} worker;

/* Per block: mean and M2 (nm*NOUT each), pbest and regret sums (nm each). */
static size_t block_len(int32_t nm) { return (size_t)nm * (2 * ENT_OPT_NOUT + 2); }

static void *worker_main(void *arg) {
  worker *wk = arg;
  ent_opt *e = wk->e;
  int32_t nm = e->nm, K = e->K, i, j, k;
  size_t bl = block_len(nm);
  int64_t b, r;
  int32_t crit[ENT_OPT_NCRIT], nc = 0;
  int cr;
  for (cr = 0; cr < ENT_OPT_NCRIT; cr++) if (e->wparam[cr] >= 0) crit[nc++] = cr;
  for (b = wk->tid; b < wk->nblocks; b += wk->nth) {
    int64_t r0 = b * ENT_OPT_BLOCK, r1 = r0 + ENT_OPT_BLOCK;
    double *acc = wk->blocks + (size_t)b * bl;
    double *mean = acc, *m2 = acc + (size_t)nm * ENT_OPT_NOUT;
    double *pb = acc + 2 * (size_t)nm * ENT_OPT_NOUT, *rg = pb + nm;
    ent_rng rng;
    if (r1 > wk->runs) r1 = wk->runs;
    ent_rng_seed(&rng, wk->seed, (uint64_t)b);
    memset(acc, 0, bl * sizeof(double));
    for (r = r0; r < r1; r++) {
      double best = HUGE_VAL, cnt = (double)(r - r0 + 1);
      int nbest = 0;
      for (k = 0; k < K; k++) wk->theta[k] = ent_dist_sample(&e->dist[k], &rng);
      for (i = 0; i < nm; i++) {
        double *row = wk->row + (size_t)i * ENT_OPT_NOUT;
        eval_model(e, i, wk->theta, &wk->w, row, NULL);
        if (row[ENT_OPT_OVERALL] < best) best = row[ENT_OPT_OVERALL];
        for (k = 0; k < ENT_OPT_NOUT; k++) {
          size_t at = (size_t)i * ENT_OPT_NOUT + (size_t)k;
          double v = row[k], d = v - mean[at];
          int64_t bin;
          mean[at] += d / cnt;
          m2[at] += d * (v - mean[at]);
          if (v < wk->vmin[at]) wk->vmin[at] = v;
          if (v > wk->vmax[at]) wk->vmax[at] = v;
          bin = (int64_t)(v * wk->bins);
          if (bin < 0) bin = 0;
          if (bin >= wk->bins) bin = wk->bins - 1;
          wk->hist[at * (size_t)wk->bins + (size_t)bin]++;
        }
      }
      for (i = 0; i < nm; i++) if (wk->row[(size_t)i * ENT_OPT_NOUT + ENT_OPT_OVERALL] <= best + EPS_TIE) nbest++;
      for (i = 0; i < nm; i++) {
        double v = wk->row[(size_t)i * ENT_OPT_NOUT + ENT_OPT_OVERALL];
        if (v <= best + EPS_TIE) pb[i] += 1.0 / nbest;
        rg[i] += v - best;
      }
      for (i = 0; i < nm; i++) {
        const double *ri = wk->row + (size_t)i * ENT_OPT_NOUT;
        for (j = 0; j < nm; j++) {
          const double *rj = wk->row + (size_t)j * ENT_OPT_NOUT;
          int64_t *pc = wk->pairs + ((size_t)i * nm + (size_t)j) * 4;
          int le = 1, lt = 0, c2;
          if (i == j) continue;
          if (ri[ENT_OPT_OVERALL] <= rj[ENT_OPT_OVERALL] + EPS_TIE) pc[0]++;
          if (ri[ENT_OPT_OVERALL] < rj[ENT_OPT_OVERALL] - EPS_TIE) pc[1]++;
          for (c2 = 0; c2 < nc; c2++) {
            double a = ri[crit[c2]], bb = rj[crit[c2]];
            if (a > bb + EPS_TIE) le = 0;
            if (a < bb - EPS_TIE) lt = 1;
          }
          pc[2] += le; pc[3] += lt;
        }
      }
      if (wk->draws) memcpy(wk->draws + (size_t)r * nm * ENT_OPT_NOUT, wk->row, (size_t)nm * ENT_OPT_NOUT * sizeof(double));
    }
  }
  return NULL;
}

static int online_cores(void) {
  long k = sysconf(_SC_NPROCESSORS_ONLN);
  return k < 1 ? 1 : k > ENT_OPT_MAX_THREADS ? ENT_OPT_MAX_THREADS : (int)k;
}

ent_status ent_opt_run(ent_opt *e, const ent_opt_run_opts *o) {
  ent_opt_run_opts d;
  worker *wk = NULL;
  pthread_t *tids = NULL;
  char *started = NULL;
  double *blocks = NULL;
  int nth, t;
  int64_t nblocks, b;
  int32_t nm = e->nm, i, k;
  size_t nv = (size_t)nm * ENT_OPT_NOUT, bl = block_len(nm);
  ent_status st = ENT_OK;
  if (!o) { ent_opt_run_opts_init(&d); o = &d; }
  free_results(e);
  e->err[0] = 0;
  if (o->runs <= 0) { snprintf(e->err, sizeof e->err, "runs must be a positive integer (got %lld)", (long long)o->runs); return ENT_EINVAL; }
  if (o->threads < 0 || o->threads > ENT_OPT_MAX_THREADS) {
    snprintf(e->err, sizeof e->err, "threads must be in 0..%d (got %d)", ENT_OPT_MAX_THREADS, o->threads);
    return ENT_EINVAL;
  }
  if (o->bins < 0 || o->bins > 1000000) { snprintf(e->err, sizeof e->err, "bins must be in 0..1000000 (got %ld)", (long)o->bins); return ENT_EINVAL; }
  if (o->keep && (double)o->runs * (double)nv > 2e8) {
    snprintf(e->err, sizeof e->err, "keeping %lld draws of %ld options needs too much memory", (long long)o->runs, (long)nm);
    return ENT_ELIMIT;
  }
  e->bins = o->bins ? o->bins : DEFAULT_BINS;
  nblocks = (o->runs + ENT_OPT_BLOCK - 1) / ENT_OPT_BLOCK;
  nth = o->threads > 0 ? o->threads : online_cores();
  if ((int64_t)nth > nblocks) nth = (int)nblocks;
  wk = calloc((size_t)nth, sizeof *wk);
  tids = calloc((size_t)nth, sizeof *tids);
  started = calloc((size_t)nth, 1);
  blocks = malloc((size_t)nblocks * bl * sizeof *blocks);
  e->mean = calloc(nv, sizeof *e->mean); e->m2 = calloc(nv, sizeof *e->m2);
  e->vmin = malloc(nv * sizeof *e->vmin); e->vmax = malloc(nv * sizeof *e->vmax);
  e->hist = calloc(nv * (size_t)e->bins, sizeof *e->hist);
  e->pbest = calloc((size_t)nm, sizeof *e->pbest); e->regret = calloc((size_t)nm, sizeof *e->regret);
  e->pairs = calloc((size_t)nm * nm * 4, sizeof *e->pairs);
  if (o->keep) e->draws = malloc((size_t)o->runs * nv * sizeof *e->draws);
  if (!wk || !tids || !started || !blocks || !e->mean || !e->m2 || !e->vmin || !e->vmax || !e->hist ||
      !e->pbest || !e->regret || !e->pairs || (o->keep && !e->draws)) { st = ENT_ENOMEM; goto done; }
  for (t = 0; t < nth; t++) {
    worker *w = &wk[t];
    size_t q;
    w->e = e; w->tid = t; w->nth = nth; w->runs = o->runs; w->nblocks = nblocks; w->seed = o->seed;
    w->bins = e->bins; w->blocks = blocks; w->draws = e->draws;
    if (!e_work(e, &w->w)) { st = ENT_ENOMEM; goto done; }
    w->theta = malloc(((size_t)e->K + 1) * sizeof *w->theta);
    w->row = malloc(nv * sizeof *w->row);
    w->vmin = malloc(nv * sizeof *w->vmin); w->vmax = malloc(nv * sizeof *w->vmax);
    w->hist = calloc(nv * (size_t)e->bins, sizeof *w->hist);
    w->pairs = calloc((size_t)nm * nm * 4, sizeof *w->pairs);
    if (!w->theta || !w->row || !w->vmin || !w->vmax || !w->hist || !w->pairs) { st = ENT_ENOMEM; goto done; }
    for (q = 0; q < nv; q++) { w->vmin[q] = HUGE_VAL; w->vmax[q] = -HUGE_VAL; }
  }
  for (t = 1; t < nth; t++)
    if (pthread_create(&tids[t], NULL, worker_main, &wk[t]) == 0) started[t] = 1;
  worker_main(&wk[0]);
  for (t = 1; t < nth; t++) {
    if (started[t]) pthread_join(tids[t], NULL);
    else worker_main(&wk[t]);    /* same blocks, same answer */
  }
  /* merge the blocks in block order (Chan et al.'s pairwise update) */
  {
    double cnt = 0.0;
    for (b = 0; b < nblocks; b++) {
      const double *acc = blocks + (size_t)b * bl;
      double nb = (double)((b + 1) * ENT_OPT_BLOCK > o->runs ? o->runs - b * ENT_OPT_BLOCK : ENT_OPT_BLOCK);
      double tot = cnt + nb;
      size_t q;
      for (q = 0; q < nv; q++) {
        double delta = acc[q] - e->mean[q];
        e->mean[q] += delta * (nb / tot);   /* exact for the first block */
        e->m2[q] += acc[nv + q] + delta * delta * cnt * nb / tot;
      }
      for (i = 0; i < nm; i++) {
        e->pbest[i] += acc[2 * nv + (size_t)i];
        e->regret[i] += acc[2 * nv + (size_t)nm + (size_t)i];
      }
      cnt = tot;
    }
  }
  for (k = 0; k < (int32_t)nv; k++) { e->vmin[k] = HUGE_VAL; e->vmax[k] = -HUGE_VAL; }
  for (t = 0; t < nth; t++) {
    size_t q;
    for (q = 0; q < nv; q++) {
      if (wk[t].vmin[q] < e->vmin[q]) e->vmin[q] = wk[t].vmin[q];
      if (wk[t].vmax[q] > e->vmax[q]) e->vmax[q] = wk[t].vmax[q];
    }
    for (q = 0; q < nv * (size_t)e->bins; q++) e->hist[q] += wk[t].hist[q];
    for (q = 0; q < (size_t)nm * nm * 4; q++) e->pairs[q] += wk[t].pairs[q];
  }
  e->runs = o->runs;
  e->threads_used = nth;
  e->have = 1;
done:
  if (st == ENT_ENOMEM) snprintf(e->err, sizeof e->err, "out of memory");
  if (st != ENT_OK) free_results(e);
  if (wk) for (t = 0; t < nth; t++) {
    work_free(&wk[t].w);
    free(wk[t].theta); free(wk[t].row); free(wk[t].vmin); free(wk[t].vmax); free(wk[t].hist); free(wk[t].pairs);
  }
  free(wk); free(tids); free(started); free(blocks);
  return st;
}

int64_t ent_opt_runs(const ent_opt *e) { return e->have ? e->runs : 0; }
int ent_opt_threads_used(const ent_opt *e) { return e->threads_used; }

ent_status ent_opt_stat_get(const ent_opt *e, int32_t i, int k, ent_opt_stat *out) {
  size_t at;
  if (!e->have) return ENT_EINVAL;
  if (i < 0 || i >= e->nm || k < 0 || k >= ENT_OPT_NOUT) return ENT_EINVAL;
  at = (size_t)i * ENT_OPT_NOUT + (size_t)k;
  out->mean = e->mean[at];
  out->sd = e->runs > 1 ? sqrt(e->m2[at] / (double)(e->runs - 1)) : 0.0;
  out->min = e->vmin[at]; out->max = e->vmax[at];
  return ENT_OK;
}

double ent_opt_quantile(const ent_opt *e, int32_t i, int k, double q) {
  size_t at;
  const int64_t *h;
  double target, cum = 0.0, lo, hi, v;
  int32_t b;
  if (!e->have || i < 0 || i >= e->nm || k < 0 || k >= ENT_OPT_NOUT) return NAN;
  at = (size_t)i * ENT_OPT_NOUT + (size_t)k;
  if (q <= 0) return e->vmin[at];
  if (q >= 1) return e->vmax[at];
  h = e->hist + at * (size_t)e->bins;
  target = q * (double)e->runs;
  for (b = 0; b < e->bins; b++) {
    if (cum + (double)h[b] >= target && h[b] > 0) {
      lo = (double)b / e->bins; hi = (double)(b + 1) / e->bins;
      if (lo < e->vmin[at]) lo = e->vmin[at];
      if (hi > e->vmax[at]) hi = e->vmax[at];
      v = lo + (hi - lo) * (target - cum) / (double)h[b];
      return v;
    }
    cum += (double)h[b];
  }
  return e->vmax[at];
}

double ent_opt_pbest(const ent_opt *e, int32_t i) {
  if (!e->have || i < 0 || i >= e->nm) return NAN;
  return e->pbest[i] / (double)e->runs;
}

double ent_opt_regret(const ent_opt *e, int32_t i) {
  if (!e->have || i < 0 || i >= e->nm) return NAN;
  return e->regret[i] / (double)e->runs;
}

ent_status ent_opt_compare(const ent_opt *e, int32_t i, int32_t j, ent_opt_pairstat *out) {
  const int64_t *p;
  if (!e->have || i < 0 || i >= e->nm || j < 0 || j >= e->nm) return ENT_EINVAL;
  p = e->pairs + ((size_t)i * e->nm + (size_t)j) * 4;
  out->le = p[0]; out->lt = p[1]; out->crit_le = p[2]; out->crit_lt = p[3];
  return ENT_OK;
}

const double *ent_opt_draws(const ent_opt *e) { return e->have ? e->draws : NULL; }
