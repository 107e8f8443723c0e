/*
 * scenarios/pgtable/hwaf.c - the page-table library against hardware
 * Access flag updates (FEAT_HAFDBS, VTCR_EL2.HA; docs/model.md "Hardware
 * Access flag and dirty state").
 *
 * With HA the walker sets AF in the stage-2 tables by itself, with an
 * atomic read-modify-write (RLFTXR), at any time a vCPU accesses an
 * AF = 0 page. Software that rewrites such an entry from a value it read
 * earlier must not undo that update: the manual asks that "any changes by
 * system software to translation table entries with an AF of 0 should
 * avoid the possibility of simultaneous updates", with a Load-Exclusive /
 * Store-Exclusive loop or a compare-and-swap (IBMRWH, D8.5.1.1). An
 * exclusive walk (the MMU lock held for writing) keeps other software out
 * but not the hardware.
 *
 * Set-up maps data pages 0 and 1 and then ages page 0 (test_clear_young:
 * AF = 0; no TLB holds it, as nothing ran yet). CPU0 is a vCPU (HA at
 * stage 2) that reads page 0, then records in page 1 that it did; CPU1
 * is the host, write-protecting page 0 under the lock held for writing
 * (an exclusive walk: dirty logging starting). The final check: when the
 * vCPU's read completed, the stage-2 entry of page 0 is young (AF = 1) at
 * the end, as the read's hardware update set it and nothing cleared it
 * since. The library's exclusive write-protect stored the value it had
 * read (AF = 0) back with the write bit cleared, losing the update when
 * the read came between its load and its store: `assert` (23 executions
 * at bound 2); it now uses a compare-and-swap when ops.features.hw_af or
 * hw_dbm say the hardware may update the entries (src/pgtable/bbm.c
 * store_hw()). common.c sets hw_af and VTCR_EL2.HA when the machine has
 * `hafdbs`.
 */
#include "pgt_scen.h"

#define ACCESSED 0x1ull
#define PTE_WORD PS_HYP_WORD /* hypervisor word: PA of page 0's entry */

static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	ps_guest_enter(r, cpu, true);
	if (vmsa_read(m, cpu, PS_IPA_DATA, 8, &v))
		vmsa_write(m, cpu, PS_IPA_DATA + PS_PAGE + 8, 8, ACCESSED);
}

static void host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct ps *d = ps_of(r);
	int err;

	ps_hyp_load(r, cpu);
	ps_write_lock(r, cpu);
	err = vmsa_pgt_wrprotect(&d->pgt, VMSA_IA(PS_IPA_DATA), PS_PAGE, 0);
	ps_write_unlock(r, cpu);
	ps_ok(r, cpu, err == 0, "vmsa_pgt_wrprotect failed");
}

/* Where page 0's stage-2 entry is: the library's pointer into model
 * memory, as a PA. */
struct where {
	vmsa_machine_t *m;
	vmsa_pa_t pa;
};

static int find_pte(const vmsa_pgt_visit_t *v)
{
	struct where *w = v->arg;

	w->pa = vmsa_ptr_pa(w->m, v->ptep);
	return VMSA_PGT_STOP;
}

static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	struct where w = {m, 0};
	vmsa_pgt_walker_t walker = {
		.cb = find_pte, .arg = &w, .visit = VMSA_PGT_VISIT_LEAF,
	};

	ps_setup(r, PS_MAP_DATA, 2, NULL);
	if (vmsa_pgt_test_clear_young(&d->pgt, VMSA_IA(PS_IPA_DATA), PS_PAGE,
				      true, 0) < 0 ||
	    vmsa_pgt_walk(&d->pgt, VMSA_IA(PS_IPA_DATA), PS_PAGE, &walker) ||
	    !w.pa || (*(const uint64_t *)vmsa_pa_cptr(m, w.pa) & VMSA_D_AF)) {
		vmsa_assert(r, VMSA_SETUP, false, "set-up: ageing page 0");
		return;
	}
	vmsa_phys_write(m, VMSA_SETUP, ps_hyp(r, PTE_WORD), 8, w.pa, true);
}

/* After every CPU finished (no step): a completed read left page 0
 * young. */
static void check(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	const uint64_t *pte_pa = vmsa_pa_cptr(m, ps_hyp(r, PTE_WORD));
	const uint64_t *accessed = vmsa_pa_cptr(m, d->data[1] + 8);
	const uint64_t *pte = vmsa_pa_cptr(m, *pte_pa);

	vmsa_assert(r, VMSA_SETUP, *accessed != ACCESSED || (*pte & VMSA_D_AF),
		    "the vCPU read page 0 (the hardware set its AF) but its "
		    "stage-2 entry is old at the end: the library's store "
		    "undid the hardware's Access flag update (IBMRWH)");
}

VMSA_SCENARIO(pgtable_hw_af_wrprotect,
	.name = "pgtable/hw-af-wrprotect",
	.doc = "write-protect (exclusive walk) a page whose AF = 0 while a "
	       "vCPU reads it and the hardware sets AF: the library must not "
	       "lose the hardware's update (IBMRWH)",
	.setup = setup,
	.cpu = {vcpu, host},
	.check = check,
	.handler = {[0] = {[2] = ps_el2_handler}},
	.configs = {
		{.name = "bbm0+hafdbs", .expect = "safe"},
		{.name = "bbm2-noabort+hafdbs", .expect = "safe"},
	});
