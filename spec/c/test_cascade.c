/*
** test_cascade.c - the entrapment cascade and the tension kernel on their C
** API.  Hand-worked cases with known answers, a brute-force second method
** (every coin of every edge enumerated, rules re-implemented simply), exact
** against Monte Carlo, and reproducibility across thread counts.
** Exits non-zero on failure.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cascade.h"


static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) passed++; \
    else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
  } while (0)

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static ent_cascade_edge E(ent_id from, ent_id to, double p, unsigned flags, ent_id rel) {
  ent_cascade_edge e;
  e.from = from; e.to = to; e.p = p; e.flags = flags; e.relation = rel; e.kind = -1;
  return e;
}

static ent_cascade *mk(int32_t n, const ent_cascade_edge *ed, int32_t m, const ent_id *att,
                       const ent_id *def, int32_t np, int offensive, int rule) {
  ent_cascade_params p;
  ent_cascade *c = NULL;
  char err[ENT_CASCADE_ERRLEN];
  ent_status st;
  ent_cascade_params_init(&p);
  p.honour_offensive = offensive;
  p.both_sides = rule;
  st = ent_cascade_new_edges(n, ed, m, &p, att, def, np, &c, err, sizeof err);
  if (st != ENT_OK) { printf("build failed: %s\n", err); exit(2); }
  return c;
}

static void run(ent_cascade *c, int method, int64_t runs, uint64_t seed, int threads) {
  ent_cascade_run_opts o;
  ent_status st;
  ent_cascade_run_opts_init(&o);
  o.method = method; o.runs = runs; o.seed = seed; o.threads = threads;
  st = ent_cascade_run(c, &o);
  if (st != ENT_OK) { printf("run failed: %s\n", ent_cascade_errmsg(c)); exit(2); }
}

static double pj(ent_cascade *c, ent_id a) {
  ent_cascade_actor_result r;
  ent_cascade_actor(c, a, &r);
  return r.p_join;
}

static ent_cascade_actor_result ar(ent_cascade *c, ent_id a) {
  ent_cascade_actor_result r;
  ent_cascade_actor(c, a, &r);
  return r;
}

/* ------------------------------------------------------ brute-force model */

/* Side of every actor (0 out, 1, 2, 3 torn) for one full assignment of the
** coins (bit e of `coins` = edge e honoured).  Written from the rules in
** cascade.h without the kernel's shortcuts. */
static void ref_outcome(int32_t n, const ent_cascade_edge *ed, int32_t m, unsigned coins,
                        const ent_id *att, const ent_id *def, int32_t np, int offensive, int rule,
                        int *state) {
  int newly[32], calls[32];
  double wsum[32][2];
  int32_t i, e, k, any = 1;
  for (i = 0; i < n; i++) { state[i] = 0; newly[i] = 0; }
  for (k = 0; k < np; k++) { state[att[k]] = 1; state[def[k]] = 2; newly[att[k]] = newly[def[k]] = 1; }
  while (any) {
    int joined[32];
    for (i = 0; i < n; i++) { calls[i] = 0; wsum[i][0] = wsum[i][1] = 0; joined[i] = 0; }
    for (e = 0; e < m; e++) {
      int j = ed[e].to, s;
      i = ed[e].from;
      if (!newly[j] || state[i] != 0) continue;
      if ((ed[e].flags & ENT_CEDGE_DEFENSIVE) && state[j] != 2 && !offensive) continue;
      if (!((coins >> e) & 1u)) continue;
      s = (ed[e].flags & ENT_CEDGE_OPPOSE) ? 3 - state[j] : state[j];
      calls[i] |= s;
      wsum[i][s - 1] += ed[e].p;
    }
    any = 0;
    for (i = 0; i < n; i++) {
      int s = calls[i];
      if (!s) continue;
      if (s == 3) {
        s = 0;
        if (rule == ENT_CASCADE_STRONGER)
          s = wsum[i][0] > wsum[i][1] ? 1 : wsum[i][1] > wsum[i][0] ? 2 : 0;
        if (!s) { state[i] = 3; continue; }
      }
      joined[i] = s;
    }
    for (i = 0; i < n; i++) {
      newly[i] = 0;
      if (joined[i]) { state[i] = joined[i]; newly[i] = 1; any = 1; }
    }
  }
}

/* P(side s) per actor and P(k belligerents) by summing over all 2^m coins. */
static void ref_probs(int32_t n, const ent_cascade_edge *ed, int32_t m, const ent_id *att,
                      const ent_id *def, int32_t np, int offensive, int rule,
                      double side[][2], double *torn, double *hist) {
  unsigned v, nv = 1u << m;
  int32_t i, e;
  int state[32];
  for (i = 0; i < n; i++) { side[i][0] = side[i][1] = torn[i] = 0; }
  for (i = 0; i <= n; i++) hist[i] = 0;
  for (v = 0; v < nv; v++) {
    double w = 1;
    int nb = 0;
    for (e = 0; e < m; e++) w *= ((v >> e) & 1u) ? ed[e].p : 1 - ed[e].p;
    if (w == 0) continue;
    ref_outcome(n, ed, m, v, att, def, np, offensive, rule, state);
    for (i = 0; i < n; i++) {
      if (state[i] == 1 || state[i] == 2) nb++;
      if (state[i] == 3) torn[i] += w;
    }
    hist[nb] += w;
    for (i = 0; i < n; i++) {
      int init = 0, k;
      for (k = 0; k < np; k++) if (att[k] == i || def[k] == i) init = 1;
      if (!init && (state[i] == 1 || state[i] == 2)) side[i][state[i] - 1] += w;
    }
  }
}

/* ------------------------------------------------------------------ tests */

static unsigned rnd(uint64_t *x) {
  *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)(*x >> 33);
}

static void test_chain_r2(void) {
  /* X=0 attacks A=1; A-B and B-C defence pacts (both directions) with p = r */
  const double r = 0.75;
  ent_cascade_edge ed[4];
  ent_id att[1] = {0}, def[1] = {1};
  ent_cascade *c;
  ent_cascade_chain_info ci;
  int32_t len, path[4];
  const double *h;
  double mean, sd, lo, hi;
  ed[0] = E(2, 1, r, ENT_CEDGE_DEFENSIVE, 10);  /* B obliged to A */
  ed[1] = E(1, 2, r, ENT_CEDGE_DEFENSIVE, 10);
  ed[2] = E(3, 2, r, ENT_CEDGE_DEFENSIVE, 11);  /* C obliged to B */
  ed[3] = E(2, 3, r, ENT_CEDGE_DEFENSIVE, 11);
  c = mk(4, ed, 4, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
  /* B->A is never tried (A is initial); C->B, B->C count (B->C is reachable
  ** though never decisive: the count is an upper bound) */
  CHECK(ent_cascade_uncertain(c) == 3, "uncertain edges reachable: %d, want 3", (int)ent_cascade_uncertain(c));
  run(c, ENT_CASCADE_EXACT, 0, 1, 1);
  CHECK(ent_cascade_exact(c), "exact");
  CHECK(NEAR(pj(c, 2), r, 1e-15), "P(B) = r: %.17g", pj(c, 2));
  CHECK(NEAR(pj(c, 3), r * r, 1e-15), "P(C) = r^2: %.17g", pj(c, 3));
  CHECK(NEAR(ar(c, 3).p_side[1], r * r, 1e-15) && ar(c, 3).p_side[0] == 0, "C on the defending side");
  CHECK(ar(c, 0).initial == 1 && ar(c, 1).initial == 2 && ar(c, 2).initial == 0, "initial sides");
  CHECK(pj(c, 0) == 0 && pj(c, 1) == 0, "initial belligerents do not 'join'");
  h = ent_cascade_count_dist(c, &len);
  CHECK(len == 5, "dist length %d", (int)len);
  CHECK(NEAR(h[2], 1 - r, 1e-15) && NEAR(h[3], r * (1 - r), 1e-15) && NEAR(h[4], r * r, 1e-15) &&
        h[0] == 0 && h[1] == 0, "count distribution %g %g %g", h[2], h[3], h[4]);
  ent_cascade_count_mean(c, &mean, &sd, &lo, &hi);
  CHECK(NEAR(mean, 2 + r + r * r, 1e-14), "mean belligerents %.17g", mean);
  CHECK(NEAR(sd, sqrt(4 * (1 - r) + 9 * r * (1 - r) + 16 * r * r - (2 + r + r * r) * (2 + r + r * r)), 1e-12), "sd %g", sd);
  /* chains: B via edge 0 (p r), C via edges 0 then 2 (p r^2) */
  CHECK(ent_cascade_chain_count(c) == 2, "two chains, got %d", (int)ent_cascade_chain_count(c));
  ent_cascade_chain(c, 0, &ci);
  CHECK(ci.actor == 2 && ci.side == 2 && ci.length == 1 && ci.root == 1 && NEAR(ci.p, r, 1e-15), "best chain: B via A");
  ent_cascade_chain(c, 1, &ci);
  CHECK(ci.actor == 3 && ci.length == 2 && NEAR(ci.p, r * r, 1e-15), "second chain: C via B via A");
  ent_cascade_chain_edges(c, 1, path, 4);
  {
    ent_cascade_edge e0, e1;
    ent_cascade_edge_get(c, path[0], &e0);
    ent_cascade_edge_get(c, path[1], &e1);
    CHECK(e0.relation == 10 && e0.from == 2 && e1.relation == 11 && e1.from == 3, "chain path relations %d %d",
          (int)e0.relation, (int)e1.relation);
  }
  /* Monte Carlo agrees within its interval */
  run(c, ENT_CASCADE_MC, 200000, 7, 2);
  CHECK(!ent_cascade_exact(c), "mc");
  {
    ent_cascade_actor_result a = ar(c, 3);
    CHECK(a.lo <= r * r && r * r <= a.hi, "MC interval [%g, %g] holds r^2", a.lo, a.hi);
    CHECK(a.hi - a.lo < 0.01, "interval narrow: %g", a.hi - a.lo);
  }
  ent_cascade_free(c);
}

static void test_two_paths(void) {
  /* X=0 attacks A=1; B=2 obliged to A (p), C=3 obliged to A (q); D=4 obliged to
  ** B (s) and to C (t): P(D) = 1 - (1 - p s)(1 - q t) */
  const double p = 0.6, q = 0.7, s = 0.5, t = 0.9;
  ent_cascade_edge ed[4];
  ent_id att[1] = {0}, def[1] = {1};
  ent_cascade *c;
  ed[0] = E(2, 1, p, ENT_CEDGE_DEFENSIVE, 0);
  ed[1] = E(3, 1, q, ENT_CEDGE_DEFENSIVE, 1);
  ed[2] = E(4, 2, s, ENT_CEDGE_DEFENSIVE, 2);
  ed[3] = E(4, 3, t, ENT_CEDGE_DEFENSIVE, 3);
  c = mk(5, ed, 4, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
  run(c, ENT_CASCADE_EXACT, 0, 1, 1);
  CHECK(NEAR(pj(c, 4), 1 - (1 - p * s) * (1 - q * t), 1e-15), "two paths: %.17g vs %.17g", pj(c, 4),
        1 - (1 - p * s) * (1 - q * t));
  /* entry edges: D comes in via B when B joins and honours (p s), else via C */
  CHECK(NEAR(ent_cascade_edge_entry(c, 2), p * s, 1e-15), "D enters via B with p s");
  CHECK(NEAR(ent_cascade_edge_entry(c, 3), (1 - p * s) * q * t, 1e-15), "else via C");
  ent_cascade_free(c);
}

static void test_offensive(void) {
  /* A=0 attacks X=1; B=2 has a defence pact with A: an offensive war does not
  ** trigger it, unless honour_offensive */
  const double r = 0.75;
  ent_cascade_edge ed[2];
  ent_id att[1] = {0}, def[1] = {1};
  ent_cascade *c;
  ed[0] = E(2, 0, r, ENT_CEDGE_DEFENSIVE, 0);
  ed[1] = E(0, 2, r, ENT_CEDGE_DEFENSIVE, 0);
  c = mk(3, ed, 2, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
  CHECK(ent_cascade_uncertain(c) == 1, "one reachable uncertain edge");
  run(c, ENT_CASCADE_AUTO, 1000, 1, 1);
  CHECK(ent_cascade_exact(c), "auto picks exact on a small world");
  CHECK(pj(c, 2) == 0, "offensive war: ally stays out (%g)", pj(c, 2));
  ent_cascade_free(c);
  c = mk(3, ed, 2, att, def, 1, 1, ENT_CASCADE_ABSTAIN);
  run(c, ENT_CASCADE_EXACT, 0, 1, 1);
  CHECK(NEAR(ar(c, 2).p_side[0], r, 1e-15), "honour_offensive: joins the attacker with r");
  ent_cascade_free(c);
  {
    /* a non-defensive (offensive) obligation does call for an attacker */
    ed[0].flags = 0;
    c = mk(3, ed, 1, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
    run(c, ENT_CASCADE_EXACT, 0, 1, 1);
    CHECK(NEAR(ar(c, 2).p_side[0], r, 1e-15), "non-defensive obligation calls for the attacker");
    ent_cascade_free(c);
  }
  {
    /* the attacker's joiners count as attackers: D=3 has a defence pact with
    ** B who joined the attacker through an offensive clause -> D stays out */
    ent_cascade_edge e2[2];
    e2[0] = E(2, 0, 1.0, 0, 0);
    e2[1] = E(3, 2, 1.0, ENT_CEDGE_DEFENSIVE, 1);
    c = mk(4, e2, 2, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
    run(c, ENT_CASCADE_EXACT, 0, 1, 1);
    CHECK(pj(c, 2) == 1 && pj(c, 3) == 0, "attacker side joiner is an attacker (%g, %g)", pj(c, 2), pj(c, 3));
    ent_cascade_free(c);
  }
}

static void test_both_sides(void) {
  /* X=0 attacks A=1; Y=2 obliged to X (offensive, p1) and to A (defensive, p2) */
  const double p1 = 0.8, p2 = 0.5;
  ent_cascade_edge ed[2];
  ent_id att[1] = {0}, def[1] = {1};
  ent_cascade *c;
  ent_cascade_actor_result a;
  ed[0] = E(2, 0, p1, 0, 0);
  ed[1] = E(2, 1, p2, ENT_CEDGE_DEFENSIVE, 1);
  c = mk(3, ed, 2, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
  run(c, ENT_CASCADE_EXACT, 0, 1, 1);
  a = ar(c, 2);
  CHECK(NEAR(a.p_side[0], p1 * (1 - p2), 1e-15) && NEAR(a.p_side[1], p2 * (1 - p1), 1e-15) &&
        NEAR(a.p_torn, p1 * p2, 1e-15), "abstain rule: %g %g torn %g", a.p_side[0], a.p_side[1], a.p_torn);
  ent_cascade_free(c);
  c = mk(3, ed, 2, att, def, 1, 0, ENT_CASCADE_STRONGER);
  run(c, ENT_CASCADE_EXACT, 0, 1, 1);
  a = ar(c, 2);
  CHECK(NEAR(a.p_side[0], p1, 1e-15) && NEAR(a.p_side[1], p2 * (1 - p1), 1e-15) && a.p_torn == 0,
        "stronger rule: %g %g torn %g", a.p_side[0], a.p_side[1], a.p_torn);
  ent_cascade_free(c);
  {
    /* equal pulls under STRONGER: torn */
    ed[0].p = ed[1].p = 1.0;
    c = mk(3, ed, 2, att, def, 1, 0, ENT_CASCADE_STRONGER);
    run(c, ENT_CASCADE_EXACT, 0, 1, 1);
    CHECK(ar(c, 2).p_torn == 1, "tie: torn");
    ent_cascade_free(c);
  }
  {
    /* committed early: Y=2 called to A's side in round 1, to X's side only in
    ** round 2 (via Z=3 who joins X in round 1) -> stays with A */
    ent_cascade_edge e3[3];
    e3[0] = E(2, 1, 1.0, ENT_CEDGE_DEFENSIVE, 0);
    e3[1] = E(3, 0, 1.0, 0, 1);
    e3[2] = E(2, 3, 1.0, 0, 2);
    c = mk(4, e3, 3, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
    run(c, ENT_CASCADE_EXACT, 0, 1, 1);
    CHECK(ar(c, 2).p_side[1] == 1 && ar(c, 3).p_side[0] == 1, "a belligerent never changes side");
    ent_cascade_free(c);
  }
}

static void test_oppose(void) {
  /* hostility edge: Z=2 rival of A=1 joins the side against A */
  ent_cascade_edge ed[1];
  ent_id att[1] = {0}, def[1] = {1};
  ent_cascade *c;
  ent_cascade_chain_info ci;
  ed[0] = E(2, 1, 0.3, ENT_CEDGE_OPPOSE, 5);
  c = mk(3, ed, 1, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
  run(c, ENT_CASCADE_EXACT, 0, 1, 1);
  CHECK(NEAR(ar(c, 2).p_side[0], 0.3, 1e-15) && ar(c, 2).p_side[1] == 0, "rival joins the other side");
  ent_cascade_chain(c, 0, &ci);
  CHECK(ci.side == 1 && ci.actor == 2, "chain side follows the opposition");
  ent_cascade_free(c);
}

static void test_vs_bruteforce(void) {
  /* random small worlds: lazy exact == brute force over all coins */
  uint64_t x = 12345;
  int trial, bad = 0, badmc = 0, checked = 0;
  for (trial = 0; trial < 300; trial++) {
    ent_cascade_edge ed[14];
    ent_id att[2], def[2];
    int32_t n = 7, m = 0, np, i, k;
    double side[32][2], torn[32], hist[33];
    int offensive = trial % 5 == 0, rule = trial % 3 == 0 ? ENT_CASCADE_STRONGER : ENT_CASCADE_ABSTAIN;
    ent_cascade *c;
    np = 1 + (int)(rnd(&x) % 2);
    att[0] = 0; def[0] = 1; att[1] = 2; def[1] = 1;
    if (rnd(&x) % 2) { att[1] = 0; def[1] = 2; }
    while (m < 12) {
      ent_id a = (ent_id)(rnd(&x) % n), b = (ent_id)(rnd(&x) % n);
      unsigned f = 0, u = rnd(&x) % 10;
      double p;
      if (a == b) continue;
      if (rnd(&x) % 2) f |= ENT_CEDGE_DEFENSIVE;
      if (rnd(&x) % 7 == 0) f |= ENT_CEDGE_OPPOSE;
      p = u == 0 ? 1.0 : 0.1 + 0.08 * u;
      ed[m] = E(a, b, p, f, m);
      m++;
    }
    c = mk(n, ed, m, att, def, np, offensive, rule);
    run(c, ENT_CASCADE_EXACT, 0, 1, 1);
    ref_probs(n, ed, m, att, def, np, offensive, rule, side, torn, hist);
    for (i = 0; i < n; i++) {
      ent_cascade_actor_result a = ar(c, i);
      for (k = 0; k < 2; k++) if (!NEAR(a.p_side[k], side[i][k], 1e-12)) bad++;
      if (!NEAR(a.p_torn, torn[i], 1e-12)) bad++;
    }
    {
      int32_t len;
      const double *h = ent_cascade_count_dist(c, &len);
      for (i = 0; i <= n; i++) if (!NEAR(h[i], hist[i], 1e-12)) bad++;
    }
    if (trial % 30 == 0) {
      /* Monte Carlo within a 99.9% interval of the exact value */
      run(c, ENT_CASCADE_MC, 100000, (uint64_t)trial, 2);
      for (i = 0; i < n; i++) {
        ent_cascade_actor_result a = ar(c, i);
        double want = side[i][0] + side[i][1], lo, hi;
        ent_wilson(a.p_join * 100000.0, 100000.0, 3.2905, &lo, &hi);
        checked++;
        if (!(lo - 1e-12 <= want && want <= hi + 1e-12)) badmc++;
      }
    }
    ent_cascade_free(c);
  }
  CHECK(bad == 0, "lazy exact vs brute force: %d mismatches", bad);
  CHECK(badmc == 0 && checked > 0, "MC outside the 99.9%% interval: %d of %d", badmc, checked);
}

static void test_reproducible(void) {
  /* a 60-actor random network: same seed, same numbers, whatever the threads */
  ent_cascade_edge ed[240];
  ent_id att[1] = {0}, def[1] = {1};
  int32_t n = 60, m = 0, i;
  uint64_t x = 99;
  ent_cascade *c;
  double ref[60], ref_mean, mean, sd, lo, hi;
  int th, same = 1;
  while (m < 240) {
    ent_id a = (ent_id)(rnd(&x) % n), b = (ent_id)(rnd(&x) % n);
    if (a == b) continue;
    ed[m] = E(a, b, 0.2 + 0.6 * (rnd(&x) % 100) / 100.0, (rnd(&x) % 2) ? ENT_CEDGE_DEFENSIVE : 0, m);
    m++;
  }
  c = mk(n, ed, m, att, def, 1, 0, ENT_CASCADE_ABSTAIN);
  CHECK(ent_cascade_uncertain(c) > 20, "large enough for Monte Carlo");
  run(c, ENT_CASCADE_AUTO, 50000, 42, 1);
  CHECK(!ent_cascade_exact(c) && ent_cascade_runs(c) == 50000, "auto picks Monte Carlo");
  for (i = 0; i < n; i++) ref[i] = pj(c, i);
  ent_cascade_count_mean(c, &ref_mean, &sd, &lo, &hi);
  for (th = 2; th <= 5; th++) {
    run(c, ENT_CASCADE_MC, 50000, 42, th);
    for (i = 0; i < n; i++) if (pj(c, i) != ref[i]) same = 0;
    ent_cascade_count_mean(c, &mean, &sd, &lo, &hi);
    if (mean != ref_mean) same = 0;
  }
  CHECK(same, "identical results with 1..5 threads");
  run(c, ENT_CASCADE_MC, 50000, 43, 2);
  same = 1;
  for (i = 0; i < n; i++) if (pj(c, i) != ref[i]) same = 0;
  CHECK(!same, "another seed, other numbers");
  ent_cascade_free(c);
}

static void test_errors(void) {
  ent_cascade_edge ed[1];
  ent_id att[2] = {0, 1}, def[2] = {1, 0};
  ent_cascade *c = NULL;
  char err[ENT_CASCADE_ERRLEN];
  ent_status st;
  ed[0] = E(2, 1, 1.5, 0, 0);
  st = ent_cascade_new_edges(3, ed, 1, NULL, att, def, 1, &c, err, sizeof err);
  CHECK(st == ENT_EINVAL && c == NULL && strstr(err, "1.5"), "bad probability named: %s", err);
  ed[0].p = 0.5;
  st = ent_cascade_new_edges(3, ed, 1, NULL, att, def, 2, &c, err, sizeof err);
  CHECK(st == ENT_EINVAL && strstr(err, "both an attacker and a defender"), "both sides: %s", err);
  att[0] = 1;
  st = ent_cascade_new_edges(3, ed, 1, NULL, att, def, 1, &c, err, sizeof err);
  CHECK(st == ENT_EINVAL && strstr(err, "itself"), "self attack: %s", err);
  att[0] = 7;
  st = ent_cascade_new_edges(3, ed, 1, NULL, att, def, 1, &c, err, sizeof err);
  CHECK(st == ENT_ENOTFOUND && strstr(err, "7"), "unknown actor: %s", err);
  att[0] = 0;
  st = ent_cascade_new_edges(3, ed, 1, NULL, att, def, 1, &c, err, sizeof err);
  CHECK(st == ENT_OK, "valid");
  {
    ent_cascade_run_opts o;
    ent_cascade_run_opts_init(&o);
    o.method = ENT_CASCADE_MC; o.runs = 0;
    CHECK(ent_cascade_run(c, &o) == ENT_EINVAL && strstr(ent_cascade_errmsg(c), "runs"), "runs = 0: %s",
          ent_cascade_errmsg(c));
    o.runs = 10; o.threads = -1;
    CHECK(ent_cascade_run(c, &o) == ENT_EINVAL && strstr(ent_cascade_errmsg(c), "-1"), "threads: %s",
          ent_cascade_errmsg(c));
  }
  ent_cascade_free(c);
}

static void test_wilson(void) {
  /* Wilson (1927) interval; 81 of 263 at 95%: [0.2553, 0.3662] (Newcombe 1998,
  ** example; computed by hand from the formula) */
  double lo, hi;
  ent_wilson(81, 263, 1.959963984540054, &lo, &hi);
  CHECK(NEAR(lo, 0.2553, 5e-5) && NEAR(hi, 0.3662, 5e-5), "wilson %g %g", lo, hi);
  ent_wilson(0, 10, 1.959963984540054, &lo, &hi);
  CHECK(lo == 0 && NEAR(hi, 0.2775, 5e-5), "wilson 0/10: %g %g", lo, hi);
}

int main(void) {
  test_chain_r2();
  test_two_paths();
  test_offensive();
  test_both_sides();
  test_oppose();
  test_vs_bruteforce();
  test_reproducible();
  test_errors();
  test_wilson();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
