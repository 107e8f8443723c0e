/*
 * src/model/tlb.h - what a CPU's TLB may still hold.
 *
 * The model does not simulate when a TLB fills. Every valid descriptor
 * reachable in a context that is (or was) active on a CPU may be cached
 * there, so the current table contents are always candidates for a walk.
 * What this file keeps is the rest: "held" entries, values a TLB may still
 * hold although memory no longer has them (overwritten or unlinked
 * descriptors, values read from pending stores, walk-cache entries of
 * unlinked tables), each with the tags a TLB entry has (RNWYRD) so that
 * TLBI matching (src/arch/tlbi_match.c) decides what removes it.
 * Faulting (invalid) values are never held (RXCLRD).
 */
#ifndef VMSA_MODEL_TLB_H
#define VMSA_MODEL_TLB_H

#include "vmsa/arch.h"
#include "util/vec.h"

struct held {
	vmsa_tlb_tag_t tag;	/* regime, VMID, ASID/global, stage, level,
				   input range */
	uint64_t desc;		/* the descriptor value held */
	uint64_t loc;		/* PA it was read from (for reports) */
	uint64_t since;		/* step at which it became stale */
	uint64_t tlbi_ts;	/* in a CPU's `retired` set: the place in
				   memory's order of the other CPU's TLBI
				   that removed it (order_tlbi_done) */
	bool any_va;		/* VMSA_TLB_S12 entry made from a stage-2
				   value: tag.ia/size are the IPA range and it
				   stands for every VA that maps there */
};

/* A set of held entries: p[0 .. n-1] (a zeroed struct is empty). */
VEC_DEFINE(held_set, struct held)

void held_destroy(struct held_set *s);
void held_clear(struct held_set *s);

/* Add an entry unless an identical one (tags, value) is already held.
 * Returns 0, or -ENOMEM. */
int held_add(struct held_set *s, const struct held *h);

/* True when tags a and b belong to the same translation context for a
 * lookup: same regime, VMID (EL1&0), stage, and ASID unless one of them
 * is global. */
bool tag_same_context(const vmsa_tlb_tag_t *a, const vmsa_tlb_tag_t *b);

/* True when [a, a + as) and [b, b + bs) overlap. */
bool range_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs);

#endif
