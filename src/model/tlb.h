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
	bool sole;		/* in a CPU's `retired` set: the TLBI
				   completion that retired it removed no other
				   stage-1 leaf from the CPU, and memory no
				   longer held its value then (barrier.c,
				   apply(); translate.c, retired_alone()) */
	bool same;		/* a store moved its output address with no
				   break only because the old and new ranges
				   were declared to hold the same contents
				   (RWHZWS; write.c, check_one): a store that
				   makes them differ while it is held breaks
				   the exemption (same.c, same_after_store) */
};

/*
 * A set of held entries: p[0 .. n-1], in the order they were added (a
 * zeroed struct is empty). Read p and n freely; change them only with
 * the functions below (held_add, held_clear, held_truncate), which keep
 * the index and the counts of kinds exact.
 *
 * The index finds an entry identical to a new one (held_add's duplicate
 * test) without a search of the whole set: a 2 MiB block split into 512
 * pages gives every CPU that caches the context 512 old values, one
 * store at a time, and a TLBI that removes them moves them one by one
 * into the issuer's retiring set, so a linear test per add was quadratic
 * (docs/model.md, "Held sets and their index"). It is an open-addressing
 * table of positions in p, built only once a set has HELD_INDEX_MIN
 * entries (smaller sets are searched), kept up to date by every add, and
 * dropped by a removal (held_truncate, held_clear), to be built again at
 * the next add. Slots carry the generation they were written in, so that
 * dropping the index costs nothing.
 */
struct held_slot {
	uint32_t gen;		/* in use when equal to the set's idx_gen */
	uint32_t pos;		/* index in p of the entry */
};

/*
 * How many entries of each kind a set holds, for the scans that every
 * walk makes of its CPU's sets looking for one kind only (translate.c):
 * a set with none of that kind is not scanned, which finds nothing
 * either way. After a collapse a CPU may hold a table's 512 stage-2
 * pages and their 512 combined copies, which each walk read scanned
 * whatever its level. Counted by level (HELD_LEVELS buckets:
 * held_level_bucket(); a scan compares levels for equality, so an entry
 * and a lookup of one level always meet in one bucket):
 *  - walk[]: neither combined (any_va) nor a stage-1 leaf, the entries
 *    read_cb()'s held_hits() may offer for a table walk's read;
 *  - s12[]: combined entries (any_va), which s12_hits() may offer;
 * and in all:
 *  - s1_leaf: stage-1 leaves, held_leaves()'s TLB hits;
 *  - cont: entries with the Contiguous bit, contig_neighbours()'s.
 * Exact at every moment: push() counts an entry in, held_clear() zeroes
 * the counts, held_truncate() counts the kept entries again (a removal
 * compacts the set in place, so no removed entry is left to count out).
 */
#define HELD_LEVELS (VMSA_LEVEL_MAX - VMSA_LEVEL_MIN + 2)

struct held_kinds {
	uint32_t walk[HELD_LEVELS];
	uint32_t s12[HELD_LEVELS];
	uint32_t s1_leaf;
	uint32_t cont;
};

/* The bucket of level: one per level of the architecture, one for any
 * other value. */
static inline unsigned held_level_bucket(int level)
{
	return level >= VMSA_LEVEL_MIN && level <= VMSA_LEVEL_MAX ?
		       (unsigned)(level - VMSA_LEVEL_MIN) :
		       HELD_LEVELS - 1;
}

struct held_set {
	struct held *p;
	unsigned n, cap;
	struct held_slot *slot;	/* idx_mask + 1 slots, or NULL */
	uint32_t idx_mask;
	uint32_t idx_gen;	/* generation of the slots in use */
	bool idx_ok;		/* the index covers exactly p[0 .. n-1] */
	struct held_kinds kinds;	/* of p[0 .. n-1] */
};

/* The memory of a held set, which a reset keeps (machine.c, cpu_init):
 * the arrays and the index's generation (slots written in an older one
 * must stay unused). Not the counts, which an empty set has at 0: the
 * reset's copy of the whole set cost more than the rest of it. */
struct held_mem {
	struct held *p;
	struct held_slot *slot;
	unsigned cap;
	uint32_t idx_mask, idx_gen;
};

static inline struct held_mem held_mem_of(const struct held_set *s)
{
	return (struct held_mem){s->p, s->slot, s->cap, s->idx_mask,
				 s->idx_gen};
}

/* s (zeroed: an empty set) takes the memory k of an earlier one. */
static inline void held_mem_give(struct held_set *s, struct held_mem k)
{
	s->p = k.p;
	s->slot = k.slot;
	s->cap = k.cap;
	s->idx_mask = k.idx_mask;
	s->idx_gen = k.idx_gen;
}

/* May a scan for the held_hits() or (s12) s12_hits() entries of a
 * lookup at level find one in s? */
static inline bool held_may_hit(const struct held_set *s, int level, bool s12)
{
	unsigned b = held_level_bucket(level);

	return s->kinds.walk[b] || (s12 && s->kinds.s12[b]);
}

/* Sets this small are searched, not indexed. */
#define HELD_INDEX_MIN 16u

void held_destroy(struct held_set *s);
/* Empty the set, keeping its memory. */
void held_clear(struct held_set *s);

/* Add an entry unless an identical one (tags, value and any_va; not
 * loc, since or tlbi_ts) is already held, at the end. Returns 0, or -ENOMEM
 * (the set unchanged). */
int held_add(struct held_set *s, const struct held *h);

/* Keep only p[0 .. k-1] (k <= n), after the caller compacted the set in
 * place (moved the entries it keeps to the front, in their order). */
void held_truncate(struct held_set *s, unsigned k);

/* The position in p of an entry identical to h (as held_add compares),
 * or -1. */
int held_find(struct held_set *s, const struct held *h);

/* True when tags a and b belong to the same translation context for a
 * lookup: same regime, VMID (EL1&0), stage, and ASID unless one of them
 * is global. */
bool tag_same_context(const vmsa_tlb_tag_t *a, const vmsa_tlb_tag_t *b);

/* True when [a, a + as) and [b, b + bs) overlap. */
bool range_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs);

#endif
