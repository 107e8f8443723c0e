/*
 * tests/pgtable/test_pgt_geometry.c - the library's inline geometry
 * (src/pgtable/pgt_int.h, repeated there so the library builds
 * freestanding) against the architecture core's functions, for every
 * granule and level; its start levels and concatenation against
 * vmsa_s1_start_level / vmsa_s2_start_level for every input size; the
 * 16K and 64K granules end to end.
 */
#include "pgt_test.h"
#include "pgtable/pgt_int.h"

TEST(pgt_geometry_matches_arch)
{
	vmsa_granule_t g;
	int l;

	for (g = VMSA_GRANULE_4K; g <= VMSA_GRANULE_64K; g++) {
		CHECK_EQ(pgt_gshift(g), vmsa_granule_shift(g));
		CHECK_EQ(pgt_stride(g), vmsa_granule_stride(g));
		for (l = 0; l <= 3; l++) {
			CHECK_EQ(pgt_lshift(g, l), vmsa_level_shift(g, l));
			CHECK_EQ(pgt_block_ok(g, l) && l < 3,
				 vmsa_block_allowed(g, l));
			CHECK_EQ(pgt_contig_n(g, l), vmsa_contig_entries(g, l));
			CHECK_EQ(pgt_oa_mask(g, l), vmsa_desc_oa_mask(g, l));
		}
		CHECK_EQ(pgt_table_mask(g), vmsa_oa_mask(vmsa_granule_shift(g)));
	}
}

/* Every input size: init succeeds exactly when the architecture allows
 * it, with the same start level (stage 1) or a level and root count that
 * some VTCR_EL2.SL0 gives (stage 2), and the fewest root pages. */
TEST(pgt_geometry_start_levels_match_arch)
{
	vmsa_granule_t g;
	unsigned bits, sl0, concat, best;
	int lvl, arch_lvl;
	pt_t t;

	for (g = VMSA_GRANULE_4K; g <= VMSA_GRANULE_64K; g++) {
		for (bits = 24; bits <= 49; bits++) {
			bool ok = vmsa_s1_start_level(g, bits, &arch_lvl);
			int err = pt_init_f(&t, VMSA_PGT_S1_EL2, g, bits,
					    VMSA_PGT_LEVEL_AUTO,
					    pt_features(0), 64);

			CHECK_EQ(err, ok ? 0 : -EINVAL);
			if (ok)
				CHECK_EQ(t.pgt.start_level, arch_lvl);
			if (err)
				t.pgt.root = NULL;
			pt_fini(&t);

			best = 0;
			lvl = -1;
			for (sl0 = 0; sl0 <= 2; sl0++)
				if (vmsa_s2_start_level(g, sl0, bits, &arch_lvl,
							&concat) &&
				    (!best || concat < best ||
				     (concat == best && arch_lvl < lvl))) {
					best = concat;
					lvl = arch_lvl;
				}
			err = pt_init_f(&t, VMSA_PGT_S2, g, bits,
					VMSA_PGT_LEVEL_AUTO, pt_features(0), 64);
			CHECK_EQ(err, best ? 0 : -EINVAL);
			if (best) {
				CHECK_EQ(t.pgt.n_roots, best);
				CHECK_EQ(t.pgt.start_level, lvl);
			} else {
				t.pgt.root = NULL;
			}
			pt_fini(&t);
		}
	}
}

/* 16K: a 32M block at L2, pages at L3; 64K: a 512M block at L2. */
TEST(pgt_granules_16k_64k)
{
	pt_t t;
	int level;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_16K, 40, 0), 0);
	/* 16K, 40 bits: L1 (36 + 11 >= 40), one root. */
	CHECK_EQ(t.pgt.start_level, 1);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x2000000), 0x2004000,
			      VMSA_OA(0x42000000), VMSA_PGT_PROT_RW, 0), 0);
	/* Root 0x80000000, L2 at 0x80004000, L3 at 0x80008000. */
	CHECK_EQ(pt_at(&t, POOL_PA), 0x80004000ull | 3);
	CHECK_EQ(pt_at(&t, 0x80004008), 0x42000000ull | 0x7fd | (1ull << 54));
	CHECK_EQ(pt_at(&t, 0x80004010), 0x80008000ull | 3);
	CHECK_EQ(pt_at(&t, 0x80008000), 0x44000000ull | 0x7ff | (1ull << 54));
	CHECK_EQ(pt_leaf(&t, 0x3ffffff, &level) & 0xfffffe000000ull,
		 0x42000000ull);
	CHECK_EQ(level, 2);
	CHECK_EQ(pt_pa(&t, 0x3ffffff), 0x43ffffffull);
	CHECK_EQ(pt_pa(&t, 0x4003fff), 0x44003fffull);
	CHECK_EQ(pt_pa(&t, 0x4004000), ~0ull);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0x2000000), 0x2004000, 0), 0);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
	pt_fini(&t);

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_64K, 40, 0), 0);
	/* 64K, 40 bits: L2 (29 + 13 >= 40), one root. */
	CHECK_EQ(t.pgt.start_level, 2);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x20000000), 0x20010000,
			      VMSA_OA(0x60000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(pt_at(&t, POOL_PA + 8), 0x60000000ull | 0x7fd | (1ull << 54));
	CHECK_EQ(pt_at(&t, POOL_PA + 16), 0x80010000ull | 3);
	CHECK_EQ(pt_at(&t, 0x80010000), 0x80000000ull | 0x7ff | (1ull << 54));
	CHECK_EQ(pt_pa(&t, 0x3fffffff), 0x7fffffffull);
	CHECK_EQ(pt_pa(&t, 0x4000ffff), 0x8000ffffull);
	/* A 64K page clean is one CMO call per granule page. */
	CHECK_EQ(vmsa_host_stats(t.h)->cmo[VMSA_PGT_DC_CVAC],
		 0x20000000 / 0x10000 + 1);
	pt_fini(&t);
}

/* Concatenated roots: 4K, 40 bits, start level 1: two root pages
 * indexed as one table; the second page's entries hold its own
 * references. */
TEST(pgt_concatenated_roots)
{
	pt_t t;

	CHECK_EQ(pt_init_f(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 1,
			   pt_features(0), 64), 0);
	CHECK_EQ(t.pgt.n_roots, 2);
	/* IPA 512G + 1G: entry 513 of the root, in its second page. */
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x8040000000ull), 0x40000000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(pt_at(&t, POOL_PA + 513 * 8),
		 0x40000000ull | 0x7fd | (1ull << 54));
	CHECK_EQ(pt_count(&t, POOL_PA), 1);
	CHECK_EQ(pt_count(&t, POOL_PA + 0x1000), 2);
	CHECK_EQ(pt_pa(&t, 0x8040000123ull), 0x40000123ull);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x1000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(pt_count(&t, POOL_PA), 2);
	CHECK_EQ(pt_pa(&t, 0x1fff), 0x1fffull);
	CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 1ull << 40, 0), 0);
	CHECK_EQ(pt_count(&t, POOL_PA), 1);
	CHECK_EQ(pt_count(&t, POOL_PA + 0x1000), 1);
	CHECK_EQ(vmsa_host_pages_in_use(t.h), 2);
	pt_fini(&t);
}

/* 16K and 64K: Contiguous runs of 128 and 32 pages, and the TLBI operand
 * (the address bits below the granule RES0, the TTL's granule) as the
 * architecture core encodes it. */
TEST(pgt_granules_contig_and_tlbi_operands)
{
	static const struct {
		vmsa_granule_t g;
		unsigned n;       /* pages in a level-3 run */
		uint64_t page;
	} c[] = {
		{VMSA_GRANULE_16K, 128, 0x4000},
		{VMSA_GRANULE_64K, 32, 0x10000},
	};
	unsigned i, k;
	pt_t t;

	for (i = 0; i < 2; i++) {
		uint64_t run = c[i].n * c[i].page;
		const vmsa_host_event_t *ev;
		size_t n;

		CHECK_EQ(pt_init(&t, VMSA_PGT_S2, c[i].g, 40, 2), 0);
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(run), run,
				      VMSA_OA(0x40000000 + run),
				      VMSA_PGT_PROT_RW,
				      VMSA_PGT_CONTIG | VMSA_PGT_PAGES), 0);
		for (k = 0; k < c[i].n; k += c[i].n - 1) {
			uint64_t d;
			int level;

			CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt,
						   VMSA_IA(run + k * c[i].page),
						   &d, &level), 0);
			CHECK_EQ(level, 3);
			CHECK_EQ(d & (1ull << 52), 1ull << 52);
			CHECK_EQ(d & 0xfffffffff000ull,
				 0x40000000 + run + k * c[i].page);
		}
		CHECK_EQ(pt_pa(&t, run + 5 * c[i].page + 3),
			 0x40000000 + run + 5 * c[i].page + 3);
		/* Unmap the last page of the run: the run loses the bit (one
		 * store each at level 2, RKHRBC), then the page goes. */
		pt_reset(&t);
		CHECK_EQ(vmsa_pgt_unmap(&t.pgt,
					VMSA_IA(2 * run - c[i].page),
					c[i].page, 0), 0);
		n = vmsa_host_events(t.h, &ev, NULL);
		CHECK(n > 2);
		for (k = 0; k < n; k++)
			if (ev[k].kind == VMSA_HOST_EV_TLBI &&
			    ev[k].tlbi.op.type == VMSA_TLBI_IPAS2E1)
				break;
		CHECK(k < n);
		if (k < n)
			CHECK_EQ(ev[k].tlbi.xt,
				 vmsa_tlbi_ipa(run, c[i].g, 3));
		CHECK_EQ(pt_pa(&t, 2 * run - 1), ~0ull);
		CHECK_EQ(pt_pa(&t, 2 * run - c[i].page - 1),
			 0x40000000 + 2 * run - c[i].page - 1);
		pt_fini(&t);
	}
}
