/*
** cascade.h - entrapment: how a war spreads along obligations (C API).
**
** The model (docs/entrapment.md has the full statement and its sources):
**
** - An obligation edge i -> j says "i is obliged to j".  When j is (or becomes)
**   a belligerent, i makes ONE attempt to honour the edge: an independent coin
**   that comes up with probability p.  If it does, i joins j's side (or the
**   side opposing j for a hostility edge, ENT_CEDGE_OPPOSE).  A joiner is a
**   belligerent in turn, so its own partners are called, and so on: the
**   cascade is independent-cascade percolation on the edge graph.
** - Sides: side 1 holds the attackers of the initial conflict, side 2 the
**   defenders.  Every actor on side 2 counts as attacked (a defender), every
**   actor on side 1 as an attacker: an ally who joins the defending side is a
**   defender in turn.  A defensive edge (ENT_CEDGE_DEFENSIVE) only calls i when
**   j is on side 2, unless honour_offensive is set.
** - Rounds: round 0 is the initial conflict; the actors called in round k
**   (by partners who entered in round k-1) enter together in round k.  An
**   actor called to both sides in the same round abstains (it is "torn") and
**   stays out for good, or, under ENT_CASCADE_STRONGER, joins the side whose
**   honoured calls add up to the larger probability (abstains on a tie).  A
**   belligerent never changes side.
** - The chain of a joiner is the path of edges that brought it in: the first
**   honoured call of the round (partners in entry order, then their edges in
**   edge order), back to an initial belligerent.
**
** Given the coins the outcome is a fixed function, so the probabilities are
** well defined.  They are computed exactly (lazy enumeration of the coins
** that matter) or by Monte Carlo with runs split in blocks of
** ENT_CASCADE_BLOCK, block b drawing from its own xoshiro256** stream seeded
** from (seed, b) through splitmix64; threads take blocks and their counts are
** added, so the numbers depend on the seed and the number of runs only, never
** on the number of threads.
*/
#ifndef ENTENTE_CASCADE_H
#define ENTENTE_CASCADE_H

#include "entente.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_CASCADE_BLOCK 1024      /* runs per random stream */
#define ENT_CASCADE_ERRLEN 256
#define ENT_CASCADE_MAX_THREADS 256

/* Edge flags. */
#define ENT_CEDGE_DEFENSIVE 0x01u   /* calls only when the partner is on side 2 */
#define ENT_CEDGE_OPPOSE    0x02u   /* joining means joining the side against the partner */
#define ENT_CEDGE_ATTACKER_ONLY 0x04u /* calls only when the partner is on side 1 and
                                       honour_offensive is off: the weaker,
                                       non-defensive obligation of a pair whose
                                       stronger one is defensive */

/* Rule for an actor called to both sides in the same round. */
#define ENT_CASCADE_ABSTAIN  0
#define ENT_CASCADE_STRONGER 1

/* Method. */
#define ENT_CASCADE_AUTO  0
#define ENT_CASCADE_EXACT 1
#define ENT_CASCADE_MC    2

typedef struct ent_cascade_edge {
  ent_id from;        /* the obliged actor, who may join */
  ent_id to;          /* the partner whose entry calls it */
  double p;           /* probability the call is honoured, in [0,1] */
  unsigned flags;     /* ENT_CEDGE_* */
  ent_id relation;    /* relation id for tracing (ENT_NONE when none) */
  int kind;           /* relation kind (-1 when none) */
} ent_cascade_edge;

typedef struct ent_cascade_params {
  ent_date date;              /* relations valid at this date (world builder) */
  double reliability;         /* default 0.75 (Leeds, Long & Mitchell 2000) */
  double level_weight[4];     /* per ent_obligation: none 0, consultation 0.25,
                                 neutrality 0, defence 1 */
  const double *kind_weight;  /* NULL, or one per kind (ent_kind_count):
                                 NaN = use the level weight.  For hostile kinds
                                 (sign < 0) the weight of the pull against the
                                 partner; their default is 0 (off). */
  const double *rel_prob;     /* NULL, or one per relation id
                                 (ent_relation_capacity): NaN = computed, else
                                 the probability itself, in [0,1] */
  int honour_offensive;       /* defensive edges also call for side-1 partners */
  int both_sides;             /* ENT_CASCADE_ABSTAIN or ENT_CASCADE_STRONGER */
} ent_cascade_params;

typedef struct ent_cascade_run_opts {
  int method;                 /* ENT_CASCADE_AUTO / EXACT / MC */
  int64_t runs;               /* Monte Carlo runs (> 0) */
  uint64_t seed;
  int threads;                /* 0 = online cores */
  int32_t exact_max_uncertain;/* AUTO picks exact when the uncertain edges
                                 reachable from the conflict are at most this
                                 (default 20) */
  int64_t exact_max_outcomes; /* EXACT fails with ENT_ELIMIT beyond this many
                                 enumerated outcomes (default 1<<24) */
  int32_t chain_cap;          /* distinct chains tracked (default 1<<16);
                                 0 = do not track chains */
} ent_cascade_run_opts;

typedef struct ent_cascade ent_cascade;

void ent_cascade_params_init(ent_cascade_params *p);
void ent_cascade_run_opts_init(ent_cascade_run_opts *o);

/* Build from a world: the obligation edges of the relations valid at
** p->date.  A relation of a symmetric kind gives edges both ways, of a
** directed kind only a -> b.  Cooperative kinds (sign >= 0) give
** p = reliability * weight * strength, with weight the kind's weight or its
** obligation level's; hostile kinds (sign < 0) give an OPPOSE edge with
** p = weight * strength.  The DEFENSIVE flag comes from the kind.  Several
** relations of one ordered pair pulling the same way make one decision: the
** strongest obligation that applies (largest p, lowest relation id on ties).
** So a pair keeps its strongest edge and, when that one is defensive, also
** its strongest non-defensive edge flagged ATTACKER_ONLY.
** attackers[k] attacks defenders[k]; an actor may not be on both sides.
** O(m log m).  On failure *out is NULL and err (if not NULL) says why. */
ent_status ent_cascade_new(const ent_world *w, const ent_cascade_params *p,
                           const ent_id *attackers, const ent_id *defenders, int32_t npairs,
                           ent_cascade **out, char *err, size_t errlen);

/* Build from explicit edges over actors 0..n-1 (no world needed).  Only
** honour_offensive and both_sides of p are used (p may be NULL). */
ent_status ent_cascade_new_edges(int32_t n, const ent_cascade_edge *edges, int32_t m,
                                 const ent_cascade_params *p,
                                 const ent_id *attackers, const ent_id *defenders, int32_t npairs,
                                 ent_cascade **out, char *err, size_t errlen);

void ent_cascade_free(ent_cascade *c);
const char *ent_cascade_errmsg(const ent_cascade *c);

/* Uncertain edges (0 < p < 1) reachable from the conflict. */
int32_t ent_cascade_uncertain(const ent_cascade *c);
int32_t ent_cascade_actor_capacity(const ent_cascade *c);
int32_t ent_cascade_edge_count(const ent_cascade *c);
/* Edge i (0 <= i < edge_count) as used; edges are grouped by partner. */
ent_status ent_cascade_edge_get(const ent_cascade *c, int32_t i, ent_cascade_edge *out);

/* Compute.  O(outcomes * cascade) exact, O(runs * cascade / threads) MC,
** where a cascade costs O(edges examined).  May be called again (results are
** replaced). */
ent_status ent_cascade_run(ent_cascade *c, const ent_cascade_run_opts *o);

/* ---- results (valid after a successful run) */

typedef struct ent_cascade_actor_result {
  int initial;        /* 0, or the side (1, 2) it starts on */
  double p_join;      /* P(joins), initial belligerents excluded (0) */
  double p_side[2];   /* P(joins side 1), P(joins side 2) */
  double p_torn;      /* P(called to both sides and abstains) */
  double lo, hi;      /* 95% interval of p_join (Wilson; exact: lo = hi = p) */
  double side_lo[2], side_hi[2];
} ent_cascade_actor_result;

int ent_cascade_exact(const ent_cascade *c);      /* 1 if the last run was exact */
int64_t ent_cascade_runs(const ent_cascade *c);   /* MC runs, or exact outcomes */
int ent_cascade_threads_used(const ent_cascade *c);
ent_status ent_cascade_actor(const ent_cascade *c, ent_id a, ent_cascade_actor_result *out);
/* Distribution of the number of belligerents (initial ones included):
** probs[k] = P(k belligerents), k = 0..len-1. */
const double *ent_cascade_count_dist(const ent_cascade *c, int32_t *len);
void ent_cascade_count_mean(const ent_cascade *c, double *mean, double *sd, double *lo, double *hi);
/* P(edge i is the edge that brought its `from` actor in). */
double ent_cascade_edge_entry(const ent_cascade *c, int32_t i);

/* Chains, most probable first (ties broken by the path, deterministically).
** 0 when chains were not tracked; ent_cascade_chains_truncated() is 1 when
** more distinct chains occurred than chain_cap (none are then reported). */
int32_t ent_cascade_chain_count(const ent_cascade *c);
int ent_cascade_chains_truncated(const ent_cascade *c);
typedef struct ent_cascade_chain_info {
  ent_id actor;       /* the joiner */
  int side;
  double p, lo, hi;   /* P(actor joins by exactly this chain) and 95% interval */
  int32_t length;     /* number of edges */
  ent_id root;        /* the initial belligerent the chain starts from */
} ent_cascade_chain_info;
ent_status ent_cascade_chain(const ent_cascade *c, int32_t rank, ent_cascade_chain_info *out);
/* The edge indices of the chain from the root side to the joiner; writes
** min(length, cap) entries. */
ent_status ent_cascade_chain_edges(const ent_cascade *c, int32_t rank, int32_t *edges, int32_t cap);

/* Wilson score interval for k successes in n trials at z (1.96 for 95%). */
void ent_wilson(double k, double n, double z, double *lo, double *hi);

#ifdef __cplusplus
}
#endif
#endif
