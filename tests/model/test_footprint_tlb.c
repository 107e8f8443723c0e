/*
 * tests/model/test_footprint_tlb.c - a CPU's TLB in parts in the
 * explorer's dependency relation (src/model/footprint.c, fp_tlb_*): a
 * descriptor store that gives an old value to another CPU's TLB, and a
 * TLBI by VA completing there, touch only the part of their page (and
 * the large entries), so that CPU's walk of another page is independent
 * of them, and its walk of the same page is not; a TLBI without an
 * address reads the whole TLB, and a completion writes only the parts
 * of the entries it removes. The differential test
 * (tests/explore/test_dpor_random.c, dpor_random_tlb_split) checks the
 * same by outcomes; this one fails if a part is ever left out.
 */
#include "fp_fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

/* Two CPUs at EL1; VA 0x1000 -> page[0] and 0x2000 -> page[1]. */
static void tlb_fixture(struct fx *f)
{
	f->m = fx_machine(2, 0, true);
	fx_tables(f);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, 0x2000),
			   fx_page_desc(f->page[1]));
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

static void read_on(struct fx *f, int cpu, uint64_t va, struct footprint *fp)
{
	uint64_t v;

	fp_attach(f->m, fp);
	fp_begin(f->m);
	CHECK(vmsa_read(f->m, cpu, va, 8, &v));
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* Does fp hold item exactly (with its write bit)? */
static uint64_t tlb_item(unsigned cpu, unsigned sub, bool w)
{
	return FP_ITEM(FP_OBJ_LINE + FP_OBJ_TLB + cpu, sub, w);
}

/* CPU0 breaks VA 0x1000's mapping: CPU1 (which caches the context) may
 * hold the old value, in the part of page 0x1000 only. */
TEST(footprint_tlb_store_gives_one_part)
{
	struct fx f;
	struct footprint st = {0}, rd_other = {0}, rd_same = {0};

	tlb_fixture(&f);
	/* The reads first: the store breaks the mapping. */
	read_on(&f, 1, 0x2000, &rd_other);
	read_on(&f, 1, 0x1000, &rd_same);
	fp_attach(f.m, &st);
	fp_begin(f.m);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
	fp_end(f.m);
	fp_attach(f.m, NULL);
	CHECK(!vmsa_stopped(f.m));
	CHECK(fp_has_item(&st, tlb_item(1, 1 + 1 % FP_TLB_BUCKETS, true)));
	CHECK(!fp_has_item(&st, tlb_item(1, 0, true)));
	CHECK(!fp_has_item(&st, tlb_item(1, 0, false)));
	CHECK(!fp_has_item(&st, tlb_item(1, FP_TLB_LARGE, true)));

	/* The walk of the other page reads that page's part and the large
	 * entries. */
	CHECK(fp_has_item(&rd_other, tlb_item(1, 1 + 2 % FP_TLB_BUCKETS, false)));
	CHECK(fp_has_item(&rd_other, tlb_item(1, FP_TLB_LARGE, false)));
	CHECK(!fp_dependent(&st, &rd_other));
	CHECK(!fp_dependent(&rd_other, &st));
	CHECK(fp_dependent(&st, &rd_same));
	CHECK(fp_has_item(&rd_same, tlb_item(1, 1 + 1 % FP_TLB_BUCKETS, false)));
	fp_free(&st);
	fp_free(&rd_other);
	fp_free(&rd_same);
	fx_done(&f);
}

/* CPU0 breaks VA 0x1000's mapping (both CPUs may hold the old value)
 * and publishes it; then the footprint of the DSB that completes its
 * TLBI `name` (of VA 0x1000 when by VA). */
static void break_then_tlbi(struct fx *f, const char *name,
			    struct footprint *fp)
{
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, 0x1000), 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	if (name[0] == 'v' && name[1] == 'a') {
		fx_tlbi_va(f, 0, name, 0x1000);
	} else {
		vmsa_tlbi_op_t op;

		CHECK_EQ(vmsa_tlbi_parse(name, &op), 0);
		vmsa_tlbi(f->m, 0, op, 0);
	}
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* CPU0 breaks VA 0x2000's mapping too: it gives CPU1 the old value, in
 * the part of page 0x2000. */
static void store_other(struct fx *f, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, 0x2000), 0);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* The completion of a TLBI by VA reads CPU1's part of that page and the
 * large entries, and writes the part of the entries it removes (the old
 * value of 0x1000): independent of CPU1's walk of another page and of a
 * store that gives CPU1 an old value of another page, dependent with
 * its walk of that page, and through the TLB alone (the DSB writes no
 * descriptor word without ETS2). */
TEST(footprint_tlb_tlbi_va_completion_by_page)
{
	struct fx f;
	struct footprint dsb = {0}, rd_other = {0}, rd_same = {0};
	struct footprint st = {0};

	tlb_fixture(&f);
	read_on(&f, 1, 0x2000, &rd_other);
	read_on(&f, 1, 0x1000, &rd_same);
	break_then_tlbi(&f, "vae1is", &dsb);
	store_other(&f, &st);
	CHECK(!vmsa_stopped(f.m));
	/* As removals (FP_SUB_DEL): the TLBI protects no location. */
	CHECK(fp_has_item(&dsb, tlb_item(1, fp_sub_del(1 + 1 % FP_TLB_BUCKETS),
				      true)));
	CHECK(fp_has_item(&dsb, tlb_item(1, fp_sub_del(FP_TLB_LARGE), false)));
	CHECK(!fp_has_item(&dsb, tlb_item(1, fp_sub_del(FP_TLB_LARGE), true)));
	CHECK(!fp_has_item(&dsb, tlb_item(1, fp_sub_del(0), false)));
	for (unsigned s = 0; s <= FP_NSUB; s++) {
		CHECK(!fp_has_item(&dsb, tlb_item(1, s, true)));
		CHECK(!fp_has_item(&dsb, tlb_item(1, s, false)));
	}
	CHECK(!fp_dependent(&dsb, &rd_other));
	CHECK(!fp_dependent(&rd_other, &dsb));
	CHECK(!fp_dependent(&dsb, &st));
	CHECK(fp_dependent(&dsb, &rd_same));
	CHECK(fp_dependent(&rd_same, &dsb));
	fp_free(&dsb);
	fp_free(&rd_other);
	fp_free(&rd_same);
	fp_free(&st);
	fx_done(&f);
}

/* A TLBI without an address (VMALLE1IS) looks at every entry: its
 * completion reads the whole of every TLB of its domain, so a store that
 * gives CPU1 an old value of another page is dependent with it. It
 * writes only what it removes. */
TEST(footprint_tlb_tlbi_all_completion_whole)
{
	struct fx f;
	struct footprint dsb = {0}, st = {0};

	tlb_fixture(&f);
	break_then_tlbi(&f, "vmalle1is", &dsb);
	store_other(&f, &st);
	CHECK(!vmsa_stopped(f.m));
	CHECK(fp_has_item(&dsb, tlb_item(0, fp_sub_del(0), false)));
	CHECK(fp_has_item(&dsb, tlb_item(1, fp_sub_del(0), false)));
	CHECK(fp_has_item(&dsb, tlb_item(1, fp_sub_del(1 + 1 % FP_TLB_BUCKETS),
				      true)));
	CHECK(!fp_has_item(&dsb, tlb_item(1, 0, true)));
	CHECK(!fp_has_item(&dsb, tlb_item(1, 0, false)));
	CHECK(fp_has_item(&st, tlb_item(1, 1 + 2 % FP_TLB_BUCKETS, true)));
	CHECK(fp_dependent(&dsb, &st));
	CHECK(fp_dependent(&st, &dsb));
	fp_free(&dsb);
	fp_free(&st);
	fx_done(&f);
}

/* The DSB of cpu that completes its TLBI `name` of VA 0x1000 (by VA:
 * "vae1is", "vae1"), recorded into fp. */
static void tlbi_dsb_on(struct fx *f, int cpu, const char *name,
			struct footprint *fp)
{
	fx_tlbi_va(f, cpu, name, 0x1000);
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_dsb(f->m, cpu, VMSA_BAR_ISH);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* Removals that commute (footprint.h, FP_SUB_DEL): CPU0 breaks VA
 * 0x1000 (both TLBs may hold the old value) and completes a TLBI
 * VAE1IS of it; CPU1 completes its own TLBI VAE1 of it. Both remove
 * the old value from CPU1's TLB, in either order to the same sets: the
 * two completions are independent, each is dependent with CPU1's walk
 * of the page and with a store that gives CPU1 an old value of it. When
 * CPU0's store is still pending at its TLBI (the TLBI protects its
 * location), its completion writes the parts as before and is
 * dependent with CPU1's. */
TEST(footprint_tlb_removals_commute)
{
	for (int pending = 0; pending <= 1; pending++) {
		struct fx f;
		struct footprint d0 = {0}, d1 = {0}, rd = {0}, st = {0};

		tlb_fixture(&f);
		/* CPU1's walk of the page, then the break, which gives CPU1
		 * the old value. */
		read_on(&f, 1, 0x1000, &rd);
		fp_attach(f.m, &st);
		fp_begin(f.m);
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
		fp_end(f.m);
		fp_attach(f.m, NULL);
		if (!pending)
			vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		fx_tlbi_va(&f, 0, "vae1is", 0x1000);
		tlbi_dsb_on(&f, 1, "vae1", &d1);
		fp_attach(f.m, &d0);
		fp_begin(f.m);
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		fp_end(f.m);
		fp_attach(f.m, NULL);
		CHECK(!vmsa_stopped(f.m));
		CHECK(fp_has_item(&d1, tlb_item(1, fp_sub_del(1 + 1 %
							   FP_TLB_BUCKETS),
					     true)));
		CHECK_EQ(fp_has_item(&d0, tlb_item(1, 1 + 1 % FP_TLB_BUCKETS,
						false)),
			 pending == 1);
		CHECK_EQ(fp_dependent(&d0, &d1), pending == 1);
		CHECK_EQ(fp_dependent(&d1, &d0), pending == 1);
		CHECK(fp_dependent(&d1, &rd));
		CHECK(fp_dependent(&rd, &d1));
		CHECK(fp_dependent(&d1, &st));
		CHECK(fp_dependent(&st, &d1));
		fp_free(&d0);
		fp_free(&d1);
		fp_free(&rd);
		fp_free(&st);
		fx_done(&f);
	}
}

/* The footprint of one step of cpu: MSR TTBR0_EL1 := root with ASID
 * asid (another root or ASID is another context). */
static void ttbr_on(struct fx *f, int cpu, vmsa_pa_t root, unsigned asid,
		    struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_msr(f->m, cpu, VMSA_REG_TTBR0_EL1, VMSA_TTBR(root, asid));
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

static void dsb_on(struct fx *f, int cpu, vmsa_barrier_t b,
		   struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_dsb(f->m, cpu, b);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* Uncachings that commute (footprint.h, fp_tlb_ctx_uncache): CPU1
 * switches to a context y of its own (an empty level-1 table, another
 * ASID: no store to the fixture's tables is a store to y's), so it
 * caches the fixture's context x without using it. Its local TLBI
 * VMALLE1 (completed by its DSB NSH) and CPU0's TLBI VMALLE1IS
 * (completed by CPU0's DSB ISH) each uncache x from CPU1
 * when they complete first, and the other then finds it uncached: in
 * either order the same set of cached contexts, and the two completions
 * are independent. The one that uncaches is dependent with a later
 * store by CPU0 that maps VA 0x3000 (it reads whether CPU1 caches x:
 * whether to give CPU1 old values and check CPU1's entries)
 * and with CPU1's switch back to x (which caches x again); the one that
 * found x uncached is dependent with the switch (it read which context
 * CPU1 uses), not with the store. */
TEST(footprint_ctx_uncachings_commute)
{
	for (int local_first = 0; local_first <= 1; local_first++) {
		struct fx f;
		struct footprint first = {0}, second = {0}, st = {0}, sw = {0};
		vmsa_tlbi_op_t loc = {.type = VMSA_TLBI_VMALLE1,
				      .sh = VMSA_TLBI_NSH};
		vmsa_tlbi_op_t bc = {.type = VMSA_TLBI_VMALLE1,
				     .sh = VMSA_TLBI_IS};
		unsigned x, part;
		uint64_t removal, look;

		tlb_fixture(&f);
		x = (unsigned)f.m->cpu[0].cur_ctx;
		part = fp_sub_del(1 + x % 15);
		removal = FP_ITEM(FP_OBJ_LINE + FP_OBJ_TLBCTX + 1, part, true);
		look = FP_ITEM(FP_OBJ_LINE + FP_OBJ_TLBCTX + 1, part, false);
		ttbr_on(&f, 1, vmsa_page_alloc(f.m, VMSA_SETUP, 1, 1),
			FX_ASID + 1, NULL);
		CHECK(f.m->cpu[1].cur_ctx != (int)x);
		CHECK(cpu_caches_ctx(&f.m->cpu[1], x));
		vmsa_tlbi(f.m, 1, loc, 0);
		vmsa_tlbi(f.m, 0, bc, 0);
		if (local_first) {
			dsb_on(&f, 1, VMSA_BAR_NSH, &first);
			dsb_on(&f, 0, VMSA_BAR_ISH, &second);
		} else {
			dsb_on(&f, 0, VMSA_BAR_ISH, &first);
			dsb_on(&f, 1, VMSA_BAR_NSH, &second);
		}
		CHECK(!vmsa_stopped(f.m));
		CHECK(!cpu_caches_ctx(&f.m->cpu[1], x));
		CHECK(fp_has_item(&first, removal));
		CHECK(!fp_has_item(&second, removal));
		CHECK(fp_has_item(&second, look));
		CHECK(!fp_dependent(&first, &second));
		CHECK(!fp_dependent(&second, &first));
		/* CPU0 maps VA 0x3000 (invalid before: no old value to
		 * give, so no TLB written). */
		fp_attach(f.m, &st);
		fp_begin(f.m);
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x3000),
				   fx_page_desc(f.page[2]));
		fp_end(f.m);
		fp_attach(f.m, NULL);
		CHECK(fp_has_item(&st, FP_ITEM(FP_OBJ_LINE + FP_OBJ_TLBCTX + 1,
					       1 + x % 15, false)));
		CHECK(fp_dependent(&first, &st));
		CHECK(fp_dependent(&st, &first));
		CHECK(!fp_dependent(&second, &st));
		CHECK(!fp_dependent(&st, &second));
		ttbr_on(&f, 1, f.l1, FX_ASID, &sw);
		CHECK(cpu_caches_ctx(&f.m->cpu[1], x));
		CHECK(fp_dependent(&first, &sw));
		CHECK(fp_dependent(&second, &sw));
		fp_free(&first);
		fp_free(&second);
		fp_free(&st);
		fp_free(&sw);
		fx_done(&f);
	}
}
