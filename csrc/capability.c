/*
** capability.c - COW CINC (see capability.h and docs/cow.md).
*/
#include "capability.h"

#include <math.h>

ent_status ent_cinc(int32_t n, const double *comp, double *cinc, double *shares, int64_t *bad) {
  double total[ENT_NMC_COMPONENTS] = {0, 0, 0, 0, 0, 0};
  int32_t i;
  int c;
  if (bad) *bad = -1;
  if (n < 0) return ENT_EINVAL;
  for (i = 0; i < n; i++)
    for (c = 0; c < ENT_NMC_COMPONENTS; c++) {
      double v = comp[(size_t)i * ENT_NMC_COMPONENTS + c];
      if (v != v) continue; /* missing */
      if (!(v >= 0) || v == HUGE_VAL) {
        if (bad) *bad = (int64_t)i * ENT_NMC_COMPONENTS + c;
        return ENT_EINVAL;
      }
      total[c] += v;
    }
  for (i = 0; i < n; i++) {
    double sum = 0;
    int have = 0;
    for (c = 0; c < ENT_NMC_COMPONENTS; c++) {
      double v = comp[(size_t)i * ENT_NMC_COMPONENTS + c], s;
      if (v != v) {
        if (shares) shares[(size_t)i * ENT_NMC_COMPONENTS + c] = NAN;
        continue;
      }
      s = total[c] > 0 ? v / total[c] : 0;
      if (shares) shares[(size_t)i * ENT_NMC_COMPONENTS + c] = s;
      sum += s;
      have++;
    }
    cinc[i] = have ? sum / have : NAN;
  }
  return ENT_OK;
}

double ent_bloc_capability(const double *cinc, const int32_t *ids, int32_t m, int32_t *missing) {
  double s = 0;
  int32_t k, miss = 0;
  for (k = 0; k < m; k++) {
    double v = cinc[ids[k]];
    if (v != v) miss++;
    else s += v;
  }
  if (missing) *missing = miss;
  return s;
}
