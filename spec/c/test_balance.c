/* test_balance.c - the balance kernels through the C API, without Lua.
**
** Checked against published values (signnet on Read's Highland tribes),
** hand-worked cases, closed-form spectra, and second methods written here:
** an O(n^3) triangle census, a Taylor series for trace(exp(A)), and a brute
** force over all 2^(n-1) partitions for the frustration index. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"

static int passed, failed;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) passed++;                                                        \
    else {                                                                     \
      failed++;                                                                \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)
#define CLOSE(a, b, tol) CHECK(fabs((a) - (b)) <= (tol))

/* ------------------------------------------------------------ helpers */

typedef struct edges {
  int32_t n, m;
  int32_t a[4096], b[4096];
  double w[4096];
} edges;

static void add(edges *E, int32_t a, int32_t b, double w) {
  E->a[E->m] = a, E->b[E->m] = b, E->w[E->m] = w;
  E->m++;
}

static ent_signed *build(const edges *E) {
  ent_signed *g = NULL;
  char err[ENT_SIGNED_ERRLEN];
  ent_status st = ent_signed_from_edges(E->n, E->m, E->a, E->b, E->w, &g, err, sizeof err);
  if (st != ENT_OK) fprintf(stderr, "build: %s\n", err);
  return g;
}

static uint64_t rs = 42;
static uint32_t rnd(void) {
  rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
  return (uint32_t)(rs >> 16);
}
static double unif(void) { return (rnd() & 0xffffff) / 16777216.0; }

/* Dense sign matrix (0 = no edge) of a snapshot. */
static void dense(const ent_signed *g, int *S) {
  int32_t n = ent_signed_n(g), i, j;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      double w = i == j ? 0 : ent_signed_weight(g, i, j);
      S[i * n + j] = w > 0 ? 1 : (w < 0 ? -1 : 0);
    }
}

static void brute_census(const ent_signed *g, int64_t c[4]) {
  int32_t n = ent_signed_n(g), i, j, k;
  int *S = malloc(sizeof *S * (size_t)(n * n));
  dense(g, S);
  c[0] = c[1] = c[2] = c[3] = 0;
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      for (k = j + 1; k < n; k++)
        if (S[i * n + j] && S[i * n + k] && S[j * n + k])
          c[(S[i * n + j] < 0) + (S[i * n + k] < 0) + (S[j * n + k] < 0)]++;
  free(S);
}

/* trace(exp(M)) by the Taylor series: a second method for the walk score. */
static double trace_exp(int n, const double *M) {
  double *P = calloc((size_t)(n * n), sizeof *P), *Q = calloc((size_t)(n * n), sizeof *Q);
  double tr = n, fact = 1;
  int i, j, k, t;
  for (i = 0; i < n; i++) P[i * n + i] = 1;
  for (t = 1; t <= 120; t++) {
    for (i = 0; i < n; i++)
      for (j = 0; j < n; j++) {
        double s = 0;
        for (k = 0; k < n; k++) s += P[i * n + k] * M[k * n + j];
        Q[i * n + j] = s;
      }
    memcpy(P, Q, sizeof *P * (size_t)(n * n));
    fact *= t;
    for (i = 0; i < n; i++) tr += P[i * n + i] / fact;
  }
  free(P), free(Q);
  return tr;
}

static double walk_by_series(const ent_signed *g) {
  int32_t n = ent_signed_n(g), i;
  int *S = malloc(sizeof *S * (size_t)(n * n));
  double *A = malloc(sizeof *A * (size_t)(n * n)), *U = malloc(sizeof *U * (size_t)(n * n)), r;
  dense(g, S);
  for (i = 0; i < n * n; i++) A[i] = S[i], U[i] = abs(S[i]);
  r = trace_exp(n, A) / trace_exp(n, U);
  free(S), free(A), free(U);
  return r;
}

/* Frustration index by brute force over the 2^(n-1) partitions. */
static int64_t brute_frustration(const ent_signed *g) {
  int32_t n = ent_signed_n(g), m = ent_signed_m(g), e;
  uint32_t mask;
  int64_t best = -1;
  for (mask = 0; mask < (1u << (n - 1)); mask++) {
    int64_t L = 0;
    for (e = 0; e < m; e++) {
      ent_id u, v;
      double w;
      int xu, xv;
      ent_signed_edge(g, e, &u, &v, &w);
      xu = u == 0 ? 0 : (int)((mask >> (u - 1)) & 1);
      xv = v == 0 ? 0 : (int)((mask >> (v - 1)) & 1);
      L += (xu ^ xv ^ (w < 0)) & 1;
    }
    if (best < 0 || L < best) best = L;
  }
  return best;
}

static int64_t frust(const ent_signed *g, int exact, int enum_max, uint64_t seed,
                     ent_frust_result *res, int8_t *side) {
  ent_frust_opts o;
  ent_frust_result r;
  int8_t buf[4096];
  ent_frust_opts_init(&o);
  o.exact = exact;
  o.enum_max = enum_max;
  o.seed = seed;
  if (!side) side = buf;
  if (!res) res = &r;
  if (ent_signed_frustration(g, &o, side, res) != ENT_OK) return -1;
  return res->index;
}

/* ---------------------------------------------------- published values */

static int read_signed_csv(const char *path, edges *E, char names[][32]) {
  FILE *f = fopen(path, "r");
  char line[256];
  E->n = E->m = 0;
  if (!f) return 0;
  if (!fgets(line, sizeof line, f)) {
    fclose(f);
    return 0;
  }
  while (fgets(line, sizeof line, f)) {
    char x[64], y[64];
    int s, ids[2], k, i;
    if (sscanf(line, "%63[^,],%63[^,],%d", x, y, &s) != 3) continue;
    for (k = 0; k < 2; k++) {
      const char *nm = k ? y : x;
      for (i = 0; i < E->n && strcmp(names[i], nm) != 0; i++) {}
      if (i == E->n) strcpy(names[E->n++], nm);
      ids[k] = i;
    }
    add(E, ids[0], ids[1], s);
  }
  fclose(f);
  return 1;
}

static void test_tribes(void) {
  static edges E;
  static char names[64][32];
  ent_signed *g;
  int64_t c[4], bc[4];
  double tb, wb;
  ent_frust_result r;
  int8_t side[64];
  CHECK(read_signed_csv("data/signed/tribes.csv", &E, names));
  CHECK(E.n == 16 && E.m == 58);
  g = build(&E);
  CHECK(g != NULL);
  if (!g) return;
  CHECK(ent_signed_m(g) == 58 && ent_signed_npositive(g) == 29);
  CHECK(ent_signed_census(g, c) == ENT_OK);
  brute_census(g, bc);
  CHECK(memcmp(c, bc, sizeof c) == 0);
  CHECK(c[0] + c[1] + c[2] + c[3] == 68);
  /* signnet: balance_score(tribes, "triangles") = 0.8676471 */
  CHECK(ent_signed_balance_triangles(g, &tb) == ENT_OK);
  CLOSE(tb, 0.8676471, 5e-7);
  CLOSE(tb, 59.0 / 68.0, 1e-15);
  /* signnet: balance_score(tribes, "walk") = 0.3575761 */
  CHECK(ent_signed_balance_walk(g, &wb, NULL) == ENT_OK);
  CLOSE(wb, 0.3575761, 5e-7);
  CLOSE(wb, walk_by_series(g), 1e-12);
  /* signnet: frustration 7, balance_score(tribes, "frustration") = 0.7586207;
  ** branch and bound (enumeration off) and enumeration both prove it */
  CHECK(frust(g, 1, 0, 1, &r, side) == 7);
  CHECK(r.optimal && r.lower == 7 && !r.enumerated);
  CLOSE(1.0 - (double)r.index / (58 / 2.0), 0.7586207, 5e-7);
  CHECK(ent_signed_frustration_of(g, side) == 7);
  CHECK(frust(g, 1, ENT_FRUST_ENUM_MAXN, 1, &r, side) == 7);
  CHECK(r.optimal && r.lower == 7 && r.enumerated);
  CHECK(brute_frustration(g) == 7);
  CHECK(frust(g, 0, 0, 3, &r, side) >= 7);
  CHECK(r.lower <= 7);
  ent_signed_free(g);
}

/* ------------------------------------------------------------- spectra */

static int sorted_close(const double *x, const double *y, int n, double tol) {
  int i;
  for (i = 0; i < n; i++)
    if (fabs(x[i] - y[i]) > tol) return 0;
  return 1;
}

static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void test_eigen(void) {
  const double pi = 3.14159265358979323846;
  double a[400], ev[20], ex[20];
  int n, i, j;
  /* path P_n: 2 cos(k pi / (n + 1)) */
  n = 7;
  memset(a, 0, sizeof a);
  for (i = 0; i + 1 < n; i++) a[i * n + i + 1] = a[(i + 1) * n + i] = 1;
  CHECK(ent_sym_eigenvalues(n, a, ev) == ENT_OK);
  for (i = 0; i < n; i++) ex[i] = 2 * cos((i + 1) * pi / (n + 1));
  qsort(ex, (size_t)n, sizeof *ex, cmpd);
  CHECK(sorted_close(ev, ex, n, 1e-12));
  /* cycle C_n: 2 cos(2 pi k / n) */
  n = 9;
  memset(a, 0, sizeof a);
  for (i = 0; i < n; i++) a[i * n + (i + 1) % n] = a[((i + 1) % n) * n + i] = 1;
  CHECK(ent_sym_eigenvalues(n, a, ev) == ENT_OK);
  for (i = 0; i < n; i++) ex[i] = 2 * cos(2 * pi * i / n);
  qsort(ex, (size_t)n, sizeof *ex, cmpd);
  CHECK(sorted_close(ev, ex, n, 1e-12));
  /* complete K_5: 4 and -1 (four times) */
  n = 5;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) a[i * n + j] = i != j;
  CHECK(ent_sym_eigenvalues(n, a, ev) == ENT_OK);
  CLOSE(ev[4], 4, 1e-12);
  for (i = 0; i < 4; i++) CLOSE(ev[i], -1, 1e-12);
  /* random symmetric 12 x 12: trace and Frobenius norm are sums of the
  ** eigenvalues and of their squares */
  n = 12;
  {
    double tr = 0, fro = 0, s1 = 0, s2 = 0;
    for (i = 0; i < n; i++)
      for (j = 0; j <= i; j++) {
        double x = unif() * 2 - 1;
        a[i * n + j] = a[j * n + i] = x;
      }
    for (i = 0; i < n; i++) {
      tr += a[i * n + i];
      for (j = 0; j < n; j++) fro += a[i * n + j] * a[i * n + j];
    }
    CHECK(ent_sym_eigenvalues(n, a, ev) == ENT_OK);
    for (i = 0; i < n; i++) s1 += ev[i], s2 += ev[i] * ev[i];
    CLOSE(s1, tr, 1e-12);
    CLOSE(s2, fro, 1e-11);
    for (i = 0; i + 1 < n; i++) CHECK(ev[i] <= ev[i + 1]);
  }
  /* block diagonal [[0,1],[1,0]] + diag(2, 3) + [[1,1],[1,1]]: columns that
  ** are already zero after a reflection; spectrum {-1, 0, 1, 2, 2, 3} */
  n = 6;
  memset(a, 0, sizeof a);
  a[0 * n + 1] = a[1 * n + 0] = 1;
  a[2 * n + 2] = 2, a[3 * n + 3] = 3;
  a[4 * n + 4] = a[5 * n + 5] = a[4 * n + 5] = a[5 * n + 4] = 1;
  CHECK(ent_sym_eigenvalues(n, a, ev) == ENT_OK);
  ex[0] = -1, ex[1] = 0, ex[2] = 1, ex[3] = 2, ex[4] = 2, ex[5] = 3;
  CHECK(sorted_close(ev, ex, n, 1e-12));
  /* a permuted version (the zero column comes after a non-trivial step) */
  memset(a, 0, sizeof a);
  a[0 * n + 3] = a[3 * n + 0] = 1;
  a[1 * n + 1] = 2, a[2 * n + 2] = 3;
  a[4 * n + 4] = a[5 * n + 5] = a[4 * n + 5] = a[5 * n + 4] = 1;
  CHECK(ent_sym_eigenvalues(n, a, ev) == ENT_OK);
  CHECK(sorted_close(ev, ex, n, 1e-12));
  CHECK(ent_sym_eigenvalues(0, a, ev) == ENT_OK);
  a[0] = 3.5;
  CHECK(ent_sym_eigenvalues(1, a, ev) == ENT_OK && ev[0] == 3.5);
}

/* ------------------------------------------------------ hand-worked cases */

static void test_hand(void) {
  static edges E;
  ent_signed *g;
  int64_t c[4];
  double s;
  ent_frust_result r;
  int8_t side[16];
  const double e = exp(1.0);

  /* all-positive triangle: +++ only, every score 1 */
  memset(&E, 0, sizeof E);
  E.n = 3;
  add(&E, 0, 1, 1), add(&E, 1, 2, 1), add(&E, 0, 2, 1);
  g = build(&E);
  ent_signed_census(g, c);
  CHECK(c[0] == 1 && c[1] == 0 && c[2] == 0 && c[3] == 0);
  ent_signed_balance_triangles(g, &s);
  CHECK(s == 1);
  ent_signed_balance_walk(g, &s, NULL);
  CLOSE(s, 1, 1e-14);
  CHECK(frust(g, 1, 0, 1, &r, side) == 0 && r.optimal);
  CHECK(side[0] == 1 && side[1] == 1 && side[2] == 1);
  ent_signed_free(g);

  /* perfectly two-bloc K4, {0,1} against {2,3}: four +-- triangles */
  memset(&E, 0, sizeof E);
  E.n = 4;
  add(&E, 0, 1, 1), add(&E, 2, 3, 1);
  add(&E, 0, 2, -1), add(&E, 0, 3, -1), add(&E, 1, 2, -1), add(&E, 1, 3, -1);
  g = build(&E);
  ent_signed_census(g, c);
  CHECK(c[0] == 0 && c[1] == 0 && c[2] == 4 && c[3] == 0);
  ent_signed_balance_triangles(g, &s);
  CHECK(s == 1);
  ent_signed_balance_walk(g, &s, NULL);
  CLOSE(s, 1, 1e-14);
  CHECK(frust(g, 1, 0, 1, &r, side) == 0 && r.optimal);
  CHECK(side[0] == 1 && side[1] == 1 && side[2] == -1 && side[3] == -1);
  CHECK(frust(g, 0, 0, 1, &r, side) == 0 && r.optimal);
  ent_signed_free(g);

  /* K4 all positive but one flipped edge 0-1: the two triangles on 0-1 are
  ** ++-, the other two +++; one frustrated edge of six */
  memset(&E, 0, sizeof E);
  E.n = 4;
  add(&E, 0, 1, -1), add(&E, 0, 2, 1), add(&E, 0, 3, 1);
  add(&E, 1, 2, 1), add(&E, 1, 3, 1), add(&E, 2, 3, 1);
  g = build(&E);
  ent_signed_census(g, c);
  CHECK(c[0] == 2 && c[1] == 2 && c[2] == 0 && c[3] == 0);
  ent_signed_balance_triangles(g, &s);
  CHECK(s == 0.5);
  CHECK(frust(g, 1, 0, 1, &r, side) == 1 && r.optimal && r.lower == 1);
  {
    int32_t fe[8];
    int64_t nf;
    ent_signed_frustrated(g, side, fe, 8, &nf);
    CHECK(nf == 1 && fe[0] == ent_signed_edge_id(g, 0, 1));
  }
  ent_signed_balance_walk(g, &s, NULL);
  CLOSE(s, walk_by_series(g), 1e-12);
  ent_signed_free(g);

  /* one unbalanced triangle (one negative edge): switching-equivalent to
  ** -K3, spectrum {-2, 1, 1} against {2, -1, -1} for |A|; two isolated
  ** vertices add exp(0) = 1 to both sums */
  memset(&E, 0, sizeof E);
  E.n = 5;
  add(&E, 0, 1, 1), add(&E, 1, 2, 1), add(&E, 0, 2, -1);
  g = build(&E);
  ent_signed_balance_walk(g, &s, NULL);
  CLOSE(s, (exp(-2.0) + 2 * e + 2) / (exp(2.0) + 2 / e + 2), 1e-14);
  CHECK(frust(g, 1, 0, 1, &r, side) == 1 && r.optimal);
  CHECK(side[3] == 0 && side[4] == 0);
  ent_signed_census(g, c);
  CHECK(c[1] == 1 && c[0] + c[2] + c[3] == 0);
  ent_signed_free(g);

  /* no triangle: the triangle score is undefined (NaN), the walk score 1
  ** for a tree (balanced) */
  memset(&E, 0, sizeof E);
  E.n = 4;
  add(&E, 0, 1, -1), add(&E, 1, 2, 1), add(&E, 2, 3, -1);
  g = build(&E);
  ent_signed_balance_triangles(g, &s);
  CHECK(isnan(s));
  ent_signed_balance_walk(g, &s, NULL);
  CLOSE(s, 1, 1e-14);
  CHECK(frust(g, 1, 0, 1, &r, side) == 0 && r.optimal);
  CHECK(r.reduced_n == 0); /* a tree reduces away entirely */
  ent_signed_free(g);
}

/* ------------------------------------------------------- construction */

static void test_construction(void) {
  static edges E;
  ent_signed *g = NULL;
  char err[ENT_SIGNED_ERRLEN];
  memset(&E, 0, sizeof E);
  E.n = 4;
  add(&E, 0, 5, 1);
  CHECK(ent_signed_from_edges(E.n, E.m, E.a, E.b, E.w, &g, err, sizeof err) == ENT_EINVAL);
  CHECK(g == NULL && strstr(err, "vertex 5") && strstr(err, "edge 0"));
  E.m = 0;
  add(&E, 2, 2, 1);
  CHECK(ent_signed_from_edges(E.n, E.m, E.a, E.b, E.w, &g, err, sizeof err) == ENT_EINVAL);
  CHECK(strstr(err, "self-loop") != NULL);
  E.m = 0;
  add(&E, 0, 1, NAN);
  CHECK(ent_signed_from_edges(E.n, E.m, E.a, E.b, E.w, &g, err, sizeof err) == ENT_EINVAL);
  CHECK(strstr(err, "not finite") != NULL);
  CHECK(ent_signed_from_edges(-1, 0, E.a, E.b, E.w, &g, err, sizeof err) == ENT_EINVAL);
  /* repeated pairs are summed in either order; a zero sum is no edge, also
  ** when rounding leaves 1e-17 (0.1 + 0.2 - 0.3) */
  E.m = 0;
  add(&E, 1, 0, 0.5), add(&E, 0, 1, 0.25), add(&E, 2, 3, 1), add(&E, 3, 2, -1);
  add(&E, 0, 3, 0.1), add(&E, 0, 3, 0.2), add(&E, 3, 0, -0.3), add(&E, 1, 3, -2);
  g = build(&E);
  CHECK(ent_signed_m(g) == 2 && ent_signed_npositive(g) == 1);
  CHECK(ent_signed_weight(g, 0, 1) == 0.75 && ent_signed_weight(g, 1, 0) == 0.75);
  CHECK(ent_signed_weight(g, 2, 3) == 0 && ent_signed_weight(g, 0, 3) == 0);
  CHECK(ent_signed_weight(g, 3, 1) == -2);
  CHECK(ent_signed_edge_id(g, 0, 1) == 0 && ent_signed_edge_id(g, 1, 3) == 1);
  CHECK(ent_signed_degree(g, 1) == 2 && ent_signed_degree(g, 2) == 0);
  {
    const int32_t *off, *nbr;
    int32_t v, k, ok = 1;
    ent_signed_csr(g, &off, &nbr, NULL, NULL);
    for (v = 0; v < 4; v++)
      for (k = off[v] + 1; k < off[v + 1]; k++) ok &= nbr[k - 1] < nbr[k];
    CHECK(ok);
  }
  ent_signed_free(g);
  /* the walk score refuses a component over the dense limit */
  {
    static int32_t a[ENT_WALK_MAXN + 1], b[ENT_WALK_MAXN + 1];
    static double w[ENT_WALK_MAXN + 1];
    int32_t i, big = 0;
    double s;
    for (i = 0; i < ENT_WALK_MAXN; i++) a[i] = i, b[i] = i + 1, w[i] = 1;
    CHECK(ent_signed_from_edges(ENT_WALK_MAXN + 1, ENT_WALK_MAXN, a, b, w, &g, err, sizeof err) ==
          ENT_OK);
    CHECK(ent_signed_balance_walk(g, &s, &big) == ENT_ELIMIT && big == ENT_WALK_MAXN + 1);
    ent_signed_free(g);
  }
}

/* --------------------------------------------- random graphs, two methods */

static void random_graph(edges *E, int32_t n, double p, double pneg) {
  int32_t i, j;
  memset(E, 0, sizeof *E);
  E->n = n;
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      if (unif() < p) add(E, i, j, unif() < pneg ? -1 : 1);
}

static void test_random(void) {
  static edges E;
  int t;
  for (t = 0; t < 120; t++) {
    int32_t n = 4 + (int32_t)(rnd() % 11), v, k;
    ent_signed *g;
    int64_t c[4], bc[4], *vc, L, Lb, Le, Lh, tri = 0;
    double s, s2;
    ent_frust_result r;
    int8_t side[32];
    random_graph(&E, n, 0.2 + 0.7 * unif(), unif());
    g = build(&E);
    if (!g) continue;
    ent_signed_census(g, c);
    brute_census(g, bc);
    CHECK(memcmp(c, bc, sizeof c) == 0);
    /* per-vertex census: each triangle counted at its three vertices, and
    ** listing at a vertex finds as many */
    vc = calloc(4 * (size_t)n, sizeof *vc);
    ent_signed_vertex_census(g, vc);
    for (k = 0; k < 4; k++) {
      int64_t sum = 0;
      for (v = 0; v < n; v++) sum += vc[4 * v + k];
      CHECK(sum == 3 * c[k]);
    }
    for (v = 0; v < n; v++) {
      int64_t cnt;
      ent_signed_triangles_at(g, v, NULL, 0, &cnt);
      CHECK(cnt == vc[4 * v] + vc[4 * v + 1] + vc[4 * v + 2] + vc[4 * v + 3]);
      tri += cnt;
    }
    CHECK(tri == 3 * (c[0] + c[1] + c[2] + c[3]));
    free(vc);
    ent_signed_balance_walk(g, &s, NULL);
    s2 = walk_by_series(g);
    CLOSE(s, s2, 1e-10 * s2);
    CHECK(s > 0 && s <= 1 + 1e-12);
    /* frustration: brute force = branch and bound = enumeration <= heuristic */
    Lb = brute_frustration(g);
    L = frust(g, 1, 0, (uint64_t)t, &r, side);
    CHECK(L == Lb && r.optimal && r.lower == Lb);
    CHECK(ent_signed_frustration_of(g, side) == L);
    Le = frust(g, 1, ENT_FRUST_ENUM_MAXN, (uint64_t)t, &r, side);
    CHECK(Le == Lb && r.enumerated);
    Lh = frust(g, 0, 0, (uint64_t)t, &r, side);
    CHECK(Lh >= Lb && r.lower <= Lb && r.heuristic == Lh);
    CHECK(ent_signed_frustration_of(g, side) == Lh);
    CHECK(2 * L <= ent_signed_m(g));
    ent_signed_free(g);
  }
}

/* A planted two-bloc graph is balanced on every method; flipping k edges
** that share no triangle and no cycle... is checked by brute force instead. */
static void test_balanced(void) {
  static edges E;
  int t;
  for (t = 0; t < 30; t++) {
    int32_t n = 5 + (int32_t)(rnd() % 30), i, j;
    int bloc[64];
    ent_signed *g;
    double s;
    int64_t c[4];
    ent_frust_result r;
    int8_t side[64];
    memset(&E, 0, sizeof E);
    E.n = n;
    for (i = 0; i < n; i++) bloc[i] = (int)(rnd() & 1);
    for (i = 0; i < n; i++)
      for (j = i + 1; j < n; j++)
        if (unif() < 0.4) add(&E, i, j, bloc[i] == bloc[j] ? 1 : -1);
    g = build(&E);
    ent_signed_census(g, c);
    CHECK(c[1] == 0 && c[3] == 0);
    ent_signed_balance_triangles(g, &s);
    CHECK(isnan(s) || s == 1);
    ent_signed_balance_walk(g, &s, NULL);
    CLOSE(s, 1, 1e-12);
    CHECK(frust(g, 1, 0, 7, &r, side) == 0 && r.optimal);
    CHECK(frust(g, 0, 0, 7, &r, side) == 0 && r.optimal);
    for (i = 0; i < n; i++)
      for (j = i + 1; j < n; j++)
        if (ent_signed_weight(g, i, j) != 0) CHECK((side[i] == side[j]) == (bloc[i] == bloc[j]));
    ent_signed_free(g);
  }
}

/* The exact reductions and blocks: two copies of the tribes graph glued at a
** cut vertex, plus pendant trees and a series path; checked against the
** brute force on a smaller glued pair and on the additivity over blocks. */
static void test_blocks(void) {
  static edges T, E;
  static char names[64][32];
  ent_signed *g;
  ent_frust_result r;
  int8_t side[128];
  int32_t i;
  read_signed_csv("data/signed/tribes.csv", &T, names);
  memset(&E, 0, sizeof E);
  E.n = 2 * T.n - 1 + 6;
  for (i = 0; i < T.m; i++) {
    add(&E, T.a[i], T.b[i], T.w[i]);
    /* second copy: vertex 0 shared, others shifted */
    add(&E, T.a[i] ? T.a[i] + T.n - 1 : 0, T.b[i] ? T.b[i] + T.n - 1 : 0, T.w[i]);
  }
  /* a pendant path and a series path (degree-2 vertices) between copies */
  add(&E, 5, 31, 1), add(&E, 31, 32, -1), add(&E, 32, 33, 1);
  add(&E, 3, 34, -1), add(&E, 34, 35, -1), add(&E, 35, 36, 1), add(&E, 36, 20, 1);
  g = build(&E);
  CHECK(frust(g, 1, 0, 1, &r, side) >= 14);
  CHECK(r.optimal && r.index == r.lower);
  CHECK(r.blocks >= 1);
  CHECK(ent_signed_frustration_of(g, side) == r.index);
  /* the series path joins the two copies into one block of the reduced
  ** graph; without it the index is exactly 7 + 7 over two blocks */
  ent_signed_free(g);
  E.m -= 4;
  g = build(&E);
  CHECK(frust(g, 1, 0, 1, &r, side) == 14 && r.optimal && r.blocks == 2);
  CHECK(r.largest_block == 16);
  ent_signed_free(g);
  /* small glued graphs against the brute force */
  {
    int t;
    for (t = 0; t < 40; t++) {
      static edges A;
      int32_t n1 = 4 + (int32_t)(rnd() % 4), n2 = 4 + (int32_t)(rnd() % 4);
      random_graph(&A, n1, 0.7, 0.4);
      memset(&E, 0, sizeof E);
      E.n = n1 + n2 - 1 + 2;
      for (i = 0; i < A.m; i++) add(&E, A.a[i], A.b[i], A.w[i]);
      random_graph(&A, n2, 0.7, 0.4);
      for (i = 0; i < A.m; i++)
        add(&E, A.a[i] ? A.a[i] + n1 - 1 : 0, A.b[i] ? A.b[i] + n1 - 1 : 0, A.w[i]);
      add(&E, 1, n1 + n2 - 1, -1), add(&E, n1 + n2 - 1, n1 + n2, 1), add(&E, n1 + n2, n1, -1);
      E.n = n1 + n2 + 1;
      g = build(&E);
      CHECK(frust(g, 1, 0, (uint64_t)t, &r, side) == brute_frustration(g) && r.optimal);
      CHECK(ent_signed_frustration_of(g, side) == r.index);
      ent_signed_free(g);
    }
  }
}

/* Sparse graphs too large for the brute force: branch and bound against the
** heuristic from several seeds (never below), with the triangle packing as
** a bound that is never above. */
static void test_medium(void) {
  static edges E;
  int t;
  for (t = 0; t < 12; t++) {
    int32_t n = 30 + (int32_t)(rnd() % 30), s;
    ent_signed *g;
    ent_frust_result r;
    int8_t side[128];
    int64_t L, lb;
    random_graph(&E, n, 6.0 / n, 0.3);
    g = build(&E);
    L = frust(g, 1, 0, 1, &r, side);
    CHECK(r.optimal && r.lower == L);
    CHECK(ent_signed_triangle_packing(g, &lb) == ENT_OK && lb <= L);
    for (s = 1; s <= 3; s++) CHECK(frust(g, 0, 0, (uint64_t)s, &r, side) >= L);
    ent_signed_free(g);
  }
}


/* ------------------------------------------------------- from a world */

static ent_date D(const char *s) {
  ent_date d = 0;
  ent_date_parse(s, strlen(s), &d);
  return d;
}

static void test_world(void) {
  ent_world *w;
  ent_id a, b, c, x, r;
  int defence, trade, rivalry, sanction, nk, k;
  ent_signed *g = NULL;
  char err[ENT_SIGNED_ERRLEN];
  double kw[64];
  CHECK(ent_world_new(&w) == ENT_OK);
  ent_actor_add(w, "AAA", "A", &a);
  ent_actor_add(w, "BBB", "B", &b);
  ent_actor_add(w, "CCC", "C", &c);
  ent_actor_add(w, "XXX", "X", &x);
  ent_kind_find(w, "defence", &defence);
  ent_kind_find(w, "trade", &trade);
  ent_kind_find(w, "rivalry", &rivalry);
  ent_kind_find(w, "sanction", &sanction);
  /* A-B: defence 1 from 2000 + trade 0.4 (weight 0.5) = 1.2 from 2000, 0.2 before */
  ent_relate(w, a, b, defence, 1.0, D("2000-01-01"), ENT_DATE_MAX, NULL, &r);
  ent_relate(w, b, a, trade, 0.4, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
  /* A-C: rivalry 0.5 against trade 1.0 * 0.5: a zero sum, no tie */
  ent_relate(w, a, c, rivalry, 0.5, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
  ent_relate(w, c, a, trade, 1.0, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
  /* C -> B sanction (directed) 0.6, ended in 2010 */
  ent_relate(w, c, b, sanction, 0.6, ENT_DATE_MIN, D("2010-01-01"), NULL, &r);
  /* X is removed with its relation */
  ent_relate(w, x, a, defence, 1.0, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
  ent_actor_remove(w, x);
  CHECK(ent_signed_default_weight(w, trade) == 0.5 && ent_signed_default_weight(w, defence) == 1);
  CHECK(ent_signed_from_world(w, D("2005-06-01"), NULL, 0, &g, err, sizeof err) == ENT_OK);
  CHECK(ent_signed_n(g) == 4 && ent_signed_nvertices(g) == 3 && !ent_signed_present(g, x));
  CLOSE(ent_signed_weight(g, a, b), 1.2, 1e-15);
  CHECK(ent_signed_weight(g, a, c) == 0);
  CLOSE(ent_signed_weight(g, b, c), -0.6, 1e-15);
  CHECK(ent_signed_m(g) == 2);
  ent_signed_free(g);
  CHECK(ent_signed_from_world(w, D("1990-06-01"), NULL, 0, &g, err, sizeof err) == ENT_OK);
  CLOSE(ent_signed_weight(g, a, b), 0.2, 1e-15);
  ent_signed_free(g);
  CHECK(ent_signed_from_world(w, D("2015-06-01"), NULL, 0, &g, err, sizeof err) == ENT_OK);
  CHECK(ent_signed_weight(g, b, c) == 0 && ent_signed_m(g) == 1);
  ent_signed_free(g);
  /* overriding: trade weight 1 makes A-C positive (1.0 - 0.5) */
  nk = ent_kind_count(w);
  for (k = 0; k < nk; k++) kw[k] = ent_signed_default_weight(w, k);
  kw[trade] = 1.0;
  CHECK(ent_signed_from_world(w, D("2015-06-01"), kw, nk, &g, err, sizeof err) == ENT_OK);
  CLOSE(ent_signed_weight(g, a, c), 0.5, 1e-15);
  CLOSE(ent_signed_weight(g, a, b), 1.4, 1e-15);
  ent_signed_free(g);
  kw[rivalry] = -1;
  g = NULL;
  CHECK(ent_signed_from_world(w, D("2015-06-01"), kw, nk, &g, err, sizeof err) == ENT_EINVAL);
  CHECK(g == NULL && strstr(err, "rivalry") && strstr(err, "-1"));
  ent_world_free(w);
}

int main(void) {
  test_world();
  test_tribes();
  test_eigen();
  test_hand();
  test_construction();
  test_random();
  test_balanced();
  test_blocks();
  test_medium();
  printf("test_balance: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
