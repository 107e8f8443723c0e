/*
 * src/model/exc.h - synchronous exceptions: where an abort goes, the
 * syndrome it records, FP/SIMD access checks (fptrap.c) and UNDEFINED
 * system register accesses.
 *
 * The exception record is public (vmsa/exc.h): handlers receive it.
 * Rule IDs are the Arm ARM's (DDI 0487): D8.15 (memory aborts, TLB
 * conflict aborts), D24.2.46 ESR_EL2, D24.2.76 HPFAR_EL2,
 * D1.4.5.6 (priorities).
 */
#ifndef VMSA_MODEL_EXC_H
#define VMSA_MODEL_EXC_H

#include "vmsa/exc.h"

#include "sysreg.h"

/*
 * The EL an MMU fault (Data or Instruction Abort) of an access at
 * `from_el` is taken to, with HCR_EL2 `hcr` and the regime `cfg` the
 * access was translated with (as sysreg_regime() built it):
 *  - from EL2: EL2;
 *  - from EL0/EL1: EL2 when the fault is a stage 2 fault (stage 2 faults
 *    on a stage 1 walk included) or HCR_EL2.TGE = 1, else EL1 (D8.15
 *    IYMZWZ; AArch64.Abort routing);
 *  - a TLB conflict abort of EL1&0 with both stages enabled (RQWTKL):
 *    EL2 when FEAT_BBML1 is implemented (bbm_level >= 1), as every
 *    conflict vmsa raises comes from a change of block size or of the
 *    Contiguous bit; otherwise IMPLEMENTATION DEFINED: EL2 if
 *    conflict_to_el2, else EL1. With only one stage enabled the conflict
 *    comes from that stage (RZMVZT) and is routed as its faults are.
 * For other faults, bbm_level and conflict_to_el2 are ignored.
 */
unsigned exc_abort_target_el(const vmsa_fault_t *f, unsigned from_el,
			     uint64_t hcr, const vmsa_regime_cfg_t *cfg,
			     unsigned bbm_level, bool conflict_to_el2);

/* What the faulting instruction was, beyond the fault itself. */
struct exc_abort_info {
	bool insn;              /* instruction fetch: Instruction Abort */
	bool write;             /* the instruction writes memory */
	bool cm;                /* a cache maintenance (DC/IC by VA) or AT
				   instruction: CM = 1 and WnR = 1 */
	bool from_aarch32;
	/*
	 * Instruction syndrome, for a single general-purpose register load
	 * or store without writeback. It is reported (ISV = 1) only for a
	 * stage 2 Translation, Access flag, Permission or Address size
	 * fault not on a stage 1 walk, taken to EL2; every other Data Abort
	 * has ISV = 0 (ESR_EL2 ISV; FEAT_LS64 not implemented).
	 */
	bool isv;
	unsigned sas;           /* access size: 0 byte .. 3 doubleword */
	bool sse;               /* sign-extending load */
	unsigned srt;           /* transfer register number */
	bool sf;                /* 64-bit register */
	bool ar;                /* acquire/release */
};

/*
 * Build the exception an MMU fault `f` raises, taken from `from_el` to
 * `to_el` (exc_abort_target_el()). ESR: EC 0x24/0x25 (Data Abort from a
 * lower / the same EL) or 0x20/0x21 (Instruction Abort); IL = 1; ISS
 * with DFSC/IFSC = vmsa_fault_fsc(f->kind, f->level) (0x30 for a TLB
 * conflict), S1PTW for stage 2 faults on a stage 1 walk, and for Data
 * Aborts WnR (write or cm), CM, and the instruction syndrome as
 * described above. FAR = f->va. HPFAR_EL2.FIPA = IPA[47:12] in bits
 * [39:4] (no FEAT_LPA: bits [43:40] RES0), from f->ipa, only where the
 * manual writes it (D24.2.76): a stage 2
 * Translation, Access flag or Address size fault, and a stage 2
 * Permission fault on a stage 1 walk; it is UNKNOWN (hpfar_valid =
 * false) for a stage 2 Permission fault on the access itself, for a TLB
 * conflict (IJYDXJ) and for External aborts.
 */
void exc_build_abort_ex(struct vmsa_exception *e, const vmsa_fault_t *f,
			const struct exc_abort_info *info, unsigned from_el,
			unsigned to_el);

/* exc_build_abort_ex() for an AArch64 access without an instruction
 * syndrome or cache maintenance. */
void exc_build_abort(struct vmsa_exception *e, const vmsa_fault_t *f,
		     bool insn, bool write, unsigned from_el, unsigned to_el);

/* An exception reported with EC 0x00 (unknown reason): IL = 1, ISS = 0,
 * so ESR = 0x02000000; FAR and HPFAR UNKNOWN. */
void exc_build_undef(struct vmsa_exception *e, unsigned from_el,
		     unsigned to_el);

/*
 * An FP/SIMD access trap, EC 0x07: IL = 1, CV = 1, COND = 0b1110 for an
 * access from AArch64, or `cond` (an A32 instruction's condition field,
 * 0b1110 when unconditional or known to pass) from AArch32. The manual
 * also lets a T32 trap report CV = 0; vmsa always reports CV = 1.
 */
void exc_build_fp_trap(struct vmsa_exception *e, unsigned from_el,
		       unsigned to_el, bool from_aarch32, unsigned cond);

/*
 * An UNDEFINED AArch32 instruction of a 32-bit guest at EL0/EL1
 * (AArch32.Undefined): taken to the guest's EL1 in AArch32 (to_aarch32,
 * no syndrome register written), or with HCR_EL2.TGE = 1 (from EL0) to
 * EL2 in AArch64 with EC 0x00. from_aarch32 is set; cause is kept for
 * traces.
 */
void exc_build_aarch32_undef(struct vmsa_exception *e, unsigned from_el,
			     uint64_t hcr, const char *cause);

/*
 * An SVC, HVC or trapped SMC (type VMSA_EXC_SVC, _HVC, _SMC) from
 * `from_el` to `to_el` (D24.2.46): EC 0x15/0x16/0x17, or 0x11/0x12/0x13
 * from AArch32; IL = 1 (32-bit instructions); ISS = imm, except for an
 * AArch32 SMC, whose ISS is 0 (unconditional: CCKNOWNPASS = 0, so CV and
 * COND are RES0). FAR and HPFAR UNKNOWN.
 */
void exc_build_call(struct vmsa_exception *e, vmsa_exc_type_t type,
		    unsigned from_el, unsigned to_el, bool from_aarch32,
		    uint16_t imm);

/*
 * Does an instruction the caller says is AArch32 (`requested`, the
 * aarch32 argument of the public operations) run in AArch32 at el? Only
 * at EL0 and EL1 outside {E2H, TGE} = {1, 1}: EL2 and the host's EL0
 * use AArch64 in the model (no EL3, EL2 AArch64). Whether HCR_EL2.RW
 * allows it is the caller's check (check_exec_state, validate.c).
 */
bool exc_runs_aarch32(const struct sysregs *s, unsigned el, bool requested);

/*
 * The exception an SVC, HVC or SMC instruction (type VMSA_EXC_SVC, _HVC,
 * _SMC) with immediate imm at `el` raises, with the CPU's registers `s`
 * (call.c; `guest_aarch32` as for exc_fp_check()). Every one raises an
 * exception in the model (it has no EL3 for an SMC to reach):
 *  - SVC (AArch64.CallSupervisor): EL0 to EL1, or EL2 with TGE = 1; EL1
 *    to EL1; EL2 to EL2.
 *  - HVC (C6.2.174): UNDEFINED at EL0, and with HCR_EL2.HCD = 1 at EL1
 *    and EL2 (taken to that EL); else to EL2.
 *  - SMC (AArch64.CheckForSMCUndefOrTrap): UNDEFINED at EL0 and EL2;
 *    at EL1 trapped to EL2 with HCR_EL2.TSC = 1 (the IMPLEMENTATION
 *    DEFINED trap without EL3 that the model implements), else
 *    UNDEFINED.
 * Returns true when the exception's preferred return address is the
 * instruction itself (UNDEFINED, trapped SMC: ThisInstrAddr), false when
 * it is the next instruction (SVC, HVC: NextInstrAddr).
 */
bool exc_call_check(const struct sysregs *s, vmsa_exc_type_t type,
		    unsigned el, bool guest_aarch32, uint16_t imm,
		    struct vmsa_exception *out);

/*
 * VMRS/VMSR FPEXC by a 32-bit guest at `el` (0 or 1), with the CPU's
 * registers `s` (fptrap.c; G8.2.54 "Accessing FPEXC", no EL3, EL2 using
 * AArch64). Returns 0 when the access goes ahead, or 1 with *out set:
 *  - EL0: UNDEFINED;
 *  - EL1: CPACR.cp10 disabling EL1 (0b00; and the reserved 0b10, which
 *    vmsa treats as 0b00 everywhere): UNDEFINED; then CPTR_EL2.TFP
 *    (E2H = 0) or CPTR_EL2.FPEN = 0bx0 (E2H = 1): EC 0x07 to EL2
 *    (AArch32SystemAccessTrap(EL2, 0x07); ISS CV = 1, COND = 0b1110).
 * FPEXC.EN is not checked: EN = 0 does not disable FPEXC accesses.
 */
int exc_fpexc_check(const struct sysregs *s, unsigned el,
		    struct vmsa_exception *out);

/*
 * The EL an UNDEFINED instruction at `from_el` is taken to
 * (AArch64.Undefined): the current EL at EL1/EL2; from EL0, EL2 when
 * HCR_EL2.TGE = 1, else EL1.
 */
unsigned exc_undef_target_el(unsigned from_el, uint64_t hcr);

/*
 * Check an MRS (write = false) or MSR (write = true) of the name `reg` at
 * `el`. Returns 0 when it goes ahead (access sysreg_get()/sysreg_set()),
 * or 1 with *out set: UNDEFINED (sysreg_access_ok() false; EC 0x00 to
 * exc_undef_target_el()), or, for FPEXC32_EL2 at EL2, the trap to EL2 by
 * CPTR_EL2.TFP (E2H = 0) or CPTR_EL2.FPEN = 0bx0 (E2H = 1), EC 0x07, or
 * at EL1 the EC 0x18 trap to EL2 of PMBLIMITR_EL1, PMBPTR_EL1 and
 * PMBSR_EL1 by MDCR_EL2.E2PB = 0bx0 and of PMSCR_EL1 by MDCR_EL2.TPMS
 * (exc_build_sysreg_trap(), with sysreg_value 0: the caller fills in an
 * MSR's value). HFGITR_EL2 without FEAT_FGT is the caller's (cpu.c: the
 * features are the machine's). Other configurable traps
 * (CPTR_EL2.TCPAC, HCR_EL2.TVM/TRVM, HDFGRTR_EL2 and the other
 * fine-grained register traps) are not modelled.
 */
int exc_sysreg_check(const struct sysregs *s, enum vmsa_sysreg reg,
		     unsigned el, bool write, struct vmsa_exception *out);

/*
 * A trapped MRS (read) or MSR of `reg` at from_el, to EL2: EC 0x18, IL =
 * 1, ISS = Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt = 0
 * [9:5], CRm [4:1], Direction [0] (1 for MRS) (ESR_EL2, "ISS encoding for
 * an exception from MSR, MRS, or System instruction execution"). For
 * PMBLIMITR_EL1 MSR: ESR 0x62302414. e->sysreg, sysreg_read and
 * sysreg_value (an MSR's value) are set for the handler that emulates it.
 */
void exc_build_sysreg_trap(struct vmsa_exception *e, enum vmsa_sysreg reg,
			   bool read, uint64_t value, unsigned from_el);

/*
 * A trapped ERET at from_el returning to target_el, to EL2: EC 0x1A, IL =
 * 1, ISS 0 (ERET, not ERETAA/ERETAB): ESR 0x6A000000. e->eret_el =
 * target_el.
 */
void exc_build_eret_trap(struct vmsa_exception *e, unsigned from_el,
			 unsigned target_el);

/* Does an ERET at `el` trap to EL2? With FEAT_FGT (fgt), at EL1 when
 * HFGITR_EL2.ERET = 1 (D24.2.71). */
bool exc_eret_trapped(const struct sysregs *s, unsigned el, bool fgt);

/*
 * FP/SIMD (fptrap.c). May an Advanced SIMD or floating-point instruction
 * execute at `el` with the CPU's registers `s`? `guest_aarch32` says that
 * the instruction runs in AArch32 state at EL0 or EL1 with EL1 using
 * AArch32 (a 32-bit guest, HCR_EL2.RW = 0); it is ignored at EL2, which
 * always uses AArch64, and when HCR_EL2.{E2H, TGE} = {1, 1}, which makes
 * EL1 AArch64. Returns 0 when the instruction executes, or 1 with *out
 * set to the exception it takes, the first in the manual's order
 * (D1.4.5.6: UNDEFINED and traps to EL1 (priority 21) before CPTR_EL2
 * traps to EL2 (priority 24)):
 *  1. EL0/EL1 AArch64, not in host: CPACR_EL1.FPEN (0bx0 traps EL0 and
 *     EL1, 0b01 traps EL0): EC 0x07 to EL1, or with HCR_EL2.TGE = 1
 *     EC 0x00 to EL2.
 *     EL0/EL1 AArch32 guest: CPACR.cp10 (CPACR_EL1[21:20]), then
 *     FPEXC32_EL2.EN = 0: UNDEFINED, taken to EL1 in AArch32 (to EL2,
 *     EC 0x00, with TGE = 1).
 *  2. CPTR_EL2: with E2H = 0, TFP = 1 traps EL0, EL1 and EL2; with
 *     E2H = 1, FPEN = 0bx0 traps EL0, EL1 and EL2, FPEN = 0b01 traps EL0
 *     when TGE = 1. EC 0x07 to EL2. With {E2H, TGE} = {1, 1} this is the
 *     only control for EL0 (CPACR_EL1 has no effect there).
 */
int exc_fp_check(const struct sysregs *s, unsigned el, bool guest_aarch32,
		 struct vmsa_exception *out);

#endif
