/*
** base/threads.h - fan work out to threads (internal to the core).
*/
#ifndef ENT_BASE_THREADS_H
#define ENT_BASE_THREADS_H

#include <stddef.h>

/* Call fn(args + i * stride) for i = 0..n-1: worker 0 on the calling
** thread, the others on threads of their own.  A worker whose thread cannot
** be started runs on the calling thread after the others have been joined,
** so the work done (and, for kernels that give each worker fixed blocks of
** draws, the answer) is the same, only slower.  Returns when all are done. */
void ent_threads_run(int n, void (*fn)(void *), void *args, size_t stride);

/* The number of threads to use when a caller asks for 0 ("as many as there
** are processors online"), capped at cap; at least 1. */
int ent_threads_default(int cap);

#endif
