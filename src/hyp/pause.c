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

/* Acknowledge state `state`: the last CPU to do so starts the next
 * one with a full count (Linux's ack_state()). */
static void stop_ack(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p,
		     uint64_t state)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t ack = p->page + STOP_ACK;
	uint64_t left = vmsa_phys_read(m, cpu, ack, 8, true);

	for (;;) {
		uint64_t got = vmsa_phys_cas(m, cpu, ack, 8, left, left - 1,
					     true);

		if (vmsa_stopped(m))
			return;
		if (got == left)
			break;
		left = got;
	}
	if (left != 1)
		return;
	vmsa_phys_write(m, cpu, ack, 8, p->ncpus, true);
	vmsa_phys_write(m, cpu, p->page + STOP_STATE, 8, state + 1, true);
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
		if (state != VMSA_STOP_EXIT)
			stop_ack(r, cpu, p, state);
	}
	if (!(daif & VMSA_DAIF_I))
		vmsa_daif_clr(m, cpu, VMSA_DAIF_I);
	if (!(p->flags & VMSA_STOP_NO_ISB))
		vmsa_isb(m, cpu);
}
