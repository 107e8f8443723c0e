/*
 * tests/model/test_sysreg.c - system register names, access checks,
 * FEAT_VHE redirection and regime selection (src/model/sysreg.c; Arm ARM
 * D24.2 register pages, D24.2.62 HCR_EL2).
 */
#include <errno.h>

#include "harness.h"
#include "model/sysreg.h"

/* TCR_EL1 (and TCR_EL2 with E2H = 1). */
#define T0SZ(n) ((uint64_t)(n))
#define T1SZ(n) ((uint64_t)(n) << 16)
#define TG0(v) ((uint64_t)(v) << 14)
#define TG1(v) ((uint64_t)(v) << 30)
#define IPS(v) ((uint64_t)(v) << 32)
#define A1 (1ull << 22)
#define AS (1ull << 36)
#define TG0_4K 0u
#define TG0_64K 1u
#define TG0_16K 2u
#define TG1_4K 2u
#define TG1_16K 1u
/* TCR_EL2 with E2H = 0. */
#define EL2_PS(v) ((uint64_t)(v) << 16)
/* VTCR_EL2. */
#define SL0(v) ((uint64_t)(v) << 6)
#define VPS(v) ((uint64_t)(v) << 16)

#define SCTLR_M 1ull
#define TTBR(tag, baddr) (((uint64_t)(tag) << 48) | (baddr))

static const char *why;

TEST(sysreg_names_round_trip)
{
	unsigned i;
	enum vmsa_sysreg r;

	for (i = 0; i < VMSA_REG_END; i++) {
		const char *n = vmsa_sysreg_name((enum vmsa_sysreg)i);

		CHECK(n[0] != '?');
		CHECK_EQ(vmsa_sysreg_parse(n, &r), 0);
		CHECK_EQ(r, i);
	}
	CHECK_STR(vmsa_sysreg_name(VMSA_REG_TTBR0_EL1), "TTBR0_EL1");
	CHECK_STR(vmsa_sysreg_name(VMSA_REG_CPTR_EL2), "CPTR_EL2");
	CHECK_STR(vmsa_sysreg_name(VMSA_REG_PMBSR_EL1), "PMBSR_EL1");
	CHECK_STR(vmsa_sysreg_name(VMSA_REG_SCTLR_EL12), "SCTLR_EL12");
	CHECK_STR(vmsa_sysreg_name(VMSA_REG_END), "?");
	CHECK_STR(vmsa_sysreg_name((enum vmsa_sysreg)-1), "?");

	CHECK_EQ(vmsa_sysreg_parse("ttbr1_el1", &r), 0);
	CHECK_EQ(r, VMSA_REG_TTBR1_EL1);
	CHECK_EQ(vmsa_sysreg_parse("Hcr_El2", &r), 0);
	CHECK_EQ(r, VMSA_REG_HCR_EL2);
	CHECK_EQ(vmsa_sysreg_parse("vbar_el12", &r), 0);
	CHECK_EQ(r, VMSA_REG_VBAR_EL12);

	r = VMSA_REG_PAR_EL1;
	CHECK_EQ(vmsa_sysreg_parse("TTBR0_EL", &r), -EINVAL);
	CHECK_EQ(vmsa_sysreg_parse("TTBR0_EL1x", &r), -EINVAL);
	CHECK_EQ(vmsa_sysreg_parse("", &r), -EINVAL);
	CHECK_EQ(vmsa_sysreg_parse(NULL, &r), -EINVAL);
	CHECK_EQ(r, VMSA_REG_PAR_EL1);
}

TEST(sysreg_reset_is_zero)
{
	struct sysregs s;
	unsigned i;

	for (i = 0; i < VMSA_REG_COUNT; i++)
		s.r[i] = ~0ull;
	sysreg_reset(&s);
	for (i = 0; i < VMSA_REG_COUNT; i++)
		CHECK_EQ(s.r[i], 0);
	CHECK(sysreg_has_storage(VMSA_REG_PMBSR_EL1));
	CHECK(!sysreg_has_storage(VMSA_REG_SCTLR_EL12));
}

TEST(sysreg_access_el0_nothing)
{
	unsigned i;

	for (i = 0; i < VMSA_REG_END; i++) {
		CHECK(!sysreg_access_ok((enum vmsa_sysreg)i, 0, false, 0));
		CHECK(!sysreg_access_ok((enum vmsa_sysreg)i, 0, true,
					VMSA_HCR_E2H | VMSA_HCR_TGE));
	}
}

TEST(sysreg_access_el1)
{
	static const enum vmsa_sysreg ok[] = {
		VMSA_REG_TTBR0_EL1, VMSA_REG_TTBR1_EL1, VMSA_REG_TCR_EL1,
		VMSA_REG_SCTLR_EL1, VMSA_REG_MAIR_EL1, VMSA_REG_CPACR_EL1,
		VMSA_REG_PAR_EL1, VMSA_REG_ESR_EL1, VMSA_REG_FAR_EL1,
		VMSA_REG_ELR_EL1, VMSA_REG_SPSR_EL1, VMSA_REG_VBAR_EL1,
		VMSA_REG_CONTEXTIDR_EL1, VMSA_REG_PMBLIMITR_EL1,
		VMSA_REG_PMBPTR_EL1, VMSA_REG_PMBSR_EL1,
	};
	static const enum vmsa_sysreg undef[] = {
		VMSA_REG_VTTBR_EL2, VMSA_REG_VTCR_EL2, VMSA_REG_HCR_EL2,
		VMSA_REG_TTBR0_EL2, VMSA_REG_TTBR1_EL2, VMSA_REG_TCR_EL2,
		VMSA_REG_SCTLR_EL2, VMSA_REG_MAIR_EL2, VMSA_REG_CPTR_EL2,
		VMSA_REG_FPEXC32_EL2, VMSA_REG_ESR_EL2, VMSA_REG_FAR_EL2,
		VMSA_REG_HPFAR_EL2, VMSA_REG_ELR_EL2, VMSA_REG_SPSR_EL2,
		VMSA_REG_VBAR_EL2, VMSA_REG_CONTEXTIDR_EL2,
		VMSA_REG_SCTLR_EL12, VMSA_REG_CPACR_EL12, VMSA_REG_TCR_EL12,
	};
	unsigned i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK(sysreg_access_ok(ok[i], 1, false, 0));
		CHECK(sysreg_access_ok(ok[i], 1, true, VMSA_HCR_E2H));
	}
	/* HCR_EL2.NV is not modelled: no trap, just UNDEFINED. */
	for (i = 0; i < sizeof(undef) / sizeof(undef[0]); i++) {
		CHECK(!sysreg_access_ok(undef[i], 1, false, 0));
		CHECK(!sysreg_access_ok(undef[i], 1, true, VMSA_HCR_E2H));
	}
}

TEST(sysreg_access_el2)
{
	unsigned i;

	for (i = 0; i < VMSA_REG_COUNT; i++) {
		CHECK(sysreg_access_ok((enum vmsa_sysreg)i, 2, false, 0));
		CHECK(sysreg_access_ok((enum vmsa_sysreg)i, 2, true,
				       VMSA_HCR_E2H));
	}
	/* _EL12 names only with E2H = 1 (D1.4.5.6, priority 19). */
	for (i = VMSA_REG_COUNT; i < VMSA_REG_END; i++) {
		CHECK(!sysreg_access_ok((enum vmsa_sysreg)i, 2, false, 0));
		CHECK(!sysreg_access_ok((enum vmsa_sysreg)i, 2, true,
					VMSA_HCR_TGE));
		CHECK(sysreg_access_ok((enum vmsa_sysreg)i, 2, true,
				       VMSA_HCR_E2H));
	}
	CHECK(!sysreg_access_ok(VMSA_REG_TTBR0_EL1, 3, false, 0));
	CHECK(!sysreg_access_ok(VMSA_REG_END, 2, false, 0));
}

TEST(sysreg_redirect_e2h)
{
	static const enum vmsa_sysreg pairs[][2] = {
		{ VMSA_REG_SCTLR_EL1, VMSA_REG_SCTLR_EL2 },
		{ VMSA_REG_TTBR0_EL1, VMSA_REG_TTBR0_EL2 },
		{ VMSA_REG_TTBR1_EL1, VMSA_REG_TTBR1_EL2 },
		{ VMSA_REG_TCR_EL1, VMSA_REG_TCR_EL2 },
		{ VMSA_REG_MAIR_EL1, VMSA_REG_MAIR_EL2 },
		{ VMSA_REG_CONTEXTIDR_EL1, VMSA_REG_CONTEXTIDR_EL2 },
		{ VMSA_REG_CPACR_EL1, VMSA_REG_CPTR_EL2 },
		{ VMSA_REG_ESR_EL1, VMSA_REG_ESR_EL2 },
		{ VMSA_REG_FAR_EL1, VMSA_REG_FAR_EL2 },
		{ VMSA_REG_ELR_EL1, VMSA_REG_ELR_EL2 },
		{ VMSA_REG_SPSR_EL1, VMSA_REG_SPSR_EL2 },
		{ VMSA_REG_VBAR_EL1, VMSA_REG_VBAR_EL2 },
		/* not redirected */
		{ VMSA_REG_PAR_EL1, VMSA_REG_PAR_EL1 },
		{ VMSA_REG_PMBLIMITR_EL1, VMSA_REG_PMBLIMITR_EL1 },
		{ VMSA_REG_PMBPTR_EL1, VMSA_REG_PMBPTR_EL1 },
		{ VMSA_REG_PMBSR_EL1, VMSA_REG_PMBSR_EL1 },
		{ VMSA_REG_HCR_EL2, VMSA_REG_HCR_EL2 },
		{ VMSA_REG_TCR_EL2, VMSA_REG_TCR_EL2 },
		/* _EL12 names reach the EL1 registers */
		{ VMSA_REG_SCTLR_EL12, VMSA_REG_SCTLR_EL1 },
		{ VMSA_REG_TTBR0_EL12, VMSA_REG_TTBR0_EL1 },
		{ VMSA_REG_TTBR1_EL12, VMSA_REG_TTBR1_EL1 },
		{ VMSA_REG_TCR_EL12, VMSA_REG_TCR_EL1 },
		{ VMSA_REG_MAIR_EL12, VMSA_REG_MAIR_EL1 },
		{ VMSA_REG_CONTEXTIDR_EL12, VMSA_REG_CONTEXTIDR_EL1 },
		{ VMSA_REG_CPACR_EL12, VMSA_REG_CPACR_EL1 },
		{ VMSA_REG_ESR_EL12, VMSA_REG_ESR_EL1 },
		{ VMSA_REG_FAR_EL12, VMSA_REG_FAR_EL1 },
		{ VMSA_REG_ELR_EL12, VMSA_REG_ELR_EL1 },
		{ VMSA_REG_SPSR_EL12, VMSA_REG_SPSR_EL1 },
		{ VMSA_REG_VBAR_EL12, VMSA_REG_VBAR_EL1 },
	};
	unsigned i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		CHECK_EQ(sysreg_redirect(pairs[i][0], 2, VMSA_HCR_E2H),
			 pairs[i][1]);
		CHECK_EQ(sysreg_redirect(pairs[i][0], 2,
					 VMSA_HCR_E2H | VMSA_HCR_TGE),
			 pairs[i][1]);
	}
	/* E2H = 0, or not at EL2: every name reaches its own register. */
	CHECK_EQ(sysreg_redirect(VMSA_REG_SCTLR_EL1, 2, 0), VMSA_REG_SCTLR_EL1);
	CHECK_EQ(sysreg_redirect(VMSA_REG_CPACR_EL1, 2, VMSA_HCR_TGE),
		 VMSA_REG_CPACR_EL1);
	CHECK_EQ(sysreg_redirect(VMSA_REG_SCTLR_EL1, 1, VMSA_HCR_E2H),
		 VMSA_REG_SCTLR_EL1);
	CHECK_EQ(sysreg_redirect(VMSA_REG_TCR_EL1, 1, VMSA_HCR_E2H),
		 VMSA_REG_TCR_EL1);
}

TEST(sysreg_get_set_follow_redirection)
{
	struct sysregs s;

	sysreg_reset(&s);
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_E2H;
	sysreg_set(&s, VMSA_REG_TCR_EL1, 2, 0x1111);
	sysreg_set(&s, VMSA_REG_TCR_EL12, 2, 0x2222);
	sysreg_set(&s, VMSA_REG_CPACR_EL1, 2, 3ull << 20);
	CHECK_EQ(s.r[VMSA_REG_TCR_EL2], 0x1111);
	CHECK_EQ(s.r[VMSA_REG_TCR_EL1], 0x2222);
	CHECK_EQ(s.r[VMSA_REG_CPTR_EL2], 3ull << 20);
	CHECK_EQ(s.r[VMSA_REG_CPACR_EL1], 0);
	CHECK_EQ(sysreg_get(&s, VMSA_REG_TCR_EL1, 2), 0x1111);
	CHECK_EQ(sysreg_get(&s, VMSA_REG_TCR_EL1, 1), 0x2222);
	CHECK_EQ(sysreg_get(&s, VMSA_REG_TCR_EL12, 2), 0x2222);

	s.r[VMSA_REG_HCR_EL2] = 0;
	sysreg_set(&s, VMSA_REG_TCR_EL1, 2, 0x3333);
	CHECK_EQ(s.r[VMSA_REG_TCR_EL1], 0x3333);
	CHECK_EQ(s.r[VMSA_REG_TCR_EL2], 0x1111);
}

/* ---------------------------------------------------------------------
 * Regime selection
 * ------------------------------------------------------------------- */

/* A guest with 48-bit VAs (4K, ASID 0x12 of 16 bits) under a 40-bit IPA
 * stage 2 (4K, start level 1, VMID 5), and a host with its own tables. */
static void setup(struct sysregs *s)
{
	sysreg_reset(s);
	s->r[VMSA_REG_TCR_EL1] = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) |
				 TG1(TG1_4K) | IPS(5) | AS;
	s->r[VMSA_REG_TTBR0_EL1] = TTBR(0x12, 0x40001000);
	s->r[VMSA_REG_TTBR1_EL1] = TTBR(0x34, 0x40002000);
	s->r[VMSA_REG_SCTLR_EL1] = SCTLR_M;
	s->r[VMSA_REG_MAIR_EL1] = 0xff00;
	s->r[VMSA_REG_VTCR_EL2] = T0SZ(24) | SL0(1) | TG0(TG0_4K) | VPS(2);
	s->r[VMSA_REG_VTTBR_EL2] = TTBR(5, 0x40100000);
	s->r[VMSA_REG_HCR_EL2] = VMSA_HCR_VM;
	/* EL2: 16K granule, 42-bit VA range 0 (T0SZ 22, start level 1). */
	s->r[VMSA_REG_TCR_EL2] = T0SZ(22) | TG0(TG0_16K) | EL2_PS(2);
	s->r[VMSA_REG_TTBR0_EL2] = TTBR(0x77, 0x40200000);
	s->r[VMSA_REG_TTBR1_EL2] = TTBR(0, 0x40300000);
	s->r[VMSA_REG_SCTLR_EL2] = SCTLR_M;
	s->r[VMSA_REG_MAIR_EL2] = 0x44;
}

static void check_guest_s1(const vmsa_regime_cfg_t *c)
{
	CHECK_EQ(c->regime, VMSA_REGIME_EL10);
	CHECK_EQ(c->s1.stage, VMSA_STAGE1);
	CHECK(c->s1.enabled);
	CHECK(c->s1.two_ranges);
	CHECK(!c->s1.dc);
	CHECK_EQ(c->s1.tt[0].root, 0x40001000);
	CHECK_EQ(c->s1.tt[1].root, 0x40002000);
	CHECK_EQ(c->s1.tt[0].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c->s1.tt[0].ia_bits, 48);
	CHECK_EQ(c->s1.tt[0].start_level, 0);
	CHECK_EQ(c->s1.tt[1].ia_bits, 48);
	/* A1 = 0: the ASID is TTBR0_EL1's, for both ranges. */
	CHECK_EQ(c->s1.tt[0].asid, 0x12);
	CHECK_EQ(c->s1.tt[1].asid, 0x12);
	CHECK_EQ(c->s1.oa_bits, 40);
	CHECK_EQ(c->s1.mair, 0xff00);
	CHECK_EQ(c->pa_bits, 40);
}

static void check_guest_s2(const vmsa_regime_cfg_t *c)
{
	CHECK_EQ(c->s2.stage, VMSA_STAGE2);
	CHECK(c->s2.enabled);
	CHECK(!c->s2.fwb);
	CHECK_EQ(c->s2.vmid, 5);
	CHECK_EQ(c->s2.tt[0].root, 0x40100000);
	CHECK_EQ(c->s2.tt[0].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c->s2.tt[0].ia_bits, 40);
	CHECK_EQ(c->s2.tt[0].start_level, 1);
	CHECK_EQ(c->s2.tt[0].concat, 2);
	CHECK_EQ(c->s2.oa_bits, 40);
}

TEST(regime_el1_and_el0_guest)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), 0);
	check_guest_s1(&c);
	check_guest_s2(&c);
	CHECK_EQ(sysreg_regime(&s, 0, 40, false, false, &c, &why), 0);
	check_guest_s1(&c);
	check_guest_s2(&c);

	/* E2H = 1 with TGE = 0 (a VHE host running a guest): still EL1&0. */
	s.r[VMSA_REG_HCR_EL2] |= VMSA_HCR_E2H;
	CHECK_EQ(sysreg_regime(&s, 0, 40, false, false, &c, &why), 0);
	check_guest_s1(&c);
	check_guest_s2(&c);
}

TEST(regime_el10_stage2_off_keeps_vmid)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	s.r[VMSA_REG_HCR_EL2] = 0;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), 0);
	CHECK(c.s1.enabled);
	CHECK(!c.s2.enabled);
	CHECK_EQ(c.s2.vmid, 5);
}

TEST(regime_el10_dc)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	/* DC = 1: SCTLR_EL1.M treated as 0, stage 2 as if VM = 1. */
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_DC;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), 0);
	CHECK_EQ(c.regime, VMSA_REGIME_EL10);
	CHECK(!c.s1.enabled);
	CHECK(c.s1.dc);
	CHECK(c.s2.enabled);
	CHECK_EQ(c.s2.vmid, 5);
}

TEST(regime_el10_fwb_needs_feature)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_VM | VMSA_HCR_FWB;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), 0);
	CHECK(!c.s2.fwb);
	CHECK_EQ(sysreg_regime(&s, 1, 40, true, false, &c, &why), 0);
	CHECK(c.s2.fwb);
}

TEST(regime_el0_tge_without_e2h)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	/* TGE = 1, E2H = 0: EL0 uses EL1&0 with SCTLR_EL1.M treated as 0;
	 * stage 2 stays as HCR_EL2.VM says. */
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_TGE | VMSA_HCR_VM;
	CHECK_EQ(sysreg_regime(&s, 0, 40, false, false, &c, &why), 0);
	CHECK_EQ(c.regime, VMSA_REGIME_EL10);
	CHECK(!c.s1.enabled);
	CHECK(!c.s1.dc);
	CHECK(c.s2.enabled);
}

TEST(regime_el1_with_tge_is_unreachable)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_TGE;
	why = NULL;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), -EINVAL);
	CHECK_STR(why, "EL1 cannot execute with HCR_EL2.TGE = 1 "
		       "(an exception return to EL1 is illegal)");
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_TGE | VMSA_HCR_E2H;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), -EINVAL);
	CHECK_EQ(sysreg_regime(&s, 3, 40, false, false, &c, &why), -EINVAL);
	CHECK_STR(why, "exception level must be 0, 1 or 2");
}

TEST(regime_el2_nvhe)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	CHECK_EQ(sysreg_regime(&s, 2, 40, false, false, &c, &why), 0);
	CHECK_EQ(c.regime, VMSA_REGIME_EL2);
	CHECK_EQ(c.s1.regime, VMSA_REGIME_EL2);
	CHECK(c.s1.enabled);
	CHECK(!c.s1.two_ranges);
	CHECK_EQ(c.s1.tt[0].root, 0x40200000);
	CHECK_EQ(c.s1.tt[0].granule, VMSA_GRANULE_16K);
	CHECK_EQ(c.s1.tt[0].ia_bits, 42);
	CHECK_EQ(c.s1.tt[0].start_level, 1);
	CHECK_EQ(c.s1.tt[0].asid, 0);
	CHECK_EQ(c.s1.oa_bits, 40);
	CHECK_EQ(c.s1.mair, 0x44);
	CHECK(!c.s2.enabled);
	CHECK_EQ(c.s2.vmid, 0);
}

static void setup_vhe(struct sysregs *s, uint64_t hcr)
{
	setup(s);
	/* TCR_EL2 in the TCR_EL1 format: 39-bit ranges, 4K, A1 = 1. */
	s->r[VMSA_REG_TCR_EL2] = T0SZ(25) | TG0(TG0_4K) | T1SZ(25) |
				 TG1(TG1_4K) | IPS(2) | A1;
	s->r[VMSA_REG_TTBR1_EL2] = TTBR(0x99, 0x40300000);
	s->r[VMSA_REG_HCR_EL2] = hcr;
}

static void check_vhe(const vmsa_regime_cfg_t *c)
{
	CHECK_EQ(c->regime, VMSA_REGIME_EL20);
	CHECK_EQ(c->s1.regime, VMSA_REGIME_EL20);
	CHECK(c->s1.enabled);
	CHECK(c->s1.two_ranges);
	CHECK_EQ(c->s1.tt[0].root, 0x40200000);
	CHECK_EQ(c->s1.tt[1].root, 0x40300000);
	CHECK_EQ(c->s1.tt[0].ia_bits, 39);
	CHECK_EQ(c->s1.tt[0].start_level, 1);
	/* A1 = 1: TTBR1_EL2's ASID, 8 bits (AS = 0). */
	CHECK_EQ(c->s1.tt[0].asid, 0x99);
	CHECK_EQ(c->s1.mair, 0x44);
	CHECK(!c->s2.enabled);
}

TEST(regime_el2_vhe_and_host_el0)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	/* EL2 with E2H = 1 is EL2&0 whatever TGE says. */
	setup_vhe(&s, VMSA_HCR_E2H | VMSA_HCR_VM);
	CHECK_EQ(sysreg_regime(&s, 2, 40, false, false, &c, &why), 0);
	check_vhe(&c);
	setup_vhe(&s, VMSA_HCR_E2H | VMSA_HCR_TGE);
	CHECK_EQ(sysreg_regime(&s, 2, 40, false, false, &c, &why), 0);
	check_vhe(&c);
	/* EL0 with {E2H, TGE} = {1, 1}: the host's EL2&0, stage 2 off
	 * even with VM = 1 (its Effective value is 0). */
	setup_vhe(&s, VMSA_HCR_E2H | VMSA_HCR_TGE | VMSA_HCR_VM |
			      VMSA_HCR_DC);
	CHECK_EQ(sysreg_regime(&s, 0, 40, false, false, &c, &why), 0);
	check_vhe(&c);
	CHECK(!c.s1.dc);
}

TEST(regime_reserved_values)
{
	struct sysregs s;
	vmsa_regime_cfg_t c;

	setup(&s);
	s.r[VMSA_REG_TCR_EL1] = (s.r[VMSA_REG_TCR_EL1] & ~TG0(3)) | TG0(3);
	why = NULL;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL1.TG0 = 0b11 is reserved");
	/* With stage 1 off, the reserved granule translates nothing. */
	s.r[VMSA_REG_SCTLR_EL1] = 0;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), 0);
	CHECK(!c.s1.enabled);
	CHECK(c.s2.enabled);

	setup(&s);
	s.r[VMSA_REG_VTCR_EL2] |= TG0(3);
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), -EINVAL);
	CHECK_STR(why, "VTCR_EL2.TG0 = 0b11 is reserved");
	s.r[VMSA_REG_HCR_EL2] = 0;
	CHECK_EQ(sysreg_regime(&s, 1, 40, false, false, &c, &why), 0);
	CHECK(!c.s2.enabled);
	CHECK_EQ(c.s2.vmid, 5);

	setup(&s);
	s.r[VMSA_REG_TCR_EL2] |= EL2_PS(7);
	CHECK_EQ(sysreg_regime(&s, 2, 40, false, false, &c, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL2.PS = 0b111 is reserved when HCR_EL2.E2H = 0");
	s.r[VMSA_REG_SCTLR_EL2] = 0;
	CHECK_EQ(sysreg_regime(&s, 2, 40, false, false, &c, &why), 0);
	CHECK(!c.s1.enabled);

	setup(&s);
	CHECK_EQ(sysreg_regime(&s, 1, 20, false, false, &c, &why), -EINVAL);
	CHECK_STR(why, "pa_bits must be between 32 and 56");
}
