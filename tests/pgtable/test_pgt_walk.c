/*
 * tests/pgtable/test_pgt_walk.c - vmsa_pgt_walk (visitor order, the
 * visits asked for, continue/skip/stop/errors, a leaf visitor that
 * installs a table) and vmsa_pgt_get_leaf.
 */
#include "pgt_test.h"

#define MAX_SEEN 600

typedef struct seen {
	unsigned n;
	struct {
		unsigned visit;
		int level;
		uint64_t addr, old;
	} v[MAX_SEEN];
	int ret_on_pre;  /* what TABLE_PRE visits return */
	int ret_at;      /* return ret_val at the ret_at-th visit (1-based) */
	int ret_val;
} seen_t;

static int record_cb(const vmsa_pgt_visit_t *v)
{
	seen_t *s = v->arg;
	unsigned i = s->n++;

	if (i < MAX_SEEN) {
		s->v[i].visit = v->visit;
		s->v[i].level = v->level;
		s->v[i].addr = v->addr.ia;
		s->v[i].old = v->old;
	}
	if (s->ret_at && (int)s->n == s->ret_at)
		return s->ret_val;
	if (v->visit == VMSA_PGT_VISIT_TABLE_PRE)
		return s->ret_on_pre;
	return VMSA_PGT_CONTINUE;
}

#define PRE VMSA_PGT_VISIT_TABLE_PRE
#define POST VMSA_PGT_VISIT_TABLE_POST
#define LEAF VMSA_PGT_VISIT_LEAF

static void map_two(pt_t *t)
{
	/* A page at 0x1000 and a 2M block at 0x200000. */
	CHECK_EQ(vmsa_pgt_map(&t->pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t->pgt, VMSA_IA(0x200000), 0x200000,
			      VMSA_OA(0x40200000), VMSA_PGT_PROT_RW, 0), 0);
}

TEST(pgt_walk_order_and_visits)
{
	pt_t t;
	seen_t s;
	vmsa_pgt_walker_t w = {.cb = record_cb, .arg = &s,
			       .visit = PRE | POST | LEAF};

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	map_two(&t);
	memset(&s, 0, sizeof(s));
	/* [0, 0x201000): root entry 0 (table), L1 entry 0 (table), L2
	 * entry 0 (table: L3 entries 0..511), L2 entry 1 (block). */
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x201000, &w), 0);
	CHECK_EQ(s.n, 3 + 512 + 3 + 1);
	CHECK_EQ(s.v[0].visit, PRE);
	CHECK_EQ(s.v[0].level, 0);
	CHECK_EQ(s.v[0].old, 0x80001003ull);
	CHECK_EQ(s.v[1].visit, PRE);
	CHECK_EQ(s.v[1].level, 1);
	CHECK_EQ(s.v[2].visit, PRE);
	CHECK_EQ(s.v[2].level, 2);
	CHECK_EQ(s.v[3].visit, LEAF);
	CHECK_EQ(s.v[3].level, 3);
	CHECK_EQ(s.v[3].addr, 0);
	CHECK_EQ(s.v[3].old, 0);
	CHECK_EQ(s.v[4].addr, 0x1000);
	CHECK_EQ(s.v[4].old & 0xfffffffff000ull, 0x40000000ull);
	CHECK_EQ(s.v[514].addr, 0x1ff000);
	CHECK_EQ(s.v[515].visit, POST);
	CHECK_EQ(s.v[515].level, 2);
	CHECK_EQ(s.v[516].visit, LEAF);
	CHECK_EQ(s.v[516].level, 2);
	CHECK_EQ(s.v[516].addr, 0x200000);
	CHECK_EQ(s.v[517].visit, POST);
	CHECK_EQ(s.v[517].level, 1);
	CHECK_EQ(s.v[518].visit, POST);
	CHECK_EQ(s.v[518].level, 0);

	/* Leaves only, from the middle of the block: the block's visit
	 * gives its first address. */
	memset(&s, 0, sizeof(s));
	w.visit = LEAF;
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0x300000), 0x1000, &w), 0);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.v[0].addr, 0x200000);
	CHECK_EQ(s.v[0].level, 2);

	/* Skip: no descent into any table, POST still not visited. */
	memset(&s, 0, sizeof(s));
	s.ret_on_pre = VMSA_PGT_SKIP;
	w.visit = PRE | POST | LEAF;
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x201000, &w), 0);
	CHECK_EQ(s.n, 1);

	/* Stop at the 5th visit: walk returns 0. An errno stops it too and
	 * is returned; an unknown positive value is -EINVAL. */
	memset(&s, 0, sizeof(s));
	s.ret_at = 5;
	s.ret_val = VMSA_PGT_STOP;
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x201000, &w), 0);
	CHECK_EQ(s.n, 5);
	memset(&s, 0, sizeof(s));
	s.ret_at = 7;
	s.ret_val = -ENOSPC;
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x201000, &w), -ENOSPC);
	CHECK_EQ(s.n, 7);
	memset(&s, 0, sizeof(s));
	s.ret_at = 2;
	s.ret_val = 42;
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x201000, &w), -EINVAL);

	/* Bad arguments. */
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0x10), 0x1000, &w), -EINVAL);
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x1000, NULL), -EINVAL);
	w.cb = NULL;
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x1000, &w), -EINVAL);
	pt_fini(&t);
}

/* A leaf visitor that puts a table in place of an invalid entry: the walk
 * reads the entry again and descends into the new table. */
static int install_cb(const vmsa_pgt_visit_t *v)
{
	pt_t *t = v->arg;
	const vmsa_pgt_ops_t *ops = vmsa_host_ops(t->h);
	uint64_t *page;

	if (v->level != 2 || v->old)
		return VMSA_PGT_CONTINUE;
	page = ops->zalloc_page(ops->ctx);
	if (!page)
		return -ENOMEM;
	page[3] = 0x12345000ull | 0x7ff;
	ops->write(ops->ctx, v->ptep,
		   ops->virt_to_phys(ops->ctx, page).pa | 3, true);
	ops->get_page(ops->ctx, (void *)((uintptr_t)v->ptep & ~0xfffull));
	ops->get_page(ops->ctx, page);
	return VMSA_PGT_CONTINUE;
}

static int count_cb(const vmsa_pgt_visit_t *v)
{
	unsigned *n = v->arg;

	if (v->level == 3 && v->old)
		(*n)++;
	return VMSA_PGT_CONTINUE;
}

TEST(pgt_walk_leaf_installs_table)
{
	pt_t t;
	unsigned n = 0;
	vmsa_pgt_walker_t w = {.cb = install_cb, .arg = &t, .visit = LEAF};
	vmsa_pgt_walker_t c = {.cb = count_cb, .arg = &n, .visit = LEAF};
	int level;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&t.pgt, VMSA_IA(0x1000), 0x1000,
			      VMSA_OA(0x40000000), VMSA_PGT_PROT_RW, 0), 0);
	/* [2M, 4M) is an invalid L2 entry: the visitor makes a table. */
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0x200000), 0x200000, &w), 0);
	CHECK_EQ(pt_leaf(&t, 0x203000, &level), 0x123457ffull);
	CHECK_EQ(level, 3);
	CHECK_EQ(vmsa_pgt_walk(&t.pgt, VMSA_IA(0), 0x400000, &c), 0);
	CHECK_EQ(n, 2);
	pt_fini(&t);
}

TEST(pgt_get_leaf)
{
	pt_t t;
	uint64_t d;
	int level;

	CHECK_EQ(pt_init(&t, VMSA_PGT_S2, VMSA_GRANULE_4K, 40, 0), 0);
	map_two(&t);
	CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt, VMSA_IA(0x3fffff), &d, &level), 0);
	CHECK_EQ(d, 0x40200000ull | 0x7fd | (1ull << 54));
	CHECK_EQ(level, 2);
	/* Not mapped: the invalid entry where the walk stops. */
	CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt, VMSA_IA(0x8000000000ull - 1), &d,
				   &level), 0);
	CHECK_EQ(d, 0);
	CHECK_EQ(level, 1);
	CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt, VMSA_IA(0x8000000000ull), &d,
				   &level), 0);
	CHECK_EQ(d, 0);
	CHECK_EQ(level, 0);
	CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt, VMSA_IA(1ull << 40), &d, &level),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt, VMSA_IA(0), NULL, &level), -EINVAL);
	CHECK_EQ(vmsa_pgt_get_leaf(&t.pgt, VMSA_IA(0), &d, NULL), -EINVAL);
	CHECK_EQ(vmsa_pgt_get_leaf(NULL, VMSA_IA(0), &d, &level), -EINVAL);
	pt_fini(&t);
}
