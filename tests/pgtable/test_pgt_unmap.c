/*
 * tests/pgtable/test_pgt_unmap.c - vmsa_pgt_unmap: exact descriptors and
 * reference counts after removing pages and blocks, tables freed only
 * after the invalidation that covers their unlinked entry, blocks split
 * at the edges of the range, and the maintenance sequence of each case.
 *
 * Stage 2, 4K, 40-bit IPA: root 0x80000000, then L1, L2, L3 tables as
 * the maps need them (pgt_test.h).
 */
#include "pgt_test.h"

#define S2_RW_WB 0x7fcull
#define S2_XN (1ull << 54)

/* One page of a table that keeps another: the leaf is cleared, then DSB
 * ISHST, TLBI IPAS2E1IS with the level hint (TTL 4K L3), DSB ISH, TLBI
 * VMALLE1IS (D8.17.6.1), DSB ISH. Nothing freed. */
TEST(pgt_unmap_page_keeps_table)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x2000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(pt_count(&t, 0x80003000), 3);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x1000), 0x1000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.ishst tlbi.ipas2e1is(0x1000,L3) dsb.ish "
		  "tlbi.vmalle1is dsb.ish");
	CHECK_EQ(pt_at(&t, 0x80003008), 0);
	CHECK_EQ(pt_at(&t, 0x80003010), 0x40001000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(pt_count(&t, 0x80003000), 2);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 4);
	/* The TLBI operand is the architecture core's encoding. */
	{
		const vmsa_host_event_t *ev;
		size_t n = vmsa_host_events(t.h, &ev, NULL);

		CHECK_EQ(n, 6);
		CHECK_EQ(ev[2].kind, VMSA_HOST_EV_TLBI);
		CHECK_EQ(ev[2].tlbi.xt,
			 vmsa_tlbi_ipa(0x1000, VMSA_GRANULE_4K, 3));
		CHECK_EQ(ev[2].tlbi.vmid, 5);
	}
	CHECK_EQ(pt_pa(&t, 0x1000), ~0ull);
	CHECK_EQ(pt_pa(&t, 0x2000), 0x40001000ull);
	pt_fini(&t);
}

/* The last page of three tables: each empty table is unlinked, and its
 * page freed only after TLBI VMALLS12E1IS (the whole VMID: walk caches
 * hold table entries, FEAT_nTLBPA = 0 lets them be indexed by the table's
 * address) and DSB ISH. */
TEST(pgt_unmap_frees_empty_tables)
{
	pt_t t;
	const vmsa_host_event_t *ev;
	size_t n, i, tlbi_at = 0, first_free = 0;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 4);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x1000), 0x1000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.ishst tlbi.ipas2e1is(0x1000,L3) w w w dsb.ishst "
		  "tlbi.vmalls12e1is dsb.ish");
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	CHECK_EQ(vmsa_host_stats(t.h)->frees, 3);
	CHECK_EQ(pt_at(&t, POOL_PA), 0);
	CHECK_EQ(pt_count(&t, POOL_PA), 1);
	/* Every free comes after the VMID's invalidation completed. */
	n = vmsa_host_events(t.h, &ev, NULL);
	for (i = 0; i < n; i++) {
		if (ev[i].kind == VMSA_HOST_EV_TLBI &&
		    ev[i].tlbi.op.type == VMSA_TLBI_VMALLS12E1)
			tlbi_at = i;
		if (ev[i].kind == VMSA_HOST_EV_FREE && !first_free)
			first_free = i;
	}
	CHECK(tlbi_at > 0);
	CHECK(first_free > tlbi_at + 1);
	CHECK_EQ(ev[tlbi_at + 1].kind, VMSA_HOST_EV_DSB);
	CHECK_EQ(ev[tlbi_at + 1].sub, VMSA_PGT_DSB_ISH);
	pt_fini(&t);
}

/* A table entirely inside the range is unlinked whole: no store per leaf,
 * one invalidation of the VMID, every page of the subtree freed with its
 * references dropped to 0. */
TEST(pgt_unmap_whole_tables)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	/* 4M of pages: two L3 tables under one L2. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x40000000), 0x400000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW,
			      VMSA_PGT_PAGES), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 5);
	CHECK_EQ(pt_count(&t, 0x80003000), 1 + 512);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x40000000), 0x40000000, 0),
		 0);
	/* The L2 table goes whole, and the L1 table it leaves empty. */
	CHECK_STR(pt_trace(&t, true),
		  "w w dsb.ishst tlbi.vmalls12e1is dsb.ish");
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	CHECK_EQ(pt_count(&t, 0x80001000), -1);
	CHECK_EQ(vmsa_host_stats(t.h)->frees, 4);
	CHECK_EQ(pt_pa(&t, 0x40000000), ~0ull);
	pt_fini(&t);
}

/* Unmapping part of a block splits it first (a new L3 table, replacing
 * the block by break-before-make at level 0), then clears the pages. */
TEST(pgt_unmap_splits_block_edges)
{
	pt_t t;
	int level;
	unsigned i;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 3);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x201000), 0x1000, 0), 0);
	/* 512 stores into the unlinked new table (no maintenance), the
	 * break of the block (store 0, DSB ISHST, TLBI of the block at L2,
	 * DSB ISH, VMALLE1IS, DSB ISH), the table's store-release, then the
	 * page's removal. */
	{
		char want[8192] = "";

		for (i = 0; i < 512; i++)
			strcat(want, "w ");
		strcat(want, "w dsb.ishst tlbi.ipas2e1is(0x200000,L2) dsb.ish "
			     "tlbi.vmalle1is dsb.ish w.rel "
			     "w dsb.ishst tlbi.ipas2e1is(0x201000,L3) dsb.ish "
			     "tlbi.vmalle1is dsb.ish");
		CHECK_STR(pt_trace(&t, true), want);
	}
	CHECK_EQ(pt_at(&t, 0x80002008), 0x80003000ull | 3);
	CHECK_EQ(pt_count(&t, 0x80003000), 1 + 511);
	CHECK_EQ(pt_leaf(&t, 0x200000, &level),
		 0x40200000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_leaf(&t, 0x201000, &level), 0);
	CHECK_EQ(pt_leaf(&t, 0x3ff000, &level),
		 0x403ff000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(pt_pa(&t, 0x202345), 0x40202345ull);

	/* Out of memory for the split: nothing unmapped. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x400000), 0x200000,
			      VMSA_OA(0x40400000), VMSA_PGT_PROT_RW, 0), 0);
	vmsa_host_fail_alloc(t.h, 1);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x3ff000), 0x2000, 0),
		 -ENOMEM);
	CHECK_EQ(pt_leaf(&t, 0x3ff000, &level),
		 0x403ff000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(pt_leaf(&t, 0x400000, &level),
		 0x40400000ull | S2_RW_WB | S2_XN | 1);
	CHECK_EQ(level, 2);
	pt_fini(&t);
}

/* Shared walks: each leaf is locked (CAS to VMSA_PGT_LOCKED), the batch
 * invalidated and completed, then cleared; no table is freed. A locked
 * entry met on the way gives -EAGAIN. */
TEST(pgt_unmap_shared)
{
	pt_t t;
	uint64_t *p;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x2000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x1000), 0x1000,
				VMSA_PGT_SHARED), 0);
	CHECK_STR(pt_trace(&t, true),
		  "cas dsb.ishst tlbi.ipas2e1is(0x1000,L3) dsb.ish "
		  "tlbi.vmalle1is dsb.ish w");
	CHECK_EQ(pt_at(&t, 0x80003008), 0);
	CHECK_EQ(pt_count(&t, 0x80003000), 2);
	/* Another walker holds the second page. */
	p = vmsa_host_ops(t.h)->phys_to_virt(t.h, VMSA_PGT_PA(0x80003010));
	*p = VMSA_PGT_LOCKED;
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x2000), 0x1000,
				VMSA_PGT_SHARED), -EAGAIN);
	CHECK_STR(pt_trace(&t, true), "");
	CHECK_EQ(pt_at(&t, 0x80003010), VMSA_PGT_LOCKED);
	/* The last shared unmap keeps even an empty table. */
	*p = 0x40001000ull | S2_RW_WB | S2_XN | 3;
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x2000), 0x1000,
				VMSA_PGT_SHARED), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 4);
	CHECK_EQ(pt_count(&t, 0x80003000), 1);
	/* An exclusive unmap of the empty range frees it, and the tables
	 * above it that it leaves empty. */
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 0x200000, 0), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	pt_fini(&t);
}

TEST(pgt_unmap_bad_args)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x1800), 0x1000, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x1000), 0, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(1ull << 40), 0x1000, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 0x1000, 1u << 5), -EINVAL);
	CHECK_EQ(vmsa_pgt_unmap(NULL, VMSA_IA(0), 0x1000, 0), -EINVAL);
	/* Unmapping nothing issues nothing. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 1ull << 40, 0), 0);
	CHECK_STR(pt_trace(&t, true), "");
	pt_fini(&t);
}
