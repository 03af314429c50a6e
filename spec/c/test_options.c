/*
** test_options.c - the options kernel on its C API: distributions against
** closed forms, a small world whose six criteria are worked out by hand,
** Monte Carlo collapsing to the point value without uncertainty, dominance
** of an option that only adds a threat, ties of identical options, the same
** answer for any thread count, the entrapment polynomial against a direct
** cascade run at random parameters, term semantics and error paths.
** Exits non-zero on failure.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"
#include "options.h"
#include "cascade.h"

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) passed++; \
    else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
  } while (0)

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static ent_dist CONST(double v) { ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_CONST; d.a = v; return d; }
static ent_dist UNIF(double lo, double hi) { ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_UNIFORM; d.lo = lo; d.hi = hi; return d; }
static ent_dist TRI(double lo, double c, double hi) {
  ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_TRIANGULAR; d.lo = lo; d.c = c; d.hi = hi; return d;
}
static ent_dist NORM(double mu, double sd, double lo, double hi) {
  ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_NORMAL; d.a = mu; d.b = sd; d.lo = lo; d.hi = hi; return d;
}
static ent_dist BETA(double a, double b) {
  ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_BETA; d.a = a; d.b = b; d.lo = 0; d.hi = 1; return d;
}

/* ---------------------------------------------------------- distributions */

static double sample_mean(const ent_dist *d, int n, double *var) {
  ent_rng r;
  double s = 0, s2 = 0;
  int i;
  ent_rng_seed(&r, 7, 0);
  for (i = 0; i < n; i++) { double x = ent_dist_sample(d, &r); s += x; s2 += x * x; }
  *var = s2 / n - (s / n) * (s / n);
  return s / n;
}

static void test_distributions(void) {
  ent_dist d;
  char err[ENT_OPT_ERRLEN];
  double v, mu;
  int n = 200000;
  d = UNIF(2, 4);
  CHECK(NEAR(ent_dist_quantile(&d, 0.5), 3, 1e-15), "uniform median");
  CHECK(NEAR(ent_dist_quantile(&d, 0.25), 2.5, 1e-15), "uniform quartile");
  /* triangular(0, 0, 1): F(x) = 1 - (1-x)^2, so Q(0.75) = 1 - sqrt(0.25) = 0.5 */
  d = TRI(0, 0, 1);
  CHECK(NEAR(ent_dist_quantile(&d, 0.75), 0.5, 1e-15), "triangular quantile %g", ent_dist_quantile(&d, 0.75));
  d = TRI(0, 1, 2);
  CHECK(NEAR(ent_dist_quantile(&d, 0.5), 1, 1e-15), "symmetric triangular median");
  CHECK(NEAR(ent_dist_mean(&d), 1, 1e-15), "triangular mean");
  d = NORM(0, 1, -HUGE_VAL, HUGE_VAL);
  CHECK(NEAR(ent_dist_quantile(&d, 0.975), 1.959963984540054, 1e-12), "normal 97.5%% point %.15g", ent_dist_quantile(&d, 0.975));
  CHECK(NEAR(ent_dist_quantile(&d, 0.05), -1.6448536269514722, 1e-12), "normal 5%% point");
  /* half-normal: truncation at 0, median = Phi^-1(0.75), mean = sqrt(2/pi) */
  d = NORM(0, 1, 0, HUGE_VAL);
  CHECK(NEAR(ent_dist_quantile(&d, 0.5), 0.6744897501960817, 1e-12), "half-normal median %.15g", ent_dist_quantile(&d, 0.5));
  CHECK(NEAR(ent_dist_mean(&d), sqrt(2 / 3.14159265358979323846), 1e-12), "half-normal mean");
  mu = sample_mean(&d, n, &v);
  CHECK(NEAR(mu, sqrt(2 / 3.14159265358979323846), 5 * sqrt(v / n)), "half-normal sample mean %g", mu);
  /* beta(1,1) is uniform; beta(2,1) has F(x) = x^2; beta(2,2) is symmetric */
  d = BETA(1, 1);
  CHECK(NEAR(ent_dist_quantile(&d, 0.3), 0.3, 1e-12), "beta(1,1) quantile");
  d = BETA(2, 1);
  CHECK(NEAR(ent_dist_quantile(&d, 0.25), 0.5, 1e-12), "beta(2,1) quantile %.15g", ent_dist_quantile(&d, 0.25));
  d = BETA(2, 2);
  CHECK(NEAR(ent_dist_quantile(&d, 0.5), 0.5, 1e-12), "beta(2,2) median");
  d = BETA(2, 5);
  mu = sample_mean(&d, n, &v);
  CHECK(NEAR(mu, 2.0 / 7.0, 5 * sqrt(v / n)), "beta(2,5) sample mean %g", mu);
  CHECK(NEAR(v, 2.0 * 5.0 / (49.0 * 8.0), 0.002), "beta(2,5) sample variance %g", v);
  d = BETA(0.5, 0.5);   /* shape < 1: the boosted gamma draws */
  mu = sample_mean(&d, n, &v);
  CHECK(NEAR(mu, 0.5, 5 * sqrt(v / n)), "beta(0.5,0.5) sample mean %g", mu);
  CHECK(NEAR(v, 0.125, 0.003), "beta(0.5,0.5) sample variance %g", v);
  d = TRI(1, 2, 6);
  mu = sample_mean(&d, n, &v);
  CHECK(NEAR(mu, 3, 5 * sqrt(v / n)), "triangular sample mean %g", mu);
  d = UNIF(3, 1);
  CHECK(ent_dist_check(&d, err, sizeof err) == ENT_EINVAL && strstr(err, "3") && strstr(err, "above"), "bad uniform: %s", err);
  d = TRI(0, 2, 1);
  CHECK(ent_dist_check(&d, err, sizeof err) == ENT_EINVAL && strstr(err, "mode 2"), "bad triangular: %s", err);
  d = NORM(0, -1, -HUGE_VAL, HUGE_VAL);
  CHECK(ent_dist_check(&d, err, sizeof err) == ENT_EINVAL && strstr(err, "-1"), "bad normal: %s", err);
  d = BETA(0, 2);
  CHECK(ent_dist_check(&d, err, sizeof err) == ENT_EINVAL && strstr(err, "shapes 0"), "bad beta: %s", err);
  d = NORM(0, 1, 50, 60);
  CHECK(ent_dist_check(&d, err, sizeof err) == ENT_EINVAL && strstr(err, "no probability"), "empty truncation: %s", err);
}

/* ------------------------------------------------------------- the world */

enum { F, A, B, C, D, NACT };
static const double CAP[NACT] = {10, 20, 30, 5, 40};

/* Params: 0-5 weights, 6 reliability, 7-10 obligation levels, 11 spill-over,
** 12-14 norms, 15 trigger probability. */
#define NP 16
static void base_params(ent_dist *p) {
  int i;
  for (i = 0; i < 6; i++) p[i] = CONST(1);
  p[6] = CONST(0.5);
  p[7] = CONST(0); p[8] = CONST(0.25); p[9] = CONST(0); p[10] = CONST(1);
  p[11] = CONST(0.5);
  p[12] = CONST(1); p[13] = CONST(1); p[14] = CONST(1);
  p[15] = CONST(0.2);
}

static int kind(ent_world *w, const char *name) {
  int k;
  if (ent_kind_find(w, name, &k) != ENT_OK) { printf("no kind %s\n", name); exit(2); }
  return k;
}

static ent_id rel(ent_world *w, ent_id a, ent_id b, const char *k, double s) {
  ent_id r;
  if (ent_relate(w, a, b, kind(w, k), s, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r) != ENT_OK) { printf("relate\n"); exit(2); }
  return r;
}

/* F-A defence 1; A-B rivalry 0.8; F-C trade 0.5; B->C sanction 0.6;
** F-B partnership 0.4; A-C partnership 0.5.  D is unrelated. */
static ent_world *small_world(void) {
  ent_world *w;
  const char *codes[NACT] = {"F", "A", "B", "C", "D"};
  int i;
  ent_world_new(&w);
  for (i = 0; i < NACT; i++) { ent_id id; ent_actor_add(w, codes[i], codes[i], &id); }
  ent_world_set_date(w, ent_date_from_ymd(2024, 1, 1));
  rel(w, F, A, "defence", 1.0);
  rel(w, A, B, "rivalry", 0.8);
  rel(w, F, C, "trade", 0.5);
  rel(w, B, C, "sanction", 0.6);
  rel(w, F, B, "partnership", 0.4);
  rel(w, A, C, "partnership", 0.5);
  return w;
}

static ent_optmodel *model(const ent_world *base, const ent_world *moved, int npairs, const ent_opt_pair *pairs) {
  ent_opt_setup s;
  ent_optmodel *m = NULL;
  char err[ENT_OPT_ERRLEN];
  double cap[NACT + 4];
  int i;
  memset(&s, 0, sizeof s);
  for (i = 0; i < NACT + 4; i++) cap[i] = i < NACT ? CAP[i] : 1.0;
  s.date = ent_date_from_ymd(2024, 1, 1);
  s.focal = F;
  s.capability = cap;
  s.rel_param = 6;
  for (i = 0; i < 4; i++) s.level_param[i] = 7 + i;
  s.npairs = npairs; s.pairs = pairs;
  if (ent_optmodel_new(base, moved, &s, &m, err, sizeof err) != ENT_OK) { printf("model: %s\n", err); exit(2); }
  return m;
}

static ent_opt *evaluator(ent_optmodel **ms, int nm, const ent_dist *p, int np, ent_id att, ent_id def) {
  ent_opt_spec sp;
  ent_opt_trigger t;
  ent_opt *e = NULL;
  char err[ENT_OPT_ERRLEN];
  int i;
  memset(&sp, 0, sizeof sp);
  sp.nparams = np; sp.params = p;
  for (i = 0; i < 6; i++) sp.weight_param[i] = i;
  sp.sigma_param = 11;
  for (i = 0; i < 3; i++) sp.norm_param[i] = 12 + i;
  t.attackers = &att; t.defenders = &def; t.npairs = 1; t.q_param = 15;
  sp.ntriggers = 1; sp.triggers = &t;
  if (ent_opt_new(&sp, ms, nm, &e, err, sizeof err) != ENT_OK) { printf("evaluator: %s\n", err); exit(2); }
  return e;
}

static void central(const ent_opt *e, double *th) {
  memcpy(th, ent_opt_central(e), (size_t)ent_opt_nparams(e) * sizeof(double));
}

static void test_hand_worked(void) {
  ent_world *w = small_world();
  ent_dist p[NP];
  ent_optmodel *m;
  ent_opt *e;
  double th[NP], out[ENT_OPT_NOUT], threat, entrap, econ, rep, trust, tension, overall, gFAB, gFAC, gFBC;
  ent_opt_explain *x;
  base_params(p);
  m = model(w, NULL, 0, NULL);
  e = evaluator(&m, 1, p, NP, B, A);
  central(e, th);
  ent_opt_point(e, th, out);
  /* threat: ally(F,A) = 0.5 * 1 * 1; hostility reaching B from F's bloc =
  ** ally(F,A) * 0.8 = 0.4, discounted by B's partnership with F (0.4):
  ** 0.4 * 0.6; own side = 10 + 0.5 * 20 */
  threat = (0.4 * 0.6 * 30) / (0.4 * 0.6 * 30 + 10 + 0.5 * 20);
  /* entrapment: B attacks A, F is bound to A by a defensive pact honoured
  ** with p = 0.5; the trigger has probability 0.2 */
  entrap = 0.2 * 0.5;
  /* economy: trade with C (0.5) at risk 0.5 * 0.6 (B's sanction on C,
  ** spilling over with 0.5); no trade lost */
  econ = 0.5 * (0.5 * 0.6) / 0.5;
  /* reputation: ties A 1, B 0.4, C 0.5 * 0.5 (trade counts half); only C
  ** violates a norm (sanctioned, 0.6) */
  rep = (0.25 * 0.6) / (1 + 0.4 + 0.25);
  trust = 0;
  /* tension: F-A-B (+1, +0.4, -0.8) unbalanced; F-A-C (+1, +0.25, +0.5)
  ** balanced; F-B-C (+0.4, -0.6, +0.25) unbalanced; g = cube root of the
  ** product of |weights| */
  gFAB = cbrt(1 * 0.4 * 0.8); gFAC = cbrt(1 * 0.25 * 0.5); gFBC = cbrt(0.4 * 0.6 * 0.25);
  tension = (gFAB + gFBC) / (gFAB + gFAC + gFBC);
  overall = (threat + entrap + econ + rep + trust + tension) / 6;
  CHECK(NEAR(out[ENT_CRIT_THREAT], threat, 1e-14), "threat %.15g vs %.15g", out[ENT_CRIT_THREAT], threat);
  CHECK(NEAR(out[ENT_CRIT_ENTRAP], entrap, 1e-14), "entrapment %.15g vs %.15g", out[ENT_CRIT_ENTRAP], entrap);
  CHECK(NEAR(out[ENT_CRIT_ECON], econ, 1e-14), "economy %.15g vs %.15g", out[ENT_CRIT_ECON], econ);
  CHECK(NEAR(out[ENT_CRIT_REPUT], rep, 1e-14), "reputation %.15g vs %.15g", out[ENT_CRIT_REPUT], rep);
  CHECK(NEAR(out[ENT_CRIT_TRUST], trust, 1e-14), "trust %.15g", out[ENT_CRIT_TRUST]);
  CHECK(NEAR(out[ENT_CRIT_TENSION], tension, 1e-14), "tension %.15g vs %.15g", out[ENT_CRIT_TENSION], tension);
  CHECK(NEAR(out[ENT_OPT_OVERALL], overall, 1e-14), "overall %.15g vs %.15g", out[ENT_OPT_OVERALL], overall);
  /* the explanation holds the same numbers, piece by piece */
  CHECK(ent_opt_explain_new(e, 0, th, &x) == ENT_OK, "explain");
  CHECK(NEAR(x->hostile[B], 0.24, 1e-15) && x->hostile[A] == 0 && NEAR(x->ally[A], 0.5, 1e-15), "explain threat %g %g", x->hostile[B], x->ally[A]);
  CHECK(NEAR(x->threat_own, 20, 1e-12) && NEAR(x->threat_num, 7.2, 1e-12), "explain threat totals");
  CHECK(NEAR(x->p_join[0], 0.5, 1e-15) && NEAR(x->q[0], 0.2, 1e-15), "explain entrapment");
  CHECK(NEAR(x->risk[C], 0.3, 1e-15) && NEAR(x->trade[C], 0.5, 1e-15), "explain economy");
  CHECK(NEAR(x->viol[C], 0.6, 1e-15) && x->viol[A] == 0 && NEAR(x->coop[C], 0.25, 1e-15), "explain reputation");
  CHECK(x->ntri == 3, "three triangles through F (%d)", (int)x->ntri);
  {
    int k, unb = 0;
    for (k = 0; k < x->ntri; k++) if (x->tri_sign[k] < 0) unb++;
    CHECK(unb == 2, "two unbalanced triangles (%d)", unb);
  }
  CHECK(NEAR(x->weight[0], 1.0 / 6, 1e-15), "normalised weight");
  ent_opt_explain_free(x);
  /* a weight moves the score as computed by hand: only threat and economy */
  {
    int k;
    for (k = 0; k < 6; k++) th[k] = 0;
    th[ENT_CRIT_THREAT] = 3; th[ENT_CRIT_ECON] = 1;
    ent_opt_point(e, th, out);
    CHECK(NEAR(out[ENT_OPT_OVERALL], (3 * threat + econ) / 4, 1e-14), "weighted overall %.15g", out[ENT_OPT_OVERALL]);
  }
  ent_opt_free(e);
  ent_world_free(w);
}

/* A pair-specific reliability changes only that pair's alliance. */
static void test_pair_reliability(void) {
  ent_world *w = small_world();
  ent_dist p[NP + 1];
  ent_opt_pair pr;
  ent_optmodel *m;
  ent_opt *e;
  double th[NP + 1], out[ENT_OPT_NOUT];
  base_params(p);
  p[NP] = CONST(0.9);
  pr.a = A; pr.b = F; pr.param = NP;
  m = model(w, NULL, 1, &pr);
  e = evaluator(&m, 1, p, NP + 1, B, A);
  central(e, th);
  ent_opt_point(e, th, out);
  CHECK(NEAR(out[ENT_CRIT_ENTRAP], 0.2 * 0.9, 1e-14), "pair reliability entrapment %.15g", out[ENT_CRIT_ENTRAP]);
  CHECK(NEAR(out[ENT_CRIT_THREAT], (0.9 * 0.8 * 0.6 * 30) / (0.9 * 0.8 * 0.6 * 30 + 10 + 0.9 * 20), 1e-14),
        "pair reliability threat %.15g", out[ENT_CRIT_THREAT]);
  ent_opt_free(e);
  ent_world_free(w);
}

/* Terms: ADD, MUL, SET in order, clamped after each. */
static void test_terms(void) {
  ent_world *w = small_world();
  ent_optmodel *m = model(w, NULL, 0, NULL);
  ent_opt_term t;
  ent_opt_slot_info si;
  double s[16], theta[2] = {0.5, 2.0};
  int32_t i, slot = -1, added;
  for (i = 0; i < ent_optmodel_slot_count(m); i++) {
    ent_optmodel_slot_get(m, i, &si);
    if (si.a == F && si.b == B) slot = i;
  }
  CHECK(slot >= 0, "slot of F-B");
  memset(&t, 0, sizeof t);
  t.f[0].param = t.f[1].param = t.f[2].param = -1;
  t.f[0].a = t.f[1].a = t.f[2].a = 1;
  t.slot = slot; t.op = ENT_OPT_ADD; t.coef = 0.7;           /* 0.4 + 0.7 -> 1 (clamped) */
  ent_optmodel_term_add(m, &t);
  t.op = ENT_OPT_MUL; t.coef = 1; t.f[0].param = 0; t.f[0].a = 0; t.f[0].b = 1;   /* * theta[0] */
  ent_optmodel_term_add(m, &t);
  ent_optmodel_strengths(m, theta, -1, s);
  CHECK(NEAR(s[slot], 0.5, 1e-15), "ADD clamps then MUL: %g", s[slot]);
  ent_optmodel_strengths(m, theta, 1, s);
  CHECK(NEAR(s[slot], 1.0, 1e-15), "after the first term only: %g", s[slot]);
  ent_optmodel_strengths(m, theta, 0, s);
  CHECK(NEAR(s[slot], 0.4, 1e-15), "base: %g", s[slot]);
  t.op = ENT_OPT_SET; t.coef = -0.3; t.f[0].param = 1; t.f[0].a = -1; t.f[0].b = 1;  /* -0.3 * (theta[1] - 1) -> clamped 0 */
  ent_optmodel_term_add(m, &t);
  ent_optmodel_strengths(m, theta, -1, s);
  CHECK(s[slot] == 0.0, "SET negative clamps to 0: %g", s[slot]);
  CHECK(ent_optmodel_slot_add(m, D, F, kind(w, "rivalry"), &added) == ENT_OK && added == ent_optmodel_slot_count(m) - 1, "slot_add");
  ent_optmodel_strengths(m, theta, -1, s);
  CHECK(s[added] == 0.0, "an added slot starts at 0");
  t.slot = 999; t.op = ENT_OPT_ADD;
  CHECK(ent_optmodel_term_add(m, &t) == ENT_EINVAL, "bad slot rejected");
  t.slot = slot; t.op = 7;
  CHECK(ent_optmodel_term_add(m, &t) == ENT_EINVAL, "bad op rejected");
  ent_optmodel_free(m);
  ent_world_free(w);
}

/* ---------------------------------------------------------- Monte Carlo */

static void run(ent_opt *e, int64_t runs, uint64_t seed, int threads, int keep) {
  ent_opt_run_opts o;
  ent_opt_run_opts_init(&o);
  o.runs = runs; o.seed = seed; o.threads = threads; o.keep = keep;
  if (ent_opt_run(e, &o) != ENT_OK) { printf("run: %s\n", ent_opt_errmsg(e)); exit(2); }
}

static void test_collapse(void) {
  ent_world *w = small_world();
  ent_dist p[NP];
  ent_optmodel *m;
  ent_opt *e;
  double th[NP], out[ENT_OPT_NOUT];
  int k;
  base_params(p);
  m = model(w, NULL, 0, NULL);
  e = evaluator(&m, 1, p, NP, B, A);
  central(e, th);
  ent_opt_point(e, th, out);
  run(e, 3000, 5, 2, 1);
  for (k = 0; k < ENT_OPT_NOUT; k++) {
    ent_opt_stat s;
    ent_opt_stat_get(e, 0, k, &s);
    CHECK(s.mean == out[k] && s.sd == 0 && s.min == out[k] && s.max == out[k],
          "no uncertainty: value %d mean %.17g sd %g min %.17g max %.17g point %.17g", k, s.mean, s.sd, s.min, s.max, out[k]);
    CHECK(NEAR(ent_opt_quantile(e, 0, k, 0.5), out[k], 1e-15), "no uncertainty: median of %d", k);
  }
  CHECK(ent_opt_pbest(e, 0) == 1.0 && ent_opt_regret(e, 0) == 0.0, "a single option is always best");
  CHECK(ent_opt_draws(e) != NULL && ent_opt_draws(e)[2999 * ENT_OPT_NOUT + ENT_OPT_OVERALL] == out[ENT_OPT_OVERALL], "kept draws");
  ent_opt_free(e);
  ent_world_free(w);
}

/* Option 2 adds only a rivalry with D: worse or equal on every criterion. */
static void test_dominated_and_ties(void) {
  ent_world *w = small_world(), *w2, *w3;
  ent_dist p[NP];
  ent_optmodel *ms[3];
  ent_opt *e;
  ent_opt_pairstat ps;
  int64_t runs = 4000;
  base_params(p);
  p[0] = UNIF(0.5, 1.5); p[2] = TRI(0, 1, 2); p[5] = BETA(2, 2);
  p[6] = UNIF(0.3, 0.9); p[11] = UNIF(0, 1); p[15] = UNIF(0.05, 0.3);
  ent_world_fork(w, &w2);
  rel(w2, F, D, "rivalry", 0.5);
  ent_world_fork(w, &w3);   /* identical to the status quo */
  ms[0] = model(w, NULL, 0, NULL);
  ms[1] = model(w, w2, 0, NULL);
  ms[2] = model(w, w3, 0, NULL);
  e = evaluator(ms, 3, p, NP, B, A);
  run(e, runs, 11, 0, 0);
  ent_opt_compare(e, 0, 1, &ps);
  CHECK(ps.le == runs && ps.lt == runs, "status quo better than the threat-only option in every draw (%lld, %lld)",
        (long long)ps.le, (long long)ps.lt);
  CHECK(ps.crit_le == runs && ps.crit_lt == runs, "and no worse on any criterion (%lld, %lld)",
        (long long)ps.crit_le, (long long)ps.crit_lt);
  ent_opt_compare(e, 1, 0, &ps);
  CHECK(ps.le == 0 && ps.crit_le == 0, "the threat-only option never as good");
  CHECK(ent_opt_pbest(e, 1) == 0.0, "the dominated option is never best");
  /* identical options tie: each is best in half of the draws (ties share) */
  ent_opt_compare(e, 0, 2, &ps);
  CHECK(ps.le == runs && ps.lt == 0 && ps.crit_le == runs && ps.crit_lt == 0, "identical options tie");
  CHECK(ent_opt_pbest(e, 0) == 0.5 && ent_opt_pbest(e, 2) == 0.5, "tied options share P(best): %.17g %.17g",
        ent_opt_pbest(e, 0), ent_opt_pbest(e, 2));
  CHECK(NEAR(ent_opt_regret(e, 1), 0, 1e-300) == 0 && ent_opt_regret(e, 0) == 0.0, "regret");
  {
    ent_opt_stat s0, s2;
    ent_opt_stat_get(e, 0, ENT_OPT_OVERALL, &s0);
    ent_opt_stat_get(e, 2, ENT_OPT_OVERALL, &s2);
    CHECK(s0.mean == s2.mean && s0.sd == s2.sd && s0.sd > 0, "identical distributions, with spread");
  }
  ent_opt_free(e);
  ent_world_free(w); ent_world_free(w2); ent_world_free(w3);
}

static void test_threads(void) {
  ent_world *w = small_world(), *w2;
  ent_dist p[NP];
  ent_optmodel *ms[2], *ms2[2];
  ent_opt *e1, *e2;
  int i, k, same = 1;
  base_params(p);
  p[1] = UNIF(0, 2); p[6] = NORM(0.6, 0.2, 0, 1); p[15] = BETA(2, 8); p[11] = TRI(0, 0.2, 1);
  ent_world_fork(w, &w2);
  rel(w2, F, C, "consultation", 0.5);
  ms[0] = model(w, NULL, 0, NULL); ms[1] = model(w, w2, 0, NULL);
  ms2[0] = model(w, NULL, 0, NULL); ms2[1] = model(w, w2, 0, NULL);
  e1 = evaluator(ms, 2, p, NP, B, A);
  e2 = evaluator(ms2, 2, p, NP, B, A);
  run(e1, 5000, 99, 1, 0);
  run(e2, 5000, 99, 3, 0);
  CHECK(ent_opt_threads_used(e2) == 3, "three threads used");
  for (i = 0; i < 2; i++) {
    for (k = 0; k < ENT_OPT_NOUT; k++) {
      ent_opt_stat a, b;
      ent_opt_stat_get(e1, i, k, &a); ent_opt_stat_get(e2, i, k, &b);
      if (a.mean != b.mean || a.sd != b.sd || a.min != b.min || a.max != b.max ||
          ent_opt_quantile(e1, i, k, 0.3) != ent_opt_quantile(e2, i, k, 0.3)) same = 0;
    }
    if (ent_opt_pbest(e1, i) != ent_opt_pbest(e2, i) || ent_opt_regret(e1, i) != ent_opt_regret(e2, i)) same = 0;
  }
  CHECK(same, "the same numbers with 1 and 3 threads");
  run(e2, 5000, 100, 3, 0);
  {
    ent_opt_stat a, b;
    ent_opt_stat_get(e1, 0, ENT_OPT_OVERALL, &a); ent_opt_stat_get(e2, 0, ENT_OPT_OVERALL, &b);
    CHECK(a.mean != b.mean, "another seed, other draws");
  }
  ent_opt_free(e1); ent_opt_free(e2);
  ent_world_free(w); ent_world_free(w2);
}

/* ---------------------------------------- polynomial against the cascade */

static uint64_t lcg = 12345;
static double urand(void) {
  lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(lcg >> 11) * 0x1.0p-53;
}

static void test_polynomial(void) {
  const char *kinds[] = {"defence", "consultation", "strategic_partnership", "partnership", "rivalry", "neutrality"};
  int trial, checked = 0, maxvar = 0, nheld = 0;
  double worst = 0;
  for (trial = 0; trial < 40; trial++) {
    ent_world *w, *w2;
    ent_dist p[NP + 2];
    ent_optmodel *ms[2];
    ent_opt *e;
    ent_opt_term t;
    int n = 5 + (int)(urand() * 4), i, r, rounds;
    ent_id att, def;
    ent_world_new(&w);
    for (i = 0; i < n; i++) { char code[16]; ent_id id; snprintf(code, sizeof code, "X%d", i % 1000); ent_actor_add(w, code, code, &id); }
    for (r = 0; r < 2 * n; r++) {
      ent_id a = (ent_id)(urand() * n), b = (ent_id)(urand() * n);
      if (a == b) continue;
      rel(w, a, b, kinds[(int)(urand() * 6)], 0.2 + 0.8 * urand());
    }
    att = 1 + (ent_id)(urand() * (n - 1));
    do { def = 1 + (ent_id)(urand() * (n - 1)); } while (def == att);
    ent_world_fork(w, &w2);
    rel(w2, 0, def, "consultation", 0.6);
    base_params(p);
    p[6] = UNIF(0.2, 1.0); p[8] = UNIF(0.1, 0.5); p[NP] = UNIF(0.5, 1.5); p[NP + 1] = UNIF(0, 1);
    {
      ent_opt_setup s;
      char err[ENT_OPT_ERRLEN];
      memset(&s, 0, sizeof s);
      s.date = ENT_DATE_MIN; s.focal = 0; s.rel_param = 6;
      for (i = 0; i < 4; i++) s.level_param[i] = 7 + i;
      if (ent_optmodel_new(w, NULL, &s, &ms[0], err, sizeof err) != ENT_OK ||
          ent_optmodel_new(w, w2, &s, &ms[1], err, sizeof err) != ENT_OK) { printf("model: %s\n", err); exit(2); }
    }
    /* uncertain terms: scale every slot of model 1 by p[NP], then set one to p[NP+1] */
    memset(&t, 0, sizeof t);
    t.f[1].param = t.f[2].param = -1; t.f[1].a = t.f[2].a = 1;
    for (i = 0; i < ent_optmodel_slot_count(ms[1]); i++) {
      t.slot = i; t.op = ENT_OPT_MUL; t.coef = 1; t.f[0].param = NP; t.f[0].a = 0; t.f[0].b = 1;
      ent_optmodel_term_add(ms[1], &t);
    }
    t.slot = 0; t.op = ENT_OPT_SET; t.f[0].param = NP + 1;
    ent_optmodel_term_add(ms[1], &t);
    e = evaluator(ms, 2, p, NP + 2, att, def);
    for (i = 0; i < 2; i++) {
      int32_t nv, nmono, held;
      ent_opt_poly_info(e, i, 0, &nv, &nmono, &held);
      if (nv > maxvar) maxvar = nv;
      /* beyond kmax varying edges some are held at their central value: the
      ** polynomial is then exact at the central parameters only */
      for (rounds = 0; rounds < (held ? 1 : 6); rounds++) {
        double th[NP + 2], pj_direct;
        int32_t cnt;
        ent_opt_chain ch[4];
        ent_opt_explain *x;
        int k;
        for (k = 0; k < NP + 2; k++) th[k] = ent_dist_quantile(&p[k], held ? 0.5 : urand());
        if (held) nheld++;
        ent_opt_explain_new(e, i, th, &x);
        ent_opt_chains(e, i, 0, th, ch, 4, &cnt, &pj_direct);
        if (fabs(x->p_join[0] - pj_direct) > worst) worst = fabs(x->p_join[0] - pj_direct);
        CHECK(NEAR(x->p_join[0], pj_direct, 1e-12), "trial %d option %d: polynomial %.15g, direct cascade %.15g",
              trial, i, x->p_join[0], pj_direct);
        checked++;
        ent_opt_explain_free(x);
      }
    }
    ent_opt_free(e);
    ent_world_free(w); ent_world_free(w2);
  }
  printf("  polynomial vs cascade: %d checks (%d with held edges, at central values), up to %d varying edges, worst difference %.3g\n",
         checked, nheld, maxvar, worst);
  CHECK(nheld < checked / 4, "most random worlds fit in kmax");
}

/* ----------------------------------------------------------------- errors */

static void test_errors(void) {
  ent_world *w = small_world();
  ent_dist p[NP];
  ent_optmodel *m;
  ent_opt *e = NULL;
  ent_opt_spec sp;
  ent_opt_run_opts o;
  char err[ENT_OPT_ERRLEN];
  ent_opt_setup s;
  int i;
  base_params(p);
  memset(&s, 0, sizeof s);
  s.focal = 42;
  CHECK(ent_optmodel_new(w, NULL, &s, &m, err, sizeof err) == ENT_ENOTFOUND && strstr(err, "42"), "bad focal: %s", err);
  {
    double cap[NACT] = {1, -2, 1, 1, 1};
    s.focal = F; s.capability = cap;
    CHECK(ent_optmodel_new(w, NULL, &s, &m, err, sizeof err) == ENT_EINVAL && strstr(err, "'A'") && strstr(err, "-2"),
          "negative capability: %s", err);
  }
  m = model(w, NULL, 0, NULL);
  memset(&sp, 0, sizeof sp);
  sp.nparams = NP; sp.params = p;
  for (i = 0; i < 6; i++) sp.weight_param[i] = i;
  sp.sigma_param = 99; sp.norm_param[0] = sp.norm_param[1] = sp.norm_param[2] = -1;
  CHECK(ent_opt_new(&sp, &m, 1, &e, err, sizeof err) == ENT_EINVAL && strstr(err, "spill-over") && !e, "bad parameter index: %s", err);
  sp.sigma_param = -1;
  p[3] = UNIF(2, 1);
  CHECK(ent_opt_new(&sp, &m, 1, &e, err, sizeof err) == ENT_EINVAL && strstr(err, "parameter 4"), "bad distribution: %s", err);
  p[3] = CONST(1);
  sp.kmax = 99;
  CHECK(ent_opt_new(&sp, &m, 1, &e, err, sizeof err) == ENT_EINVAL && strstr(err, "kmax"), "bad kmax: %s", err);
  sp.kmax = 0;
  {
    /* the evaluator would own (and free) the one model twice */
    ent_optmodel *twice[2];
    twice[0] = twice[1] = m;
    CHECK(ent_opt_new(&sp, twice, 2, &e, err, sizeof err) == ENT_EINVAL && !e && strstr(err, "option model 2"),
          "one model passed twice: %s", err);
  }
  CHECK(ent_opt_new(&sp, &m, 1, &e, err, sizeof err) == ENT_OK, "valid");
  ent_opt_run_opts_init(&o);
  o.runs = 0;
  CHECK(ent_opt_run(e, &o) == ENT_EINVAL && strstr(ent_opt_errmsg(e), "runs"), "runs 0: %s", ent_opt_errmsg(e));
  CHECK(ent_opt_runs(e) == 0 && isnan(ent_opt_pbest(e, 0)), "no results before a run");
  ent_opt_free(e);
  ent_world_free(w);
}

int main(void) {
  test_distributions();
  test_hand_worked();
  test_pair_reliability();
  test_terms();
  test_collapse();
  test_dominated_and_ties();
  test_threads();
  test_polynomial();
  test_errors();
  printf("test_options: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
