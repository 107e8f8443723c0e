/*
 * src/model/context.h - translation contexts and their descriptor slots.
 */
#ifndef VMSA_MODEL_CONTEXT_H
#define VMSA_MODEL_CONTEXT_H

#include "machine.h"

/* Where a physical address is a descriptor of a context. */
struct slot {
	unsigned ctx;
	vmsa_stage_t stage;
	int level;
	vmsa_granule_t granule;
	unsigned tt;		/* stage 1: TTBR0 or TTBR1 */
	uint64_t ia;		/* first input address the entry maps */
};

/* Index of the context for cfg, added if new; -ENOMEM when it cannot be
 * added. */
int ctx_lookup(vmsa_machine_t *m, const vmsa_regime_cfg_t *cfg);

/* Bring context i's table pages up to date. 0 or -ENOMEM. */
int ctx_refresh(vmsa_machine_t *m, unsigned i);

/* The table pages of contexts in a snapshot's memory, learnt during the
 * executions that start from it (a snapshot owns one; restoring it makes
 * it the machine's m->scan_memo until the next reset). NULL when out of
 * memory (then nothing is remembered). */
struct scan_memo *scan_memo_new(void);
void scan_memo_free(struct scan_memo *sm);
/* How many contexts' scans it holds (for tests). */
unsigned scan_memo_size(const struct scan_memo *sm);

VEC_DEFINE(slot_vec, struct slot)

/* Append the slots at pa in context i (after ctx_refresh) to out: 0, or
 * -ENOMEM. */
int ctx_slots(vmsa_machine_t *m, unsigned i, uint64_t pa,
	      struct slot_vec *out);

/* The TLB tag an entry at slot s holding desc has. */
vmsa_tlb_tag_t slot_tag(const vmsa_machine_t *m, const struct slot *s,
			uint64_t desc);

/* Called for each valid entry (table, block or page) below a table. */
typedef void (*slot_visit_fn)(void *arg, const struct slot *s, uint64_t pa,
			      uint64_t desc);

/* When desc (at slot s) is a table descriptor, visit every valid entry of
 * the tables below it, as memory holds them now. */
void ctx_visit_below(vmsa_machine_t *m, const struct slot *s, uint64_t desc,
		     slot_visit_fn fn, void *arg);

#endif
