/*
 * Break-before-make in the model (RWHZWS, RYNJCP, RPSMWS, RSPVBD): a CPU
 * remaps VA 0x1000 from page[0] to page[1] while another CPU has used it.
 */
#include "chooser.h"
#include "fixture.h"

#define VA 0x1000ull

static void use_page(struct fx *f)
{
	CHECK_EQ(fx_read(f, 1, VA), 0xa0);
}

TEST(model_bbm_full_sequence_is_safe)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa1);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* Valid to valid with a new output address: RWHZWS at the write. */
TEST(model_bbm_valid_to_valid)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	step = vmsa_steps(f.m);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_STR(v->rule, "RWHZWS");
		CHECK_EQ(v->cpu, 0);
		CHECK_EQ(v->step, step);
		CHECK_EQ(v->n_entries, 1);
		CHECK_EQ(v->entries[0].desc, fx_page_desc(f.page[0]));
		CHECK_EQ(v->entries[0].loc, fx_pte(&f, VA));
	}
	CHECK(vmsa_stopped(f.m));
	fx_done(&f);
}

/* Invalid, DSB, then the new entry without a TLBI: the old entry may
 * still be held ("invalid but unclean"). */
TEST(model_bbm_missing_tlbi)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) != NULL);
	if (vmsa_violation(f.m))
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_BBM);
	fx_done(&f);
}

/* A local TLBI leaves CPU1's entry held. */
TEST(model_bbm_local_tlbi)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) != NULL);
	if (vmsa_violation(f.m)) {
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_BBM);
		CHECK_EQ(vmsa_violation(f.m)->entries[0].cpu, 1);
	}
	fx_done(&f);
}

/* DSB ISHST never completes a TLBI (RYNJCP). */
TEST(model_bbm_tlbi_not_completed)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISHST);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) != NULL);
	fx_done(&f);
}

/* A TLBI issued while the invalidating store is not yet visible to walks
 * does not remove the old value (RSPVBD): the entry can be refilled. */
TEST(model_bbm_missing_dsb_before_tlbi)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) != NULL);
	fx_done(&f);
}

/* Permission-only changes need no break (RGPPYH). */
TEST(model_bbm_permission_change_is_legal)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA),
			   fx_page_desc(f.page[0]) | (2ull << 6));
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* Nobody has the context cached yet: tables can change freely. */
TEST(model_bbm_before_mmu_on)
{
	struct fx f;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * An entry with AF = 0 faults (the model has no hardware Access flag
 * updates), so it is never cached (RXCLRD; IWZCBG: changing it needs no
 * TLBI). Clearing AF (a TLBI-only change, RGPPYH), DSB, TLBI VAE1IS,
 * DSB: nobody holds anything for VA. Then the output address changes
 * from the AF = 0 entry without a break: legal, and still nothing held
 * (the AF = 0 value is not), so CPU1 reads the new page.
 */
TEST(model_bbm_af0_entry_is_never_cached)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA),
			   fx_page_desc(f.page[0]) & ~VMSA_D_AF);
	CHECK_EQ(vmsa_held_count(f.m, 1), 1);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(vmsa_held_count(f.m, 1), 0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(vmsa_held_count(f.m, 0), 0);
	CHECK_EQ(vmsa_held_count(f.m, 1), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * A walk may still use the AF = 0 value after the next store (before the
 * writer's DSB makes it visible, RSPVBD): it faults and caches nothing,
 * so once the new entry is visible the retried access does not use it.
 */
TEST(model_bbm_af0_walk_caches_nothing)
{
	static const unsigned pick_old[] = {1};
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA),
			   fx_page_desc(f.page[0]) & ~VMSA_D_AF);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) == NULL);
	ch_init(&ch, pick_old, 1);
	ch_only(&ch, "stage-1 descriptor value");
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, VA), ~0ull);	/* Access flag fault */
	CHECK_EQ(ch_count(&ch, "stage-1 descriptor value"), 1);
	CHECK_EQ(vmsa_held_count(f.m, 1), 0);
	fx_done(&f);
}

/* The same without the TLBI: CPU1 may still hold the AF = 1 entry for
 * page[0] when the output address changes: bbm at that write. */
TEST(model_bbm_af0_without_tlbi)
{
	struct fx f;
	const vmsa_violation_t *v;

	fx_setup(&f, 2, 0);
	use_page(&f);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA),
			   fx_page_desc(f.page[0]) & ~VMSA_D_AF);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_EQ(v->n_entries, 1);
		if (v->n_entries)
			CHECK_EQ(v->entries[0].desc, fx_page_desc(f.page[0]));
	}
	fx_done(&f);
}
