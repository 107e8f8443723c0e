/*
 * vmsa_bbm_same_mapping() and vmsa_bbm_same_mapping_table() (src/arch/
 * bbm.c): the FEAT_BBM level-2 fast test the model uses for block splits
 * and collapses (RKFLJB). Exact cases, and on random pairs the promise
 * that vmsa_bbm_check() at level 2 never asks for a break when it says
 * "same mapping".
 */
#include "harness.h"
#include "vmsa/arch.h"
#include "arch/bbm_int.h"

#define K4 VMSA_GRANULE_4K
#define K16 VMSA_GRANULE_16K
#define K64 VMSA_GRANULE_64K

static uint64_t s1(vmsa_pa_t oa, int level, vmsa_granule_t g)
{
	return vmsa_desc_make_s1_leaf(oa, level, g, 1, VMSA_AP_RW_EL1,
				      VMSA_SH_ISH, true);
}

static bool same(uint64_t od, int ol, uint64_t oia, uint64_t nd, int nl,
		 uint64_t nia, vmsa_granule_t g)
{
	vmsa_bbm_entry_t o = {od, ol, oia}, n = {nd, nl, nia};

	return vmsa_bbm_same_mapping(&o, &n, g);
}

static vmsa_bbm_verdict_t verdict2(uint64_t od, int ol, uint64_t oia,
				   uint64_t nd, int nl, uint64_t nia,
				   vmsa_stage_t st, vmsa_granule_t g)
{
	vmsa_bbm_entry_t o = {od, ol, oia}, n = {nd, nl, nia};
	vmsa_bbm_features_t f = {2, true};

	return vmsa_bbm_check(&o, &n, st, g, &f, 0).verdict;
}

TEST(bbm_same_mapping_split_and_collapse)
{
	uint64_t blk = s1(0x40200000, 2, K4);

	/* Every page of the block, both ways. */
	CHECK(same(blk, 2, 0, s1(0x40200000, 3, K4), 3, 0, K4));
	CHECK(same(blk, 2, 0, s1(0x40201000, 3, K4), 3, 0x1000, K4));
	CHECK(same(blk, 2, 0, s1(0x403ff000, 3, K4), 3, 0x1ff000, K4));
	CHECK(same(s1(0x40201000, 3, K4), 3, 0x1000, blk, 2, 0, K4));
	/* An input address inside the entry counts as its first byte. */
	CHECK(same(blk, 2, 0x1234, s1(0x40201000, 3, K4), 3, 0x1000, K4));
	/* Contiguous and nT are size, not mapping. */
	CHECK(same(blk | VMSA_D_NT, 2, 0, s1(0x40201000, 3, K4) | VMSA_D_CONT,
		   3, 0x1000, K4));
	/* Same level, only Contiguous differs. */
	CHECK(same(blk, 2, 0, blk | VMSA_D_CONT, 2, 0, K4));
	/* 64K granule: a 512M block and a 64K page inside it. */
	CHECK(same(s1(0x60000000, 2, K64), 2, 0x20000000,
		   s1(0x60010000, 3, K64), 3, 0x20010000, K64));
	/* 16K: 32M block and a page. */
	CHECK(same(s1(0x42000000, 2, K16), 2, 0x2000000,
		   s1(0x42004000, 3, K16), 3, 0x2004000, K16));
}

TEST(bbm_same_mapping_refuses_differences)
{
	uint64_t blk = s1(0x40200000, 2, K4);
	uint64_t pg = s1(0x40201000, 3, K4);

	/* Another output address. */
	CHECK(!same(blk, 2, 0, s1(0x40202000, 3, K4), 3, 0x1000, K4));
	/* Disjoint input ranges. */
	CHECK(!same(blk, 2, 0, s1(0x40201000, 3, K4), 3, 0x201000, K4));
	/* Any attribute, permission, flag or software bit. */
	CHECK(!same(blk, 2, 0, pg | VMSA_D_NG, 3, 0x1000, K4));
	CHECK(!same(blk, 2, 0, pg & ~VMSA_D_AF, 3, 0x1000, K4));
	CHECK(!same(blk, 2, 0, pg | (1ull << 7), 3, 0x1000, K4)); /* AP[2] */
	CHECK(!same(blk, 2, 0, pg | (1ull << 55), 3, 0x1000, K4)); /* sw */
	CHECK(!same(blk, 2, 0, s1(0x40201000, 3, K4) ^ (1ull << 2), 3, 0x1000,
		    K4)); /* AttrIndx */
	/* A RES0 bit under the block's output address: vmsa_bbm_check()
	 * calls it a change of an undecoded bit, which needs a break. */
	CHECK(!same(blk | (1ull << 13), 2, 0, pg | (1ull << 13), 3, 0x1000,
		    K4));
	CHECK_EQ(verdict2(blk | (1ull << 13), 2, 0, pg | (1ull << 13), 3,
			  0x1000, VMSA_STAGE1, K4),
		 VMSA_BBM_BREAK);
	/* Not a leaf: invalid, table, reserved. */
	CHECK(!same(blk, 2, 0, 0, 3, 0x1000, K4));
	CHECK(!same(blk, 2, 0, vmsa_desc_make_table(0x40201000, K4), 2, 0, K4));
	CHECK(!same(pg & ~VMSA_D_TYPE, 3, 0x1000, blk, 2, 0, K4));
	CHECK(!same(s1(0x40000000, 1, K16) & ~VMSA_D_TYPE, 1, 0,
		    s1(0x40000000, 3, K16), 3, 0, K16)); /* no 16K L1 block */
}

/* TTBR1 addresses compare canonical: a tagged input address meets its
 * untagged form. */
TEST(bbm_same_mapping_ttbr1_tagged)
{
	uint64_t blk = s1(0x40200000, 2, K4);

	CHECK(same(blk, 2, 0xffffffffffe00000ull, s1(0x40201000, 3, K4), 3,
		   0x00ffffffffe01000ull, K4));
	CHECK(same(blk, 2, 0x5a00000000200000ull, s1(0x40201000, 3, K4), 3,
		   0x0000000000201000ull, K4));
}

TEST(bbm_same_mapping_table)
{
	uint64_t blk = s1(0x40200000, 2, K4), t[512];
	vmsa_bbm_entry_t o = {blk, 2, 0x200000};
	vmsa_bbm_entry_t top = {blk, 2, 0xffffffffffe00000ull};
	vmsa_bbm_entry_t pg = {s1(0x40203000, 3, K4), 3, 0x203000};

	for (unsigned i = 0; i < 512; i++)
		t[i] = s1(0x40200000 + 0x1000ull * i, 3, K4);
	CHECK(vmsa_bbm_same_mapping_table(&o, t, 512, 3, 0x200000, K4));
	/* At the top of the address space (no wrap). */
	CHECK(vmsa_bbm_same_mapping_table(&top, t, 512, 3,
					  0xffffffffffe00000ull, K4));
	/* Invalid entries are no mapping. */
	t[7] = 0;
	CHECK(vmsa_bbm_same_mapping_table(&o, t, 512, 3, 0x200000, K4));
	t[7] = s1(0x40300000, 3, K4);
	CHECK(!vmsa_bbm_same_mapping_table(&o, t, 512, 3, 0x200000, K4));
	CHECK(!vmsa_bbm_same_mapping_table(&top, t, 512, 3,
					   0xffffffffffe00000ull, K4));
	/* A held page meets one entry only: the others do not matter. */
	CHECK(vmsa_bbm_same_mapping_table(&pg, t, 512, 3, 0x200000, K4));
	t[3] = s1(0x40303000, 3, K4);
	CHECK(!vmsa_bbm_same_mapping_table(&pg, t, 512, 3, 0x200000, K4));
	/* A table elsewhere: nothing overlaps. */
	CHECK(vmsa_bbm_same_mapping_table(&o, t, 512, 3, 0x400000, K4));
	CHECK(vmsa_bbm_same_mapping_table(&o, t, 0, 3, 0x200000, K4));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* Do the aligned ranges [a, a + as) and [b, b + bs) meet? (No wrap:
 * both end at or below the top of the address space.) */
static bool range_meets(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a <= b + (bs - 1) && b <= a + (as - 1);
}

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random pairs built to be mostly the same mapping, with a random bit
 * flipped in a third of them: whenever vmsa_bbm_same_mapping() says yes,
 * vmsa_bbm_check() at FEAT_BBM level 2 must not say break (the model
 * skips the full rule on that answer).
 */
TEST(bbm_same_mapping_never_hides_a_break)
{
	static const vmsa_granule_t gs[] = {K4, K16, K64};
	unsigned yes = 0;

	for (unsigned n = 0; n < 20000; n++) {
		vmsa_granule_t g = gs[rnd() % 3];
		vmsa_stage_t st = rnd() & 1 ? VMSA_STAGE1 : VMSA_STAGE2;
		int ol = 1 + (int)(rnd() % 3), nl = 1 + (int)(rnd() % 3);
		uint64_t osz, nsz, oia, nia, oa, attrs, od, nd;

		if (!vmsa_block_allowed(g, ol) && ol != 3)
			ol = 3;
		if (!vmsa_block_allowed(g, nl) && nl != 3)
			nl = 3;
		osz = vmsa_level_size(g, ol);
		nsz = vmsa_level_size(g, nl);
		/* Attributes: any bits outside the address and [1:0]. */
		attrs = rnd() & ~(vmsa_oa_mask(0) | 3ull);
		attrs |= rnd() & 0xffcull; /* low attributes, 64K LPA bits */
		oia = (rnd() & 0x0000ffffffffffffull) & ~(osz - 1);
		nia = oia + ((rnd() % 4 == 0 ? 1 : 0) * osz) +
		      (rnd() & (osz - 1) & ~(nsz - 1));
		oa = (rnd() & 0x0000ffffffffffffull) & ~(osz > nsz ? osz - 1 : nsz - 1);
		od = (attrs & ~vmsa_desc_oa_mask(g, ol)) | oa |
		     (ol == 3 ? 3 : 1);
		nd = (attrs & ~vmsa_desc_oa_mask(g, nl)) |
		     (oa + (nia > oia ? nia - oia : 0)) | (nl == 3 ? 3 : 1);
		if (rnd() % 3 == 0)
			nd ^= 1ull << (rnd() % 64);
		if (!same(od, ol, oia, nd, nl, nia, g))
			continue;
		yes++;
		CHECK_NE(verdict2(od, ol, oia, nd, nl, nia, st, g),
			 VMSA_BBM_BREAK);
	}
	/* The generator must give both answers often. */
	CHECK(yes > 2000);
	CHECK(yes < 19000);
}

/*
 * vmsa_bbm_same_mapping_table() gives, on random tables, exactly the
 * answer of vmsa_bbm_same_mapping() asked entry by entry for the valid
 * entries (its fast loop for entries no larger than the old one is a
 * specialisation of that test): tables that map an old block or page
 * the same way, with random bits flipped in a few entries, some entries
 * invalid, tables and old entries at random places (TTBR1 included).
 */
TEST(bbm_same_mapping_table_entry_by_entry)
{
	static const vmsa_granule_t gs[] = {K4, K16, K64};
	static uint64_t t[8192];
	unsigned agree_yes = 0, agree_no = 0;

	for (unsigned round = 0; round < 3000; round++) {
		vmsa_granule_t g = gs[rnd() % 3];
		unsigned entries = 1u << vmsa_granule_stride(g);
		int level = 2 + (int)(rnd() % 2);	/* the table's */
		int ol = 1 + (int)(rnd() % 3);		/* old's */
		uint64_t nsz = vmsa_level_size(g, level);
		uint64_t osz = vmsa_level_size(g, ol);
		uint64_t span = nsz * entries;
		bool top = rnd() % 4 == 0;
		uint64_t tia = (rnd() % 8) * span, oia, oa, od;
		vmsa_bbm_entry_t o;
		bool want = true, got;

		if (top)
			tia |= 0xffff000000000000ull;
		/* Old starts in or near the table's range. */
		oia = (tia + (rnd() % (2 * span))) & ~(osz - 1);
		oa = 0x40000000000ull + (rnd() % 64) * osz;
		od = ol == 3 ? vmsa_desc_make_s1_leaf(oa, 3, g, 1,
						      VMSA_AP_RW_EL1,
						      VMSA_SH_ISH, true)
			     : vmsa_desc_make_s1_leaf(oa, ol, g, 1,
						      VMSA_AP_RW_EL1,
						      VMSA_SH_ISH, true);
		if (rnd() % 8 == 0)
			od &= ~VMSA_D_VALID;
		if (rnd() % 8 == 0)
			od ^= VMSA_D_TYPE;
		for (unsigned i = 0; i < entries; i++) {
			uint64_t ia = tia + i * nsz;

			/* What old maps there, or anything. */
			t[i] = vmsa_desc_make_s1_leaf(
				(oa + (ia - oia)) & ~(nsz - 1) & 0xffffffffff000ull,
				level, g, 1, VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
			if (rnd() % 4 == 0)
				t[i] = 0;
			else if (rnd() % 1000 == 0)
				t[i] ^= 1ull << (rnd() % 64);
		}
		o = (vmsa_bbm_entry_t){od, ol, oia};
		for (unsigned i = 0; i < entries; i++) {
			vmsa_bbm_entry_t n = {t[i], level, tia + i * nsz};

			if (!(t[i] & VMSA_D_VALID) ||
			    !range_meets(oia, osz, tia + i * nsz, nsz))
				continue;
			if (!vmsa_bbm_same_mapping(&o, &n, g)) {
				want = false;
				break;
			}
		}
		got = vmsa_bbm_same_mapping_table(&o, t, entries, level, tia, g);
		CHECK_MSG(got == want, "round %u: table says %d, entries %d",
			  round, got, want);
		if (want)
			agree_yes++;
		else
			agree_no++;
	}
	/* Both answers were exercised. */
	CHECK(agree_yes > 300);
	CHECK(agree_no > 300);
}

/* The constant table of sides vmsa_bbm_same_mapping() uses equals the
 * sides computed from the geometry functions, at every granule and
 * level. */
TEST(bbm_same_sides_table)
{
	CHECK_EQ(bbm_same_sides_check(), 0);
}
