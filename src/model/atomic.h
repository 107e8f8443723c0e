/*
 * src/model/atomic.h - the Exclusives monitors (atomic.c), which every
 * store path of the model updates, and the ordering names of traces.
 * Private to src/model/.
 */
#ifndef VMSA_MODEL_ATOMIC_H
#define VMSA_MODEL_ATOMIC_H

#include "machine.h"

/* The Exclusives reservation granule: 4 words, the smallest the
 * architecture allows (B2.12.3: 4 to 512 words, IMPLEMENTATION
 * DEFINED). A Load-Exclusive marks the aligned 16 bytes around it. */
#define EXCL_GRANULE 16u

/*
 * A store of size bytes at pa by `writer` (a CPU, or VMSA_SETUP; the
 * walker's hardware updates pass the CPU whose walk made them): every
 * other CPU's global monitor marking that granule goes to Open Access
 * (B2.12.2: "any successful write to the marked block by any other
 * observer ... is guaranteed to clear the marking";
 * ClearExclusiveByAddress). The writer's own mark stays: whether a
 * CPU's own store clears it is IMPLEMENTATION DEFINED (B2.12.1), and
 * herd7 lets its own store-exclusive pass. The one place that clears
 * marks for stores: data_write/desc_data_write (access.c) call it, so
 * every data, descriptor, physical and hardware store does. Cheap when
 * no CPU has a mark (m->excl_mask == 0).
 */
void monitor_clear_marks(vmsa_machine_t *m, int writer, uint64_t pa,
			 unsigned size);

/* Inline so that a store pays one test when no CPU has a mark (the
 * common case: no scenario without exclusives ever sets one). */
static inline void monitor_clear(vmsa_machine_t *m, int writer, uint64_t pa,
				 unsigned size)
{
	if (m->excl_mask)
		monitor_clear_marks(m, writer, pa, size);
}

/* An exception return clears the CPU's local monitor (B2.12.4;
 * ClearExclusiveLocal in AArch64.ExceptionReturn). */
void monitor_clear_local(struct cpu *c);

/* The value an atomic read-modify-write of size bytes writes:
 * op(old, operand) (C6.2.179 and its siblings; MemAtomic's modop).
 * promise.c computes a promised atomic's write with it. */
uint64_t rmw_apply(vmsa_rmw_op_t op, unsigned size, uint64_t old,
		   uint64_t operand);

/* The trace suffix of an ordered access: " (acq)", " (rel)" ...; "" for
 * a plain one, whose trace stays what it always was. */
const char *order_suffix(vmsa_order_t o);

#endif
