/*
 * src/model/exc.c - synchronous exceptions: routing of MMU faults, the
 * syndrome registers they write, UNDEFINED system register accesses.
 *
 * References: Arm ARM (DDI 0487) D8.15 (memory aborts; D8.15.1.6 TLB
 * conflict abort: RZQNWZ, RWJMZJ, RQWTKL, RZMVZT, IJYDXJ), D24.2.46 ESR_EL2
 * (EC, IL, ISS encodings), D24.2.76 HPFAR_EL2, D1.4.5.6 (priorities).
 */
#include <stdio.h>
#include <string.h>

#include "exc.h"

const char *vmsa_exc_type_name(vmsa_exc_type_t t)
{
	switch (t) {
	case VMSA_EXC_DATA_ABORT:
		return "data abort";
	case VMSA_EXC_INSN_ABORT:
		return "instruction abort";
	case VMSA_EXC_FP_TRAP:
		return "FP/SIMD trap";
	case VMSA_EXC_UNDEFINED:
		return "undefined";
	case VMSA_EXC_IRQ:
		return "IRQ";
	case VMSA_EXC_SVC:
		return "SVC";
	case VMSA_EXC_HVC:
		return "HVC";
	case VMSA_EXC_SMC:
		return "SMC";
	case VMSA_EXC_SYSREG_TRAP:
		return "MSR/MRS trap";
	case VMSA_EXC_ERET_TRAP:
		return "ERET trap";
	}
	return "?";
}

/* ---------------------------------------------------------------------
 * Routing
 * ------------------------------------------------------------------- */

/*
 * RQWTKL: a TLB conflict of EL1&0 with both stages enabled. vmsa only
 * raises conflicts between entries of different sizes (or Contiguous
 * bit), which is the case the rule sends to EL2 under FEAT_BBML1.
 */
static unsigned conflict_both_stages(unsigned bbm_level, bool to_el2)
{
	if (bbm_level >= 1)
		return 2;
	return to_el2 ? 2 : 1;
}

unsigned exc_abort_target_el(const vmsa_fault_t *f, unsigned from_el,
			     uint64_t hcr, const vmsa_regime_cfg_t *cfg,
			     unsigned bbm_level, bool conflict_to_el2)
{
	bool stage2 = f->stage == VMSA_STAGE2;

	if (from_el >= 2)
		return 2;
	if (hcr & VMSA_HCR_TGE)
		return 2;
	if (f->kind == VMSA_FAULT_TLB_CONFLICT &&
	    cfg->regime == VMSA_REGIME_EL10) {
		if (cfg->s1.enabled && cfg->s2.enabled)
			return conflict_both_stages(bbm_level,
						    conflict_to_el2);
		/* RZMVZT: only the enabled stage can conflict. */
		stage2 = cfg->s2.enabled;
	}
	return stage2 ? 2 : 1;
}

unsigned exc_undef_target_el(unsigned from_el, uint64_t hcr)
{
	if (from_el >= 1)
		return from_el;
	return (hcr & VMSA_HCR_TGE) ? 2 : 1;
}

/* ---------------------------------------------------------------------
 * Syndromes
 * ------------------------------------------------------------------- */

/* ESR_ELx from its fields; IL is 1 for every exception vmsa builds
 * (32-bit instructions, aborts, and EC 0x00). */
static void set_esr(struct vmsa_exception *e, unsigned ec, uint32_t iss)
{
	e->ec = ec;
	e->iss = iss & 0x1ffffffu;
	e->esr = ((uint64_t)ec << 26) | VMSA_ESR_IL | e->iss;
}

static void init(struct vmsa_exception *e, vmsa_exc_type_t type,
		 unsigned from_el, unsigned to_el)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->from_el = from_el;
	e->to_el = to_el;
}

/* The MMU fault kinds vmsa's walk reports as stage 2 faults that write
 * HPFAR_EL2, except Permission, which needs s1ptw (D24.2.76). */
static bool hpfar_written(const vmsa_fault_t *f)
{
	if (f->stage != VMSA_STAGE2 || !f->ipa_valid)
		return false;
	switch (f->kind) {
	case VMSA_FAULT_TRANSLATION:
	case VMSA_FAULT_ACCESS_FLAG:
	case VMSA_FAULT_ADDRESS_SIZE:
		return true;
	case VMSA_FAULT_PERMISSION:
		return f->s1ptw;
	default:
		return false;
	}
}

/* HPFAR_EL2.FIPA (D24.2.76): IPA[47:12] in bits [39:4], no FEAT_LPA. */
static uint64_t hpfar_of(vmsa_ipa_t ipa)
{
	return (ipa & vmsa_oa_mask(12)) >> 8;
}

/* May the Data Abort carry an instruction syndrome (ESR_EL2 ISV)? Only
 * stage 2 MMU faults on the access itself, reported in ESR_EL2. */
static bool isv_allowed(const vmsa_fault_t *f, unsigned to_el)
{
	if (to_el != 2 || f->stage != VMSA_STAGE2 || f->s1ptw)
		return false;
	switch (f->kind) {
	case VMSA_FAULT_TRANSLATION:
	case VMSA_FAULT_ACCESS_FLAG:
	case VMSA_FAULT_PERMISSION:
	case VMSA_FAULT_ADDRESS_SIZE:
		return true;
	default:
		return false;
	}
}

static uint32_t isyn_bits(const struct exc_abort_info *in)
{
	uint64_t v = VMSA_ESR_ISV;

	v |= (uint64_t)(in->sas & 3) << VMSA_ESR_SAS_SHIFT;
	v |= (uint64_t)(in->srt & 31) << VMSA_ESR_SRT_SHIFT;
	if (in->sse)
		v |= VMSA_ESR_SSE;
	if (in->sf)
		v |= VMSA_ESR_SF;
	if (in->ar)
		v |= VMSA_ESR_AR;
	return (uint32_t)v;
}

void exc_build_abort_ex(struct vmsa_exception *e, const vmsa_fault_t *f,
			const struct exc_abort_info *info, unsigned from_el,
			unsigned to_el)
{
	bool lower = from_el < to_el;
	unsigned fsc = vmsa_fault_fsc(f->kind, f->level) & 0x3fu;
	uint32_t iss = fsc;

	/* S1PTW is RES0 for anything but a stage 2 fault. */
	if (f->stage == VMSA_STAGE2 && f->s1ptw &&
	    f->kind != VMSA_FAULT_TLB_CONFLICT)
		iss |= VMSA_ESR_S1PTW;

	if (info->insn) {
		init(e, VMSA_EXC_INSN_ABORT, from_el, to_el);
		set_esr(e, lower ? VMSA_EC_IABT_LOW : VMSA_EC_IABT_CUR, iss);
	} else {
		init(e, VMSA_EXC_DATA_ABORT, from_el, to_el);
		/* WnR is 1 for cache maintenance and AT (ESR_EL2 WnR). */
		if (info->write || info->cm)
			iss |= VMSA_ESR_WNR;
		if (info->cm)
			iss |= VMSA_ESR_CM;
		if (info->isv && isv_allowed(f, to_el))
			iss |= isyn_bits(info);
		set_esr(e, lower ? VMSA_EC_DABT_LOW : VMSA_EC_DABT_CUR, iss);
	}
	e->from_aarch32 = info->from_aarch32;
	e->far = f->va;
	e->far_valid = true;
	if (to_el == 2 && hpfar_written(f)) {
		e->hpfar = hpfar_of(f->ipa);
		e->hpfar_valid = true;
	}
	e->is_mmu_fault = true;
	e->fault = *f;
	e->fault.fsc = fsc;
}

void exc_build_abort(struct vmsa_exception *e, const vmsa_fault_t *f,
		     bool insn, bool write, unsigned from_el, unsigned to_el)
{
	struct exc_abort_info info = { .insn = insn, .write = write };

	exc_build_abort_ex(e, f, &info, from_el, to_el);
}

void exc_build_undef(struct vmsa_exception *e, unsigned from_el,
		     unsigned to_el)
{
	init(e, VMSA_EXC_UNDEFINED, from_el, to_el);
	set_esr(e, VMSA_EC_UNKNOWN, 0);
}

void exc_build_aarch32_undef(struct vmsa_exception *e, unsigned from_el,
			     uint64_t hcr, const char *cause)
{
	if (hcr & VMSA_HCR_TGE) {
		exc_build_undef(e, from_el, 2);
	} else {
		exc_build_undef(e, from_el, 1);
		e->to_aarch32 = true;
	}
	e->from_aarch32 = true;
	e->cause = cause;
}

/* The EC of a call from AArch64; AArch32's are 4 lower (D24.2.46). */
static unsigned call_ec(vmsa_exc_type_t type)
{
	switch (type) {
	case VMSA_EXC_SVC:
		return VMSA_EC_SVC64;
	case VMSA_EXC_HVC:
		return VMSA_EC_HVC64;
	default:
		return VMSA_EC_SMC64;
	}
}

void exc_build_call(struct vmsa_exception *e, vmsa_exc_type_t type,
		    unsigned from_el, unsigned to_el, bool from_aarch32,
		    uint16_t imm)
{
	unsigned ec = call_ec(type) - (from_aarch32 ? 4u : 0u);
	uint32_t iss = imm;

	/* An A32 SMC's ISS is CV, COND and CCKNOWNPASS: for an
	 * unconditional SMC CCKNOWNPASS = 0 and CV, COND are RES0. */
	if (type == VMSA_EXC_SMC && from_aarch32)
		iss = 0;
	init(e, type, from_el, to_el);
	e->from_aarch32 = from_aarch32;
	set_esr(e, ec, iss);
}

void exc_build_fp_trap(struct vmsa_exception *e, unsigned from_el,
		       unsigned to_el, bool from_aarch32, unsigned cond)
{
	/* COND is 0b1110 for exceptions taken from AArch64. */
	unsigned c = from_aarch32 ? (cond & 0xfu) : 0xeu;

	init(e, VMSA_EXC_FP_TRAP, from_el, to_el);
	e->from_aarch32 = from_aarch32;
	set_esr(e, VMSA_EC_FP,
		(uint32_t)(VMSA_ESR_CV | ((uint64_t)c << VMSA_ESR_COND_SHIFT)));
}

/*
 * The System register encoding of the registers whose accesses the model
 * traps with EC 0x18 (D24.7, each register's "Accessing" table):
 * op0, op1, CRn, CRm, op2. False for the others.
 */
static bool sysreg_encoding(enum vmsa_sysreg reg, unsigned enc[5])
{
	static const struct {
		enum vmsa_sysreg reg;
		unsigned char enc[5];
	} tab[] = {
		{ VMSA_REG_PMBLIMITR_EL1, {3, 0, 9, 10, 0} },
		{ VMSA_REG_PMBPTR_EL1, {3, 0, 9, 10, 1} },
		{ VMSA_REG_PMBSR_EL1, {3, 0, 9, 10, 3} },
		{ VMSA_REG_PMSCR_EL1, {3, 0, 9, 9, 0} },
	};

	for (unsigned i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (tab[i].reg != reg)
			continue;
		for (unsigned k = 0; k < 5; k++)
			enc[k] = tab[i].enc[k];
		return true;
	}
	return false;
}

void exc_build_sysreg_trap(struct vmsa_exception *e, enum vmsa_sysreg reg,
			   bool read, uint64_t value, unsigned from_el)
{
	unsigned enc[5] = {0};
	uint64_t iss;

	sysreg_encoding(reg, enc);
	/* Rt = 0: the model has no register numbers (as SRT in aborts). */
	iss = (uint64_t)enc[0] << VMSA_ESR_SYS_OP0_SHIFT |
	      (uint64_t)enc[4] << VMSA_ESR_SYS_OP2_SHIFT |
	      (uint64_t)enc[1] << VMSA_ESR_SYS_OP1_SHIFT |
	      (uint64_t)enc[2] << VMSA_ESR_SYS_CRN_SHIFT |
	      (uint64_t)enc[3] << VMSA_ESR_SYS_CRM_SHIFT |
	      (read ? VMSA_ESR_SYS_READ : 0);
	init(e, VMSA_EXC_SYSREG_TRAP, from_el, 2);
	set_esr(e, VMSA_EC_SYSREG, (uint32_t)iss);
	e->sysreg = reg;
	e->sysreg_read = read;
	e->sysreg_value = read ? 0 : value;
}

void exc_build_eret_trap(struct vmsa_exception *e, unsigned from_el,
			 unsigned target_el)
{
	/* ISS.ERET = 0 and ERETA RES0: a plain ERET (ESR_EL2, "ISS encoding
	 * for an exception from an ERET, ERETAA, or ERETAB instruction"). */
	init(e, VMSA_EXC_ERET_TRAP, from_el, 2);
	set_esr(e, VMSA_EC_ERET, 0);
	e->eret_el = target_el;
	e->cause = "HFGITR_EL2.ERET";
}

bool exc_eret_trapped(const struct sysregs *s, unsigned el, bool fgt)
{
	/* FEAT_FGT traps apply at EL1, which TGE = 1 makes unreachable. */
	return fgt && el == 1 && (s->r[VMSA_REG_HFGITR_EL2] & VMSA_HFGITR_ERET);
}

/* ---------------------------------------------------------------------
 * System register accesses
 * ------------------------------------------------------------------- */

/*
 * MDCR_EL2.E2PB = 0bx0 traps EL1's MRS and MSR of the profiling buffer
 * registers to EL2 (D24.3.17; the PMB* pages: "MDCR_EL2.E2PB IN {'x0'}"),
 * and MDCR_EL2.TPMS those of PMSCR_EL1. EL2 is always enabled here.
 */
static const char *spe_trap(const struct sysregs *s, enum vmsa_sysreg reg,
			    unsigned el)
{
	uint64_t mdcr = s->r[VMSA_REG_MDCR_EL2];

	if (el != 1)
		return NULL;
	switch (reg) {
	case VMSA_REG_PMBLIMITR_EL1:
	case VMSA_REG_PMBPTR_EL1:
	case VMSA_REG_PMBSR_EL1:
		return (mdcr & VMSA_MDCR_E2PB(1)) ? NULL : "MDCR_EL2.E2PB";
	case VMSA_REG_PMSCR_EL1:
		return (mdcr & VMSA_MDCR_TPMS) ? "MDCR_EL2.TPMS" : NULL;
	default:
		return NULL;
	}
}

/*
 * FPEXC32_EL2 at EL2 is an FP register access for CPTR_EL2 (D24.2.52,
 * "Accessing FPEXC32_EL2"): TFP = 1 with E2H = 0, or FPEN = 0bx0 with
 * E2H = 1, traps it to EL2 with EC 0x07. FPEN = 0b01 does not trap EL2.
 */
static bool fpexc32_trapped(const struct sysregs *s)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];
	uint64_t cptr = s->r[VMSA_REG_CPTR_EL2];

	if (hcr & VMSA_HCR_E2H)
		return !((cptr >> SYSREG_FPEN_SHIFT) & 1);
	return cptr & SYSREG_CPTR_TFP;
}

int exc_sysreg_check(const struct sysregs *s, enum vmsa_sysreg reg,
		     unsigned el, bool write, struct vmsa_exception *out)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];
	const char *trap;

	if (!sysreg_access_ok(reg, el, write, hcr)) {
		exc_build_undef(out, el, exc_undef_target_el(el, hcr));
		out->cause = "UNDEFINED system register access";
		return 1;
	}
	if (reg == VMSA_REG_FPEXC32_EL2 && fpexc32_trapped(s)) {
		exc_build_fp_trap(out, el, 2, false, 0xe);
		out->cause = (hcr & VMSA_HCR_E2H) ? "CPTR_EL2.FPEN"
						  : "CPTR_EL2.TFP";
		return 1;
	}
	if ((trap = spe_trap(s, reg, el))) {
		exc_build_sysreg_trap(out, reg, !write, 0, el);
		out->cause = trap;
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Traces
 * ------------------------------------------------------------------- */

int vmsa_exception_format(char *buf, size_t size,
			  const struct vmsa_exception *e)
{
	char far[32] = "", hpfar[32] = "", why[96] = "";

	if (e->far_valid)
		snprintf(far, sizeof(far), " FAR 0x%llx",
			 (unsigned long long)e->far);
	if (e->hpfar_valid)
		snprintf(hpfar, sizeof(hpfar), " HPFAR 0x%llx",
			 (unsigned long long)e->hpfar);
	/* A TLB conflict (FSC 0x30) has no level, and an External abort on
	 * the access itself neither stage nor level. */
	if (e->is_mmu_fault && (e->fault.kind == VMSA_FAULT_EXTERNAL_ACCESS ||
				e->fault.kind == VMSA_FAULT_TAG_CHECK))
		snprintf(why, sizeof(why), " (%s)",
			 vmsa_fault_kind_name(e->fault.kind));
	else if (e->is_mmu_fault && e->fault.kind == VMSA_FAULT_TLB_CONFLICT)
		snprintf(why, sizeof(why), " (%s, stage %d)",
			 vmsa_fault_kind_name(e->fault.kind),
			 (int)e->fault.stage);
	else if (e->is_mmu_fault)
		snprintf(why, sizeof(why), " (%s, stage %d, level %d%s)",
			 vmsa_fault_kind_name(e->fault.kind),
			 (int)e->fault.stage, e->fault.level,
			 e->fault.s1ptw ? ", s1ptw" : "");
	else if (e->cause)
		snprintf(why, sizeof(why), " (%s)", e->cause);
	return snprintf(buf, size, "%s EL%u->EL%u%s ESR 0x%llx%s%s%s",
			vmsa_exc_type_name(e->type), e->from_el, e->to_el,
			e->to_aarch32 ? " (AArch32)" : "",
			(unsigned long long)e->esr, far, hpfar, why);
}
