/*
 * src/hyp/pause.c - kernel-side rendezvous of CPUs (vmsa/hyp.h): pausing
 * the other CPUs with pseudo-NMIs while one CPU changes a kernel mapping,
 * and a stop_machine-style rendezvous. Seed 004 (docs/seeds.md) runs
 * both, with their buggy variants.
 *
 * Scenario code on the public API: every access to the shared words is a
 * model step (a data access, cacheable), so the explorer interleaves
 * them; waits are vmsa_wait_eq/ne, which a pending interrupt wakes.
 */
#include "vmsa/hyp.h"

#define PAUSE_RESUMED 0x100u
#define STOP_STATE 0x108u
#define STOP_ACK 0x110u

static vmsa_pa_t paused_pa(const vmsa_pause_t *p, vmsa_cpu_t cpu)
{
	return p->page + 8 * (vmsa_pa_t)cpu;
}

void vmsa_pause_setup(vmsa_run_t *r, vmsa_pause_t *p, unsigned ncpus,
		      unsigned flags)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	p->page = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	p->ncpus = ncpus;
	p->flags = flags;
	if (p->page == VMSA_BAD_PA)
		return;
	vmsa_phys_write(m, VMSA_SETUP, p->page + STOP_STATE, 8,
			VMSA_STOP_PREPARE, true);
	vmsa_phys_write(m, VMSA_SETUP, p->page + STOP_ACK, 8, ncpus, true);
}

void vmsa_pause_others(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	for (unsigned c = 0; c < p->ncpus; c++)
		if ((vmsa_cpu_t)c != cpu)
			vmsa_send_irq(m, cpu, (vmsa_cpu_t)c, VMSA_IRQ_NMI);
	for (unsigned c = 0; c < p->ncpus; c++)
		if ((vmsa_cpu_t)c != cpu)
			vmsa_wait_eq(r, cpu, paused_pa(p, (vmsa_cpu_t)c), ~0ull,
				     1);
}

void vmsa_resume_others(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, p->page + PAUSE_RESUMED, 8,
			1, true);
}

bool vmsa_pause_nmi(vmsa_run_t *r, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, const vmsa_pause_t *p)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	bool late = p->flags & VMSA_PAUSE_LATE_PAUSED;

	if (e->type != VMSA_EXC_IRQ || e->irq != VMSA_IRQ_NMI)
		return false;
	if (!late)
		vmsa_phys_write(m, cpu, paused_pa(p, cpu), 8, 1, true);
	vmsa_wait_eq(r, cpu, p->page + PAUSE_RESUMED, ~0ull, 1);
	if (late)
		vmsa_phys_write(m, cpu, paused_pa(p, cpu), 8, 1, true);
	/* Without it, with FEAT_ExS and SCTLR_EL1.EOS = 0, nothing
	 * synchronises context between the handler's entry, before the
	 * change, and the interrupted code's next access (RBWCFK). */
	if (p->flags & VMSA_PAUSE_ISB)
		vmsa_isb(m, cpu);
	return true;
}

/* Linux's set_state(): reset the count, smp_wmb(), then the new state.
 * The DMB ISHST keeps a CPU that sees the new state from decrementing
 * the old count (0: nobody would ever be last, a deadlock). Without the
 * feature relaxed it orders nothing the model can observe and is left
 * out (no step). */
static void stop_set_state(vmsa_machine_t *m, vmsa_cpu_t cpu,
			   const vmsa_pause_t *p, uint64_t state)
{
	vmsa_phys_write(m, cpu, p->page + STOP_ACK, 8, p->ncpus, true);
	if (vmsa_machine_features(m)->relaxed)
		vmsa_dmb(m, cpu, VMSA_BAR_ISHST);
	vmsa_phys_write(m, cpu, p->page + STOP_STATE, 8, state, true);
}

/* Acknowledge state `state`: the last CPU to do so starts the next
 * one with a full count (Linux's ack_state()). The decrement is
 * atomic_dec_and_test, a fully ordered atomic (CASAL here): release
 * orders this CPU's work in the state (the active CPU's change of a
 * mapping) before it, acquire orders the last CPU's write of the next
 * state after every CPU's decrement, so a CPU that sees the next state
 * sees the change (B2.3.7, cumulativity of the release). */
static void stop_ack(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p,
		     uint64_t state)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t ack = p->page + STOP_ACK;
	uint64_t left = vmsa_phys_read(m, cpu, ack, 8, true);

	for (;;) {
		uint64_t got = vmsa_phys_cas_ord(m, cpu, ack, 8, left,
						 left - 1, true,
						 VMSA_ORD_ACQ_REL);

		if (vmsa_stopped(m))
			return;
		if (got == left)
			break;
		left = got;
	}
	if (left == 1)
		stop_set_state(m, cpu, p, state + 1);
}

void vmsa_stop_machine(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p,
		       vmsa_cpu_t active,
		       void (*fn)(vmsa_run_t *r, vmsa_cpu_t cpu, void *arg),
		       void *arg)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t state = 0, daif = vmsa_mrs(m, cpu, VMSA_REG_DAIF);

	while (state != VMSA_STOP_EXIT && !vmsa_stopped(m)) {
		state = vmsa_wait_ne(r, cpu, p->page + STOP_STATE, ~0ull, state);
		if (state == VMSA_STOP_DISABLE_IRQ)
			vmsa_daif_set(m, cpu, VMSA_DAIF_I);
		else if (state == VMSA_STOP_RUN && cpu == active && fn)
			fn(r, cpu, arg);
		/* EXIT is acknowledged too, as Linux's multi_cpu_stop()
		 * does: the fully ordered decrement is what orders a CPU's
		 * accesses after the rendezvous after its read of EXIT
		 * (without it, with relaxed, a read may be satisfied
		 * before that and through the old mapping); the last
		 * ack's state (EXIT + 1) nobody waits for. */
		stop_ack(r, cpu, p, state);
	}
	if (!(daif & VMSA_DAIF_I))
		vmsa_daif_clr(m, cpu, VMSA_DAIF_I);
	if (!(p->flags & VMSA_STOP_NO_ISB))
		vmsa_isb(m, cpu);
}
