/*
** cascade.c - entrapment: the obligation cascade (see cascade.h for the model,
** docs/entrapment.md for its statement and sources).
**
** Layout: the edges are sorted by partner (`to`) into CSR arrays so that the
** entry of a belligerent j visits exactly the actors obliged to j.  One
** cascade touches only the actors it reaches; their per-actor state is reset
** from a "touched" list, so a run costs O(edges examined), not O(n).
** Nothing is allocated once the runs start.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cascade.h"
#include "base/rng.h"

/* Kernel flags: FL_OPP is two bits so that side = partner side ^ (fl & 3). */
#define FL_OPP  0x03u
#define FL_DEF  0x04u
#define FL_ATTO 0x08u   /* only when the partner is an attacker */
#define FL_CERT 0x10u   /* p >= 1: no coin */

/* What the inner loop reads of an edge, in one 16-byte record. */
typedef struct kedge {
  uint64_t thr;       /* coin is live iff draw < thr */
  int32_t src;
  uint32_t fl;
} kedge;

struct ent_cascade {
  int32_t n;                 /* actor capacity */
  int32_t m;                 /* edges */
  ent_cascade_edge *edges;   /* in CSR order */
  int32_t *off;              /* n + 1 */
  int32_t *src, *to;         /* m */
  kedge *ke;                 /* m */
  double *p;                 /* m */
  unsigned char *fl;         /* m */
  int32_t ninit;
  ent_id *init_actor;        /* ninit, in the order given */
  unsigned char *init_side;  /* ninit */
  unsigned char *side0;      /* n: initial side or 0 */
  int honour_offensive, both_sides;
  int32_t uncertain;
  /* results */
  int have, exact, threads_used;
  int64_t runs;
  double total;
  double *res;               /* side 2n | torn n | hist n+1 | entry m */
  int chains_tracked, chains_trunc;
  int32_t ch_n;              /* nodes in the merged trie */
  int32_t *ch_parent, *ch_edge, *ch_depth, *ch_order;
  double *ch_w;
  int32_t nchain;            /* ch_order holds the non-root nodes, best first */
  char err[ENT_CASCADE_ERRLEN];
};

static void seterr(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  if (!err || !len) return;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

/* ------------------------------------------------------------- randomness */

/* The stream of block b: a function of (seed, b) only. */
static void stream_seed(uint64_t s[4], uint64_t seed, uint64_t block) {
  ent_rng r;
  ent_rng_seed_salted(&r, seed, block, ENT_RNG_SALT_CASCADE);
  s[0] = r.s[0]; s[1] = r.s[1]; s[2] = r.s[2]; s[3] = r.s[3];
}

/* xoshiro256** (Blackman & Vigna 2018) is inlined in cascade_body. */

/* -------------------------------------------------------------- the trie */

/* Chains form a trie: node = (parent node, edge).  Nodes 0..ninit-1 are the
** initial belligerents.  Bounded: beyond cap nodes it overflows.  Storage
** grows by doubling up to cap, so a large cap costs nothing until used. */
typedef struct trie {
  int32_t cap, alloc, n, nroot;
  int32_t *parent, *edge, *hash;
  double *w;
  uint32_t hmask;
  int overflow;   /* more than cap nodes were asked for */
  int nomem;      /* growing failed: reported as ENT_ENOMEM */
} trie;

static void trie_free(trie *t) {
  free(t->parent); free(t->edge); free(t->hash); free(t->w);
  memset(t, 0, sizeof *t);
}

/* (Re)build the hash of nodes nroot..n-1 at a size of at least 2 * alloc. */
static int trie_rehash(trie *t) {
  uint32_t hs = 16;
  int32_t i;
  int32_t *hash;
  while (hs < (uint32_t)t->alloc * 2u && hs < 0x80000000u) hs <<= 1;
  hash = malloc((size_t)hs * sizeof *hash);
  if (!hash) return 0;
  memset(hash, 0xff, (size_t)hs * sizeof *hash);
  free(t->hash);
  t->hash = hash; t->hmask = hs - 1;
  for (i = t->nroot; i < t->n; i++) {
    uint32_t h = ((uint32_t)t->parent[i] * 0x9e3779b1u) ^ ((uint32_t)t->edge[i] * 0x85ebca77u);
    h ^= h >> 15;
    while (hash[h & t->hmask] >= 0) h++;
    hash[h & t->hmask] = i;
  }
  return 1;
}

static int trie_grow(trie *t, int32_t alloc) {
  int32_t *p, *e;
  double *w;
  p = realloc(t->parent, (size_t)alloc * sizeof *p);
  if (p) t->parent = p;
  e = realloc(t->edge, (size_t)alloc * sizeof *e);
  if (e) t->edge = e;
  w = realloc(t->w, (size_t)alloc * sizeof *w);
  if (w) t->w = w;
  if (!p || !e || !w) return 0;
  t->alloc = alloc;
  return trie_rehash(t);
}

static int trie_init(trie *t, int32_t cap, int32_t nroot) {
  int32_t i;
  memset(t, 0, sizeof *t);
  if (cap < nroot) cap = nroot;
  t->cap = cap; t->nroot = nroot; t->n = nroot;
  if (!trie_grow(t, cap < 1024 ? cap : (nroot > 1024 ? nroot : 1024))) { trie_free(t); return 0; }
  for (i = 0; i < nroot; i++) { t->parent[i] = -1; t->edge[i] = -1; t->w[i] = 0; }
  return 1;
}

static int32_t trie_get(trie *t, int32_t parent, int32_t edge) {
  uint32_t h = ((uint32_t)parent * 0x9e3779b1u) ^ ((uint32_t)edge * 0x85ebca77u);
  h ^= h >> 15;
  for (;; h++) {
    int32_t k = t->hash[h & t->hmask];
    if (k < 0) break;
    if (t->parent[k] == parent && t->edge[k] == edge) return k;
  }
  if (t->n >= t->cap) { t->overflow = 1; return -1; }
  if (t->n >= t->alloc) {
    int32_t a = t->alloc > t->cap / 2 ? t->cap : t->alloc * 2;
    if (!trie_grow(t, a)) { t->overflow = t->nomem = 1; return -1; }
    return trie_get(t, parent, edge);   /* slots moved: probe again */
  }
  t->hash[h & t->hmask] = t->n;
  t->parent[t->n] = parent; t->edge[t->n] = edge; t->w[t->n] = 0;
  return t->n++;
}

/* ------------------------------------------------------------ one cascade */

typedef struct scratch {
  unsigned char *state;      /* 0 out, 1/2 side, 3 torn */
  unsigned char *pulled;     /* side bits called this round */
  int32_t *via;              /* 2n: first honoured call per side this round */
  int32_t *entry;            /* n: edge that brought a joiner in */
  double *ws;                /* 2n: honoured probability per side (STRONGER) */
  int32_t *node;             /* n: chain node */
  int32_t *touched, *front, *next;
  int32_t ntouched;
  int exact;
  uint64_t rng[4];
  unsigned char *dec;        /* exact: decisions in examination order */
  double *decp;
  int32_t nstack, depth;
} scratch;

static void scratch_free(scratch *s) {
  free(s->state); free(s->pulled); free(s->via); free(s->entry); free(s->ws);
  free(s->node); free(s->touched); free(s->front); free(s->next);
  free(s->dec); free(s->decp);
  memset(s, 0, sizeof *s);
}

static int scratch_init(scratch *s, const ent_cascade *c) {
  size_t n = (size_t)c->n + 1, m = (size_t)c->m + 1;
  memset(s, 0, sizeof *s);
  s->state = calloc(n, 1); s->pulled = calloc(n, 1);
  s->via = malloc(2 * n * sizeof *s->via); s->entry = malloc(n * sizeof *s->entry);
  s->ws = malloc(2 * n * sizeof *s->ws); s->node = malloc(n * sizeof *s->node);
  s->touched = malloc(n * sizeof *s->touched); s->front = malloc(n * sizeof *s->front);
  s->next = malloc(n * sizeof *s->next);
  s->dec = malloc(m); s->decp = malloc(m * sizeof *s->decp);
  if (!s->state || !s->pulled || !s->via || !s->entry || !s->ws || !s->node ||
      !s->touched || !s->front || !s->next || !s->dec || !s->decp) {
    scratch_free(s);
    return 0;
  }
  return 1;
}

/* Exact mode: the coins are decisions replayed from s->dec, new ones live
** first (the enumeration in ent_cascade_run flips them in turn). */
static int coin_exact(const ent_cascade *c, scratch *s, int32_t e) {
  int r;
  if (s->depth < s->nstack) {
    r = s->dec[s->depth];
  } else {
    s->dec[s->nstack] = 1; s->decp[s->nstack] = c->p[e]; s->nstack++;
    r = 1;
  }
  s->depth++;
  return r;
}

/* One cascade; leaves the belligerents and the torn in s->touched, in entry
** order (initial ones first).  Written once, instantiated four times below
** with constant STRONGER and EXACT so that the inner loop carries no mode
** tests and the random state stays in registers. */
#if defined(__GNUC__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

ALWAYS_INLINE void cascade_body(const ent_cascade *c, scratch *s, const int STRONGER, const int EXACT) {
  const int32_t *off = c->off;
  const kedge *ke = c->ke;
  unsigned char *state = s->state, *pulled = s->pulled;
  int32_t *via = s->via, *next = s->next, *front = s->front;
  const int offensive = c->honour_offensive;
  uint64_t r0 = s->rng[0], r1 = s->rng[1], r2 = s->rng[2], r3 = s->rng[3];
  int32_t nf = 0, nt = 0, k;
  for (k = 0; k < c->ninit; k++) {
    ent_id a = c->init_actor[k];
    state[a] = c->init_side[k];
    s->touched[nt++] = a; front[nf++] = a;
  }
  while (nf > 0) {
    int32_t nn = 0, f;
    for (f = 0; f < nf; f++) {
      int32_t j = front[f];
      const kedge *ep = ke + off[j], *eend = ke + off[j + 1];
      unsigned sj = state[j];
      /* defensive edges call only for a side-2 partner (or when told), the
      ** attacker-only fallbacks only for a side-1 partner */
      unsigned skip = (sj == 2 || offensive) ? FL_ATTO : FL_DEF;
      for (; ep < eend; ep++) {
        int32_t i = ep->src, e;
        unsigned fe = ep->fl, side = sj ^ (fe & FL_OPP), pb = pulled[i];
        if (EXACT) {
          if (state[i] || (fe & skip)) continue;
          /* under ABSTAIN a second call to the same side cannot change the
          ** outcome, so its coin is not enumerated */
          if (!STRONGER && (pb & side)) continue;
          if (!(fe & FL_CERT) && !coin_exact(c, s, (int32_t)(ep - ke))) continue;
        } else {
          /* Monte Carlo: one draw per edge visited, and one branch on the
          ** combined test (the tests themselves are unpredictable) */
          uint64_t x = ent_rotl64(r1 * 5, 7) * 9, t = r1 << 17;   /* xoshiro256** */
          unsigned live;
          r2 ^= r0; r3 ^= r1; r1 ^= r2; r0 ^= r3; r2 ^= t; r3 = ent_rotl64(r3, 45);
          live = (unsigned)(state[i] == 0) & (unsigned)((fe & skip) == 0) &
                 ((unsigned)(x < ep->thr) | (unsigned)((fe & FL_CERT) != 0));
          if (!STRONGER) live &= (unsigned)((pb & side) == 0);
          if (!live) continue;
        }
        e = (int32_t)(ep - ke);
        if (!pb) {
          next[nn++] = i;
          if (STRONGER) { s->ws[2 * i] = 0; s->ws[2 * i + 1] = 0; }
        }
        if (!(pb & side)) via[2 * i + side - 1] = e;
        pulled[i] = (unsigned char)(pb | side);
        if (STRONGER) s->ws[2 * i + side - 1] += c->p[e];
      }
    }
    nf = 0;
    for (k = 0; k < nn; k++) {
      int32_t i = next[k];
      unsigned pb = pulled[i], side = pb;
      pulled[i] = 0;
      if (pb == 3) {
        side = 0;
        if (STRONGER) {
          double a = s->ws[2 * i], b = s->ws[2 * i + 1];
          side = a > b ? 1u : b > a ? 2u : 0u;
        }
      }
      if (side) {
        state[i] = (unsigned char)side;
        s->entry[i] = via[2 * i + side - 1];
        front[nf++] = i;
      } else {
        state[i] = 3;
      }
      s->touched[nt++] = i;
    }
  }
  s->ntouched = nt;
  s->rng[0] = r0; s->rng[1] = r1; s->rng[2] = r2; s->rng[3] = r3;
}

static void cascade_abstain_mc(const ent_cascade *c, scratch *s) { cascade_body(c, s, 0, 0); }
static void cascade_stronger_mc(const ent_cascade *c, scratch *s) { cascade_body(c, s, 1, 0); }
static void cascade_abstain_exact(const ent_cascade *c, scratch *s) { cascade_body(c, s, 0, 1); }
static void cascade_stronger_exact(const ent_cascade *c, scratch *s) { cascade_body(c, s, 1, 1); }

static void cascade_once(const ent_cascade *c, scratch *s) {
  if (s->exact) {
    if (c->both_sides == ENT_CASCADE_STRONGER) cascade_stronger_exact(c, s);
    else cascade_abstain_exact(c, s);
  } else {
    if (c->both_sides == ENT_CASCADE_STRONGER) cascade_stronger_mc(c, s);
    else cascade_abstain_mc(c, s);
  }
}

typedef struct acc {
  double *side, *torn, *hist, *entry;
} acc;

static void acc_bind(acc *a, double *base, int32_t n, int32_t m) {
  a->side = base; a->torn = base + 2 * (size_t)n; a->hist = a->torn + n;
  a->entry = a->hist + n + 1;
  (void)m;
}

static size_t acc_len(int32_t n, int32_t m) { return 2 * (size_t)n + n + (n + 1) + (size_t)m; }

/* Add the outcome in s with weight w, then reset s. */
static void accumulate(const ent_cascade *c, scratch *s, acc *A, trie *T, double w) {
  int32_t k, nb = 0;
  for (k = 0; k < s->ntouched; k++) {
    int32_t i = s->touched[k];
    unsigned st = s->state[i];
    if (k < c->ninit) {
      nb++;
      s->node[i] = k;
    } else if (st == 3) {
      A->torn[i] += w;
    } else {
      int32_t e = s->entry[i];
      nb++;
      A->side[2 * (size_t)i + st - 1] += w;
      A->entry[e] += w;
      if (T) {
        int32_t pn = s->node[c->to[e]];
        int32_t nd = pn < 0 ? -1 : trie_get(T, pn, e);
        s->node[i] = nd;
        if (nd >= 0) T->w[nd] += w;
      }
    }
  }
  A->hist[nb] += w;
  for (k = 0; k < s->ntouched; k++) s->state[s->touched[k]] = 0;
}

/* ------------------------------------------------------------ construction */

void ent_cascade_params_init(ent_cascade_params *p) {
  memset(p, 0, sizeof *p);
  p->date = ENT_DATE_MIN;
  p->reliability = 0.75;
  p->level_weight[ENT_OBL_NONE] = 0.0;
  p->level_weight[ENT_OBL_CONSULTATION] = 0.25;
  p->level_weight[ENT_OBL_NEUTRALITY] = 0.0;
  p->level_weight[ENT_OBL_DEFENCE] = 1.0;
  p->both_sides = ENT_CASCADE_ABSTAIN;
}

void ent_cascade_run_opts_init(ent_cascade_run_opts *o) {
  memset(o, 0, sizeof *o);
  o->method = ENT_CASCADE_AUTO;
  o->runs = 100000;
  o->seed = 1;
  o->threads = 0;
  o->exact_max_uncertain = 20;
  o->exact_max_outcomes = (int64_t)1 << 24;
  o->chain_cap = 1 << 16;
}

static void free_results(ent_cascade *c) {
  free(c->res); c->res = NULL;
  free(c->ch_parent); free(c->ch_edge); free(c->ch_depth); free(c->ch_order); free(c->ch_w);
  c->ch_parent = c->ch_edge = c->ch_depth = c->ch_order = NULL; c->ch_w = NULL;
  c->ch_n = c->nchain = 0; c->have = 0; c->chains_tracked = c->chains_trunc = 0;
}

void ent_cascade_free(ent_cascade *c) {
  if (!c) return;
  free_results(c);
  free(c->edges); free(c->off); free(c->src); free(c->to); free(c->ke); free(c->p);
  free(c->fl); free(c->init_actor); free(c->init_side); free(c->side0);
  free(c);
}

const char *ent_cascade_errmsg(const ent_cascade *c) { return c ? c->err : ""; }

static const char *aname(const ent_world *w, ent_id a, char buf[24]) {
  const char *s = w ? ent_actor_code(w, a) : NULL;
  if (s) return s;
  snprintf(buf, 24, "#%ld", (long)a);
  return buf;
}

/* Common constructor: edges in any order, validated here. */
static ent_status build(const ent_world *w, int32_t n, const ent_cascade_edge *edges, int32_t m,
                        const ent_cascade_params *p, const ent_id *att, const ent_id *def,
                        int32_t npairs, ent_cascade **out, char *err, size_t errlen) {
  ent_cascade *c;
  int32_t i, k, *cnt = NULL, *reach = NULL, *queue = NULL;
  char b1[24];
  *out = NULL;
  if (n < 0 || m < 0) { seterr(err, errlen, "negative size (%ld actors, %ld edges)", (long)n, (long)m); return ENT_EINVAL; }
  if (npairs < 1 || !att || !def) {
    seterr(err, errlen, "the conflict needs at least one attacker/defender pair (got %ld)", (long)npairs);
    return ENT_EINVAL;
  }
  if (p && p->both_sides != ENT_CASCADE_ABSTAIN && p->both_sides != ENT_CASCADE_STRONGER) {
    seterr(err, errlen, "unknown both_sides rule %d", p->both_sides);
    return ENT_EINVAL;
  }
  for (k = 0; k < npairs; k++) {
    ent_id x[2];
    x[0] = att[k]; x[1] = def[k];
    for (i = 0; i < 2; i++) {
      if (x[i] < 0 || x[i] >= n || (w && !ent_actor_alive(w, x[i]))) {
        seterr(err, errlen, "conflict pair %ld: unknown actor id %ld", (long)k + 1, (long)x[i]);
        return ENT_ENOTFOUND;
      }
    }
    if (x[0] == x[1]) {
      seterr(err, errlen, "conflict pair %ld: '%s' cannot attack itself", (long)k + 1, aname(w, x[0], b1));
      return ENT_EINVAL;
    }
  }
  for (i = 0; i < m; i++) {
    const ent_cascade_edge *e = &edges[i];
    if (e->from < 0 || e->from >= n || e->to < 0 || e->to >= n || e->from == e->to) {
      seterr(err, errlen, "edge %ld: bad actors (from %ld to %ld, with %ld actors)", (long)i + 1, (long)e->from, (long)e->to, (long)n);
      return ENT_EINVAL;
    }
    if (!(e->p >= 0.0 && e->p <= 1.0)) {
      seterr(err, errlen, "edge %ld: probability must be in [0,1] (got %g)", (long)i + 1, e->p);
      return ENT_EINVAL;
    }
  }
  c = calloc(1, sizeof *c);
  if (!c) goto nomem;
  c->n = n; c->m = m;
  c->honour_offensive = p ? p->honour_offensive != 0 : 0;
  c->both_sides = p ? p->both_sides : ENT_CASCADE_ABSTAIN;
  c->side0 = calloc((size_t)n + 1, 1);
  c->init_actor = malloc(2 * (size_t)npairs * sizeof *c->init_actor);
  c->init_side = malloc(2 * (size_t)npairs);
  if (!c->side0 || !c->init_actor || !c->init_side) goto nomem;
  for (k = 0; k < npairs; k++) {
    ent_id x[2];
    x[0] = att[k]; x[1] = def[k];
    for (i = 0; i < 2; i++) {
      unsigned want = (unsigned)i + 1;
      if (c->side0[x[i]] == 0) {
        c->side0[x[i]] = (unsigned char)want;
        c->init_actor[c->ninit] = x[i];
        c->init_side[c->ninit++] = (unsigned char)want;
      } else if (c->side0[x[i]] != want) {
        seterr(err, errlen, "'%s' is both an attacker and a defender in the conflict (pair %ld)",
               aname(w, x[i], b1), (long)k + 1);
        ent_cascade_free(c);
        return ENT_EINVAL;
      }
    }
  }
  /* CSR by partner, stable: edges keep their relative order within a partner */
  c->off = calloc((size_t)n + 1, sizeof *c->off);
  cnt = calloc((size_t)n + 1, sizeof *cnt);
  c->edges = malloc(((size_t)m + 1) * sizeof *c->edges);
  c->src = malloc(((size_t)m + 1) * sizeof *c->src);
  c->to = malloc(((size_t)m + 1) * sizeof *c->to);
  c->ke = malloc(((size_t)m + 1) * sizeof *c->ke);
  c->p = malloc(((size_t)m + 1) * sizeof *c->p);
  c->fl = malloc((size_t)m + 1);
  if (!c->off || !cnt || !c->edges || !c->src || !c->to || !c->ke || !c->p || !c->fl) goto nomem;
  for (i = 0; i < m; i++) c->off[edges[i].to + 1]++;
  for (i = 0; i < n; i++) c->off[i + 1] += c->off[i];
  for (i = 0; i < m; i++) {
    const ent_cascade_edge *e = &edges[i];
    int32_t at = c->off[e->to] + cnt[e->to]++;
    double q = e->p;
    c->edges[at] = *e;
    c->src[at] = e->from; c->to[at] = e->to; c->p[at] = q;
    c->fl[at] = (unsigned char)(((e->flags & ENT_CEDGE_DEFENSIVE) ? FL_DEF : 0u) |
                                ((e->flags & ENT_CEDGE_OPPOSE) ? FL_OPP : 0u) |
                                ((e->flags & ENT_CEDGE_ATTACKER_ONLY) ? FL_ATTO : 0u) |
                                (q >= 1.0 ? FL_CERT : 0u));
    c->ke[at].thr = q >= 1.0 ? UINT64_MAX : q <= 0.0 ? 0 : (uint64_t)ldexp(q, 64);
    c->ke[at].src = e->from;
    c->ke[at].fl = c->fl[at];
  }
  /* uncertain edges reachable from the conflict */
  reach = calloc((size_t)n + 1, sizeof *reach);
  queue = malloc(((size_t)n + 1) * sizeof *queue);
  if (!reach || !queue) goto nomem;
  {
    int32_t qh = 0, qt = 0;
    for (k = 0; k < c->ninit; k++) { reach[c->init_actor[k]] = 1; queue[qt++] = c->init_actor[k]; }
    while (qh < qt) {
      int32_t j = queue[qh++], e;
      for (e = c->off[j]; e < c->off[j + 1]; e++) {
        int32_t s = c->src[e];
        if (c->side0[s] || c->p[e] <= 0.0) continue;
        if (c->p[e] < 1.0) c->uncertain++;
        if (!reach[s]) { reach[s] = 1; queue[qt++] = s; }
      }
    }
  }
  free(cnt); free(reach); free(queue);
  *out = c;
  return ENT_OK;
nomem:
  free(cnt); free(reach); free(queue);
  ent_cascade_free(c);
  seterr(err, errlen, "out of memory");
  return ENT_ENOMEM;
}

ent_status ent_cascade_new_edges(int32_t n, const ent_cascade_edge *edges, int32_t m,
                                 const ent_cascade_params *p,
                                 const ent_id *attackers, const ent_id *defenders, int32_t npairs,
                                 ent_cascade **out, char *err, size_t errlen) {
  if (m > 0 && !edges) { *out = NULL; seterr(err, errlen, "edges is NULL"); return ENT_EINVAL; }
  return build(NULL, n, edges, m, p, attackers, defenders, npairs, out, err, errlen);
}

static int edge_cmp(const void *x, const void *y) {
  const ent_cascade_edge *a = x, *b = y;
  unsigned oa = a->flags & ENT_CEDGE_OPPOSE, ob = b->flags & ENT_CEDGE_OPPOSE;
  if (a->to != b->to) return a->to < b->to ? -1 : 1;
  if (a->from != b->from) return a->from < b->from ? -1 : 1;
  if (oa != ob) return oa < ob ? -1 : 1;
  if (a->p != b->p) return a->p > b->p ? -1 : 1;
  if (a->relation != b->relation) return a->relation < b->relation ? -1 : 1;
  return 0;
}

static int bad01(double x) { return !(x >= 0.0 && x <= 1.0); }

ent_status ent_cascade_new(const ent_world *w, const ent_cascade_params *p,
                           const ent_id *attackers, const ent_id *defenders, int32_t npairs,
                           ent_cascade **out, char *err, size_t errlen) {
  ent_cascade_params dp;
  ent_query q;
  ent_id *ids = NULL;
  ent_kind_info *kinds = NULL;
  ent_cascade_edge *ed = NULL;
  int32_t nrel = 0, nk, i, m = 0, mu = 0;
  ent_status st;
  *out = NULL;
  if (!w) { seterr(err, errlen, "world is NULL"); return ENT_EINVAL; }
  if (!p) { ent_cascade_params_init(&dp); p = &dp; }
  if (bad01(p->reliability)) {
    seterr(err, errlen, "reliability must be in [0,1] (got %g)", p->reliability);
    return ENT_EINVAL;
  }
  for (i = 0; i < 4; i++) if (bad01(p->level_weight[i])) {
    seterr(err, errlen, "obligation level weight %d must be in [0,1] (got %g)", (int)i, p->level_weight[i]);
    return ENT_EINVAL;
  }
  nk = ent_kind_count(w);
  kinds = malloc(((size_t)nk + 1) * sizeof *kinds);
  if (!kinds) goto nomem;
  for (i = 0; i < nk; i++) {
    if (ent_kind_get(w, i, &kinds[i]) != ENT_OK) { memset(&kinds[i], 0, sizeof kinds[i]); kinds[i].name = "?"; }
    if (p->kind_weight && p->kind_weight[i] == p->kind_weight[i] && bad01(p->kind_weight[i])) {
      seterr(err, errlen, "weight of kind '%s' must be in [0,1] (got %g)", kinds[i].name, p->kind_weight[i]);
      free(kinds);
      return ENT_EINVAL;
    }
  }
  if (p->rel_prob) {
    int32_t rc = ent_relation_capacity(w);
    for (i = 0; i < rc; i++) if (p->rel_prob[i] == p->rel_prob[i] && bad01(p->rel_prob[i])) {
      seterr(err, errlen, "probability override of relation %ld must be in [0,1] (got %g)", (long)i, p->rel_prob[i]);
      free(kinds);
      return ENT_EINVAL;
    }
  }
  ent_query_init(&q);
  q.date = p->date;
  ent_relations(w, &q, NULL, 0, &nrel);
  ids = malloc(((size_t)nrel + 1) * sizeof *ids);
  ed = malloc((2 * (size_t)nrel + 1) * sizeof *ed);
  if (!ids || !ed) goto nomem;
  ent_relations(w, &q, ids, nrel, &nrel);
  for (i = 0; i < nrel; i++) {
    ent_relation_info ri;
    const ent_kind_info *ki;
    double wt, pr;
    unsigned fl = 0;
    if (ent_relation_get(w, ids[i], &ri) != ENT_OK || ri.kind < 0 || ri.kind >= nk) continue;
    ki = &kinds[ri.kind];
    if (p->rel_prob && p->rel_prob[ids[i]] == p->rel_prob[ids[i]]) {
      pr = p->rel_prob[ids[i]];
    } else {
      if (p->kind_weight && p->kind_weight[ri.kind] == p->kind_weight[ri.kind]) wt = p->kind_weight[ri.kind];
      else if (ki->sign < 0) wt = 0.0;
      else wt = p->level_weight[ki->obligation >= 0 && ki->obligation <= 3 ? ki->obligation : 0];
      pr = (ki->sign < 0 ? 1.0 : p->reliability) * wt * ri.strength;
      if (pr > 1.0) pr = 1.0;
    }
    if (!(pr > 0.0)) continue;
    if (ki->flags & ENT_KIND_DEFENSIVE) fl |= ENT_CEDGE_DEFENSIVE;
    if (ki->sign < 0) fl |= ENT_CEDGE_OPPOSE;
    ed[m].from = ri.a; ed[m].to = ri.b; ed[m].p = pr; ed[m].flags = fl;
    ed[m].relation = ids[i]; ed[m].kind = ri.kind; m++;
    if (!(ki->flags & ENT_KIND_DIRECTED)) {
      ed[m] = ed[m - 1]; ed[m].from = ri.b; ed[m].to = ri.a; m++;
    }
  }
  /* one decision per (partner, obliged, direction of pull): the strongest
  ** edge of the group, plus, when that one is defensive, the strongest
  ** non-defensive one for the case where the partner is an attacker */
  qsort(ed, (size_t)m, sizeof *ed, edge_cmp);
  for (i = 0; i < m;) {
    int32_t j = i, g;
    while (j < m && ed[j].to == ed[i].to && ed[j].from == ed[i].from &&
           (ed[j].flags & ENT_CEDGE_OPPOSE) == (ed[i].flags & ENT_CEDGE_OPPOSE)) j++;
    ed[mu++] = ed[i];
    if (ed[i].flags & ENT_CEDGE_DEFENSIVE) {
      for (g = i + 1; g < j; g++) if (!(ed[g].flags & ENT_CEDGE_DEFENSIVE)) {
        ed[mu] = ed[g];
        ed[mu].flags |= ENT_CEDGE_ATTACKER_ONLY;
        mu++;
        break;
      }
    }
    i = j;
  }
  st = build(w, ent_actor_capacity(w), ed, mu, p, attackers, defenders, npairs, out, err, errlen);
  free(ids); free(kinds); free(ed);
  return st;
nomem:
  free(ids); free(kinds); free(ed);
  seterr(err, errlen, "out of memory");
  return ENT_ENOMEM;
}

int32_t ent_cascade_uncertain(const ent_cascade *c) { return c->uncertain; }
int32_t ent_cascade_actor_capacity(const ent_cascade *c) { return c->n; }
int32_t ent_cascade_edge_count(const ent_cascade *c) { return c->m; }

ent_status ent_cascade_edge_get(const ent_cascade *c, int32_t i, ent_cascade_edge *out) {
  if (i < 0 || i >= c->m) return ENT_EINVAL;
  *out = c->edges[i];
  return ENT_OK;
}

/* ------------------------------------------------------------------ runs */

typedef struct worker {
  const ent_cascade *c;
  int tid, nth;
  int64_t runs, nblocks;
  uint64_t seed;
  scratch s;
  double *accbuf;
  acc A;
  trie T;
  int track;
} worker;

static void *worker_main(void *arg) {
  worker *wk = arg;
  int64_t b, r;
  for (b = wk->tid; b < wk->nblocks; b += wk->nth) {
    int64_t r1 = (b + 1) * ENT_CASCADE_BLOCK;
    if (r1 > wk->runs) r1 = wk->runs;
    stream_seed(wk->s.rng, wk->seed, (uint64_t)b);
    for (r = b * ENT_CASCADE_BLOCK; r < r1; r++) {
      cascade_once(wk->c, &wk->s);
      accumulate(wk->c, &wk->s, &wk->A, wk->track ? &wk->T : NULL, 1.0);
    }
  }
  return NULL;
}

static int online_cores(void) {
  long k = sysconf(_SC_NPROCESSORS_ONLN);
  return k < 1 ? 1 : k > ENT_CASCADE_MAX_THREADS ? ENT_CASCADE_MAX_THREADS : (int)k;
}

/* Sort helpers for the chain ranking (merge sort with a context: qsort has
** none and the core keeps no global state). */
typedef struct chain_ctx { const int32_t *parent, *edge, *depth; const double *w; int32_t nroot; } chain_ctx;

static int path_cmp(const chain_ctx *x, int32_t a, int32_t b) {
  /* same depth: lexicographic from the root, on (root id, edges) */
  if (a == b) return 0;
  while (x->parent[a] != x->parent[b]) { a = x->parent[a]; b = x->parent[b]; }
  if (x->parent[a] < 0) return a < b ? -1 : 1;      /* two roots */
  return x->edge[a] < x->edge[b] ? -1 : x->edge[a] > x->edge[b] ? 1 : 0;
}

static int chain_cmp(const chain_ctx *x, int32_t a, int32_t b) {
  if (x->w[a] != x->w[b]) return x->w[a] > x->w[b] ? -1 : 1;
  if (x->depth[a] != x->depth[b]) return x->depth[a] < x->depth[b] ? -1 : 1;
  return path_cmp(x, a, b);
}

static void msort(int32_t *v, int32_t *tmp, int32_t n, const chain_ctx *x) {
  int32_t width, i;
  for (width = 1; width < n; width *= 2) {
    for (i = 0; i < n; i += 2 * width) {
      int32_t lo = i, mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
      int32_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi) tmp[k++] = chain_cmp(x, v[b], v[a]) < 0 ? v[b++] : v[a++];
      while (a < mid) tmp[k++] = v[a++];
      while (b < hi) tmp[k++] = v[b++];
    }
    memcpy(v, tmp, (size_t)n * sizeof *v);
  }
}

/* Merge the per-worker tries into c (by content: node ids differ by worker,
** paths do not), then rank. */
static ent_status merge_chains(ent_cascade *c, worker *wk, int nw, int32_t cap) {
  trie G;
  int t;
  int32_t i, *map = NULL, *tmp = NULL;
  chain_ctx x;
  for (t = 0; t < nw; t++) if (wk[t].T.nomem) return ENT_ENOMEM;
  for (t = 0; t < nw; t++) if (wk[t].T.overflow) { c->chains_trunc = 1; return ENT_OK; }
  if (!trie_init(&G, cap, c->ninit)) return ENT_ENOMEM;
  for (t = 0; t < nw && !G.overflow; t++) {
    trie *T = &wk[t].T;
    map = malloc(((size_t)T->n + 1) * sizeof *map);
    if (!map) { trie_free(&G); return ENT_ENOMEM; }
    for (i = 0; i < T->nroot; i++) map[i] = i;
    for (i = T->nroot; i < T->n; i++) {   /* parents precede children */
      int32_t g = trie_get(&G, map[T->parent[i]], T->edge[i]);
      if (g < 0) break;
      G.w[g] += T->w[i];
      map[i] = g;
    }
    free(map); map = NULL;
  }
  if (G.nomem) { trie_free(&G); return ENT_ENOMEM; }
  if (G.overflow) { c->chains_trunc = 1; trie_free(&G); return ENT_OK; }
  c->ch_n = G.n;
  c->ch_parent = G.parent; c->ch_edge = G.edge; c->ch_w = G.w;
  free(G.hash);
  c->ch_depth = malloc(((size_t)G.n + 1) * sizeof *c->ch_depth);
  c->ch_order = malloc(((size_t)G.n + 1) * sizeof *c->ch_order);
  tmp = malloc(((size_t)G.n + 1) * sizeof *tmp);
  if (!c->ch_depth || !c->ch_order || !tmp) { free(tmp); return ENT_ENOMEM; }
  for (i = 0; i < G.n; i++) c->ch_depth[i] = i < G.nroot ? 0 : c->ch_depth[c->ch_parent[i]] + 1;
  c->nchain = 0;
  for (i = G.nroot; i < G.n; i++) c->ch_order[c->nchain++] = i;
  x.parent = c->ch_parent; x.edge = c->ch_edge; x.depth = c->ch_depth; x.w = c->ch_w; x.nroot = G.nroot;
  msort(c->ch_order, tmp, c->nchain, &x);
  free(tmp);
  c->chains_tracked = 1;
  return ENT_OK;
}

ent_status ent_cascade_run(ent_cascade *c, const ent_cascade_run_opts *o) {
  ent_cascade_run_opts d;
  worker *wk = NULL;
  pthread_t *tids = NULL;
  char *started = NULL;
  int nth, t, exact, nw;
  size_t alen = acc_len(c->n, c->m);
  int64_t nblocks = 0, nout = 0;
  ent_status st = ENT_OK;
  int32_t i;
  if (!o) { ent_cascade_run_opts_init(&d); o = &d; }
  free_results(c);
  c->err[0] = 0;
  if (o->method != ENT_CASCADE_AUTO && o->method != ENT_CASCADE_EXACT && o->method != ENT_CASCADE_MC) {
    snprintf(c->err, sizeof c->err, "unknown method %d", o->method);
    return ENT_EINVAL;
  }
  if (o->threads < 0 || o->threads > ENT_CASCADE_MAX_THREADS) {
    snprintf(c->err, sizeof c->err, "threads must be in 0..%d (got %d)", ENT_CASCADE_MAX_THREADS, o->threads);
    return ENT_EINVAL;
  }
  if (o->chain_cap < 0) {
    snprintf(c->err, sizeof c->err, "chain_cap must be >= 0 (got %ld)", (long)o->chain_cap);
    return ENT_EINVAL;
  }
  exact = o->method == ENT_CASCADE_EXACT ||
          (o->method == ENT_CASCADE_AUTO && c->uncertain <= o->exact_max_uncertain);
  if (!exact && o->runs <= 0) {
    snprintf(c->err, sizeof c->err, "runs must be a positive integer (got %lld)", (long long)o->runs);
    return ENT_EINVAL;
  }
  if (exact) {
    nth = 1;
  } else {
    nblocks = (o->runs + ENT_CASCADE_BLOCK - 1) / ENT_CASCADE_BLOCK;
    nth = o->threads > 0 ? o->threads : online_cores();
    if ((int64_t)nth > nblocks) nth = (int)nblocks;
  }
  nw = nth;
  wk = calloc((size_t)nw, sizeof *wk);
  tids = calloc((size_t)nw, sizeof *tids);
  started = calloc((size_t)nw, 1);
  if (!wk || !tids || !started) { st = ENT_ENOMEM; goto done; }
  for (t = 0; t < nw; t++) {
    worker *w = &wk[t];
    w->c = c; w->tid = t; w->nth = nth; w->runs = o->runs; w->nblocks = nblocks; w->seed = o->seed;
    w->track = o->chain_cap > 0;
    if (!scratch_init(&w->s, c)) { st = ENT_ENOMEM; goto done; }
    w->accbuf = calloc(alen, sizeof *w->accbuf);
    if (!w->accbuf) { st = ENT_ENOMEM; goto done; }
    acc_bind(&w->A, w->accbuf, c->n, c->m);
    if (w->track && !trie_init(&w->T, o->chain_cap, c->ninit)) { st = ENT_ENOMEM; goto done; }
  }
  if (exact) {
    scratch *s = &wk[0].s;
    s->exact = 1; s->nstack = 0;
    for (;;) {
      double wgt = 1.0;
      int32_t dpt;
      s->depth = 0;
      cascade_once(c, s);
      for (dpt = 0; dpt < s->nstack; dpt++) wgt *= s->dec[dpt] ? s->decp[dpt] : 1.0 - s->decp[dpt];
      accumulate(c, s, &wk[0].A, wk[0].track ? &wk[0].T : NULL, wgt);
      nout++;
      while (s->nstack > 0 && s->dec[s->nstack - 1] == 0) s->nstack--;
      if (s->nstack == 0) break;
      s->dec[s->nstack - 1] = 0;
      if (nout >= o->exact_max_outcomes) {
        snprintf(c->err, sizeof c->err,
                 "exact enumeration stopped after %lld outcomes (%ld uncertain obligations); use Monte Carlo",
                 (long long)nout, (long)c->uncertain);
        st = ENT_ELIMIT;
        goto done;
      }
    }
  } else {
    for (t = 1; t < nw; t++)
      if (pthread_create(&tids[t], NULL, worker_main, &wk[t]) == 0) started[t] = 1;
    worker_main(&wk[0]);
    for (t = 1; t < nw; t++) {
      if (started[t]) pthread_join(tids[t], NULL);
      else worker_main(&wk[t]);   /* same blocks, same answer, just slower */
    }
  }
  /* reduce in worker order: the counts are whole numbers, so the sums do not
  ** depend on how blocks were shared out */
  c->res = calloc(alen, sizeof *c->res);
  if (!c->res) { st = ENT_ENOMEM; goto done; }
  for (t = 0; t < nw; t++) {
    size_t k;
    for (k = 0; k < alen; k++) c->res[k] += wk[t].accbuf[k];
  }
  c->total = 0;
  for (i = 0; i <= c->n; i++) c->total += c->res[2 * (size_t)c->n + c->n + i];
  if (o->chain_cap > 0) {
    st = merge_chains(c, wk, nw, o->chain_cap);
    if (st != ENT_OK) goto done;
  }
  c->exact = exact;
  c->runs = exact ? nout : o->runs;
  c->threads_used = nth;
  c->have = 1;
done:
  if (st == ENT_ENOMEM) snprintf(c->err, sizeof c->err, "out of memory");
  if (st != ENT_OK) free_results(c);
  if (wk) for (t = 0; t < nw; t++) { scratch_free(&wk[t].s); free(wk[t].accbuf); trie_free(&wk[t].T); }
  free(wk); free(tids); free(started);
  return st;
}

/* --------------------------------------------------------------- results */

void ent_wilson(double k, double n, double z, double *lo, double *hi) {
  double ph, z2, den, ctr, half;
  if (!(n > 0)) { *lo = 0; *hi = 1; return; }
  ph = k / n; z2 = z * z; den = 1 + z2 / n;
  ctr = (ph + z2 / (2 * n)) / den;
  half = z * sqrt(ph * (1 - ph) / n + z2 / (4 * n * n)) / den;
  *lo = ctr - half < 0 ? 0 : ctr - half;
  *hi = ctr + half > 1 ? 1 : ctr + half;
  if (k <= 0) *lo = 0;
  if (k >= n) *hi = 1;
}

int ent_cascade_exact(const ent_cascade *c) { return c->exact; }
int64_t ent_cascade_runs(const ent_cascade *c) { return c->have ? c->runs : 0; }
int ent_cascade_threads_used(const ent_cascade *c) { return c->threads_used; }

static void interval(const ent_cascade *c, double w, double *p, double *lo, double *hi) {
  *p = c->total > 0 ? w / c->total : 0;
  if (*p > 1) *p = 1;
  if (c->exact) { *lo = *hi = *p; return; }
  ent_wilson(w, (double)c->runs, 1.959963984540054, lo, hi);
}

ent_status ent_cascade_actor(const ent_cascade *c, ent_id a, ent_cascade_actor_result *out) {
  const double *side, *torn;
  int k;
  memset(out, 0, sizeof *out);
  if (!c->have) return ENT_EINVAL;
  if (a < 0 || a >= c->n) return ENT_ENOTFOUND;
  side = c->res; torn = c->res + 2 * (size_t)c->n;
  out->initial = c->side0[a];
  for (k = 0; k < 2; k++) interval(c, side[2 * (size_t)a + k], &out->p_side[k], &out->side_lo[k], &out->side_hi[k]);
  interval(c, side[2 * (size_t)a] + side[2 * (size_t)a + 1], &out->p_join, &out->lo, &out->hi);
  out->p_torn = c->total > 0 ? torn[a] / c->total : 0;
  return ENT_OK;
}

const double *ent_cascade_count_dist(const ent_cascade *c, int32_t *len) {
  *len = c->have ? c->n + 1 : 0;
  return c->have ? c->res + 3 * (size_t)c->n : NULL;
}

void ent_cascade_count_mean(const ent_cascade *c, double *mean, double *sd, double *lo, double *hi) {
  const double *h = c->res + 3 * (size_t)c->n;
  double mu = 0, var = 0, se;
  int32_t k;
  if (!c->have || !(c->total > 0)) { *mean = *sd = *lo = *hi = 0; return; }
  for (k = 0; k <= c->n; k++) mu += k * h[k];
  mu /= c->total;
  for (k = 0; k <= c->n; k++) var += (k - mu) * (k - mu) * h[k];
  var /= c->total;
  *mean = mu; *sd = sqrt(var);
  se = c->exact ? 0 : 1.959963984540054 * sqrt(var / (double)c->runs);
  *lo = mu - se; *hi = mu + se;
}

double ent_cascade_edge_entry(const ent_cascade *c, int32_t i) {
  if (!c->have || i < 0 || i >= c->m || !(c->total > 0)) return 0;
  return c->res[4 * (size_t)c->n + 1 + i] / c->total;
}

int32_t ent_cascade_chain_count(const ent_cascade *c) { return c->have && c->chains_tracked ? c->nchain : 0; }
int ent_cascade_chains_truncated(const ent_cascade *c) { return c->chains_trunc; }

ent_status ent_cascade_chain(const ent_cascade *c, int32_t rank, ent_cascade_chain_info *out) {
  int32_t nd, r;
  int side;
  memset(out, 0, sizeof *out);
  if (rank < 0 || rank >= ent_cascade_chain_count(c)) return ENT_EINVAL;
  nd = c->ch_order[rank];
  out->actor = c->src[c->ch_edge[nd]];
  for (r = nd; c->ch_parent[r] >= 0; r = c->ch_parent[r]) {}
  out->root = c->init_actor[r];
  side = c->init_side[r];
  /* each OPPOSE edge on the path puts the joiner on the other side */
  for (r = nd; c->ch_parent[r] >= 0; r = c->ch_parent[r])
    if (c->fl[c->ch_edge[r]] & FL_OPP) side = 3 - side;
  out->side = side;
  out->length = c->ch_depth[nd];
  interval(c, c->ch_w[nd], &out->p, &out->lo, &out->hi);
  return ENT_OK;
}

ent_status ent_cascade_chain_edges(const ent_cascade *c, int32_t rank, int32_t *edges, int32_t cap) {
  int32_t nd, len, k;
  if (rank < 0 || rank >= ent_cascade_chain_count(c)) return ENT_EINVAL;
  nd = c->ch_order[rank];
  len = c->ch_depth[nd];
  for (k = len - 1; k >= 0; k--, nd = c->ch_parent[nd])
    if (k < cap) edges[k] = c->ch_edge[nd];
  return ENT_OK;
}
