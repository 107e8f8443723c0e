/*
 * src/explore/par_int.h - between parallel.c (the coordinator) and
 * par_worker.c (a worker process). Private.
 *
 * A worker writes, into its pipe, any number of donation and race
 * records and then the result or crash record of isolate.h. Both have
 * one layout: kind, uint32 k, uint32 arg, then k + 1 struct dec, k + 1
 * struct dpor_mask (the masks of decisions 0..k: zero for the plain
 * search and for decisions that are not scheduling decisions), then for
 * each decision 0..k and each CPU of its mask's `done` in turn, that
 * CPU's footprint there: uint32 flags, uint32 n, n uint64 items:
 *   REC_DONATE: the worker's decisions 0..k of its latest execution; it
 *   hands away options of decision k after the one it took: those of
 *   the option mask `arg`, or every one when arg is 0. Each becomes the
 *   prefix of a new unit.
 *   REC_RACE (reduced searches only): the race analysis wants CPU `arg`
 *   explored at decision k of the worker's prefix, where the worker
 *   cannot backtrack; decision k's `chosen` is that CPU's option. The
 *   coordinator makes it a unit unless some unit explores that CPU
 *   there.
 * An outcomes search's worker (parallel.h, struct par_outcomes) writes,
 * after them and before its result record, REC_OUTCOMES: kind, uint64
 * size, then the bytes of its save().
 */
#ifndef VMSA_EXPLORE_PAR_INT_H
#define VMSA_EXPLORE_PAR_INT_H

#include <stdatomic.h>

#include "dpor.h"
#include "explore_int.h"
#include "parallel.h"

enum { REC_DONATE = 'D', REC_RACE = 'B', REC_OUTCOMES = 'O' };
/* (not isolate.h's) */

/* The memory a coordinator and its workers share (mapped before the
 * forks): the probe runs the workers made (par_probe_runs), and each
 * slot's flag asking its worker to hand work away. */
struct par_shared {
	atomic_ulong probes;
	atomic_int ask[];
};

/* What a reduced search's unit knows of its prefix decisions: masks[i]
 * for decision i, and the footprints of their done CPUs (fps[0 ..
 * fps_size), the layout above). mask NULL: nothing (the plain search,
 * the first unit). sib: the options of its last prefix decision that
 * other units explore and that come before its own in the order the
 * units were made (the donor's own option first): they sleep below it,
 * with footprints the worker probes (unbounded searches only). */
struct par_seed {
	const struct dpor_mask *mask;
	const char *fps;
	size_t fps_size;
	uint32_t sib;
};

/* Run the search of the unit with prefix d[0 .. len) of configuration
 * cfg[ci] (of n) in this (child) process, writing records into fd;
 * *ask is set by the coordinator when it wants the worker to hand work
 * away; *probes counts the probe runs of siblings' steps (par_seed.sib).
 * With `expand`, run only the unit's first execution and hand away every
 * untried option after it (a step of a shard's plan). seed: what the
 * coordinator knows of each prefix decision (reduced searches). cmd: -1,
 * or a socket from which the worker reads, after each unit's result
 * record, the uint32 index of the next configuration to run from its
 * first unit (the empty prefix), until its end of file. Never returns. */
_Noreturn void par_worker(int fd, int cmd, atomic_int *ask,
			  atomic_ulong *probes, bool expand,
			  const struct par_config *cfg, unsigned n,
			  unsigned ci, const vmsa_explore_opts_t *o,
			  const struct dec *d, const struct par_seed *seed,
			  unsigned len);

#endif
