/*
** balance.h - structural balance of signed graphs (C API, no Lua).
**
** A signed graph is an immutable snapshot (ent_signed) with one signed weight
** per dyad, built either from a world as of a date or from raw edge arrays.
** Every balance kernel reads it: the signed triangle census, the three
** balance scores (triangles, walk, frustration) and the explanations (blocs,
** frustrated edges, who is caught in the middle).  See docs/balance.md for
** the formulas and their sources.
**
** Conventions as in entente.h: prefix ent_, functions return ent_status and
** write through pointers, no global state; a snapshot is never modified after
** it is built, so it may be read by several threads at once.  Kernels that
** need scratch memory allocate it on entry and free it on exit (never in
** their inner loops).  n = vertices (actor ids), m = edges (dyads with a
** non-zero weight).
*/
#ifndef ENTENTE_BALANCE_H
#define ENTENTE_BALANCE_H

#include "entente.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ent_signed ent_signed;

/* Size of the error buffers the constructors fill (may be NULL). */
#define ENT_SIGNED_ERRLEN 256
/* Largest m a snapshot holds (2m slots are indexed by int32). */
#define ENT_SIGNED_MAXM ((int32_t)0x3fffffff)
/* Largest connected component the walk balance accepts (dense eigensolver,
** O(c^3) time and c^2 doubles of memory per component of c vertices). */
#define ENT_WALK_MAXN 3000

/* ---------------------------------------------------------- construction */

/* Build a snapshot on vertices 0..n-1 from m weighted edges.  Pairs are
** unordered; repeated pairs are summed; a pair whose sum is zero (|sum| <=
** 1e-12 times the sum of the |terms|) gives no edge.  Self-loops, ids out of
** range and non-finite weights are ENT_EINVAL with a message in err naming
** the edge index and the bad value.  O(n + m) time (two counting sorts). */
ent_status ent_signed_from_edges(int32_t n, int32_t m, const int32_t *from, const int32_t *to,
                                 const double *weight, ent_signed **out, char *err, size_t errlen);

/* Build a snapshot of a world as of date d.  Dyad weight = sum over the
** relations active at d (since <= d < until) of
**     kind.sign * relation.strength * kind_weight[kind];
** a directed relation counts once for its unordered pair.  kind_weight has
** nkw entries (kinds 0..nkw-1; kinds past nkw and a NULL array take
** ent_signed_default_weight).  Weights must be finite and >= 0 (0 ignores a
** kind).  Vertices are the world's actor ids (0..ent_actor_capacity-1);
** removed actors are absent (ent_signed_present == 0).  O(n + m). */
ent_status ent_signed_from_world(const ent_world *w, ent_date d, const double *kind_weight,
                                 int nkw, ent_signed **out, char *err, size_t errlen);
/* Default weight of a kind: 0.5 for the built-in "trade" (interdependence is
** not alignment), 1 for every other kind. */
double ent_signed_default_weight(const ent_world *w, int kind);

void ent_signed_free(ent_signed *g);

/* ---------------------------------------------------------------- access */

int32_t ent_signed_n(const ent_signed *g);          /* vertex ids 0..n-1 */
int32_t ent_signed_m(const ent_signed *g);          /* edges */
int32_t ent_signed_npositive(const ent_signed *g);  /* edges with weight > 0 */
int32_t ent_signed_nvertices(const ent_signed *g);  /* present vertices */
int ent_signed_present(const ent_signed *g, ent_id v);
int32_t ent_signed_degree(const ent_signed *g, ent_id v);
/* Edge e (0..m-1): edges are sorted by (u, v) with u < v. */
void ent_signed_edge(const ent_signed *g, int32_t e, ent_id *u, ent_id *v, double *w);
/* Weight of the dyad (0 when there is no edge); O(log deg). */
double ent_signed_weight(const ent_signed *g, ent_id u, ent_id v);
/* Edge id of the dyad, or -1; O(log deg). */
int32_t ent_signed_edge_id(const ent_signed *g, ent_id u, ent_id v);
/* CSR arrays: the neighbours of v are nbr[off[v] .. off[v+1]-1], sorted
** increasingly, with weights wt[] and edge ids eid[] in the same slots. */
void ent_signed_csr(const ent_signed *g, const int32_t **off, const int32_t **nbr,
                    const double **wt, const int32_t **eid);

/* ---------------------------------------------------------------- census */

/* Index of a triangle type in a census: the number of negative edges. */
enum { ENT_TRI_PPP = 0, ENT_TRI_PPN = 1, ENT_TRI_PNN = 2, ENT_TRI_NNN = 3 };

/* Signed triangle census: counts[k] = triangles with k negative edges.
** Compact-forward algorithm (Latapy 2008) on a degree ordering with a
** marking array: O(m^1.5) time, O(n + m) scratch. */
ent_status ent_signed_census(const ent_signed *g, int64_t counts[4]);
/* Per-vertex census: counts[4*v + k] = triangles with k negative edges
** through v (each triangle counts for its three vertices).  Same cost. */
ent_status ent_signed_vertex_census(const ent_signed *g, int64_t *counts);

/* Triangles through vertex v: writes pairs (x, y), x < y, such that v, x, y
** form a triangle, into out[2i], out[2i+1] for i < cap, sorted; *count gets
** the total.  O(sum over neighbours x of deg(v) + deg(x)). */
ent_status ent_signed_triangles_at(const ent_signed *g, ent_id v, int32_t *out, int64_t cap,
                                   int64_t *count);
/* Common neighbours w of u and v (sorted) into out[i] for i < cap; *count
** gets the total.  When u-v is an edge these close its triangles.
** O(deg(u) + deg(v)). */
ent_status ent_signed_common(const ent_signed *g, ent_id u, ent_id v, int32_t *out, int64_t cap,
                             int64_t *count);

/* ---------------------------------------------------------------- scores */

/* Share of balanced triangles, (+++ and +--) / all.  NaN when the graph has
** no triangle.  Cartwright & Harary (1956). */
ent_status ent_signed_balance_triangles(const ent_signed *g, double *score);

/* Walk balance (Estrada & Benzi 2014): sum exp(eig(A)) / sum exp(eig(|A|))
** with A the matrix of edge signs (+1/-1) over the present vertices (each
** isolated vertex adds exp(0) to both sums).  Eigenvalues per connected
** component (the spectrum of a block-diagonal matrix is the union of its
** blocks' spectra) with Householder tridiagonalisation and implicit QL;
** ENT_ELIMIT when a component has more than ENT_WALK_MAXN vertices (then
** *limit_comp gets its size, if limit_comp is not NULL).  Sums are scaled by
** exp(-lambda_max(|A|)) so no term overflows.  O(sum c^3). */
ent_status ent_signed_balance_walk(const ent_signed *g, double *score, int32_t *limit_comp);

/* Eigenvalues of the symmetric k x k matrix a (row-major, only the lower
** triangle is read; a is destroyed) into ev, ascending.  ENT_EINVAL if QL
** does not converge (never seen on finite input).  O(k^3). */
ent_status ent_sym_eigenvalues(int32_t k, double *a, double *ev);

/* ----------------------------------------------------------- frustration */

/* Frustration index (Aref & Wilson 2018): the least number of edges whose
** sign violates a partition of the vertices into two blocs (a positive edge
** across blocs, or a negative edge inside one), over all partitions.
**
** The heuristic (always run) is a seeded multi-start iterated local search
** (greedy breadth-first starts, single-vertex descent, random cluster
** kicks).  Its lower bound is a greedy packing of edge-disjoint unbalanced
** triangles (each needs at least one frustrated edge).
**
** The exact method (exact != 0) first applies exact reductions (pendant
** vertices, series contraction of degree-2 vertices into weighted edges,
** merging of parallel edges), splits the reduced graph into biconnected
** blocks (the index is the sum over blocks, since every cycle lies in one
** block) and solves each block with a Russian doll branch and bound (Verfaillie,
** Lemaitre & Schiex 1996): the optimum of every suffix of a vertex ordering is
** a lower bound for the edges among the unassigned vertices.  When it ends
** within node_limit the result is proven optimal (lower == index).  Otherwise
** lower is the best proven bound and index the best partition found.
**
** When the exact method is asked for and at most ENT_FRUST_ENUM_MAXN
** vertices have edges, every partition is enumerated instead (Gray code,
** O(2^k deg)), and among the optimal ones the partition with the least
** frustrated weight (sum of |w|) is returned: on small views of a world
** this picks, of several partitions with the same number of frustrated
** ties, the one whose frustrated ties are the weakest. */
#define ENT_FRUST_ENUM_MAXN 22
typedef struct ent_frust_opts {
  int exact;              /* run the exact branch and bound */
  uint64_t seed;          /* heuristic seed (default 1) */
  int32_t starts;         /* heuristic starts (default 4) */
  int64_t kicks;          /* kicks per level of a V-cycle; <= 0: 4 * (vertices with edges),
                          ** at most 20000 */
  int64_t node_limit;     /* exact: branch and bound nodes; <= 0 = no limit (default 2e8) */
  int32_t enum_max;       /* exact: enumerate when at most this many vertices have edges
                          ** (default ENT_FRUST_ENUM_MAXN, at most that; 0 = always branch) */
} ent_frust_opts;
void ent_frust_opts_init(ent_frust_opts *o);

typedef struct ent_frust_result {
  int64_t index;          /* frustration of the best partition found */
  int64_t lower;          /* proven lower bound */
  int optimal;            /* 1 when index == lower was proven */
  int64_t heuristic;      /* index found by the heuristic alone */
  int64_t nodes;          /* branch and bound nodes visited */
  int32_t reduced_n;      /* vertices left after the exact reductions */
  int32_t reduced_m;      /* edges left after the exact reductions */
  int32_t blocks;         /* biconnected blocks with a cycle solved */
  int32_t largest_block;  /* vertices in the largest block */
  int enumerated;         /* 1 when every partition was enumerated */
  double weight;          /* sum of |w| over the frustrated edges */
} ent_frust_result;

/* side[v] gets +1 or -1 (the bloc of v in the best partition) for present
** vertices with at least one edge, 0 for the others.  Bloc +1 is the one of
** the lowest-numbered vertex with an edge. */
ent_status ent_signed_frustration(const ent_signed *g, const ent_frust_opts *o, int8_t *side,
                                  ent_frust_result *res);

/* Frustration of a given partition (side[v] in {+1,-1}; 0 counts as +1). */
int64_t ent_signed_frustration_of(const ent_signed *g, const int8_t *side);
/* Ids of the edges that violate the partition, into out[i] for i < cap,
** ascending; *count gets the total.  O(m). */
void ent_signed_frustrated(const ent_signed *g, const int8_t *side, int32_t *out, int64_t cap,
                           int64_t *count);
/* Lower bound from a greedy packing of edge-disjoint unbalanced triangles. */
ent_status ent_signed_triangle_packing(const ent_signed *g, int64_t *lower);

#ifdef __cplusplus
}
#endif
#endif
