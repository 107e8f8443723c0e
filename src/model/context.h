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

/* No CPU caches context i any more: its list of table pages is
 * forgotten, scanned afresh when a CPU caches it again (stores to its
 * tables meanwhile are data stores, which move no table generation). */
void ctx_forget_pages(vmsa_machine_t *m, unsigned i);

/* The table pages of contexts in a snapshot's memory, learnt during the
 * executions that start from it (a snapshot owns one; restoring it makes
 * it the machine's m->scan_memo until the next reset). NULL when out of
 * memory (then nothing is remembered). */
struct scan_memo *scan_memo_new(void);
void scan_memo_free(struct scan_memo *sm);
/* How many contexts' scans it holds (for tests). */
unsigned scan_memo_size(const struct scan_memo *sm);
/* Its memo of speculative AF candidates (af_memo.h), made when first
 * asked for; NULL when out of memory. */
struct af_memo *scan_memo_af(struct scan_memo *sm);

/*
 * Remembered answers of pure yes/no tests of the snapshot's memory (the
 * same memo): key[0..n) names the test and every input but memory, and
 * [pa, pa + len) is all the memory it reads. An answer recorded while
 * those pages had not changed since the snapshot was restored holds
 * whenever they have not changed again. snap_answer_get() is true with
 * *yes when one is known; snap_answer_put() records one (nothing without
 * a snapshot, with a changed page, or with n > SNAP_ANSWER_WORDS).
 */
#define SNAP_ANSWER_WORDS 16u
/* key[0] of each kind of test. */
enum { SNAP_ANSWER_FAST_TABLE = 1 };
bool snap_answer_get(vmsa_machine_t *m, const uint64_t *key, unsigned n,
		     uint64_t pa, uint64_t len, bool *yes);
void snap_answer_put(vmsa_machine_t *m, const uint64_t *key, unsigned n,
		     uint64_t pa, uint64_t len, bool yes);

VEC_DEFINE(slot_vec, struct slot)

/* Append the slots at pa in context i (after ctx_refresh) to out: 0, or
 * -ENOMEM. */
int ctx_slots(vmsa_machine_t *m, unsigned i, uint64_t pa,
	      struct slot_vec *out);

/*
 * Does a context that translates through context ctx's stage-2 tables
 * (the same VTTBR root) look up a stage-1 table at an IPA in [lo, hi):
 * a root (TTBR) or the next-level address of a table descriptor in one
 * of its stage-1 table pages? A store of a stage-2 leaf covering only
 * other IPAs then moves no stage-1 table: its scans (ctx_refresh)
 * translate no IPA it maps. True when unsure (out of memory).
 */
bool ctx_s2_range_places_s1(vmsa_machine_t *m, unsigned ctx, uint64_t lo,
			    uint64_t hi);

/* The TLB tag an entry at slot s holding desc has. */
vmsa_tlb_tag_t slot_tag(const vmsa_machine_t *m, const struct slot *s,
			uint64_t desc);

/* The same, made in *t: for the walk's hot paths, where a tag returned
 * by value (built with narrow stores, copied with wide loads that stall
 * on them) cost more than making it. */
void slot_tag_into(vmsa_tlb_tag_t *t, const vmsa_machine_t *m,
		   const struct slot *s, uint64_t desc);

/* Called for each valid entry (table, block or page) below a table. */
typedef void (*slot_visit_fn)(void *arg, const struct slot *s, uint64_t pa,
			      uint64_t desc);

/* When desc (at slot s) is a table descriptor, visit every valid entry of
 * the tables below it, as memory holds them now. */
void ctx_visit_below(vmsa_machine_t *m, const struct slot *s, uint64_t desc,
		     slot_visit_fn fn, void *arg);

#endif
