/*
** capability.h - COW Composite Index of National Capability (CINC) and
** derived quantities.  No Lua, no allocation.
**
** CINC (Singer, Bremer & Stuckey 1972): for each of the six National
** Material Capabilities components (milex, milper, irst, pec, tpop, upop) a
** state's share of the system total of the year, averaged over the
** components.  Missing components (NaN) are left out of the system totals
** and of the state's average: the index is the mean of the shares the state
** has, which reproduces the published NMC values (docs/cow.md gives the
** evidence: e.g. Cuba 1902, with milex missing, is 0.0011214954 published,
** the mean of its five other shares; the mean of six with 0 for the missing
** one would be 0.00093458).
*/
#ifndef ENTENTE_CAPABILITY_H
#define ENTENTE_CAPABILITY_H

#include "entente.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_NMC_COMPONENTS 6   /* milex, milper, irst, pec, tpop, upop */

/* comp: n rows of ENT_NMC_COMPONENTS values (row major), NaN = missing,
** otherwise finite and >= 0.  Writes cinc[n] and, when shares is not NULL,
** shares[n * 6] (NaN where the component is missing; a component whose
** system total is 0 gives shares of 0).  A state with every component
** missing gets NaN.  ENT_EINVAL on a negative or infinite value, with its
** flat index in *bad (may be NULL).  O(n). */
ent_status ent_cinc(int32_t n, const double *comp, double *cinc, double *shares, int64_t *bad);

/* Sum of cinc[ids[k]] over the m ids (a bloc's capability); NaN members
** are skipped and counted in *missing (may be NULL).  O(m). */
double ent_bloc_capability(const double *cinc, const int32_t *ids, int32_t m, int32_t *missing);

#ifdef __cplusplus
}
#endif
#endif
