/*
 * src/model/sysreg.h - a CPU's system registers: storage, which EL may
 * access each one, FEAT_VHE redirection, and the translation regime the
 * registers select for an EL.
 *
 * Assumptions (the machine vmsa models): EL2 implemented and enabled,
 * Non-secure state, no EL3, FEAT_VHE and FEAT_AA32EL1 implemented,
 * FEAT_NV not implemented (HCR_EL2.NV is not modelled: *_EL2 registers
 * and *_EL12 names are UNDEFINED at EL1).
 */
#ifndef VMSA_MODEL_SYSREG_H
#define VMSA_MODEL_SYSREG_H

#include "vmsa/arch.h"
#include "vmsa/sysreg.h"

/* Bits of the registers the model reads, beyond VMSA_HCR_* (arch.h). */
#define SYSREG_HCR_RW (1ull << 31)           /* EL1 is AArch64 */
#define SYSREG_CPTR_TFP (1ull << 10)         /* E2H = 0 format */
#define SYSREG_FPEN_SHIFT 20                 /* CPACR_EL1, CPTR_EL2 (E2H = 1) */
#define SYSREG_FPEXC_EN (1ull << 30)         /* FPEXC32_EL2.EN */

/*
 * The register file. Every value is stored as written: RES0 bits are
 * kept (the manual allows a RES0 bit to be stateful) and RES1 bits are
 * not forced, as no decoder reads them.
 */
struct sysregs {
	uint64_t r[VMSA_REG_COUNT];
};

/*
 * Reset: every register 0. The manual makes most of these fields UNKNOWN
 * on a Warm reset; 0 is one permitted value and makes the MMUs, stage 2
 * and all traps of CPTR_EL2 (E2H = 0 format) off, while CPACR_EL1.FPEN =
 * 0b00 traps FP at EL0/EL1 and FPEXC32_EL2.EN = 0 makes AArch32 FP
 * UNDEFINED, as on a CPU whose firmware did not enable them. The RES1
 * bits of SCTLR_ELx, TCR_EL2 (E2H = 0) and CPTR_EL2 (E2H = 0) are left 0:
 * nothing in vmsa reads them. The caller sets machine-wide values (such
 * as HCR_EL2.FB) afterwards.
 */
void sysreg_reset(struct sysregs *s);

/* True for a name with storage (below VMSA_REG_COUNT). */
bool sysreg_has_storage(enum vmsa_sysreg reg);

/*
 * May `el` (0, 1, 2) access `reg` through MRS (write = false) or MSR
 * (write = true) without the access being UNDEFINED? None of these
 * registers is accessible at EL0; *_EL1 registers are accessible at EL1
 * and EL2; *_EL2 registers and FPEXC32_EL2 at EL2 only; *_EL12 names at
 * EL2 with HCR_EL2.E2H = 1 only (D1.4.5.6 priority 19). Every register
 * here is read/write where accessible, so `write` changes nothing yet.
 * Traps that are not UNDEFINED (CPTR_EL2.TFP on FPEXC32_EL2) are for
 * exc_sysreg_check().
 */
bool sysreg_access_ok(enum vmsa_sysreg reg, unsigned el, bool write,
		      uint64_t hcr);

/*
 * The register an access to the name `reg` at `el` reaches: at EL2 with
 * HCR_EL2.E2H = 1, the *_EL1 names of SCTLR, TTBR0, TTBR1, TCR, MAIR,
 * CONTEXTIDR, CPACR (-> CPTR_EL2), ESR, FAR, ELR, SPSR and VBAR reach the
 * EL2 registers; PAR_EL1 and the PMB*_EL1 registers are not redirected;
 * a *_EL12 name always gives its *_EL1 register. The result always has
 * storage. Call after sysreg_access_ok().
 */
enum vmsa_sysreg sysreg_redirect(enum vmsa_sysreg reg, unsigned el,
				 uint64_t hcr);

/* MRS/MSR after the access check: read or write the register `reg`
 * names at `el` (with sysreg_redirect()). */
uint64_t sysreg_get(const struct sysregs *s, enum vmsa_sysreg reg,
		    unsigned el);
void sysreg_set(struct sysregs *s, enum vmsa_sysreg reg, unsigned el,
		uint64_t v);

/*
 * The translation regime the CPU's accesses at `el` use, built with the
 * decoders of src/arch/regs.c:
 *  - EL0 with HCR_EL2.{E2H, TGE} = {1, 1}, and EL2 with E2H = 1: EL2&0
 *    (TCR_EL2 in the TCR_EL1 format, TTBR0_EL2 and TTBR1_EL2);
 *  - EL2 with E2H = 0: EL2 (TTBR0_EL2 only);
 *  - EL0 and EL1 otherwise: EL1&0, stage 1 from the EL1 registers
 *    (HCR_EL2.DC applied, and with TGE = 1 SCTLR_EL1.M treated as 0),
 *    stage 2 from VTCR_EL2/VTTBR_EL2/HCR_EL2 (HCR_EL2.FWB only when
 *    FEAT_S2FWB is implemented, else it is RES0 and ignored); the HA
 *    and HD bits of TCR_ELx/VTCR_EL2 only with FEAT_HAFDBS.
 * out->s2 is meaningful for EL1&0 only (zero otherwise, stage 2 marked
 * disabled). A reserved value (TGn, PS) in a stage that is disabled is
 * no error, as nothing is translated with it. Returns 0, or -EINVAL with
 * *why set to a static message: a reserved value of an enabled stage
 * (the decoder's message), a bad pa_bits, el > 2, or EL1 with
 * HCR_EL2.TGE = 1 (unreachable: an exception return to EL1 is illegal).
 */
int sysreg_regime(const struct sysregs *s, unsigned el, unsigned pa_bits,
		  bool s2fwb_implemented, bool hafdbs_implemented,
		  vmsa_regime_cfg_t *out, const char **why);

#endif
