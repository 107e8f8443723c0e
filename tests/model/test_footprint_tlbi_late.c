/*
 * tests/model/test_footprint_tlbi_late.c - what an access TLBI-before a
 * completed TLBI of another CPU touches under the feature relaxed
 * (src/model/tlbi_late.c, order_tlbi_late() and issuer_reads_fp();
 * docs/explorer.md, "A walk TLBI-before a completed TLBI"): it reads the
 * descriptor word it was translated by, the lines of the reads the
 * TLBI's issuer made after the TLBI (missed() compares their words'
 * messages with the access's view), and writes the issuer's views; it
 * writes no order of writes (FP_OBJ_ORDER), so it is independent of a
 * write of another line and dependent with a write of a word the issuer
 * read. The differential test (tests/explore/test_dpor_random.c,
 * dpor_random_tlbi_late_relaxed) runs programs of this race; this one
 * fails if the step writes the order of writes again or leaves out the
 * issuer's reads.
 */
#include "chooser.h"
#include "fp_fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

static uint64_t obj_item(unsigned obj, bool w)
{
	return FP_ITEM(FP_OBJ_LINE + obj, 0, w);
}

/* Does fp touch the order of writes at all? */
static bool touches_order(const struct footprint *fp)
{
	for (unsigned i = 0; i < fp->lines.n; i++)
		if (FP_ITEM_LINE(fp->lines.p[i]) == FP_OBJ_LINE + FP_OBJ_ORDER)
			return true;
	return false;
}

/* CPU2's physical store of val at pa, recorded into fp (a third CPU:
 * every step of CPU0, the issuer, reads its views, which the late
 * access writes). */
static void store_fp(struct fx *f, vmsa_pa_t pa, uint64_t val,
		     struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_phys_write(f->m, 2, pa, 8, val, true);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

TEST(footprint_tlbi_late_reads_the_issuer_reads)
{
	static const unsigned last[] = {1};
	struct fx f;
	struct footprint late = {0}, same = {0}, other = {0};
	vmsa_features_t ft = vmsa_features_default();
	struct ch ch;
	uint64_t v;

	ft.ncpus = 3;
	ft.relaxed = true;
	f.m = fx_machine_with(&ft);
	fx_tables(&f);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	fx_enter_el1(&f, 2);
	/* CPU1 caches VA 0x1000's entry (page[0]). */
	CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa0u);
	/* CPU0 breaks it, TLBI VAE1IS, DSB: the completion retires the
	 * entry into CPU1's TLB. Then CPU0 reads page[1] (a read of the
	 * issuer after its TLBI). */
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", 0x1000);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(f.m->cpu[1].retired.n, 1u);
	CHECK_EQ(vmsa_phys_read(f.m, 0, f.page[1], 8, true), 0xa1u);
	/* CPU1 reads VA 0x1000 again through the retired entry (option 1
	 * of its translation; option 0 walks memory and faults):
	 * TLBI-before the completed TLBI, whose
	 * issuer had overwritten the descriptor before it. */
	ch_init(&ch, last, 1);
	ch_only(&ch, "stage-1 TLB entry");
	ch_attach(&ch, f.m);
	fp_attach(f.m, &late);
	fp_begin(f.m);
	CHECK(vmsa_read(f.m, 1, 0x1000, 8, &v));
	fp_end(f.m);
	fp_attach(f.m, NULL);
	/* The held entry or the retired one: the only choice. */
	CHECK_EQ(ch.n_calls, 1u);
	CHECK_EQ(ch_count(&ch, "stage-1 TLB entry"), 1u);
	vmsa_set_chooser(f.m, NULL);
	CHECK_EQ(v, 0xa0u);
	CHECK(!vmsa_infeasible(f.m));
	/* What it touched: the issuer's views (written), the line of the
	 * issuer's read (read), the descriptor word; no order of writes. */
	CHECK(fp_has_item(&late, obj_item(FP_OBJ_VIEWS + 0, true)));
	CHECK(fp_has_item(&late, FP_ITEM(f.page[1] >> 6, 0, false)));
	CHECK(fp_has_item(&late, FP_ITEM(fx_pte(&f, 0x1000) >> 6,
				      1 + ((fx_pte(&f, 0x1000) >> 3) & 7),
				      false)));
	CHECK(!touches_order(&late));
	/* A write of the word the issuer read is dependent with it; one of
	 * another line (page[1] + 64) is not (both wrote FP_OBJ_ORDER
	 * before). */
	store_fp(&f, f.page[1], 7, &same);
	store_fp(&f, f.page[1] + 64, 7, &other);
	CHECK(fp_dependent(&late, &same));
	CHECK(!fp_dependent(&late, &other));
	fp_free(&late);
	fp_free(&same);
	fp_free(&other);
	fx_done(&f);
}
