/* date.c - ISO calendar dates as day numbers (days since 1970-01-01).
** Civil-from-days conversions after H. Hinnant, "chrono-compatible low-level
** date algorithms": exact for the proleptic Gregorian calendar. */
#include <stdio.h>
#include "entente.h"

ent_date ent_date_from_ymd(int y, int m, int d) {
  int era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (ent_date)(era * 146097 + doe - 719468);
}

void ent_date_to_ymd(ent_date z0, int *y, int *m, int *d) {
  long z = (long)z0 + 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long dd = doy - (153 * mp + 2) / 5 + 1;
  long mm = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yoe + era * 400 + (mm <= 2));
  *m = (int)mm;
  *d = (int)dd;
}

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : dm[m - 1];
}

static int digits(const char *s, size_t n, int *v) {
  size_t i;
  *v = 0;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    *v = *v * 10 + (s[i] - '0');
  }
  return 1;
}

ent_status ent_date_parse(const char *s, size_t len, ent_date *out) {
  int y, m = 1, d = 1;
  if (len != 4 && len != 10) return ENT_EINVAL;
  if (!digits(s, 4, &y) || y < 1) return ENT_EINVAL;
  if (len == 10) {
    if (s[4] != '-' || s[7] != '-' || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
      return ENT_EINVAL;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return ENT_EINVAL;
  }
  *out = ent_date_from_ymd(y, m, d);
  return ENT_OK;
}

void ent_date_format(ent_date d, char buf[16]) {
  int y, m, dd;
  if (d == ENT_DATE_MIN || d == ENT_DATE_MAX) {
    buf[0] = '\0';
    return;
  }
  ent_date_to_ymd(d, &y, &m, &dd);
  snprintf(buf, 16, "%04d-%02d-%02d", y, m, dd);
}
