/*
** options.h - a focal actor's options under uncertainty (C API, no Lua).
**
** The model (docs/options.md has every formula and its sources):
**
** - An option model (ent_optmodel) is a compact numeric copy of a world as
**   of a date, seen from a focal actor: one slot per relation in force (or
**   added by the option), each with a base strength, and an ordered list of
**   terms that change slot strengths: the option's move first, then the
**   other actors' responses.  A term's value is
**       v = coef * prod_{i<3} (a_i + b_i * theta[param_i])
**   (a factor with param < 0 is the constant a_i), applied as s += v (ADD),
**   s *= v (MUL) or s = v (SET), and the strength is clamped to [0,1] after
**   each term.  theta is the vector of parameters of one draw.
** - The evaluator (ent_opt) holds the parameter distributions, the criteria
**   weights and the conflict triggers, and owns one model per option.  Per
**   draw it draws theta, applies the terms of every model and computes six
**   criteria from the focal actor's point of view, each in [0,1] with 0 the
**   best: security threat, entrapment risk, economic exposure, reputation,
**   partner trust (ties lost), structural tension; and the overall score,
**   their weighted mean (a cost: lower is better).
** - Entrapment reuses the cascade kernel (cascade.h): for each trigger the
**   probability that the focal actor is drawn in is a multilinear polynomial
**   in the probabilities of the obligation edges that vary between draws;
**   its coefficients are found once per model by running the exact cascade
**   at the corners of the unit cube (edges at 0 or 1) and a Moebius
**   transform.  Structural tension reuses the triangle code (balance.h).
**
** Monte Carlo draws are split in blocks of ENT_OPT_BLOCK; block b draws from
** its own xoshiro256** stream seeded from (seed, b); floating-point sums are
** kept per block and added in block order, so results depend on the seed and
** the number of draws only, never on the number of threads.
**
** Conventions as in entente.h: prefix ent_, ent_status returns, results
** through pointers, no global state, nothing allocated in the draw loop.
*/
#ifndef ENTENTE_OPTIONS_H
#define ENTENTE_OPTIONS_H

#include "entente.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_OPT_ERRLEN 256
#define ENT_OPT_BLOCK 1024          /* draws per random stream */
#define ENT_OPT_MAX_THREADS 256
#define ENT_OPT_KMAX_LIMIT 20       /* most varying edges per trigger polynomial */

/* Criteria, in the order of every result row. */
enum {
  ENT_CRIT_THREAT = 0,   /* security threat */
  ENT_CRIT_ENTRAP,       /* entrapment risk */
  ENT_CRIT_ECON,         /* economic exposure */
  ENT_CRIT_REPUT,        /* reputation cost */
  ENT_CRIT_TRUST,        /* partner trust lost */
  ENT_CRIT_TENSION,      /* structural tension */
  ENT_OPT_NCRIT,         /* = 6 */
  ENT_OPT_OVERALL = ENT_OPT_NCRIT, /* index of the overall score in a row */
  ENT_OPT_NOUT           /* = 7 values per option and draw */
};

/* ---------------------------------------------------------- distributions */

typedef enum ent_dist_type {
  ENT_DIST_CONST = 0,    /* a */
  ENT_DIST_UNIFORM,      /* on [lo, hi] */
  ENT_DIST_TRIANGULAR,   /* on [lo, hi], mode c */
  ENT_DIST_NORMAL,       /* mean a, sd b, truncated to [lo, hi] (may be +-HUGE_VAL) */
  ENT_DIST_BETA          /* shapes a, b, scaled to [lo, hi] */
} ent_dist_type;

typedef struct ent_dist {
  ent_dist_type type;
  double a, b, c, lo, hi;
} ent_dist;

/* Check a distribution; ENT_EINVAL with a message naming the bad value. */
ent_status ent_dist_check(const ent_dist *d, char *err, size_t errlen);
/* Inverse CDF at u in [0,1] (normal: Acklam + one Halley step; beta:
** bisection on the regularised incomplete beta).  The central value of a
** parameter is its median, ent_dist_quantile(d, 0.5). */
double ent_dist_quantile(const ent_dist *d, double u);
double ent_dist_mean(const ent_dist *d);

/* One draw (inverse CDF for uniform, triangular and normal; Marsaglia-Tsang
** gamma variates for beta). */
double ent_dist_sample(const ent_dist *d, ent_rng *r);

/* ----------------------------------------------------------------- models */

/* Kind classes (which kinds are trade, sanctions, aggression). */
#define ENT_OPT_KTRADE      0x01u
#define ENT_OPT_KSANCTION   0x02u   /* a sanctions b (directed) or both (symmetric) */
#define ENT_OPT_KAGGRESSION 0x04u   /* a is the aggressor */

/* Term operations. */
#define ENT_OPT_ADD 0
#define ENT_OPT_MUL 1
#define ENT_OPT_SET 2

typedef struct ent_opt_factor {
  int32_t param;         /* index into theta, or -1 for a constant */
  double a, b;           /* the factor is a + b * theta[param] (a when param < 0) */
} ent_opt_factor;

typedef struct ent_opt_term {
  int32_t slot;
  int op;                /* ENT_OPT_ADD / MUL / SET */
  double coef;
  ent_opt_factor f[3];
} ent_opt_term;

typedef struct ent_opt_pair {
  ent_id a, b;           /* unordered pair */
  int32_t param;         /* its reliability parameter */
} ent_opt_pair;

typedef struct ent_opt_setup {
  ent_date date;             /* relations in force at this date */
  ent_id focal;
  const double *capability;  /* one per actor id (capacity of the moved world);
                                NaN = unknown, counted as 0; NULL = all 0 */
  const double *proliferation; /* one per actor id in [0,1]; NULL = all 0 */
  const unsigned *kind_class;/* one per kind of the moved world; NULL = by
                                name: trade; sanction; war, dispute */
  const double *signed_weight; /* one per kind, >= 0; NULL = the balance
                                  defaults (ent_signed_default_weight) */
  const double *hostility_weight; /* one per kind, >= 0; NULL = 1 */
  int32_t rel_param;         /* reliability parameter (required, >= 0) */
  int32_t level_param[4];    /* obligation level weights, per ent_obligation */
  int32_t npairs;            /* pair-specific reliabilities */
  const ent_opt_pair *pairs;
} ent_opt_setup;

typedef struct ent_optmodel ent_optmodel;

/* A model of `moved` (a fork of `base` the option was applied to; may be
** base itself) as of s->date.  Slots: every relation id in force at the date
** in base or in moved; its base strength is the one in base (0 when absent
** or not in force there); where moved differs, a SET term (the first terms
** of the model) records the move.  Relation ids must mean the same relation
** in both worlds (moved is a fork of base).  O(n + m). */
ent_status ent_optmodel_new(const ent_world *base, const ent_world *moved, const ent_opt_setup *s,
                            ent_optmodel **out, char *err, size_t errlen);
void ent_optmodel_free(ent_optmodel *m);

int32_t ent_optmodel_actors(const ent_optmodel *m);     /* actor id capacity */
ent_id ent_optmodel_focal(const ent_optmodel *m);
int32_t ent_optmodel_slot_count(const ent_optmodel *m);
/* A new slot (a relation the responses may create), base strength 0. */
ent_status ent_optmodel_slot_add(ent_optmodel *m, ent_id a, ent_id b, int kind, int32_t *out);
typedef struct ent_opt_slot_info {
  ent_id a, b;
  int kind;
  double base;
  ent_id relation;     /* relation id, or ENT_NONE for an added slot */
} ent_opt_slot_info;
ent_status ent_optmodel_slot_get(const ent_optmodel *m, int32_t i, ent_opt_slot_info *out);
/* Kind facts as used by the model. */
ent_status ent_optmodel_kind(const ent_optmodel *m, int kind, int *sign, int *level, unsigned *flags,
                             unsigned *cls);

/* The data a model was built with (for explanations and re-evaluation). */
ent_status ent_optmodel_kind_weights(const ent_optmodel *m, int kind, double *signed_w, double *hostility_w);
ent_status ent_optmodel_actor(const ent_optmodel *m, ent_id a, double *capability, double *proliferation);
/* Reliability parameter of the pair (a, b) (pair-specific or the default),
** and the parameter of an obligation level (-1: the built-in default). */
int32_t ent_optmodel_rel_param(const ent_optmodel *m, ent_id a, ent_id b);
int32_t ent_optmodel_level_param(const ent_optmodel *m, int level);

int32_t ent_optmodel_term_count(const ent_optmodel *m);
ent_status ent_optmodel_term_add(ent_optmodel *m, const ent_opt_term *t);
ent_status ent_optmodel_term_get(const ent_optmodel *m, int32_t i, ent_opt_term *out);
ent_status ent_optmodel_term_set(ent_optmodel *m, int32_t i, const ent_opt_term *t);

/* Slot strengths after the first nterms terms (nterms < 0: all) at theta. */
ent_status ent_optmodel_strengths(const ent_optmodel *m, const double *theta, int32_t nterms,
                                  double *s);
/* Security threat to `actor` (the criterion's formula with `actor` as the
** focal) after the first nterms terms at theta; when not NULL, H (per actor
** id) gets each actor's hostility toward `actor` and ally its alliance
** strength with `actor`.  Allocates its scratch. */
ent_status ent_optmodel_threat(const ent_optmodel *m, const double *theta, int32_t nterms,
                               ent_id actor, double *threat, double *H, double *ally);
/* Alliance strength and hostility of the dyad (a, b) after nterms terms. */
ent_status ent_optmodel_dyad(const ent_optmodel *m, const double *theta, int32_t nterms,
                             ent_id a, ent_id b, double *ally, double *hostility, double *sign_w);

/* -------------------------------------------------------------- evaluator */

typedef struct ent_opt_trigger {
  const ent_id *attackers, *defenders;
  int32_t npairs;
  int32_t q_param;       /* probability that this conflict breaks out */
} ent_opt_trigger;

typedef struct ent_opt_spec {
  int32_t nparams;
  const ent_dist *params;
  int32_t weight_param[ENT_OPT_NCRIT]; /* -1: the criterion is not computed */
  int32_t sigma_param;       /* secondary-sanction spill-over; -1 = 0 */
  int32_t norm_param[3];     /* weights of aggression, proliferation,
                                sanctions in a violation score; -1 = 1 */
  int32_t ntriggers;
  const ent_opt_trigger *triggers;
  int32_t kmax;              /* varying edges per trigger polynomial (0 = 14) */
} ent_opt_spec;

typedef struct ent_opt ent_opt;

/* Compile an evaluator over nmodels option models (all with the same focal
** and actor ids).  On success it owns the models (it frees them); on failure
** the caller still does.  Builds, per model, the dyads, the focal actor's
** triangles (balance.h) and the trigger polynomials (cascade.h: 2^k exact
** cascades per trigger, k the varying edges that can reach the focal actor,
** at most kmax; further ones are held at their central value and counted in
** ent_opt_held).  O(models * triggers * 2^k * cascade). */
ent_status ent_opt_new(const ent_opt_spec *spec, ent_optmodel **models, int32_t nmodels,
                       ent_opt **out, char *err, size_t errlen);
void ent_opt_free(ent_opt *e);
const char *ent_opt_errmsg(const ent_opt *e);

int32_t ent_opt_nmodels(const ent_opt *e);
int32_t ent_opt_nparams(const ent_opt *e);
const ent_optmodel *ent_opt_model(const ent_opt *e, int32_t i);
/* Central parameter values (medians), nparams of them. */
const double *ent_opt_central(const ent_opt *e);
/* Variables, monomials and edges held at central values of the polynomial
** of trigger t in model i. */
ent_status ent_opt_poly_info(const ent_opt *e, int32_t i, int32_t t, int32_t *nvar,
                             int32_t *nmono, int32_t *held);

/* The compiled pieces, for explanations and for independent re-evaluation
** (the pure-Lua reference of bench/options.lua and the specs).
** An obligation edge `from -> to` pools the cooperative relations that
** oblige `from` to `to` (both ways for symmetric kinds): its probability is
**     p = min(1, rho(from,to) * max over members of lambda(level) * s)
** over all members (cls 0) or only the non-defensive ones (cls 1). */
#define ENT_OPT_EDGE_DEFENSIVE 0x01u   /* calls only for a defending partner */
#define ENT_OPT_EDGE_ATTACKER  0x02u   /* calls only for an attacking partner */
typedef struct ent_opt_var {
  ent_id from, to;
  int cls;               /* 0: all members; 1: non-defensive members only */
  unsigned flags;        /* ENT_OPT_EDGE_* */
} ent_opt_var;
ent_status ent_opt_poly_var(const ent_opt *e, int32_t i, int32_t t, int32_t v, ent_opt_var *out);
/* Monomial j: P = sum_j coef_j * prod_{v in vars_j} p_v (the empty monomial
** is the constant term). */
ent_status ent_opt_poly_mono(const ent_opt *e, int32_t i, int32_t t, int32_t j, double *coef,
                             const int32_t **vars, int32_t *len);
/* The focal actor's triangles in model i (pairs x, y), over every dyad that
** has a relation in some draw. */
ent_status ent_opt_triangles(const ent_opt *e, int32_t i, int32_t *ntri, const int32_t **xy);

/* The most probable chains by which the focal actor is drawn into trigger t
** in model i at theta (an exact or Monte Carlo cascade run, cascade.h).
** Writes up to cap chains, most probable first; *count gets how many;
** *p_join the probability computed directly (a check on the polynomial). */
#define ENT_OPT_CHAIN_MAX 12
typedef struct ent_opt_chain {
  double p;
  int32_t len;                        /* edges; actors[0..len] */
  ent_id actors[ENT_OPT_CHAIN_MAX + 1];  /* root belligerent first, focal last */
} ent_opt_chain;
ent_status ent_opt_chains(const ent_opt *e, int32_t i, int32_t t, const double *theta,
                          ent_opt_chain *chains, int32_t cap, int32_t *count, double *p_join);

/* One evaluation at theta: out gets nmodels rows of ENT_OPT_NOUT values. */
ent_status ent_opt_point(const ent_opt *e, const double *theta, double *out);

/* What made each criterion of model i at theta (arrays sized by the model's
** actor capacity n, triggers or triangles; the struct owns them). */
typedef struct ent_opt_explain {
  int32_t n;
  double out[ENT_OPT_NOUT];
  double weight[ENT_OPT_NCRIT];     /* drawn weights (normalised to sum 1) */
  /* threat = sum_k hostile[k]*cap[k] / (sum_k hostile[k]*cap[k] + own);
  ** hostile[k] is after the discount for k's political cooperation */
  double *hostile, *ally, *cap;     /* per actor */
  double threat_num, threat_own;    /* own = cap[focal] + sum_k ally[k]*cap[k] */
  /* entrapment = 1 - prod_t (1 - q[t] * p_join[t]) */
  int32_t ntrig;
  double *q, *p_join;
  /* economic = (sum_k trade[k]*risk[k] + trade0 - trade1) / trade0, in [0,1] */
  double *trade0, *trade, *risk;    /* per actor: before, after, sanction risk */
  double trade_total0, trade_total;
  /* reputation = sum_k coop[k]*viol[k] / sum_k coop[k] */
  double *coop, *viol;
  /* trust = sum_k lost[k] / sum_k tie0[k] over partners with tie0 > 0 */
  double *tie0, *tie, *lost;
  /* tension = sum over unbalanced triangles of g / sum of g */
  int32_t ntri;
  int32_t *tri_x, *tri_y;           /* the other two actors */
  int8_t *tri_sign;                 /* +1 balanced, -1 unbalanced, 0 absent */
  double *tri_w;                    /* g, 0 when absent */
} ent_opt_explain;
ent_status ent_opt_explain_new(const ent_opt *e, int32_t i, const double *theta,
                               ent_opt_explain **out);
void ent_opt_explain_free(ent_opt_explain *x);

/* Monte Carlo. */
typedef struct ent_opt_run_opts {
  int64_t runs;          /* draws (> 0) */
  uint64_t seed;
  int threads;           /* 0 = online cores */
  int keep;              /* keep every draw's rows (runs * nmodels * NOUT doubles) */
  int32_t bins;          /* histogram bins on [0,1] for the quantiles (0 = 2000) */
} ent_opt_run_opts;
void ent_opt_run_opts_init(ent_opt_run_opts *o);
ent_status ent_opt_run(ent_opt *e, const ent_opt_run_opts *o);

/* Results of the last run. */
typedef struct ent_opt_stat {
  double mean, sd, min, max;
} ent_opt_stat;
int64_t ent_opt_runs(const ent_opt *e);
int ent_opt_threads_used(const ent_opt *e);
ent_status ent_opt_stat_get(const ent_opt *e, int32_t i, int k, ent_opt_stat *out);
/* Quantile q in [0,1] of value k of model i, from the histogram (linear
** within a bin, so within one bin width; exact at 0 and 1). */
double ent_opt_quantile(const ent_opt *e, int32_t i, int k, double q);
/* Probability of being the best option (lowest overall score; ties share
** the draw), and expected regret (overall score minus the draw's best). */
double ent_opt_pbest(const ent_opt *e, int32_t i);
double ent_opt_regret(const ent_opt *e, int32_t i);
/* Pairwise: draws where i's overall score is <= j's and < j's; draws where i
** is no worse than j on every computed criterion, and draws where it is
** better on at least one. */
typedef struct ent_opt_pairstat {
  int64_t le, lt, crit_le, crit_lt;
} ent_opt_pairstat;
ent_status ent_opt_compare(const ent_opt *e, int32_t i, int32_t j, ent_opt_pairstat *out);
/* Every draw's rows when the run kept them (else NULL): row r, model i,
** value k at [(r * nmodels + i) * ENT_OPT_NOUT + k]. */
const double *ent_opt_draws(const ent_opt *e);

#ifdef __cplusplus
}
#endif
#endif
