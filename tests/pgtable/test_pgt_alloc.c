/*
 * tests/pgtable/test_pgt_alloc.c - out of memory at every allocation of
 * a map or a split. A map is all or nothing: failed, every descriptor of
 * every table and every table page's count is exactly as before the call
 * and no page is left allocated; a split leaves every address
 * translating the same. Either way every count is 1 + the page's valid
 * entries and nothing leaks once the range is unmapped.
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

/* Every entry of every table page reachable from the root, with each
 * page's count: what a failed map must leave exactly as it was. */
#define TREE_MAX 16384

typedef struct tree {
	unsigned n;
	uint64_t at[TREE_MAX]; /* the entry's PA; a page's count: PA | 1 */
	uint64_t val[TREE_MAX];
} tree_t;

static void tree_add(pt_t *t, tree_t *s, uint64_t pa, int level, unsigned n)
{
	unsigned i;
	uint64_t v;

	for (i = 0; i < n && s->n + 2 <= TREE_MAX; i++) {
		if (!(i & 511)) {
			s->at[s->n] = (pa + 8 * i) | 1;
			s->val[s->n++] = (uint64_t)pt_count(t, pa + 8 * i);
		}
		v = pt_at(t, pa + 8 * i);
		s->at[s->n] = pa + 8 * i;
		s->val[s->n++] = v;
		if (level < 3 && (v & 3) == 3)
			tree_add(t, s, v & 0xfffffffff000ull, level + 1, 512);
	}
}

static void tree_take(pt_t *t, tree_t *s)
{
	s->n = 0;
	tree_add(t, s, t->pgt.root_pa.pa, t->pgt.start_level,
		 1u << (t->pgt.cfg.ia_bits -
			(12 + 9 * (3 - t->pgt.start_level))));
	CHECK(s->n < TREE_MAX);
}

static tree_t before, after;

/* The tree as it was: the same pages, entries and counts. */
static void check_unchanged(pt_t *t)
{
	unsigned i;

	tree_take(t, &after);
	CHECK_EQ(after.n, before.n);
	for (i = 0; i < before.n && i < after.n; i++)
		if (after.at[i] != before.at[i] ||
		    after.val[i] != before.val[i])
			break;
	/* The first difference, if any. */
	if (i < before.n && i < after.n) {
		CHECK_EQ(after.at[i], before.at[i]);
		CHECK_EQ(after.val[i], before.val[i]);
	}
	CHECK_EQ(i, before.n);
}

/* Each page of [ia, ia + size) mapped to oa + offset. */
static void check_range(pt_t *t, uint64_t ia, uint64_t size, uint64_t oa)
{
	uint64_t off;

	for (off = 0; off < size; off += 0x1000)
		CHECK_EQ(pt_pa(t, ia + off), oa + off);
}

/* Fail the n-th allocation of a map of [ia, ia + size) (pages only, to
 * 0x80000000, with flags) into the table prepare() made, for every n until the map
 * succeeds: each failure is -ENOMEM with the tree exactly as before (so
 * no page allocated by the map stays), a retry then maps it all. Returns
 * the number of failures. */
static unsigned fail_every(void (*prepare)(pt_t *t), uint64_t ia,
			   uint64_t size, unsigned flags)
{
	unsigned n, fails = 0, pages, empty;
	uint64_t frees;
	pt_t t;
	int err;

	for (n = 1; n < 40; n++) {
		CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
		empty = vmsa_host_pages_in_use(t.h);
		if (prepare)
			prepare(&t);
		tree_take(&t, &before);
		pages = vmsa_host_pages_in_use(t.h);
		frees = vmsa_host_stats(t.h)->frees;
		vmsa_host_fail_alloc(t.h, n);
		err = vmsa_pgt_map(&t.pgt, VMSA_IA(ia), size,
				   VMSA_OA(0x80000000), VMSA_PGT_PROT_RW,
				   VMSA_PGT_PAGES | flags);
		if (err) {
			CHECK_EQ(err, -ENOMEM);
			fails++;
			check_unchanged(&t);
			CHECK_EQ(vmsa_host_pages_in_use(t.h), pages);
		} else {
			/* The count was exact: each table the map allocated
			 * is in use, none was given back. */
			CHECK_EQ(vmsa_host_pages_in_use(t.h), pages + fails);
			CHECK_EQ(vmsa_host_stats(t.h)->frees, frees);
		}
		check_tree(&t);
		/* Retrying completes it. */
		if (err)
			CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(ia), size,
					      VMSA_OA(0x80000000),
					      VMSA_PGT_PROT_RW, VMSA_PGT_PAGES),
				 0);
		check_range(&t, ia, size, 0x80000000);
		check_tree(&t);
		CHECK_EQ(vmsa_pgt_unmap(&t.pgt, VMSA_IA(0), 0x80000000, 0), 0);
		CHECK_EQ(vmsa_host_pages_in_use(t.h), empty);
		CHECK_EQ(vmsa_host_stats(t.h)->errors, 0);
		pt_fini(&t);
		if (!err)
			break;
	}
	return fails;
}

/* [1G - 8K, 1G + 4M + 8K) in pages: an L1 table, L2 tables on both sides of the 1G
 * boundary, and four L3 tables ([1G - 2M, 1G), [1G, 1G + 2M), [1G + 2M,
 * 1G + 4M), [1G + 4M, 1G + 6M)). */
#define RANGE_IA (0x40000000ull - 0x2000)
#define RANGE_SIZE 0x404000ull

TEST(pgt_alloc_fail_every_map_allocation)
{
	/* Into an empty table: 1 L1 + 2 L2 + 4 L3 tables, seven
	 * allocations that can fail, each before anything is written. */
	CHECK_EQ(fail_every(NULL, RANGE_IA, RANGE_SIZE, 0), 7);
	/* A shared walk alone counts as many. */
	CHECK_EQ(fail_every(NULL, RANGE_IA, RANGE_SIZE, VMSA_PGT_SHARED), 7);
}

/* Some of the range already mapped otherwise: a page at 1G - 4K (its L2
 * and L3 tables exist), and a 2M block at 1G + 2M that the pages-only map
 * must split (its L2 table exists). */
static void prepare_mapped(pt_t *t)
{
	CHECK_EQ(vmsa_pgt_map(&t->pgt, VMSA_IA(0x3ffff000), 0x1000,
			      VMSA_OA(0x10000000), VMSA_PGT_PROT_R, 0),
		 0);
	CHECK_EQ(vmsa_pgt_map(&t->pgt, VMSA_IA(0x40200000), 0x200000,
			      VMSA_OA(0x20000000), VMSA_PGT_PROT_RW, 0),
		 0);
}

TEST(pgt_alloc_fail_every_map_allocation_over_mappings)
{
	/* What is missing: the L3 tables of [1G, 1G + 2M) and [1G + 4M,
	 * 1G + 6M), and the split of the block: three allocations that can
	 * fail, each leaving the page and the block exactly as they were
	 * (a partial map would have replaced the page first). */
	CHECK_EQ(fail_every(prepare_mapped, RANGE_IA, RANGE_SIZE, 0), 3);
	CHECK_EQ(fail_every(prepare_mapped, RANGE_IA, RANGE_SIZE,
			    VMSA_PGT_SHARED),
		 3);
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
