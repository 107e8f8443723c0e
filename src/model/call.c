/*
 * src/model/call.c - the exception-generating instructions SVC, HVC and
 * SMC: which exception each raises, where it goes, and the return that
 * follows the handler.
 *
 * References: Arm ARM (DDI 0487) C6.2.174 HVC, C6.2.371 SMC, C6.2.465
 * SVC, J1.1 AArch64.CallSupervisor, AArch64.CallHypervisor,
 * AArch64.CheckForSMCUndefOrTrap, J1.2 AArch32.CallSupervisor,
 * AArch32.CallHypervisor, D24.2.62 HCR_EL2 (HCD, TSC, TGE), D24.2.46
 * ESR_EL2 (EC 0x11-0x13, 0x15-0x17 and their ISS).
 *
 * The model's machine has EL2 (enabled, Non-secure) and no EL3, so:
 * SCR_EL3.HCE does not exist and HCR_EL2.HCD alone disables HVC; an SMC
 * has no EL3 to call and is UNDEFINED wherever HCR_EL2.TSC does not trap
 * it; the TSC trap itself is IMPLEMENTATION DEFINED without EL3 (when
 * HCR_EL2.NV, not modelled, is 0) and the machine implements it.
 *
 * Preferred return addresses differ, and the handler's return follows
 * them: SVC and HVC return after the instruction (NextInstrAddr); an
 * UNDEFINED instruction and a trapped SMC return to the instruction
 * itself (ThisInstrAddr), so it runs again unless the handler advances
 * ELR (vmsa_skip_insn()).
 */
#include <inttypes.h>

#include "cpu.h"
#include "exc.h"
#include "validate.h"

/* UNDEFINED at el: in AArch32 for a 32-bit guest's instruction. */
static void call_undef(struct vmsa_exception *out, unsigned el, bool a32,
		       uint64_t hcr, const char *cause)
{
	if (a32) {
		exc_build_aarch32_undef(out, el, hcr, cause);
		return;
	}
	exc_build_undef(out, el, exc_undef_target_el(el, hcr));
	out->cause = cause;
}

/* SVC: never UNDEFINED. From EL0 to EL1, or EL2 with TGE = 1; from EL1
 * and EL2 to the same EL (AArch64.CallSupervisor). A 32-bit guest's SVC
 * to its EL1 is taken to AArch32 (AArch32.TakeSVCException). */
static void svc(struct vmsa_exception *out, unsigned el, bool a32,
		uint64_t hcr, uint16_t imm)
{
	unsigned to = el > 0 ? el : (hcr & VMSA_HCR_TGE) ? 2 : 1;

	exc_build_call(out, VMSA_EXC_SVC, el, to, a32, imm);
	out->to_aarch32 = a32 && to == 1;
	out->cause = "SVC";
}

/* HVC (C6.2.174): UNDEFINED at EL0, and at EL1/EL2 with HCD = 1. */
static bool hvc(struct vmsa_exception *out, unsigned el, bool a32,
		uint64_t hcr, uint16_t imm)
{
	if (el == 0) {
		call_undef(out, el, a32, hcr, "HVC at EL0");
		return true;
	}
	if (hcr & VMSA_HCR_HCD) {
		call_undef(out, el, a32, hcr, "HCR_EL2.HCD");
		return true;
	}
	exc_build_call(out, VMSA_EXC_HVC, el, 2, a32, imm);
	out->cause = "HVC";
	return false;
}

/* SMC (AArch64.CheckForSMCUndefOrTrap without EL3): UNDEFINED at EL0;
 * at EL1 trapped by TSC (which TGE = 1 would make ignored, but EL1 is
 * not reachable then), else UNDEFINED; at EL2 UNDEFINED. */
static void smc(struct vmsa_exception *out, unsigned el, bool a32,
		uint64_t hcr, uint16_t imm)
{
	if (el == 0) {
		call_undef(out, el, a32, hcr, "SMC at EL0");
		return;
	}
	if (el == 1 && (hcr & VMSA_HCR_TSC)) {
		exc_build_call(out, VMSA_EXC_SMC, el, 2, a32, imm);
		out->cause = "HCR_EL2.TSC";
		return;
	}
	call_undef(out, el, a32, hcr, "SMC without EL3");
}

bool exc_call_check(const struct sysregs *s, vmsa_exc_type_t type,
		    unsigned el, bool guest_aarch32, uint16_t imm,
		    struct vmsa_exception *out)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];
	bool a32 = exc_runs_aarch32(s, el, guest_aarch32);

	switch (type) {
	case VMSA_EXC_SVC:
		svc(out, el, a32, hcr, imm);
		return false;
	case VMSA_EXC_HVC:
		return hvc(out, el, a32, hcr, imm);
	default:
		smc(out, el, a32, hcr, imm);
		return true;
	}
}

/*
 * Deliver e, whose preferred return address is the instruction itself,
 * with vmsa_skip_insn() allowed in its handler (and only there: a nested
 * exception's handler runs one level deeper). Returns true when the
 * handler returned; *skipped says whether it skipped the instruction.
 */
static bool take_skippable(vmsa_machine_t *m, int cpu,
			   const struct vmsa_exception *e, bool *skipped)
{
	struct cpu *c = &m->cpu[cpu];
	unsigned depth0 = c->skip_depth;
	bool skipped0 = c->skipped, ok;

	c->skip_depth = c->depth + 1;
	c->skipped = false;
	ok = take_exception(m, cpu, e);
	*skipped = c->skipped;
	c->skip_depth = depth0;
	c->skipped = skipped0;
	return ok;
}

static const char *insn_name(vmsa_exc_type_t type)
{
	return type == VMSA_EXC_SVC ? "svc" :
	       type == VMSA_EXC_HVC ? "hvc" : "smc";
}

/* One instruction: a step, its exception, and what follows the
 * handler's return. */
static bool call_insn(vmsa_machine_t *m, int cpu, vmsa_exc_type_t type,
		      bool aarch32, uint16_t imm, const char *fn)
{
	if (!check_cpu(m, fn, cpu) || !check_exec_state(m, fn, cpu, aarch32))
		return false;
	for (;;) {
		struct vmsa_exception e;
		struct cpu *c;
		bool this_insn, skipped = false;

		if (!step_begin(m, cpu))
			return false;
		c = &m->cpu[cpu];
		this_insn = exc_call_check(&c->regs, type, c->el, aarch32, imm,
					   &e);
		trace(m, cpu, insn_name(type), "#0x%x at EL%u%s", imm, c->el,
		      e.type == VMSA_EXC_UNDEFINED ? ": UNDEFINED" : "");
		if (!this_insn)
			return take_exception(m, cpu, &e);
		if (!take_skippable(m, cpu, &e, &skipped))
			return false;
		if (skipped)
			return true;
	}
}

bool vmsa_svc(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32, uint16_t imm)
{
	return call_insn(m, cpu, VMSA_EXC_SVC, aarch32, imm, "vmsa_svc");
}

bool vmsa_hvc(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32, uint16_t imm)
{
	return call_insn(m, cpu, VMSA_EXC_HVC, aarch32, imm, "vmsa_hvc");
}

bool vmsa_smc(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32, uint16_t imm)
{
	return call_insn(m, cpu, VMSA_EXC_SMC, aarch32, imm, "vmsa_smc");
}

void vmsa_skip_insn(vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	if (m->stopped || !check_cpu(m, "vmsa_skip_insn", cpu) ||
	    !check_skip(m, "vmsa_skip_insn", cpu))
		return;
	trace(m, cpu, "skip", "ELR_EL%u past the instruction",
	      m->cpu[cpu].el);
	m->cpu[cpu].skipped = true;
}
