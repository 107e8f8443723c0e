/*
 * src/model/sysreg.c - system registers: names, access checks, FEAT_VHE
 * redirection, and the translation regime they select.
 *
 * References: Arm ARM (DDI 0487) D24.2 register pages (the "Accessing"
 * pseudocode of each: PSTATE.EL == EL0 -> UNDEFINED, ELIsInHost(EL2)
 * redirections, *_EL12 UNDEFINED unless E2H = 1), D24.2.62 HCR_EL2 (TGE,
 * DC, VM, E2H), D1.4.5.6 (priority 19: an _EL12 name with E2H = 0 is
 * UNDEFINED).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "sysreg.h"

/* Who may access a name (without FEAT_NV). */
enum owner {
	OWN_EL1,	/* EL1 and EL2 */
	OWN_EL2,	/* EL2 only */
	OWN_EL12,	/* EL2 with HCR_EL2.E2H = 1 only */
};

/*
 * One row per name: its spelling, who may access it, and the register it
 * reaches through FEAT_VHE: for an *_EL1 name, the EL2 register an EL2
 * access with E2H = 1 reaches (or the name itself when not redirected);
 * for an *_EL12 name, its EL1 register.
 */
struct reg_info {
	const char *name;
	enum owner owner;
	enum vmsa_sysreg vhe;
};

#define EL1(n, to) [VMSA_REG_##n] = { #n, OWN_EL1, VMSA_REG_##to }
#define EL2(n) [VMSA_REG_##n] = { #n, OWN_EL2, VMSA_REG_##n }
#define EL12(n, to) [VMSA_REG_##n] = { #n, OWN_EL12, VMSA_REG_##to }

static const struct reg_info regs[VMSA_REG_END] = {
	EL1(TTBR0_EL1, TTBR0_EL2),
	EL1(TTBR1_EL1, TTBR1_EL2),
	EL1(TCR_EL1, TCR_EL2),
	EL1(SCTLR_EL1, SCTLR_EL2),
	EL1(MAIR_EL1, MAIR_EL2),
	EL1(CONTEXTIDR_EL1, CONTEXTIDR_EL2),
	EL2(VTTBR_EL2),
	EL2(VTCR_EL2),
	EL2(HCR_EL2),
	EL2(TTBR0_EL2),
	EL2(TTBR1_EL2),
	EL2(TCR_EL2),
	EL2(SCTLR_EL2),
	EL2(MAIR_EL2),
	EL2(CONTEXTIDR_EL2),
	EL2(CPTR_EL2),
	EL1(CPACR_EL1, CPTR_EL2),
	EL2(FPEXC32_EL2),
	EL1(PAR_EL1, PAR_EL1),
	EL1(ESR_EL1, ESR_EL2),
	EL2(ESR_EL2),
	EL1(FAR_EL1, FAR_EL2),
	EL2(FAR_EL2),
	EL2(HPFAR_EL2),
	EL1(ELR_EL1, ELR_EL2),
	EL2(ELR_EL2),
	EL1(SPSR_EL1, SPSR_EL2),
	EL2(SPSR_EL2),
	EL1(VBAR_EL1, VBAR_EL2),
	EL2(VBAR_EL2),
	/* The profiling buffer registers have no EL2 counterparts and no
	 * _EL12 names: EL2 uses them as they are. */
	EL1(PMBLIMITR_EL1, PMBLIMITR_EL1),
	EL1(PMBPTR_EL1, PMBPTR_EL1),
	EL1(PMBSR_EL1, PMBSR_EL1),
	EL1(PMSCR_EL1, PMSCR_EL2),
	EL2(PMSCR_EL2),
	EL2(MDCR_EL2),
	EL2(HFGITR_EL2),
	/* PSTATE.DAIF and the physical GIC priority mask: one of each per
	 * CPU, whatever the EL (ICV_PMR_EL1, what an EL1 access reaches
	 * with HCR_EL2.IMO = 1, is not modelled). */
	EL1(DAIF, DAIF),
	EL1(ICC_PMR_EL1, ICC_PMR_EL1),
	EL12(SCTLR_EL12, SCTLR_EL1),
	EL12(TTBR0_EL12, TTBR0_EL1),
	EL12(TTBR1_EL12, TTBR1_EL1),
	EL12(TCR_EL12, TCR_EL1),
	EL12(MAIR_EL12, MAIR_EL1),
	EL12(CONTEXTIDR_EL12, CONTEXTIDR_EL1),
	EL12(CPACR_EL12, CPACR_EL1),
	EL12(ESR_EL12, ESR_EL1),
	EL12(FAR_EL12, FAR_EL1),
	EL12(ELR_EL12, ELR_EL1),
	EL12(SPSR_EL12, SPSR_EL1),
	EL12(VBAR_EL12, VBAR_EL1),
	EL12(PMSCR_EL12, PMSCR_EL1),
};

#undef EL1
#undef EL2
#undef EL12

static bool valid(enum vmsa_sysreg r)
{
	return (unsigned)r < VMSA_REG_END;
}

const char *vmsa_sysreg_name(enum vmsa_sysreg r)
{
	return valid(r) ? regs[r].name : "?";
}

/* strcmp ignoring ASCII case. */
static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

int vmsa_sysreg_parse(const char *s, enum vmsa_sysreg *r)
{
	unsigned i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < VMSA_REG_END; i++) {
		if (same_name(s, regs[i].name)) {
			*r = (enum vmsa_sysreg)i;
			return 0;
		}
	}
	return -EINVAL;
}

void sysreg_reset(struct sysregs *s)
{
	memset(s, 0, sizeof(*s));
}

bool sysreg_has_storage(enum vmsa_sysreg reg)
{
	return (unsigned)reg < VMSA_REG_COUNT;
}

bool sysreg_access_ok(enum vmsa_sysreg reg, unsigned el, bool write,
		      uint64_t hcr)
{
	(void)write;
	if (!valid(reg) || el == 0 || el > 2)
		return false;
	switch (regs[reg].owner) {
	case OWN_EL1:
		return true;
	case OWN_EL2:
		return el == 2;
	case OWN_EL12:
		return el == 2 && (hcr & VMSA_HCR_E2H);
	}
	return false;
}

enum vmsa_sysreg sysreg_redirect(enum vmsa_sysreg reg, unsigned el,
				 uint64_t hcr)
{
	if (!valid(reg))
		return reg;
	if (regs[reg].owner == OWN_EL12)
		return regs[reg].vhe;
	/* ELIsInHost(EL2) is E2H = 1 for code running at EL2. */
	if (el == 2 && (hcr & VMSA_HCR_E2H) && regs[reg].owner == OWN_EL1)
		return regs[reg].vhe;
	return reg;
}

uint64_t sysreg_get(const struct sysregs *s, enum vmsa_sysreg reg,
		    unsigned el)
{
	enum vmsa_sysreg t = sysreg_redirect(reg, el, s->r[VMSA_REG_HCR_EL2]);

	return sysreg_has_storage(t) ? s->r[t] : 0;
}

void sysreg_set(struct sysregs *s, enum vmsa_sysreg reg, unsigned el,
		uint64_t v)
{
	enum vmsa_sysreg t = sysreg_redirect(reg, el, s->r[VMSA_REG_HCR_EL2]);

	if (sysreg_has_storage(t))
		s->r[t] = v;
}

/* ---------------------------------------------------------------------
 * Regime selection
 * ------------------------------------------------------------------- */

/* TCR/VTCR fields that can hold a reserved value (D24.2.194, .195, .224). */
#define TCR_TG0_MASK (3ull << 14)
#define TCR_TG1_MASK (3ull << 30)
#define TCR_TG1_4K (2ull << 30)
#define TCR2_PS_MASK (7ull << 16)	/* TCR_EL2 with E2H = 0 */
#define SCTLR_M 1ull

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EINVAL;
}

/*
 * A copy of a TCR with every field that can be reserved replaced by a
 * valid value (4K granules, PS 32 bits). Used only for a stage that is
 * disabled, whose table fields then translate nothing.
 */
static uint64_t tcr_defused(uint64_t tcr, bool two_ranges)
{
	tcr &= ~TCR_TG0_MASK;
	if (two_ranges)
		return (tcr & ~TCR_TG1_MASK) | TCR_TG1_4K;
	return tcr & ~TCR2_PS_MASK;
}

/* Stage 1 of EL2 (e2h = 0) or EL2&0 (e2h = 1). */
static int s1_el2(const struct sysregs *s, bool e2h, unsigned pa_bits,
		  vmsa_stage_cfg_t *cfg, const char **why)
{
	uint64_t tcr = s->r[VMSA_REG_TCR_EL2];
	uint64_t sctlr = s->r[VMSA_REG_SCTLR_EL2];
	const char *msg = NULL;
	int ret;

	ret = vmsa_s1_cfg_el2(cfg, e2h, tcr, s->r[VMSA_REG_TTBR0_EL2],
			      s->r[VMSA_REG_TTBR1_EL2], sctlr,
			      s->r[VMSA_REG_MAIR_EL2], pa_bits, &msg);
	if (ret && !(sctlr & SCTLR_M))
		ret = vmsa_s1_cfg_el2(cfg, e2h, tcr_defused(tcr, e2h),
				      s->r[VMSA_REG_TTBR0_EL2],
				      s->r[VMSA_REG_TTBR1_EL2], sctlr,
				      s->r[VMSA_REG_MAIR_EL2], pa_bits, &msg);
	return ret ? fail(why, msg) : 0;
}

/*
 * Stage 1 of EL1&0. HCR_EL2.DC (through the core's helper) and TGE both
 * make the PE treat SCTLR_EL1.M as 0 (D24.2.62, DC and TGE).
 */
static int s1_el10(const struct sysregs *s, uint64_t hcr, unsigned pa_bits,
		   vmsa_stage_cfg_t *cfg, const char **why)
{
	uint64_t tcr = s->r[VMSA_REG_TCR_EL1];
	uint64_t sctlr = s->r[VMSA_REG_SCTLR_EL1];
	bool tge = hcr & VMSA_HCR_TGE;
	bool disabled = !(sctlr & SCTLR_M) || tge ||
			(hcr & VMSA_HCR_DC);
	const char *msg = NULL;
	int ret;

	ret = vmsa_s1_cfg_el1(cfg, tcr, s->r[VMSA_REG_TTBR0_EL1],
			      s->r[VMSA_REG_TTBR1_EL1], sctlr,
			      s->r[VMSA_REG_MAIR_EL1], pa_bits, &msg);
	if (ret && disabled)
		ret = vmsa_s1_cfg_el1(cfg, tcr_defused(tcr, true),
				      s->r[VMSA_REG_TTBR0_EL1],
				      s->r[VMSA_REG_TTBR1_EL1], sctlr,
				      s->r[VMSA_REG_MAIR_EL1], pa_bits, &msg);
	if (ret)
		return fail(why, msg);
	vmsa_s1_cfg_el1_hcr(cfg, hcr);
	if (tge)
		cfg->enabled = false;
	return 0;
}

/*
 * Stage 2 of EL1&0. Even when stage 2 is disabled the configuration is
 * built, as its VMID still tags the EL1&0 TLB entries.
 */
static int s2_el10(const struct sysregs *s, uint64_t hcr, unsigned pa_bits,
		   vmsa_stage_cfg_t *cfg, const char **why)
{
	uint64_t vtcr = s->r[VMSA_REG_VTCR_EL2];
	bool enabled = hcr & (VMSA_HCR_VM | VMSA_HCR_DC);
	const char *msg = NULL;
	int ret;

	ret = vmsa_s2_cfg(cfg, vtcr, s->r[VMSA_REG_VTTBR_EL2], hcr, pa_bits,
			  &msg);
	if (ret && !enabled)
		ret = vmsa_s2_cfg(cfg, vtcr & ~TCR_TG0_MASK,
				  s->r[VMSA_REG_VTTBR_EL2], hcr, pa_bits,
				  &msg);
	return ret ? fail(why, msg) : 0;
}

/* The regimes without a stage 2: EL2 and EL2&0. */
static int regime_el2(const struct sysregs *s, bool e2h, unsigned pa_bits,
		      vmsa_regime_cfg_t *out, const char **why)
{
	out->regime = e2h ? VMSA_REGIME_EL20 : VMSA_REGIME_EL2;
	out->s2.stage = VMSA_STAGE2;
	out->s2.regime = out->regime;
	return s1_el2(s, e2h, pa_bits, &out->s1, why);
}

/* Without FEAT_HAFDBS, TCR_ELx.{HA, HD} and VTCR_EL2.{HA, HD} are RES0
 * (D24.2.194, .195, .224): no hardware updates. */
static void no_hafdbs(vmsa_regime_cfg_t *out)
{
	out->s1.ha = out->s1.hd = false;
	out->s2.ha = out->s2.hd = false;
}

int sysreg_regime(const struct sysregs *s, unsigned el, unsigned pa_bits,
		  bool s2fwb_implemented, bool hafdbs_implemented,
		  vmsa_regime_cfg_t *out, const char **why)
{
	uint64_t hcr = s->r[VMSA_REG_HCR_EL2];
	bool e2h = hcr & VMSA_HCR_E2H, tge = hcr & VMSA_HCR_TGE;
	int ret;

	/* Without FEAT_S2FWB, HCR_EL2.FWB is RES0: its value is ignored. */
	if (!s2fwb_implemented)
		hcr &= ~VMSA_HCR_FWB;

	memset(out, 0, sizeof(*out));
	out->pa_bits = pa_bits;
	if (el > 2)
		return fail(why, "exception level must be 0, 1 or 2");
	if (el == 2 || (el == 0 && e2h && tge)) {
		ret = regime_el2(s, e2h, pa_bits, out, why);
		if (!hafdbs_implemented)
			no_hafdbs(out);
		return ret;
	}
	if (el == 1 && tge)
		return fail(why, "EL1 cannot execute with HCR_EL2.TGE = 1 "
				 "(an exception return to EL1 is illegal)");

	out->regime = VMSA_REGIME_EL10;
	ret = s1_el10(s, hcr, pa_bits, &out->s1, why);
	if (!ret)
		ret = s2_el10(s, hcr, pa_bits, &out->s2, why);
	if (!hafdbs_implemented)
		no_hafdbs(out);
	return ret;
}
