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

#endif
