/*
 * tests/model/test_footprint_window.c - a CPU's window in parts by
 * descriptor word (footprint.h, fp_window_word(); docs/explorer.md,
 * "Windows observed by word"):
 *  - outside relaxed a walk reads the part of each descriptor word it
 *    reads in its own CPU's window, and not the whole window;
 *  - a publishing DSB reads the part of each word it publishes in every
 *    CPU's window, not the whole windows; a store without ETS2 reads no
 *    window, with ETS2 the part of its word in every CPU's window;
 *  - a context synchronisation event writes its window whole, so it
 *    stays dependent with both (the analysis narrows the write, not the
 *    footprint: dpor.c, window_observed());
 *  - under relaxed a walk reads the whole window (FP_WINDOW_WALK): the
 *    ordering model compares last_cse inside a walk.
 * tests/explore/test_dpor_random.c, dpor_random_window_parts, checks
 * the analysis; this one fails if the recorded items change.
 */
#include "fp_fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

/* Item sub of CPU cpu's window. */
static uint64_t win_item(unsigned cpu, unsigned sub, bool w)
{
	return FP_ITEM(FP_OBJ_LINE + FP_OBJ_WINDOW + cpu, sub, w);
}

/* How many items of CPU cpu's window fp has. */
static unsigned win_items(const struct footprint *fp, unsigned cpu)
{
	unsigned n = 0;

	for (unsigned i = 0; i < fp->lines.n; i++)
		n += FP_ITEM_LINE(fp->lines.p[i]) ==
		     FP_OBJ_LINE + FP_OBJ_WINDOW + cpu;
	return n;
}

static void rec_begin(struct fx *f, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
}

static void rec_end(struct fx *f)
{
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

TEST(footprint_window_parts)
{
	struct fx f;
	struct footprint rd = {0}, st = {0}, dsb = {0}, isb = {0};
	uint64_t v;
	unsigned p1, p2;

	fx_two_pages_el1(&f, false, false);
	p1 = fp_window_part(fx_pte(&f, 0x1000));
	p2 = fp_window_part(fx_pte(&f, 0x2000));
	CHECK(p1 != p2);
	/* CPU1's walk of 0x2000: its level-3 word's part, read; the whole
	 * window not. */
	rec_begin(&f, &rd);
	CHECK(vmsa_read(f.m, 1, 0x2000, 8, &v));
	rec_end(&f);
	CHECK(fp_has_item(&rd, win_item(1, p2, false)));
	CHECK(!fp_has_item(&rd, win_item(1, p1, false)));
	CHECK(!fp_has_item(&rd, win_item(1, FP_WINDOW_WALK, false)));
	CHECK(!fp_has_item(&rd, win_item(1, 0, false)));
	CHECK_EQ(win_items(&rd, 0), 0u);
	/* CPU0's store of 0x1000's entry reads no window without ETS2. */
	rec_begin(&f, &st);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
	rec_end(&f);
	CHECK_EQ(win_items(&st, 0) + win_items(&st, 1), 0u);
	/* Its DSB publishes it: that word's part of both windows, read,
	 * and nothing else of them. */
	rec_begin(&f, &dsb);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	rec_end(&f);
	for (unsigned c = 0; c < 2; c++) {
		CHECK(fp_has_item(&dsb, win_item(c, p1, false)));
		CHECK_EQ(win_items(&dsb, c), 1u);
	}
	/* CPU1's ISB writes its window whole: dependent with the DSB (the
	 * footprints; the analysis narrows the write to what is observed),
	 * not with the walk's read of a part (its own CPU's anyway). */
	rec_begin(&f, &isb);
	vmsa_isb(f.m, 1);
	rec_end(&f);
	CHECK(fp_has_item(&isb, win_item(1, 0, true)));
	CHECK(fp_dependent(&isb, &dsb));
	CHECK(fp_dependent(&dsb, &isb));
	CHECK(!fp_dependent(&dsb, &rd));
	fp_free(&rd);
	fp_free(&st);
	fp_free(&dsb);
	fp_free(&isb);
	fx_done(&f);
}

/* With ETS2 a store reads its word's part of every CPU's window (its
 * step is compared with them: write.c, store_reads_windows()). */
TEST(footprint_window_parts_ets2_store)
{
	struct fx f;
	struct footprint st = {0};
	unsigned p1;

	fx_two_pages_el1(&f, false, true);
	p1 = fp_window_part(fx_pte(&f, 0x1000));
	rec_begin(&f, &st);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
	rec_end(&f);
	/* (An explicit access with ETS2 also starts its own CPU's
	 * window: CPU0's, written whole.) */
	for (unsigned c = 0; c < 2; c++)
		CHECK(fp_has_item(&st, win_item(c, p1, false)));
	CHECK(fp_has_item(&st, win_item(0, 0, true)));
	CHECK_EQ(win_items(&st, 0), 2u);
	CHECK_EQ(win_items(&st, 1), 1u);
	fp_free(&st);
	fx_done(&f);
}

/* Under relaxed a walk reads the whole window, and no part. */
TEST(footprint_window_relaxed_walk)
{
	struct fx f;
	struct footprint rd = {0};
	uint64_t v;

	fx_two_pages_el1(&f, true, false);
	rec_begin(&f, &rd);
	CHECK(vmsa_read(f.m, 1, 0x2000, 8, &v));
	rec_end(&f);
	CHECK(fp_has_item(&rd, win_item(1, FP_WINDOW_WALK, false)));
	CHECK_EQ(win_items(&rd, 1), 1u);
	fp_free(&rd);
	fx_done(&f);
}
