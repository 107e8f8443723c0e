/*
 * scenarios/seeds/pause.c - seed 004 (docs/seeds.md): pausing the other
 * CPUs to break and remake a kernel mapping, the way a 2026 attempt at
 * HugeTLB vmemmap optimisation (HVO) wanted to do on arm64: the kernel
 * cannot take a fault on its vmemmap or linear map, so while CPU0 breaks
 * the entry nobody else may be running kernel code that touches it.
 *
 * CPU0 pauses CPU1 with a pseudo-NMI IPI (vmsa_pause_others), breaks
 * and remakes the vmemmap-like mapping VMSA_KERNEL_VA (page[0] ->
 * page[1], same contents as far as the readers care: break-before-make
 * with a broadcast TLBI), and resumes it. CPU1 runs kernel code that
 * reads VMSA_KERNEL_VA twice, Linux's pseudo-NMI setup (PMR 0xe0,
 * PSTATE.I clear), and an EL1 handler that handles the pause NMI and
 * treats any fault as fatal (die(): vmsa_unhandled) unless the variant
 * checks for a spurious fault.
 *
 * The question: after "resumed", the paused CPU returns from the NMI and
 * accesses the mapping. Without FEAT_ETS2 a walk may have been done as
 * early as the CPU's last context synchronisation event (docs/model.md
 * rule 9). With FEAT_ExS and SCTLR_EL1.EOS = 0 the exception return is
 * not one (RBWCFK), so the last one is the NMI's entry, before the break:
 * the walk may see the entry invalid, a spurious Translation fault, and
 * the kernel dies. With EOS = 1 (or no FEAT_ExS) the return synchronises
 * after the remake; an ISB before the return does the same; an EL1
 * handler that re-walks with AT survives it; with ETS2 the read of
 * "resumed", an explicit access after the remake, starts the window.
 */
#include "vmsa/guest.h"
#include "vmsa/hyp.h"

struct pause_run {
	struct vmsa_kernel k;	/* first: vmsa_kernel_of() */
	vmsa_pause_t p;
	bool eos;		/* SCTLR_EL1.EOS of the paused CPU */
	bool spurious;		/* its fault handler checks with AT */
};

static struct pause_run *run_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static void setup_flags(vmsa_run_t *r, unsigned flags, bool eos,
			bool spurious)
{
	struct pause_run *d = run_of(r);

	vmsa_kernel_setup(r);
	vmsa_pause_setup(r, &d->p, 2, flags);
	d->eos = eos;
	d->spurious = spurious;
}

/*
 * Enter the kernel as vmsa_kernel_enter() does, with FEAT_ExS's bits:
 * EL2's ERET synchronises (SCTLR_EL2.EIS/EOS = 1), EL1 takes exceptions
 * with a context synchronisation event (EIS = 1) and returns from them
 * with one only when `eos`; and unmask interrupts at the GIC as Linux
 * does with pseudo-NMIs (PMR 0xe0; PSTATE.I is clear after the ERET).
 * Without FEAT_ExS the bits change nothing.
 */
static void enter(vmsa_run_t *r, vmsa_cpu_t cpu, bool eos)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);

	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL2, VMSA_SCTLR_EIS | VMSA_SCTLR_EOS);
	vmsa_msr(m, cpu, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_UNMASKED);
	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
		 VMSA_TTBR(k->l1, VMSA_KERNEL_ASID));
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M | VMSA_SCTLR_EIS |
					     (eos ? VMSA_SCTLR_EOS : 0));
	vmsa_eret(m, cpu, 1);
}

/* Break VMSA_KERNEL_VA, then map it to page[1] (RDDMVT). */
static void remap(vmsa_run_t *r, vmsa_cpu_t cpu, void *arg)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	vmsa_pa_t pte = vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA);

	(void)arg;
	vmsa_desc_write_pa(m, cpu, pte, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAAE1, VMSA_TLBI_IS,
			    VMSA_KERNEL_VA);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_desc_write_pa(m, cpu, pte, vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
}

/* CPU0: pause CPU1, remap, resume it. */
static void pauser(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct pause_run *d = run_of(r);

	enter(r, cpu, true);
	vmsa_pause_others(r, cpu, &d->p);
	remap(r, cpu, NULL);
	vmsa_resume_others(r, cpu, &d->p);
}

/* CPU1: kernel code reading the mapping (a struct page). */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	enter(r, cpu, run_of(r)->eos);
	for (unsigned i = 0; i < 2; i++) {
		if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the vmemmap page reads as neither copy");
	}
}

/* CPU1's EL1 vector: the pause NMI; a fault is fatal unless it is
 * spurious and the variant checks for that. */
static void el1_vector(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	struct pause_run *d = run_of(r);

	if (vmsa_pause_nmi(r, cpu, e, &d->p))
		return;
	if (d->spurious && vmsa_fault_is_spurious(m, cpu, e))
		return;
	vmsa_unhandled(m, cpu, e);
}

static void setup_no_isb(vmsa_run_t *r)
{
	setup_flags(r, 0, false, false);
}

static void setup_isb(vmsa_run_t *r)
{
	setup_flags(r, VMSA_PAUSE_ISB, false, false);
}

static void setup_spurious(vmsa_run_t *r)
{
	setup_flags(r, 0, false, true);
}

static void setup_late(vmsa_run_t *r)
{
	setup_flags(r, VMSA_PAUSE_LATE_PAUSED, true, false);
}

static void setup_order_ok(vmsa_run_t *r)
{
	setup_flags(r, 0, true, false);
}

VMSA_SCENARIO(pause_no_isb,
	.name = "pause/no-isb",
	.doc = "pause CPU1 with a pseudo-NMI, break and remake a kernel "
	       "mapping, resume; CPU1 returns with SCTLR_EL1.EOS = 0 and "
	       "no ISB and reads it, no spurious-fault check",
	.setup = setup_no_isb,
	.cpu = {pauser, reader},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "exs", .expect = "unhandled-abort"},
		{.name = "default", .expect = "safe"},
	});

VMSA_SCENARIO(pause_isb,
	.name = "pause/isb",
	.doc = "pause/no-isb with an ISB after \"resumed\" in the NMI "
	       "handler",
	.setup = setup_isb,
	.cpu = {pauser, reader},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "exs", .expect = "safe"},
	});

VMSA_SCENARIO(pause_spurious_handler,
	.name = "pause/spurious-handler",
	.doc = "pause/no-isb with an EL1 fault handler that re-walks with "
	       "AT and ignores a fault on an address that translates now",
	.setup = setup_spurious,
	.cpu = {pauser, reader},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "exs", .expect = "safe"},
	});

VMSA_SCENARIO(pause_ets2,
	.name = "pause/ets2",
	.doc = "pause/no-isb on a machine with FEAT_ETS2",
	.setup = setup_no_isb,
	.cpu = {pauser, reader},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "exs+ets2", .expect = "safe"},
	});

VMSA_SCENARIO(pause_order,
	.name = "pause/order",
	.doc = "the paused CPU sets \"paused\" only after it has started to "
	       "wait for \"resumed\"",
	.setup = setup_late,
	.cpu = {pauser, reader},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "default", .expect = "deadlock"},
	});

VMSA_SCENARIO(pause_order_ok,
	.name = "pause/order-ok",
	.doc = "pause/order with \"paused\" set before the wait",
	.setup = setup_order_ok,
	.cpu = {pauser, reader},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "default", .expect = "safe"},
	});

/* ------------------------------------------------------------------ */
/* stop_machine                                                        */
/* ------------------------------------------------------------------ */

/* Every CPU joins the rendezvous; CPU0 remaps in its RUN state. CPU1
 * reads the mapping before and after. */
static void stopper(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	enter(r, cpu, true);
	if (cpu == 1 && !vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
		return;
	vmsa_stop_machine(r, cpu, &run_of(r)->p, 0, remap, NULL);
	if (cpu == 1 && vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
		vmsa_assert(r, cpu, v == 0xa1,
			    "the remapped page does not read as page[1]");
}

static void setup_stop(vmsa_run_t *r)
{
	setup_flags(r, 0, true, false);
}

static void setup_stop_no_isb(vmsa_run_t *r)
{
	setup_flags(r, VMSA_STOP_NO_ISB, true, false);
}

VMSA_SCENARIO(pause_stop_machine,
	.name = "pause/stop-machine",
	.doc = "the same remap under a stop_machine-style rendezvous; "
	       "every CPU leaves it with an ISB",
	.setup = setup_stop,
	.cpu = {stopper, stopper},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "default", .expect = "safe"},
		{.name = "exs", .expect = "safe"},
	});

VMSA_SCENARIO(pause_stop_machine_no_isb,
	.name = "pause/stop-machine-no-isb",
	.doc = "pause/stop-machine without the ISB when a CPU leaves the "
	       "rendezvous",
	.setup = setup_stop_no_isb,
	.cpu = {stopper, stopper},
	.handler = {[1] = {[1] = el1_vector}},
	.configs = {
		{.name = "default", .expect = "unhandled-abort"},
		{.name = "ets2", .expect = "safe"},
	});
