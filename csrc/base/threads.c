/*
** base/threads.c - fan work out to POSIX threads.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "threads.h"

typedef struct job { void (*fn)(void *); void *arg; } job;

static void *trampoline(void *p) {
  job *j = p;
  j->fn(j->arg);
  return NULL;
}

void ent_threads_run(int n, void (*fn)(void *), void *args, size_t stride) {
  char *base = args;
  pthread_t *tids = NULL;
  job *jobs = NULL;
  unsigned char *started = NULL;
  int t;
  if (n <= 0) return;
  if (n > 1) {
    tids = malloc((size_t)n * sizeof *tids);
    jobs = malloc((size_t)n * sizeof *jobs);
    started = calloc((size_t)n, 1);
  }
  if (tids && jobs && started) {
    for (t = 1; t < n; t++) {
      jobs[t].fn = fn; jobs[t].arg = base + (size_t)t * stride;
      if (pthread_create(&tids[t], NULL, trampoline, &jobs[t]) == 0) started[t] = 1;
    }
  }
  fn(base);
  for (t = 1; t < n; t++) {
    if (started && started[t]) pthread_join(tids[t], NULL);
    else fn(base + (size_t)t * stride);   /* no thread: same work, inline */
  }
  free(tids); free(jobs); free(started);
}

int ent_threads_default(int cap) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (cap >= 1 && n > cap) n = cap;
  return (int)n;
}
