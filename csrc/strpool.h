/*
** strpool.h - interned, immutable strings in one contiguous buffer.
** Ids are dense (0..n-1); the same bytes always give the same id, so
** relations sharing a source cost 4 bytes each.  Copying a pool is three
** memcpy calls, which keeps ent_world_fork cheap.
*/
#ifndef ENT_STRPOOL_H
#define ENT_STRPOOL_H

#include <stddef.h>
#include <stdint.h>
#include "entente.h"

typedef struct ent_strpool {
  char *buf;          /* NUL-terminated strings back to back */
  size_t len, cap;
  uint32_t *offs;     /* offs[id] = start of string id in buf */
  int32_t n, ncap;
  int32_t *slots;     /* open addressing: id or -1; size nslots (power of 2) */
  int32_t nslots;
} ent_strpool;

void ent_strpool_init(ent_strpool *p);
void ent_strpool_free(ent_strpool *p);
ent_status ent_strpool_copy(ent_strpool *dst, const ent_strpool *src);
/* Intern s (len bytes); id of the existing copy when already present. */
ent_status ent_strpool_intern(ent_strpool *p, const char *s, size_t len, int32_t *id);
/* Id of s or -1. */
int32_t ent_strpool_find(const ent_strpool *p, const char *s, size_t len);
const char *ent_strpool_get(const ent_strpool *p, int32_t id);
size_t ent_strpool_bytes(const ent_strpool *p);

uint32_t ent_hash_bytes(const char *s, size_t len);

#endif
