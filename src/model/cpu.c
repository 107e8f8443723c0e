/*
 * src/model/cpu.c - a CPU's registers, its current translation context,
 * exception levels, exception entry and return.
 *
 * A context becomes "may be cached" on a CPU when the CPU runs at an EL
 * that uses it (its registers select it there): from then on every valid
 * entry reachable in it may be in that CPU's TLB, until a TLBI that
 * removes all of it completes while the CPU no longer uses it. EL1&0
 * registers are not used speculatively from EL2 (RNRJPP), so a hypervisor
 * that only writes VTTBR_EL2 does not make a guest's context cached on its
 * CPU; running the guest (ERET to EL1) does.
 *
 * Exception entry and return are steps and context synchronisation
 * events. A fault is delivered to the handler registered for its target
 * EL; the handler runs as the CPU at that EL, and when it returns the
 * model performs the exception return and the access is retried.
 */
#include <inttypes.h>
#include <stdio.h>

#include "atomic.h"
#include "barrier.h"
#include "context.h"
#include "regime_cache.h"
#include "cpu.h"
#include "footprint.h"
#include "hwspec.h"
#include "irq.h"
#include "validate.h"


/* Does the context of regime r run at el? */
static bool regime_at(vmsa_regime_t r, unsigned el)
{
	return r == VMSA_REGIME_EL10 ? el < 2 :
	       r == VMSA_REGIME_EL2 ? el == 2 : true;
}

bool cpu_update_context(vmsa_machine_t *m, struct cpu *c)
{
	vmsa_regime_t regime;
	const char *why = NULL;
	int i;

	if (regime_cached(m, c, &regime, &i, &why)) {
		c->cur_ctx = -1;
		violation(m, (int)c->id, VMSA_V_BAD_CONFIG, NULL,
			  "CPU%u at EL%u: the translation registers select a "
			  "reserved configuration: %s", c->id, c->el,
			  why ? why : "?");
		return false;
	}
	/* Other CPUs' TLBI completions read which context this CPU uses
	 * (they uncache only the others): the CPU's parts of FP_OBJ_TLBUSE
	 * for its old and new context, not its TLB's entries (a new
	 * context is FP_DESC_W: fp_end), nor which contexts it caches
	 * (which other CPUs' stores read: fp_tlb_cache_ctx() below records
	 * a change of that). */
	if (i != c->cur_ctx) {
		fp_flags(m, FP_DESC_R);
		if (c->cur_ctx >= 0)
			fp_tlb_use(m, c->id, (unsigned)c->cur_ctx, true);
		if (i >= 0)
			fp_tlb_use(m, c->id, (unsigned)i, true);
	}
	if (i >= 0 && regime_at(regime, c->el) &&
	    !cpu_caches_ctx(c, (unsigned)i)) {
		fp_flags(m, FP_DESC_R);
		fp_tlb_cache_ctx(m, c->id, (unsigned)i);
	}
	if (i < 0 || (regime_at(regime, c->el) &&
		      cpu_cache_ctx(c, (unsigned)i))) {
		c->cur_ctx = -1;
		violation(m, (int)c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for translation "
			  "contexts (%u in use)", m->n_ctx);
		return false;
	}
	c->cur_ctx = i;
	/* Under Arm's ordering, the hardware may set AF speculatively in
	 * the leaves of a context with HA it now uses (hwspec.c). */
	if (m->f.relaxed && m->f.hafdbs && regime_at(regime, c->el))
		spec_af_context(m, (int)c->id, (unsigned)i);
	return true;
}

/* Registers whose value selects the translation regime or its tables. */
static bool translation_reg(enum vmsa_sysreg r)
{
	switch (r) {
	case VMSA_REG_TTBR0_EL1: case VMSA_REG_TTBR1_EL1:
	case VMSA_REG_TCR_EL1: case VMSA_REG_SCTLR_EL1:
	case VMSA_REG_MAIR_EL1: case VMSA_REG_VTTBR_EL2:
	case VMSA_REG_VTCR_EL2: case VMSA_REG_HCR_EL2:
	case VMSA_REG_TTBR0_EL2: case VMSA_REG_TTBR1_EL2:
	case VMSA_REG_TCR_EL2: case VMSA_REG_SCTLR_EL2:
	case VMSA_REG_MAIR_EL2:
		return true;
	default:
		return false;
	}
}

/*
 * exc_sysreg_check() and the registers that only exist with a feature:
 * HFGITR_EL2 is UNDEFINED without FEAT_FGT (D24.2.71, "Configuration").
 */
static int sysreg_check(const vmsa_machine_t *m, const struct cpu *c,
			enum vmsa_sysreg reg, bool write,
			struct vmsa_exception *e)
{
	if (reg == VMSA_REG_HFGITR_EL2 && !m->f.fgt) {
		exc_build_undef(e, c->el,
				exc_undef_target_el(c->el,
						    c->regs.r[VMSA_REG_HCR_EL2]));
		e->cause = "HFGITR_EL2 without FEAT_FGT";
		return 1;
	}
	return exc_sysreg_check(&c->regs, reg, c->el, write, e);
}

/* A trap an EL2 handler emulates (EC 0x18, 0x1A)? Its preferred return
 * address is the instruction itself: retried unless the handler skips
 * or emulates it (vmsa_skip_insn, vmsa_exc_emulate). */
static bool emulatable(const struct vmsa_exception *e)
{
	return e->type == VMSA_EXC_SYSREG_TRAP || e->type == VMSA_EXC_ERET_TRAP;
}

/*
 * Is cpu_update_context() after a write of translation register r sure
 * to change nothing? The EL2 and EL2&0 regimes (at EL2, or at EL0 with
 * HCR_EL2.{E2H, TGE} = {1, 1}) are decoded from HCR_EL2 and the EL2
 * registers alone (sysreg_regime: regime_el2), so a write of an EL1 or
 * stage-2 register there selects the same regime and context, c->cur_ctx,
 * which the CPU already caches: then cpu_update_context() would record
 * nothing and change nothing. Entering EL1 writes four such registers at
 * EL2; this spares each a regime look-up.
 */
static bool context_unchanged(const struct cpu *c, enum vmsa_sysreg r)
{
	uint64_t hcr = c->regs.r[VMSA_REG_HCR_EL2];
	bool el2_regime = c->el == 2 ||
			  (c->el == 0 && (hcr & VMSA_HCR_E2H) &&
			   (hcr & VMSA_HCR_TGE));

	if (!el2_regime || c->cur_ctx < 0 ||
	    !cpu_caches_ctx(c, (unsigned)c->cur_ctx))
		return false;
	switch (r) {
	case VMSA_REG_TTBR0_EL1: case VMSA_REG_TTBR1_EL1:
	case VMSA_REG_TCR_EL1: case VMSA_REG_SCTLR_EL1:
	case VMSA_REG_MAIR_EL1: case VMSA_REG_VTTBR_EL2:
	case VMSA_REG_VTCR_EL2:
		return true;
	default:
		return false;
	}
}

void vmsa_msr(vmsa_machine_t *m, int cpu, enum vmsa_sysreg reg, uint64_t v)
{
	enum vmsa_sysreg r;

	struct vmsa_exception e;
	struct cpu *c;

	if (!check_cpu(m, "vmsa_msr", cpu) ||
	    !check_sysreg(m, "vmsa_msr", cpu, reg))
		return;
	for (;;) {
		bool skipped = false;

		if (!step_begin(m, cpu))
			return;
		c = &m->cpu[cpu];
		trace(m, cpu, "msr", "%s, 0x%" PRIx64, vmsa_sysreg_name(reg), v);
		if (!sysreg_check(m, c, reg, true, &e))
			break;
		if (!emulatable(&e)) {
			/* UNDEFINED, FP trap: not executed again. */
			take_exception(m, cpu, &e);
			return;
		}
		/* The handler emulates the MSR with the value written. */
		e.sysreg_value = v;
		if (!take_trap(m, cpu, &e, &skipped, NULL) || skipped)
			return;
	}
	/* A step that changes only registers (snapshot.c). */
	m->reg_steps++;
	sysreg_set(&c->regs, reg, c->el, v);
	r = sysreg_redirect(reg, c->el, c->regs.r[VMSA_REG_HCR_EL2]);
	if (r == VMSA_REG_PMBSR_EL1)
		irq_pmb_sync(m, c);
	if (translation_reg(r) && !context_unchanged(c, r))
		cpu_update_context(m, c);
}

uint64_t vmsa_mrs(vmsa_machine_t *m, int cpu, enum vmsa_sysreg reg)
{
	struct vmsa_exception e;
	struct cpu *c;
	uint64_t v;

	if (!check_cpu(m, "vmsa_mrs", cpu) ||
	    !check_sysreg(m, "vmsa_mrs", cpu, reg))
		return 0;
	for (;;) {
		bool skipped = false;

		if (!step_begin(m, cpu))
			return 0;
		c = &m->cpu[cpu];
		if (!sysreg_check(m, c, reg, false, &e))
			break;
		/* The trapped MRS is a step of its own: trace it. */
		trace(m, cpu, "mrs", "%s: traps", vmsa_sysreg_name(reg));
		if (!emulatable(&e)) {
			take_exception(m, cpu, &e);
			return 0;
		}
		v = 0;
		if (!take_trap(m, cpu, &e, &skipped, &v))
			return 0;
		if (skipped) {
			trace(m, cpu, "mrs", "%s = 0x%" PRIx64 " (emulated)",
			      vmsa_sysreg_name(reg), v);
			return v;
		}
	}
	v = sysreg_get(&c->regs, reg, c->el);
	trace(m, cpu, "mrs", "%s = 0x%" PRIx64, vmsa_sysreg_name(reg), v);
	return v;
}

void vmsa_set_handler(vmsa_machine_t *m, vmsa_cpu_t cpu, unsigned el,
		      vmsa_exc_handler_fn fn, void *arg)
{
	if (!check_cpu(m, "vmsa_set_handler", cpu) ||
	    !check_handler_el(m, "vmsa_set_handler", cpu, el))
		return;
	m->cpu[cpu].handlers[el] = (struct handler){fn, arg};
}

unsigned vmsa_current_el(const vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	/* A query of a const machine: no violation can be recorded, so a
	 * CPU that does not exist reads as EL0. */
	return cpu >= 0 && (unsigned)cpu < m->f.ncpus ? m->cpu[cpu].el : 0;
}

/*
 * Is an exception entry to (entry) or a return from (!entry) EL `el` a
 * context synchronisation event? Always without FEAT_ExS; with it,
 * SCTLR_ELx.EIS of the target EL (RBBSRF) or SCTLR_ELx.EOS of the EL
 * returned from (RBWCFK). SCTLR_EL2 is EL2's with E2H = 0 or 1.
 */
static bool exc_synchronises(const vmsa_machine_t *m, const struct cpu *c,
			     unsigned el, bool entry)
{
	uint64_t sctlr;

	if (!m->f.exs)
		return true;
	sctlr = c->regs.r[el == 2 ? VMSA_REG_SCTLR_EL2 : VMSA_REG_SCTLR_EL1];
	return sctlr & (entry ? VMSA_SCTLR_EIS : VMSA_SCTLR_EOS);
}

/* Change EL as an exception entry or return does. */
static void switch_el(vmsa_machine_t *m, struct cpu *c, unsigned el,
		      bool entry)
{
	bool sync = exc_synchronises(m, c, entry ? el : c->el, entry);

	/* An exception return clears the local Exclusives monitor (B2.12.4,
	 * AArch64.ExceptionReturn); entry leaves it (after a Data Abort its
	 * state is UNKNOWN, B2.12.5: "as it was" is one such state). */
	if (!entry)
		monitor_clear_local(c);
	c->el = el;
	if (sync)
		cse(m, c);
	cpu_update_context(m, c);
}

void vmsa_eret(vmsa_machine_t *m, int cpu, unsigned el)
{
	struct cpu *c;

	if (!check_cpu(m, "vmsa_eret", cpu) ||
	    !check_el(m, "vmsa_eret", cpu, el))
		return;
	for (;;) {
		struct vmsa_exception e;
		bool skipped = false;

		if (!step_begin(m, cpu))
			return;
		c = &m->cpu[cpu];
		if (el >= c->el || !exc_eret_trapped(&c->regs, c->el, m->f.fgt))
			break;
		/* FEAT_FGT: the ERET traps to EL2, which emulates it
		 * (vmsa_exc_emulate: the return goes to el), skips it, or
		 * returns to it, which runs it again. */
		trace(m, cpu, "eret", "EL%u -> EL%u: traps (HFGITR_EL2.ERET)",
		      c->el, el);
		exc_build_eret_trap(&e, c->el, el);
		if (!take_trap(m, cpu, &e, &skipped, NULL) || skipped)
			return;
	}
	trace(m, cpu, "eret", "EL%u -> EL%u", c->el, el);
	if (el >= c->el) {
		undefined_instruction(m, cpu, "eret to a higher or equal EL");
		return;
	}
	/* A step that changes only registers and the CPU's own state
	 * (snapshot.c). */
	m->reg_steps++;
	/* PSTATE.{D,A,I,F} from SPSR_ELx (RBWCFK). */
	c->regs.r[VMSA_REG_DAIF] =
		c->regs.r[c->el == 2 ? VMSA_REG_SPSR_EL2 : VMSA_REG_SPSR_EL1] &
		VMSA_DAIF_ALL;
	switch_el(m, c, el, false);
}

static vmsa_violation_kind_t unhandled_kind(const struct vmsa_exception *e)
{
	if (e->type == VMSA_EXC_UNDEFINED)
		return VMSA_V_UNDEFINED;
	if (e->is_mmu_fault && e->fault.kind == VMSA_FAULT_TLB_CONFLICT)
		return VMSA_V_CONFLICT_UNHANDLED;
	return VMSA_V_UNHANDLED_ABORT;
}

void vmsa_unhandled(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e)
{
	char text[200];

	if (!check_cpu(m, "vmsa_unhandled", cpu) || !e)
		return;
	vmsa_exception_format(text, sizeof(text), e);
	if (!m->stopped)
		m->ventries.n = 0;
	violation(m, cpu, unhandled_kind(e), NULL,
		  "CPU%d: the handler at EL%u does not handle %s", cpu,
		  e->to_el, text);
}

/* Record the syndrome registers of the target EL. */
static void save_syndrome(struct cpu *c, const struct vmsa_exception *e)
{
	bool el2 = e->to_el == 2;

	/* An exception taken to an EL using AArch32 (the only one the model
	 * raises is an UNDEFINED to a 32-bit guest's Undefined mode) writes
	 * no syndrome: ESR_EL1 and FAR_EL1 are the guest's DFSR and
	 * DFAR/IFAR, which must keep their values (AArch32 has no ESR). */
	if (e->to_aarch32)
		return;
	/* Only synchronous exceptions and SErrors write ESR_ELx (RDQXFW):
	 * an IRQ leaves the syndrome registers alone. */
	if (e->type == VMSA_EXC_IRQ)
		return;
	c->regs.r[el2 ? VMSA_REG_ESR_EL2 : VMSA_REG_ESR_EL1] = e->esr;
	if (e->far_valid)
		c->regs.r[el2 ? VMSA_REG_FAR_EL2 : VMSA_REG_FAR_EL1] = e->far;
	if (el2 && e->hpfar_valid)
		c->regs.r[VMSA_REG_HPFAR_EL2] = e->hpfar;
}

/* Run the handler with e as the innermost trap (or none): what
 * vmsa_exc_emulate() says applies to it only. */
static void run_handler(vmsa_machine_t *m, int cpu, const struct handler *h,
			const struct vmsa_exception *e)
{
	struct cpu *c = &m->cpu[cpu];
	const struct vmsa_exception *trap = c->trap;
	bool emulated = c->emulated;
	uint64_t value = c->emulated_value;

	c->trap = emulatable(e) ? e : NULL;
	c->emulated = false;
	c->emulated_value = 0;
	c->frame[c->depth++] = e;
	h->fn(m, cpu, e, h->arg);
	c->depth--;
	/* The caller reads the outcome before the frame is popped. */
	m->last_emulated = c->emulated;
	m->last_emulated_value = c->emulated_value;
	c->trap = trap;
	c->emulated = emulated;
	c->emulated_value = value;
}

void vmsa_exc_emulate(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t value)
{
	struct cpu *c;

	if (m->stopped || !check_cpu(m, "vmsa_exc_emulate", cpu))
		return;
	c = &m->cpu[cpu];
	if (!c->trap || c->depth == 0) {
		violation(m, cpu, VMSA_V_BAD_CALL, NULL,
			  "scenario error: vmsa_exc_emulate: CPU%d is not "
			  "running the handler of a trapped MSR, MRS or ERET",
			  cpu);
		return;
	}
	if (!check_skip(m, "vmsa_exc_emulate", cpu))
		return;
	trace(m, cpu, "emulate", "%s emulated by its handler",
	      vmsa_exc_type_name(c->trap->type));
	c->skipped = true;
	c->emulated = true;
	c->emulated_value = value;
}

bool take_trap(vmsa_machine_t *m, int cpu, const struct vmsa_exception *e,
	       bool *skipped, uint64_t *value)
{
	struct cpu *c = &m->cpu[cpu];
	unsigned depth0 = c->skip_depth;
	bool skipped0 = c->skipped, ok;

	/* vmsa_skip_insn() and vmsa_exc_emulate() are allowed in its
	 * handler (and only there: a nested handler runs deeper). */
	c->skip_depth = c->depth + 1;
	c->skipped = false;
	m->last_emulated = false;
	m->last_emulated_value = 0;
	ok = take_exception(m, cpu, e);
	if (skipped)
		*skipped = c->skipped;
	if (value)
		*value = m->last_emulated_value;
	c->skip_depth = depth0;
	c->skipped = skipped0;
	return ok;
}

/* The same exception: what makes a handler that takes it retake it. */
static bool same_exception(const struct vmsa_exception *a,
			   const struct vmsa_exception *b)
{
	return a->type == b->type && a->to_el == b->to_el &&
	       a->esr == b->esr && a->far_valid == b->far_valid &&
	       (!a->far_valid || a->far == b->far);
}

/*
 * A MAX_DEPTH + 1-th nested handler. When the innermost handlers were
 * all taken for this very exception (at least half of them: the first
 * ones may be what led there, such as the access whose conflict abort
 * the recursion started from), each one retook the exception of the one
 * it runs in before it could remove its cause (a conflict abort whose
 * handler's stack is behind the conflicting entries): that is the
 * scenario's recursion, without end on hardware (the stack overflows),
 * not a limit of the model. Anything else stops at the model's limit.
 */
static void too_deep(vmsa_machine_t *m, int cpu,
		     const struct vmsa_exception *e, const char *text)
{
	struct cpu *c = &m->cpu[cpu];
	unsigned same = 0;

	while (same < c->depth && same_exception(c->frame[c->depth - 1 - same], e))
		same++;
	if (same >= MAX_DEPTH / 2) {
		violation(m, cpu, VMSA_V_RECURSION, NULL,
			  "CPU%d: the handler at EL%u takes its own exception "
			  "again before it removes its cause, %u times nested "
			  "(without end: its stack overflows): %s", cpu,
			  e->to_el, same + 1, text);
		return;
	}
	violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
		  "model limit: CPU%d would nest a %dth exception handler (at "
		  "most %d: MAX_DEPTH in src/model/machine.h): %s", cpu,
		  MAX_DEPTH + 1, MAX_DEPTH, text);
}

bool take_exception(vmsa_machine_t *m, int cpu,
		    const struct vmsa_exception *e)
{
	struct cpu *c = &m->cpu[cpu];
	const struct handler *h = &c->handlers[e->to_el];
	bool irq = e->type == VMSA_EXC_IRQ;
	unsigned from = c->el;
	uint64_t daif;
	char text[200];

	/* The exception's text is only for a report or a trace: formatting
	 * it for every exception taken cost more than taking it. */
	if (!h->fn || c->depth == MAX_DEPTH)
		vmsa_exception_format(text, sizeof(text), e);
	if (!h->fn && e->is_mmu_fault &&
	    e->fault.kind == VMSA_FAULT_TLB_CONFLICT) {
		/* The report lists the entries of different sizes the CPU's
		 * TLB may hold for the address (translate.c). */
		for (unsigned i = 0; i < m->conflict.n; i++)
			violation_entry(m, &m->conflict.p[i]);
		violation(m, cpu, VMSA_V_CONFLICT_UNHANDLED, "RZQNWZ",
			  "CPU%d: no handler at EL%u for %s; CPU%d's TLB may "
			  "hold %u entries of different sizes for it", cpu,
			  e->to_el, text, cpu, m->conflict.n);
		return false;
	}
	if (!h->fn) {
		violation(m, cpu, unhandled_kind(e), NULL,
			  "CPU%d: no handler at EL%u for %s", cpu, e->to_el,
			  text);
		return false;
	}
	if (c->depth == MAX_DEPTH) {
		too_deep(m, cpu, e, text);
		return false;
	}
	/* Entry is no instruction boundary; an interrupt's entry follows
	 * the decision to take it at the same scheduling point. */
	if (!step_begin_at(m, cpu, irq ? STEP_NO_IRQ | STEP_NO_HOOK
				       : STEP_NO_IRQ))
		return false;
	if (m->trace) {
		vmsa_exception_format(text, sizeof(text), e);
		trace(m, cpu, "exception", "EL%u -> EL%u: %s", from, e->to_el,
		      text);
	}
	save_syndrome(c, e);
	if (irq)
		irq_acknowledge(c, e->irq);
	/* Entry masks everything (RDQXFW); the return restores PSTATE. */
	daif = c->regs.r[VMSA_REG_DAIF];
	c->regs.r[VMSA_REG_DAIF] = VMSA_DAIF_ALL;
	switch_el(m, c, e->to_el, true);
	run_handler(m, cpu, h, e);
	/* An emulated ERET completes: the return goes where it would have. */
	if (e->type == VMSA_EXC_ERET_TRAP && m->last_emulated)
		from = e->eret_el;
	if (!step_begin(m, cpu))
		return false;
	trace(m, cpu, "eret", "exception return EL%u -> EL%u", c->el, from);
	if (irq)
		irq_end(m, c, e->irq);
	c->regs.r[VMSA_REG_DAIF] = daif;
	switch_el(m, c, from, false);
	return !m->stopped;
}

void undefined_instruction(vmsa_machine_t *m, int cpu, const char *what)
{
	/* UNDEFINED TLB maintenance and exception returns are violations
	 * whether or not the EL has a handler: correct hypervisor and kernel
	 * code never executes them. */
	violation(m, cpu, VMSA_V_UNDEFINED, NULL,
		  "CPU%d: %s is UNDEFINED at EL%u", cpu, what, m->cpu[cpu].el);
}
