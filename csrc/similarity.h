/*
** similarity.h - alliance portfolios and foreign-policy similarity.
**
** A year's portfolios are a dense n x n matrix of tie levels (uint8, row
** major): P[i*n + k] is the level of state i's tie with state k, 0..maxlevel.
** The ordinal scale (maxlevel 3) follows Chiba et al. (2022) and the fpsim
** data (Haege): 3 defence and/or offence pledge, 2 neutrality and/or
** consultation (without defence or offence), 1 non-aggression only, 0 none;
** the binary scale (maxlevel 1) is 1 for any obligation.  A state's tie with
** itself is the top level.
**
** Measures (formulas and sources in docs/cow.md):
**   S      Signorino & Ritter (1999): 1 - 2 sum_k w_k d(x_ik, x_jk)
**          / (D sum_k w_k), d = |a-b| (D = maxlevel) or (a-b)^2
**          (D = maxlevel^2); w_k = 1 or a weight per state (CINC).
**   KAPPA  Cohen's kappa (Haege 2011): 1 - D_o / D_e with the observed
**          disagreement D_o = mean_k d(x_ik, x_jk) and the disagreement
**          expected from each state's own distribution of levels.
**   PI     Scott's pi: the same with the pooled distribution of levels.
**   TAUB   Kendall's tau-b (Bueno de Mesquita 1975) between the two rows.
** Kappa and pi take d nominal (a != b), absolute or squared (quadratic).
**
** No global state; nothing here allocates except ent_atop_* and the thread
** bookkeeping of ent_sim_all.
*/
#ifndef ENTENTE_SIMILARITY_H
#define ENTENTE_SIMILARITY_H

#include "entente.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ATOP obligation flags of a directed dyad-year. */
#define ENT_ATOP_DEFENCE      0x01u
#define ENT_ATOP_OFFENCE      0x02u
#define ENT_ATOP_NEUTRALITY   0x04u
#define ENT_ATOP_NONAGGRESSION 0x08u
#define ENT_ATOP_CONSULTATION 0x10u
#define ENT_ATOP_ALL          0x1Fu

/* The tie level of a set of obligation flags: 3, 2, 1 or 0 (ordinal) or
** 0/1 (binary). */
int ent_tie_level(unsigned flags, int binary);

typedef enum ent_sim_method {
  ENT_SIM_S = 0,
  ENT_SIM_KAPPA,
  ENT_SIM_PI,
  ENT_SIM_TAUB
} ent_sim_method;

typedef enum ent_sim_distance {
  ENT_DIST_ABS = 0,   /* |a - b| */
  ENT_DIST_SQ,        /* (a - b)^2 */
  ENT_DIST_NOMINAL    /* a != b (kappa and pi only) */
} ent_sim_distance;

#define ENT_SIM_MAXLEVEL 3    /* highest level any kernel accepts */

typedef struct ent_sim_opts {
  ent_sim_method method;
  ent_sim_distance distance;  /* S: ABS or SQ; kappa, pi: any; tau-b: ignored */
  int maxlevel;               /* range of the scale: 3 ordinal, 1 binary */
  const double *weights;      /* S only: n weights >= 0 (NULL: all 1) */
} ent_sim_opts;

/* Defaults: S, absolute distance, ordinal, unweighted. */
void ent_sim_opts_init(ent_sim_opts *o);

/* Check a portfolio matrix and options: every level in 0..maxlevel,
** weights finite and >= 0 with a positive sum, a method/distance pair that
** exists.  On failure the status is ENT_EINVAL and *bad tells why: the flat index
** of a bad level in P (>= 0), -2 - k for a bad weight k, -1 for the options
** (or a zero sum of weights).  O(n^2). */
ent_status ent_sim_check(const uint8_t *P, int32_t n, const ent_sim_opts *o, int64_t *bad);

/* Similarity of states i and j (0 <= i, j < n) in P.  O(n).  The value is
** in [-1, 1], or NaN where the measure is undefined (kappa, pi, tau-b of
** portfolios with no variation).  P is not checked here (see ent_sim_check). */
ent_status ent_sim_dyad(const uint8_t *P, int32_t n, int32_t i, int32_t j,
                        const ent_sim_opts *o, double *out);

/* All dyads: out (n*n doubles) gets the symmetric matrix, out[i*n+j] for
** every i, j (the diagonal is the similarity of a state with itself, 1
** for S).  The rows are shared among nthreads threads (<= 0: 2); every cell
** is computed by the same code whatever the split, so results do not depend
** on nthreads.  O(n^3 / nthreads) for kappa, pi, tau-b (O(n^2) tables of
** 16 cells), the same with a vectorisable inner loop for S.  Checks P. */
ent_status ent_sim_all(const uint8_t *P, int32_t n, const ent_sim_opts *o, int nthreads,
                       double *out);

/* ------------------------------------------------ ATOP directed dyad-years */

/* A compact store of ATOP directed dyad-years (year, ccode1, ccode2, flags),
** 12 bytes each, kept sorted by year for range look-ups. */
typedef struct ent_atop ent_atop;

ent_status ent_atop_new(ent_atop **out);
void ent_atop_free(ent_atop *s);
/* Append a row; ccodes 0..ENT_ATOP_MAXCODE, flags within ENT_ATOP_ALL.
** O(1) amortised. */
#define ENT_ATOP_MAXCODE 9999
ent_status ent_atop_add(ent_atop *s, int32_t year, int32_t ccode1, int32_t ccode2,
                        unsigned flags);
size_t ent_atop_count(const ent_atop *s);
/* Rows of one year: *first and *count index the rows sorted by year (sorts
** once after additions, O(m log m)). */
ent_status ent_atop_year(ent_atop *s, int32_t year, size_t *first, size_t *count);
ent_status ent_atop_row(const ent_atop *s, size_t r, int32_t *year, int32_t *ccode1,
                        int32_t *ccode2, unsigned *flags);
/* The flags of the row (year, ccode1, ccode2): ENT_ENOTFOUND (and *flags
** 0) when absent.  O(log m) after the sort. */
ent_status ent_atop_flags(ent_atop *s, int32_t year, int32_t ccode1, int32_t ccode2,
                          unsigned *flags);
/* Fill P (n*n) with the portfolios of the n states whose COW codes are
** ccodes[0..n-1] (distinct) in the given year: row (ccode1, ccode2) gives
** the level of ccode1's tie with ccode2; rows with a state outside ccodes
** are skipped; the diagonal is the top level.  O(n^2 + rows of the year). */
ent_status ent_atop_portfolios(ent_atop *s, int32_t year, int32_t n, const int32_t *ccodes,
                               int binary, uint8_t *P);

#ifdef __cplusplus
}
#endif
#endif
