/*
 * tests/model/test_call.c - SVC, HVC and SMC (src/model/call.c): which
 * exception each raises from each EL (C6.2.174 HVC, C6.2.371 SMC,
 * AArch64.CallSupervisor; HCR_EL2.HCD, TSC, TGE in D24.2.62), the exact
 * ESR (D24.2.46: EC 0x15/0x16/0x17, 0x11/0x12/0x13 from AArch32, ISS =
 * imm16), and what follows the handler: SVC and HVC go on after the
 * instruction, an UNDEFINED one and a trapped SMC are retried unless the
 * handler skips them (vmsa_skip_insn).
 */
#include <string.h>

#include "harness.h"
#include "model/exc.h"
#include "vmsa/model.h"

#define TGE VMSA_HCR_TGE
#define E2H VMSA_HCR_E2H
#define HCD VMSA_HCR_HCD
#define TSC VMSA_HCR_TSC

#define ESR_UNKNOWN 0x02000000u /* EC 0x00, IL */

static struct sysregs hcr_regs(uint64_t hcr)
{
	struct sysregs s;

	sysreg_reset(&s);
	s.r[VMSA_REG_HCR_EL2] = hcr;
	return s;
}

/* exc_call_check() gives exactly this exception and return kind. */
#define CHECK_CALL(s, type_, el, a32, imm, this_, etype, to, esr_, to32) \
	do {                                                             \
		struct vmsa_exception e_;                                \
		CHECK_EQ(exc_call_check(&(s), (type_), (el), (a32), (imm), \
					&e_), (this_));                  \
		CHECK_EQ(e_.type, (etype));                              \
		CHECK_EQ(e_.from_el, (el));                              \
		CHECK_EQ(e_.to_el, (to));                                \
		CHECK_EQ(e_.esr, (esr_));                                \
		CHECK_EQ(e_.to_aarch32, (to32));                         \
		CHECK(!e_.far_valid);                                    \
		CHECK(!e_.hpfar_valid);                                  \
	} while (0)

TEST(call_svc_routing)
{
	struct sysregs s = hcr_regs(0);

	/* EC 0x15, IL, imm16: 0x56000000 | 0x2000000 | imm. */
	CHECK_CALL(s, VMSA_EXC_SVC, 0, false, 0x1234, false, VMSA_EXC_SVC, 1,
		   0x56001234u, false);
	CHECK_CALL(s, VMSA_EXC_SVC, 1, false, 7, false, VMSA_EXC_SVC, 1,
		   0x56000007u, false);
	CHECK_CALL(s, VMSA_EXC_SVC, 2, false, 0xffff, false, VMSA_EXC_SVC, 2,
		   0x5600ffffu, false);
	/* TGE = 1: EL0's SVC goes to EL2. */
	s = hcr_regs(TGE);
	CHECK_CALL(s, VMSA_EXC_SVC, 0, false, 1, false, VMSA_EXC_SVC, 2,
		   0x56000001u, false);
	/* AArch32 (EC 0x11): to the guest's EL1 in AArch32, or with
	 * TGE = 1 to EL2 (the only case ESR_EL2 reports EC 0x11). */
	s = hcr_regs(0);
	CHECK_CALL(s, VMSA_EXC_SVC, 0, true, 2, false, VMSA_EXC_SVC, 1,
		   0x46000002u, true);
	s = hcr_regs(TGE);
	CHECK_CALL(s, VMSA_EXC_SVC, 0, true, 2, false, VMSA_EXC_SVC, 2,
		   0x46000002u, false);
}

TEST(call_hvc_routing)
{
	struct sysregs s = hcr_regs(0);

	/* EC 0x16 to EL2 from EL1 and EL2. */
	CHECK_CALL(s, VMSA_EXC_HVC, 1, false, 0x42, false, VMSA_EXC_HVC, 2,
		   0x5a000042u, false);
	CHECK_CALL(s, VMSA_EXC_HVC, 2, false, 0x43, false, VMSA_EXC_HVC, 2,
		   0x5a000043u, false);
	/* AArch32 guest's HVC: EC 0x12, to EL2 in AArch64. */
	CHECK_CALL(s, VMSA_EXC_HVC, 1, true, 0x44, false,
		   VMSA_EXC_HVC, 2, 0x4a000044u, false);
	/* UNDEFINED at EL0: to EL1 (AArch32 for a 32-bit guest), EL2 with
	 * TGE = 1; retried (ThisInstrAddr). */
	CHECK_CALL(s, VMSA_EXC_HVC, 0, false, 1, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, false);
	CHECK_CALL(s, VMSA_EXC_HVC, 0, true, 1, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, true);
	s = hcr_regs(TGE);
	CHECK_CALL(s, VMSA_EXC_HVC, 0, false, 1, true, VMSA_EXC_UNDEFINED, 2,
		   ESR_UNKNOWN, false);
	/* HCD = 1 (no EL3: the control C6.2.174 names): UNDEFINED at EL1
	 * and EL2, taken to that EL. */
	s = hcr_regs(HCD);
	CHECK_CALL(s, VMSA_EXC_HVC, 1, false, 1, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, false);
	CHECK_CALL(s, VMSA_EXC_HVC, 2, false, 1, true, VMSA_EXC_UNDEFINED, 2,
		   ESR_UNKNOWN, false);
	CHECK_CALL(s, VMSA_EXC_HVC, 1, true, 1, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, true);
}

TEST(call_smc_routing)
{
	struct sysregs s = hcr_regs(TSC);

	/* TSC = 1: EL1's SMC trapped to EL2, EC 0x17 with imm16; from
	 * AArch32 EC 0x13 with ISS 0 (unconditional: CCKNOWNPASS = 0, CV
	 * and COND RES0). Retried: the trap's preferred return address is
	 * the SMC itself. */
	CHECK_CALL(s, VMSA_EXC_SMC, 1, false, 0x99, true, VMSA_EXC_SMC, 2,
		   0x5e000099u, false);
	CHECK_CALL(s, VMSA_EXC_SMC, 1, true, 0x99, true, VMSA_EXC_SMC, 2,
		   0x4e000000u, false);
	/* EL0 and EL2: UNDEFINED whatever TSC says (no EL3). */
	CHECK_CALL(s, VMSA_EXC_SMC, 0, false, 0, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, false);
	CHECK_CALL(s, VMSA_EXC_SMC, 2, false, 0, true, VMSA_EXC_UNDEFINED, 2,
		   ESR_UNKNOWN, false);
	/* TSC = 0 at EL1: UNDEFINED to EL1. */
	s = hcr_regs(0);
	CHECK_CALL(s, VMSA_EXC_SMC, 1, false, 0, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, false);
	CHECK_CALL(s, VMSA_EXC_SMC, 1, true, 0, true, VMSA_EXC_UNDEFINED, 1,
		   ESR_UNKNOWN, true);
}

TEST(call_exception_format)
{
	struct sysregs s = hcr_regs(0);
	struct vmsa_exception e;
	char buf[160];

	exc_call_check(&s, VMSA_EXC_HVC, 1, false, 0x10, &e);
	vmsa_exception_format(buf, sizeof(buf), &e);
	CHECK_STR(buf, "HVC EL1->EL2 ESR 0x5a000010 (HVC)");
	CHECK_EQ(VMSA_ESR_IMM16(e.esr), 0x10);
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_SMC), "SMC");
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_SVC), "SVC");
}

/* ------------------------------------------------------------------ */
/* Through the machine                                                 */
/* ------------------------------------------------------------------ */

struct seen {
	unsigned calls;
	struct vmsa_exception e;
	uint64_t esr;		/* ESR of the target EL, read by MRS */
	uint64_t entry_step;
	bool skip;		/* call vmsa_skip_insn() */
	unsigned set_hcr_after;	/* on this call, clear HCR_EL2 (0: never) */
};

static void handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	struct seen *s = arg;

	s->calls++;
	s->e = *e;
	s->entry_step = vmsa_steps(m);
	s->esr = vmsa_mrs(m, cpu, e->to_el == 2 ? VMSA_REG_ESR_EL2
						 : VMSA_REG_ESR_EL1);
	if (s->skip)
		vmsa_skip_insn(m, cpu);
	if (s->set_hcr_after && s->calls == s->set_hcr_after)
		vmsa_msr(m, cpu, VMSA_REG_HCR_EL2, 0);
}

static vmsa_machine_t *machine(void)
{
	vmsa_features_t f = vmsa_features_default();
	const char *why = NULL;
	vmsa_machine_t *m;

	f.ncpus = 1;
	m = vmsa_machine_new(&f, &why);
	if (!m)
		vt_fail(__FILE__, __LINE__, "vmsa_machine_new: %s", why);
	return m;
}

/* A guest at EL1 makes an HVC: the EL2 handler sees ESR_EL2 = EC 0x16
 * with the immediate; the return goes on after the HVC at EL1. Steps:
 * the HVC, the entry, the handler's MRS, the return: 4. */
TEST(call_hvc_returns_after_instruction)
{
	vmsa_machine_t *m = machine();
	struct seen s;
	uint64_t step;

	memset(&s, 0, sizeof(s));
	vmsa_set_handler(m, 0, 2, handler, &s);
	vmsa_eret(m, 0, 1);
	step = vmsa_steps(m);
	CHECK(vmsa_hvc(m, 0, false, 0x4b1d));
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.esr, 0x5a004b1du);
	CHECK_EQ(s.e.type, VMSA_EXC_HVC);
	CHECK_EQ(s.entry_step, step + 2);
	CHECK_EQ(vmsa_steps(m), step + 4);
	CHECK_EQ(vmsa_current_el(m, 0), 1);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* An SVC at EL0 with the guest's EL1 handler: ESR_EL1 = EC 0x15. */
TEST(call_svc_el0_to_el1)
{
	vmsa_machine_t *m = machine();
	struct seen s;

	memset(&s, 0, sizeof(s));
	vmsa_set_handler(m, 0, 1, handler, &s);
	vmsa_eret(m, 0, 0);
	CHECK(vmsa_svc(m, 0, false, 3));
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.esr, 0x56000003u);
	CHECK_EQ(s.e.to_el, 1);
	CHECK_EQ(vmsa_current_el(m, 0), 0);
	vmsa_machine_free(m);
}

/* A trapped SMC is retried: the handler that does not skip it sees it
 * again. Here it clears TSC on its first call, so the retry is
 * UNDEFINED at EL1 and goes to EL1's handler, which skips it. */
TEST(call_smc_trap_retried_until_skipped)
{
	vmsa_machine_t *m = machine();
	struct seen s1, s2;

	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	s2.set_hcr_after = 1;
	s1.skip = true;
	vmsa_set_handler(m, 0, 1, handler, &s1);
	vmsa_set_handler(m, 0, 2, handler, &s2);
	vmsa_msr(m, 0, VMSA_REG_HCR_EL2, TSC);
	vmsa_eret(m, 0, 1);
	CHECK(vmsa_smc(m, 0, false, 5));
	CHECK_EQ(s2.calls, 1);
	CHECK_EQ(s2.esr, 0x5e000005u);
	CHECK_EQ(s1.calls, 1);
	CHECK_EQ(s1.esr, ESR_UNKNOWN);
	CHECK_EQ(s1.e.type, VMSA_EXC_UNDEFINED);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* The EL2 handler skips the trapped SMC (emulating it): no retry. */
TEST(call_smc_trap_skipped)
{
	vmsa_machine_t *m = machine();
	struct seen s2;
	uint64_t step;

	memset(&s2, 0, sizeof(s2));
	s2.skip = true;
	vmsa_set_handler(m, 0, 2, handler, &s2);
	vmsa_msr(m, 0, VMSA_REG_HCR_EL2, TSC);
	vmsa_eret(m, 0, 1);
	step = vmsa_steps(m);
	CHECK(vmsa_smc(m, 0, false, 5));
	CHECK_EQ(s2.calls, 1);
	/* The SMC, the entry, the MRS, the return. */
	CHECK_EQ(vmsa_steps(m), step + 4);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* With no handler an UNDEFINED HVC is an "undefined-instruction"
 * violation at the HVC's step. */
TEST(call_hvc_el0_unhandled)
{
	vmsa_machine_t *m = machine();
	const vmsa_violation_t *v;
	uint64_t step;

	vmsa_eret(m, 0, 0);
	step = vmsa_steps(m);
	CHECK(!vmsa_hvc(m, 0, false, 0));
	v = vmsa_violation(m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNDEFINED);
		CHECK_EQ(v->step, step + 1);
	}
	vmsa_machine_free(m);
}

/* vmsa_skip_insn() in the handler of an HVC (which already returns after
 * it) and outside any handler: bad calls. */
TEST(call_skip_bad_calls)
{
	vmsa_machine_t *m = machine();
	const vmsa_violation_t *v;
	struct seen s;

	vmsa_skip_insn(m, 0);
	v = vmsa_violation(m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BAD_CALL);
		CHECK_STR(v->message, "scenario error: vmsa_skip_insn: no "
			  "exception handler is running");
	}
	vmsa_machine_reset(m);
	memset(&s, 0, sizeof(s));
	s.skip = true;
	vmsa_set_handler(m, 0, 2, handler, &s);
	vmsa_eret(m, 0, 1);
	CHECK(!vmsa_hvc(m, 0, false, 0));
	v = vmsa_violation(m);
	CHECK(v != NULL);
	if (v)
		CHECK_EQ(v->kind, VMSA_V_BAD_CALL);
	vmsa_machine_free(m);
}

/* A 32-bit guest's SVC from EL0: taken to its EL1 in AArch32, which has
 * no ESR_EL1: the register (the guest's DFSR) keeps its value; the
 * handler still gets the AArch64-style record, EC 0x11. */
TEST(call_svc_aarch32_no_syndrome_register)
{
	vmsa_machine_t *m = machine();
	struct seen s;

	memset(&s, 0, sizeof(s));
	vmsa_set_handler(m, 0, 1, handler, &s);
	vmsa_msr(m, 0, VMSA_REG_ESR_EL1, 0x5eed);
	vmsa_eret(m, 0, 0);
	CHECK(vmsa_svc(m, 0, true, 0x21));
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.e.esr, 0x46000021u);
	CHECK(s.e.to_aarch32);
	CHECK(s.e.from_aarch32);
	CHECK_EQ(s.esr, 0x5eed);
	CHECK_EQ(vmsa_current_el(m, 0), 0);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}
