/*
 * What a descriptor store's break-before-make check asks (write.c):
 * the one-pass test of a new table against the held entries
 * (fast_table) is asked for a table descriptor only. A block written
 * over a table (a collapse at FEAT_BBM level 2, RKFLJB) has nothing
 * below it to check; asking anyway tested the block's memory against
 * the 512 entries the store had just held, in every execution of the
 * pgtable/ split-collapse searches.
 */
#include "fixture_block.h"
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
