/*
 * tests/model/test_footprint_alloc.c - page allocation and free in the
 * explorer's dependency relation (src/model/footprint.c, fp_page_*,
 * fp_alloc_all): they no longer touch everything. An allocation reads
 * the allocator whole and writes the state and every line of the pages
 * it hands out; a free writes the state of the pages it frees. So an
 * allocation or a free is independent of another CPU's walk and access
 * of pages elsewhere, two frees of different pages are independent, and
 * an allocation is dependent with another allocation, with a free, with
 * an access of the page it hands out, and a free with a walk or access
 * of the page it frees and with vmsa_page_is_free() of it. The
 * differential test (tests/explore/test_dpor_random.c,
 * dpor_random_alloc) checks the same by outcomes; this one fails if the
 * relation is made coarser (everything again) or loses one of these.
 */
#include "fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

/* Two CPUs at EL1; VA 0x1000 -> page[0] and 0x2000 -> page[1]. */
static void alloc_fixture(struct fx *f)
{
	f->m = fx_machine(2, 0, true);
	fx_tables(f);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, 0x2000),
			   fx_page_desc(f->page[1]));
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

static void start(struct fx *f, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
}

static void stop(struct fx *f)
{
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

static void read_on(struct fx *f, int cpu, uint64_t va, struct footprint *fp)
{
	uint64_t v;

	start(f, fp);
	CHECK(vmsa_read(f->m, cpu, va, 8, &v));
	stop(f);
}

static vmsa_pa_t alloc_on(struct fx *f, int cpu, struct footprint *fp)
{
	vmsa_pa_t pa;

	start(f, fp);
	pa = vmsa_page_alloc(f->m, cpu, 1, 1);
	stop(f);
	CHECK(pa != VMSA_BAD_PA);
	return pa;
}

static void free_on(struct fx *f, int cpu, vmsa_pa_t pa, struct footprint *fp)
{
	start(f, fp);
	vmsa_page_free(f->m, cpu, pa, 1);
	stop(f);
	CHECK(!vmsa_stopped(f->m));
}

/* Does fp hold item exactly (with its write bit)? */
static bool has_item(const struct footprint *fp, uint64_t item)
{
	for (unsigned i = 0; i < fp->lines.n; i++)
		if (fp->lines.p[i] == item)
			return true;
	return false;
}

static bool dep(const struct footprint *a, const struct footprint *b)
{
	bool d = fp_dependent(a, b);

	CHECK_EQ(d, fp_dependent(b, a));
	return d;
}

/* CPU0 allocates a page while CPU1 reads pages mapped before: no
 * dependency (before, an allocation touched everything). A physical
 * access of the page it handed out, and another allocation, are. */
TEST(footprint_alloc_independent_of_other_pages)
{
	struct fx f;
	struct footprint al = {0}, al2 = {0}, rd0 = {0}, rd1 = {0};
	struct footprint ph = {0};
	vmsa_pa_t pa;

	alloc_fixture(&f);
	read_on(&f, 1, 0x1000, &rd0);
	pa = alloc_on(&f, 0, &al);
	read_on(&f, 1, 0x2000, &rd1);
	CHECK(!(al.flags & FP_ALL));
	CHECK(!dep(&al, &rd0));
	CHECK(!dep(&al, &rd1));
	/* Every line of the page handed out is written (its contents and
	 * cache state: cache maintenance reads no page state). */
	for (uint64_t l = 0; l < VMSA_PAGE_SIZE; l += 64)
		CHECK(has_item(&al, FP_ITEM((pa + l) >> 6, 0, true)));
	start(&f, &ph);
	CHECK_EQ(vmsa_phys_read(f.m, 1, pa + 0xfc0, 8, true), 0);
	stop(&f);
	CHECK(dep(&al, &ph));
	/* Which page the next allocation takes depends on this one. */
	alloc_on(&f, 1, &al2);
	CHECK(dep(&al, &al2));
	fp_free(&al);
	fp_free(&al2);
	fp_free(&rd0);
	fp_free(&rd1);
	fp_free(&ph);
	fx_done(&f);
}

/* CPU0 frees page[1] (a stale mapping's page) while CPU1 reads page[0]
 * through VA 0x1000: independent. CPU1's read through VA 0x2000 (a
 * use-after-free that reads the page's state), its vmsa_page_is_free()
 * of the page and an allocation are dependent with the free; a free of
 * another page is not. */
TEST(footprint_free_only_its_page)
{
	struct fx f;
	struct footprint fr = {0}, fr2 = {0}, rd0 = {0}, rd1 = {0};
	struct footprint isf = {0}, al = {0};

	alloc_fixture(&f);
	read_on(&f, 1, 0x1000, &rd0);
	read_on(&f, 1, 0x2000, &rd1);
	free_on(&f, 0, f.page[1], &fr);
	CHECK(!(fr.flags & FP_ALL));
	CHECK(!dep(&fr, &rd0));
	CHECK(dep(&fr, &rd1));
	start(&f, &isf);
	CHECK(vmsa_page_is_free(f.m, f.page[1]));
	stop(&f);
	CHECK(dep(&fr, &isf));
	/* Two frees of different pages commute. */
	free_on(&f, 1, f.page[3], &fr2);
	CHECK(!dep(&fr, &fr2));
	/* An allocation may take the page a free gives back. */
	alloc_on(&f, 1, &al);
	CHECK(dep(&fr, &al));
	CHECK(dep(&fr2, &al));
	fp_free(&fr);
	fp_free(&fr2);
	fp_free(&rd0);
	fp_free(&rd1);
	fp_free(&isf);
	fp_free(&al);
	fx_done(&f);
}

/* A TLB entry made from a table descriptor reads the state of the table
 * page it leads to (the walk through it later compares the step that
 * page was freed at with the entry's): CPU1's walk that fills its TLB
 * with VA 0x1000's walk is dependent with the free of the level-3
 * table, and so is the store that gives CPU1 an old level-2 value. */
TEST(footprint_free_of_a_table_meets_its_entries)
{
	struct fx f;
	struct footprint rd = {0}, st = {0}, fr = {0};

	alloc_fixture(&f);
	read_on(&f, 1, 0x1000, &rd);
	start(&f, &st);
	vmsa_desc_write_pa(f.m, 0, f.l2, 0);
	stop(&f);
	free_on(&f, 0, f.l3, &fr);
	CHECK(dep(&fr, &rd));
	CHECK(dep(&fr, &st));
	fp_free(&rd);
	fp_free(&st);
	fp_free(&fr);
	fx_done(&f);
}
