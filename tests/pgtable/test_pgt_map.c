/*
 * tests/pgtable/test_pgt_map.c - vmsa_pgt_init and vmsa_pgt_map on the
 * host backend: exact descriptors (raw 64-bit values, worked out from the
 * manual's formats, D8.3.1), where tables are allocated, block or page,
 * contiguous runs, reference counts, and the maintenance each map issues.
 * Translations are cross-checked with the architecture core's walk.
 *
 * Stage-2 leaf bits used below: 0x3c MemAttr Normal WB (0xF << 2), 0xc0
 * S2AP RW, 0x40 S2AP RO, 0x300 SH Inner Shareable, 0x400 AF, bit 54 XN.
 * Stage-2 4K, 40-bit IPA, start level 0 (one root page): the root is the
 * pool's first page at 0x80000000, then L1, L2, L3 tables in order.
 */
#include "pgt_test.h"

#define S2_RW_WB 0x7fcull  /* 0x3c | 0xc0 | 0x300 | 0x400 */
#define S2_XN (1ull << 54)
#define PAGE 0x3ull
#define BLOCK 0x1ull
#define TABLE 0x3ull

TEST(pgt_init_s2_start_levels)
{
	pt_t t;

	/* 40 bits at 4K: the shallowest level, L0, one root page. */
	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(t.pgt.start_level, 0);
	CHECK_EQ(t.pgt.n_roots, 1);
	CHECK_EQ(t.pgt.root_pa.pa, POOL_PA);
	CHECK_EQ(pt_count(&t, POOL_PA), 1);
	pt_fini(&t);

	/* Asked for L1: 40 bits = 30 + 9 + 1, two concatenated roots
	 * (Table D8-21), aligned to their size. */
	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 1,
			   pt_features(0), 64), 0);
	CHECK_EQ(t.pgt.start_level, 1);
	CHECK_EQ(t.pgt.n_roots, 2);
	CHECK_EQ(t.pgt.root_pa.pa, POOL_PA);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 2);
	pt_fini(&t);

	/* 16K with 48 bits: L0 needs VTCR_EL2.DS, so L1 with two roots
	 * (RDXBSH). */
	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_16K, 48, 0), 0);
	CHECK_EQ(t.pgt.start_level, 1);
	CHECK_EQ(t.pgt.n_roots, 2);
	pt_fini(&t);

	/* 64K, 42 bits: L2 would need 2^(42-29-13) = 1 table. */
	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_64K, 42, 0), 0);
	CHECK_EQ(t.pgt.start_level, 2);
	CHECK_EQ(t.pgt.n_roots, 1);
	pt_fini(&t);

	/* 4K L2 with 40 bits would need 2^(40-21-9) = 1024 tables. */
	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 2,
			   pt_features(0), 64), -EINVAL);
	pt_fini(&t);
	/* 4K L3 start needs FEAT_TTST. */
	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 25, 3,
			   pt_features(0), 64), -EINVAL);
	pt_fini(&t);
}

TEST(pgt_init_s1_and_errors)
{
	pt_t t;
	vmsa_pgt_cfg_t c;

	/* Stage 1, 4K, 39 bits: L1 (Table D8-18). */
	CHECK_EQ(pt_init(&t, VMSA_PGT_S1_EL2, VMSA_GRANULE_4K, 39, 0), 0);
	CHECK_EQ(t.pgt.start_level, 1);
	CHECK_EQ(t.pgt.n_roots, 1);
	c = t.pgt.cfg;
	/* A stage-1 start level is fixed by the input size. */
	c.start_level = 0;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	c.start_level = VMSA_PGT_LEVEL_AUTO;
	c.ia_bits = 49;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	c.ia_bits = 24;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	c.ia_bits = 39;
	c.granule = (vmsa_granule_t)3;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	c.granule = VMSA_GRANULE_4K;
	c.regime = (vmsa_pgt_regime_t)7;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	c.regime = VMSA_PGT_S1_EL1;
	c.attr_device = 8;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	c.attr_device = 2;
	CHECK_EQ(vmsa_pgt_init(NULL, &c, vmsa_host_ops(t.h)), -EINVAL);
	CHECK_EQ(vmsa_pgt_init(&t.pgt, NULL, vmsa_host_ops(t.h)), -EINVAL);
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, NULL), -EINVAL);
	/* BBM level 3 does not exist. */
	vmsa_host_ops(t.h)->features.bbm_level = 3;
	CHECK_EQ(vmsa_pgt_init(&t.pgt, &c, vmsa_host_ops(t.h)), -EINVAL);
	vmsa_host_ops(t.h)->features.bbm_level = 0;
	/* Nothing was allocated by the failed calls. */
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	pt_fini(&t);

	/* Out of memory for the root. */
	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 1,
			   pt_features(0), 1), -ENOMEM);
	t.pgt.root = NULL;
	pt_fini(&t);
}

/* One 4K page: the clean of the new page to PoC and DSB ISH, then three
 * new tables filled while unlinked (plain stores), and the first of them
 * linked with a store-release (an invalid entry becomes valid: nothing to
 * invalidate, RXCLRD). */
TEST(pgt_map_s2_4k_page_exact)
{
	pt_t t;
	int level = -1;
	vmsa_walk_t w;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(pt_at(&t, POOL_PA), 0x80001000ull | TABLE);
	CHECK_EQ(pt_at(&t, 0x80001000), 0x80002000ull | TABLE);
	CHECK_EQ(pt_at(&t, 0x80002000), 0x80003000ull | TABLE);
	CHECK_EQ(pt_at(&t, 0x80003000 + 8), 0x40000000ull | S2_RW_WB | S2_XN |
						    PAGE);
	CHECK_EQ(pt_at(&t, 0x80003000), 0);
	CHECK_EQ(pt_at(&t, 0x80003000 + 16), 0);
	CHECK_STR(pt_trace(&t, true),
		  "dc.cvac(0x40000000) dsb.ish w w w w.rel");
	/* 1 + one entry each. */
	CHECK_EQ(pt_count(&t, 0x80000000), 2);
	CHECK_EQ(pt_count(&t, 0x80001000), 2);
	CHECK_EQ(pt_count(&t, 0x80002000), 2);
	CHECK_EQ(pt_count(&t, 0x80003000), 2);
	CHECK_EQ(pt_leaf(&t, 0x1abc, &level),
		 0x40000000ull | S2_RW_WB | S2_XN | PAGE);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_leaf(&t, 0x2000, &level), 0);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_leaf(&t, 0x40000000, &level), 0);
	CHECK_EQ(level, 1);

	/* The architecture core reads the same translation. */
	CHECK(pt_xlate(&t, 0x1abc, VMSA_ACC_WRITE, 1, &w));
	CHECK_EQ(w.pa, 0x40000abcull);
	CHECK_EQ(w.leaf[1].level, 3);
	CHECK(w.perms.r && w.perms.w && !w.perms.x);
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_WB);
	CHECK_EQ(pt_pa(&t, 0x2000), ~0ull);
	pt_fini(&t);
}

/* Blocks where size and alignment allow: a 1G block at L1, 2M blocks at
 * L2, pages at the unaligned edges. */
TEST(pgt_map_s2_4k_blocks_and_edges)
{
	pt_t t;
	int level = -1;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	/* [1G, 2G) -> [3G, 4G): one L1 block. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x40000000), 0x40000000,
			      VMSA_OA(0xc0000000), VMSA_PGT_PROT_RWX, 0), 0);
	CHECK_EQ(pt_at(&t, 0x80001000 + 8), 0xc0000000ull | S2_RW_WB | BLOCK);
	CHECK_EQ(pt_leaf(&t, 0x7fffffff, &level), 0xc0000000ull | S2_RW_WB |
							  BLOCK);
	CHECK_EQ(level, 1);
	CHECK_EQ(pt_pa(&t, 0x7fffffff), 0xffffffffull);
	/* Only two tables: root and L1. */
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 2);

	/* [2M - 4K, 6M + 4K): one page, two 2M blocks, one page. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1ff000), 0x402000,
			      VMSA_OA(0x100000000 - 0x1000), VMSA_PGT_PROT_R,
			      0), 0);
	/* L2 at 0x80002000, the L3 for [0, 2M) at 0x80003000, the one
	 * for [6M, 8M) at 0x80004000. */
	CHECK_EQ(pt_at(&t, 0x80001000), 0x80002000ull | TABLE);
	CHECK_EQ(pt_at(&t, 0x80002000), 0x80003000ull | TABLE);
	CHECK_EQ(pt_at(&t, 0x80003000 + 511 * 8),
		 0xfffff000ull | 0x77cull | S2_XN | PAGE);
	CHECK_EQ(pt_at(&t, 0x80002000 + 8),
		 0x100000000ull | 0x77cull | S2_XN | BLOCK);
	CHECK_EQ(pt_at(&t, 0x80002000 + 16),
		 0x100200000ull | 0x77cull | S2_XN | BLOCK);
	CHECK_EQ(pt_at(&t, 0x80002000 + 24), 0x80004000ull | TABLE);
	CHECK_EQ(pt_at(&t, 0x80004000), 0x100400000ull | 0x77cull | S2_XN |
						PAGE);
	CHECK_EQ(pt_at(&t, 0x80004000 + 8), 0);
	CHECK_EQ(pt_count(&t, 0x80002000), 1 + 4);
	CHECK_EQ(pt_count(&t, 0x80003000), 1 + 1);
	CHECK_EQ(pt_count(&t, 0x80004000), 1 + 1);
	CHECK_EQ(pt_pa(&t, 0x1ff123), 0xfffff123ull);
	CHECK_EQ(pt_pa(&t, 0x3fffff), 0x1001fffffull);
	CHECK_EQ(pt_pa(&t, 0x600fff), 0x100400fffull);
	CHECK_EQ(pt_pa(&t, 0x601000), ~0ull);
	/* Each new leaf is cleaned before it is stored: per run, the
	 * cleans, one DSB ISH, the stores. A 2M block is 512 pages. */
	CHECK_EQ(vmsa_host_stats(t.h)->cmo[VMSA_PGT_DC_CVAC], 1 + 1024 + 1);
	CHECK_EQ(vmsa_host_stats(t.h)->dsb[VMSA_PGT_DSB_ISH], 3);
	CHECK_EQ(vmsa_host_stats(t.h)->tlbi[VMSA_TLBI_IPAS2E1], 0);

	/* VMSA_PGT_PAGES: only pages, even where a block fits. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x80000000), 0x200000,
			      VMSA_OA(0x80000000), VMSA_PGT_PROT_RW,
			      VMSA_PGT_PAGES), 0);
	CHECK_EQ(pt_leaf(&t, 0x80000000, &level), 0x80000000ull | S2_RW_WB |
							   S2_XN | PAGE);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_leaf(&t, 0x801ff000, &level), 0x801ff000ull | S2_RW_WB |
							   S2_XN | PAGE);
	pt_fini(&t);
}

/* Memory types and permissions: the stage-2 encodings, with and without
 * FEAT_S2FWB, and which of them get cache maintenance. */
TEST(pgt_map_s2_attrs)
{
	pt_t t;
	vmsa_pgt_features_t f = pt_features(0);

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x0), 0x1000, VMSA_OA(0x1000),
			      VMSA_PGT_PROT_R | VMSA_PGT_PROT_DEVICE, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000, VMSA_OA(0x2000),
			      VMSA_PGT_PROT_RW | VMSA_PGT_PROT_NC, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x2000), 0x1000, VMSA_OA(0x3000),
			      VMSA_PGT_PROT_RWX, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x3000), 0x1000, VMSA_OA(0x4000),
			      0, 0), 0);
	/* Device-nGnRE 0x1, S2AP RO, XN: no maintenance at all. */
	CHECK_EQ(pt_at(&t, 0x80003000), 0x1000ull | 0x744 | S2_XN | PAGE);
	/* Normal NC 0x5: not cacheable, no clean. */
	CHECK_EQ(pt_at(&t, 0x80003008), 0x2000ull | 0x7d4 | S2_XN | PAGE);
	/* Executable: clean to PoC, DSB, then the I-cache (no DIC). */
	CHECK_EQ(pt_at(&t, 0x80003010), 0x3000ull | S2_RW_WB | PAGE);
	/* No access at all: S2AP 0. */
	CHECK_EQ(pt_at(&t, 0x80003018), 0x4000ull | 0x73c | S2_XN | PAGE);
	CHECK_STR(pt_trace(&t, false),
		  "dc.cvac(0x3000) dsb.ish ic.ivau(0x3000) dsb.ish "
		  "dc.cvac(0x4000) dsb.ish");
	/* Bad prot: W without R, NC with DEVICE, USER at stage 2, unknown
	 * bits. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x5000), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_W, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x5000), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R | VMSA_PGT_PROT_NC |
				      VMSA_PGT_PROT_DEVICE, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x5000), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R | VMSA_PGT_PROT_USER, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x5000), 0x1000, VMSA_OA(0),
			      1u << 9, 0), -EINVAL);
	pt_fini(&t);

	/* S2FWB: MemAttr 0x6 forces Write-Back, no clean; executable pages
	 * still need the I-cache, after a clean to PoU (no IDC). With DIC
	 * and IDC: nothing. */
	f.s2fwb = true;
	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40,
			   VMSA_PGT_LEVEL_AUTO, f, 64), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x0), 0x1000, VMSA_OA(0x1000),
			      VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000, VMSA_OA(0x2000),
			      VMSA_PGT_PROT_RWX, 0), 0);
	CHECK_EQ(pt_at(&t, 0x80003000), 0x1000ull | 0x7d8 | S2_XN | PAGE);
	CHECK_EQ(pt_at(&t, 0x80003008), 0x2000ull | 0x7d8 | PAGE);
	CHECK_STR(pt_trace(&t, false),
		  "dc.cvau(0x2000) dsb.ish ic.ivau(0x2000) dsb.ish");
	pt_fini(&t);
	/* The features are read when the table is initialised. */
	f.dic = true;
	f.idc = true;
	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40,
			   VMSA_PGT_LEVEL_AUTO, f, 64), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000, VMSA_OA(0x2000),
			      VMSA_PGT_PROT_R, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x2000), 0x1000, VMSA_OA(0x3000),
			      VMSA_PGT_PROT_RWX, 0), 0);
	CHECK_STR(pt_trace(&t, true), "w.rel");
	pt_fini(&t);
}

/* Argument checks of map. */
TEST(pgt_map_bad_ranges)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x800), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x800, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000, VMSA_OA(0x10),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	/* Beyond the 40-bit input, or wrapping. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(1ull << 40), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA((1ull << 40) - 0x1000), 0x2000,
			      VMSA_OA(0), VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), ~0xfffull, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	/* Output beyond 48 bits. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(1ull << 48), VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(NULL, VMSA_IA(0x1000), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R, 1u << 8), -EINVAL);
	/* Nothing happened. */
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	CHECK_EQ(pt_at(&t, POOL_PA), 0);
	pt_fini(&t);
}
