/*
 * tests/pgtable/test_pgt_alloc.c - out of memory in the middle of a map
 * or a split, at every allocation: the tables stay valid, every page of
 * the range is either as it was or as asked, every table page's count is
 * 1 + its valid entries, nothing leaks once the range is unmapped.
 */
#include "pgt_test.h"

/* Check every table page's count against its entries; returns the
 * number of table pages reached. */
static unsigned check_counts(pt_t *t, uint64_t pa, int level, unsigned n)
{
	unsigned i, valid = 0, pages = 1;
	uint64_t v;

	for (i = 0; i < n; i++) {
		v = pt_at(t, pa + 8 * i);
		if (!(v & 1))
			continue;
		valid++;
		if (level < 3 && (v & 3) == 3)
			pages += check_counts(t, v & 0xfffffffff000ull, level + 1,
					      512);
	}
	CHECK_EQ(pt_count(t, pa), 1 + valid);
	return pages;
}

static void check_tree(pt_t *t)
{
	unsigned pages = check_counts(t, t->pgt.root_pa.pa, t->pgt.start_level,
				      1u << (t->pgt.cfg.ia_bits -
					     (12 + 9 * (3 - t->pgt.start_level))));

	CHECK_EQ(pages, vmsa_host_pages_in_use(t->h));
	CHECK_EQ(vmsa_host_stats(t->h)->errors, 0);
}

/* Each page of [ia, ia + size) unmapped, or mapped to oa + offset. */
static void check_range(pt_t *t, uint64_t ia, uint64_t size, uint64_t oa,
			bool all)
{
	uint64_t off, pa;

	for (off = 0; off < size; off += 0x1000) {
		pa = pt_pa(t, ia + off);
		if (all)
			CHECK_EQ(pa, oa + off);
		else
			CHECK(pa == ~0ull || pa == oa + off);
	}
}

TEST(pgt_alloc_fail_every_map_allocation)
{
	/* [1G - 8K, 1G + 4M + 8K) in pages: an L1 table, L2 tables on
	 * both sides of the 1G boundary, and four L3 tables ([1G - 2M,
	 * 1G), [1G, 1G + 2M), [1G + 2M, 1G + 4M), [1G + 4M, 1G + 6M)). */
	const uint64_t ia = 0x40000000 - 0x2000, size = 0x404000;
	unsigned n, fails = 0;
	pt_t t;
	int err;

	for (n = 1; n < 20; n++) {
		CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
		vmsa_host_fail_alloc(t.h, n);
		err = vmsa_pgt_map(&t.pgt, VMSA_IA(ia), size,
				   VMSA_OA(0x80000000), VMSA_PGT_PROT_RW,
				   VMSA_PGT_PAGES);
		if (err) {
			CHECK_EQ(err, -ENOMEM);
			fails++;
		}
		check_tree(&t);
		check_range(&t, ia, size, 0x80000000, err == 0);
		/* Retrying completes it. */
		if (err)
			CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(ia), size,
					      VMSA_OA(0x80000000),
					      VMSA_PGT_PROT_RW, VMSA_PGT_PAGES),
				 0);
		check_range(&t, ia, size, 0x80000000, true);
		check_tree(&t);
		CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(ia), size, 0), 0);
		CHECK_EQ(vmsa_host_pages_in_use(t.h), 1);
		pt_fini(&t);
		if (!err)
			break;
	}
	/* 1 L1 + 2 L2 + 4 L3 tables: seven allocations could fail. */
	CHECK_EQ(fails, 7);
}

TEST(pgt_alloc_fail_every_split_allocation)
{
	unsigned n, fails = 0;
	pt_t t;
	int err, level;

	for (n = 1; n < 20; n++) {
		CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 2), 0);
		/* A 1G block: splitting [1G, 1G + 4M) needs an L2 table and
		 * two L3 tables. */
		CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x40000000), 0x40000000,
				      VMSA_OA(0xc0000000), VMSA_PGT_PROT_RW, 0),
			 0);
		vmsa_host_fail_alloc(t.h, n);
		err = vmsa_pgt_split(&t.pgt, VMSA_IA(0x40000000), 0x400000, 0);
		if (err) {
			CHECK_EQ(err, -ENOMEM);
			fails++;
		}
		check_tree(&t);
		/* Every address still translates the same. */
		CHECK_EQ(pt_pa(&t, 0x40000000), 0xc0000000ull);
		CHECK_EQ(pt_pa(&t, 0x40234567), 0xc0234567ull);
		CHECK_EQ(pt_pa(&t, 0x7fffffff), 0xffffffffull);
		if (!err) {
			CHECK_EQ(pt_leaf(&t, 0x403ff000, &level) & 3, 3);
			CHECK_EQ(level, 3);
		}
		pt_fini(&t);
		if (!err)
			break;
	}
	CHECK_EQ(fails, 3);
}
