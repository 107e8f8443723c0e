/*
 * tests/model/test_fptrap.c - FP/SIMD access checks and their priority
 * (src/model/fptrap.c; Arm ARM D24.2.36 CPACR_EL1, D24.2.38 CPTR_EL2,
 * D24.2.52 FPEXC32_EL2, D1.4.5.6 priorities 21 and 24; ARCH-RULES.md
 * section 8).
 */
#include "harness.h"
#include "model/exc.h"

#define FPEN(v) ((uint64_t)(v) << SYSREG_FPEN_SHIFT)
#define TFP SYSREG_CPTR_TFP
#define EN SYSREG_FPEXC_EN
#define E2H VMSA_HCR_E2H
#define TGE VMSA_HCR_TGE

#define ESR_FP 0x1fe00000u     /* EC 0x07, IL, CV, COND = 0b1110 */
#define ESR_UNKNOWN 0x02000000u /* EC 0x00, IL */

static struct sysregs regs(uint64_t hcr, uint64_t cpacr, uint64_t cptr,
			   uint64_t fpexc)
{
	struct sysregs s;

	sysreg_reset(&s);
	s.r[VMSA_REG_HCR_EL2] = hcr;
	s.r[VMSA_REG_CPACR_EL1] = cpacr;
	s.r[VMSA_REG_CPTR_EL2] = cptr;
	s.r[VMSA_REG_FPEXC32_EL2] = fpexc;
	return s;
}

/* Check that the instruction takes exactly this exception. */
#define CHECK_EXC(s, el, a32, type_, to, esr_, cause_)                  \
	do {                                                             \
		struct vmsa_exception e_;                                \
		CHECK_EQ(exc_fp_check(&(s), (el), (a32), &e_), 1);       \
		CHECK_EQ(e_.type, (type_));                              \
		CHECK_EQ(e_.from_el, (el));                              \
		CHECK_EQ(e_.to_el, (to));                                \
		CHECK_EQ(e_.esr, (esr_));                                \
		CHECK_STR(e_.cause, (cause_));                           \
	} while (0)

#define CHECK_OK(s, el, a32)                                             \
	do {                                                             \
		struct vmsa_exception e_;                                \
		CHECK_EQ(exc_fp_check(&(s), (el), (a32), &e_), 0);       \
	} while (0)

TEST(fp_enabled_everywhere)
{
	struct sysregs s = regs(0, FPEN(3), 0, EN);

	CHECK_OK(s, 0, false);
	CHECK_OK(s, 1, false);
	CHECK_OK(s, 2, false);
	CHECK_OK(s, 0, true);
	CHECK_OK(s, 1, true);
}

TEST(fp_reset_values_trap_el1)
{
	struct sysregs s;

	/* All zero: CPACR_EL1.FPEN = 0b00 traps EL0 and EL1 to EL1; EL2
	 * runs (TFP = 0); a 32-bit guest is UNDEFINED by CPACR. */
	sysreg_reset(&s);
	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_OK(s, 2, false);
	CHECK_EXC(s, 1, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "CPACR.cp10");
}

TEST(fp_cpacr_fpen_values)
{
	struct sysregs s;

	/* 0b00 and 0b10: EL0 and EL1 trapped; EL2 untouched. */
	s = regs(0, FPEN(2), 0, 0);
	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_OK(s, 2, false);
	/* 0b01: EL0 only. */
	s = regs(0, FPEN(1), 0, 0);
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_OK(s, 1, false);
}

TEST(fp_cpacr_with_tge_goes_to_el2_as_unknown)
{
	/* E2H = 0, TGE = 1: CPACR_EL1 still applies to EL0, but the trap
	 * is taken to EL2 with EC 0x00 (CPACR_EL1.FPEN, ESR_EL2 EC 0x07
	 * exclusion). */
	struct sysregs s = regs(TGE, FPEN(1), 0, 0);

	CHECK_EXC(s, 0, false, VMSA_EXC_UNDEFINED, 2, ESR_UNKNOWN,
		  "CPACR_EL1.FPEN");
}

TEST(fp_cptr_tfp_nvhe)
{
	struct sysregs s = regs(0, FPEN(3), TFP, EN);

	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.TFP");
	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.TFP");
	CHECK_EXC(s, 2, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.TFP");
	/* The E2H = 1 FPEN field means nothing with E2H = 0. */
	s = regs(0, FPEN(3), FPEN(0), EN);
	CHECK_OK(s, 1, false);
	CHECK_OK(s, 2, false);
}

TEST(fp_el1_trap_beats_el2_trap)
{
	/* D1.4.5.6: the trap to EL1 (priority 21) is taken, not the
	 * CPTR_EL2 one (priority 24). */
	struct sysregs s = regs(0, FPEN(0), TFP, EN);

	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	s = regs(E2H, FPEN(1), FPEN(0), EN);
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 1, ESR_FP, "CPACR_EL1.FPEN");
	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
}

TEST(fp_vhe_guest)
{
	/* E2H = 1, TGE = 0 (a VHE host running a guest): CPTR_EL2.FPEN
	 * 0bx0 traps EL0, EL1 and EL2; 0b01 traps nothing with TGE = 0. */
	struct sysregs s = regs(E2H, FPEN(3), FPEN(0), EN);

	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	CHECK_EXC(s, 2, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	s = regs(E2H, FPEN(3), FPEN(2), EN);
	CHECK_EXC(s, 1, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	s = regs(E2H, FPEN(3), FPEN(1), EN);
	CHECK_OK(s, 0, false);
	CHECK_OK(s, 1, false);
	CHECK_OK(s, 2, false);
	/* TFP's bit position is RES0 in this format. */
	s = regs(E2H, FPEN(3), FPEN(3) | TFP, EN);
	CHECK_OK(s, 1, false);
}

TEST(fp_vhe_host)
{
	/* {E2H, TGE} = {1, 1}: CPACR_EL1 has no effect on EL0; CPTR_EL2
	 * (written as CPACR_EL1 at EL2) decides. */
	struct sysregs s = regs(E2H | TGE, FPEN(0), FPEN(3), 0);

	CHECK_OK(s, 0, false);
	CHECK_OK(s, 2, false);
	/* FPEN = 0b01: EL0 trapped, EL2 not. */
	s = regs(E2H | TGE, FPEN(3), FPEN(1), 0);
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	CHECK_OK(s, 2, false);
	/* FPEN = 0b00: both. */
	s = regs(E2H | TGE, FPEN(3), FPEN(0), 0);
	CHECK_EXC(s, 0, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	CHECK_EXC(s, 2, false, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	/* EL1 is AArch64 in host mode: guest_aarch32 and FPEXC ignored. */
	s = regs(E2H | TGE, FPEN(0), FPEN(3), 0);
	CHECK_OK(s, 0, true);
}

TEST(fp_aarch32_guest_fpexc_beats_cptr)
{
	/* The KVM case (ARCH-RULES.md section 8): a 32-bit guest with
	 * FPEXC32_EL2.EN = 0 and CPTR_EL2.TFP = 1 takes its own UNDEFINED
	 * at EL1, not the hypervisor's trap. */
	struct sysregs s = regs(0, FPEN(3), TFP, 0);
	struct vmsa_exception e;

	CHECK_EXC(s, 1, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "FPEXC32_EL2.EN");
	CHECK_EXC(s, 0, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "FPEXC32_EL2.EN");
	CHECK_EQ(exc_fp_check(&s, 1, true, &e), 1);
	CHECK(e.to_aarch32);
	CHECK(e.from_aarch32);

	/* EN = 1 and TFP = 1: the trap to EL2, EC 0x07 from AArch32. */
	s = regs(0, FPEN(3), TFP, EN);
	CHECK_EXC(s, 1, true, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.TFP");
	CHECK_EQ(exc_fp_check(&s, 0, true, &e), 1);
	CHECK(!e.to_aarch32);
	CHECK(e.from_aarch32);

	/* EN = 1, TFP = 0: runs. */
	s = regs(0, FPEN(3), 0, EN);
	CHECK_OK(s, 1, true);
	CHECK_OK(s, 0, true);
}

TEST(fp_aarch32_guest_cpacr_first)
{
	/* CPACR is checked before FPEXC (AArch32.CheckAdvSIMDOrFPEnabled),
	 * and an AArch32 CPACR denial is UNDEFINED, not EC 0x07. */
	struct sysregs s = regs(0, FPEN(0), TFP, 0);

	CHECK_EXC(s, 1, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "CPACR.cp10");
	/* cp10 = 0b01: EL0 denied, EL1 goes on to FPEXC. */
	s = regs(0, FPEN(1), 0, EN);
	CHECK_EXC(s, 0, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "CPACR.cp10");
	CHECK_OK(s, 1, true);
	s = regs(0, FPEN(1), 0, 0);
	CHECK_EXC(s, 1, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "FPEXC32_EL2.EN");
}

TEST(fp_aarch32_guest_under_vhe)
{
	struct sysregs s = regs(E2H, FPEN(3), FPEN(0), EN);

	CHECK_EXC(s, 1, true, VMSA_EXC_FP_TRAP, 2, ESR_FP, "CPTR_EL2.FPEN");
	s = regs(E2H, FPEN(3), FPEN(0), 0);
	CHECK_EXC(s, 1, true, VMSA_EXC_UNDEFINED, 1, ESR_UNKNOWN,
		  "FPEXC32_EL2.EN");
	s = regs(E2H, FPEN(3), FPEN(1), EN);
	CHECK_OK(s, 0, true);
}

TEST(fp_aarch32_el0_with_tge)
{
	/* E2H = 0, TGE = 1, EL1 AArch32: the UNDEFINED goes to EL2 as
	 * EC 0x00 (AArch32.Undefined routes general exceptions to AArch64
	 * EL2); vmsa's IMPLEMENTATION DEFINED choice uses FPEXC32_EL2.EN. */
	struct sysregs s = regs(TGE, FPEN(3), 0, 0);
	struct vmsa_exception e;

	CHECK_EXC(s, 0, true, VMSA_EXC_UNDEFINED, 2, ESR_UNKNOWN,
		  "FPEXC32_EL2.EN");
	CHECK_EQ(exc_fp_check(&s, 0, true, &e), 1);
	CHECK(!e.to_aarch32);
}

TEST(fp_el2_ignores_guest_state)
{
	/* EL2 is AArch64: CPACR_EL1 and FPEXC32_EL2 do not apply. */
	struct sysregs s = regs(0, FPEN(0), 0, 0);

	CHECK_OK(s, 2, true);
	CHECK_OK(s, 2, false);
}
