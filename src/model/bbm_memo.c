/*
 * src/model/bbm_memo.c - remembered answers of vmsa_bbm_check(); see
 * bbm_memo.h.
 */
#include <stdlib.h>

#include "bbm_memo.h"

/* Slots of the table: a fold of 16 contiguous entries against what two
 * CPUs hold asks a few hundred pairs per execution. */
#define BBM_MEMO_SLOTS 2048u

struct bbm_key {
	uint64_t od, oia, nd, nia;
	uint64_t small;		/* levels, stage, granule, features, flags;
				   bit 63 set: the slot is in use */
};

struct bbm_slot {
	struct bbm_key k;
	vmsa_bbm_result_t r;
};

struct bbm_memo {
	struct bbm_slot slot[BBM_MEMO_SLOTS];
};

/* Every argument but the four 64-bit ones, packed: each field is taken
 * whole (levels and the others as their low bits, after checking they
 * fit), so two argument lists with one key are equal. */
static bool pack(const vmsa_bbm_entry_t *old, const vmsa_bbm_entry_t *new_,
		 vmsa_stage_t stage, vmsa_granule_t g,
		 const vmsa_bbm_features_t *f, unsigned flags, uint64_t *out)
{
	uint64_t ol = (uint64_t)(old->level + 8), nl = (uint64_t)(new_->level + 8);

	if (ol > 0xff || nl > 0xff || (unsigned)stage > 0xff ||
	    (unsigned)g > 0xff || f->level > 0xff || flags > 0xffff)
		return false;
	*out = 1ull << 63 | ol | nl << 8 | (uint64_t)stage << 16 |
	       (uint64_t)g << 24 | (uint64_t)f->level << 32 |
	       (uint64_t)f->level2_may_abort << 40 | (uint64_t)flags << 41;
	return true;
}

/*
 * The set of a key: a hash of the descriptors and the small fields. The
 * input addresses are left out: the pairs a store asks about differ in
 * their descriptors anyway, and keys that differ only in an address then
 * share a set, where test_bbm_memo.c sees that the addresses are
 * compared.
 */
static unsigned set_of(const struct bbm_key *k)
{
	/* Each word multiplied and folded in turn (the pairs of a store
	 * differ in few bits, often the same ones in both descriptors),
	 * then the high bits taken. */
	uint64_t h = k->small;

	h = (h ^ k->od) * 0x9e3779b97f4a7c15ull;
	h = (h ^ h >> 29 ^ k->nd) * 0xc2b2ae3d27d4eb4full;
	h = (h ^ h >> 29) * 0x165667b19e3779f9ull;
	return (unsigned)(h >> 32) & (BBM_MEMO_SLOTS / 2 - 1);
}

static bool same_key(const struct bbm_key *a, const struct bbm_key *b)
{
	return a->od == b->od && a->oia == b->oia && a->nd == b->nd &&
	       a->nia == b->nia && a->small == b->small;
}

vmsa_bbm_result_t bbm_check_memo(struct bbm_memo **memo,
				 const vmsa_bbm_entry_t *old,
				 const vmsa_bbm_entry_t *new_,
				 vmsa_stage_t stage, vmsa_granule_t g,
				 const vmsa_bbm_features_t *f, unsigned flags)
{
	struct bbm_key k = {old->desc, old->ia, new_->desc, new_->ia, 0};
	struct bbm_slot *s;

	if (!pack(old, new_, stage, g, f, flags, &k.small))
		return vmsa_bbm_check(old, new_, stage, g, f, flags);
	if (!*memo)
		*memo = calloc(1, sizeof(**memo));
	if (!*memo)
		return vmsa_bbm_check(old, new_, stage, g, f, flags);
	/* Two ways: the newer pair of a set in its even slot, the older
	 * one in the odd slot; a third pair pushes the older one out. */
	s = &(*memo)->slot[2 * set_of(&k)];
	if (same_key(&s[0].k, &k))
		return s[0].r;
	if (same_key(&s[1].k, &k))
		return s[1].r;
	s[1] = s[0];
	s[0].r = vmsa_bbm_check(old, new_, stage, g, f, flags);
	s[0].k = k;
	return s[0].r;
}

void bbm_memo_free(struct bbm_memo *memo)
{
	free(memo);
}
