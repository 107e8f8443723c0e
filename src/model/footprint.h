/*
 * src/model/footprint.h - what one step of the model touched, for the
 * explorer's partial-order reduction (src/explore/dpor.c). Private to
 * libvmsa.
 *
 * A footprint is deliberately coarse, so that it is easy to see that it
 * covers everything a step can depend on or change (docs/explorer.md,
 * "Partial-order reduction"):
 *
 *  - FP_DESC_R: the step reads the global translation state: descriptor
 *    histories and their visibility, the translation contexts, the TLBs
 *    other CPUs may hold (for break-before-make), the step counter its
 *    own timestamps are compared with. Every model step sets it.
 *  - FP_DESC_W: the step changes that state for other CPUs: a descriptor
 *    store, a DSB that publishes stores or completes TLBIs, a step that
 *    created a translation context or changed table structure.
 *  - FP_ALL: the step may touch anything (page allocation and free);
 *    dependent with every other step.
 *  - lines: the 64-byte lines of model memory it read or wrote (data,
 *    descriptors read by walks, cache maintenance), each with a write
 *    bit.
 *
 * A step that changes only its own CPU's state (registers, its own TLB
 * and pending stores) and reads the global state has FP_DESC_R alone.
 * Recording is off (m->fp NULL) unless the explorer turns it on; each
 * hook is then one test.
 */
#ifndef VMSA_MODEL_FOOTPRINT_H
#define VMSA_MODEL_FOOTPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/vec.h"
#include "vmsa/model.h"

enum {
	FP_DESC_R = 1u << 0,
	FP_DESC_W = 1u << 1,
	FP_ALL = 1u << 2,
};

/* A line of memory: (pa >> 6) << 1 | written. */
VEC_DEFINE(fp_line_vec, uint64_t)

struct footprint {
	unsigned flags;
	struct fp_line_vec lines;	/* sorted and unique after fp_end() */
	bool oom;			/* a line could not be recorded: the
					   footprint counts as FP_ALL */
	/* What the machine's counters were when the event began: a step
	 * that moved them created a context or changed table structure. */
	unsigned n_ctx0;
	uint64_t table_gen0;
};

/* Record into fp from now on (NULL: stop recording). */
void fp_attach(vmsa_machine_t *m, struct footprint *fp);

/* Start a new footprint in the attached recorder (empty). */
void fp_begin(vmsa_machine_t *m);

/* Finish it: fold counter changes in, sort and merge the lines. */
void fp_end(vmsa_machine_t *m);

/* Hooks of the model (no-ops unless recording). */
void fp_flags(vmsa_machine_t *m, unsigned flags);
void fp_line(vmsa_machine_t *m, uint64_t pa, bool write);

/* May steps with footprints a and b not be swapped? */
bool fp_dependent(const struct footprint *a, const struct footprint *b);

/* a |= b (a footprint that covers both); -ENOMEM sets a->oom. */
void fp_union(struct footprint *a, const struct footprint *b);

/* Copy b into a. */
void fp_copy(struct footprint *a, const struct footprint *b);

void fp_free(struct footprint *fp);

#endif
