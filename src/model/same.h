/*
 * src/model/same.h - output address ranges declared to hold the same
 * contents (vmsa_same_contents()), for break-before-make's read-only
 * exemption (RWHZWS, D8.17.1).
 */
#ifndef VMSA_MODEL_SAME_H
#define VMSA_MODEL_SAME_H

#include "machine.h"

/*
 * May an entry's output address change from [oa_old, oa_old + len) to
 * [oa_new, oa_new + len) without a break as far as the memory contents
 * go? True when set-up declared the two ranges to hold the same contents
 * (at the same offsets) and, when `bytes` (the output addresses are PAs),
 * memory holds equal bytes there now: a declaration the write contradicts
 * gives no exemption.
 */
bool same_contents(vmsa_machine_t *m, uint64_t oa_old, uint64_t oa_new,
		   uint64_t len, bool bytes);

/*
 * After cpu's store of size bytes at pa: when pa lies in a declared range
 * and the store made its bytes differ from the other range's, while a
 * CPU still holds an entry that a descriptor store moved between the two
 * ranges with no break because they held the same contents (struct
 * held.same), a "bbm" violation (RWHZWS: the contents must match for as
 * long as both entries may be used). Stores by no CPU (set-up, host
 * code) are the declaration's own business.
 */
void same_after_store(vmsa_machine_t *m, int cpu, uint64_t pa,
		      unsigned size);

#endif
