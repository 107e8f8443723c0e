/*
 * tests/model/test_footprint_alloc.c - page allocation and free in the
 * explorer's dependency relation (src/model/footprint.c, fp_page_*,
 * fp_alloc_all): they no longer touch everything. An allocation writes
 * the allocator whole and the state of the pages it hands out (by 2 MiB
 * region: the region whole when it covers it), which every line and
 * word of memory recorded also reads; a free writes the allocator's
 * parts and the state of the pages it frees. So an
 * allocation or a free is independent of another CPU's walk and access
 * of pages elsewhere, two frees of different pages are independent, and
 * an allocation is dependent with another allocation, with a free, with
 * an access of the page it hands out, and a free with a walk or access
 * of the page it frees and with vmsa_page_is_free() of it. The
 * differential test (tests/explore/test_dpor_random.c,
 * dpor_random_alloc) checks the same by outcomes; this one fails if the
 * relation is made coarser (everything again) or loses one of these.
 */
#include "fp_fixture.h"
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
/* fp's items but the step's read of its own CPU's pending interrupts
 * (every step of a CPU records it), in order, into out[0 .. return). */
static unsigned own_items(const struct footprint *fp, uint64_t *out,
			  unsigned room)
{
	unsigned n = 0;

	for (unsigned i = 0; i < fp->lines.n; i++) {
		uint64_t line = FP_ITEM_LINE(fp->lines.p[i]);

		if (line >= FP_OBJ_LINE + FP_OBJ_IRQ &&
		    line < FP_OBJ_LINE + FP_OBJ_IRQ + VMSA_MAX_CPUS &&
		    !(fp->lines.p[i] & 1))
			continue;
		if (n < room)
			out[n] = fp->lines.p[i];
		n++;
	}
	return n;
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
	uint64_t it[4];
	vmsa_pa_t pa;

	alloc_fixture(&f);
	read_on(&f, 1, 0x1000, &rd0);
	pa = alloc_on(&f, 0, &al);
	read_on(&f, 1, 0x2000, &rd1);
	CHECK(!(al.flags & FP_ALL));
	CHECK(!dep(&al, &rd0));
	CHECK(!dep(&al, &rd1));
	/* The state of the page handed out is written, and no line: each
	 * line or word of memory recorded reads its page's state (its
	 * contents and cache state: cache maintenance reads no other page
	 * state), so the page's lines meet the allocation through it. */
	CHECK(fp_has_item(&al, fp_page_item(pa, true)));
	CHECK(fp_has_item(&al, FP_ITEM(FP_OBJ_LINE + FP_OBJ_ALLOC, 0, true)));
	CHECK_EQ(own_items(&al, it, 4), 2u);
	start(&f, &ph);
	CHECK_EQ(vmsa_phys_read(f.m, 1, pa + 0xfc0, 8, true), 0);
	stop(&f);
	CHECK(dep(&al, &ph));
	/* The word read, and whether the line is stale. */
	CHECK(fp_has_item(&ph, FP_ITEM((pa + 0xfc0) >> 6, 1, false)));
	CHECK(fp_has_item(&ph, FP_ITEM((pa + 0xfc0) >> 6, FP_SUB_STALE, false)));
	CHECK(fp_has_item(&ph, fp_page_item(pa, false)));
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

/* A line of memory (cache maintenance records only that, reading no
 * page state of its own) and a word (a descriptor) are each recorded
 * with a read of their page's state: the item an allocation of the page
 * writes. A descriptor store to the page meets the allocation so. */
TEST(footprint_memory_items_read_their_page)
{
	struct fx f;
	struct footprint ln = {0}, wd = {0}, st = {0}, al = {0};
	vmsa_pa_t pa;

	alloc_fixture(&f);
	pa = alloc_on(&f, 0, &al);
	start(&f, &ln);
	fp_line(f.m, pa + 0x80, true);
	stop(&f);
	CHECK_EQ(ln.lines.n, 2u);
	CHECK_EQ(ln.lines.p[0], FP_ITEM((pa + 0x80) >> 6, 0, true));
	CHECK_EQ(ln.lines.p[1], fp_page_item(pa, false));
	CHECK(dep(&al, &ln));
	start(&f, &wd);
	fp_word(f.m, pa + 0x18, false);
	stop(&f);
	CHECK_EQ(wd.lines.n, 2u);
	CHECK_EQ(wd.lines.p[0], FP_ITEM(pa >> 6, 1 + 3, false));
	CHECK_EQ(wd.lines.p[1], fp_page_item(pa, false));
	CHECK(dep(&al, &wd));
	start(&f, &st);
	vmsa_desc_write_pa(f.m, 1, pa + 0x18, 0);
	stop(&f);
	CHECK(fp_has_item(&st, FP_ITEM(pa >> 6, 1 + 3, true)));
	CHECK(dep(&al, &st));
	fp_free(&ln);
	fp_free(&wd);
	fp_free(&st);
	fp_free(&al);
	fx_done(&f);
}

/* A large allocation (a 2 MiB block: 512 pages) no longer touches
 * everything: exactly the allocator whole and its region whole, both
 * written. It is independent of CPU1's walks and reads of pages in
 * another region, and dependent with a read of a page of the block.
 * Its free writes exactly the allocator's 15 parts and the region
 * whole. An allocation that covers a region in part writes the parts of
 * its pages there. */
TEST(footprint_alloc_large_exact)
{
	struct fx f;
	struct footprint al = {0}, rd = {0}, ph = {0}, fr = {0}, al2 = {0};
	const uint64_t region = FP_OBJ_LINE + FP_OBJ_PAGE;
	uint64_t it[20];
	vmsa_pa_t pa;

	alloc_fixture(&f);
	read_on(&f, 1, 0x2000, &rd);
	start(&f, &al);
	pa = vmsa_page_alloc(f.m, 0, 512, 512);
	stop(&f);
	CHECK(pa != VMSA_BAD_PA);
	CHECK(!(al.flags & FP_ALL));
	CHECK_EQ(own_items(&al, it, 20), 2u);
	CHECK_EQ(it[0], FP_ITEM(FP_OBJ_LINE + FP_OBJ_ALLOC, 0, true));
	CHECK_EQ(it[1], FP_ITEM(region + (pa >> 21), 0, true));
	/* The fixture's tables and pages are in another region. */
	CHECK((f.page[1] >> 21) != (pa >> 21));
	CHECK(!dep(&al, &rd));
	start(&f, &ph);
	CHECK_EQ(vmsa_phys_read(f.m, 1, pa + 511 * VMSA_PAGE_SIZE + 8, 8,
				true), 0);
	stop(&f);
	CHECK(dep(&al, &ph));
	start(&f, &fr);
	vmsa_page_free(f.m, 0, pa, 512);
	stop(&f);
	CHECK(!vmsa_stopped(f.m));
	CHECK_EQ(own_items(&fr, it, 20), FP_ALLOC_PARTS + 1);
	for (unsigned s = 1; s <= FP_ALLOC_PARTS; s++)
		CHECK_EQ(it[s - 1], FP_ITEM(FP_OBJ_LINE + FP_OBJ_ALLOC, s, true));
	CHECK_EQ(it[FP_ALLOC_PARTS], FP_ITEM(region + (pa >> 21), 0, true));
	CHECK(!dep(&fr, &rd));
	CHECK(dep(&fr, &ph));
	/* 20 pages from the start of the freed region: its parts. */
	start(&f, &al2);
	CHECK_EQ(vmsa_page_alloc(f.m, 1, 20, 512), pa);
	stop(&f);
	CHECK_EQ(own_items(&al2, it, 20), 1u + FP_ALLOC_PARTS);
	for (unsigned s = 1; s <= FP_ALLOC_PARTS; s++)
		CHECK(fp_has_item(&al2, FP_ITEM(region + (pa >> 21), s, true)));
	fp_free(&al);
	fp_free(&al2);
	fp_free(&rd);
	fp_free(&ph);
	fp_free(&fr);
	fx_done(&f);
}
