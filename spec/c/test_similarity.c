/*
** test_similarity.c - the similarity and capability kernels through the C
** API only (no Lua).  Hand-worked cases (worked on paper in the comments),
** a slow second implementation of every measure compared on random
** portfolios, thread-count independence, error handling.  Exits non-zero
** on failure.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capability.h"
#include "similarity.h"

static int failures = 0, checks = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    checks++;                                                              \
    if (!(cond)) {                                                         \
      failures++;                                                          \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

#define NEAR(a, b) near_((a), (b), __FILE__, __LINE__)
/* 1 if a and b agree to 1e-12 (relative); prints the pair otherwise */
static int close_(double a, double b, const char *f, int line) {
  if (fabs(a - b) <= 1e-12 * (1 + fabs(b))) return 1;
  fprintf(stderr, "%s:%d: %.17g != %.17g\n", f, line, a, b);
  return 0;
}
static void near_(double a, double b, const char *f, int line) {
  checks++;
  if (!close_(a, b, f, line)) failures++;
}
/* inside loops: count disagreements, checked once after the loop */
#define AGREE(a, b) (mismatches += !close_((a), (b), __FILE__, __LINE__))

static double sim(const uint8_t *P, int n, int i, int j, ent_sim_method m, ent_sim_distance d,
                  int maxlevel, const double *w) {
  ent_sim_opts o;
  double v = -99;
  ent_sim_opts_init(&o);
  o.method = m;
  o.distance = d;
  o.maxlevel = maxlevel;
  o.weights = w;
  if (ent_sim_dyad(P, n, i, j, &o, &v) != ENT_OK) { /* counted only when it fails */
    checks++;
    failures++;
    fprintf(stderr, "ent_sim_dyad failed for (%d, %d)\n", i, j);
  }
  return v;
}

/* The three-state example of docs/cow.md ("worked on paper"):
**        A  B  C
**   A  [ 3  3  0 ]   A-B defence pact, A-C nothing
**   B  [ 3  3  1 ]   B-C non-aggression
**   C  [ 0  1  3 ]
*/
static void test_three_states(void) {
  static const uint8_t P[9] = {3, 3, 0, 3, 3, 1, 0, 1, 3};
  static const double w[3] = {0.5, 0.3, 0.2};
  /* S, absolute: sum |d| over k = 1 (A,B), 8 (A,C), 7 (B,C); n = 3, range 3 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_S, ENT_DIST_ABS, 3, NULL), 1 - 2.0 * 1 / 9); /* 7/9 */
  NEAR(sim(P, 3, 0, 2, ENT_SIM_S, ENT_DIST_ABS, 3, NULL), 1 - 2.0 * 8 / 9); /* -7/9 */
  NEAR(sim(P, 3, 1, 2, ENT_SIM_S, ENT_DIST_ABS, 3, NULL), 1 - 2.0 * 7 / 9); /* -5/9 */
  /* S, squared: 1 and 9 + 4 + 9 = 22, range^2 = 9 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_S, ENT_DIST_SQ, 3, NULL), 25.0 / 27);
  NEAR(sim(P, 3, 0, 2, ENT_SIM_S, ENT_DIST_SQ, 3, NULL), -17.0 / 27);
  /* S weighted by (.5, .3, .2): A,B 0.2*1 = 0.2 -> 1 - 0.4/3 = 13/15;
  ** A,C .5*3 + .3*2 + .2*3 = 2.7 -> 1 - 5.4/3 = -0.8 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_S, ENT_DIST_ABS, 3, w), 13.0 / 15);
  NEAR(sim(P, 3, 0, 2, ENT_SIM_S, ENT_DIST_ABS, 3, w), -0.8);
  /* weighted, squared: A,C .5*9 + .3*4 + .2*9 = 7.5 -> 1 - 15/9 = -2/3 */
  NEAR(sim(P, 3, 0, 2, ENT_SIM_S, ENT_DIST_SQ, 3, w), -2.0 / 3);
  /* kappa, nominal, A,B: p_o = 2/3; A has {3: 2/3, 0: 1/3}, B {3: 2/3,
  ** 1: 1/3}; p_e = 4/9; kappa = (2/3 - 4/9) / (5/9) = 0.4 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_KAPPA, ENT_DIST_NOMINAL, 3, NULL), 0.4);
  /* Scott's pi, A,B: pooled {3: 2/3, 0: 1/6, 1: 1/6}, p_e = 1/2 -> 1/3 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_PI, ENT_DIST_NOMINAL, 3, NULL), 1.0 / 3);
  /* quadratic kappa, A,B: D_o = 1/3; D_e = 4/9*0 + 2/9*4 + 2/9*9 + 1/9*1 = 3
  ** -> 1 - 1/9 = 8/9 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_KAPPA, ENT_DIST_SQ, 3, NULL), 8.0 / 9);
  /* kappa, A,C: p_o = 0; C is {0, 1, 3} a third each; p_e = 2/9 + 1/9 = 1/3
  ** -> (0 - 1/3) / (2/3) = -0.5 */
  NEAR(sim(P, 3, 0, 2, ENT_SIM_KAPPA, ENT_DIST_NOMINAL, 3, NULL), -0.5);
  /* tau-b, A,B: pairs (1,2) tied in both, (1,3) and (2,3) concordant:
  ** 2 / sqrt((3-1)(3-1)) = 1 */
  NEAR(sim(P, 3, 0, 1, ENT_SIM_TAUB, ENT_DIST_ABS, 3, NULL), 1.0);
  /* tau-b, A,C: (1,2) tied in A only, (1,3), (2,3) discordant:
  ** -2 / sqrt(2 * 3) */
  NEAR(sim(P, 3, 0, 2, ENT_SIM_TAUB, ENT_DIST_ABS, 3, NULL), -2 / sqrt(6.0));
}

static void test_extremes(void) {
  /* identical rows give 1 with every measure */
  static const uint8_t same[9] = {3, 2, 1, 3, 2, 1, 0, 0, 3};
  /* opposite binary rows: (1 0 1 0) and (0 1 0 1) */
  static const uint8_t opp[16] = {1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1};
  /* opposite ordinal rows: (3 0 3 0) and (0 3 0 3) */
  static const uint8_t opp3[16] = {3, 0, 3, 0, 0, 3, 0, 3, 3, 0, 3, 0, 0, 3, 0, 3};
  static const double w[3] = {1, 2, 3};
  int m, d;
  for (m = ENT_SIM_S; m <= ENT_SIM_TAUB; m++)
    for (d = ENT_DIST_ABS; d <= ENT_DIST_NOMINAL; d++) {
      if (m == ENT_SIM_S && d == ENT_DIST_NOMINAL) continue;
      NEAR(sim(same, 3, 0, 1, (ent_sim_method)m, (ent_sim_distance)d, 3, NULL), 1.0);
      NEAR(sim(opp, 4, 0, 1, (ent_sim_method)m, (ent_sim_distance)d, 1, NULL), -1.0);
      NEAR(sim(opp3, 4, 0, 1, (ent_sim_method)m, (ent_sim_distance)d, 3, NULL), -1.0);
    }
  NEAR(sim(same, 3, 0, 1, ENT_SIM_S, ENT_DIST_ABS, 3, w), 1.0);
  /* no variation: kappa of two constant, equal rows is undefined */
  {
    static const uint8_t flat[4] = {1, 1, 1, 1};
    CHECK(isnan(sim(flat, 2, 0, 1, ENT_SIM_KAPPA, ENT_DIST_NOMINAL, 1, NULL)));
    CHECK(isnan(sim(flat, 2, 0, 1, ENT_SIM_TAUB, ENT_DIST_ABS, 1, NULL)));
    NEAR(sim(flat, 2, 0, 1, ENT_SIM_S, ENT_DIST_ABS, 1, NULL), 1.0);
  }
}

/* ---- slow reference implementations, straight from the definitions ---- */

static double ref_s(const uint8_t *x, const uint8_t *y, int n, int sq, int L, const double *w) {
  double num = 0, den = 0;
  int k;
  for (k = 0; k < n; k++) {
    double d = fabs((double)x[k] - y[k]), wk = w ? w[k] : 1;
    num += wk * (sq ? d * d / ((double)L * L) : d / L);
    den += wk;
  }
  return 1 - 2 * num / den;
}

static double dist(int a, int b, int kind) {
  int d = abs(a - b);
  return kind == ENT_DIST_SQ ? d * d : kind == ENT_DIST_NOMINAL ? (d != 0) : d;
}

static double ref_kappa(const uint8_t *x, const uint8_t *y, int n, int kind, int pooled) {
  double px[4] = {0}, py[4] = {0}, Do = 0, De = 0;
  int k, a, b;
  for (k = 0; k < n; k++) {
    px[x[k]] += 1.0 / n;
    py[y[k]] += 1.0 / n;
    Do += dist(x[k], y[k], kind) / n;
  }
  for (a = 0; a < 4; a++)
    for (b = 0; b < 4; b++) {
      double pa = pooled ? (px[a] + py[a]) / 2 : px[a];
      double pb = pooled ? (px[b] + py[b]) / 2 : py[b];
      De += pa * pb * dist(a, b, kind);
    }
  return 1 - Do / De;
}

static double ref_taub(const uint8_t *x, const uint8_t *y, int n) {
  double nc = 0, nd = 0, tx = 0, ty = 0, n0 = n * (n - 1) / 2.0;
  int i, j;
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++) {
      int dx = (x[i] > x[j]) - (x[i] < x[j]), dy = (y[i] > y[j]) - (y[i] < y[j]);
      if (dx == 0) tx++;
      if (dy == 0) ty++;
      if (dx * dy > 0) nc++;
      if (dx * dy < 0) nd++;
    }
  return (nc - nd) / sqrt((n0 - tx) * (n0 - ty));
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng >> 32);
}

/* a random symmetric-ish portfolio matrix with mostly zeros */
static void random_portfolios(uint8_t *P, int n, int L) {
  int i, k;
  for (i = 0; i < n; i++)
    for (k = 0; k < n; k++) {
      unsigned r = rnd() % 10;
      P[i * n + k] = (uint8_t)(i == k ? L : r < 6 ? 0 : (int)(r % (unsigned)(L + 1)));
    }
}

static void test_against_reference(void) {
  enum { N = 211 };
  uint8_t *P = (uint8_t *)malloc(N * N);
  double *w = (double *)malloc(N * sizeof(double));
  double *all1 = (double *)malloc(N * N * sizeof(double));
  double *all2 = (double *)malloc(N * N * sizeof(double));
  int L, i, j, k, cases = 0, mismatches = 0;
  for (k = 0; k < N; k++) w[k] = (rnd() % 1000) / 997.0;
  for (L = 1; L <= 3; L += 2) {
    ent_sim_opts o;
    random_portfolios(P, N, L);
    for (i = 0; i < N; i += 7)
      for (j = 0; j < N; j += 5) {
        const uint8_t *x = P + i * N, *y = P + j * N;
        AGREE(sim(P, N, i, j, ENT_SIM_S, ENT_DIST_ABS, L, NULL), ref_s(x, y, N, 0, L, NULL));
        AGREE(sim(P, N, i, j, ENT_SIM_S, ENT_DIST_SQ, L, NULL), ref_s(x, y, N, 1, L, NULL));
        AGREE(sim(P, N, i, j, ENT_SIM_S, ENT_DIST_ABS, L, w), ref_s(x, y, N, 0, L, w));
        AGREE(sim(P, N, i, j, ENT_SIM_S, ENT_DIST_SQ, L, w), ref_s(x, y, N, 1, L, w));
        for (k = ENT_DIST_ABS; k <= ENT_DIST_NOMINAL; k++) {
          AGREE(sim(P, N, i, j, ENT_SIM_KAPPA, (ent_sim_distance)k, L, NULL), ref_kappa(x, y, N, k, 0));
          AGREE(sim(P, N, i, j, ENT_SIM_PI, (ent_sim_distance)k, L, NULL), ref_kappa(x, y, N, k, 1));
        }
        AGREE(sim(P, N, i, j, ENT_SIM_TAUB, ENT_DIST_ABS, L, NULL), ref_taub(x, y, N));
        cases++;
      }
    /* the all-dyads pass equals the one-dyad function, whatever the threads */
    {
      static const ent_sim_method ms[4] = {ENT_SIM_S, ENT_SIM_KAPPA, ENT_SIM_PI, ENT_SIM_TAUB};
      int mi;
      for (mi = 0; mi < 4; mi++) {
        int bad = 0;
        ent_sim_opts_init(&o);
        o.method = ms[mi];
        o.maxlevel = L;
        o.distance = ms[mi] == ENT_SIM_S ? ENT_DIST_ABS : ENT_DIST_SQ;
        CHECK(ent_sim_all(P, N, &o, 1, all1) == ENT_OK);
        CHECK(ent_sim_all(P, N, &o, 2, all2) == ENT_OK);
        CHECK(memcmp(all1, all2, N * N * sizeof(double)) == 0);
        CHECK(ent_sim_all(P, N, &o, 3, all2) == ENT_OK);
        CHECK(memcmp(all1, all2, N * N * sizeof(double)) == 0);
        for (i = 0; i < N; i += 3)
          for (j = 0; j < N; j += 2) {
            double v;
            ent_sim_dyad(P, N, i, j, &o, &v);
            if (memcmp(&v, &all1[i * N + j], sizeof v) != 0) bad++;
            if (memcmp(&all1[j * N + i], &all1[i * N + j], sizeof v) != 0) bad++;
            if (!(v >= -1 - 1e-12 && v <= 1 + 1e-12)) bad++;
          }
        CHECK(bad == 0);
      }
      /* weighted S through the all-dyads pass */
      ent_sim_opts_init(&o);
      o.maxlevel = L;
      o.weights = w;
      CHECK(ent_sim_all(P, N, &o, 2, all1) == ENT_OK);
      NEAR(all1[5 * N + 17], ref_s(P + 5 * N, P + 17 * N, N, 0, L, w));
    }
  }
  CHECK(cases > 100);
  CHECK(mismatches == 0); /* every measure equals its slow reference */
  free(P);
  free(w);
  free(all1);
  free(all2);
}

static void test_errors(void) {
  static const uint8_t P[4] = {3, 4, 0, 3};
  static const double wneg[2] = {1, -1};
  ent_sim_opts o;
  int64_t bad = 0;
  double out[4], v;
  ent_sim_opts_init(&o);
  CHECK(ent_sim_check(P, 2, &o, &bad) == ENT_EINVAL && bad == 1); /* level 4 > 3 */
  CHECK(ent_sim_all(P, 2, &o, 1, out) == ENT_EINVAL);
  o.maxlevel = 1;
  CHECK(ent_sim_check((const uint8_t *)"\1\0\0\1", 2, &o, &bad) == ENT_OK);
  o.weights = wneg;
  CHECK(ent_sim_check((const uint8_t *)"\1\0\0\1", 2, &o, &bad) == ENT_EINVAL && bad == -3);
  ent_sim_opts_init(&o);
  o.distance = ENT_DIST_NOMINAL; /* not for S */
  CHECK(ent_sim_dyad(P, 2, 0, 0, &o, &v) == ENT_EINVAL);
  ent_sim_opts_init(&o);
  CHECK(ent_sim_dyad(P, 2, 0, 2, &o, &v) == ENT_EINVAL);
  o.maxlevel = 4;
  CHECK(ent_sim_dyad(P, 2, 0, 1, &o, &v) == ENT_EINVAL);
}

static void test_atop(void) {
  ent_atop *s = NULL;
  uint8_t P[9], B[9];
  int32_t cc[3] = {2, 200, 365};
  int32_t dup[3] = {2, 200, 2};
  size_t first, count;
  CHECK(ent_tie_level(ENT_ATOP_DEFENCE | ENT_ATOP_CONSULTATION, 0) == 3);
  CHECK(ent_tie_level(ENT_ATOP_OFFENCE, 0) == 3);
  CHECK(ent_tie_level(ENT_ATOP_NEUTRALITY | ENT_ATOP_NONAGGRESSION, 0) == 2);
  CHECK(ent_tie_level(ENT_ATOP_CONSULTATION, 0) == 2);
  CHECK(ent_tie_level(ENT_ATOP_NONAGGRESSION, 0) == 1);
  CHECK(ent_tie_level(0, 0) == 0);
  CHECK(ent_tie_level(ENT_ATOP_NONAGGRESSION, 1) == 1);
  CHECK(ent_tie_level(0, 1) == 0);
  CHECK(ent_atop_new(&s) == ENT_OK);
  /* added out of year order on purpose */
  CHECK(ent_atop_add(s, 1915, 2, 200, ENT_ATOP_DEFENCE) == ENT_OK);
  CHECK(ent_atop_add(s, 1914, 200, 365, ENT_ATOP_CONSULTATION) == ENT_OK);
  CHECK(ent_atop_add(s, 1914, 365, 200, ENT_ATOP_CONSULTATION | ENT_ATOP_NONAGGRESSION) == ENT_OK);
  CHECK(ent_atop_add(s, 1914, 2, 365, ENT_ATOP_NONAGGRESSION) == ENT_OK); /* one-sided */
  CHECK(ent_atop_add(s, 1914, 2, 999, ENT_ATOP_DEFENCE) == ENT_OK);       /* outside */
  CHECK(ent_atop_add(s, 1914, 2, 20, 0x20) == ENT_EINVAL);
  CHECK(ent_atop_add(s, 1914, -1, 20, 0) == ENT_EINVAL);
  CHECK(ent_atop_add(s, 1914, 2, 10000, 0) == ENT_EINVAL);
  CHECK(ent_atop_count(s) == 5);
  CHECK(ent_atop_year(s, 1914, &first, &count) == ENT_OK && first == 0 && count == 4);
  CHECK(ent_atop_year(s, 1915, &first, &count) == ENT_OK && first == 4 && count == 1);
  CHECK(ent_atop_year(s, 1900, &first, &count) == ENT_OK && count == 0);
  CHECK(ent_atop_portfolios(s, 1914, 3, cc, 0, P) == ENT_OK);
  {
    static const uint8_t want[9] = {3, 0, 1, 0, 3, 2, 0, 2, 3};
    CHECK(memcmp(P, want, 9) == 0);
  }
  CHECK(ent_atop_portfolios(s, 1914, 3, cc, 1, B) == ENT_OK);
  {
    static const uint8_t want[9] = {1, 0, 1, 0, 1, 1, 0, 1, 1};
    CHECK(memcmp(B, want, 9) == 0);
  }
  {
    unsigned f = 99;
    CHECK(ent_atop_flags(s, 1914, 365, 200, &f) == ENT_OK &&
          f == (ENT_ATOP_CONSULTATION | ENT_ATOP_NONAGGRESSION));
    CHECK(ent_atop_flags(s, 1914, 2, 365, &f) == ENT_OK && f == ENT_ATOP_NONAGGRESSION);
    CHECK(ent_atop_flags(s, 1914, 365, 2, &f) == ENT_ENOTFOUND && f == 0);
    CHECK(ent_atop_flags(s, 1915, 2, 200, &f) == ENT_OK && f == ENT_ATOP_DEFENCE);
    CHECK(ent_atop_flags(s, 1916, 2, 200, &f) == ENT_ENOTFOUND);
  }
  CHECK(ent_atop_portfolios(s, 1914, 3, dup, 0, P) == ENT_EINVAL);
  /* the scratch index was restored: a good call still works */
  CHECK(ent_atop_portfolios(s, 1915, 3, cc, 0, P) == ENT_OK && P[1] == 3 && P[3] == 0);
  ent_atop_free(s);
}

static void test_cinc(void) {
  /* three states; NaN = missing.  Totals: milex 40, milper 4, irst 4,
  ** pec 20, tpop 400, upop 40.
  **   A shares .25 .25 0 .25 .25 .25        -> 1.25 / 6
  **   B shares  -  .75 .5 .25 .25 .75       -> 2.5 / 5 = .5
  **   C shares .75  0  .5 .5  .5   -        -> 2.25 / 5 = .45 */
  double comp[18] = {10, 1, 0, 5, 100, 10,
                     NAN, 3, 2, 5, 100, 30,
                     30, 0, 2, 10, 200, NAN};
  double cinc[3], sh[18];
  int64_t bad;
  int c, i;
  CHECK(ent_cinc(3, comp, cinc, sh, &bad) == ENT_OK);
  NEAR(cinc[0], 1.25 / 6);
  NEAR(cinc[1], 0.5);
  NEAR(cinc[2], 0.45);
  CHECK(isnan(sh[6]) && isnan(sh[17]));
  for (c = 0; c < 6; c++) {
    double s = 0;
    for (i = 0; i < 3; i++)
      if (!isnan(sh[i * 6 + c])) s += sh[i * 6 + c];
    NEAR(s, 1.0);
  }
  {
    int32_t ids[2] = {0, 2}, miss = -1;
    NEAR(ent_bloc_capability(cinc, ids, 2, &miss), 1.25 / 6 + 0.45);
    CHECK(miss == 0);
  }
  comp[4] = -5;
  CHECK(ent_cinc(3, comp, cinc, NULL, &bad) == ENT_EINVAL && bad == 4);
  comp[4] = HUGE_VAL;
  CHECK(ent_cinc(3, comp, cinc, NULL, &bad) == ENT_EINVAL && bad == 4);
}

int main(void) {
  test_three_states();
  test_extremes();
  test_against_reference();
  test_errors();
  test_atop();
  test_cinc();
  printf("test_similarity: %d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
