/*
 * tests/model/test_bbm_memo.c - the memo of vmsa_bbm_check() answers
 * (src/model/bbm_memo.c): asked for argument lists drawn from small pools,
 * so that the same lists come back (hits), lists that differ in one
 * argument alone meet (each argument must be part of the key) and sets
 * overflow (replacement), it gives exactly vmsa_bbm_check()'s answer,
 * every field of it, every time.
 */
#include "../harness.h"

#include "model/bbm_memo.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* A descriptor from a small pool: a few output addresses and attribute
 * sets, bits [1:0] of a block, page or table whatever the level (so that
 * lists that differ only in a level meet), now and then invalid. */
static uint64_t desc(void)
{
	static const uint64_t attrs[] = {
		0x400, 0x440, 0x404, 0x20000000000400ull, 0x10000000000400ull,
	};
	uint64_t oa = 0x40000000ull + (uint64_t)rnd(3) * 0x200000;
	uint64_t d = oa | attrs[rnd(5)] | (rnd(2) ? 3 : 1);

	if (rnd(6) == 0)
		d |= VMSA_D_CONT;
	if (rnd(10) == 0)
		d = 0;
	return d;
}

/* An input address: one of a few blocks, and a page in it. */
static uint64_t ia(void)
{
	return ((uint64_t)rnd(3) << 21) + ((uint64_t)rnd(3) << 12);
}

static bool same_result(const vmsa_bbm_result_t *a, const vmsa_bbm_result_t *b)
{
	return a->verdict == b->verdict && a->changes == b->changes &&
	       a->rule == b->rule && a->reason == b->reason &&
	       a->may_conflict_abort == b->may_conflict_abort;
}

TEST(bbm_memo_gives_vmsa_bbm_check_answers)
{
	struct bbm_memo *memo = NULL;
	unsigned bad = 0, breaks = 0, nones = 0;

	for (unsigned i = 0; i < 200000; i++) {
		int ol = 2 + (int)rnd(2), nl = 2 + (int)rnd(2);
		vmsa_bbm_entry_t o = {desc(), ol, ia()};
		vmsa_bbm_entry_t n = {desc(), nl, ia()};
		vmsa_stage_t st = rnd(2) ? VMSA_STAGE1 : VMSA_STAGE2;
		vmsa_granule_t g = VMSA_GRANULE_4K;
		vmsa_bbm_features_t f = {rnd(3), rnd(2) != 0};
		unsigned flags = rnd(2) ? VMSA_BBM_SAME_CONTENTS : 0;
		vmsa_bbm_result_t want = vmsa_bbm_check(&o, &n, st, g, &f,
							flags);
		vmsa_bbm_result_t got = bbm_check_memo(&memo, &o, &n, st, g,
						       &f, flags);

		if (!same_result(&want, &got))
			bad++;
		breaks += want.verdict == VMSA_BBM_BREAK;
		nones += want.verdict == VMSA_BBM_NONE;
	}
	CHECK_EQ(bad, 0);
	/* The pools give every kind of answer. */
	CHECK(breaks > 10000);
	CHECK(nones > 10000);
	bbm_memo_free(memo);
}

/* Levels too far out to pack into the key are answered, not remembered. */
TEST(bbm_memo_odd_levels)
{
	struct bbm_memo *memo = NULL;
	vmsa_bbm_features_t f = {2, false};
	vmsa_bbm_entry_t o = {0x40000403ull, 300, 0};
	vmsa_bbm_entry_t n = {0x40001403ull, 3, 0};

	for (int k = 0; k < 2; k++) {
		vmsa_bbm_result_t want = vmsa_bbm_check(
			&o, &n, VMSA_STAGE1, VMSA_GRANULE_4K, &f, 0);
		vmsa_bbm_result_t got = bbm_check_memo(
			&memo, &o, &n, VMSA_STAGE1, VMSA_GRANULE_4K, &f, 0);

		CHECK(same_result(&want, &got));
	}
	CHECK(memo == NULL);
	o.level = 3;
	(void)bbm_check_memo(&memo, &o, &n, VMSA_STAGE1, VMSA_GRANULE_4K,
			     &f, 0);
	CHECK(memo != NULL);
	bbm_memo_free(memo);
}

/* A descriptor from a pool of 4096: 256 output addresses times 16
 * attribute sets, so that answers differ from one to the next. */
static uint64_t wide_desc(void)
{
	uint64_t oa = 0x40000000ull + (uint64_t)rnd(256) * 0x1000;
	unsigned a = rnd(16);

	return oa | 3 | 0x400 | (uint64_t)(a & 7) << 2 |
	       (uint64_t)(a >> 3) << 53;
}

/*
 * One descriptor from a pool of 4096, the other from a pool of 2, all
 * else fixed: the 4096 x 2 lists crowd the 1024 sets, so a set often
 * holds a list that differs from the one asked only in the crowded
 * descriptor, which must then not be taken for it.
 */
TEST(bbm_memo_crowded_sets)
{
	vmsa_bbm_features_t f = {0, true};
	unsigned bad = 0;

	for (unsigned side = 0; side < 2; side++) {
		struct bbm_memo *memo = NULL;

		for (unsigned i = 0; i < 100000; i++) {
			uint64_t few = 0x40000403ull | (uint64_t)rnd(2) << 12;
			vmsa_bbm_entry_t o = {side ? few : wide_desc(), 3, 0};
			vmsa_bbm_entry_t n = {side ? wide_desc() : few, 3, 0};
			vmsa_bbm_result_t want = vmsa_bbm_check(
				&o, &n, VMSA_STAGE1, VMSA_GRANULE_4K, &f, 0);
			vmsa_bbm_result_t got = bbm_check_memo(
				&memo, &o, &n, VMSA_STAGE1, VMSA_GRANULE_4K,
				&f, 0);

			bad += !same_result(&want, &got);
		}
		bbm_memo_free(memo);
	}
	CHECK_EQ(bad, 0);
}
