/*
** balance.c - signed snapshots and structural balance kernels.
** See balance.h for the API and docs/balance.md for formulas and sources.
*/
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"

struct ent_signed {
  int32_t n, m, npos, nvert;
  int32_t *off;             /* n + 1 */
  int32_t *nbr;             /* 2m, sorted per vertex */
  double *wt;               /* 2m */
  int32_t *eid;             /* 2m */
  int32_t *eu, *ev;         /* m, eu < ev, sorted by (eu, ev) */
  double *ew;               /* m */
  unsigned char *present;   /* n */
};

static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  if (!err || errlen == 0) return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* malloc of k elements of size sz, never 0 bytes, NULL on overflow. */
static void *xalloc(size_t k, size_t sz) {
  if (k == 0) k = 1;
  if (k > (size_t)-1 / sz) return NULL;
  return malloc(k * sz);
}

static void *xcalloc(size_t k, size_t sz) {
  if (k == 0) k = 1;
  return calloc(k, sz);
}

void ent_signed_free(ent_signed *g) {
  if (!g) return;
  free(g->off);
  free(g->nbr);
  free(g->wt);
  free(g->eid);
  free(g->eu);
  free(g->ev);
  free(g->ew);
  free(g->present);
  free(g);
}

/* ---------------------------------------------------------- construction */

ent_status ent_signed_from_edges(int32_t n, int32_t m, const int32_t *from, const int32_t *to,
                                 const double *weight, ent_signed **out, char *err,
                                 size_t errlen) {
  ent_signed *g = NULL;
  int32_t *cnt = NULL, *ia = NULL, *ib = NULL, *pos = NULL;
  int32_t i, k, me;
  ent_status st = ENT_ENOMEM;
  *out = NULL;
  if (n < 0 || n > ENT_SIGNED_MAXM) {
    seterr(err, errlen, "vertex count %ld out of range 0..%ld", (long)n, (long)ENT_SIGNED_MAXM);
    return n < 0 ? ENT_EINVAL : ENT_ELIMIT;
  }
  if (m < 0 || m > ENT_SIGNED_MAXM) {
    seterr(err, errlen, "edge count %ld out of range 0..%ld", (long)m, (long)ENT_SIGNED_MAXM);
    return m < 0 ? ENT_EINVAL : ENT_ELIMIT;
  }
  for (i = 0; i < m; i++) {
    if (from[i] < 0 || from[i] >= n || to[i] < 0 || to[i] >= n) {
      int32_t bad = (from[i] < 0 || from[i] >= n) ? from[i] : to[i];
      seterr(err, errlen, "edge %ld: vertex %ld out of range 0..%ld", (long)i, (long)bad,
             (long)n - 1);
      return ENT_EINVAL;
    }
    if (from[i] == to[i]) {
      seterr(err, errlen, "edge %ld: self-loop on vertex %ld", (long)i, (long)from[i]);
      return ENT_EINVAL;
    }
    if (!isfinite(weight[i])) {
      seterr(err, errlen, "edge %ld: weight %g is not finite", (long)i, weight[i]);
      return ENT_EINVAL;
    }
  }
  g = calloc(1, sizeof *g);
  if (!g) goto fail;
  g->n = n;
  cnt = xcalloc((size_t)n + 1, sizeof *cnt);
  ia = xalloc((size_t)m, sizeof *ia);
  ib = xalloc((size_t)m, sizeof *ib);
  g->present = xalloc((size_t)n, 1);
  if (!cnt || !ia || !ib || !g->present) goto fail;
  memset(g->present, 1, (size_t)n);
  g->nvert = n;
  /* counting sort of edge indices by max endpoint, then stably by min */
  for (i = 0; i < m; i++) cnt[(from[i] > to[i] ? from[i] : to[i]) + 1]++;
  for (k = 0; k < n; k++) cnt[k + 1] += cnt[k];
  for (i = 0; i < m; i++) ia[cnt[from[i] > to[i] ? from[i] : to[i]]++] = i;
  memset(cnt, 0, ((size_t)n + 1) * sizeof *cnt);
  for (i = 0; i < m; i++) cnt[(from[i] < to[i] ? from[i] : to[i]) + 1]++;
  for (k = 0; k < n; k++) cnt[k + 1] += cnt[k];
  for (i = 0; i < m; i++) {
    int32_t e = ia[i];
    ib[cnt[from[e] < to[e] ? from[e] : to[e]]++] = e;
  }
  /* merge repeated pairs */
  g->eu = xalloc((size_t)m, sizeof *g->eu);
  g->ev = xalloc((size_t)m, sizeof *g->ev);
  g->ew = xalloc((size_t)m, sizeof *g->ew);
  if (!g->eu || !g->ev || !g->ew) goto fail;
  me = 0;
  for (i = 0; i < m;) {
    int32_t e = ib[i];
    int32_t u = from[e] < to[e] ? from[e] : to[e], v = from[e] < to[e] ? to[e] : from[e];
    double s = 0, sa = 0;
    while (i < m) {
      int32_t f = ib[i];
      int32_t u2 = from[f] < to[f] ? from[f] : to[f], v2 = from[f] < to[f] ? to[f] : from[f];
      if (u2 != u || v2 != v) break;
      s += weight[f];
      sa += fabs(weight[f]);
      i++;
    }
    if (s == 0 || fabs(s) <= 1e-12 * sa) continue;
    g->eu[me] = u;
    g->ev[me] = v;
    g->ew[me] = s;
    if (s > 0) g->npos++;
    me++;
  }
  g->m = me;
  /* CSR: rows come out sorted (see header) */
  g->off = xcalloc((size_t)n + 1, sizeof *g->off);
  g->nbr = xalloc((size_t)me * 2, sizeof *g->nbr);
  g->wt = xalloc((size_t)me * 2, sizeof *g->wt);
  g->eid = xalloc((size_t)me * 2, sizeof *g->eid);
  pos = cnt; /* reuse */
  if (!g->off || !g->nbr || !g->wt || !g->eid) goto fail;
  for (i = 0; i < me; i++) {
    g->off[g->eu[i] + 1]++;
    g->off[g->ev[i] + 1]++;
  }
  for (k = 0; k < n; k++) g->off[k + 1] += g->off[k];
  memcpy(pos, g->off, (size_t)n * sizeof *pos);
  for (i = 0; i < me; i++) {
    int32_t u = g->eu[i], v = g->ev[i], p;
    p = pos[u]++;
    g->nbr[p] = v, g->wt[p] = g->ew[i], g->eid[p] = i;
    p = pos[v]++;
    g->nbr[p] = u, g->wt[p] = g->ew[i], g->eid[p] = i;
  }
  free(cnt);
  free(ia);
  free(ib);
  *out = g;
  return ENT_OK;
fail:
  seterr(err, errlen, "out of memory building a signed graph of %ld edges", (long)m);
  free(cnt);
  free(ia);
  free(ib);
  ent_signed_free(g);
  return st;
}

double ent_signed_default_weight(const ent_world *w, int kind) {
  ent_kind_info k;
  if (ent_kind_get(w, kind, &k) == ENT_OK && k.name && strcmp(k.name, "trade") == 0) return 0.5;
  return 1.0;
}

ent_status ent_signed_from_world(const ent_world *w, ent_date d, const double *kind_weight,
                                 int nkw, ent_signed **out, char *err, size_t errlen) {
  int nk = ent_kind_count(w), k;
  double *kw = NULL;
  int32_t nrel = 0, i, me = 0, n = ent_actor_capacity(w);
  ent_id *ids = NULL;
  int32_t *from = NULL, *to = NULL;
  double *wt = NULL;
  ent_query q;
  ent_status st;
  *out = NULL;
  kw = xalloc((size_t)nk, sizeof *kw);
  if (!kw) goto nomem;
  for (k = 0; k < nk; k++) {
    double x = (kind_weight && k < nkw) ? kind_weight[k] : ent_signed_default_weight(w, k);
    if (!isfinite(x) || x < 0) {
      ent_kind_info ki;
      const char *name = ent_kind_get(w, k, &ki) == ENT_OK ? ki.name : "?";
      seterr(err, errlen, "weight %g for kind '%s' must be finite and >= 0", x, name);
      free(kw);
      return ENT_EINVAL;
    }
    kw[k] = x;
  }
  ent_query_init(&q);
  q.date = d;
  ent_relations(w, &q, NULL, 0, &nrel);
  ids = xalloc((size_t)nrel, sizeof *ids);
  from = xalloc((size_t)nrel, sizeof *from);
  to = xalloc((size_t)nrel, sizeof *to);
  wt = xalloc((size_t)nrel, sizeof *wt);
  if (!ids || !from || !to || !wt) goto nomem;
  ent_relations(w, &q, ids, nrel, &nrel);
  for (i = 0; i < nrel; i++) {
    ent_relation_info r;
    ent_kind_info ki;
    double x;
    if (ent_relation_get(w, ids[i], &r) != ENT_OK) continue;
    if (r.kind < 0 || r.kind >= nk || ent_kind_get(w, r.kind, &ki) != ENT_OK) continue;
    if (r.a == r.b || r.a < 0 || r.b < 0 || r.a >= n || r.b >= n) continue;
    x = (double)ki.sign * r.strength * kw[r.kind];
    if (x == 0 || !isfinite(x)) continue;
    from[me] = r.a, to[me] = r.b, wt[me] = x;
    me++;
  }
  st = ent_signed_from_edges(n, me, from, to, wt, out, err, errlen);
  if (st == ENT_OK) {
    ent_signed *g = *out;
    g->nvert = 0;
    for (i = 0; i < n; i++) {
      g->present[i] = (unsigned char)(ent_actor_alive(w, i) ? 1 : 0);
      g->nvert += g->present[i];
    }
  }
  free(kw), free(ids), free(from), free(to), free(wt);
  return st;
nomem:
  seterr(err, errlen, "out of memory reading the relations of a world");
  free(kw), free(ids), free(from), free(to), free(wt);
  return ENT_ENOMEM;
}

/* ---------------------------------------------------------------- access */

int32_t ent_signed_n(const ent_signed *g) { return g->n; }
int32_t ent_signed_m(const ent_signed *g) { return g->m; }
int32_t ent_signed_npositive(const ent_signed *g) { return g->npos; }
int32_t ent_signed_nvertices(const ent_signed *g) { return g->nvert; }

int ent_signed_present(const ent_signed *g, ent_id v) {
  return v >= 0 && v < g->n && g->present[v];
}

int32_t ent_signed_degree(const ent_signed *g, ent_id v) {
  if (v < 0 || v >= g->n) return 0;
  return g->off[v + 1] - g->off[v];
}

void ent_signed_edge(const ent_signed *g, int32_t e, ent_id *u, ent_id *v, double *w) {
  if (e < 0 || e >= g->m) {
    *u = *v = ENT_NONE;
    *w = 0;
    return;
  }
  *u = g->eu[e], *v = g->ev[e], *w = g->ew[e];
}

static int32_t find_slot(const ent_signed *g, ent_id u, ent_id v) {
  int32_t lo, hi;
  if (u < 0 || v < 0 || u >= g->n || v >= g->n) return -1;
  if (g->off[u + 1] - g->off[u] > g->off[v + 1] - g->off[v]) {
    ent_id t = u;
    u = v, v = t;
  }
  lo = g->off[u], hi = g->off[u + 1];
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (g->nbr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return (lo < g->off[u + 1] && g->nbr[lo] == v) ? lo : -1;
}

double ent_signed_weight(const ent_signed *g, ent_id u, ent_id v) {
  int32_t s = find_slot(g, u, v);
  return s < 0 ? 0.0 : g->wt[s];
}

int32_t ent_signed_edge_id(const ent_signed *g, ent_id u, ent_id v) {
  int32_t s = find_slot(g, u, v);
  return s < 0 ? -1 : g->eid[s];
}

void ent_signed_csr(const ent_signed *g, const int32_t **off, const int32_t **nbr,
                    const double **wt, const int32_t **eid) {
  if (off) *off = g->off;
  if (nbr) *nbr = g->nbr;
  if (wt) *wt = g->wt;
  if (eid) *eid = g->eid;
}

/* ---------------------------------------------------------------- census */

/* Degree ordering for the compact-forward algorithm.  Vertices are
** relabelled by increasing (degree, id); fadj holds, for each new label r,
** the higher-labelled neighbours packed as (label << 1 | negative), and
** feid (optional) their edge ids.  Every edge appears once. */
typedef struct fwd {
  int32_t *order;   /* new label -> vertex */
  int32_t *rank;    /* vertex -> new label */
  int32_t *foff;    /* n + 1 */
  int32_t *fadj;    /* m */
  int32_t *feid;    /* m or NULL */
} fwd;

static void fwd_free(fwd *f) {
  free(f->order), free(f->rank), free(f->foff), free(f->fadj), free(f->feid);
}

static ent_status fwd_build(const ent_signed *g, fwd *f, int want_eid) {
  int32_t n = g->n, v, r, maxd = 0, *cnt;
  memset(f, 0, sizeof *f);
  for (v = 0; v < n; v++) {
    int32_t d = g->off[v + 1] - g->off[v];
    if (d > maxd) maxd = d;
  }
  cnt = xcalloc((size_t)maxd + 2, sizeof *cnt);
  f->order = xalloc((size_t)n, sizeof *f->order);
  f->rank = xalloc((size_t)n, sizeof *f->rank);
  f->foff = xcalloc((size_t)n + 1, sizeof *f->foff);
  f->fadj = xalloc((size_t)g->m, sizeof *f->fadj);
  if (want_eid) f->feid = xalloc((size_t)g->m, sizeof *f->feid);
  if (!cnt || !f->order || !f->rank || !f->foff || !f->fadj || (want_eid && !f->feid)) {
    free(cnt);
    fwd_free(f);
    return ENT_ENOMEM;
  }
  for (v = 0; v < n; v++) cnt[g->off[v + 1] - g->off[v] + 1]++;
  for (r = 0; r <= maxd; r++) cnt[r + 1] += cnt[r];
  for (v = 0; v < n; v++) {
    int32_t p = cnt[g->off[v + 1] - g->off[v]]++;
    f->order[p] = v;
    f->rank[v] = p;
  }
  free(cnt);
  for (r = 0; r < n; r++) {
    int32_t u = f->order[r], k, c = 0;
    for (k = g->off[u]; k < g->off[u + 1]; k++)
      if (f->rank[g->nbr[k]] > r) c++;
    f->foff[r + 1] = f->foff[r] + c;
  }
  for (r = 0; r < n; r++) {
    int32_t u = f->order[r], k, p = f->foff[r];
    for (k = g->off[u]; k < g->off[u + 1]; k++) {
      int32_t s = f->rank[g->nbr[k]];
      if (s > r) {
        if (f->feid) f->feid[p] = g->eid[k];
        f->fadj[p++] = (s << 1) | (g->wt[k] < 0 ? 1 : 0);
      }
    }
  }
  return ENT_OK;
}

/* The kernel shared by both censuses; vc == NULL for the global one. */
static ent_status census(const ent_signed *g, int64_t counts[4], int64_t *vc) {
  fwd f;
  unsigned char *mark;
  int64_t c[6] = {0, 0, 0, 0, 0, 0};
  int32_t r, n = g->n;
  ent_status st = fwd_build(g, &f, 0);
  if (st != ENT_OK) return st;
  mark = xcalloc((size_t)n, 1);
  if (!mark) {
    fwd_free(&f);
    return ENT_ENOMEM;
  }
  for (r = 0; r < n; r++) {
    const int32_t *fa = f.fadj;
    int32_t s = f.foff[r], e = f.foff[r + 1], k;
    if (e - s < 2) continue;
    for (k = s; k < e; k++) mark[fa[k] >> 1] = (unsigned char)(1 + (fa[k] & 1));
    for (k = s; k < e; k++) {
      int32_t x = fa[k], v = x >> 1, nuv = x & 1, j, je = f.foff[v + 1];
      if (!vc) {
        for (j = f.foff[v]; j < je; j++) {
          int32_t y = fa[j];
          int mk = mark[y >> 1];
          if (mk) c[nuv + (y & 1) + mk]++;
        }
      } else {
        for (j = f.foff[v]; j < je; j++) {
          int32_t y = fa[j];
          int mk = mark[y >> 1];
          if (mk) {
            int t = nuv + (y & 1) + mk - 1;
            c[t + 1]++;
            vc[4 * (int64_t)f.order[r] + t]++;
            vc[4 * (int64_t)f.order[v] + t]++;
            vc[4 * (int64_t)f.order[y >> 1] + t]++;
          }
        }
      }
    }
    for (k = s; k < e; k++) mark[fa[k] >> 1] = 0;
  }
  /* c[t + 1] holds the triangles with t negative edges (mk is 1 + sign) */
  counts[0] = c[1], counts[1] = c[2], counts[2] = c[3], counts[3] = c[4];
  free(mark);
  fwd_free(&f);
  return ENT_OK;
}

ent_status ent_signed_census(const ent_signed *g, int64_t counts[4]) {
  return census(g, counts, NULL);
}

ent_status ent_signed_vertex_census(const ent_signed *g, int64_t *counts) {
  int64_t tot[4];
  memset(counts, 0, sizeof *counts * 4 * (size_t)g->n);
  return census(g, tot, counts);
}

ent_status ent_signed_triangles_at(const ent_signed *g, ent_id v, int32_t *out, int64_t cap,
                                   int64_t *count) {
  int64_t cnt = 0;
  int32_t a;
  *count = 0;
  if (v < 0 || v >= g->n) return ENT_EINVAL;
  for (a = g->off[v]; a < g->off[v + 1]; a++) {
    int32_t x = g->nbr[a], i = a + 1, j = g->off[x];
    int32_t ie = g->off[v + 1], je = g->off[x + 1];
    while (i < ie && j < je) {
      if (g->nbr[i] < g->nbr[j]) i++;
      else if (g->nbr[i] > g->nbr[j]) j++;
      else {
        if (cnt < cap) out[2 * cnt] = x, out[2 * cnt + 1] = g->nbr[i];
        cnt++;
        i++, j++;
      }
    }
  }
  *count = cnt;
  return ENT_OK;
}

ent_status ent_signed_common(const ent_signed *g, ent_id u, ent_id v, int32_t *out, int64_t cap,
                             int64_t *count) {
  int64_t cnt = 0;
  int32_t i, j, ie, je;
  *count = 0;
  if (u < 0 || u >= g->n || v < 0 || v >= g->n) return ENT_EINVAL;
  i = g->off[u], ie = g->off[u + 1], j = g->off[v], je = g->off[v + 1];
  while (i < ie && j < je) {
    if (g->nbr[i] < g->nbr[j]) i++;
    else if (g->nbr[i] > g->nbr[j]) j++;
    else {
      if (cnt < cap) out[cnt] = g->nbr[i];
      cnt++;
      i++, j++;
    }
  }
  *count = cnt;
  return ENT_OK;
}

ent_status ent_signed_balance_triangles(const ent_signed *g, double *score) {
  int64_t c[4], tot;
  ent_status st = ent_signed_census(g, c);
  if (st != ENT_OK) return st;
  tot = c[0] + c[1] + c[2] + c[3];
  *score = tot == 0 ? NAN : (double)(c[0] + c[2]) / (double)tot;
  return ENT_OK;
}

/* ----------------------------------------------------------------- eigen */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Householder reduction of the symmetric matrix a (lower triangle, row
** major, k x k) to tridiagonal form: diagonal d[0..k-1], sub-diagonal
** e[0..k-2] (e[i] couples i and i+1).  Eigenvalues only, so the reflectors
** are not accumulated.  Reflector i = I - v v' / h zeroes column i below
** row i+1; the trailing block B becomes B - v q' - q v' with p = B v / h and
** q = p - (v'p / 2h) v.  The update of step i is fused with the product
** B v of step i+1 (its v comes from the first column of the updated block,
** which is updated first), so the matrix is read and written once per step
** instead of read twice and written once. */

/* The reflector of column i (rows i+1..k-1): v (len entries), h and the
** sub-diagonal value.  Returns 0 when the column is already zero. */
static int reflector(int32_t k, const double *a, int32_t i, double *v, double *h, double *sub) {
  int32_t r, len = k - i - 1;
  double scale = 0, norm2 = 0, alpha;
  for (r = i + 1; r < k; r++) scale += fabs(a[(size_t)r * k + i]);
  if (scale == 0) {
    *sub = 0;
    return 0;
  }
  for (r = 0; r < len; r++) {
    v[r] = a[(size_t)(r + i + 1) * k + i] / scale;
    norm2 += v[r] * v[r];
  }
  alpha = v[0] > 0 ? -sqrt(norm2) : sqrt(norm2);
  *sub = alpha * scale;
  *h = norm2 - v[0] * alpha;
  v[0] -= alpha;
  return 1;
}

static void tridiag(int32_t k, double *restrict a, double *restrict d, double *restrict e,
                    double *restrict v, double *restrict p, double *restrict vn,
                    double *restrict pn) {
  int32_t i, r, c;
  double h = 0, hn = 0;
  int have = 0, ok = 0;
  for (i = 0; i + 2 < k; i++) {
    int32_t len = k - i - 1, o = i + 1;
    double kfac = 0;
    d[i] = a[(size_t)i * k + i];
    if (!have) {
      ok = reflector(k, a, i, v, &h, &e[i]);
      if (ok) {
        /* p = B v over the lower triangle of B = a[o.., o..] */
        for (r = 0; r < len; r++) p[r] = 0;
        for (r = 0; r < len; r++) {
          const double *row = a + (size_t)(r + o) * k + o;
          double s = 0, vr = v[r];
          for (c = 0; c < r; c++) {
            s += row[c] * v[c];
            p[c] += row[c] * vr;
          }
          p[r] += s + row[r] * vr;
        }
      }
    }
    have = 0;
    if (!ok) continue;
    for (r = 0; r < len; r++) {
      p[r] /= h;
      kfac += v[r] * p[r];
    }
    kfac /= 2 * h;
    for (r = 0; r < len; r++) p[r] -= kfac * v[r]; /* p is now q */
    /* column 0 of B (column o of a), then the next reflector from it */
    for (r = 0; r < len; r++) a[(size_t)(r + o) * k + o] -= v[r] * p[0] + p[r] * v[0];
    if (i + 3 < k && (ok = reflector(k, a, o, vn, &hn, &e[o])) != 0) {
      /* fused: update rows 1.. of B (columns 1..r) and accumulate
      ** pn = B' vn where B' = B[1.., 1..] after the update */
      int32_t ln = len - 1;
      for (r = 0; r < ln; r++) pn[r] = 0;
      for (r = 1; r < len; r++) {
        double *row = a + (size_t)(r + o) * k + o;
        const double vr = v[r], qr = p[r], vnr = vn[r - 1];
        const double *vq = p + 1, *vv = v + 1, *vx = vn;
        double *rw = row + 1, *px = pn, s = 0, x;
        int32_t cn = r - 1;
        for (c = 0; c < cn; c++) {
          x = rw[c] - (vr * vq[c] + qr * vv[c]);
          rw[c] = x;
          s += x * vx[c];
          px[c] += x * vnr;
        }
        x = rw[cn] - (vr * vq[cn] + qr * vv[cn]);
        rw[cn] = x;
        pn[cn] += s + x * vnr;
      }
      memcpy(v, vn, sizeof *v * (size_t)ln);
      memcpy(p, pn, sizeof *p * (size_t)ln);
      h = hn;
      have = 1;
    } else {
      for (r = 1; r < len; r++) {
        double *row = a + (size_t)(r + o) * k + o;
        const double vr = v[r], qr = p[r];
        for (c = 1; c <= r; c++) row[c] -= vr * p[c] + qr * v[c];
      }
      if (i + 3 < k) have = 0; /* next column is zero: e[o] = 0 already */
      if (i + 3 < k) {
        /* the next step must see ok = 0 and skip */
        d[o] = a[(size_t)o * k + o];
        i++;
      }
    }
  }
  if (k >= 2) {
    d[k - 2] = a[(size_t)(k - 2) * k + (k - 2)];
    e[k - 2] = a[(size_t)(k - 1) * k + (k - 2)];
  }
  if (k >= 1) {
    d[k - 1] = a[(size_t)(k - 1) * k + (k - 1)];
    e[k - 1] = 0;
  }
}

/* Implicit QL with Wilkinson shifts on a symmetric tridiagonal matrix
** (after EISPACK tql1).  d gets the eigenvalues.  Returns 0 on failure. */
static int tridiag_ql(int32_t k, double *d, double *e) {
  int32_t l, m, i;
  for (l = 0; l < k; l++) {
    int iter = 0;
    do {
      for (m = l; m < k - 1; m++) {
        double dd = fabs(d[m]) + fabs(d[m + 1]);
        if (fabs(e[m]) <= DBL_EPSILON * dd) break;
      }
      if (m != l) {
        double g, r, s, c, p, f, b;
        if (iter++ == 60) return 0;
        g = (d[l + 1] - d[l]) / (2.0 * e[l]);
        r = hypot(g, 1.0);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? fabs(r) : -fabs(r)));
        s = c = 1.0;
        p = 0.0;
        for (i = m - 1; i >= l; i--) {
          f = s * e[i];
          b = c * e[i];
          e[i + 1] = (r = hypot(f, g));
          if (r == 0.0) {
            d[i + 1] -= p;
            e[m] = 0.0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2.0 * c * b;
          d[i + 1] = g + (p = s * r);
          g = c * r - b;
        }
        if (r == 0.0 && i >= l) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0.0;
      }
    } while (m != l);
  }
  return 1;
}

ent_status ent_sym_eigenvalues(int32_t k, double *a, double *ev) {
  double *e, *v, *p, *vn, *pn;
  int ok;
  if (k < 0) return ENT_EINVAL;
  if (k == 0) return ENT_OK;
  e = xalloc((size_t)k, sizeof *e);
  v = xalloc((size_t)k, sizeof *v);
  p = xalloc((size_t)k, sizeof *p);
  vn = xalloc((size_t)k, sizeof *vn);
  pn = xalloc((size_t)k, sizeof *pn);
  if (!e || !v || !p || !vn || !pn) {
    free(e), free(v), free(p), free(vn), free(pn);
    return ENT_ENOMEM;
  }
  tridiag(k, a, ev, e, v, p, vn, pn);
  ok = tridiag_ql(k, ev, e);
  free(e), free(v), free(p), free(vn), free(pn);
  if (!ok) return ENT_EINVAL;
  qsort(ev, (size_t)k, sizeof *ev, cmp_double);
  return ENT_OK;
}

/* Connected components of the vertices with edges: comp[v] = component
** number or -1; members listed contiguously in list (component c occupies
** list[start[c] .. start[c+1]-1]).  Returns the number of components. */
static int32_t components(const ent_signed *g, int32_t *comp, int32_t *list, int32_t *start) {
  int32_t n = g->n, v, nc = 0, tail = 0;
  for (v = 0; v < n; v++) comp[v] = -1;
  for (v = 0; v < n; v++) {
    int32_t head;
    if (comp[v] >= 0 || g->off[v + 1] == g->off[v]) continue;
    start[nc] = tail;
    head = tail;
    comp[v] = nc;
    list[tail++] = v;
    while (head < tail) {
      int32_t u = list[head++], k;
      for (k = g->off[u]; k < g->off[u + 1]; k++) {
        int32_t x = g->nbr[k];
        if (comp[x] < 0) {
          comp[x] = nc;
          list[tail++] = x;
        }
      }
    }
    nc++;
  }
  start[nc] = tail;
  return nc;
}

/* A running sum of exp(x) kept as s * exp(shift) so that no term overflows. */
typedef struct expsum { double s, shift; } expsum;

static void expsum_add(expsum *a, double x, double times) {
  if (a->s == 0) {
    a->s = times, a->shift = x;
  } else if (x > a->shift) {
    a->s = a->s * exp(a->shift - x) + times;
    a->shift = x;
  } else {
    a->s += times * exp(x - a->shift);
  }
}

ent_status ent_signed_balance_walk(const ent_signed *g, double *score, int32_t *limit_comp) {
  int32_t n = g->n, nc, c, v, maxc = 0, isolated = 0;
  int32_t *comp = NULL, *list = NULL, *start = NULL, *loc = NULL;
  double *a = NULL, *ev = NULL;
  expsum ss = {0, 0}, su = {0, 0};
  ent_status st = ENT_ENOMEM;
  comp = xalloc((size_t)n, sizeof *comp);
  list = xalloc((size_t)n, sizeof *list);
  start = xalloc((size_t)n + 1, sizeof *start);
  loc = xalloc((size_t)n, sizeof *loc);
  if (!comp || !list || !start || !loc) goto done;
  nc = components(g, comp, list, start);
  for (c = 0; c < nc; c++)
    if (start[c + 1] - start[c] > maxc) maxc = start[c + 1] - start[c];
  if (maxc > ENT_WALK_MAXN) {
    if (limit_comp) *limit_comp = maxc;
    st = ENT_ELIMIT;
    goto done;
  }
  for (v = 0; v < n; v++)
    if (g->present[v] && g->off[v + 1] == g->off[v]) isolated++;
  a = xalloc((size_t)maxc * (size_t)maxc, sizeof *a);
  ev = xalloc((size_t)maxc, sizeof *ev);
  if (!a || !ev) goto done;
  for (c = 0; c < nc; c++) {
    int32_t k = start[c + 1] - start[c], i, pass;
    for (i = 0; i < k; i++) loc[list[start[c] + i]] = i;
    for (pass = 0; pass < 2; pass++) {
      memset(a, 0, sizeof *a * (size_t)k * (size_t)k);
      for (i = 0; i < k; i++) {
        int32_t u = list[start[c] + i], j;
        for (j = g->off[u]; j < g->off[u + 1]; j++) {
          int32_t x = loc[g->nbr[j]];
          if (x < i) a[(size_t)i * k + x] = (pass == 0 && g->wt[j] < 0) ? -1.0 : 1.0;
        }
      }
      st = ent_sym_eigenvalues(k, a, ev);
      if (st != ENT_OK) goto done;
      for (i = 0; i < k; i++) expsum_add(pass == 0 ? &ss : &su, ev[i], 1.0);
    }
  }
  if (isolated) {
    expsum_add(&ss, 0.0, (double)isolated);
    expsum_add(&su, 0.0, (double)isolated);
  }
  *score = su.s == 0 ? NAN : (ss.s / su.s) * exp(ss.shift - su.shift);
  st = ENT_OK;
done:
  free(comp), free(list), free(start), free(loc), free(a), free(ev);
  return st;
}

/* ----------------------------------------------------------- frustration */

void ent_frust_opts_init(ent_frust_opts *o) {
  o->exact = 0;
  o->seed = 1;
  o->starts = 4;
  o->kicks = 0;
  o->node_limit = 200000000;
  o->enum_max = ENT_FRUST_ENUM_MAXN;
}

int64_t ent_signed_frustration_of(const ent_signed *g, const int8_t *side) {
  int64_t L = 0;
  int32_t e;
  for (e = 0; e < g->m; e++) {
    int su = side[g->eu[e]] < 0, sv = side[g->ev[e]] < 0;
    L += (su ^ sv ^ (g->ew[e] < 0)) & 1;
  }
  return L;
}

static int64_t ent_signed_frustration_of_x(const ent_signed *g, const unsigned char *x) {
  int64_t L = 0;
  int32_t e;
  for (e = 0; e < g->m; e++) L += (x[g->eu[e]] ^ x[g->ev[e]] ^ (g->ew[e] < 0)) & 1;
  return L;
}

void ent_signed_frustrated(const ent_signed *g, const int8_t *side, int32_t *out, int64_t cap,
                           int64_t *count) {
  int64_t c = 0;
  int32_t e;
  for (e = 0; e < g->m; e++) {
    int su = side[g->eu[e]] < 0, sv = side[g->ev[e]] < 0;
    if ((su ^ sv ^ (g->ew[e] < 0)) & 1) {
      if (c < cap) out[c] = e;
      c++;
    }
  }
  *count = c;
}

ent_status ent_signed_triangle_packing(const ent_signed *g, int64_t *lower) {
  fwd f;
  int32_t *mark, r, n = g->n;
  unsigned char *used;
  int64_t lb = 0;
  ent_status st = fwd_build(g, &f, 1);
  if (st != ENT_OK) return st;
  mark = xcalloc((size_t)n, sizeof *mark);
  used = xcalloc((size_t)g->m, 1);
  if (!mark || !used) {
    free(mark), free(used), fwd_free(&f);
    return ENT_ENOMEM;
  }
  for (r = 0; r < n; r++) {
    int32_t s = f.foff[r], e = f.foff[r + 1], k;
    if (e - s < 2) continue;
    for (k = s; k < e; k++) mark[f.fadj[k] >> 1] = k + 1;
    for (k = s; k < e; k++) {
      int32_t x = f.fadj[k], v = x >> 1, j;
      if (used[f.feid[k]]) continue;
      for (j = f.foff[v]; j < f.foff[v + 1]; j++) {
        int32_t y = f.fadj[j], kw = mark[y >> 1];
        if (kw && !used[f.feid[j]] && !used[f.feid[kw - 1]] &&
            ((x ^ y ^ f.fadj[kw - 1]) & 1)) {
          used[f.feid[k]] = used[f.feid[j]] = used[f.feid[kw - 1]] = 1;
          lb++;
          break;
        }
      }
    }
    for (k = s; k < e; k++) mark[f.fadj[k] >> 1] = 0;
  }
  *lower = lb;
  free(mark), free(used), fwd_free(&f);
  return ENT_OK;
}

/* splitmix64: small, seedable, good enough for restarts and kicks */
static uint64_t rng_next(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int32_t rng_below(uint64_t *s, int32_t k) {
  return (int32_t)(((rng_next(s) >> 32) * (uint64_t)k) >> 32);
}

/* A weighted signed graph for the multilevel heuristic: adjacency packed as
** (neighbour << 1 | negative) with positive integer weights w in the same
** slots.  The cost of sides x is constant + the weight of the violated
** edges (x[u] ^ x[v] ^ negative == 1). */
typedef struct wgraph {
  int32_t n, m;
  int32_t *off, *adj, *w;
  int64_t constant;
} wgraph;

static void wg_free(wgraph *g) {
  free(g->off), free(g->adj), free(g->w);
  memset(g, 0, sizeof *g);
}

/* Local search state.  d[v] = violated - satisfied weight at v, so flipping
** v changes the cost by -d[v]. */
typedef struct lsearch {
  const wgraph *g;
  unsigned char *x, *base, *inq;
  int32_t *d, *stack, nstack;
  int32_t *log, nlog, logcap;   /* flips of the current kick, for undo */
  int overflow;                 /* the log overflowed: base is the undo */
  int64_t L;
} lsearch;

static void ls_push(lsearch *s, int32_t v) {
  if (!s->inq[v]) {
    s->inq[v] = 1;
    s->stack[s->nstack++] = v;
  }
}

static void ls_flip(lsearch *s, int32_t v) {
  const wgraph *g = s->g;
  int32_t k, xv;
  s->L -= s->d[v];
  s->d[v] = -s->d[v];
  xv = (s->x[v] ^= 1);
  for (k = g->off[v]; k < g->off[v + 1]; k++) {
    int32_t a = g->adj[k], u = a >> 1;
    if ((xv ^ s->x[u] ^ a) & 1) {
      s->d[u] += 2 * g->w[k];
      if (s->d[u] > 0) ls_push(s, u);
    } else {
      s->d[u] -= 2 * g->w[k];
    }
  }
  if (s->nlog < s->logcap) s->log[s->nlog++] = v;
  else s->overflow = 1;
}

static void ls_descend(lsearch *s) {
  while (s->nstack > 0) {
    int32_t v = s->stack[--s->nstack];
    s->inq[v] = 0;
    if (s->d[v] > 0) ls_flip(s, v);
  }
}

/* d and L from scratch, then a full descent. */
static void ls_start(lsearch *s) {
  const wgraph *g = s->g;
  int32_t v, k;
  s->L = g->constant;
  s->nstack = 0;
  for (v = 0; v < g->n; v++) {
    int32_t dv = 0;
    s->inq[v] = 0;
    for (k = g->off[v]; k < g->off[v + 1]; k++) {
      int32_t a = g->adj[k], viol = (s->x[v] ^ s->x[a >> 1] ^ a) & 1;
      dv += viol ? g->w[k] : -g->w[k];
      if (viol && (a >> 1) > v) s->L += g->w[k];
    }
    s->d[v] = dv;
  }
  for (v = 0; v < g->n; v++)
    if (s->d[v] > 0) ls_push(s, v);
  s->nlog = 0;
  ls_descend(s);
  memcpy(s->base, s->x, (size_t)g->n);
}

/* Greedy breadth-first sides: from a random root, each vertex reached takes
** the side that violates less weight to the vertices already placed (ties at
** random).  seen: 0 new, 1 queued, 2 placed. */
static void ls_greedy(lsearch *s, uint64_t *rng, int32_t *queue, unsigned char *seen) {
  const wgraph *g = s->g;
  int32_t i, n = g->n, rot = rng_below(rng, n > 0 ? n : 1);
  memset(seen, 0, (size_t)n);
  for (i = 0; i < n; i++) {
    int32_t root = (rot + i) % n, head = 0, tail = 0;
    if (seen[root]) continue;
    seen[root] = 1;
    queue[tail++] = root;
    while (head < tail) {
      int32_t u = queue[head++], k;
      int64_t c0 = 0, c1 = 0;
      for (k = g->off[u]; k < g->off[u + 1]; k++) {
        int32_t a = g->adj[k], y = a >> 1;
        if (seen[y] == 2) {
          /* side 0 for u violates the edge iff x[y] ^ negative */
          if ((s->x[y] ^ a) & 1) c0 += g->w[k];
          else c1 += g->w[k];
        } else if (!seen[y]) {
          seen[y] = 1;
          queue[tail++] = y;
        }
      }
      s->x[u] = (unsigned char)(c1 < c0 ? 1 : (c0 < c1 ? 0 : (int)(rng_next(rng) >> 63)));
      seen[u] = 2;
    }
  }
}

#define KICK_MAX 8

/* Kick: flip a random cluster of 1..KICK_MAX vertices grown from a random
** vertex along satisfied edges, descend (first with the cluster locked so it
** is not just flipped back), and undo when the result is worse, so that the
** cost never rises.  The undo replays the log backwards, or copies base
** when the log overflowed. */
static void ls_kick(lsearch *s, uint64_t *rng, int32_t *cl, unsigned char *incl) {
  const wgraph *g = s->g;
  int32_t v = rng_below(rng, g->n), size = 1 + rng_below(rng, KICK_MAX), nc = 0, h = 0, i;
  int64_t before = s->L;
  cl[nc++] = v;
  incl[v] = 1;
  while (h < nc && nc < size) {
    int32_t u = cl[h++], deg = g->off[u + 1] - g->off[u], k, start;
    if (deg == 0) continue;
    start = rng_below(rng, deg);
    for (k = 0; k < deg && nc < size; k++) {
      int32_t a = g->adj[g->off[u] + (start + k) % deg], y = a >> 1;
      if (!incl[y] && !((s->x[u] ^ s->x[y] ^ a) & 1)) {
        incl[y] = 1;
        cl[nc++] = y;
      }
    }
  }
  s->nlog = 0;
  s->overflow = 0;
  for (i = 0; i < nc; i++) {
    incl[cl[i]] = 0;
    s->inq[cl[i]] = 2;
  }
  for (i = 0; i < nc; i++) ls_flip(s, cl[i]);
  ls_descend(s);
  for (i = 0; i < nc; i++) s->inq[cl[i]] = 0;
  for (i = 0; i < nc; i++)
    if (s->d[cl[i]] > 0) ls_push(s, cl[i]);
  ls_descend(s);
  if (s->L > before) {
    if (!s->overflow) {
      int32_t t, nl = s->nlog;
      s->nlog = s->logcap; /* do not log the undo */
      for (t = nl - 1; t >= 0; t--) ls_flip(s, s->log[t]);
      while (s->nstack > 0) s->inq[s->stack[--s->nstack]] = 0;
      s->L = before;
    } else {
      memcpy(s->x, s->base, (size_t)g->n);
      ls_start(s);
    }
  } else if (!s->overflow) {
    for (i = 0; i < s->nlog; i++) s->base[s->log[i]] ^= 1;
  } else {
    memcpy(s->base, s->x, (size_t)g->n);
  }
}

static int ls_init(lsearch *s, int32_t n) {
  memset(s, 0, sizeof *s);
  s->x = xcalloc((size_t)n, 1);
  s->base = xcalloc((size_t)n, 1);
  s->inq = xcalloc((size_t)n, 1);
  s->d = xalloc((size_t)n, sizeof *s->d);
  s->stack = xalloc((size_t)n, sizeof *s->stack);
  s->logcap = 4096;
  s->log = xalloc((size_t)s->logcap, sizeof *s->log);
  return s->x && s->base && s->inq && s->d && s->stack && s->log;
}

static void ls_free(lsearch *s) {
  free(s->x), free(s->base), free(s->inq), free(s->d), free(s->stack), free(s->log);
}

/* One coarsening step: a randomised heavy-edge matching.  Matched u, v
** become one vertex; par says whether v sits on the side opposite to u (it
** does when u-v is negative: the merge follows a switching of v).  With x
** given, only edges satisfied by x are matched, so that x is representable
** on the coarse graph.  Edges inside a coarse vertex go to the constant;
** parallel coarse edges are summed (opposite signs pay the lighter part). */
static ent_status coarsen(const wgraph *f, uint64_t *rng, const unsigned char *x, int32_t *map,
                          unsigned char *par, wgraph *c) {
  int32_t n = f->n, i, u, k, nc = 0, ne = 0, *perm = NULL, *cnt = NULL, *ia = NULL, *ib = NULL;
  int32_t *eu = NULL, *ev = NULL, *ew = NULL, *mu = NULL, *mv = NULL, *mw = NULL;
  int64_t cst = f->constant;
  ent_status st = ENT_ENOMEM;
  memset(c, 0, sizeof *c);
  perm = xalloc((size_t)n, sizeof *perm);
  eu = xalloc((size_t)f->m, sizeof *eu);
  ev = xalloc((size_t)f->m, sizeof *ev);
  ew = xalloc((size_t)f->m, sizeof *ew);
  ia = xalloc((size_t)f->m, sizeof *ia);
  ib = xalloc((size_t)f->m, sizeof *ib);
  if (!perm || !eu || !ev || !ew || !ia || !ib) goto done;
  for (i = 0; i < n; i++) perm[i] = i, map[i] = -1;
  for (i = n - 1; i > 0; i--) {
    int32_t j = rng_below(rng, i + 1), t = perm[i];
    perm[i] = perm[j], perm[j] = t;
  }
  for (i = 0; i < n; i++) {
    int32_t bv = -1, bw = 0, ba = 0;
    u = perm[i];
    if (map[u] >= 0) continue;
    for (k = f->off[u]; k < f->off[u + 1]; k++) {
      int32_t a = f->adj[k], y = a >> 1;
      if (map[y] >= 0 || (x && ((x[u] ^ x[y] ^ a) & 1))) continue;
      if (f->w[k] > bw) bv = y, bw = f->w[k], ba = a;
    }
    map[u] = nc, par[u] = 0;
    if (bv >= 0) map[bv] = nc, par[bv] = (unsigned char)(ba & 1);
    nc++;
  }
  for (u = 0; u < n; u++)
    for (k = f->off[u]; k < f->off[u + 1]; k++) {
      int32_t a = f->adj[k], y = a >> 1, cu = map[u], cy = map[y], neg;
      if (y < u) continue;
      neg = (a ^ par[u] ^ par[y]) & 1;
      if (cu == cy) {
        if (neg) cst += f->w[k];
      } else {
        eu[ne] = cu < cy ? cu : cy, ev[ne] = cu < cy ? cy : cu;
        ew[ne++] = neg ? -f->w[k] : f->w[k];
      }
    }
  /* sort (eu, ev) by two counting sorts and merge */
  cnt = xcalloc((size_t)nc + 1, sizeof *cnt);
  c->off = xcalloc((size_t)nc + 1, sizeof *c->off);
  if (!cnt || !c->off) goto done;
  for (i = 0; i < ne; i++) cnt[ev[i] + 1]++;
  for (k = 0; k < nc; k++) cnt[k + 1] += cnt[k];
  for (i = 0; i < ne; i++) ia[cnt[ev[i]]++] = i;
  memset(cnt, 0, sizeof *cnt * ((size_t)nc + 1));
  for (i = 0; i < ne; i++) cnt[eu[i] + 1]++;
  for (k = 0; k < nc; k++) cnt[k + 1] += cnt[k];
  for (i = 0; i < ne; i++) ib[cnt[eu[ia[i]]]++] = ia[i];
  mu = xalloc((size_t)ne, sizeof *mu);
  mv = xalloc((size_t)ne, sizeof *mv);
  mw = xalloc((size_t)ne, sizeof *mw);
  if (!mu || !mv || !mw) goto done;
  k = 0;
  for (i = 0; i < ne;) {
    int32_t e = ib[i], cu = eu[e], cv = ev[e];
    int64_t p = 0, q = 0;
    while (i < ne && eu[ib[i]] == cu && ev[ib[i]] == cv) {
      int32_t x2 = ew[ib[i]];
      if (x2 > 0) p += x2;
      else q -= x2;
      i++;
    }
    cst += p < q ? p : q;
    if (p != q) {
      mu[k] = cu, mv[k] = cv;
      mw[k] = (int32_t)(p - q);
      k++;
    }
  }
  ne = k;
  c->n = nc, c->m = ne, c->constant = cst;
  c->adj = xalloc((size_t)ne * 2, sizeof *c->adj);
  c->w = xalloc((size_t)ne * 2, sizeof *c->w);
  if (!c->adj || !c->w) goto done;
  for (i = 0; i < ne; i++) c->off[mu[i] + 1]++, c->off[mv[i] + 1]++;
  for (k = 0; k < nc; k++) c->off[k + 1] += c->off[k];
  memcpy(cnt, c->off, sizeof *cnt * (size_t)nc);
  for (i = 0; i < ne; i++) {
    int32_t a = mu[i], b = mv[i], wv = mw[i], neg = wv < 0, p;
    if (neg) wv = -wv;
    p = cnt[a]++;
    c->adj[p] = (b << 1) | neg, c->w[p] = wv;
    p = cnt[b]++;
    c->adj[p] = (a << 1) | neg, c->w[p] = wv;
  }
  st = ENT_OK;
done:
  free(perm), free(cnt), free(ia), free(ib), free(eu), free(ev), free(ew);
  free(mu), free(mv), free(mw);
  if (st != ENT_OK) wg_free(c);
  return st;
}

#define ML_LEVELS 40
#define ML_COARSEST 64

/* One V-cycle: coarsen (restricted to x when have_x), solve the coarsest
** graph (greedy start when !have_x, else the projection of x), then project
** back level by level with a descent and kicks at each.  x (by vertex of
** g0) gets the result; returns its cost or -1 on allocation failure. */
static int64_t vcycle(const wgraph *g0, uint64_t *rng, unsigned char *x, int have_x,
                      int64_t kicks, lsearch *s, int32_t *queue, int32_t *cl,
                      unsigned char *scratch) {
  wgraph lv[ML_LEVELS];
  int32_t *map[ML_LEVELS];
  unsigned char *par[ML_LEVELS], *xs[ML_LEVELS];
  int nl = 0, l, ok = 1;
  int64_t L = -1, t, kl;
  const wgraph *cur = g0;
  memset(map, 0, sizeof map), memset(par, 0, sizeof par), memset(xs, 0, sizeof xs);
  xs[0] = x;
  while (nl + 1 < ML_LEVELS && cur->n > ML_COARSEST) {
    map[nl] = xalloc((size_t)cur->n, sizeof *map[nl]);
    par[nl] = xalloc((size_t)cur->n, 1);
    if (!map[nl] || !par[nl] ||
        coarsen(cur, rng, have_x ? xs[nl] : NULL, map[nl], par[nl], &lv[nl]) != ENT_OK) {
      free(map[nl]), free(par[nl]);
      map[nl] = NULL, par[nl] = NULL;
      ok = 0;
      break;
    }
    if (lv[nl].n > cur->n - cur->n / 20) { /* matching stalled */
      wg_free(&lv[nl]);
      free(map[nl]), free(par[nl]);
      map[nl] = NULL, par[nl] = NULL;
      break;
    }
    xs[nl + 1] = xalloc((size_t)lv[nl].n, 1);
    if (!xs[nl + 1]) {
      wg_free(&lv[nl]);
      free(map[nl]), free(par[nl]);
      map[nl] = NULL, par[nl] = NULL;
      ok = 0;
      break;
    }
    if (have_x) {
      int32_t v;
      for (v = 0; v < cur->n; v++) xs[nl + 1][map[nl][v]] = xs[nl][v] ^ par[nl][v];
    }
    cur = &lv[nl];
    nl++;
  }
  if (!ok) goto done;
  /* coarsest level, then back up; each level gets kicks in proportion to
  ** its size, the finest level the full budget */
  for (l = nl; l >= 0; l--) {
    const wgraph *g = l == 0 ? g0 : &lv[l - 1];
    if (l == nl) {
      if (!have_x) {
        s->g = g;
        ls_greedy(s, rng, queue, scratch);
        memcpy(xs[l], s->x, (size_t)g->n);
      }
    } else {
      int32_t v;
      for (v = 0; v < g->n; v++) xs[l][v] = xs[l + 1][map[l][v]] ^ par[l][v];
    }
    s->g = g;
    memcpy(s->x, xs[l], (size_t)g->n);
    ls_start(s);
    kl = l == 0 ? kicks : (l == nl ? 4 * (int64_t)g->n : (int64_t)g->n / 4);
    if (kl > kicks) kl = kicks;
    memset(scratch, 0, (size_t)g->n);
    for (t = 0; t < kl && s->L > g->constant && g->n > 0; t++) ls_kick(s, rng, cl, scratch);
    memcpy(xs[l], s->x, (size_t)g->n);
    L = s->L;
  }
done:
  for (l = 0; l < ML_LEVELS; l++) {
    if (map[l]) {
      wg_free(&lv[l]);
      free(map[l]), free(par[l]);
    }
    if (l > 0) free(xs[l]);
  }
  return ok ? L : -1;
}

/* Multi-start multilevel iterated local search.  best gets the sides (0/1)
** of the best partition; returns its frustration, or -1 on allocation
** failure.  Each start runs one free V-cycle and then V-cycles restricted
** to its current partition until one brings no gain. */
static int64_t heuristic(const ent_signed *g, const ent_frust_opts *o, unsigned char *best) {
  lsearch s;
  wgraph g0;
  int32_t n = g->n, k, st, nact = 0, v;
  int32_t *queue = NULL, *cl = NULL;
  unsigned char *scratch = NULL, *x = NULL;
  int64_t bestL = -1, kicks;
  uint64_t rng = o->seed;
  int ok;
  memset(&g0, 0, sizeof g0);
  ok = ls_init(&s, n);
  g0.n = n, g0.m = g->m, g0.off = g->off; /* borrowed */
  g0.adj = xalloc((size_t)g->m * 2, sizeof *g0.adj);
  g0.w = xalloc((size_t)g->m * 2, sizeof *g0.w);
  queue = xalloc((size_t)n, sizeof *queue);
  cl = xalloc(KICK_MAX, sizeof *cl);
  scratch = xcalloc((size_t)n, 1);
  x = xcalloc((size_t)n, 1);
  if (!ok || !g0.adj || !g0.w || !queue || !cl || !scratch || !x) goto done;
  for (k = 0; k < 2 * g->m; k++) {
    g0.adj[k] = (g->nbr[k] << 1) | (g->wt[k] < 0 ? 1 : 0);
    g0.w[k] = 1;
  }
  for (v = 0; v < n; v++) nact += g->off[v + 1] > g->off[v];
  if (n > 0) memset(best, 0, (size_t)n);
  if (g->m == 0) {
    bestL = 0;
    goto done;
  }
  kicks = o->kicks > 0 ? o->kicks : 4 * (int64_t)nact;
  if (o->kicks <= 0 && kicks > 20000) kicks = 20000;
  for (st = 0; st < (o->starts > 0 ? o->starts : 1); st++) {
    int64_t L = vcycle(&g0, &rng, x, 0, kicks, &s, queue, cl, scratch), prev;
    if (L < 0) goto fail;
    do {
      prev = L;
      L = vcycle(&g0, &rng, x, 1, kicks, &s, queue, cl, scratch);
      if (L < 0) goto fail;
    } while (L < prev);
    if (bestL < 0 || L < bestL) {
      bestL = L;
      memcpy(best, x, (size_t)n);
    }
  }
  goto done;
fail:
  bestL = -1;
done:
  g0.off = NULL;
  wg_free(&g0);
  ls_free(&s);
  free(queue), free(cl), free(scratch), free(x);
  return bestL;
}

/* ------------------------------------------------- exact: Russian dolls */

/* One block, vertices numbered by their position in the search order.  The
** neighbours of t are nbr[off[t] .. off[t+1]-1], sorted, those after t from
** hi[t] on; edge weights w and signs neg in the same slots. */
typedef struct rds {
  int32_t k;
  const int32_t *off, *hi, *nbr, *w;
  const unsigned char *neg;
  int64_t *c0, *c1;             /* cost of an unassigned vertex on side 0 / 1 */
  int64_t *Ls;                  /* Ls[t] = optimum of the block induced on t..k-1 */
  unsigned char *cur, *sol, *tried, *first, *asg;
  int64_t cost, summin;
  int64_t *nodes, limit;
} rds;

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

static void rds_assign(rds *r, int32_t t, int s) {
  int32_t q;
  r->cost += s ? r->c1[t] : r->c0[t];
  r->summin -= min64(r->c0[t], r->c1[t]);
  for (q = r->hi[t]; q < r->off[t + 1]; q++) {
    int32_t y = r->nbr[q];
    int64_t old = min64(r->c0[y], r->c1[y]);
    if ((s ^ r->neg[q]) & 1) r->c0[y] += r->w[q];
    else r->c1[y] += r->w[q];
    r->summin += min64(r->c0[y], r->c1[y]) - old;
  }
}

static void rds_unassign(rds *r, int32_t t, int s) {
  int32_t q;
  for (q = r->hi[t]; q < r->off[t + 1]; q++) {
    int32_t y = r->nbr[q];
    int64_t old = min64(r->c0[y], r->c1[y]);
    if ((s ^ r->neg[q]) & 1) r->c0[y] -= r->w[q];
    else r->c1[y] -= r->w[q];
    r->summin += min64(r->c0[y], r->c1[y]) - old;
  }
  r->summin += min64(r->c0[t], r->c1[t]);
  r->cost -= s ? r->c1[t] : r->c0[t];
}

/* Cost of the sides x (by position) on the edges among positions >= j. */
static int64_t rds_cost(const rds *r, const unsigned char *x, int32_t j) {
  int64_t c = 0;
  int32_t t, q;
  for (t = j; t < r->k; t++)
    for (q = r->hi[t]; q < r->off[t + 1]; q++)
      if ((x[t] ^ x[r->nbr[q]] ^ r->neg[q]) & 1) c += r->w[q];
  return c;
}

/* Solve the doll j (positions j..k-1) given Ls[j+1..k] and sol, a best
** partition of doll j+1.  Returns 0 when the node budget ran out. */
static int rds_doll(rds *r, int32_t j, const unsigned char *hs) {
  int32_t k = r->k, t, q;
  int64_t a0 = 0, a1 = 0, ub, target = r->Ls[j + 1];
  for (t = j; t < k; t++) r->c0[t] = r->c1[t] = 0;
  r->cost = r->summin = 0;
  /* upper bound 1: the best doll j+1 with j on its better side */
  for (q = r->hi[j]; q < r->off[j + 1]; q++) {
    if ((r->sol[r->nbr[q]] ^ r->neg[q]) & 1) a0 += r->w[q];
    else a1 += r->w[q];
  }
  if (a1 < a0)
    for (t = j + 1; t < k; t++) r->sol[t] ^= 1;
  r->sol[j] = 0;
  ub = target + min64(a0, a1);
  /* upper bound 2: the heuristic partition restricted to the doll */
  if (ub > target && hs) {
    int64_t hc = rds_cost(r, hs, j);
    if (hc < ub) {
      ub = hc;
      for (t = j; t < k; t++) r->sol[t] = hs[t] ^ hs[j];
    }
  }
  if (ub > target) {
    /* branch and bound; j is fixed on side 0 (flipping every side of a
    ** partition keeps its cost) */
    rds_assign(r, j, 0);
    r->cur[j] = 0;
    t = j + 1;
    if (t < k) r->tried[t] = 0, r->asg[t] = 0;
    for (;;) {
      int side;
      int64_t lb;
      if (t == k) {
        if (r->cost < ub) {
          ub = r->cost;
          memcpy(r->sol + j, r->cur + j, (size_t)(k - j));
          if (ub <= target) break;
        }
        t = k - 1;
        continue;
      }
      if (r->tried[t] == 0) {
        r->first[t] = (unsigned char)(r->c1[t] < r->c0[t]);
        side = r->first[t];
        r->tried[t] = 1;
      } else if (r->tried[t] == 1) {
        if (r->asg[t]) rds_unassign(r, t, r->cur[t]), r->asg[t] = 0;
        side = !r->first[t];
        r->tried[t] = 2;
      } else {
        if (r->asg[t]) rds_unassign(r, t, r->cur[t]), r->asg[t] = 0;
        if (--t == j) break;
        continue;
      }
      lb = r->cost + (side ? r->c1[t] : r->c0[t]) + r->summin - min64(r->c0[t], r->c1[t]) +
           r->Ls[t + 1];
      if (lb >= ub) continue;
      if (r->limit > 0 && *r->nodes >= r->limit) return 0;
      (*r->nodes)++;
      rds_assign(r, t, side);
      r->asg[t] = 1;
      r->cur[t] = (unsigned char)side;
      if (r->cost + r->summin + r->Ls[t + 1] >= ub) continue;
      t++;
      if (t < k) r->tried[t] = 0, r->asg[t] = 0;
    }
  }
  r->Ls[j] = ub;
  return 1;
}

/* A block given as local edges (eu, ev, eneg, ew) on vertices 0..k-1 with
** heuristic sides hsl.  Writes the sides of the best partition found into
** out (by local id) and its cost and proven bound.  Returns ENT_ENOMEM or
** ENT_OK; *done = 0 when the budget ran out. */
static ent_status solve_block(int32_t k, int32_t ne, const int32_t *eu, const int32_t *ev,
                              const unsigned char *eneg, const int32_t *ew,
                              const unsigned char *hsl, int64_t *nodes, int64_t limit,
                              unsigned char *out, int64_t *ub_out, int64_t *lb_out, int *done) {
  int32_t *pos = NULL, *ord = NULL, *off = NULL, *hi = NULL, *nbr = NULL, *w = NULL;
  int32_t *lo = NULL, *loff = NULL, *ladj = NULL, *tmp = NULL;
  int64_t *score = NULL, *wdeg = NULL, *c0 = NULL, *c1 = NULL, *Ls = NULL;
  unsigned char *neg = NULL, *placed = NULL, *bufs = NULL, *hs = NULL;
  int32_t i, t, e, q;
  ent_status st = ENT_ENOMEM;
  rds r;
  pos = xalloc((size_t)k, sizeof *pos);
  ord = xalloc((size_t)k, sizeof *ord);
  off = xcalloc((size_t)k + 1, sizeof *off);
  hi = xalloc((size_t)k, sizeof *hi);
  nbr = xalloc((size_t)ne * 2, sizeof *nbr);
  w = xalloc((size_t)ne * 2, sizeof *w);
  neg = xalloc((size_t)ne * 2, 1);
  loff = xcalloc((size_t)k + 1, sizeof *loff);
  ladj = xalloc((size_t)ne * 2, sizeof *ladj);
  lo = xalloc((size_t)k + 1, sizeof *lo);
  tmp = xalloc((size_t)ne * 2, sizeof *tmp);
  score = xcalloc((size_t)k, sizeof *score);
  wdeg = xcalloc((size_t)k, sizeof *wdeg);
  c0 = xalloc((size_t)k, sizeof *c0);
  c1 = xalloc((size_t)k, sizeof *c1);
  Ls = xcalloc((size_t)k + 1, sizeof *Ls);
  placed = xcalloc((size_t)k, 1);
  bufs = xcalloc((size_t)k * 6, 1);
  if (!pos || !ord || !off || !hi || !nbr || !w || !neg || !loff || !ladj || !lo || !tmp ||
      !score || !wdeg || !c0 || !c1 || !Ls || !placed || !bufs)
    goto done;
  hs = bufs + 5 * (size_t)k;
  /* local adjacency (by local id) for the ordering */
  for (e = 0; e < ne; e++) {
    loff[eu[e] + 1]++, loff[ev[e] + 1]++;
    wdeg[eu[e]] += ew[e], wdeg[ev[e]] += ew[e];
  }
  for (i = 0; i < k; i++) loff[i + 1] += loff[i];
  memcpy(lo, loff, sizeof *lo * (size_t)k);
  for (e = 0; e < ne; e++) ladj[lo[eu[e]]++] = e, ladj[lo[ev[e]]++] = e;
  /* maximum adjacency order: start at the heaviest vertex, then take the
  ** vertex most tied to those already taken (ties: heavier first), so that
  ** the early choices of the search constrain many costs */
  for (t = 0; t < k; t++) {
    int32_t bv = -1;
    for (i = 0; i < k; i++)
      if (!placed[i] && (bv < 0 || score[i] > score[bv] ||
                         (score[i] == score[bv] && wdeg[i] > wdeg[bv])))
        bv = i;
    placed[bv] = 1;
    ord[t] = bv;
    pos[bv] = t;
    for (q = loff[bv]; q < loff[bv + 1]; q++) {
      int32_t f = ladj[q], y = eu[f] == bv ? ev[f] : eu[f];
      if (!placed[y]) score[y] += ew[f];
    }
  }
  /* CSR by position with sorted rows: counting sort of the 2 ne directed
  ** entries by head, then stably by tail */
  memset(lo, 0, sizeof *lo * ((size_t)k + 1));
  for (e = 0; e < 2 * ne; e++) {
    int32_t f = e >> 1, h = (e & 1) ? pos[eu[f]] : pos[ev[f]];
    lo[h + 1]++;
  }
  for (i = 0; i < k; i++) lo[i + 1] += lo[i];
  for (e = 0; e < 2 * ne; e++) {
    int32_t f = e >> 1, h = (e & 1) ? pos[eu[f]] : pos[ev[f]];
    tmp[lo[h]++] = e;
  }
  for (e = 0; e < 2 * ne; e++) {
    int32_t f = tmp[e] >> 1, tl = (tmp[e] & 1) ? pos[ev[f]] : pos[eu[f]];
    off[tl + 1]++;
  }
  for (i = 0; i < k; i++) off[i + 1] += off[i];
  memcpy(lo, off, sizeof *lo * (size_t)k);
  for (e = 0; e < 2 * ne; e++) {
    int32_t d = tmp[e], f = d >> 1;
    int32_t tl = (d & 1) ? pos[ev[f]] : pos[eu[f]], h = (d & 1) ? pos[eu[f]] : pos[ev[f]];
    int32_t p = lo[tl]++;
    nbr[p] = h, w[p] = ew[f], neg[p] = eneg[f];
  }
  for (t = 0; t < k; t++) {
    hi[t] = off[t];
    while (hi[t] < off[t + 1] && nbr[hi[t]] < t) hi[t]++;
  }
  for (t = 0; t < k; t++) hs[t] = hsl[ord[t]];
  memset(&r, 0, sizeof r);
  r.k = k, r.off = off, r.hi = hi, r.nbr = nbr, r.w = w, r.neg = neg;
  r.c0 = c0, r.c1 = c1, r.Ls = Ls;
  r.cur = bufs, r.sol = bufs + k, r.tried = bufs + 2 * (size_t)k;
  r.first = bufs + 3 * (size_t)k, r.asg = bufs + 4 * (size_t)k;
  r.nodes = nodes, r.limit = limit;
  *done = 1;
  for (t = k - 1; t >= 0; t--) {
    if (!rds_doll(&r, t, hs)) {
      *done = 0;
      break;
    }
  }
  if (*done) {
    *lb_out = *ub_out = Ls[0];
  } else {
    /* budget spent in doll t: Ls[t+1] is proven (a sub-block's optimum
    ** bounds the block's); complete sol greedily downwards and keep the
    ** better of it and the heuristic */
    int64_t gc, hc;
    int32_t j;
    *lb_out = Ls[t + 1];
    for (j = t; j >= 0; j--) {
      int64_t x0 = 0, x1 = 0;
      for (q = hi[j]; q < off[j + 1]; q++) {
        if ((r.sol[nbr[q]] ^ neg[q]) & 1) x0 += w[q];
        else x1 += w[q];
      }
      r.sol[j] = (unsigned char)(x1 < x0);
    }
    gc = rds_cost(&r, r.sol, 0);
    hc = rds_cost(&r, hs, 0);
    if (hc < gc) memcpy(r.sol, hs, (size_t)k), gc = hc;
    *ub_out = gc;
  }
  for (t = 0; t < k; t++) out[ord[t]] = r.sol[t];
  st = ENT_OK;
done:
  free(pos), free(ord), free(off), free(hi), free(nbr), free(w), free(neg), free(loff);
  free(ladj), free(lo), free(tmp), free(score), free(wdeg), free(c0), free(c1), free(Ls);
  free(placed), free(bufs);
  return st;
}

/* ------------------------------------------------- exact: reductions */

typedef struct redge {
  int32_t u, v, w;
  unsigned char neg, alive;
} redge;

enum { OP_ISOLATED, OP_LEAF, OP_SERIES };
typedef struct rop {
  int32_t x, u, v, wu, wv;
  unsigned char type, negu, negv;
} rop;

typedef struct rgraph {
  int32_t n, ne, ni, nops;
  redge *e;
  int32_t *head, *inext, *iedge, *deg;
  unsigned char *gone;
  rop *ops;
  int64_t constant;
} rgraph;

static void rg_free(rgraph *g) {
  free(g->e), free(g->head), free(g->inext), free(g->iedge), free(g->deg), free(g->gone);
  free(g->ops);
}

static void rg_add(rgraph *g, int32_t u, int32_t v, int neg, int32_t w) {
  int32_t id = g->ne++;
  g->e[id].u = u, g->e[id].v = v, g->e[id].w = w;
  g->e[id].neg = (unsigned char)neg, g->e[id].alive = 1;
  g->iedge[g->ni] = id, g->inext[g->ni] = g->head[u], g->head[u] = g->ni++;
  g->iedge[g->ni] = id, g->inext[g->ni] = g->head[v], g->head[v] = g->ni++;
  g->deg[u]++, g->deg[v]++;
}

static void rg_kill(rgraph *g, int32_t id) {
  g->e[id].alive = 0;
  g->deg[g->e[id].u]--, g->deg[g->e[id].v]--;
}

/* The live edge u-v, or -1. */
static int32_t rg_find(const rgraph *g, int32_t u, int32_t v) {
  int32_t i;
  for (i = g->head[u]; i >= 0; i = g->inext[i]) {
    const redge *e = &g->e[g->iedge[i]];
    if (e->alive && (e->u == v || e->v == v)) return g->iedge[i];
  }
  return -1;
}

/* Add an edge to u-v, merging with a parallel one: same sign adds weights,
** opposite signs always pay the lighter weight. */
static void rg_merge(rgraph *g, int32_t u, int32_t v, int neg, int32_t w) {
  int32_t f = g->deg[u] <= g->deg[v] ? rg_find(g, u, v) : rg_find(g, v, u);
  redge *e;
  if (f < 0) {
    rg_add(g, u, v, neg, w);
    return;
  }
  e = &g->e[f];
  if (e->neg == neg) {
    e->w += w;
  } else if (e->w > w) {
    g->constant += w;
    e->w -= w;
  } else if (e->w < w) {
    g->constant += e->w;
    e->w = w - e->w;
    e->neg = (unsigned char)neg;
  } else {
    g->constant += w;
    rg_kill(g, f);
  }
}

/* Exact reductions: vertices of degree 0, 1 and 2 are removed until every
** vertex left has degree >= 3.  A pendant edge is never frustrated; a path
** u - x - v is one edge u-v of sign s(ux) s(xv) and weight min(w(ux),
** w(xv)).  Each removal is logged for the reconstruction. */
static ent_status reduce(const ent_signed *sg, rgraph *g) {
  int32_t n = sg->n, m = sg->m, v, e, *stack = NULL, ns = 0;
  unsigned char *inq = NULL;
  memset(g, 0, sizeof *g);
  g->n = n;
  g->e = xalloc((size_t)m + (size_t)n + 1, sizeof *g->e);
  g->head = xalloc((size_t)n, sizeof *g->head);
  g->inext = xalloc(2 * ((size_t)m + (size_t)n + 1), sizeof *g->inext);
  g->iedge = xalloc(2 * ((size_t)m + (size_t)n + 1), sizeof *g->iedge);
  g->deg = xcalloc((size_t)n, sizeof *g->deg);
  g->gone = xcalloc((size_t)n, 1);
  g->ops = xalloc((size_t)n, sizeof *g->ops);
  stack = xalloc((size_t)n, sizeof *stack);
  inq = xcalloc((size_t)n, 1);
  if (!g->e || !g->head || !g->inext || !g->iedge || !g->deg || !g->gone || !g->ops || !stack ||
      !inq) {
    free(stack), free(inq), rg_free(g);
    return ENT_ENOMEM;
  }
  for (v = 0; v < n; v++) g->head[v] = -1;
  for (e = 0; e < m; e++) rg_add(g, sg->eu[e], sg->ev[e], sg->ew[e] < 0, 1);
  for (v = n - 1; v >= 0; v--)
    if (g->deg[v] <= 2) stack[ns++] = v, inq[v] = 1;
  while (ns > 0) {
    int32_t x = stack[--ns], i, f[2], nf = 0;
    rop *op;
    inq[x] = 0;
    if (g->gone[x] || g->deg[x] > 2) continue;
    for (i = g->head[x]; i >= 0 && nf < 2; i = g->inext[i])
      if (g->e[g->iedge[i]].alive) f[nf++] = g->iedge[i];
    op = &g->ops[g->nops++];
    op->x = x;
    g->gone[x] = 1;
    if (nf == 0) {
      op->type = OP_ISOLATED;
      continue;
    }
    op->u = g->e[f[0]].u == x ? g->e[f[0]].v : g->e[f[0]].u;
    op->negu = g->e[f[0]].neg, op->wu = g->e[f[0]].w;
    rg_kill(g, f[0]);
    if (nf == 1) {
      op->type = OP_LEAF;
    } else {
      op->type = OP_SERIES;
      op->v = g->e[f[1]].u == x ? g->e[f[1]].v : g->e[f[1]].u;
      op->negv = g->e[f[1]].neg, op->wv = g->e[f[1]].w;
      rg_kill(g, f[1]);
      rg_merge(g, op->u, op->v, op->negu ^ op->negv, op->wu < op->wv ? op->wu : op->wv);
      if (g->deg[op->v] <= 2 && !inq[op->v]) stack[ns++] = op->v, inq[op->v] = 1;
    }
    if (g->deg[op->u] <= 2 && !inq[op->u]) stack[ns++] = op->u, inq[op->u] = 1;
  }
  free(stack), free(inq);
  return ENT_OK;
}

/* Undo the reductions on sides x (0/1): removed vertices in reverse order
** take their best side given the vertices that outlived them. */
static void unreduce(const rgraph *g, unsigned char *x) {
  int32_t i;
  for (i = g->nops - 1; i >= 0; i--) {
    const rop *op = &g->ops[i];
    if (op->type == OP_ISOLATED) {
      x[op->x] = 0;
    } else if (op->type == OP_LEAF) {
      x[op->x] = (unsigned char)((x[op->u] ^ op->negu) & 1);
    } else {
      int64_t c0 = 0, c1 = 0;
      if ((x[op->u] ^ op->negu) & 1) c0 += op->wu; else c1 += op->wu;
      if ((x[op->v] ^ op->negv) & 1) c0 += op->wv; else c1 += op->wv;
      x[op->x] = (unsigned char)(c1 < c0);
    }
  }
}

/* Biconnected blocks of the reduced graph (Hopcroft & Tarjan, iterative):
** bid[e] = block of live edge e.  Returns the number of blocks, -1 on
** allocation failure. */
static int32_t blocks(const rgraph *g, int32_t *bid) {
  int32_t n = g->n, v, nb = 0, time = 0, *disc, *low, *it, *pe, *vst, *est, nv = 0, nes = 0;
  disc = xalloc((size_t)n, sizeof *disc);
  low = xalloc((size_t)n, sizeof *low);
  it = xalloc((size_t)n, sizeof *it);
  pe = xalloc((size_t)n, sizeof *pe);
  vst = xalloc((size_t)n, sizeof *vst);
  est = xalloc((size_t)g->ne + 1, sizeof *est);
  if (!disc || !low || !it || !pe || !vst || !est) {
    nb = -1;
    goto done;
  }
  for (v = 0; v < n; v++) disc[v] = -1, it[v] = g->head[v], pe[v] = -1;
  for (v = 0; v < n; v++) {
    if (g->gone[v] || disc[v] >= 0) continue;
    disc[v] = low[v] = time++;
    vst[nv++] = v;
    while (nv > 0) {
      int32_t x = vst[nv - 1];
      if (it[x] >= 0) {
        int32_t id = g->iedge[it[x]], y;
        it[x] = g->inext[it[x]];
        if (!g->e[id].alive || id == pe[x]) continue;
        y = g->e[id].u == x ? g->e[id].v : g->e[id].u;
        if (disc[y] < 0) {
          est[nes++] = id;
          pe[y] = id;
          disc[y] = low[y] = time++;
          vst[nv++] = y;
        } else if (disc[y] < disc[x]) {
          est[nes++] = id;
          if (disc[y] < low[x]) low[x] = disc[y];
        }
      } else {
        nv--;
        if (nv > 0) {
          int32_t p = vst[nv - 1];
          if (low[x] < low[p]) low[p] = low[x];
          if (low[x] >= disc[p]) {
            int32_t id;
            do {
              id = est[--nes];
              bid[id] = nb;
            } while (id != pe[x]);
            nb++;
          }
        }
      }
    }
  }
done:
  free(disc), free(low), free(it), free(pe), free(vst), free(est);
  return nb;
}

/* Exact solve: reduce, split into blocks, solve each, recombine into side
** (0/1 per vertex).  hs = heuristic sides.  Fills res->index (cost of side),
** res->lower and the counters. */
static ent_status exact(const ent_signed *sg, const ent_frust_opts *o, const unsigned char *hs,
                        unsigned char *side, ent_frust_result *res) {
  rgraph g;
  int32_t n = sg->n, nb, b, e, v, i;
  int32_t *bid = NULL, *bcnt = NULL, *boff = NULL, *bedge = NULL, *loc = NULL, *verts = NULL;
  int32_t *lu = NULL, *lv = NULL, *lw = NULL, *queue = NULL, *vboff = NULL, *vbs = NULL;
  unsigned char *lneg = NULL, *lhs = NULL, *lout = NULL, *bsol = NULL, *placed = NULL,
                *assigned = NULL;
  int32_t *bvoff = NULL, *bvert = NULL;
  int64_t ub = 0, lb = 0, nodes = 0;
  ent_status st = reduce(sg, &g);
  if (st != ENT_OK) return st;
  st = ENT_ENOMEM;
  bid = xalloc((size_t)g.ne, sizeof *bid);
  if (!bid) goto done;
  for (e = 0; e < g.ne; e++) bid[e] = -1;
  nb = blocks(&g, bid);
  if (nb < 0) goto done;
  res->reduced_n = 0, res->reduced_m = 0;
  for (v = 0; v < n; v++) res->reduced_n += !g.gone[v];
  for (e = 0; e < g.ne; e++) res->reduced_m += g.e[e].alive;
  /* edges and vertices of each block */
  bcnt = xcalloc((size_t)nb + 1, sizeof *bcnt);
  boff = xcalloc((size_t)nb + 1, sizeof *boff);
  bedge = xalloc((size_t)res->reduced_m, sizeof *bedge);
  loc = xalloc((size_t)n, sizeof *loc);
  verts = xalloc((size_t)n, sizeof *verts);
  lu = xalloc((size_t)res->reduced_m, sizeof *lu);
  lv = xalloc((size_t)res->reduced_m, sizeof *lv);
  lw = xalloc((size_t)res->reduced_m, sizeof *lw);
  lneg = xalloc((size_t)res->reduced_m, 1);
  lhs = xalloc((size_t)n, 1);
  lout = xalloc((size_t)n, 1);
  bvoff = xcalloc((size_t)nb + 1, sizeof *bvoff);
  bvert = xalloc(2 * (size_t)res->reduced_m, sizeof *bvert);
  bsol = xalloc(2 * (size_t)res->reduced_m, 1);
  if (!bcnt || !boff || !bedge || !loc || !verts || !lu || !lv || !lw || !lneg || !lhs || !lout ||
      !bvoff || !bvert || !bsol)
    goto done;
  for (e = 0; e < g.ne; e++)
    if (g.e[e].alive) bcnt[bid[e] + 1]++;
  for (b = 0; b < nb; b++) boff[b + 1] = boff[b] + bcnt[b + 1];
  memcpy(bcnt, boff, sizeof *bcnt * (size_t)nb);
  for (e = 0; e < g.ne; e++)
    if (g.e[e].alive) bedge[bcnt[bid[e]]++] = e;
  for (v = 0; v < n; v++) loc[v] = -1;
  res->blocks = 0, res->largest_block = 0;
  for (b = 0; b < nb; b++) {
    int32_t k = 0, ne = boff[b + 1] - boff[b];
    int64_t bub = 0, blb = 0;
    int done_b = 1;
    for (i = 0; i < ne; i++) {
      const redge *re = &g.e[bedge[boff[b] + i]];
      if (loc[re->u] < 0) loc[re->u] = k, verts[k++] = re->u;
      if (loc[re->v] < 0) loc[re->v] = k, verts[k++] = re->v;
      lu[i] = loc[re->u], lv[i] = loc[re->v], lw[i] = re->w, lneg[i] = re->neg;
    }
    for (i = 0; i < k; i++) lhs[i] = hs[verts[i]];
    if (ne == 1) {
      lout[0] = 0;
      lout[1] = lneg[0];
    } else {
      st = solve_block(k, ne, lu, lv, lneg, lw, lhs, &nodes, o->node_limit, lout, &bub, &blb,
                       &done_b);
      if (st != ENT_OK) goto done;
      res->blocks++;
      if (k > res->largest_block) res->largest_block = k;
    }
    ub += bub, lb += blb;
    bvoff[b + 1] = bvoff[b] + k;
    for (i = 0; i < k; i++) {
      bvert[bvoff[b] + i] = verts[i];
      bsol[bvoff[b] + i] = lout[i];
      loc[verts[i]] = -1;
    }
    (void)done_b;
  }
  /* recombine along the block-cut forest: a block reached through a cut
  ** vertex shares exactly that vertex with the blocks already placed */
  queue = xalloc((size_t)n, sizeof *queue);
  vboff = xcalloc((size_t)n + 1, sizeof *vboff);
  vbs = xalloc((size_t)bvoff[nb] + 1, sizeof *vbs);
  placed = xcalloc((size_t)nb + 1, 1);
  assigned = xcalloc((size_t)n, 1);
  if (!queue || !vboff || !vbs || !placed || !assigned) {
    st = ENT_ENOMEM;
    goto done;
  }
  for (i = 0; i < bvoff[nb]; i++) vboff[bvert[i] + 1]++;
  for (v = 0; v < n; v++) vboff[v + 1] += vboff[v];
  memcpy(loc, vboff, sizeof *loc * (size_t)n);
  for (b = 0; b < nb; b++)
    for (i = bvoff[b]; i < bvoff[b + 1]; i++) vbs[loc[bvert[i]]++] = b;
  if (n > 0) memset(side, 0, (size_t)n);
  for (v = 0; v < n; v++) {
    int32_t h = 0, t = 0;
    if (g.gone[v] || assigned[v]) continue;
    assigned[v] = 1;
    side[v] = 0;
    queue[t++] = v;
    while (h < t) {
      int32_t x = queue[h++], q;
      for (q = vboff[x]; q < vboff[x + 1]; q++) {
        int32_t bb = vbs[q], flip = -1;
        if (placed[bb]) continue;
        placed[bb] = 1;
        for (i = bvoff[bb]; i < bvoff[bb + 1]; i++)
          if (bvert[i] == x) flip = side[x] ^ bsol[i];
        for (i = bvoff[bb]; i < bvoff[bb + 1]; i++) {
          int32_t y = bvert[i];
          if (y == x) continue;
          side[y] = (unsigned char)(bsol[i] ^ flip);
          if (!assigned[y]) assigned[y] = 1, queue[t++] = y;
        }
      }
    }
  }
  unreduce(&g, side);
  res->nodes = nodes;
  res->index = g.constant + ub;
  res->lower = g.constant + lb;
  st = ENT_OK;
done:
  rg_free(&g);
  free(bid), free(bcnt), free(boff), free(bedge), free(loc), free(verts), free(lu), free(lv);
  free(lw), free(lneg), free(lhs), free(lout), free(bvoff), free(bvert), free(bsol);
  free(queue), free(vboff), free(vbs), free(placed), free(assigned);
  return st;
}

/* Exhaustive search for small views: vertices with edges act[0..k-1], act[0]
** fixed on side 0, the others enumerated in Gray code order (one flip per
** step).  Lexicographic objective: frustrated edges, then frustrated weight.
** side gets 0/1 per vertex. */
static ent_status enumerate(const ent_signed *g, unsigned char *side, int64_t *nodes) {
  int32_t n = g->n, k = 0, v, j, *act, *pos;
  uint64_t i, top, best_code = 0;
  int64_t cnt = 0, best_cnt;
  double wsum = 0, best_w, tol;
  unsigned char *x;
  act = xalloc((size_t)n, sizeof *act);
  pos = xalloc((size_t)n, sizeof *pos);
  x = xcalloc((size_t)n, 1);
  if (!act || !pos || !x) {
    free(act), free(pos), free(x);
    return ENT_ENOMEM;
  }
  for (v = 0; v < n; v++) {
    pos[v] = -1;
    if (g->off[v + 1] > g->off[v]) pos[v] = k, act[k++] = v;
  }
  tol = 0;
  for (j = 0; j < g->m; j++) {
    if (g->ew[j] < 0) cnt++, wsum += -g->ew[j];
    tol += fabs(g->ew[j]);
  }
  tol *= 1e-12;
  best_cnt = cnt, best_w = wsum;
  top = k > 1 ? (uint64_t)1 << (k - 1) : 1;
  for (i = 1; i < top; i++) {
    int32_t b = 0, q;
    uint64_t t = i;
    while (!(t & 1)) t >>= 1, b++;
    v = act[b + 1];
    x[v] ^= 1;
    for (q = g->off[v]; q < g->off[v + 1]; q++) {
      int32_t u = g->nbr[q];
      double w = g->wt[q];
      /* after the flip: violated iff x[v] ^ x[u] ^ negative */
      if ((x[v] ^ x[u] ^ (w < 0)) & 1) cnt++, wsum += fabs(w);
      else cnt--, wsum -= fabs(w);
    }
    if (cnt < best_cnt || (cnt == best_cnt && wsum < best_w - tol)) {
      best_cnt = cnt, best_w = wsum;
      best_code = i ^ (i >> 1);
    }
  }
  memset(side, 0, (size_t)n);
  for (j = 1; j < k; j++) side[act[j]] = (unsigned char)((best_code >> (j - 1)) & 1);
  *nodes = (int64_t)top;
  free(act), free(pos), free(x);
  return ENT_OK;
}

ent_status ent_signed_frustration(const ent_signed *g, const ent_frust_opts *opts, int8_t *side,
                                  ent_frust_result *res) {
  ent_frust_opts o;
  unsigned char *hs = NULL, *xs = NULL, *best;
  int64_t hL, packing = 0;
  int32_t v, first = -1, nact = 0;
  ent_status st = ENT_ENOMEM;
  if (opts) o = *opts;
  else ent_frust_opts_init(&o);
  memset(res, 0, sizeof *res);
  hs = xalloc((size_t)g->n, 1);
  xs = xalloc((size_t)g->n, 1);
  if (!hs || !xs) goto done;
  hL = heuristic(g, &o, hs);
  if (hL < 0) goto done;
  st = ent_signed_triangle_packing(g, &packing);
  if (st != ENT_OK) goto done;
  res->heuristic = hL;
  res->index = hL;
  res->lower = packing;
  best = hs;
  for (v = 0; v < g->n; v++) nact += g->off[v + 1] > g->off[v];
  if (o.exact && nact <= o.enum_max && nact <= ENT_FRUST_ENUM_MAXN) {
    st = enumerate(g, xs, &res->nodes);
    if (st != ENT_OK) goto done;
    best = xs;
    res->enumerated = 1;
    res->reduced_n = nact, res->reduced_m = g->m;
    res->lower = ent_signed_frustration_of_x(g, xs);
  } else if (o.exact) {
    ent_frust_result ex = *res;
    st = exact(g, &o, hs, xs, &ex);
    if (st != ENT_OK) goto done;
    res->nodes = ex.nodes, res->reduced_n = ex.reduced_n, res->reduced_m = ex.reduced_m;
    res->blocks = ex.blocks, res->largest_block = ex.largest_block;
    if (ex.lower > res->lower) res->lower = ex.lower;
    if (ex.index < hL) {
      best = xs;
      res->index = ex.index;
    }
  }
  /* bloc +1 holds the first vertex with an edge */
  for (v = 0; v < g->n; v++)
    if (g->off[v + 1] > g->off[v]) {
      first = v;
      break;
    }
  for (v = 0; v < g->n; v++)
    side[v] = g->off[v + 1] == g->off[v] ? 0 : ((best[v] ^ best[first]) ? -1 : 1);
  /* the index reported is always the cost of the partition returned */
  res->index = ent_signed_frustration_of(g, side);
  res->weight = 0;
  for (v = 0; v < g->m; v++) {
    int su = side[g->eu[v]] < 0, sv = side[g->ev[v]] < 0;
    if ((su ^ sv ^ (g->ew[v] < 0)) & 1) res->weight += fabs(g->ew[v]);
  }
  if (res->lower > res->index) res->lower = res->index; /* cannot happen */
  res->optimal = res->lower == res->index;
  st = ENT_OK;
done:
  free(hs), free(xs);
  return st;
}
