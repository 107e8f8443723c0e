/*
 * tests/arch/test_geometry.c - granule geometry, start levels,
 * concatenation and table indexes (src/arch/geometry.c).
 *
 * Expected values are written out from the Arm ARM tables (D8.2.8 to
 * D8.2.10, D8.7 Table D8-104), not computed with the formulas under test.
 */
#include "../harness.h"
#include "vmsa/desc.h"

static const vmsa_granule_t granules[3] = {
	VMSA_GRANULE_4K, VMSA_GRANULE_16K, VMSA_GRANULE_64K,
};

TEST(geom_granule_shift_stride)
{
	CHECK_EQ(vmsa_granule_shift(VMSA_GRANULE_4K), 12);
	CHECK_EQ(vmsa_granule_shift(VMSA_GRANULE_16K), 14);
	CHECK_EQ(vmsa_granule_shift(VMSA_GRANULE_64K), 16);
	CHECK_EQ(vmsa_granule_stride(VMSA_GRANULE_4K), 9);
	CHECK_EQ(vmsa_granule_stride(VMSA_GRANULE_16K), 11);
	CHECK_EQ(vmsa_granule_stride(VMSA_GRANULE_64K), 13);
}

TEST(geom_level_shift_and_size)
{
	/* 4K: L3 4K pages, L2 2M, L1 1G, L0 512G; L-1 only with LPA2. */
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_4K, 3), 12);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_4K, 2), 21);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_4K, 1), 30);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_4K, 0), 39);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_4K, -1), 48);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_4K, 3), 0x1000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_4K, 2), 0x200000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_4K, 1), 0x40000000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_4K, 0), 0x8000000000ull);

	/* 16K: L3 16K, L2 32M, L1 64G, L0 128T (IA[47] only). */
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_16K, 3), 14);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_16K, 2), 25);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_16K, 1), 36);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_16K, 0), 47);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_16K, 3), 0x4000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_16K, 2), 0x2000000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_16K, 1), 0x1000000000ull);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_16K, 0), 0x800000000000ull);

	/* 64K: L3 64K, L2 512M, L1 4T. */
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_64K, 3), 16);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_64K, 2), 29);
	CHECK_EQ(vmsa_level_shift(VMSA_GRANULE_64K, 1), 42);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_64K, 3), 0x10000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_64K, 2), 0x20000000);
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_64K, 1), 0x40000000000ull);
	/* 64K level -1 would be 2^68: reported as 0, not a wrapped value. */
	CHECK_EQ(vmsa_level_size(VMSA_GRANULE_64K, -1), 0);
}

TEST(geom_min_level)
{
	CHECK_EQ(vmsa_granule_min_level(VMSA_GRANULE_4K), 0);
	CHECK_EQ(vmsa_granule_min_level(VMSA_GRANULE_16K), 0);
	CHECK_EQ(vmsa_granule_min_level(VMSA_GRANULE_64K), 1);
}

TEST(geom_block_allowed_matrix)
{
	/* [granule][level + 1], levels -1..3 (Tables D8-27, D8-36 and the
	 * 4K block sizes, 48-bit OA). */
	static const bool want[3][5] = {
		{ false, false, true, true, false },   /* 4K: L1, L2 */
		{ false, false, false, true, false },  /* 16K: L2 */
		{ false, false, false, true, false },  /* 64K: L2 */
	};

	for (int g = 0; g < 3; g++)
		for (int l = -1; l <= 3; l++)
			CHECK_EQ(vmsa_block_allowed(granules[g], l),
				 want[g][l + 1]);
}

TEST(geom_contig_entries_table_d8_104)
{
	static const unsigned want[3][5] = {
		{ 0, 0, 16, 16, 16 },  /* 4K: L1 16G, L2 32M, L3 64K ranges */
		{ 0, 0, 0, 32, 128 },  /* 16K: L2 1G, L3 2M */
		{ 0, 0, 0, 32, 32 },   /* 64K: L2 16G, L3 2M */
	};

	for (int g = 0; g < 3; g++)
		for (int l = -1; l <= 3; l++)
			CHECK_EQ(vmsa_contig_entries(granules[g], l),
				 want[g][l + 1]);

	/* The range sizes of Table D8-104, from entries x entry size. */
	CHECK_EQ(vmsa_contig_entries(VMSA_GRANULE_4K, 1) *
			 vmsa_level_size(VMSA_GRANULE_4K, 1),
		 16ull << 30);
	CHECK_EQ(vmsa_contig_entries(VMSA_GRANULE_16K, 3) *
			 vmsa_level_size(VMSA_GRANULE_16K, 3),
		 2ull << 20);
	CHECK_EQ(vmsa_contig_entries(VMSA_GRANULE_64K, 2) *
			 vmsa_level_size(VMSA_GRANULE_64K, 2),
		 16ull << 30);
}

/*
 * The range a TLB may cache an entry for (D8.7.1, Table D8-104): a page or
 * block with the Contiguous bit covers its whole aligned range; without
 * it, or in a table descriptor (where the bit is IGNORED, IPGVGZ), or in
 * an invalid one, the entry's own size.
 */
TEST(geom_tlb_range_contiguous)
{
	uint64_t page = vmsa_desc_make_s1_leaf(0x40000, 3, VMSA_GRANULE_4K, 0,
					       VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
	uint64_t block = vmsa_desc_make_s1_leaf(0x40000000, 2, VMSA_GRANULE_4K,
						0, VMSA_AP_RW_EL1, VMSA_SH_ISH,
						true);
	uint64_t table = vmsa_desc_make_table(0x5000, VMSA_GRANULE_4K);
	uint64_t first, size;

	vmsa_tlb_range(page, 3, 0x13000, VMSA_GRANULE_4K, &first, &size);
	CHECK_EQ(first, 0x13000);
	CHECK_EQ(size, 0x1000);
	vmsa_tlb_range(page | VMSA_D_CONT, 3, 0x13000, VMSA_GRANULE_4K, &first,
		       &size);
	CHECK_EQ(first, 0x10000);
	CHECK_EQ(size, 0x10000);
	vmsa_tlb_range(block | VMSA_D_CONT, 2, 0x4e00000, VMSA_GRANULE_4K,
		       &first, &size);
	CHECK_EQ(first, 0x4000000);
	CHECK_EQ(size, 32ull << 20);
	vmsa_tlb_range(table | VMSA_D_CONT, 2, 0x4e00000, VMSA_GRANULE_4K,
		       &first, &size);
	CHECK_EQ(first, 0x4e00000);
	CHECK_EQ(size, 2ull << 20);
	vmsa_tlb_range((page | VMSA_D_CONT) & ~VMSA_D_VALID, 3, 0x13000,
		       VMSA_GRANULE_4K, &first, &size);
	CHECK_EQ(first, 0x13000);
	CHECK_EQ(size, 0x1000);
	/* 16K level 3: 128 pages, 2M. */
	vmsa_tlb_range(vmsa_desc_make_s1_leaf(0x200000, 3, VMSA_GRANULE_16K, 0,
					      VMSA_AP_RW_EL1, VMSA_SH_ISH,
					      true) | VMSA_D_CONT,
		       3, 0x3fc000, VMSA_GRANULE_16K, &first, &size);
	CHECK_EQ(first, 0x200000);
	CHECK_EQ(size, 2ull << 20);
}

/* Expected stage-1 start level for ia_bits, from Tables D8-18, D8-28 and
 * D8-37 without FEAT_TTST/LVA/LPA2. */
static int s1_expected(vmsa_granule_t g, unsigned ia)
{
	switch (g) {
	case VMSA_GRANULE_4K:
		return ia >= 40 ? 0 : ia >= 31 ? 1 : 2;
	case VMSA_GRANULE_16K:
		return ia == 48 ? 0 : ia >= 37 ? 1 : ia >= 26 ? 2 : 3;
	default:
		return ia >= 43 ? 1 : ia >= 30 ? 2 : 3;
	}
}

TEST(geom_s1_start_level_every_size)
{
	for (int g = 0; g < 3; g++) {
		for (unsigned ia = 25; ia <= 48; ia++) {
			int level = 99;

			CHECK(vmsa_s1_start_level(granules[g], ia, &level));
			CHECK_EQ(level, s1_expected(granules[g], ia));
		}
	}
}

TEST(geom_s1_start_level_examples)
{
	int level = 99;

	/* Linux defaults: 4K/39-bit starts at L1, 4K/48 at L0, 64K/42 at L2,
	 * 16K/47 at L1, 64K/48 at L1. */
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_4K, 39, &level));
	CHECK_EQ(level, 1);
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_4K, 48, &level));
	CHECK_EQ(level, 0);
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_64K, 42, &level));
	CHECK_EQ(level, 2);
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_16K, 47, &level));
	CHECK_EQ(level, 1);
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_64K, 48, &level));
	CHECK_EQ(level, 1);
	/* TnSZ = 39, the largest without FEAT_TTST. */
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_16K, 25, &level));
	CHECK_EQ(level, 3);
	CHECK(vmsa_s1_start_level(VMSA_GRANULE_4K, 25, &level));
	CHECK_EQ(level, 2);
}

TEST(geom_s1_start_level_out_of_range)
{
	int level = 77;

	/* TnSZ = 40 needs FEAT_TTST; TnSZ = 15 needs LVA/LPA2. */
	for (int g = 0; g < 3; g++) {
		CHECK(!vmsa_s1_start_level(granules[g], 24, &level));
		CHECK(!vmsa_s1_start_level(granules[g], 49, &level));
		CHECK(!vmsa_s1_start_level(granules[g], 0, &level));
		CHECK(!vmsa_s1_start_level(granules[g], 64, &level));
	}
	CHECK(!vmsa_s1_start_level((vmsa_granule_t)3, 39, &level));
	CHECK_EQ(level, 77); /* untouched on failure */
}

/*
 * Stage-2 expectations straight from Tables D8-21..23 (4K), D8-31..33
 * (16K), D8-39..41 (64K): for each SL0, the level, the smallest and
 * largest IA size allowed (T0SZ 39..16 only), and the largest size one
 * table covers (above it, 2^(ia - full) tables are concatenated).
 */
struct s2_row {
	vmsa_granule_t g;
	unsigned sl0;
	int level;
	unsigned min_ia, max_ia, full;
};

static const struct s2_row s2_rows[] = {
	{ VMSA_GRANULE_4K, 0, 2, 25, 34, 30 },  /* D8-23: T0SZ 30..39 */
	{ VMSA_GRANULE_4K, 1, 1, 31, 43, 39 },  /* D8-22: T0SZ 21..33 */
	{ VMSA_GRANULE_4K, 2, 0, 40, 48, 48 },  /* D8-21: T0SZ 16..24 */
	{ VMSA_GRANULE_16K, 0, 3, 25, 29, 25 }, /* D8-33: T0SZ 35..39 */
	{ VMSA_GRANULE_16K, 1, 2, 26, 40, 36 }, /* D8-32: T0SZ 24..38 */
	{ VMSA_GRANULE_16K, 2, 1, 37, 48, 47 }, /* D8-31: T0SZ 16..27 */
	{ VMSA_GRANULE_64K, 0, 3, 25, 33, 29 }, /* D8-41: T0SZ 31..39 */
	{ VMSA_GRANULE_64K, 1, 2, 30, 46, 42 }, /* D8-40: T0SZ 18..34 */
	{ VMSA_GRANULE_64K, 2, 1, 43, 48, 48 }, /* D8-39: T0SZ 16..21 */
};

TEST(geom_s2_start_level_every_sl0_and_size)
{
	for (size_t i = 0; i < sizeof(s2_rows) / sizeof(s2_rows[0]); i++) {
		const struct s2_row *r = &s2_rows[i];

		for (unsigned ia = 20; ia <= 52; ia++) {
			int level = 99;
			unsigned concat = 99;
			bool ok = vmsa_s2_start_level(r->g, r->sl0, ia, &level,
						      &concat);
			bool want = ia >= r->min_ia && ia <= r->max_ia;

			CHECK_EQ(ok, want);
			if (!ok || !want)
				continue;
			CHECK_EQ(level, r->level);
			CHECK_EQ(concat,
				 ia > r->full ? 1u << (ia - r->full) : 1u);
		}
	}
}

TEST(geom_s2_start_level_examples)
{
	int level = 99;
	unsigned concat = 99;

	/* KVM's classic 4K 40-bit IPA: SL0 = 1, L1 with 2 tables. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_4K, 1, 40, &level, &concat));
	CHECK_EQ(level, 1);
	CHECK_EQ(concat, 2);
	/* 4K 43 bits at L1: 16 tables, the most allowed. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_4K, 1, 43, &level, &concat));
	CHECK_EQ(concat, 16);
	/* 44 bits would need 32 tables at L1. */
	CHECK(!vmsa_s2_start_level(VMSA_GRANULE_4K, 1, 44, &level, &concat));
	/* 4K 40 bits can also start at L0 with one (1/2-used) table. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_4K, 2, 40, &level, &concat));
	CHECK_EQ(level, 0);
	CHECK_EQ(concat, 1);
	/* 4K 32 bits (T0SZ 32) at L2: 4 tables; 33 bits: 8 (Table D8-23);
	 * 32 bits at L0 is inconsistent. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_4K, 0, 32, &level, &concat));
	CHECK_EQ(level, 2);
	CHECK_EQ(concat, 4);
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_4K, 0, 33, &level, &concat));
	CHECK_EQ(concat, 8);
	CHECK(!vmsa_s2_start_level(VMSA_GRANULE_4K, 2, 32, &level, &concat));
	/* RDXBSH: 16K with a 48-bit IPA starts at L1 with 2 tables. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_16K, 2, 48, &level, &concat));
	CHECK_EQ(level, 1);
	CHECK_EQ(concat, 2);
	/* 64K 48 bits: L1, one table of 64 entries. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_64K, 2, 48, &level, &concat));
	CHECK_EQ(level, 1);
	CHECK_EQ(concat, 1);
	/* 64K 46 bits at L2: 16 tables. */
	CHECK(vmsa_s2_start_level(VMSA_GRANULE_64K, 1, 46, &level, &concat));
	CHECK_EQ(level, 2);
	CHECK_EQ(concat, 16);
}

TEST(geom_s2_start_level_invalid)
{
	int level = 77;
	unsigned concat = 77;

	/* SL0 = 3: 4K level 3 needs FEAT_TTST, 16K level 0 needs DS = 1,
	 * 64K reserved. */
	for (int g = 0; g < 3; g++)
		for (unsigned ia = 20; ia <= 52; ia++)
			CHECK(!vmsa_s2_start_level(granules[g], 3, ia, &level,
						   &concat));
	/* SL0 is a 2-bit field. */
	CHECK(!vmsa_s2_start_level(VMSA_GRANULE_4K, 4, 40, &level, &concat));
	/* T0SZ = 40 (24 bits) needs FEAT_TTST, even at the right level. */
	CHECK(!vmsa_s2_start_level(VMSA_GRANULE_64K, 0, 24, &level, &concat));
	/* More than 48 bits needs DS/LPA. */
	CHECK(!vmsa_s2_start_level(VMSA_GRANULE_4K, 2, 49, &level, &concat));
	CHECK(!vmsa_s2_start_level((vmsa_granule_t)3, 0, 30, &level, &concat));
	CHECK_EQ(level, 77);
	CHECK_EQ(concat, 77);
}

TEST(geom_table_index_4k)
{
	/* IA with distinct indexes: L0 1, L1 5, L2 7, L3 9, offset 0x123. */
	uint64_t ia = (1ull << 39) | (5ull << 30) | (7ull << 21) |
		      (9ull << 12) | 0x123;

	/* Stage 1, 48 bits, start L0. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 0, 0, 48, ia), 1);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 0, 1, 48, ia), 5);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 0, 2, 48, ia), 7);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 0, 3, 48, ia), 9);
	/* Full-width index at a non-start level. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 0, 3, 48,
				  0xffffffffffffull),
		 511);

	/* Stage 2, 40-bit IPA, start L1 with 2 concatenated tables: the L1
	 * index spans both (entry 5 of the second table = 512 + 5). */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 1, 1, 40, ia), 517);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 1, 2, 40, ia), 7);
	/* 43 bits, 16 tables: index up to 8191. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 1, 1, 43,
				  0x7ffffffffffull),
		 8191);
	/* Stage 2, 32-bit IPA at L2 with 4 tables: IA[31:21]. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 2, 2, 32, 0xfff00000ull),
		 0x7ff);

	/* Stage 1, 39 bits, start L1: a 512-entry first table. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 1, 1, 39,
				  0x7fffffffffull),
		 511);
	/* Stage 1, 36 bits, start L1: a 64-entry first table. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_4K, 1, 1, 36,
				  0xfffffffffull),
		 63);
}

TEST(geom_table_index_16k_64k)
{
	/* 16K, 48 bits, start L0: IA[47] only. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_16K, 0, 0, 48, 1ull << 47), 1);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_16K, 0, 1, 48,
				  (1ull << 47) | (0x7ffull << 36)),
		 0x7ff);
	/* 16K stage 2, 48 bits, start L1 with 2 tables: IA[47:36]. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_16K, 1, 1, 48,
				  (1ull << 47) | (3ull << 36)),
		 0x803);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_16K, 1, 3, 48,
				  (0x155ull << 14) | 0x3fff),
		 0x155);

	/* 64K, 48 bits, start L1: IA[47:42], 64 entries. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_64K, 1, 1, 48,
				  0xffffffffffffull),
		 63);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_64K, 1, 2, 48,
				  (0x1234ull << 29)),
		 0x1234);
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_64K, 1, 3, 48,
				  (0x1fffull << 16) | 0xffff),
		 0x1fff);
	/* 64K stage 2, 46 bits at L2 with 16 tables: IA[45:29]. */
	CHECK_EQ(vmsa_table_index(VMSA_GRANULE_64K, 2, 2, 46,
				  0x3fffffffffffull),
		 0x1ffff);
}
