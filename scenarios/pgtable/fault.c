/*
 * scenarios/pgtable/fault.c - the stage-2 fault path of the page-table
 * library: two vCPUs fault concurrently on the same IPA, or on
 * neighbouring IPAs, while a third CPU unmaps the range (issue 9,
 * "Checked on the model").
 *
 * As in KVM: a vCPU's stage-2 Translation fault is taken to EL2 on its
 * own CPU, where the fault path takes the MMU lock for reading, looks the
 * page up in the memslot and maps it with a shared walk
 * (VMSA_PGT_SHARED: compare-and-swap, no lock against the other vCPU's
 * walk). The loser of a race gets -EAGAIN and returns to the guest, which
 * retries the access and finds the winner's mapping. The data pages'
 * level-3 table does not exist at set-up, so both walks may also race to
 * install it (the loser frees its page). CPU2 is the host migrating the
 * pages (an MMU notifier; the page both vCPUs read, or both pages): it
 * copies each page to a new one through its
 * cacheable linear map, points the memslot at the copy, unmaps the range
 * under the lock held for writing (an exclusive walk: the now empty
 * level-3 table is unlinked and freed after the VMID's invalidation), and
 * frees the old pages. The guests run with their MMU off, so their reads
 * go to the Point of Coherency.
 *
 * What the model checks: every read gives the old or the new contents;
 * no TLB keeps the old pages or the freed table after the unmap
 * (stale-use-after-free, freed-table-walk); the pages the host wrote
 * through its cache (at set-up, and the copies) are cleaned to the PoC
 * before they are mapped (coherency, unless FEAT_S2FWB makes the guest's
 * accesses cacheable); no change needs a break it did not get
 * (bbm); refcounts stay exact (a table page freed while in use is a
 * use-after-free or a double-free).
 */
#include "pgt_scen.h"

#define N_PAGES 2
#define NEW_DATA(i) (0xc0ull + (i))
/* Words of the hypervisor's page: the host pages the migration copies
 * to, allocated at set-up (after the data pages). */
#define NEW_PAGE(i) (PS_HYP_WORD + 8 * (i))

static void vcpu_read(vmsa_run_t *r, vmsa_cpu_t cpu, unsigned page)
{
	const uint64_t ok[] = {PS_DATA(page), NEW_DATA(page)};

	ps_guest_enter(r, cpu, false);
	ps_guest_read(r, cpu, PS_IPA_DATA + page * PS_PAGE, ok, 2,
		      "a guest read gives neither the page's old nor its new "
		      "contents");
}

static void vcpu_page0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vcpu_read(r, cpu, 0);
}

static void vcpu_page1(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vcpu_read(r, cpu, 1);
}

/* The host: migrate pages [0, n), then free the old ones. */
static void migrate(vmsa_run_t *r, vmsa_cpu_t cpu, unsigned n)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	/* Written at set-up and never again: read without a step. */
	const uint64_t *to = vmsa_pa_cptr(m, ps_hyp(r, NEW_PAGE(0)));
	int err;

	ps_hyp_load(r, cpu);
	/* The copy, through the cacheable linear map: in the cache only,
	 * until the fault path cleans it to the PoC. */
	for (unsigned i = 0; i < n; i++)
		vmsa_phys_write(m, cpu, to[i], 8, NEW_DATA(i), true);
	ps_write_lock(r, cpu);
	for (unsigned i = 0; i < n; i++)
		vmsa_phys_write(m, cpu, ps_hyp(r, PS_HYP_SLOT + 8 * i), 8,
				to[i], true);
	err = vmsa_pgt_unmap(&d->pgt, VMSA_IA(PS_IPA_DATA), n * PS_PAGE, 0);
	ps_write_unlock(r, cpu);
	if (!ps_ok(r, cpu, err == 0, "vmsa_pgt_unmap failed"))
		return;
	for (unsigned i = 0; i < n; i++)
		vmsa_page_free(m, cpu, d->data[i], 1);
}

static void migrate_one(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	migrate(r, cpu, 1);
}

static void migrate_two(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	migrate(r, cpu, 2);
}

static void setup_mu(vmsa_run_t *r, const vmsa_pgt_mutation_t *mu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	ps_setup(r, 0, N_PAGES, mu);
	for (unsigned i = 0; i < N_PAGES; i++)
		vmsa_phys_write(m, VMSA_SETUP, ps_hyp(r, NEW_PAGE(i)), 8,
				vmsa_page_alloc(m, VMSA_SETUP, 1, 1), true);
}

static void setup(vmsa_run_t *r)
{
	setup_mu(r, NULL);
}

#define FAULT_CONFIGS                                                   \
	{.name = "bbm0", .expect = "safe"},                             \
	{.name = "bbm0+s2fwb", .expect = "safe"},                       \
	{.name = "bbm2", .expect = "safe"},                             \
	{.name = "bbm2-noabort", .expect = "safe"},                     \
	{.name = "bbm2-noabort+s2fwb", .expect = "safe"}

VMSA_SCENARIO(pgtable_fault_same,
	.name = "pgtable/fault-same",
	.doc = "two vCPUs fault on the same IPA (shared walks) while the host "
	       "migrates the page (exclusive unmap)",
	.setup = setup,
	.cpu = {vcpu_page0, vcpu_page0, migrate_one},
	.handler = {[0] = {[2] = ps_el2_handler},
		    [1] = {[2] = ps_el2_handler}},
	.configs = {FAULT_CONFIGS});

VMSA_SCENARIO(pgtable_fault_neighbours,
	.name = "pgtable/fault-neighbours",
	.doc = "two vCPUs fault on neighbouring IPAs of one missing table "
	       "(shared walks) while the host migrates both pages",
	.setup = setup,
	.cpu = {vcpu_page0, vcpu_page1, migrate_two},
	.handler = {[0] = {[2] = ps_el2_handler},
		    [1] = {[2] = ps_el2_handler}},
	.configs = {FAULT_CONFIGS});

/* ---------------------------------------------------------------------
 * The mutant: the fault path's clean to the PoC skipped (the model
 * backend's SKIP_CMO of DC CVAC on the vCPUs). The migrated page reaches
 * the guest, whose MMU is off, while its contents are still only in the
 * cache: a loss of coherency. With FEAT_S2FWB the guest's accesses are
 * cacheable and no clean is needed: the same mutant is safe there.
 * ------------------------------------------------------------------- */

static void setup_no_clean(vmsa_run_t *r)
{
	const vmsa_pgt_mutation_t mu = {
		.kind = VMSA_PGT_MUT_SKIP_CMO,
		.cmo_kinds = 1u << VMSA_PGT_DC_CVAC,
		.cpu = VMSA_PGT_MUT_ALL_CPUS,
	};

	setup_mu(r, &mu);
}

VMSA_SCENARIO(pgtable_mutant_no_clean,
	.name = "pgtable/mutant-no-clean",
	.doc = "pgtable/fault-same with the library's clean to the PoC "
	       "skipped: the guest, MMU off, reads stale memory",
	.setup = setup_no_clean,
	.cpu = {vcpu_page0, vcpu_page0, migrate_one},
	.handler = {[0] = {[2] = ps_el2_handler},
		    [1] = {[2] = ps_el2_handler}},
	.configs = {
		{.name = "bbm0", .expect = "coherency"},
		{.name = "bbm2-noabort", .expect = "coherency"},
		{.name = "bbm0+s2fwb", .expect = "safe"},
	});
