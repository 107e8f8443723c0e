/*
 * vmsa/sysreg.h - the system registers a simulated CPU has, by name.
 *
 * Scenario code passes these to vmsa_msr()/vmsa_mrs() (vmsa/model.h).
 * The names are the architectural accessor names: an access at EL2 with
 * HCR_EL2.E2H = 1 to a *_EL1 name that FEAT_VHE redirects (SCTLR_EL1,
 * TTBR0_EL1, ...) reaches the EL2 register, and the *_EL12 names reach
 * the EL1 registers from there, as on hardware (Arm ARM D24.2, the
 * "Accessing" part of each register page).
 */
#ifndef VMSA_SYSREG_H
#define VMSA_SYSREG_H

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

enum vmsa_sysreg {
	/* EL1&0 translation */
	VMSA_REG_TTBR0_EL1,
	VMSA_REG_TTBR1_EL1,
	VMSA_REG_TCR_EL1,
	VMSA_REG_SCTLR_EL1,
	VMSA_REG_MAIR_EL1,
	VMSA_REG_CONTEXTIDR_EL1,
	/* stage 2 and hypervisor control */
	VMSA_REG_VTTBR_EL2,
	VMSA_REG_VTCR_EL2,
	VMSA_REG_HCR_EL2,
	/* EL2 and EL2&0 translation */
	VMSA_REG_TTBR0_EL2,
	VMSA_REG_TTBR1_EL2,		/* used with HCR_EL2.E2H = 1 */
	VMSA_REG_TCR_EL2,
	VMSA_REG_SCTLR_EL2,
	VMSA_REG_MAIR_EL2,
	VMSA_REG_CONTEXTIDR_EL2,	/* target of CONTEXTIDR_EL1 at EL2, E2H = 1 */
	/* FP/SIMD access control */
	VMSA_REG_CPTR_EL2,
	VMSA_REG_CPACR_EL1,
	VMSA_REG_FPEXC32_EL2,
	/* address translation result */
	VMSA_REG_PAR_EL1,
	/* exception syndrome, addresses, return state, vectors */
	VMSA_REG_ESR_EL1,
	VMSA_REG_ESR_EL2,
	VMSA_REG_FAR_EL1,
	VMSA_REG_FAR_EL2,
	VMSA_REG_HPFAR_EL2,
	VMSA_REG_ELR_EL1,
	VMSA_REG_ELR_EL2,
	VMSA_REG_SPSR_EL1,
	VMSA_REG_SPSR_EL2,
	VMSA_REG_VBAR_EL1,
	VMSA_REG_VBAR_EL2,
	/* Statistical Profiling Extension buffer (no EL2 counterparts) */
	VMSA_REG_PMBLIMITR_EL1,
	VMSA_REG_PMBPTR_EL1,
	VMSA_REG_PMBSR_EL1,

	/* Registers with storage: struct sysregs has this many. */
	VMSA_REG_COUNT,

	/*
	 * FEAT_VHE accessor names for the EL1 registers, usable only at EL2
	 * with HCR_EL2.E2H = 1 (UNDEFINED otherwise). They have no storage
	 * of their own: they name the *_EL1 register above.
	 */
	VMSA_REG_SCTLR_EL12 = VMSA_REG_COUNT,
	VMSA_REG_TTBR0_EL12,
	VMSA_REG_TTBR1_EL12,
	VMSA_REG_TCR_EL12,
	VMSA_REG_MAIR_EL12,
	VMSA_REG_CONTEXTIDR_EL12,
	VMSA_REG_CPACR_EL12,
	VMSA_REG_ESR_EL12,
	VMSA_REG_FAR_EL12,
	VMSA_REG_ELR_EL12,
	VMSA_REG_SPSR_EL12,
	VMSA_REG_VBAR_EL12,

	/* Every name, storage and accessor-only. */
	VMSA_REG_END
};

/* The register's architectural name, "TTBR0_EL1" ("?" when out of
 * range). Defined for every value below VMSA_REG_END. */
const char *vmsa_sysreg_name(enum vmsa_sysreg r);

/* Parse a register name, case-insensitively ("ttbr0_el1", "SCTLR_EL12").
 * Returns 0 and sets *r, or -EINVAL for an unknown name or NULL (*r
 * untouched). */
int vmsa_sysreg_parse(const char *s, enum vmsa_sysreg *r);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
