/*
 * scenarios/pgtable/dirty.c - write-protection for dirty logging racing
 * with guest writes (issue 9, "Checked on the model").
 *
 * Live migration copies a VM's memory while it runs: the host
 * write-protects the memory at stage 2 (vmsa_pgt_wrprotect, under the MMU
 * lock held for writing), then copies each page; a guest write after
 * that takes a stage-2 Permission fault, whose handler records the page
 * dirty (to copy it again later) and gives write permission back
 * (vmsa_pgt_relax_perms with a shared walk, the lock held for reading),
 * and the write is retried. The property that makes the copy correct:
 * after wrprotect returns, no guest write to the range completes without
 * a permission fault that records the page dirty. A TLB that still
 * holds the writable entry after wrprotect returned breaks it: the write
 * lands silently after the copy.
 *
 * CPU0 and CPU1 are vCPUs (stage 1 on: TLBs hold combined entries) that
 * write their own page (page 0, page 1), CPU2 the host: wrprotect of
 * both pages, then the copy of each (a cacheable read of word 0, kept in
 * the hypervisor's page). The final check: a page not marked dirty still
 * holds what the copy read.
 *
 * The second vCPU also makes the relaxation interesting: a vCPU that
 * relaxes its page's permission may invalidate only locally at BBM level
 * 2 (docs/pgtable.md); the other vCPU never uses that entry, and would
 * resolve a spurious fault through its own fault path if it did.
 */
#include "pgt_scen.h"

#define N_PAGES 2
#define WRITTEN(i) (0xd0ull + (i))
#define COPY(i) (PS_HYP_WORD + 8 * (i))

static void vcpu_write(vmsa_run_t *r, vmsa_cpu_t cpu, unsigned page)
{
	ps_guest_enter(r, cpu, true);
	vmsa_write(vmsa_run_machine(r), cpu, PS_IPA_DATA + page * PS_PAGE, 8,
		   WRITTEN(page));
}

static void vcpu_page0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vcpu_write(r, cpu, 0);
}

static void vcpu_page1(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vcpu_write(r, cpu, 1);
}

/* The dirty-logging fault path (KVM's user_mem_abort on a write fault to
 * a logged slot): mark the page dirty first, then make it writable. */
static void dirty_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	uint64_t ipa = ps_fault_ipa(e);
	unsigned i = (unsigned)((ipa - PS_IPA_DATA) / PS_PAGE);
	int err;

	if (!ps_is_s2(e, VMSA_FAULT_PERMISSION)) {
		ps_el2_handler(m, cpu, e, arg);
		return;
	}
	if (!ps_ok(r, cpu, ipa >= PS_IPA_DATA && i < N_PAGES &&
			    (e->esr & VMSA_ESR_WNR),
			    "a permission fault that is not a write to a "
			    "logged page"))
		return;
	vmsa_phys_write(m, cpu, ps_hyp(r, PS_HYP_DIRTY + 8 * i), 8, 1, true);
	ps_fault_begin(r, cpu, ipa);
	ps_read_lock(r, cpu);
	err = vmsa_pgt_relax_perms(&ps_of(r)->pgt,
				   VMSA_IA(ipa & ~(PS_PAGE - 1)),
				   VMSA_PGT_PROT_W, VMSA_PGT_SHARED);
	ps_read_unlock(r, cpu);
	ps_ok(r, cpu, err == 0 || err == -EAGAIN,
	      "vmsa_pgt_relax_perms failed (not -EAGAIN)");
}

/* The host: enable dirty logging (write-protect), then copy. */
static void host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	int err;

	ps_hyp_load(r, cpu);
	ps_write_lock(r, cpu);
	err = vmsa_pgt_wrprotect(&d->pgt, VMSA_IA(PS_IPA_DATA),
				 N_PAGES * PS_PAGE, 0);
	ps_write_unlock(r, cpu);
	if (!ps_ok(r, cpu, err == 0, "vmsa_pgt_wrprotect failed"))
		return;
	for (unsigned i = 0; i < N_PAGES; i++)
		vmsa_phys_write(m, cpu, ps_hyp(r, COPY(i)), 8,
				vmsa_phys_read(m, cpu, d->data[i], 8, true),
				true);
}

/* After every CPU finished: a page that is not dirty must hold what the
 * copy read (no step: host-side reads of model memory). */
static void check(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);

	for (unsigned i = 0; i < N_PAGES; i++) {
		const uint64_t *dirty = vmsa_pa_cptr(m, ps_hyp(r, PS_HYP_DIRTY +
								 8 * i));
		const uint64_t *copy = vmsa_pa_cptr(m, ps_hyp(r, COPY(i)));
		const uint64_t *now = vmsa_pa_cptr(m, d->data[i]);

		vmsa_assert(r, VMSA_SETUP, *dirty || *copy == *now,
			    "a guest write completed after wrprotect returned "
			    "without a permission fault marking the page "
			    "dirty: the migration's copy misses it");
	}
}

static void setup(vmsa_run_t *r)
{
	ps_setup(r, PS_MAP_DATA, N_PAGES, NULL);
}

VMSA_SCENARIO(pgtable_dirty_log,
	.name = "pgtable/dirty-log",
	.doc = "write-protect two pages for dirty logging while two vCPUs "
	       "write them; a write after wrprotect must fault and mark the "
	       "page dirty",
	.setup = setup,
	.cpu = {vcpu_page0, vcpu_page1, host},
	.check = check,
	.handler = {[0] = {[2] = dirty_handler},
		    [1] = {[2] = dirty_handler}},
	.configs = {
		{.name = "bbm0", .expect = "safe"},
		{.name = "bbm2", .expect = "safe"},
		{.name = "bbm2-noabort", .expect = "safe"},
	});

/* ---------------------------------------------------------------------
 * The mutant: the host's Inner Shareable TLBIs downgraded to local ones
 * (the model backend's TLBI_LOCAL on CPU2). The vCPUs' TLBs keep the
 * writable entry after wrprotect returned; a write then lands after the
 * copy without a fault.
 * ------------------------------------------------------------------- */

static void setup_tlbi_local(vmsa_run_t *r)
{
	const vmsa_pgt_mutation_t mu = {
		.kind = VMSA_PGT_MUT_TLBI_LOCAL,
		.cpu = 2,
	};

	ps_setup(r, PS_MAP_DATA, N_PAGES, &mu);
}

VMSA_SCENARIO(pgtable_mutant_tlbi_local,
	.name = "pgtable/mutant-tlbi-local",
	.doc = "pgtable/dirty-log with the host's TLBIs local instead of "
	       "Inner Shareable: a write is lost to the migration",
	.setup = setup_tlbi_local,
	.cpu = {vcpu_page0, vcpu_page1, host},
	.check = check,
	.handler = {[0] = {[2] = dirty_handler},
		    [1] = {[2] = dirty_handler}},
	.configs = {
		{.name = "bbm0", .expect = "assert"},
		{.name = "bbm2-noabort", .expect = "assert"},
	});
