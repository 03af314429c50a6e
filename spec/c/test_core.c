/* test_core.c - the C API used directly, without Lua. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "entente.h"

static int passed, failed;
#define CHECK(cond)                                                     \
  do {                                                                  \
    if (cond) passed++;                                                 \
    else {                                                              \
      failed++;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                   \
  } while (0)

static ent_date D(const char *s) {
  ent_date d = 0;
  if (ent_date_parse(s, strlen(s), &d) != ENT_OK) fprintf(stderr, "bad test date %s\n", s);
  return d;
}

static void test_dates(void) {
  char buf[16];
  ent_date d;
  CHECK(D("1970-01-01") == 0);
  CHECK(D("2000-03-01") == 11017);
  CHECK(D("2024") == D("2024-01-01"));
  CHECK(ent_date_parse("2024-13-01", 10, &d) == ENT_EINVAL);
  CHECK(ent_date_parse("2023-02-29", 10, &d) == ENT_EINVAL);
  CHECK(ent_date_parse("2024-02-29", 10, &d) == ENT_OK);
  CHECK(ent_date_parse("1900-02-29", 10, &d) == ENT_EINVAL);
  ent_date_format(D("1961-09-10"), buf);
  CHECK(strcmp(buf, "1961-09-10") == 0);
  ent_date_format(ENT_DATE_MAX, buf);
  CHECK(buf[0] == '\0');
}

static int32_t count(const ent_world *w, ent_id actor, ent_id other, int kind, ent_date date) {
  ent_query q;
  int32_t n;
  ent_query_init(&q);
  q.actor = actor;
  q.other = other;
  q.kind = kind;
  q.date = date;
  ent_relations(w, &q, NULL, 0, &n);
  return n;
}

static void test_world(void) {
  ent_world *w, *f;
  ent_id usa, chn, prk, r1, r2, r3, e;
  int defence, trade, col, k;
  ent_relation_info ri;
  ent_event_info ei;
  ent_kind_info ki;

  CHECK(ent_world_new(&w) == ENT_OK);
  CHECK(ent_actor_add(w, "USA", "United States", &usa) == ENT_OK);
  CHECK(ent_actor_add(w, "CHN", "China", &chn) == ENT_OK);
  CHECK(ent_actor_add(w, "PRK", NULL, &prk) == ENT_OK);
  CHECK(ent_actor_add(w, "USA", NULL, &usa) == ENT_EEXIST);
  CHECK(strstr(ent_world_errmsg(w), "'USA' already exists") != NULL);
  CHECK(ent_actor_add(w, "bad code", NULL, &e) == ENT_EINVAL);
  CHECK(strcmp(ent_actor_name(w, prk), "PRK") == 0);

  CHECK(ent_attr_column(w, "cinc", 1, &col) == ENT_OK);
  CHECK(ent_actor_set_attr(w, chn, col, 0.2) == ENT_OK);
  CHECK(ent_actor_attr(w, chn, col) == 0.2);
  CHECK(isnan(ent_actor_attr(w, usa, col)));
  CHECK(ent_actor_tag(w, usa, "nato") == ENT_OK);
  CHECK(ent_actor_has_tag(w, usa, "nato"));
  CHECK(!ent_actor_has_tag(w, chn, "nato"));

  CHECK(ent_kind_find(w, "defence", &defence) == ENT_OK);
  CHECK(ent_kind_find(w, "trade", &trade) == ENT_OK);
  CHECK(ent_kind_get(w, defence, &ki) == ENT_OK && ki.obligation == ENT_OBL_DEFENCE && ki.sign == 1);
  CHECK(ent_kind_find(w, "aliance", &k) == ENT_ENOTFOUND);

  CHECK(ent_relate(w, chn, prk, defence, 1.0, D("1961-09-10"), ENT_DATE_MAX, "1961 treaty, Art. II", &r1) == ENT_OK);
  CHECK(ent_relate(w, chn, prk, trade, 0.01, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r2) == ENT_OK);
  CHECK(ent_relate(w, usa, chn, trade, 0.95, D("1979"), D("2030"), NULL, &r3) == ENT_OK);
  CHECK(ent_relate(w, usa, chn, trade, 1.5, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &e) == ENT_EINVAL);
  CHECK(strstr(ent_world_errmsg(w), "strength 1.5 out of range") != NULL);
  CHECK(ent_relate(w, usa, usa, trade, 0.5, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &e) == ENT_EINVAL);
  CHECK(ent_relate(w, usa, chn, trade, 0.5, D("2020"), D("2010"), NULL, &e) == ENT_EINVAL);

  CHECK(count(w, ENT_NONE, ENT_NONE, -1, ENT_DATE_MIN) == 3);
  CHECK(count(w, chn, ENT_NONE, -1, ENT_DATE_MIN) == 3);
  CHECK(count(w, prk, chn, -1, ENT_DATE_MIN) == 2);
  CHECK(count(w, ENT_NONE, ENT_NONE, defence, ENT_DATE_MIN) == 1);
  CHECK(count(w, ENT_NONE, ENT_NONE, -1, D("1960")) == 1);
  CHECK(count(w, ENT_NONE, ENT_NONE, -1, D("2024")) == 3);
  CHECK(count(w, ENT_NONE, ENT_NONE, -1, D("2030")) == 2);

  CHECK(ent_relation_get(w, r1, &ri) == ENT_OK && ri.a == chn && ri.b == prk && ri.kind == defence);
  CHECK(strcmp(ri.source, "1961 treaty, Art. II") == 0);
  CHECK(ent_relation_end(w, r3, D("2025")) == ENT_OK);
  CHECK(count(w, ENT_NONE, ENT_NONE, -1, D("2025")) == 2);
  CHECK(ent_relation_end(w, r3, D("1970")) == ENT_EINVAL);

  /* event with the Goldstein weight from the compiled CAMEO table */
  CHECK(ent_event_add(w, D("2017-09-03"), D("2017-09-03"), prk, ENT_NONE, "150", NAN, "6th test", &e) == ENT_OK);
  CHECK(ent_event_get(w, e, &ei) == ENT_OK && ei.goldstein == -7.2 && strcmp(ei.cameo, "150") == 0);
  CHECK(ent_event_add(w, D("2017"), D("2017"), prk, ENT_NONE, "999", NAN, NULL, &e) == ENT_ENOTFOUND);
  CHECK(ent_cameo_table_size() == 311);

  /* fork: independent */
  CHECK(ent_world_fork(w, &f) == ENT_OK);
  CHECK(ent_relation_remove(f, r1) == ENT_OK);
  CHECK(ent_actor_set_attr(f, chn, col, 0.9) == ENT_OK);
  CHECK(ent_actor_add(f, "JPN", "Japan", &e) == ENT_OK);
  CHECK(ent_actor_set_attr(f, e, col, 0.05) == ENT_OK);
  CHECK(ent_relation_alive(w, r1) && !ent_relation_alive(f, r1));
  CHECK(ent_actor_attr(w, chn, col) == 0.2);
  CHECK(ent_actor_count(w) == 3 && ent_actor_count(f) == 4);
  CHECK(count(f, chn, ENT_NONE, -1, ENT_DATE_MIN) == 2);
  CHECK(ent_relation_remove(f, r1) == ENT_EREMOVED);
  ent_world_free(f);

  /* removing an actor drops its relations from every index */
  CHECK(ent_actor_remove(w, prk) == ENT_OK);
  CHECK(count(w, ENT_NONE, ENT_NONE, -1, ENT_DATE_MIN) == 1);
  CHECK(count(w, chn, ENT_NONE, -1, ENT_DATE_MIN) == 1);
  CHECK(ent_actor_find(w, "PRK", &e) == ENT_ENOTFOUND);
  CHECK(ent_actor_add(w, "PRK", NULL, &e) == ENT_OK && e != prk);
  ent_world_free(w);
}

/* Many random operations; the adjacency index must agree with a full scan. */
static void test_index_consistency(void) {
  ent_world *w;
  ent_id ids[50], r;
  int i, trade;
  uint32_t x = 12345;
  char code[16];
  ent_world_new(&w);
  ent_kind_find(w, "trade", &trade);
  for (i = 0; i < 50; i++) {
    snprintf(code, sizeof code, "A%d", i);
    ent_actor_add(w, code, NULL, &ids[i]);
  }
  for (i = 0; i < 5000; i++) {
    x = x * 1103515245u + 12345u;
    if (x % 3 == 0 && ent_relation_capacity(w) > 0) {
      ent_relation_remove(w, (ent_id)((x >> 8) % (uint32_t)ent_relation_capacity(w)));
    } else {
      ent_id a = ids[(x >> 4) % 50], b = ids[(x >> 12) % 50];
      if (a != b) ent_relate(w, a, b, trade, 0.5, ENT_DATE_MIN, ENT_DATE_MAX, NULL, &r);
    }
  }
  {
    int32_t total = count(w, ENT_NONE, ENT_NONE, -1, ENT_DATE_MIN), sum = 0;
    for (i = 0; i < 50; i++) sum += count(w, ids[i], ENT_NONE, -1, ENT_DATE_MIN);
    CHECK(total == ent_relation_count(w));
    CHECK(sum == 2 * total); /* every relation is in two lists */
    CHECK(ent_relation_store_bytes(w) / (size_t)ent_relation_capacity(w) <= 48 * 2);
  }
  ent_world_free(w);
}

/* The bulk forms agree with the one-at-a-time calls and stop at a bad row. */
static void test_bulk(void) {
  ent_world *w;
  const char *codes[5] = {"B", "A", "ZZ", "C", "A"};
  ent_id ids[5], a[4], b[4], r;
  int k[4];
  double s[4] = {0.5, 0.5, 1.5, 0.5};
  ent_date since[4] = {ENT_DATE_MIN, ENT_DATE_MIN, ENT_DATE_MIN, ENT_DATE_MIN};
  ent_date until[4] = {ENT_DATE_MAX, ENT_DATE_MAX, ENT_DATE_MAX, ENT_DATE_MAX};
  const char *src[4] = {"x", "x", "y", NULL};
  int32_t done, i;
  ent_relation_info ri;
  ent_world_new(&w);
  ent_actor_add(w, "A", NULL, &r);
  ent_actor_add(w, "B", NULL, &r);
  ent_actor_add(w, "C", NULL, &r);
  ent_actor_find_many(w, codes, 5, ids);
  CHECK(ids[0] == 1 && ids[1] == 0 && ids[2] == ENT_NONE && ids[3] == 2 && ids[4] == 0);
  for (i = 0; i < 4; i++) {
    a[i] = 0;
    b[i] = (ent_id)(1 + i % 2);
    ent_kind_find(w, "trade", &k[i]);
  }
  CHECK(ent_relate_many(w, 4, a, b, k, s, since, until, src, &done) == ENT_EINVAL);
  CHECK(done == 2);                       /* row 2 has strength 1.5 */
  CHECK(strstr(ent_world_errmsg(w), "strength 1.5") != NULL);
  CHECK(ent_relation_count(w) == 2);
  CHECK(ent_relation_get(w, 1, &ri) == ENT_OK && strcmp(ri.source, "x") == 0 && ri.b == 2);
  s[2] = 0.25;
  CHECK(ent_relate_many(w, 2, a + 2, b + 2, k + 2, s + 2, since + 2, until + 2, src + 2, &done) == ENT_OK);
  CHECK(done == 2 && ent_relation_count(w) == 4);
  CHECK(ent_relation_get(w, 2, &ri) == ENT_OK && strcmp(ri.source, "y") == 0 && ri.strength == 0.25);
  CHECK(ent_relation_get(w, 3, &ri) == ENT_OK && ri.source[0] == '\0');
  CHECK(count(w, 0, ENT_NONE, -1, ENT_DATE_MIN) == 4);
  s[0] = NAN; /* the kind's default: trade 0.3 */
  CHECK(ent_relate_many(w, 1, a, b, k, s, since, until, NULL, &done) == ENT_OK && done == 1);
  CHECK(ent_relation_get(w, 4, &ri) == ENT_OK && ri.strength == 0.3);
  ent_world_free(w);
}

int main(void) {
  test_dates();
  test_world();
  test_index_consistency();
  test_bulk();
  printf("test_core: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
