/*
 * tests/arch/test_walk.c - one stage-1 walk (src/arch/walk.c): granules,
 * start levels, blocks, pages, contiguous entries, the input address
 * range (TTBR0/TTBR1, TBI, EPD) and every fault kind with its level and
 * fault status code.
 *
 * Tables are built by hand in test_walk_sim.h's memory; expected values
 * are worked out from the manual's index ranges (D8.2.8 - D8.2.10).
 */
#include "test_walk_sim.h"

/* ------------------------------------------------------------------ */
/* 4K granule                                                          */
/* ------------------------------------------------------------------ */

/* A 48-bit VA through all four levels: every read, in order, and the
 * whole leaf. */
TEST(walk_4k_l0_page)
{
	const uint64_t va = 0x123456789abcull;
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				    0x10000, 0x20000);
	uint64_t page = s1_leaf(0x40000000, 3, AP_RW_EL1, 0);
	vmsa_walk_t w;
	char buf[160];

	sim_reset();
	sim_set(slot(0x10000, va, 39, 9), d_table(0x11000));
	sim_set(slot(0x11000, va, 30, 9), d_table(0x12000));
	sim_set(slot(0x12000, va, 21, 9), d_table(0x13000));
	sim_set(slot(0x13000, va, 12, 9), page);

	CHECK(walk1(&c, va, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.fault.kind, VMSA_FAULT_NONE);
	CHECK_EQ(w.ia, va);
	CHECK_EQ(w.pa, 0x40000abcull);
	CHECK_EQ(w.ipa, 0x40000abcull);
	CHECK(w.leaf[0].present);
	CHECK(!w.leaf[1].present);
	CHECK_EQ(w.leaf[0].level, 3);
	CHECK_EQ(w.leaf[0].size, 0x1000);
	CHECK_EQ(w.leaf[0].desc, page);
	CHECK_EQ(w.leaf[0].desc_pa, slot(0x13000, va, 12, 9));
	CHECK_EQ(w.leaf[0].ia, 0x123456789000ull);
	CHECK_EQ(w.leaf[0].oa, 0x40000000ull);
	CHECK_EQ(w.asid, 42);
	CHECK(!w.ng);
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_WB);
	CHECK_EQ(w.attr.sh, VMSA_SH_ISH);
	CHECK_PERMS(w.perms, 1, 1, 1, 0, 0, 1);

	CHECK_EQ(w.n_reads, 4);
	CHECK_EQ(sim.n_reads, 4);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 0, slot(0x10000, va, 39, 9), false);
	CHECK_STEP(&w, 1, VMSA_STAGE1, 1, slot(0x11000, va, 30, 9), false);
	CHECK_STEP(&w, 2, VMSA_STAGE1, 2, slot(0x12000, va, 21, 9), false);
	CHECK_STEP(&w, 3, VMSA_STAGE1, 3, slot(0x13000, va, 12, 9), false);
	CHECK_EQ(w.reads[0].value, d_table(0x11000));
	CHECK_EQ(w.reads[3].value, page);
	/* What the reader was told. */
	CHECK_EQ(sim.seen[2].stage, VMSA_STAGE1);
	CHECK_EQ(sim.seen[2].level, 2);
	CHECK_EQ(sim.seen[2].ia, va);
	CHECK(!sim.seen[2].s1ptw);

	vmsa_walk_format(buf, sizeof(buf), &w);
	CHECK_STR(buf, "va 0x123456789abc -> pa 0x40000abc L3 4K NormalWB ISH "
		       "r w x el0 - - x");
}

/* 1GB block at level 1 and 2MB block at level 2 (Table D8-17). */
TEST(walk_4k_blocks)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				    0x10000, 0x20000);
	const uint64_t va1 = 0x80123456ull, va2 = 0xc0654321ull;
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, d_table(0x11000));
	sim_set(slot(0x11000, va1, 30, 9), s1_leaf(0x140000000ull, 1, AP_RW_EL1, 0));
	sim_set(slot(0x11000, va2, 30, 9), d_table(0x12000));
	sim_set(slot(0x12000, va2, 21, 9), s1_leaf(0x7fe00000, 2, AP_RW_EL1, 0));

	CHECK(walk1(&c, va1, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x140123456ull);
	CHECK_EQ(w.leaf[0].level, 1);
	CHECK_EQ(w.leaf[0].size, 1ull << 30);
	CHECK_EQ(w.leaf[0].ia, 0x80000000ull);
	CHECK_EQ(w.leaf[0].oa, 0x140000000ull);
	CHECK_EQ(w.n_reads, 2);

	CHECK(walk1(&c, va2, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x7fe54321ull);
	CHECK_EQ(w.leaf[0].level, 2);
	CHECK_EQ(w.leaf[0].size, 2ull << 20);
	CHECK_EQ(w.leaf[0].ia, 0xc0600000ull);
	CHECK_EQ(w.n_reads, 3);
}

/* Start level 1 (T0SZ 25, 39-bit VA) and level 2 (T0SZ 34, 30 bits). */
TEST(walk_4k_start_levels_1_2)
{
	vmsa_stage_cfg_t c1 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1,
				     0x10000, 0x20000);
	vmsa_stage_cfg_t c2 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 30, 2,
				     0x30000, 0x20000);
	const uint64_t va1 = 0x4020304567ull, va2 = 0x3fe05123ull;
	vmsa_walk_t w;

	sim_reset();
	sim_set(slot(0x10000, va1, 30, 9), d_table(0x11000));
	sim_set(slot(0x11000, va1, 21, 9), d_table(0x12000));
	sim_set(slot(0x12000, va1, 12, 9), s1_leaf(0x55555000, 3, AP_RW_EL1, 0));
	sim_set(slot(0x30000, va2, 21, 9), d_table(0x31000));
	sim_set(slot(0x31000, va2, 12, 9), s1_leaf(0x66666000, 3, AP_RW_EL1, 0));

	CHECK(walk1(&c1, va1, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x55555567ull);
	CHECK_EQ(w.n_reads, 3);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 1, slot(0x10000, va1, 30, 9), false);
	CHECK_STEP(&w, 2, VMSA_STAGE1, 3, slot(0x12000, va1, 12, 9), false);

	CHECK(walk1(&c2, va2, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x66666123ull);
	CHECK_EQ(w.n_reads, 2);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 2, slot(0x30000, va2, 21, 9), false);
}

/* The Contiguous bit does not change the walk: the leaf keeps the bit,
 * its size is the page size, and each page translates on its own. */
TEST(walk_4k_contiguous)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 30, 2,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, d_table(0x11000));
	for (unsigned i = 0; i < 16; i++)
		sim_set(0x11000 + 8 * i,
			s1_leaf(0x40010000 + 0x1000 * i, 3, AP_RW_EL1, D_CONT));

	CHECK(walk1(&c, 0x5678, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40015678ull);
	CHECK_EQ(w.leaf[0].size, 0x1000);
	CHECK_EQ(w.leaf[0].ia, 0x5000);
	CHECK_EQ(w.leaf[0].oa, 0x40015000ull);
	CHECK(w.leaf[0].desc & D_CONT);
	CHECK_EQ(w.leaf[0].desc_pa, 0x11028);
}

/* ------------------------------------------------------------------ */
/* 16K granule: levels resolve [47], [46:36], [35:25], [24:14]         */
/* ------------------------------------------------------------------ */

TEST(walk_16k_start_level_0)
{
	const uint64_t va = 0x812345678abcull;
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_16K, 48, 0,
				    0x20000, 0x70000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x20008, d_table(0x24000)); /* VA[47] = 1: entry 1 */
	sim_set(slot(0x24000, va, 36, 11), d_table(0x28000));
	sim_set(slot(0x28000, va, 25, 11), d_table(0x2c000));
	sim_set(slot(0x2c000, va, 14, 11), s1_leaf(0x40004000, 3, AP_RW_EL1, 0));

	CHECK(walk1(&c, va, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40004000ull | (va & 0x3fff));
	CHECK_EQ(w.leaf[0].level, 3);
	CHECK_EQ(w.leaf[0].size, 0x4000);
	CHECK_EQ(w.n_reads, 4);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 0, 0x20008, false);
	CHECK_STEP(&w, 1, VMSA_STAGE1, 1, slot(0x24000, va, 36, 11), false);
	CHECK_STEP(&w, 3, VMSA_STAGE1, 3, slot(0x2c000, va, 14, 11), false);
}

/* Start level 1 (47-bit VA) with a 32MB block at level 2. */
TEST(walk_16k_start_level_1_block)
{
	const uint64_t va = 0x5abc1234567ull;
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_16K, 47, 1,
				    0x20000, 0x70000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(slot(0x20000, va, 36, 11), d_table(0x24000));
	sim_set(slot(0x24000, va, 25, 11), s1_leaf(0x42000000, 2, AP_RW_EL1, 0));

	CHECK(walk1(&c, va, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x42000000ull | (va & 0x1ffffff));
	CHECK_EQ(w.leaf[0].level, 2);
	CHECK_EQ(w.leaf[0].size, 32ull << 20);
	CHECK_EQ(w.leaf[0].ia, va & ~0x1ffffffull);
	CHECK_EQ(w.n_reads, 2);
}

/* Start level 2 (36-bit VA) and level 3 (25-bit VA, one read). */
TEST(walk_16k_start_levels_2_3)
{
	vmsa_stage_cfg_t c2 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_16K, 36, 2,
				     0x20000, 0x70000);
	vmsa_stage_cfg_t c3 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_16K, 25, 3,
				     0x30000, 0x70000);
	const uint64_t va2 = 0xabcdef123ull, va3 = 0x1234567ull;
	vmsa_walk_t w;

	sim_reset();
	sim_set(slot(0x20000, va2, 25, 11), d_table(0x24000));
	sim_set(slot(0x24000, va2, 14, 11), s1_leaf(0x40008000, 3, AP_RW_EL1, 0));
	sim_set(slot(0x30000, va3, 14, 11), s1_leaf(0x4000c000, 3, AP_RW_EL1, 0));

	CHECK(walk1(&c2, va2, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40008000ull | (va2 & 0x3fff));
	CHECK_EQ(w.n_reads, 2);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 2, slot(0x20000, va2, 25, 11), false);

	CHECK(walk1(&c3, va3, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x4000c000ull | (va3 & 0x3fff));
	CHECK_EQ(w.n_reads, 1);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 3, slot(0x30000, va3, 14, 11), false);
}

/* ------------------------------------------------------------------ */
/* 64K granule: levels resolve [47:42], [41:29], [28:16]               */
/* ------------------------------------------------------------------ */

/* Start level 1 (48-bit VA, 64 entries) with a 512MB block at level 2. */
TEST(walk_64k_start_level_1_block)
{
	const uint64_t va = 0xfc1234567890ull;
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_64K, 48, 1,
				    0x100000, 0x700000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(slot(0x100000, va, 42, 6), d_table(0x110000));
	sim_set(slot(0x110000, va, 29, 13), s1_leaf(0x60000000, 2, AP_RW_EL1, 0));

	CHECK(walk1(&c, va, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x60000000ull | (va & 0x1fffffff));
	CHECK_EQ(w.leaf[0].level, 2);
	CHECK_EQ(w.leaf[0].size, 512ull << 20);
	CHECK_EQ(w.n_reads, 2);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 1, slot(0x100000, va, 42, 6), false);
}

/* Start level 2 (42-bit VA) to a 64K page; start level 3 (29 bits). */
TEST(walk_64k_start_levels_2_3)
{
	vmsa_stage_cfg_t c2 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_64K, 42, 2,
				     0x100000, 0x700000);
	vmsa_stage_cfg_t c3 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_64K, 29, 3,
				     0x200000, 0x700000);
	const uint64_t va2 = 0x2abcdef1234ull, va3 = 0x1f2e3d4cull;
	vmsa_walk_t w;

	sim_reset();
	sim_set(slot(0x100000, va2, 29, 13), d_table(0x110000));
	sim_set(slot(0x110000, va2, 16, 13), s1_leaf(0x40010000, 3, AP_RW_EL1, 0));
	sim_set(slot(0x200000, va3, 16, 13), s1_leaf(0x40020000, 3, AP_RW_EL1, 0));

	CHECK(walk1(&c2, va2, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40011234ull);
	CHECK_EQ(w.leaf[0].size, 0x10000);
	CHECK_EQ(w.n_reads, 2);

	CHECK(walk1(&c3, va3, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40023d4cull);
	CHECK_EQ(w.n_reads, 1);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 3, slot(0x200000, va3, 16, 13), false);
}

/* ------------------------------------------------------------------ */
/* Blocks where none is allowed, reserved level-3 encoding (RKRMJZ)    */
/* ------------------------------------------------------------------ */

TEST(walk_block_not_allowed)
{
	vmsa_stage_cfg_t c4 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				     0x10000, 0x20000);
	vmsa_stage_cfg_t c16 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_16K, 47, 1,
				      0x30000, 0x20000);
	vmsa_stage_cfg_t c64 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_64K, 48, 1,
				      0x100000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	/* 4K level 0 block (512GB needs DS = 1). */
	sim_set(0x10000, s1_leaf(0, 0, AP_RW_EL1, 0));
	CHECK(!walk1(&c4, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	CHECK(!w.leaf[0].present);

	/* 16K level 1 block (64GB needs DS = 1). */
	sim_set(0x30000, s1_leaf(0, 1, AP_RW_EL1, 0));
	CHECK(!walk1(&c16, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 1, 0x05);

	/* 64K level 1 block (4TB needs FEAT_LPA). */
	sim_set(0x100000, s1_leaf(0, 1, AP_RW_EL1, 0));
	CHECK(!walk1(&c64, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 1, 0x05);

	/* Level 3 with bits[1:0] = 0b01: reserved, treated as invalid. */
	sim_set(0x10000, d_table(0x11000));
	sim_set(0x11000, d_table(0x12000));
	sim_set(0x12000, d_table(0x13000));
	sim_set(0x13000, s1_leaf(0x40000000, 2, AP_RW_EL1, 0));
	CHECK(!walk1(&c4, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 3, 0x07);
	CHECK_EQ(w.n_reads, 4);
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */
/* ------------------------------------------------------------------ */

/* An invalid entry at each level: Translation fault at that level,
 * after exactly level+1 reads; FSC 0b0001LL. */
TEST(walk_translation_fault_each_level)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	for (int lvl = 0; lvl <= 3; lvl++) {
		sim_reset();
		for (int i = 0; i < lvl; i++)
			sim_set(0x10000 + 0x1000 * i,
				d_table(0x11000 + 0x1000 * i));
		/* Invalid, with other bits set: they are ignored (RDYNYQ). */
		sim_set(0x10000 + 0x1000 * lvl, 0xfffffffffffff000ull);
		CHECK(!walk1(&c, 0x0, VMSA_ACC_WRITE, 1, &w));
		CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, lvl,
			    0x04u + (unsigned)lvl);
		CHECK_EQ(w.n_reads, (unsigned)lvl + 1);
		CHECK(!w.fault.s1ptw);
		CHECK(!w.fault.ipa_valid);
		CHECK_EQ(w.fault.acc, VMSA_ACC_WRITE);
		CHECK_EQ(w.fault.va, 0);
	}
}

/* Address size faults (RCVSBH, RBFHQH): the TTBR at level 0 whatever the
 * start level, a table address at its level, an output address at the
 * leaf's level. */
TEST(walk_address_size_faults)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				    0x10000, 0x20000);
	vmsa_stage_cfg_t c1 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1,
				     1ull << 40, 0x20000);
	vmsa_walk_t w;

	c.oa_bits = 40;
	c1.oa_bits = 40;

	sim_reset();
	CHECK(!walk1(&c1, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 0, 0x00);
	CHECK_EQ(w.n_reads, 0);

	/* Level-0 table pointing above 40 bits: fault at level 0. */
	sim_set(0x10000, d_table(0x10000000000ull));
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 0, 0x00);
	CHECK_EQ(w.n_reads, 1);

	/* Level-1 table pointing above: level 1. */
	sim_set(0x10000, d_table(0x11000));
	sim_set(0x11000, d_table(0x8000000000ull | 0x10000000000ull));
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 1, 0x01);
	CHECK_EQ(w.n_reads, 2);

	/* Level-2 block with a 41-bit OA: level 2. */
	sim_set(0x11000, d_table(0x12000));
	sim_set(0x12000, s1_leaf(0x10000000000ull, 2, AP_RW_EL1, 0));
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 2, 0x02);

	/* Level-3 page: level 3; and it comes before the AF check. */
	sim_set(0x12000, d_table(0x13000));
	sim_set(0x13000, s1_leaf(0x10000000000ull, 3, AP_RW_EL1, 0) & ~D_AF);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 3, 0x03);
	CHECK(!w.leaf[0].present);

	/* An invalid entry with high address bits is a Translation fault:
	 * validity is checked first (D8.15.4 steps 5, 6). */
	sim_set(0x13000, 0x10000000000ull);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 3, 0x07);
}

/* 64K granule without 52-bit PAs: descriptor bits [15:12] set are an
 * Address size fault (RWDZFC, the non-deprecated choice). */
TEST(walk_64k_bits_15_12_address_size)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_64K, 42, 2,
				    0x100000, 0x700000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x100000, d_table(0x110000) | 0x1000);
	CHECK(!walk1(&c, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 2, 0x02);

	sim_set(0x100000, d_table(0x110000));
	sim_set(0x110000, s1_leaf(0x40000000, 3, AP_RW_EL1, 0) | 0x2000);
	CHECK(!walk1(&c, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 3, 0x03);
}

/* AF = 0 gives an Access flag fault at the leaf's level (RLFGXS), and
 * no leaf: such an entry is not cached. */
TEST(walk_access_flag_faults)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, s1_leaf(0x40000000, 1, AP_RW_EL1, 0) & ~D_AF);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ACCESS_FLAG, VMSA_STAGE1, 1, 0x09);
	CHECK(!w.leaf[0].present);

	sim_set(0x10000, d_table(0x11000));
	sim_set(0x11000, s1_leaf(0x40000000, 2, AP_RW_EL1, 0) & ~D_AF);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_EXEC, 0, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ACCESS_FLAG, VMSA_STAGE1, 2, 0x0a);
	CHECK_EQ(w.fault.acc, VMSA_ACC_EXEC);

	sim_set(0x11000, d_table(0x12000));
	sim_set(0x12000, s1_leaf(0x40000000, 3, AP_RW_EL1, 0) & ~D_AF);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ACCESS_FLAG, VMSA_STAGE1, 3, 0x0b);
}

/* The AF check comes before permissions: a read-only page with AF = 0
 * written to is an Access flag fault (RXCHFJ items 34, 36). A Permission
 * fault is reported at the leaf's level and keeps the leaf (RJVXRH). */
TEST(walk_permission_fault_levels)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, s1_leaf(0x40000000, 1, AP_RO_EL1, 0) & ~D_AF);
	CHECK(!walk1(&c, 0x1000, VMSA_ACC_WRITE, 1, &w));
	CHECK_EQ(w.fault.kind, VMSA_FAULT_ACCESS_FLAG);

	sim_set(0x10000, s1_leaf(0x40000000, 1, AP_RO_EL1, 0));
	CHECK(!walk1(&c, 0x1000, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 1, 0x0d);
	CHECK(w.leaf[0].present);
	CHECK_EQ(w.leaf[0].level, 1);

	sim_set(0x10000, d_table(0x11000));
	sim_set(0x11000, s1_leaf(0x40000000, 2, AP_RO_EL1, 0));
	CHECK(!walk1(&c, 0x1000, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 2, 0x0e);

	sim_set(0x11000, d_table(0x12000));
	sim_set(0x12000, s1_leaf(0x40000000, 3, AP_RO_EL1, 0));
	CHECK(!walk1(&c, 0x0, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 3, 0x0f);
	CHECK_EQ(w.leaf[0].desc_pa, 0x12000);
}

/* A read the memory refuses: synchronous External abort on the walk at
 * that level, FSC 0b0101LL; the read is logged. */
TEST(walk_external_abort)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, d_table(0x11000));
	sim_set(0x11000, d_table(0x12000));
	sim_set(0x12000, d_table(0x13000));
	sim_abort_at(0x12000);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_EXTERNAL, VMSA_STAGE1, 2, 0x16);
	CHECK_EQ(w.n_reads, 3);
	CHECK_STEP(&w, 2, VMSA_STAGE1, 2, 0x12000, false);
	CHECK_EQ(w.reads[2].value, 0);

	sim_abort_at(0x10000);
	CHECK(!walk1(&c, 0x0, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_EXTERNAL, VMSA_STAGE1, 0, 0x14);
}

/* ------------------------------------------------------------------ */
/* Input address ranges: TTBR0/TTBR1, TBI, EPD (RVZZSZ, D8.2.4)        */
/* ------------------------------------------------------------------ */

TEST(walk_ttbr1_range)
{
	const uint64_t va = 0xffff800000012345ull;
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 48, 0,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	c.tt[1].asid = 9;
	sim_reset();
	sim_set(slot(0x20000, va, 39, 9), d_table(0x21000));
	sim_set(slot(0x21000, va, 30, 9), s1_leaf(0x80000000, 1, AP_RW_EL1, D_NG));

	CHECK(walk1(&c, va, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x80012345ull);
	CHECK_EQ(w.leaf[0].ia, 0xffff800000000000ull);
	CHECK_EQ(w.asid, 9);
	CHECK(w.ng);
	CHECK_STEP(&w, 0, VMSA_STAGE1, 0, 0x20000 + 8 * 256, false);

	/* Bit 55 set but not all of [63:48]: in neither range. */
	sim.n_reads = 0;
	CHECK(!walk1(&c, 0xfffe800000012345ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	CHECK_EQ(w.n_reads, 0);
	CHECK_EQ(sim.n_reads, 0);
	CHECK_EQ(w.fault.va, 0xfffe800000012345ull);

	/* Bit 55 clear with a bit above the 48-bit range. */
	CHECK(!walk1(&c, 0x0001000000000000ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);

	/* A 39-bit range starting at level 1: VA[39] set is out of range. */
	c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1, 0x10000, 0x20000);
	CHECK(!walk1(&c, 0x8000000000ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	CHECK_EQ(w.n_reads, 0);
}

/* TG0 and TG1 differ: each range walks with its own granule. */
TEST(walk_ttbr_granules_differ)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_64K, 42, 2,
				    0x400000, 0x20000);
	vmsa_walk_t w;

	c.tt[1].granule = VMSA_GRANULE_4K;
	c.tt[1].ia_bits = 39;
	c.tt[1].start_level = 1;
	sim_reset();
	sim_set(0x400000, d_table(0x410000));
	sim_set(0x410008, s1_leaf(0x40030000, 3, AP_RW_EL1, 0));
	/* 4K tables at addresses with bits [15:12] set: no 64K check. */
	sim_set(0x20000 + 8 * 511, d_table(0x21000));
	sim_set(0x21000, d_table(0x23000));
	sim_set(0x23008, s1_leaf(0x40005000, 3, AP_RW_EL1, 0));

	CHECK(walk1(&c, 0x12345, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40032345ull);
	CHECK_EQ(w.leaf[0].size, 0x10000);
	CHECK(walk1(&c, 0xffffffffc0001234ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40005234ull);
	CHECK_EQ(w.leaf[0].size, 0x1000);
	CHECK_EQ(w.n_reads, 3);
}

/* TBI: the top byte is ignored for the range check and the index, and
 * the leaf's input address is the canonical one. */
TEST(walk_tbi)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, s1_leaf(0x40000000, 1, AP_RW_EL1, 0));
	sim_set(0x20000 + 8 * 511, s1_leaf(0x80000000, 1, AP_RW_EL1, 0));

	CHECK(!walk1(&c, 0x5a00000000001234ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);

	c.tt[0].tbi = true;
	CHECK(walk1(&c, 0x5a00000000001234ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40001234ull);
	CHECK_EQ(w.leaf[0].ia, 0);
	CHECK_EQ(w.ia, 0x5a00000000001234ull);

	/* TBI0 does not cover the upper range. */
	CHECK(!walk1(&c, 0x12ffffffffff1234ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	c.tt[1].tbi = true;
	CHECK(walk1(&c, 0x12ffffffffff1234ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0xbfff1234ull);
	CHECK_EQ(w.leaf[0].ia, 0xffffffffc0000000ull);
}

/* EPDn = 1: a level 0 Translation fault without any read (RVZZSZ). */
TEST(walk_epd)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, s1_leaf(0x40000000, 1, AP_RW_EL1, 0));
	sim_set(0x20000 + 8 * 511, s1_leaf(0x80000000, 1, AP_RW_EL1, 0));

	c.tt[1].epd = true;
	CHECK(walk1(&c, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK(!walk1(&c, 0xfffffffffffff000ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	CHECK_EQ(w.n_reads, 0);

	c.tt[1].epd = false;
	c.tt[0].epd = true;
	CHECK(walk1(&c, 0xfffffffffffff000ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0xbffff000ull);
	sim.n_reads = 0;
	CHECK(!walk1(&c, 0x1000, VMSA_ACC_EXEC, 0, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	CHECK_EQ(sim.n_reads, 0);
}

/* The single range of EL2 (E2H = 0): no TTBR1, bits above must be 0. */
TEST(walk_el2_single_range)
{
	vmsa_stage_cfg_t c = s1_cfg(VMSA_REGIME_EL2, VMSA_GRANULE_4K, 39, 1,
				    0x10000, 0x20000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x10000, s1_leaf(0x40000000, 1, AP_RW_EL1, D_NG));
	sim_set(0x20000 + 8 * 511, s1_leaf(0x80000000, 1, AP_RW_EL1, 0));
	CHECK(walk1(&c, 0x1000, VMSA_ACC_READ, 2, &w));
	CHECK_EQ(w.pa, 0x40001000ull);
	/* No ASIDs in EL2: entries are global whatever nG says. */
	CHECK(!w.ng);
	CHECK_EQ(w.asid, 0);
	CHECK(!walk1(&c, 0xfffffffffffff000ull, VMSA_ACC_READ, 2, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 0, 0x04);
	CHECK_EQ(w.n_reads, 0);
}

/* ------------------------------------------------------------------ */
/* Names and fault status codes                                        */
/* ------------------------------------------------------------------ */

TEST(walk_fault_fsc_table)
{
	static const struct {
		vmsa_fault_kind_t k;
		int level;
		unsigned fsc;
	} t[] = {
		{ VMSA_FAULT_ADDRESS_SIZE, 0, 0x00 },
		{ VMSA_FAULT_ADDRESS_SIZE, 3, 0x03 },
		{ VMSA_FAULT_ADDRESS_SIZE, -1, 0x29 },
		{ VMSA_FAULT_TRANSLATION, 0, 0x04 },
		{ VMSA_FAULT_TRANSLATION, 2, 0x06 },
		{ VMSA_FAULT_TRANSLATION, -1, 0x2b },
		{ VMSA_FAULT_ACCESS_FLAG, 0, 0x08 },
		{ VMSA_FAULT_ACCESS_FLAG, 1, 0x09 },
		{ VMSA_FAULT_PERMISSION, 0, 0x0c },
		{ VMSA_FAULT_PERMISSION, 1, 0x0d },
		{ VMSA_FAULT_PERMISSION, 3, 0x0f },
		{ VMSA_FAULT_EXTERNAL, -1, 0x13 },
		{ VMSA_FAULT_EXTERNAL, 0, 0x14 },
		{ VMSA_FAULT_EXTERNAL, 3, 0x17 },
		{ VMSA_FAULT_TLB_CONFLICT, 0, 0x30 },
		{ VMSA_FAULT_TLB_CONFLICT, 2, 0x30 },
		{ VMSA_FAULT_NONE, 0, 0x00 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_EQ(vmsa_fault_fsc(t[i].k, t[i].level), t[i].fsc);
	/* No encoding: a Permission fault at level -1, a level 4. */
	CHECK_EQ(vmsa_fault_fsc(VMSA_FAULT_PERMISSION, -1), 0xff);
	CHECK_EQ(vmsa_fault_fsc(VMSA_FAULT_TRANSLATION, 4), 0xff);
}

TEST(walk_names)
{
	CHECK_STR(vmsa_regime_name(VMSA_REGIME_EL10), "EL1&0");
	CHECK_STR(vmsa_regime_name(VMSA_REGIME_EL20), "EL2&0");
	CHECK_STR(vmsa_regime_name(VMSA_REGIME_EL2), "EL2");
	CHECK_STR(vmsa_regime_name((vmsa_regime_t)9), "?");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_NONE), "none");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_ADDRESS_SIZE), "address size");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_TRANSLATION), "translation");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_ACCESS_FLAG), "access flag");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_PERMISSION), "permission");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_EXTERNAL), "external abort");
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_TLB_CONFLICT), "TLB conflict");
}
