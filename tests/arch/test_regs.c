/*
 * tests/arch/test_regs.c - translation configurations from register
 * values (src/arch/regs.c; Arm ARM D24.2.194 TCR_EL1, D24.2.195 TCR_EL2,
 * D24.2.224 VTCR_EL2, D24.2.225 VTTBR_EL2, D8.1.7 - D8.1.10).
 */
#include <errno.h>

#include "harness.h"
#include "vmsa/arch.h"

/* TCR_EL1 (and TCR_EL2 with E2H = 1) fields. */
#define T0SZ(n) ((uint64_t)(n))
#define T1SZ(n) ((uint64_t)(n) << 16)
#define TG0(v) ((uint64_t)(v) << 14)
#define TG1(v) ((uint64_t)(v) << 30)
#define IPS(v) ((uint64_t)(v) << 32)
#define EPD0 (1ull << 7)
#define A1 (1ull << 22)
#define EPD1 (1ull << 23)
#define AS (1ull << 36)
#define TBI0 (1ull << 37)
#define TBI1 (1ull << 38)
#define HPD0 (1ull << 41)
#define HPD1 (1ull << 42)
/* TG0 and TG1 encode the granules differently. */
#define TG0_4K 0u
#define TG0_64K 1u
#define TG0_16K 2u
#define TG1_16K 1u
#define TG1_4K 2u
#define TG1_64K 3u

/* TCR_EL2 with E2H = 0. */
#define EL2_PS(v) ((uint64_t)(v) << 16)
#define EL2_TBI (1ull << 20)
#define EL2_HPD (1ull << 24)
#define EL2_RES1 ((1ull << 31) | (1ull << 23))

/* VTCR_EL2. */
#define SL0(v) ((uint64_t)(v) << 6)
#define VPS(v) ((uint64_t)(v) << 16)
#define VS (1ull << 19)

#define SCTLR_M 1ull
#define SCTLR_WXN (1ull << 19)

#define TTBR(asid, baddr) (((uint64_t)(asid) << 48) | (baddr))

static const uint64_t mair = 0x000000000044ff00ull;

TEST(tcr_el1_linux_4k_48bit)
{
	vmsa_stage_cfg_t c;
	const char *why = NULL;
	uint64_t tcr = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) | TG1(TG1_4K) |
		       IPS(5) | AS | TBI1;

	CHECK_EQ(vmsa_s1_cfg_el1(&c, tcr, TTBR(0x1234, 0x40001000 | 1),
				 TTBR(0x5678, 0x40002000), SCTLR_M, mair, 48,
				 &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(c.stage, VMSA_STAGE1);
	CHECK_EQ(c.regime, VMSA_REGIME_EL10);
	CHECK(c.enabled);
	CHECK(c.two_ranges);
	CHECK(!c.wxn);
	CHECK(!c.dc);
	CHECK(!c.fwb);
	CHECK_EQ(c.mair, mair);
	CHECK_EQ(c.oa_bits, 48);

	CHECK_EQ(c.tt[0].root, 0x40001000); /* CnP and ASID stripped */
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c.tt[0].ia_bits, 48);
	CHECK_EQ(c.tt[0].start_level, 0);
	CHECK_EQ(c.tt[0].concat, 1);
	CHECK_EQ(c.tt[0].asid, 0x1234);
	CHECK(!c.tt[0].epd);
	CHECK(!c.tt[0].tbi);
	CHECK(!c.tt[0].hpd);

	CHECK_EQ(c.tt[1].root, 0x40002000);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c.tt[1].ia_bits, 48);
	CHECK_EQ(c.tt[1].start_level, 0);
	CHECK_EQ(c.tt[1].concat, 1);
	/* A1 = 0: the ASID is TTBR0's, for both ranges. */
	CHECK_EQ(c.tt[1].asid, 0x1234);
	CHECK(c.tt[1].tbi);
}

TEST(tcr_el1_asid_a1_and_as)
{
	vmsa_stage_cfg_t c;
	uint64_t base = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) | TG1(TG1_4K) |
			IPS(5);
	uint64_t t0 = TTBR(0x1234, 0x1000), t1 = TTBR(0x5678, 0x2000);

	CHECK_EQ(vmsa_s1_cfg_el1(&c, base | A1 | AS, t0, t1, SCTLR_M, 0, 48,
				 NULL), 0);
	CHECK_EQ(c.tt[0].asid, 0x5678);
	CHECK_EQ(c.tt[1].asid, 0x5678);
	/* AS = 0: 8-bit ASIDs, TTBRn[63:56] ignored. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, base | A1, t0, t1, SCTLR_M, 0, 48, NULL),
		 0);
	CHECK_EQ(c.tt[0].asid, 0x78);
	CHECK_EQ(c.tt[1].asid, 0x78);
	CHECK_EQ(vmsa_s1_cfg_el1(&c, base, t0, t1, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].asid, 0x34);
}

TEST(tcr_el1_4k_sizes)
{
	vmsa_stage_cfg_t c;

	/* 39 bits: level 1; 40 bits: level 0 with a 2-entry table. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(25) | TG0(TG0_4K) | T1SZ(24) |
					     TG1(TG1_4K) | IPS(2),
				 0, 0, 0, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].ia_bits, 39);
	CHECK_EQ(c.tt[0].start_level, 1);
	CHECK_EQ(c.tt[1].ia_bits, 40);
	CHECK_EQ(c.tt[1].start_level, 0);
	CHECK_EQ(c.oa_bits, 40);
	CHECK(!c.enabled);
	/* 30 bits: level 2; 31 bits: level 1. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(34) | TG0(TG0_4K) | T1SZ(33) |
					     TG1(TG1_4K) | IPS(5),
				 0, 0, 0, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].ia_bits, 30);
	CHECK_EQ(c.tt[0].start_level, 2);
	CHECK_EQ(c.tt[1].ia_bits, 31);
	CHECK_EQ(c.tt[1].start_level, 1);
}

TEST(tcr_el1_16k_and_64k)
{
	vmsa_stage_cfg_t c;

	/* 16K: 47 bits start at level 1, 48 at level 0, 36 at level 2. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(17) | TG0(TG0_16K) | T1SZ(28) |
					     TG1(TG1_16K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_16K);
	CHECK_EQ(c.tt[0].ia_bits, 47);
	CHECK_EQ(c.tt[0].start_level, 1);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_16K);
	CHECK_EQ(c.tt[1].ia_bits, 36);
	CHECK_EQ(c.tt[1].start_level, 2);
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(TG0_16K) | T1SZ(16) |
					     TG1(TG1_16K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].start_level, 0);

	/* 64K: 48 bits at level 1, 42 at level 2, 29 at level 3. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(TG0_64K) | T1SZ(22) |
					     TG1(TG1_64K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_64K);
	CHECK_EQ(c.tt[0].ia_bits, 48);
	CHECK_EQ(c.tt[0].start_level, 1);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_64K);
	CHECK_EQ(c.tt[1].ia_bits, 42);
	CHECK_EQ(c.tt[1].start_level, 2);
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(35) | TG0(TG0_64K) | T1SZ(35) |
					     TG1(TG1_64K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].ia_bits, 29);
	CHECK_EQ(c.tt[0].start_level, 3);

	/* Mixed granules: TG0 and TG1 decoded each with its encoding. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(TG0_64K) | T1SZ(16) |
					     TG1(TG1_16K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_64K);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_16K);
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(TG0_16K) | T1SZ(16) |
					     TG1(TG1_64K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_16K);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_64K);
}

TEST(tcr_el1_tnsz_out_of_range_clamps)
{
	vmsa_stage_cfg_t c;

	/* Below 16 acts as 16 (RSXWGM), above 39 as 39 (Table D8-7). */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(10) | TG0(TG0_4K) | T1SZ(63) |
					     TG1(TG1_4K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].ia_bits, 48);
	CHECK_EQ(c.tt[0].start_level, 0);
	CHECK_EQ(c.tt[1].ia_bits, 25);
	CHECK_EQ(c.tt[1].start_level, 2);
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(0) | TG0(TG0_64K) | T1SZ(40) |
					     TG1(TG1_64K) | IPS(5),
				 0, 0, SCTLR_M, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[0].ia_bits, 48);
	CHECK_EQ(c.tt[0].start_level, 1);
	CHECK_EQ(c.tt[1].ia_bits, 25);
	CHECK_EQ(c.tt[1].start_level, 3);
}

TEST(tcr_el1_flags_and_sctlr)
{
	vmsa_stage_cfg_t c;
	uint64_t tcr = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) | TG1(TG1_4K) |
		       IPS(5) | EPD0 | HPD1 | TBI0;

	CHECK_EQ(vmsa_s1_cfg_el1(&c, tcr, 0, 0, SCTLR_M | SCTLR_WXN, 0, 48,
				 NULL), 0);
	CHECK(c.wxn);
	CHECK(c.tt[0].epd);
	CHECK(!c.tt[1].epd);
	CHECK(!c.tt[0].hpd);
	CHECK(c.tt[1].hpd);
	CHECK(c.tt[0].tbi);
	CHECK(!c.tt[1].tbi);
	tcr = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) | TG1(TG1_4K) | IPS(5) |
	      EPD1 | HPD0 | TBI1;
	CHECK_EQ(vmsa_s1_cfg_el1(&c, tcr, 0, 0, 0, 0, 48, NULL), 0);
	CHECK(!c.enabled);
	CHECK(!c.wxn);
	CHECK(!c.tt[0].epd);
	CHECK(c.tt[1].epd);
	CHECK(c.tt[0].hpd);
	CHECK(!c.tt[1].hpd);
	CHECK(!c.tt[0].tbi);
	CHECK(c.tt[1].tbi);
}

TEST(ips_capped_by_pa_bits)
{
	static const struct {
		unsigned ips, pa_bits, oa_bits;
	} cases[] = {
		{ 0, 48, 32 }, { 1, 48, 36 }, { 2, 48, 40 }, { 3, 48, 42 },
		{ 4, 48, 44 }, { 5, 48, 48 },
		/* RCLPQT: larger than the PA size -> the PA size. */
		{ 5, 40, 40 }, { 4, 36, 36 }, { 2, 32, 32 },
		/* 0b110 / 0b111: 48 bits without FEAT_LPA descriptors. */
		{ 6, 48, 48 }, { 6, 52, 48 }, { 7, 52, 48 }, { 6, 44, 44 },
	};
	vmsa_stage_cfg_t c;

	for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		uint64_t base = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) |
				TG1(TG1_4K);

		CHECK_EQ(vmsa_s1_cfg_el1(&c, base | IPS(cases[k].ips), 0, 0,
					 0, 0, cases[k].pa_bits, NULL), 0);
		CHECK_EQ(c.oa_bits, cases[k].oa_bits);
		CHECK_EQ(vmsa_s2_cfg(&c, T0SZ(24) | SL0(1) |
					     VPS(cases[k].ips),
				     0, 0, cases[k].pa_bits, NULL), 0);
		CHECK_EQ(c.oa_bits, cases[k].oa_bits);
	}
}

TEST(tcr_el1_reserved_tg)
{
	vmsa_stage_cfg_t c;
	const char *why = NULL;

	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(3) | T1SZ(16) |
					     TG1(TG1_4K),
				 0, 0, 0, 0, 48, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL1.TG0 = 0b11 is reserved");
	why = NULL;
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(TG0_4K) | T1SZ(16) |
					     TG1(0),
				 0, 0, 0, 0, 48, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL1.TG1 = 0b00 is reserved");
	/* A range with walks disabled is not rejected for its granule. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(TG0_4K) | T1SZ(16) |
					     TG1(0) | EPD1,
				 0, 0, 0, 0, 48, NULL), 0);
	CHECK(c.tt[1].epd);
	CHECK_EQ(vmsa_s1_cfg_el1(&c, T0SZ(16) | TG0(3) | EPD0 | T1SZ(16) |
					     TG1(TG1_64K),
				 0, 0, 0, 0, 48, NULL), 0);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_64K);
	/* A why pointer may be NULL; pa_bits must make sense. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, TG0(3), 0, 0, 0, 0, 48, NULL), -EINVAL);
	why = NULL;
	CHECK_EQ(vmsa_s1_cfg_el1(&c, TG1(TG1_4K), 0, 0, 0, 0, 0, &why),
		 -EINVAL);
	CHECK_STR(why, "pa_bits must be between 32 and 56");
}

TEST(hcr_dc_on_el1_stage1)
{
	vmsa_stage_cfg_t c;
	uint64_t tcr = T0SZ(16) | TG0(TG0_4K) | T1SZ(16) | TG1(TG1_4K) |
		       IPS(5);

	CHECK_EQ(vmsa_s1_cfg_el1(&c, tcr, 0, 0, SCTLR_M, 0, 48, NULL), 0);
	vmsa_s1_cfg_el1_hcr(&c, VMSA_HCR_VM);
	CHECK(c.enabled);
	CHECK(!c.dc);
	vmsa_s1_cfg_el1_hcr(&c, VMSA_HCR_VM | VMSA_HCR_DC);
	CHECK(!c.enabled); /* SCTLR_EL1.M behaves as 0 */
	CHECK(c.dc);
	/* With {E2H, TGE} = {1, 1} DC's Effective value is 0. */
	CHECK_EQ(vmsa_s1_cfg_el1(&c, tcr, 0, 0, SCTLR_M, 0, 48, NULL), 0);
	vmsa_s1_cfg_el1_hcr(&c, VMSA_HCR_DC | VMSA_HCR_E2H | VMSA_HCR_TGE);
	CHECK(c.enabled);
	CHECK(!c.dc);
}

TEST(tcr_el2_e2h0_one_range)
{
	vmsa_stage_cfg_t c;
	const char *why = NULL;
	/* Bit 23 is RES1 here (EPD1 in the two-range format): not EPD. */
	uint64_t tcr = EL2_RES1 | T0SZ(16) | TG0(TG0_4K) | EL2_PS(5) |
		       EL2_TBI | EL2_HPD;

	CHECK_EQ(vmsa_s1_cfg_el2(&c, false, tcr, TTBR(0x99, 0x80000000),
				 TTBR(1, 0x1000), SCTLR_M | SCTLR_WXN, mair,
				 48, &why), 0);
	CHECK_EQ(c.stage, VMSA_STAGE1);
	CHECK_EQ(c.regime, VMSA_REGIME_EL2);
	CHECK(!c.two_ranges);
	CHECK(c.enabled);
	CHECK(c.wxn);
	CHECK_EQ(c.mair, mair);
	CHECK_EQ(c.oa_bits, 48);
	CHECK_EQ(c.tt[0].root, 0x80000000);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c.tt[0].ia_bits, 48);
	CHECK_EQ(c.tt[0].start_level, 0);
	CHECK_EQ(c.tt[0].concat, 1);
	CHECK_EQ(c.tt[0].asid, 0); /* no ASID in this regime */
	CHECK(!c.tt[0].epd);
	CHECK(c.tt[0].tbi);
	CHECK(c.tt[0].hpd);
	CHECK_EQ(c.tt[1].root, 0); /* TTBR1 unused */

	/* 64K, 42 bits, PS capped by the PA size. */
	CHECK_EQ(vmsa_s1_cfg_el2(&c, false, EL2_RES1 | T0SZ(22) |
						    TG0(TG0_64K) | EL2_PS(5),
				 0, 0, 0, 0, 40, NULL), 0);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_64K);
	CHECK_EQ(c.tt[0].ia_bits, 42);
	CHECK_EQ(c.tt[0].start_level, 2);
	CHECK_EQ(c.oa_bits, 40);
	CHECK(!c.tt[0].tbi);
	CHECK(!c.tt[0].hpd);

	/* Reserved values. */
	CHECK_EQ(vmsa_s1_cfg_el2(&c, false, T0SZ(16) | TG0(3), 0, 0, 0, 0, 48,
				 &why), -EINVAL);
	CHECK_STR(why, "TCR_EL2.TG0 = 0b11 is reserved");
	CHECK_EQ(vmsa_s1_cfg_el2(&c, false, T0SZ(16) | EL2_PS(7), 0, 0, 0, 0,
				 48, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL2.PS = 0b111 is reserved when HCR_EL2.E2H = 0");
}

TEST(tcr_el2_e2h1_two_ranges)
{
	vmsa_stage_cfg_t c;
	const char *why = NULL;
	uint64_t tcr = T0SZ(16) | TG0(TG0_16K) | T1SZ(25) | TG1(TG1_4K) |
		       IPS(5) | A1 | AS | TBI0 | HPD1;

	CHECK_EQ(vmsa_s1_cfg_el2(&c, true, tcr, TTBR(0x1111, 0x10000),
				 TTBR(0x2222, 0x20000), SCTLR_M, mair, 48,
				 &why), 0);
	CHECK_EQ(c.regime, VMSA_REGIME_EL20);
	CHECK(c.two_ranges);
	CHECK(c.enabled);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_16K);
	CHECK_EQ(c.tt[0].ia_bits, 48);
	CHECK_EQ(c.tt[0].start_level, 0);
	CHECK_EQ(c.tt[0].root, 0x10000);
	CHECK(c.tt[0].tbi);
	CHECK(!c.tt[0].hpd);
	CHECK_EQ(c.tt[1].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c.tt[1].ia_bits, 39);
	CHECK_EQ(c.tt[1].start_level, 1);
	CHECK_EQ(c.tt[1].root, 0x20000);
	CHECK(!c.tt[1].tbi);
	CHECK(c.tt[1].hpd);
	CHECK_EQ(c.tt[0].asid, 0x2222);
	CHECK_EQ(c.tt[1].asid, 0x2222);
	CHECK_EQ(vmsa_s1_cfg_el2(&c, true, T0SZ(16) | TG0(TG0_4K) | T1SZ(16) |
						   TG1(0),
				 0, 0, 0, 0, 48, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL2.TG1 = 0b00 is reserved");
	CHECK_EQ(vmsa_s1_cfg_el2(&c, true, T0SZ(16) | TG0(3) | T1SZ(16) |
						   TG1(TG1_4K),
				 0, 0, 0, 0, 48, &why), -EINVAL);
	CHECK_STR(why, "TCR_EL2.TG0 = 0b11 is reserved");
}

/* Stage 2 with the given VTCR_EL2 and pa_bits; returns the cfg. */
static vmsa_stage_cfg_t s2(uint64_t vtcr, unsigned pa_bits)
{
	vmsa_stage_cfg_t c;
	int rc = vmsa_s2_cfg(&c, vtcr, 0, VMSA_HCR_VM, pa_bits, NULL);

	CHECK_EQ(rc, 0);
	return c;
}

#define CHECK_S2(vtcr, pa, ia, lvl, cat)                 \
	do {                                             \
		vmsa_stage_cfg_t cs_ = s2((vtcr), (pa)); \
		CHECK_EQ(cs_.tt[0].ia_bits, (ia));       \
		CHECK_EQ(cs_.tt[0].start_level, (lvl));  \
		CHECK_EQ(cs_.tt[0].concat, (cat));       \
	} while (0)

TEST(vtcr_4k_sl0_and_concat)
{
	/* SL0: 0 -> level 2, 1 -> level 1, 2 -> level 0. */
	CHECK_S2(T0SZ(16) | SL0(2) | TG0(TG0_4K) | VPS(5), 48, 48, 0, 1);
	CHECK_S2(T0SZ(25) | SL0(1) | TG0(TG0_4K) | VPS(5), 48, 39, 1, 1);
	/* 40-bit IPA from level 1: two concatenated tables (KVM's
	 * default). */
	CHECK_S2(T0SZ(24) | SL0(1) | TG0(TG0_4K) | VPS(2), 48, 40, 1, 2);
	/* 43 bits from level 1: the 16-table limit. */
	CHECK_S2(T0SZ(21) | SL0(1) | TG0(TG0_4K) | VPS(5), 48, 43, 1, 16);
	CHECK_S2(T0SZ(32) | SL0(0) | TG0(TG0_4K) | VPS(0), 48, 32, 2, 4);
	CHECK_S2(T0SZ(34) | SL0(0) | TG0(TG0_4K) | VPS(0), 48, 30, 2, 1);
	/* 40 bits can also start at level 0 (a 2-entry table). */
	CHECK_S2(T0SZ(24) | SL0(2) | TG0(TG0_4K) | VPS(5), 48, 40, 0, 1);
}

TEST(vtcr_4k_invalid_gives_concat_0)
{
	/* 48 bits from level 1 would need 512 tables. */
	CHECK_S2(T0SZ(16) | SL0(1) | TG0(TG0_4K) | VPS(5), 48, 48, 1, 0);
	/* 44 bits from level 2. */
	CHECK_S2(T0SZ(20) | SL0(0) | TG0(TG0_4K) | VPS(5), 48, 44, 2, 0);
	/* 39 bits cannot start at level 0 (nothing resolved there). */
	CHECK_S2(T0SZ(25) | SL0(2) | TG0(TG0_4K) | VPS(5), 48, 39, 0, 0);
	/* SL0 = 0b11 is reserved without FEAT_TTST. */
	CHECK_S2(T0SZ(34) | SL0(3) | TG0(TG0_4K) | VPS(5), 48, 30, 0, 0);
	/* Table D8-9: level 0 needs a PA size of at least 44 bits. T0SZ
	 * 24 is the 40-bit PA minimum. */
	CHECK_S2(T0SZ(24) | SL0(2) | TG0(TG0_4K) | VPS(2), 40, 40, 0, 0);
	CHECK_S2(T0SZ(20) | SL0(2) | TG0(TG0_4K) | VPS(4), 44, 44, 0, 1);
}

TEST(vtcr_t0sz_clamped)
{
	/* Table D8-8: with a 40-bit PA, T0SZ below 24 acts as 24. */
	CHECK_S2(T0SZ(16) | SL0(1) | TG0(TG0_4K) | VPS(2), 40, 40, 1, 2);
	CHECK_S2(T0SZ(16) | SL0(1) | TG0(TG0_4K) | VPS(2), 36, 36, 1, 1);
	/* Above 39 acts as 39: 25 bits from level 2. */
	CHECK_S2(T0SZ(50) | SL0(0) | TG0(TG0_4K) | VPS(5), 48, 25, 2, 1);
	/* A 52-bit PE still has 48-bit stage 2 tables in vmsa. */
	CHECK_S2(T0SZ(12) | SL0(2) | TG0(TG0_4K) | VPS(6), 52, 48, 0, 1);
}

TEST(vtcr_16k_and_64k)
{
	/* RDXBSH: 16K with a 48-bit IPA starts at level 1 with two
	 * concatenated tables. SL0: 0 -> L3, 1 -> L2, 2 -> L1. */
	CHECK_S2(T0SZ(16) | SL0(2) | TG0(TG0_16K) | VPS(5), 48, 48, 1, 2);
	CHECK_S2(T0SZ(24) | SL0(1) | TG0(TG0_16K) | VPS(2), 48, 40, 2, 16);
	CHECK_S2(T0SZ(24) | SL0(2) | TG0(TG0_16K) | VPS(2), 48, 40, 1, 1);
	CHECK_S2(T0SZ(36) | SL0(0) | TG0(TG0_16K) | VPS(0), 48, 28, 3, 8);
	CHECK_S2(T0SZ(39) | SL0(0) | TG0(TG0_16K) | VPS(0), 48, 25, 3, 1);
	/* 16K level 1 needs 42 PA bits (Table D8-9). */
	CHECK_S2(T0SZ(24) | SL0(2) | TG0(TG0_16K) | VPS(2), 40, 40, 1, 0);
	/* SL0 = 0b11 (level 0) needs VTCR_EL2.DS: not modelled. */
	CHECK_S2(T0SZ(16) | SL0(3) | TG0(TG0_16K) | VPS(5), 48, 48, 0, 0);

	CHECK_S2(T0SZ(16) | SL0(2) | TG0(TG0_64K) | VPS(5), 48, 48, 1, 1);
	CHECK_S2(T0SZ(24) | SL0(1) | TG0(TG0_64K) | VPS(2), 48, 40, 2, 1);
	CHECK_S2(T0SZ(20) | SL0(1) | TG0(TG0_64K) | VPS(4), 48, 44, 2, 4);
	CHECK_S2(T0SZ(35) | SL0(0) | TG0(TG0_64K) | VPS(0), 48, 29, 3, 1);
	/* 64K level 1 needs 44 PA bits; SL0 = 0b11 is reserved. */
	CHECK_S2(T0SZ(24) | SL0(2) | TG0(TG0_64K) | VPS(2), 40, 40, 1, 0);
	CHECK_S2(T0SZ(16) | SL0(3) | TG0(TG0_64K) | VPS(5), 48, 48, 0, 0);
	CHECK_EQ(s2(TG0(TG0_64K), 48).tt[0].granule, VMSA_GRANULE_64K);
	CHECK_EQ(s2(TG0(TG0_16K), 48).tt[0].granule, VMSA_GRANULE_16K);
}

TEST(vttbr_vmid_root_and_hcr)
{
	vmsa_stage_cfg_t c;
	const char *why = NULL;
	uint64_t vtcr = T0SZ(24) | SL0(1) | TG0(TG0_4K) | VPS(2);
	uint64_t vttbr = TTBR(0xabcd, 0x80004000 | 1);

	CHECK_EQ(vmsa_s2_cfg(&c, vtcr, vttbr, VMSA_HCR_VM, 48, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(c.stage, VMSA_STAGE2);
	CHECK_EQ(c.regime, VMSA_REGIME_EL10);
	CHECK(c.enabled);
	CHECK(!c.fwb);
	CHECK(!c.two_ranges);
	CHECK_EQ(c.vmid, 0xcd); /* VS = 0: 8-bit VMID */
	CHECK_EQ(c.tt[0].root, 0x80004000);
	CHECK_EQ(c.tt[0].granule, VMSA_GRANULE_4K);
	CHECK_EQ(c.oa_bits, 40);

	CHECK_EQ(vmsa_s2_cfg(&c, vtcr | VS, vttbr,
			     VMSA_HCR_VM | VMSA_HCR_FWB, 48, NULL), 0);
	CHECK_EQ(c.vmid, 0xabcd);
	CHECK(c.fwb);

	CHECK_EQ(vmsa_s2_cfg(&c, vtcr, vttbr, 0, 48, NULL), 0);
	CHECK(!c.enabled);
	/* HCR_EL2.DC = 1: the PE behaves as if VM were 1. */
	CHECK_EQ(vmsa_s2_cfg(&c, vtcr, vttbr, VMSA_HCR_DC, 48, NULL), 0);
	CHECK(c.enabled);
	CHECK_EQ(vmsa_s2_cfg(&c, vtcr, vttbr,
			     VMSA_HCR_DC | VMSA_HCR_E2H | VMSA_HCR_TGE, 48,
			     NULL), 0);
	CHECK(!c.enabled);

	CHECK_EQ(vmsa_s2_cfg(&c, vtcr | TG0(3), vttbr, VMSA_HCR_VM, 48, &why),
		 -EINVAL);
	CHECK_STR(why, "VTCR_EL2.TG0 = 0b11 is reserved");
	CHECK_EQ(vmsa_s2_cfg(&c, vtcr, vttbr, VMSA_HCR_VM, 64, &why), -EINVAL);
	CHECK_STR(why, "pa_bits must be between 32 and 56");
}
