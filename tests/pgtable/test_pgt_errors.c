/*
 * tests/pgtable/test_pgt_errors.c - every documented error path of the
 * page-table library (include/vmsa/pgtable.h), and allocation failure
 * injected at every allocation of a map, a split and an unmap.
 *
 * Each rejected call is also checked for doing nothing: no allocation,
 * no change to the tables, no page leaked. A failed allocation must
 * leave every page of the range either as it was or mapped as asked
 * (never half-written: no page broken and not remade), every table valid,
 * every reference count exact; the same operation then succeeds, and
 * destroy frees every page.
 *
 * The ops are the test's own (plain memory, like the host backend): every
 * table page is registered, so a descriptor access outside a live table
 * page, a double free or a count dropped below zero is reported.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmsa/pgtable.h"

#include "pgt_ops.h"

/* =====================================================================
 * A table under test, and what the tables hold
 * =================================================================== */

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define OA0 0x0000008000000000ull /* 512 GiB: mapped output space */

typedef struct tenv {
	tops_t to;
	vmsa_pgt_t pgt;
	bool live;
	uint64_t psize;
} tenv_t;

/* Stage 2, 4K, 40-bit IPA, start level 0 (1 root page), BBM level 0. */
static const vmsa_pgt_cfg_t S2_4K = {
	.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K, .ia_bits = 40,
	.start_level = 0, .vmid = 1,
};

static bool env_init(tenv_t *e, const vmsa_pgt_cfg_t *cfg,
		     const vmsa_pgt_features_t *f)
{
	vmsa_pgt_features_t none = { 0 };
	int err;

	memset(e, 0, sizeof(*e));
	tops_init(&e->to, cfg->granule, f ? f : &none);
	e->psize = e->to.psize;
	err = vmsa_pgt_init(&e->pgt, cfg, &e->to.ops);
	CHECK_EQ(err, 0);
	e->live = err == 0;
	return e->live;
}

/* Destroy: every page the library allocated comes back, none twice. */
static void env_done(tenv_t *e)
{
	if (e->live)
		vmsa_pgt_destroy(&e->pgt);
	CHECK_MSG(e->to.n == 0, "%u table pages not freed by destroy", e->to.n);
	CHECK_MSG(e->to.bad == 0, "ops contract: %s", e->to.why);
	tops_release(&e->to);
}

/* The entry translating ia: its descriptor, level and address. NULL
 * when a table descriptor points outside the live pages (reported). */
static uint64_t *entry_of(tenv_t *e, uint64_t ia, int *level)
{
	vmsa_granule_t g = e->pgt.cfg.granule;
	uint64_t *table = e->pgt.root;
	int start = e->pgt.start_level;

	for (int l = start; l <= 3; l++) {
		uint64_t *p = table + vmsa_table_index(g, start, l,
						       e->pgt.cfg.ia_bits, ia);
		uint64_t d = *p;

		*level = l;
		if (!(d & VMSA_D_VALID) || l == 3 || !(d & VMSA_D_TYPE))
			return p;
		table = e->to.ops.phys_to_virt(e->to.ops.ctx,
					       VMSA_PGT_PA(vmsa_desc_oa(d, l, g)));
		if (to_find(&e->to, table) < 0) {
			CHECK_MSG(false, "table descriptor 0x%016" PRIx64
				  " at level %d points to no live page", d, l);
			return NULL;
		}
	}
	return NULL;
}

/* The entry at exactly `level` on the way to ia (a table entry to lock),
 * or NULL when the walk ends above it. */
static uint64_t *entry_at(tenv_t *e, uint64_t ia, int level)
{
	vmsa_granule_t g = e->pgt.cfg.granule;
	uint64_t *table = e->pgt.root;
	int start = e->pgt.start_level;

	for (int l = start; l <= level; l++) {
		uint64_t *p = table + vmsa_table_index(g, start, l,
						       e->pgt.cfg.ia_bits, ia);

		if (l == level)
			return p;
		if ((*p & 3) != 3)
			return NULL;
		table = e->to.ops.phys_to_virt(e->to.ops.ctx,
					       VMSA_PGT_PA(vmsa_desc_oa(*p, l, g)));
	}
	return NULL;
}

/* What one page is mapped to, whatever the leaf's size: output address
 * of the page and the attributes (without type, address, Contiguous and
 * nT, which a block and its pages differ in). */
typedef struct pstate {
	bool valid;
	uint64_t oa;
	uint64_t attrs;
} pstate_t;

static pstate_t page_state(tenv_t *e, uint64_t ia)
{
	vmsa_granule_t g = e->pgt.cfg.granule;
	pstate_t s = { 0 };
	int level;
	uint64_t *p = entry_of(e, ia, &level);
	uint64_t d, lsize;

	if (!p || !(*p & VMSA_D_VALID))
		return s;
	d = *p;
	lsize = vmsa_level_size(g, level);
	s.valid = true;
	s.oa = vmsa_desc_oa(d, level, g) + (ia & (lsize - 1));
	s.attrs = d & ~(vmsa_desc_oa_mask(g, level) | VMSA_D_TYPE |
			VMSA_D_CONT | VMSA_D_NT);
	return s;
}

static bool pstate_eq(const pstate_t *a, const pstate_t *b)
{
	return a->valid == b->valid &&
	       (!a->valid || (a->oa == b->oa && a->attrs == b->attrs));
}

/* Every page of [lo, hi). */
static pstate_t *snapshot(tenv_t *e, uint64_t lo, uint64_t hi)
{
	uint64_t n = (hi - lo) / e->psize;
	pstate_t *s = calloc(n ? n : 1, sizeof(*s));

	for (uint64_t i = 0; s && i < n; i++)
		s[i] = page_state(e, lo + i * e->psize);
	return s;
}

/* Count the pages of [lo, hi) whose state differs from `a` (and, when b
 * is not NULL, from b too). */
static uint64_t differ(tenv_t *e, uint64_t lo, uint64_t hi,
		       const pstate_t *a, const pstate_t *b, uint64_t *first)
{
	uint64_t n = (hi - lo) / e->psize, bad = 0;

	for (uint64_t i = 0; i < n; i++) {
		pstate_t s = page_state(e, lo + i * e->psize);

		if (!pstate_eq(&s, &a[i]) && (!b || !pstate_eq(&s, &b[i]))) {
			if (bad++ == 0)
				*first = lo + i * e->psize;
		}
	}
	return bad;
}

/* ---------------------------------------------------------------------
 * The invariants: every table page reachable once and live, its count
 * 1 + its valid (or locked) entries, no page allocated and unreachable,
 * invalid entries at rest zero, and (unless empties_ok) no empty table
 * below the root. Empty tables are allowed where the library documents
 * them: a shared walk never frees a table (another walker may be in it;
 * they are valid, counted, and freed by destroy or an exclusive unmap).
 * A map that fails changes nothing, so leaves none.
 * ------------------------------------------------------------------- */

static bool empties_ok;

static unsigned check_table(tenv_t *e, uint64_t *table, unsigned n,
			    int level, const char *where)
{
	vmsa_granule_t g = e->pgt.cfg.granule;
	unsigned per_page = (unsigned)(e->psize / 8), reached = 0, used = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t d = table[i];

		if (d) {
			used++;
			CHECK_MSG(d & VMSA_D_VALID, "%s: invalid entry 0x%016"
				  PRIx64 " at rest, level %d", where, d, level);
		}
		if ((d & 3) == 3 && level < 3) {
			uint64_t *next = e->to.ops.phys_to_virt(
				e->to.ops.ctx,
				VMSA_PGT_PA(vmsa_desc_oa(d, level, g)));
			int k = to_find(&e->to, next);

			if (k < 0 || e->to.page[k] != (void *)next)
				CHECK_MSG(false, "%s: table descriptor 0x%016"
					  PRIx64 " to no live page", where, d);
			else
				reached += check_table(e, next, per_page,
						       level + 1, where);
		}
		if ((i + 1) % per_page == 0 || i + 1 == n) {
			uint64_t *page = table + (i / per_page) * per_page;
			int k = to_find(&e->to, page);
			int count = k >= 0 ? e->to.count[k] : -1;

			CHECK_MSG(count == 1 + (int)used, "%s: table page at "
				  "level %d: count %d, %u used entries", where,
				  level, count, used);
			CHECK_MSG(used > 0 || level == e->pgt.start_level ||
					  empties_ok,
				  "%s: empty table left at level %d", where,
				  level);
			reached++;
			used = 0;
		}
	}
	return reached;
}

static void check_tables_if(tenv_t *e, const char *where, bool empties)
{
	unsigned shift = vmsa_level_shift(e->pgt.cfg.granule,
					  e->pgt.start_level);
	unsigned n = 1u << (e->pgt.cfg.ia_bits - shift);
	unsigned reached;

	empties_ok = empties;
	reached = check_table(e, e->pgt.root, n, e->pgt.start_level, where);

	CHECK_MSG(reached == e->to.n, "%s: %u table pages reachable, %u live "
		  "(leak)", where, reached, e->to.n);
	CHECK_MSG(e->to.bad == 0, "%s: ops contract: %s", where, e->to.why);
}

static void check_tables(tenv_t *e, const char *where)
{
	check_tables_if(e, where, false);
}

/* =====================================================================
 * Rejected calls do nothing
 * =================================================================== */

/* A table with something mapped, whose state a rejected call must not
 * change: a 2M block at 2M, pages at 1G - 16K .. 1G + 16K (two tables of
 * each level below the root). */
#define SENT_LO (2 * MiB)
#define SENT_HI (4 * MiB)
#define SENT2_LO (GiB - 16 * KiB)
#define SENT2_HI (GiB + 16 * KiB)

typedef struct sentinel {
	pstate_t *a, *b;
	unsigned long allocs;
	unsigned pages;
} sentinel_t;

static void sentinel_map(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(SENT_LO), SENT_HI - SENT_LO,
			      VMSA_OA(OA0), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(SENT2_LO), SENT2_HI - SENT2_LO,
			      VMSA_OA(OA0 + 64 * MiB), VMSA_PGT_PROT_RWX, 0),
		 0);
}

static void sentinel_take(tenv_t *e, sentinel_t *s)
{
	s->a = snapshot(e, SENT_LO, SENT_HI);
	s->b = snapshot(e, SENT2_LO, SENT2_HI);
	s->allocs = e->to.allocs;
	s->pages = e->to.n;
}

/* The table is as sentinel_take() found it: no page changed, nothing
 * allocated or freed, the invariants hold. */
static void sentinel_same(tenv_t *e, const sentinel_t *s, const char *what)
{
	uint64_t where = 0;

	CHECK_MSG(differ(e, SENT_LO, SENT_HI, s->a, NULL, &where) == 0,
		  "%s changed the mapping of 0x%" PRIx64, what, where);
	CHECK_MSG(differ(e, SENT2_LO, SENT2_HI, s->b, NULL, &where) == 0,
		  "%s changed the mapping of 0x%" PRIx64, what, where);
	CHECK_MSG(e->to.allocs == s->allocs && e->to.n == s->pages,
		  "%s allocated or freed table pages (%lu allocations, %u "
		  "pages; before %lu, %u)", what, e->to.allocs, e->to.n,
		  s->allocs, s->pages);
	check_tables(e, what);
}

static void sentinel_free(sentinel_t *s)
{
	free(s->a);
	free(s->b);
}

/* Every range-taking operation, as one signature. */
typedef enum {
	R_MAP, R_UNMAP, R_WRPROTECT, R_YOUNG, R_SPLIT, R_FLUSH, R_WALK, R_N
} range_op_t;

static const char *const range_name[R_N] = {
	"map", "unmap", "wrprotect", "test_clear_young", "split", "flush",
	"walk",
};

static int count_visit(const vmsa_pgt_visit_t *v)
{
	(*(unsigned *)v->arg)++;
	return VMSA_PGT_CONTINUE;
}

static int range_call(vmsa_pgt_t *pgt, range_op_t op, uint64_t ia,
		      uint64_t size)
{
	unsigned visits = 0;
	vmsa_pgt_walker_t w = {
		.cb = count_visit, .arg = &visits,
		.visit = VMSA_PGT_VISIT_LEAF | VMSA_PGT_VISIT_TABLE_PRE |
			 VMSA_PGT_VISIT_TABLE_POST,
	};
	int ret = -1;

	switch (op) {
	case R_MAP:
		ret = vmsa_pgt_map(pgt, VMSA_IA(ia), size, VMSA_OA(OA0 + GiB),
				   VMSA_PGT_PROT_RW, 0);
		break;
	case R_UNMAP:
		ret = vmsa_pgt_unmap(pgt, VMSA_IA(ia), size, 0);
		break;
	case R_WRPROTECT:
		ret = vmsa_pgt_wrprotect(pgt, VMSA_IA(ia), size, 0);
		break;
	case R_YOUNG:
		ret = vmsa_pgt_test_clear_young(pgt, VMSA_IA(ia), size, true, 0);
		break;
	case R_SPLIT:
		ret = vmsa_pgt_split(pgt, VMSA_IA(ia), size, 0);
		break;
	case R_FLUSH:
		ret = vmsa_pgt_flush(pgt, VMSA_IA(ia), size);
		break;
	case R_WALK:
		ret = vmsa_pgt_walk(pgt, VMSA_IA(ia), size, &w);
		if (ret == -EINVAL)
			CHECK_EQ(visits, 0);
		break;
	case R_N:
		break;
	}
	return ret;
}

/* The bad ranges of a 40-bit input space with 4K pages. */
static const struct {
	const char *why;
	uint64_t ia, size;
} bad_ranges[] = {
	{ "size 0", 2 * MiB, 0 },
	{ "unaligned ia", 2 * MiB + 0x800, 4 * KiB },
	{ "unaligned size", 2 * MiB, 4 * KiB + 8 },
	{ "ia not page aligned, size not either", 2 * MiB + 8, 4 * KiB - 8 },
	{ "ending beyond the input size", (1ull << 40) - 4 * KiB, 8 * KiB },
	{ "starting at the input size", 1ull << 40, 4 * KiB },
	{ "starting far beyond", 1ull << 47, 4 * KiB },
	{ "wrapping to 0", 4 * KiB, 0ull - 4 * KiB },
	{ "wrapping past 0", 0ull - 4 * KiB, 8 * KiB },
	{ "size 2^63", 0, 1ull << 63 },
};

TEST(pgt_errors_bad_ranges)
{
	tenv_t e;
	sentinel_t s;
	char what[120];

	if (!env_init(&e, &S2_4K, NULL))
		return;
	sentinel_map(&e);
	sentinel_take(&e, &s);
	for (unsigned op = 0; op < R_N; op++) {
		for (size_t i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]);
		     i++) {
			int ret = range_call(&e.pgt, (range_op_t)op,
					     bad_ranges[i].ia, bad_ranges[i].size);

			snprintf(what, sizeof(what), "%s, %s", range_name[op],
				 bad_ranges[i].why);
			CHECK_MSG(ret == -EINVAL, "%s: returned %d, not -EINVAL",
				  what, ret);
			sentinel_same(&e, &s, what);
		}
		/* The last page of the input space is a good range. */
		snprintf(what, sizeof(what), "%s of the last page",
			 range_name[op]);
		CHECK_MSG(range_call(&e.pgt, (range_op_t)op,
				     (1ull << 40) - 4 * KiB, 4 * KiB) >= 0,
			  "%s failed", what);
		if (op == R_MAP) {
			/* Its tables are freed again: the same pages live,
			 * allocations counted anew. */
			CHECK_EQ(vmsa_pgt_unmap(&e.pgt,
						VMSA_IA((1ull << 40) - 4 * KiB),
						4 * KiB, 0), 0);
			CHECK_EQ(e.to.n, s.pages);
			s.allocs = e.to.allocs;
		}
		sentinel_same(&e, &s, what);
	}
	sentinel_free(&s);
	env_done(&e);
}

TEST(pgt_errors_map_bad_oa_and_prot)
{
	static const struct {
		const char *why;
		uint64_t oa;
		unsigned prot;
	} bad[] = {
		{ "oa not page aligned", OA0 + 0x10, VMSA_PGT_PROT_RW },
		{ "oa half a page off", OA0 + 0x800, VMSA_PGT_PROT_RW },
		{ "W without R", OA0, VMSA_PGT_PROT_W },
		{ "X without R", OA0, VMSA_PGT_PROT_X },
		{ "W and X without R", OA0, VMSA_PGT_PROT_W | VMSA_PGT_PROT_X },
	};
	tenv_t e;
	sentinel_t s;

	if (!env_init(&e, &S2_4K, NULL))
		return;
	sentinel_map(&e);
	sentinel_take(&e, &s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Fresh range (tables to allocate) and the sentinel's own. */
		CHECK_MSG(vmsa_pgt_map(&e.pgt, VMSA_IA(8 * GiB), 2 * MiB,
				       VMSA_OA(bad[i].oa), bad[i].prot, 0) ==
				  -EINVAL,
			  "map, %s: not -EINVAL", bad[i].why);
		CHECK_MSG(vmsa_pgt_map(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB,
				       VMSA_OA(bad[i].oa), bad[i].prot,
				       VMSA_PGT_SHARED) == -EINVAL,
			  "shared map, %s: not -EINVAL", bad[i].why);
		sentinel_same(&e, &s, bad[i].why);
	}
	sentinel_free(&s);
	env_done(&e);
}

/* Output beyond vmsa's 48-bit output addresses, and flags no operation
 * knows: -EINVAL (bad input is refused, never acted on). */
TEST(pgt_errors_oa_size_and_unknown_flags)
{
	static const unsigned bad_flags[] = { 1u << 3, 1u << 8, 1u << 31 };
	tenv_t e;
	sentinel_t s;

	if (!env_init(&e, &S2_4K, NULL))
		return;
	sentinel_map(&e);
	sentinel_take(&e, &s);
	CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(8 * GiB), 4 * KiB,
			      VMSA_OA(1ull << 48), VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(8 * GiB), 8 * KiB,
			      VMSA_OA((1ull << 48) - 4 * KiB), VMSA_PGT_PROT_R, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(8 * GiB), 4 * KiB,
			      VMSA_OA(0ull - 4 * KiB), VMSA_PGT_PROT_R, 0), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		unsigned f = bad_flags[i];

		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB,
				      VMSA_OA(OA0 + GiB), VMSA_PGT_PROT_R, f),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB, f),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_wrprotect(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB, f),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT_LO),
					      VMSA_PGT_PROT_X, f), -EINVAL);
		CHECK_EQ(vmsa_pgt_mkyoung(&e.pgt, VMSA_IA(SENT_LO), f), -EINVAL);
		CHECK_EQ(vmsa_pgt_test_clear_young(&e.pgt, VMSA_IA(SENT_LO),
						   4 * KiB, true, f), -EINVAL);
		CHECK_EQ(vmsa_pgt_split(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB, f),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_LO), f), -EINVAL);
	}
	/* CONTIG and PAGES mean something to map only. */
	CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB,
				VMSA_PGT_PAGES), -EINVAL);
	CHECK_EQ(vmsa_pgt_split(&e.pgt, VMSA_IA(SENT_LO), 4 * KiB,
				VMSA_PGT_CONTIG), -EINVAL);
	sentinel_same(&e, &s, "bad output or flags");
	sentinel_free(&s);
	env_done(&e);
}

/* prot a stage-1 table cannot express: no read at the privileged EL;
 * EL0 in a single-privilege regime. Stage 2 has no EL0 either. */
TEST(pgt_errors_map_prot_per_regime)
{
	vmsa_pgt_cfg_t el2 = {
		.regime = VMSA_PGT_S1_EL2, .granule = VMSA_GRANULE_4K,
		.ia_bits = 39, .start_level = VMSA_PGT_LEVEL_AUTO,
		.attr_normal = 0, .attr_normal_nc = 1, .attr_device = 2,
	};
	vmsa_pgt_cfg_t el1 = el2;
	tenv_t e;

	el1.regime = VMSA_PGT_S1_EL1;
	if (env_init(&e, &el2, NULL)) {
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      VMSA_PGT_PROT_R | VMSA_PGT_PROT_USER, 0),
			 -EINVAL);
		CHECK_EQ(e.to.allocs, 1); /* the root only */
		env_done(&e);
	}
	if (env_init(&e, &S2_4K, NULL)) {
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      VMSA_PGT_PROT_R | VMSA_PGT_PROT_USER, 0),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      VMSA_PGT_PROT_R | VMSA_PGT_PROT_NC |
					      VMSA_PGT_PROT_DEVICE, 0),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      VMSA_PGT_PROT_R | (1u << 6), 0), -EINVAL);
		CHECK_EQ(e.to.allocs, 1);
		env_done(&e);
	}
	if (env_init(&e, &el1, NULL)) {
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      0, 0), -EINVAL);
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      VMSA_PGT_PROT_USER, 0), -EINVAL);
		/* EL0 access with read at the privileged EL is fine. */
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
				      VMSA_PGT_PROT_R | VMSA_PGT_PROT_USER, 0),
			 0);
		env_done(&e);
	}
}

/* Single-address operations: relax_perms, mkyoung, collapse, get_leaf. */
TEST(pgt_errors_single_address)
{
	static const uint64_t bad_ia[] = {
		1ull << 40, (1ull << 40) + 2 * MiB, 1ull << 47, 0ull - 4 * KiB,
		0ull - 2 * MiB,
	};
	tenv_t e;
	sentinel_t s;
	uint64_t desc = 0x1234;
	int level = -7;

	if (!env_init(&e, &S2_4K, NULL))
		return;
	sentinel_map(&e);
	sentinel_take(&e, &s);
	for (size_t i = 0; i < sizeof(bad_ia) / sizeof(bad_ia[0]); i++) {
		uint64_t ia = bad_ia[i];

		CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(ia),
					      VMSA_PGT_PROT_W, 0), -EINVAL);
		CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(ia),
					      VMSA_PGT_PROT_W, VMSA_PGT_SHARED),
			 -EINVAL);
		CHECK_EQ(vmsa_pgt_mkyoung(&e.pgt, VMSA_IA(ia), 0), -EINVAL);
		CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(ia), 0), -EINVAL);
		CHECK_EQ(vmsa_pgt_get_leaf(&e.pgt, VMSA_IA(ia), &desc, &level),
			 -EINVAL);
		sentinel_same(&e, &s, "single-address call beyond the input");
	}
	/* relax_perms takes R, W, X only. */
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT_LO),
				      VMSA_PGT_PROT_USER, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT_LO),
				      VMSA_PGT_PROT_X | VMSA_PGT_PROT_NC, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT_LO),
				      VMSA_PGT_PROT_DEVICE, VMSA_PGT_SHARED),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT_LO), 1u << 9, 0),
		 -EINVAL);
	/* collapse: an address aligned to no block size, or to a page
	 * only. */
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT2_LO), 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_LO + 4 * KiB), 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_LO + 1), 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_LO + MiB),
				   VMSA_PGT_SHARED), -EINVAL);
	/* get_leaf: NULL outputs. */
	CHECK_EQ(vmsa_pgt_get_leaf(&e.pgt, VMSA_IA(SENT_LO), NULL, &level),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_get_leaf(&e.pgt, VMSA_IA(SENT_LO), &desc, NULL),
		 -EINVAL);
	CHECK_EQ(desc, 0x1234);
	CHECK_EQ(level, -7);
	sentinel_same(&e, &s, "rejected single-address call");
	sentinel_free(&s);
	env_done(&e);
}

static int stop_at_second(const vmsa_pgt_visit_t *v)
{
	return ++*(unsigned *)v->arg == 2 ? VMSA_PGT_STOP : VMSA_PGT_CONTINUE;
}

static int fail_at_third(const vmsa_pgt_visit_t *v)
{
	return ++*(unsigned *)v->arg == 3 ? -EIO : VMSA_PGT_CONTINUE;
}

TEST(pgt_errors_walk)
{
	tenv_t e;
	unsigned n = 0;
	vmsa_pgt_walker_t w = {
		.cb = count_visit, .arg = &n, .visit = VMSA_PGT_VISIT_LEAF,
	};

	if (!env_init(&e, &S2_4K, NULL))
		return;
	sentinel_map(&e);
	CHECK_EQ(vmsa_pgt_walk(&e.pgt, VMSA_IA(0), GiB, NULL), -EINVAL);
	w.cb = NULL;
	CHECK_EQ(vmsa_pgt_walk(&e.pgt, VMSA_IA(0), GiB, &w), -EINVAL);
	/* A visitor's error stops the walk and is returned as it is. */
	w.cb = fail_at_third;
	CHECK_EQ(vmsa_pgt_walk(&e.pgt, VMSA_IA(SENT2_LO), SENT2_HI - SENT2_LO,
			       &w), -EIO);
	CHECK_EQ(n, 3);
	/* STOP ends the walk with 0. */
	n = 0;
	w.cb = stop_at_second;
	CHECK_EQ(vmsa_pgt_walk(&e.pgt, VMSA_IA(SENT2_LO), SENT2_HI - SENT2_LO,
			       &w), 0);
	CHECK_EQ(n, 2);
	/* The 8 pages of the second sentinel: 8 leaf visits. */
	n = 0;
	w.cb = count_visit;
	CHECK_EQ(vmsa_pgt_walk(&e.pgt, VMSA_IA(SENT2_LO), SENT2_HI - SENT2_LO,
			       &w), 0);
	CHECK_EQ(n, 8);
	check_tables(&e, "walk");
	env_done(&e);
}

/* Every function given a NULL table: -EINVAL, no crash. */
TEST(pgt_errors_null_table)
{
	uint64_t desc = 0;
	int level = 0;
	unsigned n = 0;
	vmsa_pgt_walker_t w = {
		.cb = count_visit, .arg = &n, .visit = VMSA_PGT_VISIT_LEAF,
	};
	tenv_t e;
	vmsa_pgt_cfg_t cfg = S2_4K;

	CHECK_EQ(vmsa_pgt_map(NULL, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_unmap(NULL, VMSA_IA(0), 4 * KiB, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_wrprotect(NULL, VMSA_IA(0), 4 * KiB, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_relax_perms(NULL, VMSA_IA(0), VMSA_PGT_PROT_W, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_mkyoung(NULL, VMSA_IA(0), 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_test_clear_young(NULL, VMSA_IA(0), 4 * KiB, true, 0),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_split(NULL, VMSA_IA(0), 4 * KiB, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_collapse(NULL, VMSA_IA(0), 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_flush(NULL, VMSA_IA(0), 4 * KiB), -EINVAL);
	CHECK_EQ(vmsa_pgt_get_leaf(NULL, VMSA_IA(0), &desc, &level), -EINVAL);
	CHECK_EQ(vmsa_pgt_walk(NULL, VMSA_IA(0), 4 * KiB, &w), -EINVAL);
	CHECK_EQ(n, 0);
	vmsa_pgt_destroy(NULL);

	/* A destroyed table is a table without a root: every call is
	 * rejected, and destroying it again is harmless. */
	if (!env_init(&e, &cfg, NULL))
		return;
	vmsa_pgt_destroy(&e.pgt);
	CHECK_EQ(e.to.n, 0);
	CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(0), 4 * KiB, VMSA_OA(OA0),
			      VMSA_PGT_PROT_R, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(0), 4 * KiB, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_get_leaf(&e.pgt, VMSA_IA(0), &desc, &level), -EINVAL);
	vmsa_pgt_destroy(&e.pgt);
	e.live = false;
	CHECK_EQ(e.to.allocs, 1);
	env_done(&e);
}

/* =====================================================================
 * init
 * =================================================================== */

static const vmsa_pgt_regime_t regimes[] = {
	VMSA_PGT_S2, VMSA_PGT_S1_EL2, VMSA_PGT_S1_EL20, VMSA_PGT_S1_EL1,
};

/*
 * The start level and root count the architecture allows: stage 1, the
 * one level TnSZ implies; stage 2, every level VTCR_EL2.SL0 can name
 * that T0SZ agrees with (1 to 16 concatenated roots). *n_ok is the
 * number of allowed levels; *min_roots the fewest roots among them.
 */
static bool arch_allows(vmsa_pgt_regime_t regime, vmsa_granule_t g,
			unsigned ia_bits, int start, unsigned *roots,
			unsigned *min_roots)
{
	bool ok = false;
	int lvl;

	*min_roots = 0;
	if (regime != VMSA_PGT_S2) {
		if (!vmsa_s1_start_level(g, ia_bits, &lvl))
			return false;
		*min_roots = 1;
		*roots = 1;
		return start == VMSA_PGT_LEVEL_AUTO || start == lvl;
	}
	for (unsigned sl0 = 0; sl0 < 4; sl0++) {
		unsigned concat;

		if (!vmsa_s2_start_level(g, sl0, ia_bits, &lvl, &concat))
			continue;
		if (!*min_roots || concat < *min_roots)
			*min_roots = concat;
		if (start == lvl) {
			*roots = concat;
			ok = true;
		}
	}
	return start == VMSA_PGT_LEVEL_AUTO ? *min_roots != 0 : ok;
}

/* One init against the architecture core's geometry: accepted exactly
 * where the architecture allows, with the root count it implies; AUTO
 * picks an allowed level with the fewest root pages (stage 1: the only
 * level). Counts the outcome in n[0] (accepted) or n[1] (refused). */
static void init_case(const vmsa_pgt_cfg_t *cfg, unsigned n[2])
{
	vmsa_pgt_features_t f = { 0 };
	unsigned roots = 0, min_roots = 0, want_roots;
	bool ok = arch_allows(cfg->regime, cfg->granule, cfg->ia_bits,
			      cfg->start_level, &roots, &min_roots);
	tops_t t;
	vmsa_pgt_t pgt;
	int ret;

	tops_init(&t, cfg->granule, &f);
	memset(&pgt, 0, sizeof(pgt));
	ret = vmsa_pgt_init(&pgt, cfg, &t.ops);
	CHECK_MSG(ret == (ok ? 0 : -EINVAL), "init regime %d %s ia_bits %u "
		  "start %d: %d, expected %d", (int)cfg->regime,
		  vmsa_granule_name(cfg->granule), cfg->ia_bits,
		  cfg->start_level, ret, ok ? 0 : -EINVAL);
	n[ret != 0]++;
	if (ret == 0) {
		want_roots = roots;
		if (cfg->start_level == VMSA_PGT_LEVEL_AUTO) {
			want_roots = min_roots;
			CHECK(arch_allows(cfg->regime, cfg->granule,
					  cfg->ia_bits, pgt.start_level, &roots,
					  &min_roots));
		}
		CHECK_MSG(pgt.n_roots == want_roots && t.n == want_roots &&
				  pgt.root_pa.pa ==
					  ((uintptr_t)pgt.root ^ TO_PA_FLIP),
			  "init %s ia_bits %u start %d: level %d, %u roots, "
			  "%u pages, expected %u roots",
			  vmsa_granule_name(cfg->granule), cfg->ia_bits,
			  cfg->start_level, pgt.start_level, pgt.n_roots, t.n,
			  want_roots);
		vmsa_pgt_destroy(&pgt);
	}
	CHECK_MSG(t.n == 0 && t.bad == 0, "init/destroy left %u pages, %lu "
		  "contract violations: %s", t.n, t.bad, t.why);
	tops_release(&t);
}

/* Every regime, granule, input size (0 to 52, and 64) and start level
 * (-3 to 4, and AUTO). */
TEST(pgt_errors_init_geometry)
{
	static const vmsa_granule_t grans[] = {
		VMSA_GRANULE_4K, VMSA_GRANULE_16K, VMSA_GRANULE_64K,
	};
	unsigned n[2] = { 0, 0 };

	for (size_t r = 0; r < 4; r++)
		for (size_t gi = 0; gi < 3; gi++)
			for (unsigned bits = 0; bits <= 64; bits++)
				for (int start = -3; start <= 5; start++) {
					vmsa_pgt_cfg_t cfg = {
						.regime = regimes[r],
						.granule = grans[gi],
						.ia_bits = bits,
						.start_level = start == 5
							? VMSA_PGT_LEVEL_AUTO
							: start,
					};

					if (bits <= 52 || bits == 64)
						init_case(&cfg, n);
				}
	CHECK_MSG(n[0] > 100 && n[1] > 1000, "%u accepted, %u refused", n[0],
		  n[1]);
}

TEST(pgt_errors_init_bad_arguments)
{
	vmsa_pgt_features_t f = { 0 };
	vmsa_pgt_cfg_t cfg = S2_4K;
	vmsa_pgt_t pgt;
	tops_t t;
	/* Each op in turn left out. */
	size_t offs[] = {
		offsetof(vmsa_pgt_ops_t, read),
		offsetof(vmsa_pgt_ops_t, write),
		offsetof(vmsa_pgt_ops_t, cas),
		offsetof(vmsa_pgt_ops_t, dsb),
		offsetof(vmsa_pgt_ops_t, isb),
		offsetof(vmsa_pgt_ops_t, tlbi),
		offsetof(vmsa_pgt_ops_t, cmo),
		offsetof(vmsa_pgt_ops_t, zalloc_page),
		offsetof(vmsa_pgt_ops_t, free_page),
		offsetof(vmsa_pgt_ops_t, get_page),
		offsetof(vmsa_pgt_ops_t, put_page),
		offsetof(vmsa_pgt_ops_t, page_count),
		offsetof(vmsa_pgt_ops_t, virt_to_phys),
		offsetof(vmsa_pgt_ops_t, phys_to_virt),
	};

	tops_init(&t, VMSA_GRANULE_4K, &f);
	CHECK_EQ(vmsa_pgt_init(NULL, &cfg, &t.ops), -EINVAL);
	CHECK_EQ(vmsa_pgt_init(&pgt, NULL, &t.ops), -EINVAL);
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, NULL), -EINVAL);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		vmsa_pgt_ops_t o = t.ops;

		memset((char *)&o + offs[i], 0, sizeof(void *));
		CHECK_MSG(vmsa_pgt_init(&pgt, &cfg, &o) == -EINVAL,
			  "init without the op at offset %zu accepted", offs[i]);
	}
	/* BBM levels are 0, 1, 2. */
	t.ops.features.bbm_level = 3;
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), -EINVAL);
	t.ops.features.bbm_level = 2;
	/* Regime and granule outside their enums. */
	cfg.regime = (vmsa_pgt_regime_t)4;
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), -EINVAL);
	cfg = S2_4K;
	cfg.granule = (vmsa_granule_t)3;
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), -EINVAL);
	/* More than 16 concatenated roots: 4K from level 1 resolves 39
	 * bits in one table; 44 bits would need 32. */
	cfg = S2_4K;
	cfg.start_level = 1;
	cfg.ia_bits = 44;
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), -EINVAL);
	cfg.ia_bits = 43; /* 16 roots: the most allowed */
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), 0);
	CHECK_EQ(pgt.n_roots, 16);
	CHECK_EQ(t.n, 16);
	vmsa_pgt_destroy(&pgt);
	/* Concatenated roots need zalloc_pages. */
	t.ops.zalloc_pages = NULL;
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), -EINVAL);
	cfg.ia_bits = 39; /* one root: fine without it */
	CHECK_EQ(vmsa_pgt_init(&pgt, &cfg, &t.ops), 0);
	vmsa_pgt_destroy(&pgt);
	CHECK_EQ(t.n, 0);
	CHECK_MSG(t.bad == 0, "ops contract: %s", t.why);
	tops_release(&t);
}

/* The root cannot be allocated: -ENOMEM, nothing leaked; a 16-table
 * root is one allocation. */
TEST(pgt_errors_init_enomem)
{
	vmsa_pgt_features_t f = { 0 };
	vmsa_pgt_cfg_t one = S2_4K, many = S2_4K;
	const vmsa_pgt_cfg_t *cfgs[2] = { &one, &many };
	vmsa_pgt_t pgt;
	tops_t t;

	many.start_level = 1;
	many.ia_bits = 43;
	for (unsigned i = 0; i < 2; i++) {
		tops_init(&t, VMSA_GRANULE_4K, &f);
		t.fail_at = 0;
		memset(&pgt, 0, sizeof(pgt));
		CHECK_EQ(vmsa_pgt_init(&pgt, cfgs[i], &t.ops), -ENOMEM);
		CHECK_EQ(t.allocs, 1);
		CHECK_EQ(t.n, 0);
		t.fail_at = -1;
		CHECK_EQ(vmsa_pgt_init(&pgt, cfgs[i], &t.ops), 0);
		CHECK_EQ(t.allocs, 2);
		vmsa_pgt_destroy(&pgt);
		CHECK_EQ(t.n, 0);
		CHECK_MSG(t.bad == 0, "ops contract: %s", t.why);
		tops_release(&t);
	}
}

/* =====================================================================
 * Allocation failure at every allocation
 * =================================================================== */

typedef struct fcase {
	const char *name;
	const vmsa_pgt_cfg_t *cfg;
	vmsa_pgt_features_t feat;
	void (*setup)(tenv_t *e);       /* the mappings before */
	int (*op)(tenv_t *e, unsigned flags);
	uint64_t lo, hi;                /* the input range to compare */
	bool keep_all;                  /* a failure changes nothing */
} fcase_t;

/*
 * Run fc->op once without failure (the mappings it makes, the number of
 * allocations it needs), then for k = 0, 1, ... with the k-th allocation
 * of the operation failing, until it succeeds: each failure returns
 * -ENOMEM and leaves every page of the range as it was or as the
 * operation maps it (fc->keep_all: as it was), every table valid with
 * exact counts and no page unreachable; the same operation then
 * completes; destroy frees everything.
 */
static void fail_every_alloc(const fcase_t *fc, unsigned flags)
{
	tenv_t e;
	pstate_t *before, *after;
	unsigned long need, k;
	uint64_t where = 0, n;
	int ret;
	char what[160];

	if (!env_init(&e, fc->cfg, &fc->feat))
		return;
	if (fc->setup)
		fc->setup(&e);
	before = snapshot(&e, fc->lo, fc->hi);
	need = e.to.allocs;
	CHECK_EQ(fc->op(&e, flags), 0);
	need = e.to.allocs - need;
	after = snapshot(&e, fc->lo, fc->hi);
	snprintf(what, sizeof(what), "%s%s, no failure", fc->name,
		 flags ? " shared" : "");
	check_tables_if(&e, what, flags & VMSA_PGT_SHARED);
	env_done(&e);
	CHECK_MSG(need > 0, "%s: the operation allocated nothing", fc->name);

	for (k = 0; k <= need + 1; k++) {
		snprintf(what, sizeof(what), "%s%s, allocation %lu of %lu fails",
			 fc->name, flags ? " shared" : "", k, need);
		if (!env_init(&e, fc->cfg, &fc->feat))
			break;
		if (fc->setup)
			fc->setup(&e);
		e.to.fail_at = (long)(e.to.allocs + k);
		ret = fc->op(&e, flags);
		e.to.fail_at = -1;
		if (ret == 0) {
			CHECK_MSG(k == need, "%s: succeeded", what);
			CHECK_MSG(differ(&e, fc->lo, fc->hi, after, NULL,
					 &where) == 0,
				  "%s: 0x%" PRIx64 " not as mapped", what, where);
			env_done(&e);
			break;
		}
		CHECK_MSG(ret == -ENOMEM, "%s: returned %d", what, ret);
		n = differ(&e, fc->lo, fc->hi, before,
			   fc->keep_all ? NULL : after, &where);
		CHECK_MSG(n == 0, "%s: %" PRIu64 " pages half-written, the first "
			  "at 0x%" PRIx64, what, n, where);
		check_tables_if(&e, what, !fc->keep_all);
		/* The tables are usable: the operation now completes. */
		CHECK_MSG(fc->op(&e, flags) == 0, "%s: retry failed", what);
		CHECK_MSG(differ(&e, fc->lo, fc->hi, after, NULL, &where) == 0,
			  "%s: after the retry 0x%" PRIx64 " is not as mapped",
			  what, where);
		check_tables_if(&e, what, flags & VMSA_PGT_SHARED);
		env_done(&e);
	}
	CHECK_MSG(k == need, "%s: %lu allocations, loop ended at %lu", fc->name,
		  need, k);
	free(before);
	free(after);
}

/* 1G - 16K .. 1G + 16K as pages: an L1 table, two L2, two L3. */
static int op_map_pages(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 16 * KiB), 32 * KiB,
			    VMSA_OA(OA0 + 16 * MiB), VMSA_PGT_PROT_RW,
			    flags | VMSA_PGT_PAGES);
}

/* 1G - 2M - 8K .. 1G + 2M + 8K: two blocks, pages at both ends, with
 * Contiguous runs where they fit. */
static int op_map_mixed(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 2 * MiB - 8 * KiB),
			    4 * MiB + 16 * KiB,
			    VMSA_OA(OA0 + 64 * MiB - 2 * MiB - 8 * KiB),
			    VMSA_PGT_PROT_RWX, flags | VMSA_PGT_CONTIG);
}

/* Two 2M blocks at 1G - 2M, RW; pages either side. */
static void setup_blocks(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 2 * MiB), 4 * MiB,
			      VMSA_OA(OA0), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 4 * MiB), 2 * MiB,
			      VMSA_OA(OA0 + 32 * MiB), VMSA_PGT_PROT_R,
			      VMSA_PGT_PAGES), 0);
}

/* A page inside each block, elsewhere: each block must become a table
 * (allocated before the block is touched). */
static int op_map_into_blocks(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 4 * KiB), 8 * KiB,
			    VMSA_OA(OA0 + 256 * MiB), VMSA_PGT_PROT_RWX, flags);
}

/* Over pages and blocks and fresh space at once. */
static int op_map_over(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 4 * MiB - 12 * KiB),
			    2 * MiB + 64 * KiB, VMSA_OA(OA0 + GiB),
			    VMSA_PGT_PROT_RW, flags | VMSA_PGT_PAGES);
}

static int op_split_blocks(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_split(&e->pgt, VMSA_IA(GiB - 4 * MiB), 8 * MiB, flags);
}

/* A page out of the middle of each block: both split first. */
static int op_unmap_holes(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_unmap(&e->pgt, VMSA_IA(GiB - 4 * KiB), 8 * KiB, flags);
}

static const vmsa_pgt_cfg_t S2_4K_CONCAT = {
	.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K, .ia_bits = 40,
	.start_level = 1, .vmid = 1,
};

/* Across the two concatenated root tables (512G). */
static int op_map_concat(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(512 * GiB - 2 * MiB - 4 * KiB),
			    4 * MiB + 8 * KiB, VMSA_OA(OA0 - 4 * KiB),
			    VMSA_PGT_PROT_RW, flags);
}

static const vmsa_pgt_cfg_t S1_16K = {
	.regime = VMSA_PGT_S1_EL1, .granule = VMSA_GRANULE_16K, .ia_bits = 47,
	.start_level = VMSA_PGT_LEVEL_AUTO, .asid = 1, .attr_normal = 0,
	.attr_normal_nc = 1, .attr_device = 2,
};

/* 16K: a 32M block and pages with 2M contiguous runs, across a 64G
 * (level-1) boundary. */
static int op_map_16k(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(64 * GiB - 34 * MiB), 36 * MiB,
			    VMSA_OA(OA0 + 30 * MiB), VMSA_PGT_PROT_RW,
			    flags | VMSA_PGT_CONTIG);
}

static void setup_16k_blocks(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(64 * GiB - 32 * MiB), 64 * MiB,
			      VMSA_OA(OA0), VMSA_PGT_PROT_RW, 0), 0);
}

static int op_split_16k(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_split(&e->pgt, VMSA_IA(64 * GiB - 16 * KiB), 32 * KiB,
			      flags);
}

static const vmsa_pgt_cfg_t S2_64K = {
	.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_64K, .ia_bits = 44,
	.start_level = VMSA_PGT_LEVEL_AUTO, .vmid = 3,
};

static void setup_64k_block(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(4096 * GiB), 512 * MiB,
			      VMSA_OA(OA0), VMSA_PGT_PROT_RWX, 0), 0);
}

static int op_unmap_64k(tenv_t *e, unsigned flags)
{
	return vmsa_pgt_unmap(&e->pgt, VMSA_IA(4096 * GiB + 64 * MiB),
			      2 * MiB, flags);
}

static const fcase_t fcases[] = {
	{ "map pages", &S2_4K, { 0 }, NULL, op_map_pages,
	  GiB - 32 * KiB, GiB + 32 * KiB, true },
	{ "map blocks and contiguous pages", &S2_4K, { .bbm_level = 2 },
	  NULL, op_map_mixed, GiB - 4 * MiB, GiB + 4 * MiB, true },
	{ "map into blocks", &S2_4K, { 0 }, setup_blocks, op_map_into_blocks,
	  GiB - 4 * MiB, GiB + 2 * MiB, true },
	{ "map into blocks bbm2", &S2_4K, { .bbm_level = 2 }, setup_blocks,
	  op_map_into_blocks, GiB - 4 * MiB, GiB + 2 * MiB, true },
	{ "map over pages and blocks", &S2_4K, { .bbm_level = 1 },
	  setup_blocks, op_map_over, GiB - 6 * MiB, GiB + 2 * MiB, true },
	{ "map across concatenated roots", &S2_4K_CONCAT, { 0 }, NULL,
	  op_map_concat, 512 * GiB - 4 * MiB, 512 * GiB + 4 * MiB, true },
	{ "stage-1 16K map", &S1_16K, { 0 }, NULL, op_map_16k,
	  64 * GiB - 64 * MiB, 64 * GiB + 32 * MiB, true },
	{ "split", &S2_4K, { 0 }, setup_blocks, op_split_blocks,
	  GiB - 4 * MiB, GiB + 4 * MiB, true },
	{ "split bbm2", &S2_4K, { .bbm_level = 2 }, setup_blocks,
	  op_split_blocks, GiB - 4 * MiB, GiB + 4 * MiB, true },
	{ "stage-1 16K split", &S1_16K, { .bbm_level = 1 }, setup_16k_blocks,
	  op_split_16k, 64 * GiB - 32 * MiB, 64 * GiB + 32 * MiB, true },
	{ "unmap in blocks", &S2_4K, { 0 }, setup_blocks, op_unmap_holes,
	  GiB - 4 * MiB, GiB + 2 * MiB, true },
	{ "64K unmap in a block", &S2_64K, { .bbm_level = 2 }, setup_64k_block,
	  op_unmap_64k, 4096 * GiB, 4096 * GiB + 512 * MiB, true },
};

TEST(pgt_errors_enomem_every_allocation)
{
	for (size_t i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		fail_every_alloc(&fcases[i], 0);
		fail_every_alloc(&fcases[i], VMSA_PGT_SHARED);
	}
}

/* =====================================================================
 * -EAGAIN: a shared walker meets another's locked entry
 * =================================================================== */

/* P is a page in an L3 table, B a 2M block, Q the empty page after P. */
#define P_IA (GiB + 2 * MiB + 20 * KiB)
#define Q_IA (P_IA + 4 * KiB)
#define B_IA (GiB + 8 * MiB)

static void setup_locking(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(P_IA), 4 * KiB,
			      VMSA_OA(OA0 + 4 * KiB), VMSA_PGT_PROT_R, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(B_IA), 2 * MiB,
			      VMSA_OA(OA0 + 2 * MiB), VMSA_PGT_PROT_RW, 0), 0);
}

/* Every shared operation that would change *ptep returns -EAGAIN and
 * leaves the lock where it is (its owner finishes the make); restored,
 * the tables are as before and the operation goes through. */
static void expect_eagain(tenv_t *e, uint64_t *ptep, const char *what,
			  int (*op)(tenv_t *e, unsigned flags))
{
	uint64_t old = *ptep;
	unsigned long allocs = e->to.allocs;
	unsigned pages = e->to.n;
	int ret;

	*ptep = VMSA_PGT_LOCKED;
	ret = op(e, VMSA_PGT_SHARED);
	CHECK_MSG(ret == -EAGAIN, "%s on a locked entry: %d, not -EAGAIN",
		  what, ret);
	CHECK_MSG(*ptep == VMSA_PGT_LOCKED, "%s overwrote the lock with 0x%016"
		  PRIx64, what, *ptep);
	/* Whatever it allocated before meeting the lock went back. */
	CHECK_MSG(e->to.n == pages, "%s: %u table pages, %u before (allocated "
		  "%lu)", what, e->to.n, pages, e->to.allocs - allocs);
	*ptep = old;
	check_tables_if(e, what, true);
	CHECK_MSG(op(e, VMSA_PGT_SHARED) == 0, "%s after unlocking failed",
		  what);
	check_tables_if(e, what, true);
}

static int ea_map_p(tenv_t *e, unsigned f)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(P_IA), 4 * KiB,
			    VMSA_OA(OA0 + 4 * KiB), VMSA_PGT_PROT_RW, f);
}

static int ea_map_q(tenv_t *e, unsigned f)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(Q_IA), 4 * KiB, VMSA_OA(OA0),
			    VMSA_PGT_PROT_R, f);
}

static int ea_unmap_p(tenv_t *e, unsigned f)
{
	return vmsa_pgt_unmap(&e->pgt, VMSA_IA(P_IA), 4 * KiB, f);
}

static int ea_wrprotect_b(tenv_t *e, unsigned f)
{
	return vmsa_pgt_wrprotect(&e->pgt, VMSA_IA(B_IA), 2 * MiB, f);
}

static int ea_relax_p(tenv_t *e, unsigned f)
{
	return vmsa_pgt_relax_perms(&e->pgt, VMSA_IA(P_IA), VMSA_PGT_PROT_W, f);
}

static int ea_mkyoung_b(tenv_t *e, unsigned f)
{
	return vmsa_pgt_mkyoung(&e->pgt, VMSA_IA(B_IA + 8 * KiB), f);
}

/* test_clear_young's 1 or 0 is success here. */
static int ea_young_b(tenv_t *e, unsigned f)
{
	int ret = vmsa_pgt_test_clear_young(&e->pgt, VMSA_IA(B_IA), 2 * MiB,
					    true, f);

	return ret < 0 ? ret : 0;
}

static int ea_split_b(tenv_t *e, unsigned f)
{
	return vmsa_pgt_split(&e->pgt, VMSA_IA(B_IA), 2 * MiB, f);
}

static int ea_map_in_b(tenv_t *e, unsigned f)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(B_IA + 4 * KiB), 4 * KiB,
			    VMSA_OA(OA0 + 64 * MiB), VMSA_PGT_PROT_R, f);
}

/* Collapse P's table back into a block: map the rest of its 2M first. */
static int ea_collapse_p(tenv_t *e, unsigned f)
{
	return vmsa_pgt_collapse(&e->pgt, VMSA_IA(GiB + 2 * MiB), f);
}

static void fill_p_block(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(GiB + 2 * MiB), 2 * MiB,
			      VMSA_OA(OA0), VMSA_PGT_PROT_R, VMSA_PGT_PAGES),
		 0);
}

TEST(pgt_errors_eagain_locked_entries)
{
	for (unsigned bbm = 0; bbm <= 2; bbm += 2) {
		vmsa_pgt_features_t f = { .bbm_level = bbm };
		tenv_t e;
		int level;
		uint64_t *p;

		if (!env_init(&e, &S2_4K, &f))
			return;
		setup_locking(&e);
		/* The leaf P itself. */
		p = entry_of(&e, P_IA, &level);
		CHECK_EQ(level, 3);
		expect_eagain(&e, p, "map over P", ea_map_p);
		expect_eagain(&e, p, "relax P", ea_relax_p);
		expect_eagain(&e, p, "unmap P", ea_unmap_p);
		/* An empty entry held by another walker's make. */
		CHECK_EQ(ea_map_p(&e, 0), 0);
		p = entry_of(&e, Q_IA, &level);
		CHECK_EQ(*p, 0);
		expect_eagain(&e, p, "map Q", ea_map_q);
		/* The L2 table entry above P and Q. */
		p = entry_at(&e, P_IA, 2);
		CHECK_EQ(*p & 3, 3);
		expect_eagain(&e, p, "unmap under a locked table entry",
			      ea_unmap_p);
		/* Collapse frees tables: exclusive walks only. */
		fill_p_block(&e);
		CHECK_EQ(ea_collapse_p(&e, VMSA_PGT_SHARED), -EINVAL);
		CHECK_EQ(ea_collapse_p(&e, 0), 0);
		/* The block B. */
		p = entry_of(&e, B_IA, &level);
		CHECK_EQ(level, 2);
		expect_eagain(&e, p, "wrprotect B", ea_wrprotect_b);
		/* Old first, so that mkyoung has something to change. */
		CHECK_EQ(vmsa_pgt_test_clear_young(&e.pgt, VMSA_IA(B_IA),
						   2 * MiB, true, 0), 1);
		expect_eagain(&e, p, "mkyoung B", ea_mkyoung_b);
		expect_eagain(&e, p, "test_clear_young B", ea_young_b);
		expect_eagain(&e, p, "split B", ea_split_b);
		CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(B_IA), 0), 0);
		expect_eagain(&e, entry_of(&e, B_IA, &level), "map into B",
			      ea_map_in_b);
		env_done(&e);
	}
}

/* =====================================================================
 * -ENOENT and -EEXIST
 * =================================================================== */

TEST(pgt_errors_enoent)
{
	tenv_t e;
	sentinel_t s;

	if (!env_init(&e, &S2_4K, NULL))
		return;
	/* Nothing mapped, no tables at all. */
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT_LO), VMSA_PGT_PROT_W,
				      0), -ENOENT);
	CHECK_EQ(vmsa_pgt_mkyoung(&e.pgt, VMSA_IA(SENT_LO), VMSA_PGT_SHARED),
		 -ENOENT);
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_LO), 0), -ENOENT);
	CHECK_EQ(e.to.allocs, 1);
	sentinel_map(&e);
	sentinel_take(&e, &s);
	/* Tables, but an invalid leaf: beside the pages, inside their L3
	 * table. */
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT2_HI),
				      VMSA_PGT_PROT_W, VMSA_PGT_SHARED),
		 -ENOENT);
	CHECK_EQ(vmsa_pgt_relax_perms(&e.pgt, VMSA_IA(SENT2_LO - 4 * KiB),
				      VMSA_PGT_PROT_X, 0), -ENOENT);
	CHECK_EQ(vmsa_pgt_mkyoung(&e.pgt, VMSA_IA(SENT2_HI + 8 * KiB), 0),
		 -ENOENT);
	/* collapse where there is no table: a block, an invalid entry. */
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_LO), 0), -ENOENT);
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_HI), 0), -ENOENT);
	CHECK_EQ(vmsa_pgt_collapse(&e.pgt, VMSA_IA(SENT_HI), VMSA_PGT_SHARED),
		 -EINVAL);
	sentinel_same(&e, &s, "-ENOENT");
	sentinel_free(&s);
	env_done(&e);
}

/* collapse of a table that does not map one uniform block. */
TEST(pgt_errors_collapse_eexist)
{
	static const struct {
		const char *why;
		uint64_t hole_ia;     /* a page left out, or 0 */
		uint64_t odd_ia;      /* a page mapped differently, or 0 */
		uint64_t odd_oa;
		unsigned odd_prot;
		uint64_t oa;          /* output of the 2M */
	} cases[] = {
		{ "a page missing", 2 * MiB + 44 * KiB, 0, 0, 0, OA0 },
		{ "the last page missing", 4 * MiB - 4 * KiB, 0, 0, 0, OA0 },
		{ "a page read-only", 0, 3 * MiB, OA0 + MiB, VMSA_PGT_PROT_R,
		  OA0 },
		{ "a page executable", 0, 2 * MiB, OA0, VMSA_PGT_PROT_RWX,
		  OA0 },
		{ "a page Device", 0, 2 * MiB + 8 * KiB, OA0 + 8 * KiB,
		  VMSA_PGT_PROT_RW | VMSA_PGT_PROT_DEVICE, OA0 },
		{ "a page elsewhere", 0, 4 * MiB - 4 * KiB, OA0 + 8 * MiB,
		  VMSA_PGT_PROT_RW, OA0 },
		{ "output not block aligned", 0, 0, 0, 0, OA0 + 4 * KiB },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tenv_t e;
		pstate_t *before;
		uint64_t where = 0;
		unsigned long allocs;

		if (!env_init(&e, &S2_4K, NULL))
			return;
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(2 * MiB), 2 * MiB,
				      VMSA_OA(cases[i].oa), VMSA_PGT_PROT_RW,
				      VMSA_PGT_PAGES), 0);
		if (cases[i].hole_ia)
			CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(cases[i].hole_ia),
						4 * KiB, 0), 0);
		if (cases[i].odd_ia)
			CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(cases[i].odd_ia),
					      4 * KiB, VMSA_OA(cases[i].odd_oa),
					      cases[i].odd_prot, 0), 0);
		before = snapshot(&e, 2 * MiB, 4 * MiB);
		allocs = e.to.allocs;
		CHECK_MSG(vmsa_pgt_collapse(&e.pgt, VMSA_IA(2 * MiB), 0) ==
				  -EEXIST,
			  "collapse with %s: not -EEXIST", cases[i].why);
		CHECK_MSG(vmsa_pgt_collapse(&e.pgt, VMSA_IA(2 * MiB),
					    VMSA_PGT_SHARED) == -EINVAL,
			  "shared collapse with %s: not -EINVAL", cases[i].why);
		CHECK_MSG(differ(&e, 2 * MiB, 4 * MiB, before, NULL, &where) == 0,
			  "collapse with %s changed 0x%" PRIx64, cases[i].why,
			  where);
		CHECK_EQ(e.to.allocs, allocs);
		check_tables(&e, cases[i].why);
		free(before);
		env_done(&e);
	}
}

/* =====================================================================
 * -EAGAIN: a shared walker loses a race
 * =================================================================== */

/* Another walker changes *ptep first: a valid entry gets its Access flag
 * toggled (what hardware or another mkyoung does), an invalid one is
 * locked by it (counted, as a locked entry is). */
static void to_race(tops_t *t, uint64_t *ptep)
{
	uint64_t v = *ptep;

	t->raced = ptep;
	t->raced_old = v;
	if (v & VMSA_D_VALID) {
		t->raced_new = v ^ VMSA_D_AF;
	} else {
		t->raced_new = VMSA_PGT_LOCKED;
		t->count[to_find(t, ptep)]++;
	}
	*ptep = t->raced_new;
}

/* The other walker finishes: its entry goes back as it was. */
static void race_undo(tops_t *t)
{
	if (!t->raced)
		return;
	CHECK_MSG(*t->raced == t->raced_new, "the library overwrote another "
		  "walker's 0x%016" PRIx64 " with 0x%016" PRIx64, t->raced_new,
		  *t->raced);
	*t->raced = t->raced_old;
	if (!(t->raced_old & VMSA_D_VALID))
		t->count[to_find(t, t->raced)]--;
	t->raced = NULL;
}

typedef struct rcase {
	const char *name;
	vmsa_pgt_features_t feat;
	void (*setup)(tenv_t *e);
	int (*op)(tenv_t *e, unsigned flags);
	uint64_t lo, hi;
} rcase_t;

/*
 * For k = 0, 1, ... until the shared operation makes fewer than k + 1
 * CASes: another walker changes the target of the k-th CAS just before
 * it. The operation returns -EAGAIN, leaves no entry locked, every page
 * as it was or as asked (the Access flag aside: the other walker's),
 * the counts exact; once the other walker is done, the operation goes
 * through.
 */
static void race_every_cas(const rcase_t *rc)
{
	tenv_t e;
	pstate_t *before, *after;
	uint64_t where = 0, n;
	unsigned long k, cases = 0;
	char what[160];
	int ret;

	if (!env_init(&e, &S2_4K, &rc->feat))
		return;
	rc->setup(&e);
	before = snapshot(&e, rc->lo, rc->hi);
	CHECK_EQ(rc->op(&e, VMSA_PGT_SHARED), 0);
	after = snapshot(&e, rc->lo, rc->hi);
	env_done(&e);
	/* The Access flag is the other walker's to change. */
	for (uint64_t i = 0; i < (rc->hi - rc->lo) / (4 * KiB); i++) {
		before[i].attrs &= ~VMSA_D_AF;
		after[i].attrs &= ~VMSA_D_AF;
	}
	for (k = 0; k < 4096; k++) {
		snprintf(what, sizeof(what), "%s, CAS %lu raced", rc->name, k);
		if (!env_init(&e, &S2_4K, &rc->feat))
			break;
		rc->setup(&e);
		e.to.n_cas = 0;
		e.to.cas_at = (long)k;
		e.to.race = to_race;
		ret = rc->op(&e, VMSA_PGT_SHARED);
		e.to.cas_at = -1;
		if (!e.to.raced) {
			CHECK_MSG(ret == 0, "%s: %d", what, ret);
			env_done(&e);
			break;
		}
		cases++;
		CHECK_MSG(ret == -EAGAIN, "%s: returned %d, not -EAGAIN", what,
			  ret);
		race_undo(&e.to);
		n = 0;
		for (uint64_t a = rc->lo; a < rc->hi; a += 4 * KiB) {
			pstate_t st = page_state(&e, a);
			uint64_t i = (a - rc->lo) / (4 * KiB);

			st.attrs &= ~VMSA_D_AF;
			if (!pstate_eq(&st, &before[i]) &&
			    !pstate_eq(&st, &after[i]) && n++ == 0)
				where = a;
		}
		CHECK_MSG(n == 0, "%s: %" PRIu64 " pages half-written, the first "
			  "at 0x%" PRIx64, what, n, where);
		check_tables_if(&e, what, true);
		CHECK_MSG(rc->op(&e, VMSA_PGT_SHARED) == 0, "%s: retry failed",
			  what);
		check_tables_if(&e, what, true);
		env_done(&e);
	}
	CHECK_MSG(cases > 0, "%s: no CAS to race", rc->name);
	if (getenv("VMSA_PGT_TRACE"))
		fprintf(stderr, "%s: %lu CASes raced\n", rc->name, cases);
	free(before);
	free(after);
}

/* Around 1G: a block, pages of two tables, nothing. */
static void setup_race(tenv_t *e)
{
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 2 * MiB), 2 * MiB,
			      VMSA_OA(OA0), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(vmsa_pgt_map(&e->pgt, VMSA_IA(GiB), 64 * KiB,
			      VMSA_OA(OA0 + 64 * MiB), VMSA_PGT_PROT_RW,
			      VMSA_PGT_CONTIG), 0);
}

static int race_map_fresh(tenv_t *e, unsigned f)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(GiB + 2 * MiB - 8 * KiB),
			    16 * KiB, VMSA_OA(OA0 + GiB), VMSA_PGT_PROT_R, f);
}

static int race_map_over(tenv_t *e, unsigned f)
{
	return vmsa_pgt_map(&e->pgt, VMSA_IA(GiB - 8 * KiB), 24 * KiB,
			    VMSA_OA(OA0 + GiB), VMSA_PGT_PROT_R, f);
}

static int race_unmap(tenv_t *e, unsigned f)
{
	return vmsa_pgt_unmap(&e->pgt, VMSA_IA(GiB - 4 * KiB), 12 * KiB, f);
}

static int race_wrprotect(tenv_t *e, unsigned f)
{
	return vmsa_pgt_wrprotect(&e->pgt, VMSA_IA(GiB - 2 * MiB),
				  2 * MiB + 16 * KiB, f);
}

static int race_relax(tenv_t *e, unsigned f)
{
	return vmsa_pgt_relax_perms(&e->pgt, VMSA_IA(GiB + 4 * KiB),
				    VMSA_PGT_PROT_X, f);
}

static int race_young(tenv_t *e, unsigned f)
{
	int ret = vmsa_pgt_test_clear_young(&e->pgt, VMSA_IA(GiB - 2 * MiB),
					    2 * MiB + 64 * KiB, true, f);

	return ret < 0 ? ret : 0;
}

static int race_split(tenv_t *e, unsigned f)
{
	return vmsa_pgt_split(&e->pgt, VMSA_IA(GiB - 2 * MiB), 4 * MiB, f);
}

TEST(pgt_errors_eagain_lost_race)
{
	static const rcase_t rcases[] = {
		{ "map fresh", { 0 }, setup_race, race_map_fresh,
		  GiB, GiB + 4 * MiB },
		{ "map over", { 0 }, setup_race, race_map_over,
		  GiB - 2 * MiB, GiB + 2 * MiB },
		{ "map over bbm2", { .bbm_level = 2 }, setup_race,
		  race_map_over, GiB - 2 * MiB, GiB + 2 * MiB },
		{ "unmap", { 0 }, setup_race, race_unmap,
		  GiB - 2 * MiB, GiB + 2 * MiB },
		{ "unmap bbm1", { .bbm_level = 1 }, setup_race, race_unmap,
		  GiB - 2 * MiB, GiB + 2 * MiB },
		{ "wrprotect", { 0 }, setup_race, race_wrprotect,
		  GiB - 2 * MiB, GiB + 2 * MiB },
		{ "relax_perms", { .bbm_level = 2 }, setup_race, race_relax,
		  GiB, GiB + 2 * MiB },
		{ "test_clear_young", { 0 }, setup_race, race_young,
		  GiB - 2 * MiB, GiB + 2 * MiB },
		{ "split", { 0 }, setup_race, race_split,
		  GiB - 2 * MiB, GiB + 2 * MiB },
		{ "split bbm2", { .bbm_level = 2 }, setup_race, race_split,
		  GiB - 2 * MiB, GiB + 2 * MiB },
	};

	for (size_t i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++)
		race_every_cas(&rcases[i]);
}

/* =====================================================================
 * Empty tables left behind are freed by an exclusive unmap
 * =================================================================== */

/* A shared unmap keeps the tables it empties (pgtable.h,
 * docs/pgtable.md): an exclusive unmap of any part of their range frees
 * them, even though it removes nothing from them. A failed map keeps no
 * table at all (it allocates them all before its first change): the
 * tree stays exact after each failure, with no empty table. */
TEST(pgt_errors_empty_tables_freed)
{
	tenv_t e;

	if (!env_init(&e, &S2_4K, NULL))
		return;
	CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(GiB), 16 * KiB,
			      VMSA_OA(OA0), VMSA_PGT_PROT_RW, 0), 0);
	CHECK_EQ(e.to.n, 4); /* the root, and a table of levels 1 to 3 */
	CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(GiB), 16 * KiB,
				VMSA_PGT_SHARED), 0);
	check_tables_if(&e, "after a shared unmap", true);
	CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(GiB + 8 * KiB), 4 * KiB, 0), 0);
	CHECK_EQ(e.to.n, 1);
	check_tables(&e, "an exclusive unmap after a shared one");

	/* Every allocation of a fresh map failing in turn. */
	for (unsigned k = 0; k < 3; k++) {
		e.to.fail_at = (long)(e.to.allocs + k);
		CHECK_EQ(vmsa_pgt_map(&e.pgt, VMSA_IA(GiB), 4 * KiB,
				      VMSA_OA(OA0), VMSA_PGT_PROT_RW, 0),
			 -ENOMEM);
		e.to.fail_at = -1;
		check_tables(&e, "after a failed map");
		CHECK_EQ(vmsa_pgt_unmap(&e.pgt, VMSA_IA(GiB + 8 * KiB), 4 * KiB,
					0), 0);
		CHECK_EQ(e.to.n, 1);
		check_tables(&e, "an exclusive unmap after a failed map");
	}
	env_done(&e);
}
