/*
 * scenarios/seeds/hvo.c - seed 004 (docs/seeds.md): the 2026 approach to
 * HugeTLB vmemmap optimisation on arm64 without pausing anyone. An entry
 * with the Access flag clear cannot be cached in a TLB (RXCLRD, IWZCBG),
 * so CPU0 first rewrites the vmemmap-like entry VMSA_KERNEL_VA -> page[0]
 * with AF = 0 (same output address: a change that needs only a TLBI,
 * RGPPYH), publishes it (DSB ISH), removes the old entry from every TLB
 * (TLBI VAAE1IS, DSB ISH), and then installs the new entry (page[1],
 * AF = 1) with a compare-and-swap from the AF = 0 value, DSB ISH, ISB.
 * CPU1 reads the mapping twice meanwhile.
 *
 * The model has no hardware Access flag updates yet (TCR_EL1.HA: issue
 * 11), so a reader that walks the AF = 0 entry takes an Access flag
 * fault: `hvo/af0-cmpxchg`'s EL1 handler tolerates it (it waits until
 * CPU0 is done, as the fault path would wait on the update, and the
 * access is retried); `hvo/af0-cmpxchg-no-handler` has none. With HA a
 * reader's walk would set AF itself on the old entry, which is what the
 * compare-and-swap is there to catch: that variant waits for issue 11.
 * `hvo/af0-local-tlbi` invalidates only CPU0's TLB: CPU1 may still hold
 * the old entry when the output address changes.
 */
#include "vmsa/guest.h"

struct hvo_run {
	struct vmsa_kernel k;	/* first: vmsa_kernel_of() */
	bool local;		/* TLBI VAAE1 (this CPU) instead of VAAE1IS */
};

static void writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	struct hvo_run *d = vmsa_run_data(r);
	vmsa_pa_t pte = vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA);
	uint64_t old = vmsa_kernel_pte(k->page[0]) & ~VMSA_D_AF;
	uint64_t got;

	vmsa_kernel_enter(r, cpu);
	vmsa_desc_write_pa(m, cpu, pte, old);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAAE1,
			    d->local ? VMSA_TLBI_NSH : VMSA_TLBI_IS,
			    VMSA_KERNEL_VA);
	vmsa_dsb(m, cpu, d->local ? VMSA_BAR_NSH : VMSA_BAR_ISH);
	got = vmsa_desc_cas(m, cpu, vmsa_pa_ptr(m, pte), old,
			    vmsa_kernel_pte(k->page[1]));
	vmsa_assert(r, cpu, got == old,
		    "the compare-and-swap failed without hardware AF updates");
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	vmsa_kernel_remap_done(r, cpu);
}

static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	for (unsigned i = 0; i < 2; i++) {
		if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the vmemmap page reads as neither copy");
	}
}

/* Tolerate an Access flag fault: wait until the writer is done, then
 * retry. Anything else is fatal. */
static void af_tolerant(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	if (e->is_mmu_fault && e->fault.kind == VMSA_FAULT_ACCESS_FLAG) {
		vmsa_kernel_wait_remapped(m, cpu, e, arg);
		return;
	}
	vmsa_unhandled(m, cpu, e);
}

static void setup(vmsa_run_t *r)
{
	vmsa_kernel_setup(r);
}

static void setup_local(vmsa_run_t *r)
{
	vmsa_kernel_setup(r);
	((struct hvo_run *)vmsa_run_data(r))->local = true;
}

VMSA_SCENARIO(hvo_af0_cmpxchg,
	.name = "hvo/af0-cmpxchg",
	.doc = "AF = 0, broadcast TLBI, compare-and-swap to the new entry; "
	       "the reader's handler tolerates the Access flag fault",
	.setup = setup,
	.cpu = {writer, reader},
	.handler = {[1] = {[1] = af_tolerant}},
	.configs = {
		{.name = "default", .expect = "safe"},
		{.name = "ets2", .expect = "safe"},
	});

VMSA_SCENARIO(hvo_af0_cmpxchg_no_handler,
	.name = "hvo/af0-cmpxchg-no-handler",
	.doc = "hvo/af0-cmpxchg with no fault handler on the reader",
	.setup = setup,
	.cpu = {writer, reader},
	.configs = {
		{.name = "default", .expect = "unhandled-abort"},
	});

VMSA_SCENARIO(hvo_af0_local_tlbi,
	.name = "hvo/af0-local-tlbi",
	.doc = "hvo/af0-cmpxchg invalidating only the writer's TLB",
	.setup = setup_local,
	.cpu = {writer, reader},
	.handler = {[1] = {[1] = af_tolerant}},
	.configs = {
		{.name = "default", .expect = "bbm"},
	});
