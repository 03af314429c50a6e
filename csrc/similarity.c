/*
** similarity.c - alliance portfolios and foreign-policy similarity
** (Signorino & Ritter S, Cohen's kappa, Scott's pi, Kendall's tau-b).
** See similarity.h for the contract and docs/cow.md for the formulas.
*/
#include "similarity.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int ent_tie_level(unsigned flags, int binary) {
  if (binary) return (flags & ENT_ATOP_ALL) ? 1 : 0;
  if (flags & (ENT_ATOP_DEFENCE | ENT_ATOP_OFFENCE)) return 3;
  if (flags & (ENT_ATOP_NEUTRALITY | ENT_ATOP_CONSULTATION)) return 2;
  if (flags & ENT_ATOP_NONAGGRESSION) return 1;
  return 0;
}

void ent_sim_opts_init(ent_sim_opts *o) {
  o->method = ENT_SIM_S;
  o->distance = ENT_DIST_ABS;
  o->maxlevel = 3;
  o->weights = NULL;
}

/* d(a, b) for the 4 x 4 level pairs, indexed [a << 2 | b]. */
static void dist_table(ent_sim_distance d, double t[16]) {
  int a, b;
  for (a = 0; a < 4; a++)
    for (b = 0; b < 4; b++) {
      int x = a > b ? a - b : b - a;
      t[a << 2 | b] = d == ENT_DIST_SQ ? (double)(x * x) : d == ENT_DIST_NOMINAL ? (x != 0) : x;
    }
}

static int opts_ok(const ent_sim_opts *o) {
  if (o->maxlevel < 1 || o->maxlevel > ENT_SIM_MAXLEVEL) return 0;
  switch (o->method) {
    case ENT_SIM_S:
      return o->distance == ENT_DIST_ABS || o->distance == ENT_DIST_SQ;
    case ENT_SIM_KAPPA:
    case ENT_SIM_PI:
      return o->distance == ENT_DIST_ABS || o->distance == ENT_DIST_SQ ||
             o->distance == ENT_DIST_NOMINAL;
    case ENT_SIM_TAUB:
      return 1;
  }
  return 0;
}

ent_status ent_sim_check(const uint8_t *P, int32_t n, const ent_sim_opts *o, int64_t *bad) {
  int64_t k, nn;
  *bad = -1;
  if (n < 1 || !opts_ok(o)) return ENT_EINVAL;
  if (o->weights && o->method == ENT_SIM_S) {
    double sum = 0;
    for (k = 0; k < n; k++) {
      double w = o->weights[k];
      if (!(w >= 0) || w == HUGE_VAL) { *bad = -2 - k; return ENT_EINVAL; }
      sum += w;
    }
    if (!(sum > 0)) return ENT_EINVAL;
  }
  nn = (int64_t)n * n;
  for (k = 0; k < nn; k++)
    if (P[k] > o->maxlevel) { *bad = k; return ENT_EINVAL; }
  return ENT_OK;
}

/* The 4 x 4 contingency table of the levels of rows x and y. */
static void cont_table(const uint8_t *x, const uint8_t *y, int32_t n, int64_t T[16]) {
  int32_t c[16] = {0};
  int32_t k;
  for (k = 0; k < n; k++) c[x[k] << 2 | y[k]]++;
  for (k = 0; k < 16; k++) T[k] = c[k];
}

/* Kappa, pi or tau-b from the contingency table of n states. */
static double from_table(const int64_t T[16], int64_t n, const ent_sim_opts *o, const double dt[16]) {
  double r[4] = {0, 0, 0, 0}, c[4] = {0, 0, 0, 0};
  int a, b;
  for (a = 0; a < 4; a++)
    for (b = 0; b < 4; b++) {
      r[a] += (double)T[a << 2 | b];
      c[b] += (double)T[a << 2 | b];
    }
  if (o->method == ENT_SIM_TAUB) {
    /* concordant and discordant pairs, ties in x and in y */
    double nc = 0, nd = 0, tx = 0, ty = 0, n0 = (double)n * (double)(n - 1) / 2, den;
    int a2, b2;
    for (a = 0; a < 4; a++)
      for (b = 0; b < 4; b++) {
        double t = (double)T[a << 2 | b];
        if (t == 0) continue;
        for (a2 = a + 1; a2 < 4; a2++)
          for (b2 = 0; b2 < 4; b2++) {
            if (b2 > b) nc += t * (double)T[a2 << 2 | b2];
            else if (b2 < b) nd += t * (double)T[a2 << 2 | b2];
          }
      }
    for (a = 0; a < 4; a++) {
      tx += r[a] * (r[a] - 1) / 2;
      ty += c[a] * (c[a] - 1) / 2;
    }
    den = (n0 - tx) * (n0 - ty);
    if (!(den > 0)) return NAN;
    return (nc - nd) / sqrt(den);
  } else {
    double obs = 0, expd = 0, nn = (double)n;
    for (a = 0; a < 16; a++) obs += (double)T[a] * dt[a];
    if (o->method == ENT_SIM_KAPPA) {
      for (a = 0; a < 4; a++)
        for (b = 0; b < 4; b++) expd += r[a] * c[b] * dt[a << 2 | b];
      /* 1 - (obs/n) / (expd/n^2) */
      if (!(expd > 0)) return NAN;
      return 1 - nn * obs / expd;
    } else { /* Scott's pi: pooled proportions (r + c) / 2n */
      for (a = 0; a < 4; a++)
        for (b = 0; b < 4; b++) expd += (r[a] + c[a]) * (r[b] + c[b]) * dt[a << 2 | b];
      if (!(expd > 0)) return NAN;
      return 1 - 4 * nn * obs / expd;
    }
  }
}

/* Unweighted S: sum of |x - y| or (x - y)^2 in integers.  Blocks of 16
** with a constant trip count so that compilers vectorise the inner loop
** even at -O2 (a loop of unknown length is not, with GCC's cheap model). */
static double s_plain(const uint8_t *x, const uint8_t *y, int32_t n, const ent_sim_opts *o) {
  uint32_t s = 0;
  int32_t k = 0, m;
  double D = (double)o->maxlevel;
  if (o->distance == ENT_DIST_SQ) {
    for (; k + 16 <= n; k += 16) {
      uint32_t b = 0;
      for (m = 0; m < 16; m++) {
        int d = (int)x[k + m] - (int)y[k + m];
        b += (uint32_t)(d * d);
      }
      s += b;
    }
    for (; k < n; k++) {
      int d = (int)x[k] - (int)y[k];
      s += (uint32_t)(d * d);
    }
    D *= D;
  } else {
    for (; k + 16 <= n; k += 16) {
      uint32_t b = 0;
      for (m = 0; m < 16; m++) {
        int d = (int)x[k + m] - (int)y[k + m];
        b += (uint32_t)(d < 0 ? -d : d);
      }
      s += b;
    }
    for (; k < n; k++) {
      int d = (int)x[k] - (int)y[k];
      s += (uint32_t)(d < 0 ? -d : d);
    }
  }
  return 1 - 2 * (double)s / ((double)n * D);
}

static double s_weighted(const uint8_t *x, const uint8_t *y, int32_t n, const ent_sim_opts *o,
                         const double dt[16], double wsum) {
  double s = 0, D = (double)o->maxlevel;
  int32_t k;
  const double *w = o->weights;
  for (k = 0; k < n; k++) s += w[k] * dt[x[k] << 2 | y[k]];
  if (o->distance == ENT_DIST_SQ) D *= D;
  return 1 - 2 * s / (D * wsum);
}

static double wsum_of(const ent_sim_opts *o, int32_t n) {
  double s = 0;
  int32_t k;
  for (k = 0; k < n; k++) s += o->weights[k];
  return s;
}

static double one_dyad(const uint8_t *P, int32_t n, int32_t i, int32_t j, const ent_sim_opts *o,
                       const double dt[16], double wsum) {
  const uint8_t *x = P + (size_t)i * n, *y = P + (size_t)j * n;
  if (o->method == ENT_SIM_S) {
    if (o->weights) return s_weighted(x, y, n, o, dt, wsum);
    return s_plain(x, y, n, o);
  } else {
    int64_t T[16];
    cont_table(x, y, n, T);
    return from_table(T, n, o, dt);
  }
}

ent_status ent_sim_dyad(const uint8_t *P, int32_t n, int32_t i, int32_t j,
                        const ent_sim_opts *o, double *out) {
  double dt[16];
  if (n < 1 || i < 0 || j < 0 || i >= n || j >= n || !opts_ok(o)) return ENT_EINVAL;
  dist_table(o->distance, dt);
  *out = one_dyad(P, n, i, j, o, dt, o->weights && o->method == ENT_SIM_S ? wsum_of(o, n) : 0);
  return ENT_OK;
}

typedef struct sim_job {
  const uint8_t *P;
  int32_t n, row0, row1;
  const ent_sim_opts *o;
  const double *dt;
  double wsum;
  double *out;
} sim_job;

/* Upper triangle of rows [row0, row1): each thread writes its own rows
** only, contiguously (mirroring here would make the threads share cache
** lines); the lower triangle is copied after the join. */
static void *sim_rows(void *arg) {
  sim_job *jb = (sim_job *)arg;
  int32_t n = jb->n, i, j;
  for (i = jb->row0; i < jb->row1; i++) {
    double *row = jb->out + (size_t)i * n;
    for (j = i; j < n; j++) row[j] = one_dyad(jb->P, n, i, j, jb->o, jb->dt, jb->wsum);
  }
  return NULL;
}

#define SIM_MAXTHREADS 16
#define SIM_MIN_PARALLEL 96   /* below this many states one thread is faster */

ent_status ent_sim_all(const uint8_t *P, int32_t n, const ent_sim_opts *o, int nthreads,
                       double *out) {
  double dt[16];
  int64_t bad;
  sim_job jobs[SIM_MAXTHREADS];
  pthread_t th[SIM_MAXTHREADS];
  int t, started = 0;
  ent_status st = ent_sim_check(P, n, o, &bad);
  if (st != ENT_OK) return st;
  dist_table(o->distance, dt);
  if (nthreads <= 0) nthreads = 2;
  if (nthreads > SIM_MAXTHREADS) nthreads = SIM_MAXTHREADS;
  if (n < SIM_MIN_PARALLEL) nthreads = 1;
  {
    /* split rows so that each thread gets about the same number of cells
    ** (row i holds n - i of them) */
    double total = (double)n * (n + 1) / 2, acc = 0;
    int32_t i = 0;
    for (t = 0; t < nthreads; t++) {
      double goal = total * (t + 1) / nthreads;
      jobs[t].P = P;
      jobs[t].n = n;
      jobs[t].o = o;
      jobs[t].dt = dt;
      jobs[t].wsum = o->weights && o->method == ENT_SIM_S ? wsum_of(o, n) : 0;
      jobs[t].out = out;
      jobs[t].row0 = i;
      while (i < n && (acc < goal || t == nthreads - 1)) acc += n - i++;
      jobs[t].row1 = i;
    }
  }
  for (t = 1; t < nthreads; t++) {
    if (pthread_create(&th[t], NULL, sim_rows, &jobs[t]) != 0) break;
    started = t;
  }
  /* rows of threads that could not start are done here, in order */
  sim_rows(&jobs[0]);
  for (t = started + 1; t < nthreads; t++) sim_rows(&jobs[t]);
  for (t = 1; t <= started; t++) pthread_join(th[t], NULL);
  {
    int32_t i, j;
    for (i = 1; i < n; i++)
      for (j = 0; j < i; j++) out[(size_t)i * n + j] = out[(size_t)j * n + i];
  }
  return ENT_OK;
}

/* ------------------------------------------------ ATOP directed dyad-years */

typedef struct atop_row {
  int32_t year;
  int16_t c1, c2;
  uint8_t flags;
} atop_row;

struct ent_atop {
  atop_row *rows;
  size_t n, cap;
  int sorted;
  int32_t *index; /* ccode -> position, -1; scratch for ent_atop_portfolios */
};

ent_status ent_atop_new(ent_atop **out) {
  ent_atop *s = (ent_atop *)calloc(1, sizeof *s);
  int32_t k;
  *out = NULL;
  if (!s) return ENT_ENOMEM;
  s->index = (int32_t *)malloc((ENT_ATOP_MAXCODE + 1) * sizeof(int32_t));
  if (!s->index) {
    free(s);
    return ENT_ENOMEM;
  }
  for (k = 0; k <= ENT_ATOP_MAXCODE; k++) s->index[k] = -1;
  s->sorted = 1;
  *out = s;
  return ENT_OK;
}

void ent_atop_free(ent_atop *s) {
  if (!s) return;
  free(s->rows);
  free(s->index);
  free(s);
}

ent_status ent_atop_add(ent_atop *s, int32_t year, int32_t ccode1, int32_t ccode2,
                        unsigned flags) {
  if (ccode1 < 0 || ccode1 > ENT_ATOP_MAXCODE || ccode2 < 0 || ccode2 > ENT_ATOP_MAXCODE ||
      (flags & ~ENT_ATOP_ALL) != 0)
    return ENT_EINVAL;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 1024;
    atop_row *r = (atop_row *)realloc(s->rows, cap * sizeof *r);
    if (!r) return ENT_ENOMEM;
    s->rows = r;
    s->cap = cap;
  }
  if (s->n && s->rows[s->n - 1].year > year) s->sorted = 0;
  s->rows[s->n].year = year;
  s->rows[s->n].c1 = (int16_t)ccode1;
  s->rows[s->n].c2 = (int16_t)ccode2;
  s->rows[s->n].flags = (uint8_t)flags;
  s->n++;
  return ENT_OK;
}

size_t ent_atop_count(const ent_atop *s) { return s->n; }

static int row_cmp(const void *pa, const void *pb) {
  const atop_row *a = (const atop_row *)pa, *b = (const atop_row *)pb;
  if (a->year != b->year) return a->year < b->year ? -1 : 1;
  if (a->c1 != b->c1) return a->c1 < b->c1 ? -1 : 1;
  if (a->c2 != b->c2) return a->c2 < b->c2 ? -1 : 1;
  return (int)a->flags - (int)b->flags;
}

static size_t lower_year(const ent_atop *s, int32_t year) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->rows[mid].year < year) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

ent_status ent_atop_year(ent_atop *s, int32_t year, size_t *first, size_t *count) {
  size_t a, b;
  if (!s->sorted) {
    qsort(s->rows, s->n, sizeof *s->rows, row_cmp);
    s->sorted = 1;
  }
  a = lower_year(s, year);
  b = year == INT32_MAX ? s->n : lower_year(s, year + 1);
  *first = a;
  *count = b - a;
  return ENT_OK;
}

ent_status ent_atop_row(const ent_atop *s, size_t r, int32_t *year, int32_t *ccode1,
                        int32_t *ccode2, unsigned *flags) {
  if (r >= s->n) return ENT_ENOTFOUND;
  *year = s->rows[r].year;
  *ccode1 = s->rows[r].c1;
  *ccode2 = s->rows[r].c2;
  *flags = s->rows[r].flags;
  return ENT_OK;
}

ent_status ent_atop_flags(ent_atop *s, int32_t year, int32_t ccode1, int32_t ccode2,
                          unsigned *flags) {
  size_t first, count, lo, hi;
  *flags = 0;
  ent_atop_year(s, year, &first, &count);
  lo = first;
  hi = first + count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const atop_row *r = &s->rows[mid];
    if (r->c1 < ccode1 || (r->c1 == ccode1 && r->c2 < ccode2)) lo = mid + 1;
    else hi = mid;
  }
  if (lo < first + count && s->rows[lo].c1 == ccode1 && s->rows[lo].c2 == ccode2) {
    *flags = s->rows[lo].flags;
    return ENT_OK;
  }
  return ENT_ENOTFOUND;
}

ent_status ent_atop_portfolios(ent_atop *s, int32_t year, int32_t n, const int32_t *ccodes,
                               int binary, uint8_t *P) {
  size_t first, count, r;
  int32_t k;
  ent_status st = ENT_OK;
  uint8_t top = binary ? 1 : 3;
  if (n < 0) return ENT_EINVAL;
  for (k = 0; k < n; k++) {
    int32_t c = ccodes[k];
    if (c < 0 || c > ENT_ATOP_MAXCODE || s->index[c] >= 0) {
      st = ENT_EINVAL;
      n = k; /* undo only what was set */
      break;
    }
    s->index[c] = k;
  }
  if (st == ENT_OK) {
    ent_atop_year(s, year, &first, &count);
    memset(P, 0, (size_t)n * n);
    for (k = 0; k < n; k++) P[(size_t)k * n + k] = top;
    for (r = first; r < first + count; r++) {
      const atop_row *row = &s->rows[r];
      int32_t i = s->index[row->c1], j = s->index[row->c2];
      if (i < 0 || j < 0 || i == j) continue;
      P[(size_t)i * n + j] = (uint8_t)ent_tie_level(row->flags, binary);
    }
  }
  for (k = 0; k < n; k++) s->index[ccodes[k]] = -1;
  return st;
}
