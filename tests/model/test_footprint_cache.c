/*
 * tests/model/test_footprint_cache.c - data accesses and cache
 * maintenance in the explorer's dependency relation (footprint.h,
 * FP_SUB_STALE and FP_SUB_POC; docs/explorer.md, "Data accesses and
 * cache maintenance"). A data read reads its word and the copy that may
 * stand for memory's (the stale copy when cacheable, the PoC's when
 * not); a DC writes only the copy it drops, and reads both when it
 * changes nothing. So a cacheable read and a clean of a dirty line are
 * independent, a non-cacheable one and the clean are not; a read of
 * either kind and a DC of a line in sync are independent; a cacheable
 * read and an invalidate of a stale line are not. This test fails if the
 * relation is made coarser (the whole line again) or loses one of these;
 * dpor_random_cache (tests/explore/test_dpor_random.c) checks the same
 * by outcomes.
 *
 * Both CPUs stay at EL2 with their MMU off: a DC's VA is its PA.
 */
#include "fp_fixture.h"
#include "model/cache.h"
#include "model/footprint.h"
#include "model/machine.h"

struct cf {
	vmsa_machine_t *m;
	vmsa_pa_t pa;		/* word 0 of a line of a page of its own */
};

/* The line in state st (CACHE_LINE_*): set-up writes word 1 cacheable
 * (dirty) or non-cacheable (stale). */
static void cf_setup(struct cf *f, int st)
{
	f->m = fx_machine(2, 0, true);
	f->pa = vmsa_page_alloc(f->m, VMSA_SETUP, 1, 1) + 0x40;
	if (st != CACHE_LINE_IN_SYNC)
		vmsa_phys_write(f->m, VMSA_SETUP, f->pa + 8, 8, 7,
				st == CACHE_LINE_DIRTY);
	CHECK_EQ(cache_line_state(&f->m->cache, f->pa), st);
	/* Each CPU's first translation creates its context (a change of
	 * the translation state, FP_DESC_W): made here, on another line. */
	for (int cpu = 0; cpu < 2; cpu++)
		vmsa_dc(f->m, cpu, VMSA_DC_CVAC, f->pa + 0x40);
}

static void start(struct cf *f, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
}

static void stop(struct cf *f)
{
	fp_end(f->m);
	fp_attach(f->m, NULL);
	CHECK(!vmsa_stopped(f->m));
}

static void read_fp(struct cf *f, int cpu, bool cacheable,
		    struct footprint *fp)
{
	start(f, fp);
	(void)vmsa_phys_read(f->m, cpu, f->pa, 8, cacheable);
	stop(f);
}

static void dc_fp(struct cf *f, int cpu, vmsa_dc_op_t op,
		  struct footprint *fp)
{
	start(f, fp);
	vmsa_dc(f->m, cpu, op, f->pa);
	stop(f);
}

static bool dep(const struct footprint *a, const struct footprint *b)
{
	bool d = fp_dependent(a, b);

	CHECK_EQ(d, fp_dependent(b, a));
	return d;
}

static void cf_done(struct cf *f, struct footprint *a, struct footprint *b,
		    struct footprint *c)
{
	fp_free(a);
	fp_free(b);
	fp_free(c);
	vmsa_machine_free(f->m);
}

/* A dirty line: the clean writes the PoC copy only, which a cacheable
 * read does not read and a non-cacheable one does. */
TEST(footprint_cache_clean_of_dirty_line)
{
	struct footprint rc = {0}, rn = {0}, dc = {0};
	uint64_t line = 0;
	struct cf f;

	cf_setup(&f, CACHE_LINE_DIRTY);
	line = f.pa >> 6;
	read_fp(&f, 1, true, &rc);
	read_fp(&f, 1, false, &rn);
	dc_fp(&f, 0, VMSA_DC_CVAC, &dc);
	CHECK_EQ(cache_line_state(&f.m->cache, f.pa), CACHE_LINE_IN_SYNC);
	CHECK(fp_has_item(&rc, FP_ITEM(line, 1, false)));
	CHECK(fp_has_item(&rc, FP_ITEM(line, FP_SUB_STALE, false)));
	CHECK(fp_has_item(&rn, FP_ITEM(line, FP_SUB_POC, false)));
	CHECK(fp_has_item(&dc, FP_ITEM(line, FP_SUB_POC, true)));
	CHECK(fp_has_item(&dc, FP_ITEM(line, FP_SUB_STALE, false)));
	CHECK(!fp_has_item(&dc, FP_ITEM(line, 0, true)));
	CHECK(!dep(&rc, &dc));
	CHECK(dep(&rn, &dc));
	cf_done(&f, &rc, &rn, &dc);
}

/* A line in sync: every DC changes nothing and reads both copies. */
TEST(footprint_cache_dc_of_line_in_sync)
{
	struct footprint rc = {0}, rn = {0}, dc = {0}, wr = {0};
	struct cf f;

	cf_setup(&f, CACHE_LINE_IN_SYNC);
	read_fp(&f, 1, true, &rc);
	read_fp(&f, 1, false, &rn);
	dc_fp(&f, 0, VMSA_DC_CIVAC, &dc);
	CHECK(fp_has_item(&dc, FP_ITEM(f.pa >> 6, FP_SUB_STALE, false)));
	CHECK(fp_has_item(&dc, FP_ITEM(f.pa >> 6, FP_SUB_POC, false)));
	CHECK(!dep(&rc, &dc));
	CHECK(!dep(&rn, &dc));
	/* A write of the line makes it dirty: it meets the DC. */
	start(&f, &wr);
	vmsa_phys_write(f.m, 1, f.pa + 16, 8, 3, true);
	stop(&f);
	CHECK(dep(&wr, &dc));
	fp_free(&wr);
	cf_done(&f, &rc, &rn, &dc);
}

/* A stale line: an invalidate drops the stale copy, which a cacheable
 * read depends on and a non-cacheable one does not; a clean of it
 * changes nothing. */
TEST(footprint_cache_invalidate_of_stale_line)
{
	struct footprint rc = {0}, rn = {0}, cv = {0}, ci = {0};
	struct cf f;

	cf_setup(&f, CACHE_LINE_STALE);
	read_fp(&f, 1, true, &rc);
	read_fp(&f, 1, false, &rn);
	dc_fp(&f, 0, VMSA_DC_CVAC, &cv);
	CHECK_EQ(cache_line_state(&f.m->cache, f.pa), CACHE_LINE_STALE);
	dc_fp(&f, 0, VMSA_DC_CIVAC, &ci);
	CHECK_EQ(cache_line_state(&f.m->cache, f.pa), CACHE_LINE_IN_SYNC);
	CHECK(!dep(&rc, &cv));
	CHECK(!dep(&rn, &cv));
	CHECK(fp_has_item(&ci, FP_ITEM(f.pa >> 6, FP_SUB_STALE, true)));
	CHECK(dep(&rc, &ci));
	CHECK(!dep(&rn, &ci));
	fp_free(&cv);
	cf_done(&f, &rc, &rn, &ci);
}

/* DC IVAC of a dirty line puts the PoC copy back into memory: the whole
 * line, dependent with every read of it. */
TEST(footprint_cache_ivac_of_dirty_line)
{
	struct footprint rc = {0}, rn = {0}, dc = {0};
	struct cf f;

	cf_setup(&f, CACHE_LINE_DIRTY);
	read_fp(&f, 1, true, &rc);
	read_fp(&f, 1, false, &rn);
	dc_fp(&f, 0, VMSA_DC_IVAC, &dc);
	CHECK(fp_has_item(&dc, FP_ITEM(f.pa >> 6, 0, true)));
	CHECK(dep(&rc, &dc));
	CHECK(dep(&rn, &dc));
	cf_done(&f, &rc, &rn, &dc);
}

/* A commuting add to a dirty line: dependent with its clean (after the
 * clean it makes the line dirty again), independent of a cacheable read
 * of another word of the line. */
TEST(footprint_cache_add_and_clean)
{
	struct footprint add = {0}, rc = {0}, dc = {0};
	struct cf f;

	cf_setup(&f, CACHE_LINE_DIRTY);
	start(&f, &add);
	(void)vmsa_phys_add(f.m, 1, f.pa, 8, 2, 1, true);
	stop(&f);
	start(&f, &rc);
	(void)vmsa_phys_read(f.m, 0, f.pa + 8, 8, true);
	stop(&f);
	dc_fp(&f, 0, VMSA_DC_CVAC, &dc);
	CHECK(!dep(&add, &rc));
	CHECK(dep(&add, &dc));
	cf_done(&f, &add, &rc, &dc);
}
