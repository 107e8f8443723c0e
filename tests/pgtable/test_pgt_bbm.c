/*
 * tests/pgtable/test_pgt_bbm.c - the update sequences (src/pgtable/bbm.c)
 * as the host backend records them: split and collapse at BBM levels 0
 * and 2 in exclusive and shared walks, replacing a leaf (break or not,
 * RWHZWS), wrprotect, relax_perms, mkyoung, test_clear_young, contiguous
 * runs, flush, the conflict handler, and -EAGAIN on a locked entry.
 *
 * Stage 2, 4K, 40-bit IPA: root 0x80000000, L1 0x80001000, L2
 * 0x80002000, then the next table at 0x80003000.
 */
#include "pgt_test.h"

#define S2_RW_WB 0x7fcull
#define S2_RO_WB 0x77cull
#define S2_XN (1ull << 54)
#define CONT (1ull << 52)

/* "w w ... w " n times. */
static const char *ws(unsigned n)
{
	static char buf[8192];
	unsigned i;

	buf[0] = 0;
	for (i = 0; i < n; i++)
		strcat(buf, "w ");
	return buf;
}

static char want[16384];

static const char *cat2(const char *a, const char *b)
{
	snprintf(want, sizeof(want), "%s%s", a, b);
	return want;
}

/* A 2M block at IPA 0x200000 -> 0x40200000, then split. */
static void split_case(unsigned bbm, unsigned flags, const char *seq)
{
	pt_t t;
	unsigned i;
	int level;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, bbm), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_split(&t.pgt, VMSA_IA(0x200000), 0x200000, flags),
		 0);
	/* The new table's 512 entries are written while it is unlinked. */
	CHECK_STR(pt_trace(&t, true), cat2(ws(512), seq));
	CHECK_EQ(pt_at(&t, 0x80002008), 0x80003000ull | 3);
	for (i = 0; i < 512; i += 73)
		CHECK_EQ(pt_at(&t, 0x80003000 + 8 * i),
			 (0x40200000ull + 0x1000 * i) | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(pt_count(&t, 0x80003000), 513);
	CHECK_EQ(pt_count(&t, 0x80002000), 2);
	CHECK_EQ(pt_leaf(&t, 0x3ff000, &level),
		 0x403ff000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_pa(&t, 0x3fffff), 0x403fffffull);
	pt_fini(&t);
}

TEST(pgt_split_sequences)
{
	/* Level 0: break the block, invalidate it, then the table. */
	split_case(0, 0,
		   "w dsb.ishst tlbi.ipas2e1is(0x200000,L2) dsb.ish "
		   "tlbi.vmalle1is dsb.ish w.rel");
	split_case(0, VMSA_PGT_SHARED,
		   "cas dsb.ishst tlbi.ipas2e1is(0x200000,L2) dsb.ish "
		   "tlbi.vmalle1is dsb.ish w.rel");
	/* Level 1 is treated as level 0 (no nT sequence). */
	split_case(1, 0,
		   "w dsb.ishst tlbi.ipas2e1is(0x200000,L2) dsb.ish "
		   "tlbi.vmalle1is dsb.ish w.rel");
	/* Level 2: the table replaces the block in one store, then the
	 * block is invalidated. */
	split_case(2, 0,
		   "w.rel dsb.ishst tlbi.ipas2e1is(0x200000,L2) dsb.ish "
		   "tlbi.vmalle1is dsb.ish");
	split_case(2, VMSA_PGT_SHARED,
		   "cas dsb.ishst tlbi.ipas2e1is(0x200000,L2) dsb.ish "
		   "tlbi.vmalle1is dsb.ish");
}

/* Splitting a 1G block goes down to pages; out of memory half-way
 * leaves the unsplit blocks as they were and every table valid. */
TEST(pgt_split_recursive_and_enomem)
{
	pt_t t;
	int level;

	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40,
			   VMSA_PGT_LEVEL_AUTO, pt_features(2), 1024), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x40000000), 0x40000000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_split(&t.pgt, VMSA_IA(0x40000000), 0x400000, 0), 0);
	/* One L2 table (the 1G block), two L3 tables. */
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 2 + 3);
	CHECK_EQ(pt_leaf(&t, 0x40001000, &level),
		 0x40001000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_leaf(&t, 0x40400000, &level),
		 0x40400000ull | S2_RW_WB | S2_XN | 1);
	CHECK_EQ(level, 2);
	/* The third 2M block needs a table: none left. */
	vmsa_host_fail_alloc(t.h, 2);
	CHECK_EQ(vmsa_pgt_split(&t.pgt, VMSA_IA(0x40400000), 0x400000, 0),
		 -ENOMEM);
	CHECK_EQ(pt_leaf(&t, 0x40400000, &level) & 3, 3);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt_leaf(&t, 0x40600000, &level),
		 0x40600000ull | S2_RW_WB | S2_XN | 1);
	CHECK_EQ(level, 2);
	CHECK_EQ(pt_pa(&t, 0x40654321), 0x40654321ull);
	pt_fini(&t);
}

static void collapse_case(unsigned bbm, const char *seq)
{
	pt_t t;
	int level;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, bbm), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW,
			      VMSA_PGT_PAGES), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 4);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000), 0), 0);
	CHECK_STR(pt_trace(&t, true), seq);
	CHECK_EQ(pt_leaf(&t, 0x200000, &level),
		 0x40200000ull | S2_RW_WB | S2_XN | 1);
	CHECK_EQ(level, 2);
	/* The L3 table is freed, after the invalidation. */
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 3);
	CHECK_EQ(vmsa_host_stats(t.h)->frees, 1);
	CHECK_EQ(pt_count(&t, 0x80002000), 2);
	CHECK_EQ(pt_pa(&t, 0x3fffff), 0x403fffffull);
	pt_fini(&t);
}

TEST(pgt_collapse_sequences)
{
	collapse_case(0, "w dsb.ishst tlbi.vmalls12e1is dsb.ish w.rel");
	collapse_case(2, "w.rel dsb.ishst tlbi.vmalls12e1is dsb.ish");
}

TEST(pgt_collapse_errors)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 2), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW,
			      VMSA_PGT_PAGES), 0);
	/* Not aligned to any block size. */
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x201000), 0), -EINVAL);
	/* Shared walks do not free tables. */
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000),
				   VMSA_PGT_SHARED), -EINVAL);
	/* Nothing mapped there: no table. */
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x400000), 0), -ENOENT);
	/* Not uniform: one page elsewhere, one page missing, one page
	 * read-only. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x201000), 0x1000,
			      VMSA_OA(0x50000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000), 0), -EEXIST);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x201000), 0x1000, 0), 0);
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000), 0), -EEXIST);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x201000), 0x1000,
			      VMSA_OA(0x40201000), VMSA_PGT_PROT_R, 0), 0);
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000), 0), -EEXIST);
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(0x201000),
				      VMSA_PGT_PROT_W, 0), 0);
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000), 0), 0);
	/* A block already: no table. */
	CHECK_EQ(vmsa_pgt_collapse(&t.pgt, VMSA_IA(0x200000), 0), -ENOENT);
	pt_fini(&t);
}

/* Replacing a valid leaf by map: a permission change is one store and a
 * TLBI (RGPPYH); an output change breaks first (RWHZWS), at every
 * level. */
TEST(pgt_map_replace_sequences)
{
	pt_t t;
	unsigned bbm;

	for (bbm = 0; bbm <= 2; bbm += 2) {
		CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, bbm), 0);
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
				      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW,
				      0), 0);
		pt_reset(&t);
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
				      VMSA_OA(0x40000000), VMSA_PGT_PROT_R,
				      0), 0);
		CHECK_STR(pt_trace(&t, true),
			  "dc.cvac(0x40000000) dsb.ish w dsb.ishst "
			  "tlbi.ipas2e1is(0x1000,L3) dsb.ish tlbi.vmalle1is "
			  "dsb.ish");
		CHECK_EQ(pt_at(&t, 0x80003008),
			 0x40000000ull | S2_RO_WB | S2_XN | 3);
		pt_reset(&t);
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
				      VMSA_OA(0x50000000), VMSA_PGT_PROT_R,
				      VMSA_PGT_SHARED), 0);
		CHECK_STR(pt_trace(&t, true),
			  "dc.cvac(0x50000000) dsb.ish cas dsb.ishst "
			  "tlbi.ipas2e1is(0x1000,L3) dsb.ish tlbi.vmalle1is "
			  "dsb.ish w.rel");
		CHECK_EQ(pt_at(&t, 0x80003008),
			 0x50000000ull | S2_RO_WB | S2_XN | 3);
		CHECK_EQ(pt_count(&t, 0x80003000), 2);
		pt_fini(&t);
	}
}

/* A shared walk that meets a locked entry backs off, changing
 * nothing. */
TEST(pgt_shared_locked_eagain)
{
	pt_t t;
	uint64_t *p;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	p = vmsa_host_ops(t.h)->phys_to_virt(t.h, VMSA_PGT_PA(0x80003008));
	*p = VMSA_PGT_LOCKED;
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW,
			      VMSA_PGT_SHARED), -EAGAIN);
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(0x1000),
				      VMSA_PGT_PROT_X, VMSA_PGT_SHARED),
		 -EAGAIN);
	CHECK_EQ(vmsa_pgt_mkyoung(&t.pgt, VMSA_IA(0x1000), VMSA_PGT_SHARED),
		 -EAGAIN);
	CHECK_EQ(vmsa_pgt_wrprotect(&t.pgt, VMSA_IA(0), 0x200000,
				    VMSA_PGT_SHARED), -EAGAIN);
	CHECK_STR(pt_trace(&t, true), "dc.cvac(0x40000000) dsb.ish");
	CHECK_EQ(*p, VMSA_PGT_LOCKED);
	/* A walker holding a table entry: a map below it backs off. */
	*p = 0x40000000ull | S2_RW_WB | S2_XN | 3;
	p = vmsa_host_ops(t.h)->phys_to_virt(t.h, VMSA_PGT_PA(0x80002008));
	*p = VMSA_PGT_LOCKED;
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x201000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW,
			      VMSA_PGT_SHARED), -EAGAIN);
	*p = 0;
	pt_fini(&t);
}

TEST(pgt_wrprotect_sequence)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x2000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW, 0), 0);
	pt_reset(&t);
	/* The block is only partly in the range: write-protected whole. */
	CHECK_EQ(vmsa_pgt_wrprotect(&t.pgt, VMSA_IA(0x2000), 0x200000, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.ishst tlbi.ipas2e1is(0x2000,L3) w dsb.ishst "
		  "tlbi.ipas2e1is(0x200000,L2) dsb.ish tlbi.vmalle1is dsb.ish");
	CHECK_EQ(pt_at(&t, 0x80003008), 0x40000000ull | S2_RW_WB | S2_XN | 3);
	CHECK_EQ(pt_at(&t, 0x80003010), 0x40001000ull | S2_RO_WB | S2_XN | 3);
	CHECK_EQ(pt_at(&t, 0x80002008), 0x40200000ull | S2_RO_WB | S2_XN | 1);
	/* Nothing writable left there: nothing issued. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_wrprotect(&t.pgt, VMSA_IA(0x2000), 0x200000,
				    VMSA_PGT_SHARED), 0);
	CHECK_STR(pt_trace(&t, true), "");
	pt_fini(&t);
}

TEST(pgt_relax_mkyoung_young)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 2), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_R, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(0x1000),
				      VMSA_PGT_PROT_W | VMSA_PGT_PROT_X, 0), 0);
	CHECK_STR(pt_trace(&t, true),
		  "w dsb.nshst tlbi.ipas2e1(0x1000,L3) dsb.nsh tlbi.vmalle1 "
		  "dsb.nsh");
	CHECK_EQ(pt_at(&t, 0x80003008), 0x40000000ull | S2_RW_WB | 3);
	/* Already so (another CPU's spurious fault): local TLBI only. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(0x1abc),
				      VMSA_PGT_PROT_W, VMSA_PGT_SHARED), 0);
	CHECK_STR(pt_trace(&t, true),
		  "dsb.nshst tlbi.ipas2e1(0x1000,L3) dsb.nsh tlbi.vmalle1 "
		  "dsb.nsh");
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(0x2000),
				      VMSA_PGT_PROT_W, 0), -ENOENT);
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(0x1000),
				      VMSA_PGT_PROT_USER, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_relax_perms(&t.pgt, VMSA_IA(1ull << 40),
				      VMSA_PGT_PROT_W, 0), -EINVAL);

	/* Young: cleared without invalidation, set without either. */
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_test_clear_young(&t.pgt, VMSA_IA(0), 0x200000,
					   false, 0), 1);
	CHECK_EQ(vmsa_pgt_test_clear_young(&t.pgt, VMSA_IA(0), 0x200000, true,
					   0), 1);
	CHECK_EQ(pt_at(&t, 0x80003008), 0x40000000ull | 0x3fc | 3);
	CHECK_EQ(vmsa_pgt_test_clear_young(&t.pgt, VMSA_IA(0), 0x200000, true,
					   VMSA_PGT_SHARED), 0);
	CHECK_EQ(vmsa_pgt_mkyoung(&t.pgt, VMSA_IA(0x1000), VMSA_PGT_SHARED), 0);
	CHECK_EQ(vmsa_pgt_mkyoung(&t.pgt, VMSA_IA(0x1000), 0), 0);
	CHECK_STR(pt_trace(&t, true), "w cas");
	CHECK_EQ(pt_at(&t, 0x80003008), 0x40000000ull | S2_RW_WB | 3);
	CHECK_EQ(vmsa_pgt_mkyoung(&t.pgt, VMSA_IA(0x5000), 0), -ENOENT);
	CHECK_EQ(vmsa_pgt_test_clear_young(&t.pgt, VMSA_IA(0x10), 0x1000,
					   true, 0), -EINVAL);
	pt_fini(&t);
}

/* VMSA_PGT_CONTIG: the bit on each whole aligned run of 16 pages; an
 * entry changing alone first clears the bit on its run: broken at level
 * 0, one store each at level 2 (RKHRBC). */
TEST(pgt_contiguous_runs)
{
	pt_t t;
	unsigned bbm, i;
	const vmsa_host_stats_t *st;

	for (bbm = 0; bbm <= 2; bbm += 2) {
		CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, bbm), 0);
		/* [60K, 140K): 1 page, a run of 16 at 64K, 4 pages. */
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0xf000), 0x15000,
				      VMSA_OA(0x4000f000), VMSA_PGT_PROT_RW,
				      VMSA_PGT_CONTIG), 0);
		CHECK_EQ(pt_at(&t, 0x80003000 + 15 * 8),
			 0x4000f000ull | S2_RW_WB | S2_XN | 3);
		for (i = 16; i < 32; i++)
			CHECK_EQ(pt_at(&t, 0x80003000 + 8 * i),
				 (0x40000000ull + 0x1000 * i) | S2_RW_WB |
					 S2_XN | CONT | 3);
		CHECK_EQ(pt_at(&t, 0x80003000 + 32 * 8),
			 0x40020000ull | S2_RW_WB | S2_XN | 3);
		CHECK_EQ(pt_pa(&t, 0x1f123), 0x4001f123ull);
		/* Output not aligned like the input: no run. */
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x100000), 0x10000,
				      VMSA_OA(0x50001000), VMSA_PGT_PROT_RW,
				      VMSA_PGT_CONTIG), 0);
		CHECK_EQ(pt_at(&t, 0x80003000 + 0x100 * 8) & CONT, 0);

		/* Unmap one page in the run. */
		pt_reset(&t);
		CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x14000), 0x1000, 0),
			 0);
		st = vmsa_host_stats(t.h);
		CHECK_EQ(st->tlbi[VMSA_TLBI_IPAS2E1], 16 + 1);
		CHECK_EQ(st->writes, bbm ? 16 + 1 : 32 + 1);
		CHECK_EQ(st->release_writes, bbm ? 0 : 16);
		for (i = 16; i < 32; i++)
			CHECK_EQ(pt_at(&t, 0x80003000 + 8 * i),
				 i == 20 ? 0
					 : (0x40000000ull + 0x1000 * i) |
						   S2_RW_WB | S2_XN | 3);
		CHECK_EQ(pt_count(&t, 0x80003000), 1 + 1 + 15 + 4 + 16);

		/* Mapping a run again elsewhere, with CONTIG: the run is
		 * not empty, so the new entries go without the bit (one
		 * claiming the whole run would overlap the old ones). */
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x20000), 0x10000,
				      VMSA_OA(0x60000000), VMSA_PGT_PROT_RW,
				      VMSA_PGT_CONTIG), 0);
		CHECK_EQ(pt_at(&t, 0x80003000 + 32 * 8),
			 0x60000000ull | S2_RW_WB | S2_XN | 3);
		CHECK_EQ(pt_at(&t, 0x80003000 + 47 * 8),
			 0x6000f000ull | S2_RW_WB | S2_XN | 3);
		/* An empty run gets it. */
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x30000), 0x10000,
				      VMSA_OA(0x60010000), VMSA_PGT_PROT_RW,
				      VMSA_PGT_CONTIG), 0);
		CHECK_EQ(pt_at(&t, 0x80003000 + 48 * 8),
			 0x60010000ull | S2_RW_WB | S2_XN | CONT | 3);
		pt_fini(&t);
	}
}

TEST(pgt_flush_and_conflict_handler)
{
	pt_t t;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 2), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x2000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x3000), 0x1000,
			      VMSA_OA(0x9000000),
			      VMSA_PGT_PROT_RW | VMSA_PGT_PROT_DEVICE, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_flush(&t.pgt, VMSA_IA(0), 0x10000), 0);
	CHECK_STR(pt_trace(&t, true),
		  "dc.cvac(0x40000000) dc.cvac(0x40001000) dsb.ish");
	CHECK_EQ(vmsa_pgt_flush(&t.pgt, VMSA_IA(0x8), 0x1000), -EINVAL);
	/* A block: one call for the part of it in the range. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW, 0), 0);
	pt_reset(&t);
	CHECK_EQ(vmsa_pgt_flush(&t.pgt, VMSA_IA(0x201000), 0x2000), 0);
	CHECK_EQ(vmsa_pgt_flush(&t.pgt, VMSA_IA(0x200000), 0x200000), 0);
	CHECK_STR(pt_trace(&t, true),
		  "dc.cvac(0x40201000+0x2000) dsb.ish "
		  "dc.cvac(0x40200000+0x200000) dsb.ish");
	CHECK_EQ(vmsa_host_stats(t.h)->cmo[VMSA_PGT_DC_CVAC], 2 + 512);
	pt_reset(&t);
	vmsa_pgt_s2_conflict_handler(vmsa_host_ops(t.h), 5);
	CHECK_STR(pt_trace(&t, true), "tlbi.vmalls12e1 dsb.nsh");
	vmsa_pgt_s2_conflict_handler(NULL, 5);
	pt_fini(&t);
}
