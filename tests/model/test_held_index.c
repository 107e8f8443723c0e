/*
 * tests/model/test_held_index.c - the index of a held set (src/model/tlb.c):
 * after any mix of adds, in-place removals (held_truncate), clears and the
 * reset's keeping of the set's memory (held_mem_of, held_mem_give),
 * held_add keeps exactly the entries a
 * linear duplicate search keeps, in the same order, and held_find finds
 * what a linear search finds.
 */
#include "../harness.h"

#include <string.h>

#include "model/tlb.h"

/* A reference set: the entries held_add() made before the index. */
struct ref {
	struct held e[1u << 15];
	unsigned n;
};

static bool same_key(const struct held *a, const struct held *b)
{
	const vmsa_tlb_tag_t *x = &a->tag, *y = &b->tag;

	return a->desc == b->desc && a->any_va == b->any_va &&
	       x->regime == y->regime && x->vmid == y->vmid &&
	       x->asid == y->asid && x->global == y->global &&
	       x->stage == y->stage && x->leaf == y->leaf &&
	       x->level == y->level && x->granule == y->granule &&
	       x->ia == y->ia && x->size == y->size;
}

static int ref_find(const struct ref *r, const struct held *h)
{
	for (unsigned i = 0; i < r->n; i++)
		if (same_key(&r->e[i], h))
			return (int)i;
	return -1;
}

static uint64_t rng = 0x243f6a8885a308d3ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* An entry from a key space of `keys` entries, each field of the key
 * varied on its own (so that a hash or comparison that ignores one of
 * them makes duplicates of distinct entries); loc and since, which are
 * no part of the key, differ from add to add. */
static struct held entry(unsigned keys, uint64_t serial)
{
	unsigned k = rnd(keys);	/* at most 1 << 15: a bit per field */
	struct held h;

	memset(&h, 0, sizeof(h));
	h.desc = 0x40000000703ull + (uint64_t)(k & 7) * 0x1000;
	h.tag.ia = (uint64_t)(k >> 3 & 3) << 21;
	h.tag.level = 2 + (k >> 5 & 1);
	/* Contiguous with the 4th value, level 3 or 2 (same key bits). */
	if ((k & 7) == 3)
		h.desc |= VMSA_D_CONT;
	h.tag.leaf = k >> 6 & 1;
	h.tag.asid = (uint16_t)(k >> 7 & 1);
	h.tag.vmid = (uint16_t)(k >> 8 & 1);
	h.tag.global = k >> 9 & 1;
	h.tag.stage = k >> 10 & 1 ? VMSA_TLB_S12 : VMSA_TLB_S1;
	h.any_va = k >> 11 & 1;
	h.tag.regime = k >> 12 & 1 ? VMSA_REGIME_EL10 : VMSA_REGIME_EL2;
	h.tag.granule = k >> 13 & 1 ? VMSA_GRANULE_16K : VMSA_GRANULE_4K;
	h.tag.size = 1ull << (21 + (k >> 14 & 1));
	h.loc = 0x80000000ull + serial * 8;
	h.since = serial;
	return h;
}

/* The counts of kinds (tlb.h, struct held_kinds) of r's entries,
 * worked out from scratch. */
static struct held_kinds ref_kinds(const struct ref *r)
{
	struct held_kinds k;

	memset(&k, 0, sizeof(k));
	for (unsigned i = 0; i < r->n; i++) {
		const struct held *h = &r->e[i];
		bool s1_leaf = h->tag.stage == VMSA_TLB_S1 && h->tag.leaf;
		unsigned b = held_level_bucket(h->tag.level);

		if (h->any_va)
			k.s12[b]++;
		else if (!s1_leaf)
			k.walk[b]++;
		k.s1_leaf += s1_leaf;
		k.cont += !!(h->desc & VMSA_D_CONT);
	}
	return k;
}

/* s and r hold the same entries, every field, in the same order, with
 * the same counts of kinds; every key of the space is found at the same
 * place. */
static bool agree(struct held_set *s, const struct ref *r, unsigned keys)
{
	struct held_kinds k = ref_kinds(r);

	if (s->n != r->n || memcmp(&k, &s->kinds, sizeof(k)))
		return false;
	for (unsigned i = 0; i < r->n; i++)
		if (!same_key(&s->p[i], &r->e[i]) ||
		    s->p[i].loc != r->e[i].loc ||
		    s->p[i].since != r->e[i].since)
			return false;
	for (unsigned i = 0; i < 64; i++) {
		struct held h = entry(keys, 0);

		if (held_find(s, &h) != ref_find(r, &h))
			return false;
	}
	return true;
}

/* Remove a random subset in place, as barrier.c's apply() does. */
static void remove_some(struct held_set *s, struct ref *r, unsigned one_in)
{
	unsigned k = 0;

	for (unsigned i = 0; i < r->n; i++) {
		if (rnd(one_in) == 0)
			continue;
		s->p[k] = s->p[i];
		r->e[k++] = r->e[i];
	}
	held_truncate(s, k);
	r->n = k;
}

static void add(struct held_set *s, struct ref *r, unsigned keys,
		uint64_t serial)
{
	struct held h = entry(keys, serial);

	CHECK_EQ(held_add(s, &h), 0);
	if (ref_find(r, &h) < 0)
		r->e[r->n++] = h;	/* at most 1 << 15 keys */
}

/* Rounds of adds (reaching past several doublings of the index) with a
 * removal, a clear or a reset's keeping of the memory (machine.c's
 * cpu_init) between them. */
static void run(unsigned keys, unsigned rounds)
{
	static struct ref r;
	struct held_set s;
	bool ok = true;

	memset(&s, 0, sizeof(s));
	r.n = 0;
	for (unsigned round = 0; round < rounds && ok; round++) {
		unsigned adds = rnd(4) == 0 ? rnd(8) : rnd(600);

		for (unsigned i = 0; i < adds; i++)
			add(&s, &r, keys, (uint64_t)round * 1000 + i);
		ok = agree(&s, &r, keys);
		switch (rnd(5)) {
		case 0:
			held_clear(&s);
			r.n = 0;
			break;
		case 1: {
			/* As machine.c's cpu_init: the memory kept, the
			 * rest of the set zeroed. */
			struct held_mem keep = held_mem_of(&s);

			memset(&s, 0, sizeof(s));
			held_mem_give(&s, keep);
			r.n = 0;
			break;
		}
		case 2:
			remove_some(&s, &r, 1 + rnd(8));
			break;
		case 3:
			/* Keeps everything: the index stays. */
			held_truncate(&s, s.n);
			break;
		default:
			break;
		}
		ok = ok && agree(&s, &r, keys);
	}
	CHECK(ok);
	held_destroy(&s);
	CHECK(s.p == NULL && s.slot == NULL && s.n == 0);
}

TEST(held_index_agrees_with_search_many_keys)
{
	run(1u << 15, 300);
}

TEST(held_index_agrees_with_search_few_keys)
{
	/* Mostly duplicates: sets that hover around HELD_INDEX_MIN. */
	run(24, 400);
}

TEST(held_index_small_set_then_indexed)
{
	struct held_set s;
	struct held h[HELD_INDEX_MIN + 2];

	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < HELD_INDEX_MIN + 2; i++) {
		memset(&h[i], 0, sizeof(h[i]));
		h[i].desc = 0x703 + 0x1000ull * i;
		h[i].tag.size = 4096;
		h[i].tag.ia = 4096ull * i;
		CHECK_EQ(held_add(&s, &h[i]), 0);
		/* No index below HELD_INDEX_MIN entries; one from the add
		 * after the set reached it. */
		CHECK_EQ(s.idx_ok, i >= HELD_INDEX_MIN);
	}
	CHECK_EQ(s.n, HELD_INDEX_MIN + 2);
	/* A duplicate with another location is not added. */
	h[3].loc = 0x1234;
	CHECK_EQ(held_add(&s, &h[3]), 0);
	CHECK_EQ(s.n, HELD_INDEX_MIN + 2);
	CHECK_EQ(s.p[3].loc, 0);
	CHECK_EQ(held_find(&s, &h[HELD_INDEX_MIN + 1]), (int)HELD_INDEX_MIN + 1);
	/* A removal drops the index; a search rebuilds it. */
	s.p[3] = s.p[HELD_INDEX_MIN + 1];
	held_truncate(&s, HELD_INDEX_MIN + 1);
	CHECK(!s.idx_ok);
	CHECK_EQ(held_find(&s, &h[HELD_INDEX_MIN + 1]), 3);
	CHECK(s.idx_ok);
	CHECK_EQ(held_find(&s, &h[3]), -1);
	held_destroy(&s);
}

/* The counts of kinds that let walks skip a set (tlb.h): each kind where
 * the scans look for it, and none left by a clear or a removal. */
TEST(held_kinds_by_kind_and_level)
{
	struct held_set s;
	struct held h;
	unsigned b2 = held_level_bucket(2), b3 = held_level_bucket(3);

	memset(&s, 0, sizeof(s));
	memset(&h, 0, sizeof(h));
	h.tag.stage = VMSA_TLB_S2;
	h.tag.level = 3;
	h.tag.size = 4096;
	h.desc = 0x40000703;
	CHECK_EQ(held_add(&s, &h), 0);
	h.any_va = true;		/* its combined copy */
	h.tag.stage = VMSA_TLB_S12;
	CHECK_EQ(held_add(&s, &h), 0);
	h.any_va = false;		/* a stage-1 leaf, Contiguous */
	h.tag.stage = VMSA_TLB_S1;
	h.tag.leaf = true;
	h.desc |= VMSA_D_CONT;
	CHECK_EQ(held_add(&s, &h), 0);
	h.tag.leaf = false;		/* a stage-1 table entry at level 2 */
	h.tag.level = 2;
	h.desc = 0x40001003;
	CHECK_EQ(held_add(&s, &h), 0);
	CHECK_EQ(held_add(&s, &h), 0);	/* a duplicate: not counted */
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.kinds.walk[b3], 1);
	CHECK_EQ(s.kinds.walk[b2], 1);
	CHECK_EQ(s.kinds.s12[b3], 1);
	CHECK_EQ(s.kinds.s12[b2], 0);
	CHECK_EQ(s.kinds.s1_leaf, 1);
	CHECK_EQ(s.kinds.cont, 1);
	CHECK(held_may_hit(&s, 3, false));
	CHECK(held_may_hit(&s, 2, false));
	CHECK(!held_may_hit(&s, 1, true));
	CHECK_EQ(held_level_bucket(7), HELD_LEVELS - 1);
	CHECK(!held_may_hit(&s, 7, true));
	/* Keep the first two (the stage-2 page and its copy). */
	held_truncate(&s, 2);
	CHECK_EQ(s.kinds.walk[b2], 0);
	CHECK_EQ(s.kinds.s1_leaf, 0);
	CHECK_EQ(s.kinds.cont, 0);
	CHECK(held_may_hit(&s, 3, false));
	CHECK(!held_may_hit(&s, 2, true));
	/* Only the combined copy is left: a final stage-2 lookup only. */
	s.p[0] = s.p[1];
	held_truncate(&s, 1);
	CHECK(!held_may_hit(&s, 3, false));
	CHECK(held_may_hit(&s, 3, true));
	held_clear(&s);
	CHECK(!held_may_hit(&s, 3, true));
	CHECK_EQ(s.kinds.s12[b3], 0);
	held_destroy(&s);
}
