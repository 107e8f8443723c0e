/*
 * src/model/fptrap.c - may an FP/SIMD instruction execute, or which
 * exception does it take?
 *
 * References: Arm ARM (DDI 0487) D24.2.36 CPACR_EL1.FPEN, D24.2.38
 * CPTR_EL2 (TFP with E2H = 0, FPEN with E2H = 1), D24.2.52
 * FPEXC32_EL2.EN, D24.2.46 ESR_EL2 (EC 0x07 excludes CPACR_EL1 traps
 * with HCR_EL2.TGE = 1, reported as EC 0x00), J1.2.2.33
 * AArch32.CheckAdvSIMDOrFPEnabled (AArch32 order: CPACR, then FPEXC,
 * then CPTR_EL2), D1.4.5.6 (priority 21, traps and enables to EL1,
 * before priority 24, CPTR_EL2 traps to EL2), G8.2.54 "Accessing FPEXC"
 * (VMRS/VMSR FPEXC: CPACR, then CPTR_EL2, never FPEXC.EN).
 *
 * Not modelled: SVE/SME (ZEN, SMEN, TZ, TSM, whose traps take
 * precedence over FPEN/TFP), CPACR.ASEDIS for Advanced SIMD in AArch32,
 * EL3 (CPTR_EL3.TFP), accesses from EL0 to FPSID/MVFR/FPEXC (always
 * UNDEFINED there).
 */
#include "exc.h"

/* FPEN (CPACR_EL1, or CPTR_EL2 with E2H = 1): does it disable FP at el?
 * 0b00 and 0b10 trap EL1 and EL0, 0b01 traps EL0, 0b11 traps nothing. */
static bool cpacr_disables(uint64_t cpacr, unsigned el)
{
	unsigned fpen = (unsigned)(cpacr >> SYSREG_FPEN_SHIFT) & 3;

	if (!(fpen & 1))
		return true;
	return fpen == 1 && el == 0;
}

/*
 * CPTR_EL2 for an instruction at el (AArch64.CheckFPAdvSIMDTrap). With
 * E2H = 1: FPEN 0bx0 traps EL0, EL1 and EL2; 0b01 traps EL0 only when
 * TGE = 1; 0b11 nothing. With E2H = 0: TFP traps all three.
 */
static bool cptr_traps(uint64_t cptr, uint64_t hcr, unsigned el)
{
	unsigned fpen;

	if (!(hcr & VMSA_HCR_E2H))
		return cptr & SYSREG_CPTR_TFP;
	fpen = (unsigned)(cptr >> SYSREG_FPEN_SHIFT) & 3;
	if (!(fpen & 1))
		return true;
	return fpen == 1 && el == 0 && (hcr & VMSA_HCR_TGE);
}

/*
 * A trap by CPACR_EL1.FPEN (AArch64.AdvSIMDFPAccessTrap(EL1)): EC 0x07
 * to EL1, or with HCR_EL2.TGE = 1 to EL2 as an exception with an unknown
 * reason (EC 0x00).
 */
static void cpacr_trap(struct vmsa_exception *out, unsigned el, uint64_t hcr)
{
	if (hcr & VMSA_HCR_TGE)
		exc_build_undef(out, el, 2);
	else
		exc_build_fp_trap(out, el, 1, false, 0xe);
	out->cause = "CPACR_EL1.FPEN";
}

/*
 * The checks before CPTR_EL2 for an AArch32 guest at EL0/EL1: CPACR.cp10
 * (CPACR_EL1[21:20]; the reserved 0b10 is CONSTRAINED UNPREDICTABLE,
 * vmsa disables as AArch64's FPEN = 0b10 does), then FPEXC.EN. With
 * TGE = 1 (and RW = 0) it is IMPLEMENTATION DEFINED whether FPEXC.EN is
 * used at EL0: vmsa uses it.
 */
static bool aarch32_el1_checks(const struct sysregs *s, unsigned el,
			       struct vmsa_exception *out)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];

	if (cpacr_disables(s->r[VMSA_REG_CPACR_EL1], el)) {
		exc_build_aarch32_undef(out, el, hcr, "CPACR.cp10");
		return true;
	}
	if (!(s->r[VMSA_REG_FPEXC32_EL2] & SYSREG_FPEXC_EN)) {
		exc_build_aarch32_undef(out, el, hcr, "FPEXC32_EL2.EN");
		return true;
	}
	return false;
}

bool exc_runs_aarch32(const struct sysregs *s, unsigned el, bool requested)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];

	return requested && el < 2 &&
	       !((hcr & VMSA_HCR_E2H) && (hcr & VMSA_HCR_TGE));
}

int exc_fp_check(const struct sysregs *s, unsigned el, bool guest_aarch32,
		 struct vmsa_exception *out)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];
	bool host = (hcr & VMSA_HCR_E2H) && (hcr & VMSA_HCR_TGE);
	bool a32 = exc_runs_aarch32(s, el, guest_aarch32);

	if (el < 2) {
		if (a32) {
			if (aarch32_el1_checks(s, el, out))
				return 1;
		} else if (!host &&
			   cpacr_disables(s->r[VMSA_REG_CPACR_EL1], el)) {
			/* CPACR_EL1 has no effect at EL0 when in host. */
			cpacr_trap(out, el, hcr);
			return 1;
		}
	}
	if (el <= 2 && cptr_traps(s->r[VMSA_REG_CPTR_EL2], hcr, el)) {
		exc_build_fp_trap(out, el, 2, a32, 0xe);
		out->cause = (hcr & VMSA_HCR_E2H) ? "CPTR_EL2.FPEN"
						  : "CPTR_EL2.TFP";
		return 1;
	}
	return 0;
}

int exc_fpexc_check(const struct sysregs *s, unsigned el,
		    struct vmsa_exception *out)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];

	if (el == 0) {
		exc_build_aarch32_undef(out, el, hcr, "FPEXC at EL0");
		return 1;
	}
	/* CPACR.cp10 == 0b00 (G8.2.54); the reserved 0b10 is disabled as
	 * for FP instructions above, so cpacr_disables() is the test. */
	if (cpacr_disables(s->r[VMSA_REG_CPACR_EL1], el)) {
		exc_build_aarch32_undef(out, el, hcr, "CPACR.cp10");
		return 1;
	}
	/* No FPEXC.EN check: EN = 0 leaves VMRS/VMSR FPEXC enabled. At EL1
	 * the E2H = 1 FPEN 0b01 case traps EL0 only, as cptr_traps() has
	 * it. */
	if (cptr_traps(s->r[VMSA_REG_CPTR_EL2], hcr, el)) {
		exc_build_fp_trap(out, el, 2, true, 0xe);
		out->cause = (hcr & VMSA_HCR_E2H) ? "CPTR_EL2.FPEN"
						  : "CPTR_EL2.TFP";
		return 1;
	}
	return 0;
}
