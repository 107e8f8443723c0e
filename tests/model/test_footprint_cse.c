/*
 * tests/model/test_footprint_cse.c - what a context synchronisation
 * event and an explicit access touch under the feature relaxed, in the
 * explorer's dependency relation (src/model/footprint.c; docs/explorer.md,
 * "What a step touches"):
 *  - a CPU's context synchronisation event empties its retired entries
 *    (barrier.c, cse_footprint()): it reads FP_OBJ_RETIRED + cpu always,
 *    even with none (another CPU's TLBI completion that retires an entry
 *    into it must stay ordered with it: the entry survives an ISB made
 *    before the completion, not one made after), and writes it when it
 *    empties some; it writes no part of its TLB for them, so it is
 *    independent of a store that gives the CPU an old value of another
 *    page (before, it wrote the whole TLB);
 *  - an explicit access moves no window under relaxed, even with ETS2
 *    (access.c, access_explicit(): the windows ignore last_explicit
 *    there), and does without relaxed.
 * The differential tests (tests/explore/test_dpor_random.c,
 * dpor_random_tlb_split_relaxed and dpor_random_windows_relaxed) run
 * programs of these races; this one fails if the objects are left out.
 */
#include "fp_fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

static uint64_t obj_item(unsigned obj, unsigned sub, bool w)
{
	return FP_ITEM(FP_OBJ_LINE + obj, sub, w);
}

/* Does fp write any item of CPU cpu's TLB? */
static bool writes_tlb(const struct footprint *fp, unsigned cpu)
{
	uint64_t line = FP_OBJ_LINE + FP_OBJ_TLB + cpu;

	for (unsigned i = 0; i < fp->lines.n; i++)
		if (FP_ITEM_LINE(fp->lines.p[i]) == line &&
		    (fp->lines.p[i] & 1))
			return true;
	return false;
}

static void isb_on(struct fx *f, int cpu, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_isb(f->m, cpu);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* CPU0 breaks VA 0x1000 and publishes it, makes a TLBI VAE1IS of it;
 * the footprint of the DSB that completes it. */
static void break_and_complete(struct fx *f, struct footprint *fp)
{
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, 0x1000), 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vae1is", 0x1000);
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

TEST(footprint_cse_retired_object)
{
	struct fx f;
	struct footprint isb0 = {0}, done = {0}, isb1 = {0}, st = {0};
	uint64_t v;

	fx_two_pages_el1(&f, true, false);
	/* CPU1 holds VA 0x1000's entry; its ISB has nothing retired. */
	CHECK(vmsa_read(f.m, 1, 0x1000, 8, &v));
	isb_on(&f, 1, &isb0);
	CHECK(fp_has_item(&isb0, obj_item(FP_OBJ_RETIRED + 1, 0, false)));
	CHECK(!fp_has_item(&isb0, obj_item(FP_OBJ_RETIRED + 1, 0, true)));
	CHECK(!writes_tlb(&isb0, 1));
	/* The completion retires the entry into CPU1's TLB. */
	break_and_complete(&f, &done);
	CHECK(!vmsa_stopped(f.m));
	CHECK_EQ(f.m->cpu[1].retired.n, 1u);
	CHECK(fp_has_item(&done, obj_item(FP_OBJ_RETIRED + 1, 0, true)));
	CHECK(fp_dependent(&isb0, &done));
	CHECK(fp_dependent(&done, &isb0));
	/* CPU0 breaks VA 0x2000: CPU1 may hold its old value, in that
	 * page's part. CPU1's ISB looks at the retired entry and keeps it
	 * (CPU1 has observed nothing of CPU0, so the ISB is not ordered
	 * after the TLBI: barrier.c, keep_unordered_retired): it writes
	 * the object, and no part of the TLB, so the two are
	 * independent. */
	fp_attach(f.m, &st);
	fp_begin(f.m);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x2000), 0);
	fp_end(f.m);
	fp_attach(f.m, NULL);
	CHECK(writes_tlb(&st, 1));
	isb_on(&f, 1, &isb1);
	CHECK_EQ(f.m->cpu[1].retired.n, 1u);
	CHECK(fp_has_item(&isb1, obj_item(FP_OBJ_RETIRED + 1, 0, true)));
	CHECK(!writes_tlb(&isb1, 1));
	CHECK(!fp_dependent(&isb1, &st));
	CHECK(fp_dependent(&isb1, &done));
	fp_free(&isb0);
	fp_free(&done);
	fp_free(&isb1);
	fp_free(&st);
	fx_done(&f);
}

/* Does CPU1's read of VA 0x2000 write its window? */
static bool read_writes_window(bool relaxed, bool ets2)
{
	struct fx f;
	struct footprint rd = {0};
	uint64_t v;
	bool w;

	fx_two_pages_el1(&f, relaxed, ets2);
	fp_attach(f.m, &rd);
	fp_begin(f.m);
	CHECK(vmsa_read(f.m, 1, 0x2000, 8, &v));
	fp_end(f.m);
	fp_attach(f.m, NULL);
	w = fp_has_item(&rd, obj_item(FP_OBJ_WINDOW + 1, 0, true));
	fp_free(&rd);
	fx_done(&f);
	return w;
}

TEST(footprint_explicit_access_window)
{
	CHECK(read_writes_window(false, true));
	CHECK(!read_writes_window(true, true));
	CHECK(!read_writes_window(true, false));
	CHECK(!read_writes_window(false, false));
}
