/*
 * tests/pgtable/test_pgt_s1.c - stage-1 tables: the descriptors of each
 * regime (EL2 with one privilege level, EL1&0 and EL2&0 with EL0 and
 * ASIDs), their translation by the architecture core's walk with the
 * permissions it computes, and the stage-1 invalidations: by VA and ASID
 * at the last level for a leaf, the whole ASID (EL1&0) or EL2 for a
 * table, then an ISB for the issuing CPU's own regime (RBLDZX).
 *
 * Stage-1 leaf bits: AttrIndx [4:2] (0 = Normal WB in PT_MAIR, 1 NC,
 * 2 Device), AP[1] 0x40, AP[2] 0x80 (read-only), SH ISH 0x300, AF 0x400,
 * nG 0x800, PXN bit 53, UXN/XN bit 54.
 */
#include "pgt_test.h"

#define PXN (1ull << 53)
#define UXN (1ull << 54)

TEST(pgt_s1_el2_descriptors)
{
	pt_t t;
	vmsa_walk_t w;

	/* 4K, 39 bits: start level 1; tables at 0x80001000 (L2), L3. */
	CHECK_EQ(pt_init(&t, VMSA_PGT_S1_EL2, VMSA_GRANULE_4K, 39, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	/* No cache maintenance for the owner's own stage 1. */
	CHECK_STR(pt_trace(&t, true), "w w w.rel");
	CHECK_EQ(pt_at(&t, 0x80002008), 0x40000000ull | 0x743 | UXN);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x2000), 0x1000,
			      VMSA_OA(0x40001000), VMSA_PGT_PROT_R |
			      VMSA_PGT_PROT_X, 0), 0);
	CHECK_EQ(pt_at(&t, 0x80002010), 0x40001000ull | 0x7c3);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x3000), 0x1000,
			      VMSA_OA(0x9000000), VMSA_PGT_PROT_RW |
			      VMSA_PGT_PROT_DEVICE, 0), 0);
	CHECK_EQ(pt_at(&t, 0x80002018), 0x9000000ull | 0x74b | UXN);
	/* A 2M block. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(pt_at(&t, 0x80001008), 0x40200000ull | 0x741 | UXN);

	CHECK(pt_xlate(&t, 0x1008, VMSA_ACC_WRITE, 2, &w));
	CHECK_EQ(w.pa, 0x40000008ull);
	CHECK(w.perms.r && w.perms.w && !w.perms.x);
	CHECK(pt_xlate(&t, 0x2008, VMSA_ACC_EXEC, 2, &w));
	CHECK(w.perms.r && !w.perms.w && w.perms.x);
	CHECK(!pt_xlate(&t, 0x2008, VMSA_ACC_WRITE, 2, &w));
	CHECK_EQ(w.fault.kind, VMSA_FAULT_PERMISSION);
	CHECK(pt_xlate(&t, 0x3000, VMSA_ACC_READ, 2, &w));
	CHECK_EQ(w.attr.type, VMSA_MT_DEVICE_nGnRE);
	CHECK_EQ(pt_pa(&t, 0x3fffff), 0x403fffffull);

	/* USER has no meaning with one privilege level; stage 1 cannot
	 * map without read access. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x4000), 0x1000, VMSA_OA(0),
			      VMSA_PGT_PROT_R | VMSA_PGT_PROT_USER, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x4000), 0x1000, VMSA_OA(0), 0,
			      0), -EINVAL);

	/* Unmap a page: VALE2IS (no ASID at EL2), DSB ISH, ISB. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x1000), 0x1000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.ishst tlbi.vale2is(0x1000,L3) dsb.ish isb");
	/* Unmap everything: the L3 table goes whole; the block is cleared
	 * and invalidated by VA (its table is not known to become empty
	 * until the end of the loop); then the empty L2 table goes too, and
	 * both pages are freed after ALLE2IS. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 0x400000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w w dsb.ishst tlbi.vale2is(0x200000,L2) w dsb.ishst "
		  "tlbi.alle2is dsb.ish isb");
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	pt_fini(&t);
}

TEST(pgt_s1_el1_descriptors)
{
	pt_t t;
	vmsa_walk_t w;
	const vmsa_host_event_t *ev;

	/* 4K, 48 bits: start level 0, ASID 9, VMID 5. */
	CHECK_EQ(pt_init(&t, VMSA_PGT_S1_EL1, VMSA_GRANULE_4K, 48, 0), 0);
	CHECK_EQ(t.pgt.start_level, 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	/* Kernel RW: nG, UXN and PXN. */
	CHECK_EQ(pt_at(&t, 0x80003008), 0x40000000ull | 0xf03 | UXN | PXN);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x2000), 0x1000,
			      VMSA_OA(0x40001000), VMSA_PGT_PROT_R |
			      VMSA_PGT_PROT_X | VMSA_PGT_PROT_USER, 0), 0);
	/* User RX: AP[1] and AP[2], PXN (executable at EL0 only). */
	CHECK_EQ(pt_at(&t, 0x80003010), 0x40001000ull | 0xfc3 | PXN);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x3000), 0x1000,
			      VMSA_OA(0x40002000), VMSA_PGT_PROT_RWX, 0), 0);
	CHECK_EQ(pt_at(&t, 0x80003018), 0x40002000ull | 0xf03 | UXN);

	CHECK(pt_xlate(&t, 0x1000, VMSA_ACC_WRITE, 1, &w));
	CHECK(w.ng);
	CHECK(w.perms.w && !w.perms.x && !w.perms.r0);
	CHECK(pt_xlate(&t, 0x2000, VMSA_ACC_EXEC, 0, &w));
	CHECK(w.perms.r0 && w.perms.x0 && !w.perms.w0 && !w.perms.x);
	CHECK(pt_xlate(&t, 0x3000, VMSA_ACC_EXEC, 1, &w));
	CHECK(w.perms.x && !w.perms.r0);

	/* Unmap one page: VALE1IS with the ASID, for VMID 5. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x2000), 0x1000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.ishst tlbi.vale1is(0x2000,L3,asid=9) dsb.ish isb");
	CHECK_EQ(vmsa_host_events(t.h, &ev, NULL), 5);
	CHECK_EQ(ev[2].tlbi.xt, vmsa_tlbi_va(0x2000, 9, VMSA_GRANULE_4K, 3));
	CHECK_EQ(ev[2].tlbi.vmid, 5);
	/* The rest: the tables go after ASIDE1IS. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 0x200000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w w w dsb.ishst tlbi.aside1is(asid=9) dsb.ish isb");
	pt_fini(&t);
}

/* EL2&0: two privilege levels and an ASID as EL1&0, the EL2 TLBIs:
 * VALE2IS with the ASID for a leaf, ALLE2IS for a table (no by-ASID
 * operation of its own). */
TEST(pgt_s1_el20_descriptors)
{
	pt_t t;
	vmsa_walk_t w;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S1_EL20, VMSA_GRANULE_16K, 36, 0), 0);
	/* 16K, 36 bits: start level 2 (Table D8-28), one root. */
	CHECK_EQ(t.pgt.start_level, 2);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x4000), 0x4000,
			      VMSA_OA(0x40004000), VMSA_PGT_PROT_RW |
			      VMSA_PGT_PROT_USER, 0), 0);
	/* Root 0x80000000, L3 table at 0x80004000: user RW, nG, PXN and
	 * UXN (not executable). */
	CHECK_EQ(pt_at(&t, POOL_PA), 0x80004000ull | 3);
	CHECK_EQ(pt_at(&t, 0x80004008), 0x40004000ull | 0xf43 | UXN | PXN);
	CHECK(pt_xlate(&t, 0x4008, VMSA_ACC_WRITE, 0, &w));
	CHECK_EQ(w.pa, 0x40004008ull);
	CHECK(w.perms.w0 && w.perms.r0 && !w.perms.x0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_wrprotect(&t.pgt, VMSA_IA(0), 0x8000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.ishst tlbi.vale2is(0x4000,L3,asid=9) dsb.ish isb");
	CHECK_EQ(pt_at(&t, 0x80004008), 0x40004000ull | 0xfc3 | UXN | PXN);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 0x2000000, 0), 0);
	CHECK_STR(pt_trace(&t, true), "w dsb.ishst tlbi.alle2is dsb.ish isb");
	pt_fini(&t);
}
