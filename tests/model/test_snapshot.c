/*
 * Snapshots (src/model/snapshot.c): the state set-up leaves comes back
 * exactly after an execution changed memory, the allocator, the cache and
 * descriptor histories, every time it is restored.
 */
#include <errno.h>

#include "fixture.h"
#include "model/machine.h"

/* f's snapshot, which the test needs: NULL (a failure, f done) when
 * there is none. */
static vmsa_snapshot_t *take(struct fx *f)
{
	vmsa_snapshot_t *snap = vmsa_snapshot_take(f->m);

	CHECK(snap != NULL);
	if (!snap)
		fx_done(f);
	return snap;
}

TEST(snapshot_restores_setup_state)
{
	struct fx f;
	vmsa_snapshot_t *snap;
	uint64_t free_pages;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	free_pages = vmsa_pages_free(f.m);
	snap = take(&f);
	if (!snap)
		return;
	for (int round = 0; round < 3; round++) {
		vmsa_pa_t extra, nc;

		/* An execution: MMU on, a read, a remap, an allocation, a
		 * free, a dirty line, a non-cacheable write. */
		fx_enter_el1(&f, 0);
		CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		extra = vmsa_page_alloc(f.m, 0, 1, 1);
		CHECK(extra != VMSA_BAD_PA);
		vmsa_phys_write(f.m, 0, extra, 8, 0x55, true);
		nc = vmsa_page_alloc(f.m, 0, 1, 1);
		vmsa_page_free(f.m, 0, f.page[3], 1);
		vmsa_phys_write(f.m, 0, nc, 8, 0x77, false);
		CHECK(vmsa_violation(f.m) == NULL);
		CHECK(vmsa_steps(f.m) > 0);

		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		CHECK_EQ(vmsa_steps(f.m), 0);
		CHECK_EQ(vmsa_pages_free(f.m), free_pages);
		CHECK(vmsa_page_is_free(f.m, extra));
		CHECK(!vmsa_page_is_free(f.m, f.page[3]));
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, extra, 8, true), 0);
		CHECK(vmsa_page_is_free(f.m, nc));
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, nc, 8, true), 0);
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, f.page[2], 8, true),
			 0xa2);
		CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, fx_pte(&f, 0x1000)),
			 fx_page_desc(f.page[0]));
		/* The next allocation gets the same page as before. */
		CHECK_EQ(vmsa_page_alloc(f.m, VMSA_SETUP, 1, 1), extra);
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		/* The page set-up wrote through the cache is still dirty:
		 * a PoC read sees the old (zero) value as a violation. */
		CHECK_EQ(vmsa_phys_read(f.m, 1, f.page[1], 8, false), 0);
		CHECK(vmsa_violation(f.m) != NULL);
		if (vmsa_violation(f.m))
			CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_COHERENCY);
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		CHECK(vmsa_violation(f.m) == NULL);
	}
	/* Once a CPU made a step other than a register one, there is no
	 * set-up state to take. */
	fx_enter_el1(&f, 0);
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
	CHECK(vmsa_snapshot_take(f.m) == NULL);
	vmsa_snapshot_free(snap);
	fx_done(&f);
}

/*
 * Set-up whose CPU steps are MSRs and exception returns (a litmus test's
 * threads entering their translation regime): the snapshot keeps the
 * CPUs' registers, ELs, contexts and the step count, and a restore gives
 * them back after an execution changed them, every time.
 */
TEST(snapshot_keeps_register_steps)
{
	struct fx f;
	vmsa_snapshot_t *snap;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	CHECK_EQ(vmsa_steps(f.m), 10);
	snap = take(&f);
	if (!snap)
		return;
	for (int round = 0; round < 3; round++) {
		/* An execution: reads, a remap (break, TLBI, make), a
		 * register changed. */
		CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
		CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa0);
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		fx_tlbi_va(&f, 0, "VAE1IS", 0x1000);
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000),
				   fx_page_desc(f.page[2]));
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		vmsa_isb(f.m, 1);
		CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa2);
		vmsa_msr(f.m, 1, VMSA_REG_TTBR0_EL1, (uint64_t)FX_ASID << 48);
		CHECK(vmsa_violation(f.m) == NULL);

		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		CHECK_EQ(vmsa_steps(f.m), 10);
		for (int c = 0; c < 2; c++) {
			CHECK_EQ(vmsa_current_el(f.m, c), 1);
			CHECK_EQ(vmsa_mrs(f.m, c, VMSA_REG_TTBR0_EL1),
				 f.l1 | (uint64_t)FX_ASID << 48);
		}
		/* Both translate with set-up's tables again: no entry of
		 * the remapped page is left. */
		CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa0);
		CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
		CHECK_EQ(vmsa_steps(f.m), 14);
		CHECK(vmsa_violation(f.m) == NULL);
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
	}
	/* Another machine's CPUs do not fit a machine of one CPU. */
	{
		vmsa_machine_t *one = fx_machine(1, 0, true);

		CHECK_EQ(vmsa_snapshot_restore(one, snap), -EINVAL);
		vmsa_machine_free(one);
	}
	vmsa_snapshot_free(snap);
	fx_done(&f);
}

/* A choice asked in set-up is the execution's: no snapshot then. */
static unsigned choose_last(void *ctx, unsigned n, const char *what)
{
	(void)ctx;
	(void)what;
	return n - 1;
}

TEST(snapshot_refuses_a_choice)
{
	struct fx f;
	vmsa_chooser_t ch = {choose_last, NULL};
	vmsa_snapshot_t *snap;

	f.m = fx_machine(1, 0, true);
	fx_tables(&f);
	vmsa_set_chooser(f.m, &ch);
	fx_enter_el1(&f, 0);
	snap = vmsa_snapshot_take(f.m);
	CHECK(snap != NULL);
	vmsa_snapshot_free(snap);
	CHECK_EQ(choose(f.m, 2, "a test's choice"), 1);
	CHECK(vmsa_snapshot_take(f.m) == NULL);
	fx_done(&f);
}

/*
 * Host stores through vmsa_pa_ptr pointers are invisible to the model;
 * the restore must still undo them, for set-up's pointers (the
 * page-table library keeps such pointers) and for pointers taken after
 * the snapshot, at every restore, not only the first (a probe once saw
 * the third execution read the second's store).
 */
TEST(snapshot_restores_host_pointer_stores)
{
	struct fx f;
	vmsa_snapshot_t *snap;
	vmsa_pa_t two;
	uint64_t *p;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	two = vmsa_page_alloc(f.m, VMSA_SETUP, 2, 1);
	p = vmsa_pa_ptr(f.m, two);
	p[0] = 0x5e7;
	p[512] = 0x5e8; /* the allocation's second page */
	snap = take(&f);
	if (!snap)
		return;
	for (uint64_t round = 0; round < 4; round++) {
		uint64_t *q;

		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, two, 8, true), 0x5e7);
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, two + VMSA_PAGE_SIZE, 8,
					true), 0x5e8);
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, f.page[2] + 8, 8, true),
			 0);
		/* An execution: a step, then stores the model never sees. */
		fx_enter_el1(&f, 0);
		p[0] = 0xe0 + round;
		p[512] = 0xf0 + round;
		q = vmsa_pa_ptr(f.m, f.page[2]);
		q[1] = 0xd0 + round;
	}
	vmsa_snapshot_free(snap);
	fx_done(&f);
}

/*
 * vmsa_pa_store(): the value is in memory (a PoC read, a cacheable one
 * with nothing cached), only its page is written, nothing of its
 * allocation is exposed to host stores, and a snapshot restore brings the
 * set-up value back after an execution overwrote it. Bad arguments store
 * nothing.
 */
TEST(snapshot_pa_store_exposes_nothing)
{
	struct fx f;
	vmsa_snapshot_t *snap;
	vmsa_pa_t blk;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	blk = vmsa_page_alloc(f.m, VMSA_SETUP, 512, 512);
	CHECK(blk != VMSA_BAD_PA);
	CHECK_EQ(vmsa_pa_store(f.m, blk + 4096 + 8, 8, 0x1122334455667788ull),
		 0);
	CHECK_EQ(vmsa_pa_store(f.m, blk + 4096 + 16, 2, 0xabcd), 0);
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, blk + 4096 + 8, 8, false),
		 0x1122334455667788ull);
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, blk + 4096 + 16, 8, true),
		 0xabcd);
	for (unsigned i = 0; i < 512; i++)
		CHECK_MSG(!mem_page_exposed(&f.m->mem, blk + 4096ull * i),
			  "page %u of the block exposed", i);
	/* Bad arguments: -EINVAL and nothing stored. */
	CHECK_EQ(vmsa_pa_store(NULL, blk, 8, 1), -EINVAL);
	CHECK_EQ(vmsa_pa_store(f.m, blk, 3, 1), -EINVAL);
	CHECK_EQ(vmsa_pa_store(f.m, blk + 4, 8, 1), -EINVAL);
	CHECK_EQ(vmsa_pa_store(f.m, 0x1000, 8, 1), -EINVAL);
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, blk, 8, false), 0);
	snap = vmsa_snapshot_take(f.m);
	CHECK(snap != NULL);
	if (snap) {
		vmsa_phys_write(f.m, 0, blk + 4096 + 8, 8, 5, false);
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, blk + 4096 + 8, 8,
					false), 0x1122334455667788ull);
		vmsa_snapshot_free(snap);
	}
	fx_done(&f);
}
