/*
 * src/model/tlb.c - sets of held (stale) TLB entries; see tlb.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tlb.h"
#include "util/htab.h"
#include "util/vec.h"

void held_destroy(struct held_set *s)
{
	free(s->p);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* Count h into k (held_kinds in tlb.h). */
static void kinds_add(struct held_kinds *k, const struct held *h)
{
	unsigned b = held_level_bucket(h->tag.level);
	bool s1_leaf = h->tag.stage == VMSA_TLB_S1 && h->tag.leaf;

	if (h->any_va)
		k->s12[b]++;
	else if (!s1_leaf)
		k->walk[b]++;
	if (s1_leaf)
		k->s1_leaf++;
	if (h->desc & VMSA_D_CONT)
		k->cont++;
}

void held_clear(struct held_set *s)
{
	s->n = 0;
	s->idx_ok = false;
	memset(&s->kinds, 0, sizeof(s->kinds));
}

void held_truncate(struct held_set *s, unsigned k)
{
	/* Removing nothing moved nothing: the index stays exact. */
	if (k < s->n) {
		s->n = k;
		s->idx_ok = false;
		memset(&s->kinds, 0, sizeof(s->kinds));
		for (unsigned i = 0; i < k; i++)
			kinds_add(&s->kinds, &s->p[i]);
	}
}

static bool same_tag(const vmsa_tlb_tag_t *a, const vmsa_tlb_tag_t *b)
{
	return a->regime == b->regime && a->vmid == b->vmid &&
	       a->asid == b->asid && a->global == b->global &&
	       a->stage == b->stage && a->leaf == b->leaf &&
	       a->level == b->level && a->granule == b->granule &&
	       a->ia == b->ia && a->size == b->size;
}

static bool same_entry(const struct held *a, const struct held *b)
{
	return a->desc == b->desc && a->any_va == b->any_va &&
	       same_tag(&a->tag, &b->tag);
}

/* A hash of part of what same_entry() compares (so identical entries
 * have one hash): the value, the input address and the fields that tell
 * a table's entries from their combined copies and from each other's
 * levels. Entries that differ only in the context (ASID, VMID, regime)
 * share a probe run, which stays short: few contexts hold one value. */
static inline uint64_t entry_hash(const struct held *h)
{
	uint64_t k = h->desc ^ h->tag.ia * 0xc2b2ae3d27d4eb4full ^
		     (uint64_t)h->tag.level << 1 ^ (uint64_t)h->any_va;

	return k * 0x9e3779b97f4a7c15ull;
}

/* The index's slot for h: the one holding an identical entry, or the
 * free slot that ends h's probe run. At most half the slots are in use,
 * so a free one always ends the run. */
static inline struct held_slot *probe(const struct held_set *s, const struct held *h)
{
	for (uint32_t i = (uint32_t)(entry_hash(h) >> 32) & s->idx_mask;;
	     i = (i + 1) & s->idx_mask) {
		struct held_slot *e = &s->slot[i];

		if (e->gen != s->idx_gen || same_entry(&s->p[e->pos], h))
			return e;
	}
}

/* Index p[pos] (no identical entry is indexed). */
static void index_put(struct held_set *s, unsigned pos)
{
	struct held_slot *e = probe(s, &s->p[pos]);

	e->gen = s->idx_gen;
	e->pos = pos;
}

/* Index p[0 .. n-1] afresh, with room for `want` entries at half load. */
static int index_build(struct held_set *s, unsigned want)
{
	void *slot = s->slot;
	int rc = htab_gen_begin(&slot, &s->idx_mask, &s->idx_gen,
				sizeof(*s->slot), want, 2 * HELD_INDEX_MIN);

	s->slot = slot;
	if (rc)
		return rc;
	for (unsigned i = 0; i < s->n; i++)
		index_put(s, i);
	s->idx_ok = true;
	return 0;
}

/* Make the index cover p[0 .. n-1] with room for one more entry: false
 * when the set is too small to be worth it (or the index cannot be had:
 * the set is then searched, as a small one). */
static inline bool index_ready(struct held_set *s)
{
	if (s->n < HELD_INDEX_MIN)
		return false;
	if (s->idx_ok && s->idx_mask / 2 >= s->n)
		return true;
	/* A first build, one after a removal, or a doubling. Without the
	 * memory for it the set is searched until a later build works. */
	if (index_build(s, s->n + 1)) {
		s->idx_ok = false;
		return false;
	}
	return true;
}

static int search(const struct held_set *s, const struct held *h)
{
	for (unsigned i = 0; i < s->n; i++)
		if (same_entry(&s->p[i], h))
			return (int)i;
	return -1;
}

int held_find(struct held_set *s, const struct held *h)
{
	struct held_slot *e;

	if (!index_ready(s))
		return search(s, h);
	e = probe(s, h);
	return e->gen == s->idx_gen ? (int)e->pos : -1;
}

/* Room for one more entry: 0, or -ENOMEM (the set unchanged). */
static int grow(struct held_set *s)
{
	size_t cap = vec_next_cap(s->cap, (size_t)s->n + 1, sizeof(*s->p));
	struct held *p = cap ? realloc(s->p, cap * sizeof(*p)) : NULL;

	if (!p)
		return -ENOMEM;
	s->p = p;
	s->cap = (unsigned)cap;
	return 0;
}

static inline int push(struct held_set *s, const struct held *h)
{
	if (s->n == s->cap && grow(s))
		return -ENOMEM;
	s->p[s->n++] = *h;
	kinds_add(&s->kinds, h);
	return 0;
}

int held_add(struct held_set *s, const struct held *h)
{
	struct held_slot *e;

	if (!index_ready(s)) {
		/* A small set, searched; one that reaches HELD_INDEX_MIN
		 * entries is indexed at its next add. */
		return search(s, h) >= 0 ? 0 : push(s, h);
	}
	e = probe(s, h);
	if (e->gen == s->idx_gen)
		return 0;
	if (push(s, h))
		return -ENOMEM;
	/* index_ready() left room for this one: e is still free. */
	e->gen = s->idx_gen;
	e->pos = s->n - 1;
	return 0;
}

bool tag_same_context(const vmsa_tlb_tag_t *a, const vmsa_tlb_tag_t *b)
{
	if (a->regime != b->regime || a->stage != b->stage)
		return false;
	if (a->regime == VMSA_REGIME_EL10 && a->vmid != b->vmid)
		return false;
	/* Stage-2 entries have no ASID; a global stage-1 entry matches a
	 * lookup with any ASID. */
	if (a->stage == VMSA_TLB_S2 || a->global || b->global)
		return true;
	return a->asid == b->asid;
}

bool range_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	/* Written without a + as, which may wrap at the top of the VA space. */
	return a - b < bs || b - a < as;
}
