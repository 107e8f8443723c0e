/*
 * scenarios/pgtable/free.c - an unmap that frees a level-3 table, whose
 * page is reused at once, while a guest runs (issue 9, "Checked on the
 * model"; RRVJDB, FEAT_nTLBPA = 0: ARCH-RULES section 4).
 *
 * CPU1, the host, unmaps the only page of the data's level-3 table
 * (under the MMU lock held for writing, as KVM's MMU notifier does): the
 * table becomes empty, so vmsa_pgt_unmap unlinks it and frees its page,
 * which the host's page allocator hands out again as data straight
 * away. The data written there reads as a valid page descriptor that
 * maps the guest's page to another page. CPU0, a vCPU with its own stage
 * 1 on, reads its page twice; after the unmap its fault path maps the
 * page again (a new table). A walk cache that still holds the old table
 * descriptor after the unmap returned would walk through the reused page
 * (freed-table-walk) and read the wrong page: the library must
 * invalidate the whole VMID (the table entry's walk-cache entries, by
 * any IPA it translated) and complete it before freeing the page.
 */
#include "pgt_scen.h"

/* Data the page's next user writes at the index of PS_IPA_DATA: a valid
 * stage-2 page descriptor (any Normal memory page would do). */
#define REUSED_DATA(pa) (vmsa_desc_make_s2_leaf((pa), 3, VMSA_GRANULE_4K, \
						VMSA_S2_MEMATTR_NORMAL_WB,   \
						VMSA_S2AP_RW, VMSA_SH_ISH,   \
						true))

static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	static const uint64_t ok[] = {PS_DATA(0)};

	ps_guest_enter(r, cpu, true);
	for (int i = 0; i < 2; i++)
		if (!ps_guest_read(r, cpu, PS_IPA_DATA, ok, 1,
				   "the guest's page reads as another page"))
			return;
}

static void host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	vmsa_pa_t reused;
	int err;

	ps_hyp_load(r, cpu);
	ps_write_lock(r, cpu);
	err = vmsa_pgt_unmap(&d->pgt, VMSA_IA(PS_IPA_DATA), PS_PAGE, 0);
	ps_write_unlock(r, cpu);
	if (!ps_ok(r, cpu, err == 0, "vmsa_pgt_unmap failed"))
		return;
	/* The lowest free page: the table's, unless the guest's fault path
	 * took it for its new table first. */
	reused = vmsa_page_alloc(m, cpu, 1, 1);
	vmsa_phys_write(m, cpu, reused, 8, REUSED_DATA(d->data[1]), true);
}

static void setup(vmsa_run_t *r)
{
	ps_setup(r, PS_MAP_DATA, 1, NULL);
	/* data[1] is not mapped: the page a walk through the reused table
	 * would reach. */
	ps_of(r)->data[1] = vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP,
					    1, 1);
	vmsa_phys_write(vmsa_run_machine(r), VMSA_SETUP, ps_of(r)->data[1], 8,
			PS_DATA(1), true);
}

VMSA_SCENARIO(pgtable_unmap_free_table,
	.name = "pgtable/unmap-free-table",
	.doc = "unmap the last page of a level-3 table, which is freed and "
	       "reused as data at once, while a vCPU reads the page",
	.setup = setup,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = ps_el2_handler}},
	.configs = {
		{.name = "bbm0", .expect = "safe"},
		{.name = "bbm2", .expect = "safe"},
		{.name = "bbm2-noabort", .expect = "safe"},
	});

/* ---------------------------------------------------------------------
 * The mutant: the DSB ISH that completes the invalidation of the
 * unlinked table entry dropped (the model backend's DROP_DSB, the host's
 * DROP_NTH-th DSB ISH): the page is freed and reused while the vCPU's
 * walk cache may still point at it.
 * ------------------------------------------------------------------- */

#define DROP_NTH 1

static void setup_drop_dsb(vmsa_run_t *r)
{
	const vmsa_pgt_mutation_t mu = {
		.kind = VMSA_PGT_MUT_DROP_DSB,
		.dsb_kinds = 1u << VMSA_PGT_DSB_ISH,
		.nth = DROP_NTH,
		.cpu = 1,
	};

	setup(r);
	/* The mutation: in set-up, before any CPU step. */
	vmsa_pgt_model_mutate(&ps_of(r)->bk, &mu);
}

VMSA_SCENARIO(pgtable_mutant_drop_dsb,
	.name = "pgtable/mutant-drop-dsb",
	.doc = "pgtable/unmap-free-table without the DSB that completes the "
	       "table's TLBI: its page is reused while a walk cache holds it",
	.setup = setup_drop_dsb,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = ps_el2_handler}},
	.configs = {
		{.name = "bbm0", .expect = "freed-table-walk"},
		{.name = "bbm2-noabort", .expect = "freed-table-walk"},
	});
