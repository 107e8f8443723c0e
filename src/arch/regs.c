/*
 * src/arch/regs.c - translation configurations from system register
 * values.
 *
 * Turns TCR_ELx / TTBRn_ELx / SCTLR_ELx / MAIR_ELx (stage 1) and
 * VTCR_EL2 / VTTBR_EL2 / HCR_EL2 (stage 2) into the vmsa_stage_cfg_t the
 * walk uses. Only the fields vmsa models are decoded: walk cacheability
 * and shareability (IRGNn, ORGNn, SHn), hardware AF/dirty management,
 * MTE, PAuth and FEAT_LPA2/LVA/TTST fields are ignored.
 *
 * References: Arm ARM (DDI 0487) D8.1.7 - D8.1.10 (address sizes),
 * D24.2.194 TCR_EL1, D24.2.195 TCR_EL2, D24.2.224 VTCR_EL2, D24.2.225
 * VTTBR_EL2, D24.2.62 HCR_EL2, K1.2.19 (reserved values).
 *
 * Where the manual lets the implementation choose, vmsa behaves as one
 * fixed implementation (docs/arch.md lists every choice):
 *  - A reserved TGn value is IMPLEMENTATION DEFINED as one of the
 *    implemented granules; vmsa rejects it (-EINVAL) so that a scenario
 *    never depends on that choice. A range whose walks are disabled
 *    (EPDn = 1) has no granule to speak of and is not rejected.
 *  - TnSZ above the maximum (39, no FEAT_TTST) or below the minimum (16,
 *    no FEAT_LVA; for stage 2 the Table D8-8 minimum for the PA size)
 *    is IMPLEMENTATION DEFINED between "behaves as the nearest limit"
 *    and "a level 0 Translation fault": vmsa clamps to the limit.
 *  - {I}PS above the PA size is the PA size (RCLPQT); 0b110/0b111 mean
 *    52 bits only with FEAT_LPA/LPA2 descriptors, which vmsa does not
 *    have, so every OA size is also capped at 48 bits.
 */
#include <errno.h>
#include <string.h>

#include "vmsa/arch.h"

/* TCR_EL1, and TCR_EL2 when HCR_EL2.E2H = 1 (D24.2.194, D24.2.195). */
#define TCR_T0SZ_SHIFT 0
#define TCR_EPD0 (1ull << 7)
#define TCR_TG0_SHIFT 14
#define TCR_T1SZ_SHIFT 16
#define TCR_A1 (1ull << 22)
#define TCR_EPD1 (1ull << 23)
#define TCR_TG1_SHIFT 30
#define TCR_IPS_SHIFT 32
#define TCR_AS (1ull << 36)
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)
#define TCR_HA (1ull << 39)
#define TCR_HD (1ull << 40)
#define TCR_HPD0 (1ull << 41)
#define TCR_HPD1 (1ull << 42)

/* TCR_EL2 when HCR_EL2.E2H = 0: one range (D24.2.195). */
#define TCR2_PS_SHIFT 16
#define TCR2_TBI (1ull << 20)
#define TCR2_HA (1ull << 21)
#define TCR2_HD (1ull << 22)
#define TCR2_HPD (1ull << 24)

/* VTCR_EL2 (D24.2.224). */
#define VTCR_SL0_SHIFT 6
#define VTCR_PS_SHIFT 16
#define VTCR_VS (1ull << 19)
#define VTCR_HA (1ull << 21)
#define VTCR_HD (1ull << 22)

/*
 * HA and HD of a TCR/VTCR (FEAT_HAFDBS; RES0 without it, which the model
 * applies in sysreg.c). HD behaves as 0 while HA is 0 (D24.2.194,
 * D24.2.195, D24.2.224: "When the Effective value of ... HA is 0, this
 * field behaves as 0").
 */
static void set_hahd(vmsa_stage_cfg_t *cfg, uint64_t tcr, uint64_t ha,
		     uint64_t hd)
{
	cfg->ha = tcr & ha;
	cfg->hd = cfg->ha && (tcr & hd);
}

/* SCTLR_ELx. */
#define SCTLR_M (1ull << 0)
#define SCTLR_WXN (1ull << 19)

/* TTBRn_ELx / VTTBR_EL2: ASID or VMID [63:48], BADDR [47:1], CnP [0]. */
#define TTBR_BADDR_SHIFT 1
#define TTBR_TAG_SHIFT 48

/* vmsa's descriptors carry 48-bit addresses (no FEAT_LPA/LPA2). */
#define VMSA_OA_MAX VMSA_OA_BITS
#define TNSZ_MIN 16u /* RGTJBY, no FEAT_LVA */
#define TNSZ_MAX 39u /* Table D8-7, no FEAT_TTST */

static unsigned field(uint64_t v, unsigned shift, unsigned bits)
{
	return (unsigned)(v >> shift) & ((1u << bits) - 1);
}

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EINVAL;
}

/* TG0 of TCR_ELx and VTCR_EL2: 0b00 4K, 0b01 64K, 0b10 16K, 0b11
 * reserved. */
static bool tg0_granule(unsigned tg, vmsa_granule_t *g)
{
	static const vmsa_granule_t map[3] = {
		VMSA_GRANULE_4K, VMSA_GRANULE_64K, VMSA_GRANULE_16K,
	};

	if (tg > 2)
		return false;
	*g = map[tg];
	return true;
}

/* TG1 encodes the granules differently: 0b01 16K, 0b10 4K, 0b11 64K,
 * 0b00 reserved. */
static bool tg1_granule(unsigned tg, vmsa_granule_t *g)
{
	static const vmsa_granule_t map[4] = {
		VMSA_GRANULE_4K /* reserved */, VMSA_GRANULE_16K,
		VMSA_GRANULE_4K, VMSA_GRANULE_64K,
	};

	if (tg == 0 || tg > 3)
		return false;
	*g = map[tg];
	return true;
}

/*
 * {I}PS / PS (Table D8-6) to bits, then capped: by the PA size (RCLPQT)
 * and by the 48 bits vmsa's descriptors can express (RQQQSJ without
 * FEAT_LPA/DS; 0b110 is then 48 bits, and 0b111 means what 0b110 does).
 */
static unsigned oa_size(unsigned ps, unsigned pa_bits)
{
	static const unsigned bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
	unsigned oa = bits[ps & 7];

	if (oa > pa_bits)
		oa = pa_bits;
	return oa > VMSA_OA_MAX ? VMSA_OA_MAX : oa;
}

static bool pa_bits_ok(unsigned pa_bits)
{
	return pa_bits >= 32 && pa_bits <= 56;
}

/*
 * A stage-1 input size from TnSZ. Out of range values are IMPLEMENTATION
 * DEFINED (D8.1.9: Table D8-7 above the maximum, RSXWGM below the
 * minimum): vmsa takes the behaviour "as if TnSZ held the limit".
 */
static unsigned s1_ia_bits(unsigned tnsz)
{
	if (tnsz < TNSZ_MIN)
		tnsz = TNSZ_MIN;
	if (tnsz > TNSZ_MAX)
		tnsz = TNSZ_MAX;
	return 64 - tnsz;
}

/*
 * One stage-1 range. The start level follows from the granule and the
 * input size (geometry.c); with the clamped TnSZ it always exists.
 */
static void s1_range(vmsa_tt_cfg_t *t, vmsa_granule_t g, unsigned tnsz,
		     uint64_t ttbr, uint16_t asid, bool epd, bool hpd,
		     bool tbi)
{
	memset(t, 0, sizeof(*t));
	t->root = ttbr & vmsa_oa_mask(TTBR_BADDR_SHIFT);
	t->granule = g;
	t->ia_bits = s1_ia_bits(tnsz);
	if (!vmsa_s1_start_level(g, t->ia_bits, &t->start_level))
		t->start_level = vmsa_granule_min_level(g); /* not reached */
	t->concat = 1;
	t->asid = asid;
	t->epd = epd;
	t->hpd = hpd;
	t->tbi = tbi;
}

/* The ASID from TTBR0 or TTBR1 (A1), 8 bits unless AS = 1 (D24.2.194). */
static uint16_t tcr_asid(uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1)
{
	uint64_t ttbr = (tcr & TCR_A1) ? ttbr1 : ttbr0;
	uint16_t asid = (uint16_t)(ttbr >> TTBR_TAG_SHIFT);

	return (tcr & TCR_AS) ? asid : (asid & 0xff);
}

/*
 * The two-range format shared by TCR_EL1 and TCR_EL2 with E2H = 1. A
 * reserved TGn is rejected only for a range whose walks are enabled.
 */
static int s1_two_ranges(vmsa_stage_cfg_t *cfg, vmsa_regime_t regime,
			 uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1,
			 uint64_t sctlr, uint64_t mair, unsigned pa_bits,
			 const char *tg0_msg, const char *tg1_msg,
			 const char **why)
{
	vmsa_granule_t g0 = VMSA_GRANULE_4K, g1 = VMSA_GRANULE_4K;
	bool epd0 = tcr & TCR_EPD0, epd1 = tcr & TCR_EPD1;
	uint16_t asid;

	if (!pa_bits_ok(pa_bits))
		return fail(why, "pa_bits must be between 32 and 56");
	if (!tg0_granule(field(tcr, TCR_TG0_SHIFT, 2), &g0) && !epd0)
		return fail(why, tg0_msg);
	if (!tg1_granule(field(tcr, TCR_TG1_SHIFT, 2), &g1) && !epd1)
		return fail(why, tg1_msg);

	memset(cfg, 0, sizeof(*cfg));
	cfg->stage = VMSA_STAGE1;
	cfg->regime = regime;
	cfg->enabled = sctlr & SCTLR_M;
	cfg->two_ranges = true;
	/* Both ranges carry the one ASID the regime uses (A1). */
	asid = tcr_asid(tcr, ttbr0, ttbr1);
	s1_range(&cfg->tt[0], g0, field(tcr, TCR_T0SZ_SHIFT, 6), ttbr0, asid,
		 epd0, tcr & TCR_HPD0, tcr & TCR_TBI0);
	s1_range(&cfg->tt[1], g1, field(tcr, TCR_T1SZ_SHIFT, 6), ttbr1, asid,
		 epd1, tcr & TCR_HPD1, tcr & TCR_TBI1);
	cfg->oa_bits = oa_size(field(tcr, TCR_IPS_SHIFT, 3), pa_bits);
	cfg->mair = mair;
	cfg->wxn = sctlr & SCTLR_WXN;
	set_hahd(cfg, tcr, TCR_HA, TCR_HD);
	return 0;
}

int vmsa_s1_cfg_el1(vmsa_stage_cfg_t *cfg, uint64_t tcr, uint64_t ttbr0,
		    uint64_t ttbr1, uint64_t sctlr, uint64_t mair,
		    unsigned pa_bits, const char **why)
{
	return s1_two_ranges(cfg, VMSA_REGIME_EL10, tcr, ttbr0, ttbr1, sctlr,
			     mair, pa_bits,
			     "TCR_EL1.TG0 = 0b11 is reserved",
			     "TCR_EL1.TG1 = 0b00 is reserved", why);
}

/*
 * HCR_EL2.DC (D24.2.62): the PE behaves as if SCTLR_EL1.M were 0, and
 * stage 1 produces Normal Non-shareable Inner/Outer Write-Back. Its
 * Effective value is 0 when {E2H, TGE} = {1, 1}.
 */
void vmsa_s1_cfg_el1_hcr(vmsa_stage_cfg_t *cfg, uint64_t hcr)
{
	bool host = (hcr & VMSA_HCR_E2H) && (hcr & VMSA_HCR_TGE);

	cfg->dc = (hcr & VMSA_HCR_DC) && !host;
	if (cfg->dc)
		cfg->enabled = false;
}

/* TCR_EL2 with E2H = 0: T0SZ, TG0, PS, TBI, HPD; TTBR0_EL2 holds no
 * ASID (D24.2.195). */
static int s1_el2_one_range(vmsa_stage_cfg_t *cfg, uint64_t tcr,
			    uint64_t ttbr0, uint64_t sctlr, uint64_t mair,
			    unsigned pa_bits, const char **why)
{
	vmsa_granule_t g;
	unsigned ps = field(tcr, TCR2_PS_SHIFT, 3);

	if (!pa_bits_ok(pa_bits))
		return fail(why, "pa_bits must be between 32 and 56");
	if (!tg0_granule(field(tcr, TCR_TG0_SHIFT, 2), &g))
		return fail(why, "TCR_EL2.TG0 = 0b11 is reserved");
	/* D8.1.7, Table D8-6 note: PS = 0b111 is reserved with E2H = 0. */
	if (ps == 7)
		return fail(why, "TCR_EL2.PS = 0b111 is reserved when "
				 "HCR_EL2.E2H = 0");

	memset(cfg, 0, sizeof(*cfg));
	cfg->stage = VMSA_STAGE1;
	cfg->regime = VMSA_REGIME_EL2;
	cfg->enabled = sctlr & SCTLR_M;
	s1_range(&cfg->tt[0], g, field(tcr, TCR_T0SZ_SHIFT, 6), ttbr0, 0,
		 false, tcr & TCR2_HPD, tcr & TCR2_TBI);
	cfg->oa_bits = oa_size(ps, pa_bits);
	cfg->mair = mair;
	cfg->wxn = sctlr & SCTLR_WXN;
	set_hahd(cfg, tcr, TCR2_HA, TCR2_HD);
	return 0;
}

int vmsa_s1_cfg_el2(vmsa_stage_cfg_t *cfg, bool e2h, uint64_t tcr,
		    uint64_t ttbr0, uint64_t ttbr1, uint64_t sctlr,
		    uint64_t mair, unsigned pa_bits, const char **why)
{
	if (!e2h)
		return s1_el2_one_range(cfg, tcr, ttbr0, sctlr, mair, pa_bits,
					why);
	return s1_two_ranges(cfg, VMSA_REGIME_EL20, tcr, ttbr0, ttbr1, sctlr,
			     mair, pa_bits,
			     "TCR_EL2.TG0 = 0b11 is reserved",
			     "TCR_EL2.TG1 = 0b00 is reserved", why);
}

/*
 * The level SL0 names without FEAT_TTST/LPA2 (D24.2.224), to report a
 * start level even for a configuration that faults; 0 (where the fault
 * is reported) for a reserved encoding.
 */
static int sl0_level(vmsa_granule_t g, unsigned sl0)
{
	if (sl0 > 2)
		return 0;
	return (g == VMSA_GRANULE_4K ? 2 : 3) - (int)sl0;
}

/*
 * Table D8-9: some initial levels need a large enough PA size (4K level
 * 0 and 64K level 1 need 44 bits, 16K level 1 needs 42 bits). geometry.c
 * checks SL0 against T0SZ; this is the part that depends on the PE.
 */
static bool s2_level_ok_for_pa(vmsa_granule_t g, int level, unsigned pa_bits)
{
	switch (g) {
	case VMSA_GRANULE_4K:
		return level > 0 || pa_bits >= 44;
	case VMSA_GRANULE_16K:
		return level > 1 || pa_bits >= 42;
	case VMSA_GRANULE_64K:
	default:
		return level > 1 || pa_bits >= 44;
	}
}

/*
 * VTCR_EL2.T0SZ to an IPA size. The effective minimum T0SZ depends on
 * the PA size (Table D8-8: 64 - PA bits, for EL1 using AArch64); below
 * it, without FEAT_LPA, it is IMPLEMENTATION DEFINED whether T0SZ acts
 * as the minimum or every walk faults: vmsa takes the minimum, as for
 * stage 1. Above 39 (Table D8-7) likewise.
 */
static unsigned s2_ia_bits(unsigned t0sz, unsigned pa_bits)
{
	unsigned pa = pa_bits > VMSA_OA_MAX ? VMSA_OA_MAX : pa_bits;
	unsigned min = 64 - pa;

	if (t0sz < min)
		t0sz = min;
	if (t0sz > TNSZ_MAX)
		t0sz = TNSZ_MAX;
	return 64 - t0sz;
}

uint16_t vmsa_vmid(uint64_t vttbr, uint64_t vtcr)
{
	uint16_t vmid = (uint16_t)(vttbr >> TTBR_TAG_SHIFT);

	/* VS = 0: VTTBR_EL2[63:56] are ignored, an 8-bit VMID. */
	return (vtcr & VTCR_VS) ? vmid : (vmid & 0xff);
}

int vmsa_s2_cfg(vmsa_stage_cfg_t *cfg, uint64_t vtcr, uint64_t vttbr,
		uint64_t hcr, unsigned pa_bits, const char **why)
{
	vmsa_tt_cfg_t *t = &cfg->tt[0];
	vmsa_granule_t g;
	unsigned sl0 = field(vtcr, VTCR_SL0_SHIFT, 2);
	bool host = (hcr & VMSA_HCR_E2H) && (hcr & VMSA_HCR_TGE);

	if (!pa_bits_ok(pa_bits))
		return fail(why, "pa_bits must be between 32 and 56");
	if (!tg0_granule(field(vtcr, TCR_TG0_SHIFT, 2), &g))
		return fail(why, "VTCR_EL2.TG0 = 0b11 is reserved");

	memset(cfg, 0, sizeof(*cfg));
	cfg->stage = VMSA_STAGE2;
	cfg->regime = VMSA_REGIME_EL10;
	/* HCR_EL2.DC = 1 makes the PE behave as if VM were 1. */
	cfg->enabled = (hcr & VMSA_HCR_VM) || ((hcr & VMSA_HCR_DC) && !host);
	cfg->fwb = hcr & VMSA_HCR_FWB;
	cfg->vmid = vmsa_vmid(vttbr, vtcr);
	cfg->oa_bits = oa_size(field(vtcr, VTCR_PS_SHIFT, 3), pa_bits);
	set_hahd(cfg, vtcr, VTCR_HA, VTCR_HD);

	t->root = vttbr & vmsa_oa_mask(TTBR_BADDR_SHIFT);
	t->granule = g;
	t->ia_bits = s2_ia_bits(field(vtcr, TCR_T0SZ_SHIFT, 6), pa_bits);
	/*
	 * A reserved SL0, or one inconsistent with T0SZ or with the PA
	 * size, is no error: every walk is a stage 2 level 0 Translation
	 * fault (D24.2.224 SL0 and T0SZ). concat = 0 says so.
	 */
	if (!vmsa_s2_start_level(g, sl0, t->ia_bits, &t->start_level,
				 &t->concat) ||
	    !s2_level_ok_for_pa(g, t->start_level, pa_bits)) {
		t->start_level = sl0_level(g, sl0);
		t->concat = 0;
	}
	return 0;
}
