/*
 * What a descriptor store's break-before-make check asks (write.c):
 * the one-pass test of a new table against the held entries
 * (fast_table) is asked for a table descriptor only. A block written
 * over a table (a collapse at FEAT_BBM level 2, RKFLJB) has nothing
 * below it to check; asking anyway tested the block's memory against
 * the 512 entries the store had just held, in every execution of the
 * pgtable/ split-collapse searches. And the fast test of a held
 * candidate (fast_skip) is not asked again for the next candidate when
 * its arguments are the same: a stage-2 leaf held as itself and as a
 * combined entry, one after the other.
 */
#include "fixture_block.h"
#include "fixture_s2.h"
#include "model/write.h"

#define PAGE 3u

/* A collapse, then the split back, at level 2 with CPU1 holding pages:
 * no violation either way (the same mapping at another size), and one
 * table pass, for the split's table only. */
TEST(store_table_pass_for_tables_only)
{
	struct fxb b;
	unsigned long asks;

	fxb_setup_ex(&b, 2, 2, false, true);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	CHECK_EQ(fxb_read(&b, 1, PAGE + 1), fxb_data(PAGE + 1));
	asks = write_table_asks(b.fx.m);
	/* The collapse: CPU1 may hold the table entry and the 512 pages
	 * under it from now on; the block needs no table pass. */
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, false));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	CHECK_EQ(write_table_asks(b.fx.m), asks);
	vmsa_dsb(b.fx.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	/* The split back: the table is tested once against what CPU1 may
	 * hold (the pages, the old table entry, the block). */
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_table_desc(&b));
	CHECK(vmsa_violation(b.fx.m) == NULL);
	CHECK_EQ(write_table_asks(b.fx.m), asks + 1);
	fxb_done(&b);
}

/* At level 0 the collapse without a break is still reported: skipping
 * the table pass for a block skips no check of the block itself. */
TEST(store_block_over_table_still_checked)
{
	const vmsa_violation_t *v;
	struct fxb b;

	fxb_setup_ex(&b, 2, 0, false, true);
	CHECK_EQ(fxb_read(&b, 1, PAGE), fxb_data(PAGE));
	vmsa_desc_write_pa(b.fx.m, 0, fxb_l2e(&b), fxb_block_desc(&b, false));
	v = vmsa_violation(b.fx.m);
	CHECK(v != NULL);
	if (v)
		CHECK_EQ(v->kind, VMSA_V_BBM);
	CHECK_EQ(write_table_asks(b.fx.m), 0);
	fxb_done(&b);
}

/* A stage-2 collapse at level 2 (RKFLJB): IPA FX2_IPA_TABLES + 2M maps
 * a 2M region through a level-3 table of 512 pages, which the block
 * replaces with the same output and attributes while CPU0, in the
 * guest, caches the context. CPU0 may then hold the table entry and
 * each page twice (stage 2 and combined: hold()); the block is tested
 * once for the table entry and once per page, 513 times, not 1,025. */
TEST(store_skip_test_once_per_same_candidate)
{
	struct fx2 f;
	vmsa_pa_t region, table, l2e;
	unsigned long tests;

	memset(&f, 0, sizeof(f));
	f.m = fx_machine(2, 2, false);
	fx2_vm_build(&f, 0, 1);
	region = vmsa_page_alloc(f.m, VMSA_SETUP, 512, 512);
	table = vmsa_page_alloc(f.m, VMSA_SETUP, 1, 1);
	l2e = f.vm[0].s2_l2 + 8;
	for (unsigned i = 0; i < 512; i++)
		vmsa_desc_write_pa(f.m, VMSA_SETUP, table + 8ull * i,
				   fx2_s2_page_desc(region + 0x1000ull * i));
	vmsa_desc_write_pa(f.m, VMSA_SETUP, l2e,
			   vmsa_desc_make_table(table, VMSA_GRANULE_4K));
	fx2_enter_guest(&f, 0, 0);
	CHECK_EQ(fx2_read(&f, 0, FX2_VA), 0xa0);
	tests = write_skip_tests(f.m);
	vmsa_desc_write_pa(f.m, 1, l2e,
			   vmsa_desc_make_s2_leaf(region, 2, VMSA_GRANULE_4K,
						  0xf, VMSA_S2AP_RW,
						  VMSA_SH_ISH, true));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(f.m->cpu[0].held.n, 1 + 2 * 512);
	CHECK_EQ(write_skip_tests(f.m) - tests, 1 + 512);
	fx2_done(&f);
}
