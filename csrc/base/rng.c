/*
** base/rng.c - seeded random streams (xoshiro256**, Blackman & Vigna 2018;
** seeds expanded by splitmix64, Steele et al. 2014).
*/
#include "rng.h"

uint64_t ent_splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void ent_rng_seed_salted(ent_rng *r, uint64_t seed, uint64_t stream, uint64_t salt) {
  uint64_t x = seed, h = ent_splitmix64(&x);
  x = h ^ (stream * 0xd1b54a32d192ed03ULL) ^ salt;
  r->s[0] = ent_splitmix64(&x); r->s[1] = ent_splitmix64(&x);
  r->s[2] = ent_splitmix64(&x); r->s[3] = ent_splitmix64(&x);
}

void ent_rng_seed(ent_rng *r, uint64_t seed, uint64_t stream) {
  ent_rng_seed_salted(r, seed, stream, ENT_RNG_SALT_OPTIONS);
}

uint64_t ent_rng_next(ent_rng *r) { return ent_rng_step(r->s); }

double ent_rng_uniform(ent_rng *r) { return (double)(ent_rng_step(r->s) >> 11) * 0x1.0p-53; }
