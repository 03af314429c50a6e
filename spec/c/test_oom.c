/*
** test_oom.c - every allocation of the core made to fail, one at a time.
**
** Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (see the
** Makefile), so the core's allocations go through the wrappers below.  Each
** scenario is run again and again with the k-th allocation failing (k = 0,
** 1, 2 ... until a run meets no failure), alone or with every later one.  A run must end in ENT_ENOMEM from
** the call that met the failure (no other status, no crash), leave what it
** was called on usable, and leak nothing (ASan's leak checker, under `make
** test-asan`).  A world whose growth failed is checked for consistency and
** must accept the same addition afterwards.  Exits non-zero on failure.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"
#include "balance.h"
#include "cascade.h"
#include "options.h"
#include "similarity.h"
#include "tension.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);

static long fail_at = -1; /* index of the allocation to refuse; -1: none */
static int persistent;    /* refuse every allocation from fail_at on */
static long nalloc;       /* allocations since the run began */
static int injected;      /* a refusal happened */

static int refuse(void) {
  long k;
  if (fail_at < 0) return 0;
  k = __atomic_fetch_add(&nalloc, 1, __ATOMIC_RELAXED);
  if (persistent ? k < fail_at : k != fail_at) return 0;
  __atomic_store_n(&injected, 1, __ATOMIC_RELAXED);
  return 1;
}

void *__wrap_malloc(size_t n) { return refuse() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t k, size_t n) { return refuse() ? NULL : __real_calloc(k, n); }
void *__wrap_realloc(void *p, size_t n) { return refuse() ? NULL : __real_realloc(p, n); }

static int passed, failed;
static const char *scenario;
static long at;

#define CHECK(cond, ...) do { \
    if (cond) passed++; \
    else { failed++; printf("FAIL %s:%d [%s, allocation %ld]: ", __FILE__, __LINE__, scenario, at); \
           printf(__VA_ARGS__); printf("\n"); } \
  } while (0)

/* One step of a scenario: OK when no allocation was refused in it, else
** ENT_ENOMEM; on ENOMEM the scenario stops (after its cleanup). */
static int step_ok(ent_status st, const char *what) {
  int inj = injected;
  if (st == ENT_OK && !inj) return 1;
  if (st == ENT_ENOMEM && inj) return 0;
  if (inj) CHECK(0, "%s: status '%s' after a refused allocation (want 'out of memory')", what, ent_status_string(st));
  else CHECK(0, "%s: status '%s' without a refused allocation", what, ent_status_string(st));
  return 0;
}
#define STEP(call) step_ok((call), #call)

/* Run sc with the k-th allocation failing, for every k: once with that
** allocation alone refused, once with it and every later one refused. */
static void sweep(const char *name, void (*sc)(void)) {
  scenario = name;
  for (persistent = 0; persistent < 2; persistent++)
    for (at = 0;; at++) {
      nalloc = 0;
      injected = 0;
      fail_at = at;
      sc();
      fail_at = -1;
      if (!injected) break;
    }
  persistent = 0;
  printf("  %s: %ld allocations, each refused alone and with all after it\n", name, at);
}

static void off(void) { fail_at = -1; }

/* ------------------------------------------------------------ the world */

#define NACT 40     /* past the first growth of every array */

static void code_of(int i, char *buf) { sprintf(buf, "C%02d", i); }

/* Checks of a world after a refused allocation (allocations allowed). */
static void check_world(ent_world *w) {
  int32_t n = ent_actor_capacity(w), i, sum = 0, cnt;
  int c, na = ent_attr_count(w);
  ent_query q;
  ent_world *f = NULL;
  char code[16];
  ent_id id, id2, r;
  for (i = 0; i < n; i++) {
    if (!ent_actor_alive(w, i)) continue;
    CHECK(ent_actor_find(w, ent_actor_code(w, i), &id) == ENT_OK && id == i, "actor %d findable", (int)i);
    for (c = 0; c < na; c++) (void)ent_actor_attr(w, i, c); /* in bounds (ASan) */
    ent_query_init(&q);
    q.actor = i;
    ent_relations(w, &q, NULL, 0, &cnt);
    sum += cnt;
  }
  CHECK(sum == 2 * ent_relation_count(w), "adjacency lists hold every relation twice (%d, %d)", (int)sum,
        (int)ent_relation_count(w));
  CHECK(ent_world_fork(w, &f) == ENT_OK && ent_actor_count(f) == ent_actor_count(w), "fork");
  ent_world_free(f);
  /* the world still grows */
  code_of(90, code);
  CHECK(ent_actor_add(w, code, "after", &id) == ENT_OK, "add an actor after the failure");
  code_of(91, code);
  CHECK(ent_actor_add(w, code, NULL, &id2) == ENT_OK, "add another");
  CHECK(ent_attr_column(w, "late", 1, &c) == ENT_OK && ent_actor_set_attr(w, id, c, 1.0) == ENT_OK &&
        ent_actor_attr(w, id2, c) != ent_actor_attr(w, id2, c), "a new attribute column covers every actor");
  CHECK(ent_relate(w, id, id2, 0, 1.0, ENT_DATE_MIN, ENT_DATE_MAX, "late source", &r) == ENT_OK, "relate");
  CHECK(ent_actor_tag(w, id, "late") == ENT_OK && ent_actor_has_tag(w, id, "late"), "tag");
}

static void sc_world(void) {
  ent_world *w = NULL, *f = NULL;
  ent_id ids[NACT], r, ev;
  int i, col, k;
  char code[16], name[32];
  ent_kind_info ki;
  if (!STEP(ent_world_new(&w))) { CHECK(w == NULL, "no world on failure"); return; }
  for (i = 0; i < NACT; i++) {
    code_of(i, code);
    sprintf(name, "Actor %d", i);
    if (!STEP(ent_actor_add(w, code, i % 3 ? name : NULL, &ids[i]))) goto check;
    if (i % 4 == 0 && !STEP(ent_actor_tag(w, ids[i], i % 8 ? "even" : "eighth"))) goto check;
  }
  for (k = 0; k < 3; k++) {
    sprintf(name, "attr%d", k);
    if (!STEP(ent_attr_column(w, name, 1, &col))) goto check;
    for (i = 0; i < NACT; i += 3) ent_actor_set_attr(w, ids[i], col, i);
  }
  ki.name = "pact"; ki.sign = 1; ki.obligation = ENT_OBL_DEFENCE; ki.strength = 0.9; ki.flags = ENT_KIND_DEFENSIVE;
  if (!STEP(ent_kind_add(w, &ki, &k))) goto check;
  for (i = 0; i < NACT; i++) {
    sprintf(name, "source %d", i % 5);
    if (!STEP(ent_relate(w, ids[i], ids[(i + 1) % NACT], i % 12, 0.5, ENT_DATE_MIN, ENT_DATE_MAX, name, &r)))
      goto check;
  }
  {
    ent_id a[NACT], b[NACT];
    int kind[NACT];
    double s[NACT];
    ent_date since[NACT], until[NACT];
    const char *src[NACT];
    int32_t done;
    for (i = 0; i < NACT; i++) {
      a[i] = ids[i]; b[i] = ids[(i + 7) % NACT]; kind[i] = k; s[i] = 0.7;
      since[i] = ENT_DATE_MIN; until[i] = ENT_DATE_MAX; src[i] = i % 2 ? "bulk" : "bulk2";
    }
    if (!STEP(ent_relate_many(w, NACT, a, b, kind, s, since, until, src, &done))) goto check;
  }
  for (i = 0; i < NACT; i++) {
    sprintf(name, "event %d", i);
    if (!STEP(ent_event_add(w, 8000 + i, 8000 + i, ids[i], ids[(i + 2) % NACT], "190", NAN, name, &ev)))
      goto check;
  }
  if (!STEP(ent_actor_set_name(w, ids[1], "a new name"))) goto check;
  if (!STEP(ent_world_fork(w, &f))) { CHECK(f == NULL, "no fork on failure"); goto check; }
  ent_world_free(f);
check:
  off();
  check_world(w);
  ent_world_free(w);
}

/* A fixed world for the analyses: a ring with chords of both signs (cycles,
** triangles, blocks) and events. */
static ent_world *analysis_world(void) {
  ent_world *w;
  ent_id ids[NACT], r, ev;
  int i, kdef, kriv, ktrade;
  char code[16];
  ent_world_new(&w);
  ent_world_set_date(w, ent_date_from_ymd(2024, 1, 1));
  for (i = 0; i < NACT; i++) {
    code_of(i, code);
    ent_actor_add(w, code, NULL, &ids[i]);
  }
  ent_kind_find(w, "defence", &kdef);
  ent_kind_find(w, "rivalry", &kriv);
  ent_kind_find(w, "trade", &ktrade);
  for (i = 0; i < NACT; i++) {
    ent_relate(w, ids[i], ids[(i + 1) % NACT], kdef, 0.9, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
    if (i % 2 == 0) ent_relate(w, ids[i], ids[(i + 2) % NACT], kriv, 0.6, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
    if (i % 3 == 0) ent_relate(w, ids[i], ids[(i + 5) % NACT], ktrade, 0.4, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
    if (i % 5 == 0) ent_relate(w, ids[i], ids[(i + 11) % NACT], kriv, 0.8, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
    ent_event_add(w, ent_date_from_ymd(2023, 1 + i % 12, 1), ent_date_from_ymd(2023, 1 + i % 12, 1 + i % 3),
                  ids[i], ids[(i + 1) % NACT], i % 2 ? "190" : "042", NAN, NULL, &ev);
  }
  return w;
}

static ent_world *AW;

/* A small world for the options (its trigger polynomials are exact). */
static ent_world *small_world(void) {
  static const char *codes[] = {"F", "A", "B", "C", "D", "E"};
  static const struct { int a, b; const char *kind; double s; } rels[] = {
    {0, 1, "defence", 1.0}, {1, 2, "rivalry", 0.8}, {0, 3, "trade", 0.5}, {2, 3, "sanction", 0.6},
    {0, 2, "partnership", 0.4}, {1, 3, "partnership", 0.5}, {1, 4, "consultation", 0.7}, {4, 5, "defence", 0.9},
  };
  ent_world *w;
  ent_id id;
  size_t i;
  int k;
  ent_world_new(&w);
  ent_world_set_date(w, ent_date_from_ymd(2024, 1, 1));
  for (i = 0; i < sizeof codes / sizeof codes[0]; i++) ent_actor_add(w, codes[i], NULL, &id);
  for (i = 0; i < sizeof rels / sizeof rels[0]; i++) {
    ent_kind_find(w, rels[i].kind, &k);
    ent_relate(w, rels[i].a, rels[i].b, k, rels[i].s, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &id);
  }
  return w;
}

static ent_world *SW;

/* ------------------------------------------------------------- balance */

static void sc_balance(void) {
  ent_signed *g = NULL, *h = NULL;
  char err[ENT_SIGNED_ERRLEN];
  int64_t c4[4], *vc = NULL, lb, cnt;
  double s;
  int32_t big, tri[64];
  int8_t side[NACT];
  ent_frust_opts o;
  ent_frust_result res;
  int32_t from[] = {0, 1, 2, 3, 0}, to[] = {1, 2, 3, 0, 2};
  double wt[] = {1, -1, 1, 1, -0.5};
  double a[9] = {2, 1, 0, 1, 2, 1, 0, 1, 2}, ev[3];
  if (!STEP(ent_signed_from_world(AW, ent_date_from_ymd(2024, 1, 1), NULL, 0, &g, err, sizeof err))) {
    CHECK(g == NULL, "no graph on failure");
    return;
  }
  if (!STEP(ent_signed_census(g, c4))) goto done;
  off();
  vc = malloc(4 * (size_t)ent_signed_n(g) * sizeof *vc);
  fail_at = at;
  if (!STEP(ent_signed_vertex_census(g, vc))) goto done;
  ent_signed_triangles_at(g, 0, tri, 64, &cnt);
  if (!STEP(ent_signed_balance_triangles(g, &s))) goto done;
  if (!STEP(ent_signed_balance_walk(g, &s, &big))) goto done;
  if (!STEP(ent_signed_triangle_packing(g, &lb))) goto done;
  ent_frust_opts_init(&o);
  o.exact = 0;
  if (!STEP(ent_signed_frustration(g, &o, side, &res))) goto done;
  o.exact = 1;
  o.enum_max = 0;     /* reductions, blocks, branch and bound */
  if (!STEP(ent_signed_frustration(g, &o, side, &res))) goto done;
  o.enum_max = ENT_FRUST_ENUM_MAXN;
  if (!STEP(ent_signed_from_edges(4, 5, from, to, wt, &h, err, sizeof err))) {
    CHECK(h == NULL, "no graph on failure");
    goto done;
  }
  if (!STEP(ent_signed_frustration(h, &o, side, &res))) goto done;  /* enumeration */
  if (!STEP(ent_sym_eigenvalues(3, a, ev))) goto done;
done:
  off();
  free(vc);
  ent_signed_free(g);
  ent_signed_free(h);
}

/* ------------------------------------------------- cascade and tension */

static void sc_cascade(void) {
  ent_cascade *c = NULL;
  ent_cascade_params p;
  ent_cascade_run_opts o;
  char err[ENT_CASCADE_ERRLEN];
  ent_id att[2] = {0, 20}, def[2] = {1, 21};
  ent_tension_sel sel;
  ent_tension_value v[3];
  ent_date dates[3];
  ent_id ids[NACT];
  double wts[NACT];
  int32_t cnt;
  unsigned char member[NACT];
  ent_cascade_params_init(&p);
  p.date = ent_date_from_ymd(2024, 1, 1);
  p.reliability = 0.6;
  if (!STEP(ent_cascade_new(AW, &p, att, def, 2, &c, err, sizeof err))) {
    CHECK(c == NULL, "no cascade on failure");
    return;
  }
  ent_cascade_run_opts_init(&o);
  o.method = ENT_CASCADE_MC; o.runs = 3000; o.threads = 3; o.chain_cap = 64;
  if (!STEP(ent_cascade_run(c, &o))) {
    CHECK(ent_cascade_runs(c) == 0, "no results after a failed run");
    goto done;
  }
  o.method = ENT_CASCADE_AUTO; o.threads = 1; o.chain_cap = 1 << 10; o.exact_max_uncertain = 12;
  if (!STEP(ent_cascade_run(c, &o))) goto done;
  memset(&sel, 0, sizeof sel);
  memset(member, 0, sizeof member);
  member[0] = member[1] = member[2] = member[7] = 1;
  sel.mode = ENT_TENSION_GROUP; sel.member = member; sel.scope = ENT_TENSION_INVOLVING;
  dates[0] = ent_date_from_ymd(2023, 3, 1); dates[1] = ent_date_from_ymd(2023, 6, 1); dates[2] = ent_date_from_ymd(2024, 1, 1);
  if (!STEP(ent_tension(AW, &sel, 90, dates, 3, v, err, sizeof err))) goto done;
  if (!STEP(ent_tension_events(AW, &sel, 90, dates[2], ids, wts, NACT, &cnt, err, sizeof err))) goto done;
done:
  off();
  ent_cascade_free(c);
}

/* ------------------------------------------------------------- options */

static ent_dist CONSTD(double v) { ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_CONST; d.a = v; return d; }
static ent_dist UNIF(double lo, double hi) {
  ent_dist d; memset(&d, 0, sizeof d); d.type = ENT_DIST_UNIFORM; d.lo = lo; d.hi = hi; return d;
}

static void sc_options(void) {
  ent_world *f = NULL;
  ent_optmodel *m[2] = {NULL, NULL};
  ent_opt *e = NULL;
  ent_opt_setup s;
  ent_opt_spec sp;
  ent_opt_trigger tr;
  ent_opt_run_opts ro;
  ent_opt_explain *x = NULL;
  ent_opt_chain ch[3];
  ent_dist P[16];
  double cap[8], th[16], out[2 * ENT_OPT_NOUT], threat, H[8], ally[8], pj, al, ho, sw;
  ent_id att = 2, def = 1, r;
  int i, kdef;
  int32_t slot, cnt;
  ent_opt_term t;
  char err[ENT_OPT_ERRLEN];
  off();
  ent_world_fork(SW, &f);
  ent_kind_find(f, "defence", &kdef);
  ent_relate(f, 0, 5, kdef, 1.0, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
  fail_at = at;
  memset(&s, 0, sizeof s);
  for (i = 0; i < 8; i++) cap[i] = 1 + i % 7;
  s.date = ent_date_from_ymd(2024, 1, 1);
  s.focal = 0;
  s.capability = cap;
  s.rel_param = 6;
  for (i = 0; i < 4; i++) s.level_param[i] = 7 + i;
  for (i = 0; i < 6; i++) P[i] = CONSTD(1.0 / 6);
  P[6] = UNIF(0.3, 0.9);
  for (i = 7; i < 11; i++) P[i] = CONSTD(i == 10 ? 1.0 : 0.25);
  for (i = 11; i < 15; i++) P[i] = UNIF(0.2, 0.8);
  P[15] = UNIF(0.1, 0.4);
  if (!STEP(ent_optmodel_new(SW, NULL, &s, &m[0], err, sizeof err))) { CHECK(m[0] == NULL, "no model"); goto done; }
  if (!STEP(ent_optmodel_new(SW, f, &s, &m[1], err, sizeof err))) { CHECK(m[1] == NULL, "no model"); goto done; }
  if (!STEP(ent_optmodel_slot_add(m[1], 0, 4, kdef, &slot))) goto done;
  memset(&t, 0, sizeof t);
  t.slot = slot; t.op = ENT_OPT_SET; t.coef = 0.5;
  for (i = 0; i < 3; i++) { t.f[i].param = -1; t.f[i].a = 1; t.f[i].b = 0; }
  t.f[0].param = 15;
  if (!STEP(ent_optmodel_term_add(m[1], &t))) goto done;
  memset(&sp, 0, sizeof sp);
  sp.nparams = 16; sp.params = P;
  for (i = 0; i < 6; i++) sp.weight_param[i] = i;
  sp.sigma_param = 11;
  for (i = 0; i < 3; i++) sp.norm_param[i] = 12 + i;
  tr.attackers = &att; tr.defenders = &def; tr.npairs = 1; tr.q_param = 15;
  sp.ntriggers = 1; sp.triggers = &tr;
  sp.kmax = 6;
  if (!STEP(ent_opt_new(&sp, m, 2, &e, err, sizeof err))) {
    CHECK(e == NULL, "no evaluator on failure");
    goto done;   /* the models are still ours */
  }
  m[0] = m[1] = NULL;   /* the evaluator owns them */
  ent_opt_run_opts_init(&ro);
  ro.runs = 700; ro.threads = 3; ro.keep = 1; ro.bins = 100;
  if (!STEP(ent_opt_run(e, &ro))) {
    CHECK(ent_opt_runs(e) == 0, "no results after a failed run");
    goto done;
  }
  memcpy(th, ent_opt_central(e), sizeof th);
  if (!STEP(ent_opt_point(e, th, out))) goto done;
  if (!STEP(ent_opt_explain_new(e, 1, th, &x))) { CHECK(x == NULL, "no explanation on failure"); goto done; }
  if (!STEP(ent_opt_chains(e, 1, 0, th, ch, 3, &cnt, &pj))) goto done;
  if (!STEP(ent_optmodel_threat(ent_opt_model(e, 1), th, -1, 0, &threat, H, ally))) goto done;
  if (!STEP(ent_optmodel_dyad(ent_opt_model(e, 1), th, -1, 0, 1, &al, &ho, &sw))) goto done;
done:
  off();
  ent_opt_explain_free(x);
  ent_opt_free(e);
  ent_optmodel_free(m[0]);
  ent_optmodel_free(m[1]);
  ent_world_free(f);
}

/* ---------------------------------------------------------- similarity */

static void sc_similarity(void) {
  ent_atop *s = NULL;
  int32_t cc[NACT], i;
  uint8_t P[NACT * NACT];
  double out[NACT * NACT];
  size_t first, count;
  ent_sim_opts o;
  if (!STEP(ent_atop_new(&s))) { CHECK(s == NULL, "no store on failure"); return; }
  for (i = 0; i < 300; i++)
    if (!STEP(ent_atop_add(s, 1990 + i % 3, 2 + (i * 7) % NACT, 2 + (i * 11) % NACT, 1u + (unsigned)(i % 3))))
      goto done;
  if (!STEP(ent_atop_year(s, 1991, &first, &count))) goto done;
  for (i = 0; i < NACT; i++) cc[i] = 2 + i;
  if (!STEP(ent_atop_portfolios(s, 1991, NACT, cc, 0, P))) goto done;
  ent_sim_opts_init(&o);
  if (!STEP(ent_sim_all(P, NACT, &o, 2, out))) goto done;
done:
  off();
  ent_atop_free(s);
}

int main(void) {
  AW = analysis_world();
  SW = small_world();
  sweep("world", sc_world);
  sweep("balance", sc_balance);
  sweep("cascade and tension", sc_cascade);
  sweep("options", sc_options);
  sweep("similarity", sc_similarity);
  ent_world_free(AW);
  ent_world_free(SW);
  printf("test_oom: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
