/*
** base/rng.h - random streams for the kernels (internal to the core).
**
** The public part (ent_rng, ent_rng_seed, ent_rng_next, ent_rng_uniform) is
** in entente/base.h.  Kernels that draw in an inner loop use ent_rng_step on
** a local copy of the state, which the compiler keeps in registers.
*/
#ifndef ENT_BASE_RNG_H
#define ENT_BASE_RNG_H

#include "entente/base.h"

/* Salts keep the streams of different models apart for the same seed (and
** reproduce the streams each model drew before they shared this file). */
#define ENT_RNG_SALT_OPTIONS 0x6f7074696f6e73ULL   /* "options": ent_rng_seed */
#define ENT_RNG_SALT_CASCADE 0ULL

/* splitmix64 (Steele, Lea & Flood 2014): one step of the seed expander, also
** a small generator of its own. */
uint64_t ent_splitmix64(uint64_t *x);

/* The stream `stream` of seed `seed` under a salt: a function of the three
** numbers only. */
void ent_rng_seed_salted(ent_rng *r, uint64_t seed, uint64_t stream, uint64_t salt);

static inline uint64_t ent_rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* One xoshiro256** step on the four words of a state. */
static inline uint64_t ent_rng_step(uint64_t s[4]) {
  uint64_t res = ent_rotl64(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
  s[2] ^= t; s[3] = ent_rotl64(s[3], 45);
  return res;
}

#endif
