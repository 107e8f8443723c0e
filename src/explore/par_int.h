/*
 * src/explore/par_int.h - between parallel.c (the coordinator) and
 * par_worker.c (a worker process). Private.
 *
 * A worker writes, into its pipe, any number of donation records and
 * then the result or crash record of isolate.h:
 *   REC_DONATE, uint32 k, then k + 1 struct dec: the worker's decisions
 *   0..k of its latest execution; every option of decision k after the
 *   one it took is handed away, each the prefix of a new unit.
 */
#ifndef VMSA_EXPLORE_PAR_INT_H
#define VMSA_EXPLORE_PAR_INT_H

#include <stdatomic.h>

#include "explore_int.h"

enum { REC_DONATE = 'D' };

/* Run the search of the unit with prefix d[0 .. len) of s@config in this
 * (child) process, writing records into fd; *ask is set by the
 * coordinator when it wants the worker to hand work away. With
 * `expand`, run only the unit's first execution and hand away every
 * untried option after it (a step of a shard's plan). Never returns. */
_Noreturn void par_worker(int fd, atomic_int *ask, bool expand,
			  const vmsa_scenario_t *s, const char *config,
			  const vmsa_explore_opts_t *o, const struct dec *d,
			  unsigned len);

#endif
