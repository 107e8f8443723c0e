/*
 * tests/model/test_footprint.c - the dependency relation of the
 * explorer's reduction (src/model/footprint.c) where it was made finer:
 * a CPU's descriptor store and another CPU's context synchronisation
 * event (its window) are independent without ETS2 and ETS3, with or
 * without the feature relaxed, and under relaxed with ETS2 too (there
 * the store's step is compared with views, not windows), and dependent
 * with ETS2 or ETS3 without relaxed, where the store's step is compared
 * with the window (write.c, store_reads_windows()). The
 * differential test (tests/explore/test_dpor_random.c,
 * dpor_random_windows and dpor_random_windows_relaxed) checks the
 * independent half by outcomes; this test fails if the refinement is
 * ever applied where it is not sound.
 */
#include "fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

enum { FP_PLAIN, FP_ETS2, FP_ETS3, FP_RELAXED, FP_RELAXED_ETS2 };

/* Two CPUs at EL1 on the fixture's tables, with the feature asked. */
static void fp_fixture(struct fx *f, int feat)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = 2;
	ft.ets2 = feat == FP_ETS2 || feat == FP_ETS3 ||
		  feat == FP_RELAXED_ETS2;
	ft.ets3 = feat == FP_ETS3;
	ft.relaxed = feat == FP_RELAXED || feat == FP_RELAXED_ETS2;
	f->m = fx_machine_with(&ft);
	fx_tables(f);
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

/* Is CPU0's store of a new leaf (VA 0x2000, which no CPU walked)
 * dependent with CPU1's ISB (order: store first when store_first)? */
static bool store_vs_isb(int feat, bool store_first)
{
	struct fx f;
	struct footprint st = {0}, isb = {0};
	bool dep;

	fp_fixture(&f, feat);
	for (unsigned k = 0; k < 2; k++) {
		bool store = (k == 0) == store_first;

		fp_attach(f.m, store ? &st : &isb);
		fp_begin(f.m);
		if (store)
			vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x2000),
					   fx_page_desc(f.page[1]));
		else
			vmsa_isb(f.m, 1);
		fp_end(f.m);
	}
	fp_attach(f.m, NULL);
	CHECK(!vmsa_stopped(f.m));
	dep = fp_dependent(&st, &isb);
	CHECK_EQ(dep, fp_dependent(&isb, &st));
	fp_free(&st);
	fp_free(&isb);
	fx_done(&f);
	return dep;
}

TEST(footprint_store_and_window_independent_without_ets)
{
	CHECK(!store_vs_isb(FP_PLAIN, true));
	CHECK(!store_vs_isb(FP_PLAIN, false));
	CHECK(!store_vs_isb(FP_RELAXED, true));
	CHECK(!store_vs_isb(FP_RELAXED, false));
}

TEST(footprint_store_and_window_dependent_with_ets)
{
	CHECK(store_vs_isb(FP_ETS2, true));
	CHECK(store_vs_isb(FP_ETS2, false));
	CHECK(store_vs_isb(FP_ETS3, true));
	CHECK(store_vs_isb(FP_ETS3, false));
}

/* Under relaxed, ETS2 compares the step of the write that replaced a
 * value with the views of the walking CPU (ets2_excludes(),
 * order_ets_floor()), not with its window. */
TEST(footprint_store_and_window_independent_relaxed_ets2)
{
	CHECK(!store_vs_isb(FP_RELAXED_ETS2, true));
	CHECK(!store_vs_isb(FP_RELAXED_ETS2, false));
}

/* Another CPU's walk of the stored word stays dependent with the store
 * without ETS (through the word). */
TEST(footprint_store_and_walk_of_its_word_dependent)
{
	struct fx f;
	struct footprint st = {0}, rd = {0};
	uint64_t v;

	fp_fixture(&f, FP_PLAIN);
	fp_attach(f.m, &st);
	fp_begin(f.m);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x2000),
			   fx_page_desc(f.page[1]));
	fp_end(f.m);
	fp_attach(f.m, &rd);
	fp_begin(f.m);
	(void)vmsa_read(f.m, 1, 0x2000, 8, &v);
	fp_end(f.m);
	fp_attach(f.m, NULL);
	CHECK(!vmsa_stopped(f.m));
	CHECK(fp_dependent(&st, &rd));
	fp_free(&st);
	fp_free(&rd);
	fx_done(&f);
}

/* A muted step (dpor.c, replays_step) keeps no item, so the hooks that
 * only record items stop at fp_keeps(); the flags, which the explorer
 * still reads of a muted step, are set all the same. The same read
 * recorded: its word, its line's cache state, its page's state and the
 * CPU's pending interrupts (read at the step's boundary). */
TEST(footprint_muted_keeps_no_item_but_flags)
{
	struct fx f;
	struct footprint fp = {0};
	uint64_t v;

	fp_fixture(&f, FP_PLAIN);
	fp_attach(f.m, &fp);
	fp_begin(f.m);
	CHECK(fp_keeps(f.m));
	fp.muted = true;
	CHECK(!fp_keeps(f.m));
	(void)vmsa_phys_read(f.m, 0, f.page[0], 8, true);
	CHECK_EQ(fp.lines.n, 0);
	CHECK(fp.flags & FP_DESC_R);
	fp_end(f.m);
	fp_begin(f.m);
	CHECK(!fp.muted);
	(void)vmsa_phys_read(f.m, 0, f.page[0], 8, true);
	fp_end(f.m);
	CHECK_EQ(fp.lines.n, 4);
	fp_attach(f.m, NULL);
	CHECK(!fp_keeps(f.m));
	(void)v;
	fp_free(&fp);
	fx_done(&f);
}
