/*
 * src/model/irq.c - interrupts between CPUs: IPIs and Linux-style
 * pseudo-NMIs, their masking, and when a CPU takes one.
 *
 * What the model has of the GIC: per CPU, one pending bit per interrupt
 * kind (an SGI: sending it again while it is pending changes nothing),
 * ICC_PMR_EL1 and a running priority (the most urgent interrupt being
 * handled). An interrupt is signalled to the PE when its priority value
 * is below both (lower values are more urgent); the PE then masks it or
 * not as the Arm ARM says (D1.4.6.4): by the routing (HCR_EL2.{IMO, TGE,
 * E2H}, Table D1-21) and PSTATE.I (RMHWBP). A pseudo-NMI is an ordinary
 * IRQ of a higher priority: Linux masks "IRQs" by writing a PMR value
 * between the two priorities, so only the pseudo-NMI gets through; it
 * keeps PSTATE.I clear for that, because PSTATE.I masks every IRQ,
 * pseudo-NMIs included (RMHWBP with SCTLR_ELx.NMI = 0: FEAT_NMI's
 * Superpriority is what an architected NMI would need, not modelled).
 *
 * When: a deliverable interrupt may be taken at any step boundary of its
 * target (a choice, option 0 taking it), must be taken before the first
 * instruction after a context synchronisation event it was pending
 * before (D1.4.6.5), and in finite time (RQVRHH): a CPU that waits or
 * has finished its code takes it when the explorer wakes it.
 *
 * Taking one is an exception (cpu.c take_exception()): entry masks
 * PSTATE.{D,A,I,F} (RDQXFW), writes no ESR (only synchronous exceptions
 * and SErrors do), acknowledges the interrupt (its priority becomes the
 * running one); the handler's return ends it (EOI: priority drop and
 * deactivation) and restores DAIF.
 */
#include <inttypes.h>
#include <string.h>

#include "cpu.h"
#include "footprint.h"
#include "irq.h"
#include "validate.h"

const char *vmsa_irq_name(vmsa_irq_t k)
{
	switch (k) {
	case VMSA_IRQ_IPI:
		return "IPI";
	case VMSA_IRQ_NMI:
		return "NMI";
	case VMSA_IRQ_PMB:
		return "PMBIRQ";
	}
	return "?";
}

static unsigned prio_of(unsigned k)
{
	return k == VMSA_IRQ_NMI ? VMSA_IRQ_PRIO_NMI :
	       k == VMSA_IRQ_PMB ? VMSA_IRQ_PRIO_PMB : VMSA_IRQ_PRIO_IPI;
}

/* Where a physical IRQ goes (Table D1-21, Non-secure, no EL3, EL2
 * enabled): EL2 when HCR_EL2.TGE or HCR_EL2.IMO is 1, else EL1. */
static unsigned target_el(uint64_t hcr)
{
	return (hcr & (VMSA_HCR_TGE | VMSA_HCR_IMO)) ? 2 : 1;
}

/*
 * Does the PE mask IRQs at its current EL (D1.4.6.4)? Targeted at a
 * lower EL: masked, it stays pending ("C"). At a higher EL: not masked
 * by PSTATE.I ("A"), except EL2 with {E2H, TGE} = {1, 1}. At the
 * current EL: PSTATE.I (RMHWBP, SCTLR_ELx.NMI = 0).
 */
static bool pe_masks(const struct cpu *c)
{
	uint64_t hcr = c->regs.r[VMSA_REG_HCR_EL2];
	unsigned t = target_el(hcr);

	if (t < c->el)
		return true;
	if (t > c->el && !((hcr & VMSA_HCR_E2H) && (hcr & VMSA_HCR_TGE)))
		return false;
	return c->regs.r[VMSA_REG_DAIF] & VMSA_DAIF_I;
}

/* The GIC's running priority: the most urgent interrupt being handled
 * (0x100, idle, when none). */
static unsigned running_prio(const struct cpu *c)
{
	unsigned p = 0x100;

	for (unsigned k = 0; k < VMSA_IRQ_KINDS; k++)
		if ((c->irq_active >> k & 1) && prio_of(k) < p)
			p = prio_of(k);
	return p;
}

/* The interrupt c would take now, most urgent first, or -1. */
static int pick(const struct cpu *c)
{
	unsigned pmr, run;
	int best = -1;

	if (!c->irq_pending || pe_masks(c))
		return -1;
	pmr = (unsigned)(c->regs.r[VMSA_REG_ICC_PMR_EL1] & 0xff);
	run = running_prio(c);
	/* The most urgent (the lowest priority value; of equal ones the
	 * lowest kind) that the masks let through. */
	for (unsigned k = 0; k < VMSA_IRQ_KINDS; k++)
		if ((c->irq_pending >> k & 1) && prio_of(k) < pmr &&
		    prio_of(k) < run &&
		    (best < 0 || prio_of(k) < prio_of((unsigned)best)))
			best = (int)k;
	return best;
}

bool irq_deliverable(const vmsa_machine_t *m, unsigned cpu)
{
	return cpu < m->f.ncpus && pick(&m->cpu[cpu]) >= 0;
}

/* Take interrupt k on cpu: the exception, its handler, its return. */
static void take(vmsa_machine_t *m, int cpu, int k)
{
	struct cpu *c = &m->cpu[cpu];
	struct vmsa_exception e;

	memset(&e, 0, sizeof(e));
	e.type = VMSA_EXC_IRQ;
	e.from_el = c->el;
	e.to_el = target_el(c->regs.r[VMSA_REG_HCR_EL2]);
	e.irq = (vmsa_irq_t)k;
	e.cause = vmsa_irq_name((vmsa_irq_t)k);
	bool newest = m->ord.newest;

	/* Its pending state, read and written (acknowledged). */
	fp_obj(m, FP_OBJ_IRQ + (unsigned)cpu, true);
	/* Taken at the boundary of a wait's read (order_read_newest()
	 * already said that read takes the newest value): the handler's
	 * reads choose as any read does; the wait's read comes after. */
	m->ord.newest = false;
	take_exception(m, cpu, &e);
	m->ord.newest = newest;
}

bool irq_boundary(vmsa_machine_t *m, int cpu)
{
	struct cpu *c = &m->cpu[cpu];
	bool must;
	int k;

	/* Whether anything is pending is what other CPUs' sends change:
	 * every boundary reads it. */
	fp_obj(m, FP_OBJ_IRQ + (unsigned)cpu, false);
	k = pick(c);
	must = k >= 0 && c->irq_cse && c->irq_since[k] < c->irq_cse;
	c->irq_cse = 0;
	if (k < 0)
		return false;
	/* The choice belongs to this CPU, before its step. */
	m->step_cpu = cpu;
	if (!must && choose(m, 2, "take the interrupt now") != 0)
		return false;
	take(m, cpu, k);
	return true;
}

bool irq_idle(vmsa_machine_t *m, int cpu)
{
	struct cpu *c = &m->cpu[cpu];
	int k;

	if (m->stopped)
		return false;
	fp_obj(m, FP_OBJ_IRQ + (unsigned)cpu, false);
	k = pick(c);
	if (k < 0)
		return false;
	c->irq_cse = 0;
	take(m, cpu, k);
	return true;
}

void irq_acknowledge(struct cpu *c, vmsa_irq_t k)
{
	c->irq_pending &= ~(1u << k);
	c->irq_active |= 1u << k;
}

void irq_end(vmsa_machine_t *m, struct cpu *c, vmsa_irq_t k)
{
	c->irq_active &= ~(1u << k);
	/* A level-sensitive interrupt still asserted is pending again. */
	if (k == VMSA_IRQ_PMB)
		irq_pmb_sync(m, c);
}

void irq_pmb_sync(vmsa_machine_t *m, struct cpu *c)
{
	bool asserted = c->regs.r[VMSA_REG_PMBSR_EL1] & VMSA_PMBSR_S;
	unsigned bit = 1u << VMSA_IRQ_PMB;

	if (asserted == !!(c->irq_pending & bit) ||
	    (asserted && (c->irq_active & bit)))
		return;
	/* Its pending state, which this CPU's boundaries read. */
	fp_obj(m, FP_OBJ_IRQ + c->id, true);
	if (!asserted) {
		c->irq_pending &= ~bit;
		return;
	}
	c->irq_pending |= bit;
	c->irq_since[VMSA_IRQ_PMB] = m->step;
}

void vmsa_send_irq(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_cpu_t target,
		   vmsa_irq_t irq)
{
	struct cpu *t;

	if (!check_cpu(m, "vmsa_send_irq", cpu) ||
	    !check_irq_target(m, "vmsa_send_irq", cpu, target) ||
	    !check_irq(m, "vmsa_send_irq", cpu, irq) || !step_begin(m, cpu))
		return;
	t = &m->cpu[target];
	trace(m, cpu, "irq", "send %s to CPU%d%s", vmsa_irq_name(irq), target,
	      (t->irq_pending >> irq & 1) ? " (already pending)" : "");
	fp_obj(m, FP_OBJ_IRQ + (unsigned)target, true);
	if (!(t->irq_pending >> irq & 1)) {
		t->irq_pending |= 1u << irq;
		t->irq_since[irq] = m->step;
	}
}

/* MSR DAIFSet/DAIFClr: PSTATE.DAIF |= set, then &= ~clr. */
static void daif_write(vmsa_machine_t *m, vmsa_cpu_t cpu, const char *fn,
		       const char *insn, uint64_t set, uint64_t clr)
{
	struct vmsa_exception e;
	struct cpu *c;

	if (!check_cpu(m, fn, cpu) || !check_daif_bits(m, fn, cpu, set | clr) ||
	    !step_begin(m, cpu))
		return;
	c = &m->cpu[cpu];
	trace(m, cpu, "msr", "%s, 0x%" PRIx64, insn, set | clr);
	/* At EL0 an access to the masks traps unless SCTLR_EL1.UMA = 1
	 * (not modelled): the model takes it as UNDEFINED. */
	if (exc_sysreg_check(&c->regs, VMSA_REG_DAIF, c->el, true, &e)) {
		take_exception(m, cpu, &e);
		return;
	}
	c->regs.r[VMSA_REG_DAIF] = (c->regs.r[VMSA_REG_DAIF] | set) & ~clr;
}

void vmsa_daif_set(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t bits)
{
	daif_write(m, cpu, "vmsa_daif_set", "DAIFSet", bits, 0);
}

void vmsa_daif_clr(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t bits)
{
	daif_write(m, cpu, "vmsa_daif_clr", "DAIFClr", 0, bits);
}

bool vmsa_irq_pending(const vmsa_machine_t *m, vmsa_cpu_t cpu,
		      vmsa_irq_t irq)
{
	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus ||
	    (unsigned)irq >= VMSA_IRQ_KINDS)
		return false;
	return m->cpu[cpu].irq_pending >> irq & 1;
}
