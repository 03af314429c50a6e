/* strpool.c - interned strings (see strpool.h). */
#include <stdlib.h>
#include <string.h>
#include "strpool.h"

uint32_t ent_hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  size_t i;
  for (i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

void ent_strpool_init(ent_strpool *p) { memset(p, 0, sizeof *p); }

void ent_strpool_free(ent_strpool *p) {
  free(p->buf);
  free(p->offs);
  free(p->slots);
  ent_strpool_init(p);
}

static void *dup_bytes(const void *src, size_t n) {
  void *d;
  if (n == 0) return NULL;
  d = malloc(n);
  if (d) memcpy(d, src, n);
  return d;
}

ent_status ent_strpool_copy(ent_strpool *dst, const ent_strpool *src) {
  ent_strpool_init(dst);
  dst->buf = dup_bytes(src->buf, src->len);
  dst->offs = dup_bytes(src->offs, (size_t)src->n * sizeof *src->offs);
  dst->slots = dup_bytes(src->slots, (size_t)src->nslots * sizeof *src->slots);
  if ((src->len && !dst->buf) || (src->n && !dst->offs) || (src->nslots && !dst->slots)) {
    ent_strpool_free(dst);
    return ENT_ENOMEM;
  }
  dst->len = dst->cap = src->len;
  dst->n = dst->ncap = src->n;
  dst->nslots = src->nslots;
  return ENT_OK;
}

const char *ent_strpool_get(const ent_strpool *p, int32_t id) {
  if (id < 0 || id >= p->n) return "";
  return p->buf + p->offs[id];
}

static int same(const ent_strpool *p, int32_t id, const char *s, size_t len) {
  const char *t = p->buf + p->offs[id];
  return strncmp(t, s, len) == 0 && t[len] == '\0';
}

int32_t ent_strpool_find(const ent_strpool *p, const char *s, size_t len) {
  uint32_t mask, i;
  if (p->nslots == 0) return -1;
  mask = (uint32_t)p->nslots - 1;
  for (i = ent_hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
    int32_t id = p->slots[i];
    if (id < 0) return -1;
    if (same(p, id, s, len)) return id;
  }
}

static ent_status rehash(ent_strpool *p, int32_t nslots) {
  int32_t *slots = malloc((size_t)nslots * sizeof *slots);
  uint32_t mask = (uint32_t)nslots - 1;
  int32_t id;
  if (!slots) return ENT_ENOMEM;
  memset(slots, 0xff, (size_t)nslots * sizeof *slots);
  for (id = 0; id < p->n; id++) {
    const char *t = p->buf + p->offs[id];
    uint32_t i = ent_hash_bytes(t, strlen(t)) & mask;
    while (slots[i] >= 0) i = (i + 1) & mask;
    slots[i] = id;
  }
  free(p->slots);
  p->slots = slots;
  p->nslots = nslots;
  return ENT_OK;
}

ent_status ent_strpool_intern(ent_strpool *p, const char *s, size_t len, int32_t *id) {
  int32_t found = ent_strpool_find(p, s, len);
  uint32_t mask, i;
  if (found >= 0) {
    *id = found;
    return ENT_OK;
  }
  if (memchr(s, '\0', len)) return ENT_EINVAL;
  if (len > UINT32_MAX / 2 || p->len + len + 1 > UINT32_MAX) return ENT_ELIMIT;
  if ((p->n + 1) * 2 > p->nslots) {
    ent_status st = rehash(p, p->nslots ? p->nslots * 2 : 64);
    if (st != ENT_OK) return st;
  }
  if (p->len + len + 1 > p->cap) {
    size_t cap = p->cap ? p->cap : 256;
    char *b;
    while (cap < p->len + len + 1) cap *= 2;
    b = realloc(p->buf, cap);
    if (!b) return ENT_ENOMEM;
    p->buf = b;
    p->cap = cap;
  }
  if (p->n == p->ncap) {
    int32_t ncap = p->ncap ? p->ncap * 2 : 64;
    uint32_t *o = realloc(p->offs, (size_t)ncap * sizeof *o);
    if (!o) return ENT_ENOMEM;
    p->offs = o;
    p->ncap = ncap;
  }
  memcpy(p->buf + p->len, s, len);
  p->buf[p->len + len] = '\0';
  p->offs[p->n] = (uint32_t)p->len;
  p->len += len + 1;
  mask = (uint32_t)p->nslots - 1;
  for (i = ent_hash_bytes(s, len) & mask; p->slots[i] >= 0; i = (i + 1) & mask) {}
  p->slots[i] = p->n;
  *id = p->n++;
  return ENT_OK;
}

size_t ent_strpool_bytes(const ent_strpool *p) {
  return p->cap + (size_t)p->ncap * sizeof *p->offs + (size_t)p->nslots * sizeof *p->slots;
}
