/*
 * tests/arch/test_walk2.c - stage 2 (src/arch/walk.c) and whole regimes
 * (src/arch/walk_regime.c): concatenated stage-2 roots, the IPA size
 * check, two-stage walks with stage-1 table fetches through stage 2
 * (S1PTW), fault priority between the stages, disabled stages, and the
 * one-line format.
 *
 * The fixture (4K granule at both stages):
 *   stage 2: 40-bit IPA, start level 1 with two concatenated tables at
 *            PA 0x100000; IPA 0x80000000 -> L2 table 0x102000;
 *            L2[0] -> L3 table 0x103000 mapping the stage-1 tables
 *            (IPA 0x80100000, 0x80101000, 0x80102000 -> PA 0x200000,
 *            0x201000, 0x202000); L2[128] = 2MB block IPA 0x90000000 ->
 *            PA 0x40600000.
 *   stage 1: 39-bit VA, start level 1, root IPA 0x80100000; VA
 *            0x40005123 -> L1[1] -> L2[0] -> L3[5] = page IPA 0x90001000.
 */
#include "test_walk_sim.h"

#define VA 0x40005123ull
#define S2_ROOT 0x100000ull
#define S2_L2 0x102000ull
#define S2_L3 0x103000ull
#define S1_L1_IPA 0x80100000ull
#define S1_L2_IPA 0x80101000ull
#define S1_L3_IPA 0x80102000ull
#define S1_L1_PA 0x200000ull
#define S1_L2_PA 0x201000ull
#define S1_L3_PA 0x202000ull

/* Stage-2 descriptor addresses used by the fixture. */
#define S2_L1_SLOT (S2_ROOT + 8 * 2)		/* IPA[39:30] = 2 */
#define S2_L2_SLOT_TABLES (S2_L2 + 8 * 0)	/* IPA 0x80000000 */
#define S2_L2_SLOT_DATA (S2_L2 + 8 * 128)	/* IPA 0x90000000 */
#define S2_L3_SLOT(ipa) (S2_L3 + 8 * (((ipa) >> 12) & 511))

static uint64_t s1_page = 0;

static vmsa_regime_cfg_t fixture(void)
{
	vmsa_regime_cfg_t r;

	sim_reset();
	/* Stage 2. */
	sim_set(S2_L1_SLOT, d_table(S2_L2));
	sim_set(S2_L2_SLOT_TABLES, d_table(S2_L3));
	sim_set(S2_L3_SLOT(S1_L1_IPA), s2_leaf(S1_L1_PA, 3, 0xf, 3, 0));
	sim_set(S2_L3_SLOT(S1_L2_IPA), s2_leaf(S1_L2_PA, 3, 0xf, 3, 0));
	sim_set(S2_L3_SLOT(S1_L3_IPA), s2_leaf(S1_L3_PA, 3, 0xf, 3, 0));
	sim_set(S2_L2_SLOT_DATA, s2_leaf(0x40600000, 2, 0xf, 3, 0));
	/* Stage 1, at the PAs stage 2 gives its tables. */
	s1_page = s1_leaf(0x90001000, 3, AP_RW_EL1, 0);
	sim_set(S1_L1_PA + 8, d_table(S1_L2_IPA));
	sim_set(S1_L2_PA, d_table(S1_L3_IPA));
	sim_set(S1_L3_PA + 8 * 5, s1_page);

	memset(&r, 0, sizeof(r));
	r.regime = VMSA_REGIME_EL10;
	r.pa_bits = 48;
	r.s1 = s1_cfg(VMSA_REGIME_EL10, VMSA_GRANULE_4K, 39, 1, S1_L1_IPA,
		      0x700000);
	r.s2 = s2_cfg(VMSA_GRANULE_4K, 40, 1, 2, S2_ROOT);
	return r;
}

static bool walk2(const vmsa_regime_cfg_t *r, uint64_t va,
		  vmsa_acc_kind_t kind, unsigned el, vmsa_walk_t *w)
{
	vmsa_access_t a = acc_of(va, kind, el);

	return vmsa_walk(r, sim_read, NULL, &a, w);
}

/* ------------------------------------------------------------------ */
/* Stage 2 on its own                                                  */
/* ------------------------------------------------------------------ */

/* Two concatenated level-1 tables resolve IPA[39:30]: an IPA with bit
 * 39 set indexes the second table (RJKZFY). */
TEST(walk2_s2_concatenated_4k)
{
	vmsa_stage_cfg_t c = s2_cfg(VMSA_GRANULE_4K, 40, 1, 2, S2_ROOT);
	const uint64_t ipa = 0x8040001234ull;
	vmsa_walk_t w;

	sim_reset();
	sim_set(S2_ROOT + 4096 + 8, s2_leaf(0x100000000ull, 1, 0xf, 3, 0));
	CHECK(walk1(&c, ipa, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x100001234ull);
	CHECK_EQ(w.ipa, ipa);
	CHECK(!w.leaf[0].present);
	CHECK(w.leaf[1].present);
	CHECK_EQ(w.leaf[1].level, 1);
	CHECK_EQ(w.leaf[1].desc_pa, S2_ROOT + 4096 + 8);
	CHECK_EQ(w.leaf[1].ia, 0x8040000000ull);
	CHECK_EQ(w.n_reads, 1);
	CHECK_STEP(&w, 0, VMSA_STAGE2, 1, S2_ROOT + 4096 + 8, false);
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_WB);
	CHECK_EQ(w.attr.sh, VMSA_SH_ISH);

	/* Beyond the 40-bit IPA size: stage 2 level 0 Translation fault
	 * (D8.1.10), before any read. */
	CHECK(!walk1(&c, 1ull << 40, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 0, 0x04);
	CHECK(w.fault.ipa_valid);
	CHECK_EQ(w.fault.ipa, 1ull << 40);
	CHECK_EQ(w.n_reads, 0);
}

/* 64K, 43-bit IPA: start level 2 with two tables of 8192 entries. */
TEST(walk2_s2_concatenated_64k)
{
	vmsa_stage_cfg_t c = s2_cfg(VMSA_GRANULE_64K, 43, 2, 2, 0x300000);
	vmsa_walk_t w;

	sim_reset();
	sim_set(0x310000, s2_leaf(0x20000000, 2, 0xf, 3, 0));
	CHECK(walk1(&c, 0x40000010000ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x20010000ull);
	CHECK_EQ(w.leaf[1].size, 512ull << 20);
	CHECK_STEP(&w, 0, VMSA_STAGE2, 2, 0x310000, false);
}

/* concat == 0: VTCR_EL2.SL0 inconsistent with T0SZ, a stage 2 level 0
 * Translation fault on every walk (RXCHFJ). */
TEST(walk2_s2_invalid_vtcr)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	r.s2.tt[0].concat = 0;
	CHECK(!walk1(&r.s2, 0x1000, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 0, 0x04);
	CHECK_EQ(w.n_reads, 0);

	/* In a regime the first stage-1 table fetch hits it. */
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 0, 0x04);
	CHECK(w.fault.s1ptw);
	CHECK_EQ(w.fault.ipa, S1_L1_IPA + 8);
	CHECK_EQ(w.n_reads, 0);
}

/* Stage 2 disabled on its own: IPA == PA, nothing restricted. */
TEST(walk2_s2_disabled_alone)
{
	vmsa_stage_cfg_t c = s2_cfg(VMSA_GRANULE_4K, 40, 1, 2, S2_ROOT);
	vmsa_walk_t w;

	c.enabled = false;
	sim_reset();
	CHECK(walk1(&c, 0x12345678ull, VMSA_ACC_EXEC, 0, &w));
	CHECK_EQ(w.pa, 0x12345678ull);
	CHECK(!w.leaf[1].present);
	CHECK_PERMS(w.perms, 1, 1, 1, 1, 1, 1);
	CHECK_EQ(w.n_reads, 0);
}

/* ------------------------------------------------------------------ */
/* Two stages                                                          */
/* ------------------------------------------------------------------ */

/* The whole walk: every read in order (D8.2.1: (S1+1)*(S2+1)-1 at most),
 * the PA, both leaves, combined permissions and attributes. */
TEST(walk2_success_and_reads)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;
	char buf[200];

	CHECK(walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.fault.kind, VMSA_FAULT_NONE);
	CHECK_EQ(w.ia, VA);
	CHECK_EQ(w.ipa, 0x90001123ull);
	CHECK_EQ(w.pa, 0x40601123ull);

	CHECK(w.leaf[0].present);
	CHECK_EQ(w.leaf[0].level, 3);
	CHECK_EQ(w.leaf[0].desc, s1_page);
	CHECK_EQ(w.leaf[0].desc_pa, S1_L3_PA + 8 * 5);
	CHECK_EQ(w.leaf[0].ia, 0x40005000ull);
	CHECK_EQ(w.leaf[0].oa, 0x90001000ull);
	CHECK(w.leaf[1].present);
	CHECK_EQ(w.leaf[1].level, 2);
	CHECK_EQ(w.leaf[1].size, 2ull << 20);
	CHECK_EQ(w.leaf[1].desc_pa, S2_L2_SLOT_DATA);
	CHECK_EQ(w.leaf[1].ia, 0x90000000ull);
	CHECK_EQ(w.leaf[1].oa, 0x40600000ull);
	CHECK_EQ(w.asid, 42);
	CHECK_PERMS(w.perms, 1, 1, 1, 0, 0, 1);
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_WB);
	CHECK_EQ(w.attr.outer, VMSA_CACHE_WB);
	CHECK_EQ(w.attr.sh, VMSA_SH_ISH);

	CHECK_EQ(w.n_reads, 14);
	CHECK_EQ(sim.n_reads, 14);
	/* Stage-1 level 1 descriptor at IPA 0x80100008. */
	CHECK_STEP(&w, 0, VMSA_STAGE2, 1, S2_L1_SLOT, true);
	CHECK_STEP(&w, 1, VMSA_STAGE2, 2, S2_L2_SLOT_TABLES, true);
	CHECK_STEP(&w, 2, VMSA_STAGE2, 3, S2_L3_SLOT(S1_L1_IPA), true);
	CHECK_STEP(&w, 3, VMSA_STAGE1, 1, S1_L1_PA + 8, false);
	/* Level 2 at IPA 0x80101000. */
	CHECK_STEP(&w, 4, VMSA_STAGE2, 1, S2_L1_SLOT, true);
	CHECK_STEP(&w, 5, VMSA_STAGE2, 2, S2_L2_SLOT_TABLES, true);
	CHECK_STEP(&w, 6, VMSA_STAGE2, 3, S2_L3_SLOT(S1_L2_IPA), true);
	CHECK_STEP(&w, 7, VMSA_STAGE1, 2, S1_L2_PA, false);
	/* Level 3 at IPA 0x80102028. */
	CHECK_STEP(&w, 8, VMSA_STAGE2, 1, S2_L1_SLOT, true);
	CHECK_STEP(&w, 9, VMSA_STAGE2, 2, S2_L2_SLOT_TABLES, true);
	CHECK_STEP(&w, 10, VMSA_STAGE2, 3, S2_L3_SLOT(S1_L3_IPA), true);
	CHECK_STEP(&w, 11, VMSA_STAGE1, 3, S1_L3_PA + 0x28, false);
	/* The output IPA. */
	CHECK_STEP(&w, 12, VMSA_STAGE2, 1, S2_L1_SLOT, false);
	CHECK_STEP(&w, 13, VMSA_STAGE2, 2, S2_L2_SLOT_DATA, false);
	CHECK_EQ(w.reads[11].value, s1_page);

	/* What the reader was told: the IA each stage translates. */
	CHECK_EQ(sim.seen[0].ia, S1_L1_IPA + 8);
	CHECK(sim.seen[0].s1ptw);
	CHECK_EQ(sim.seen[3].ia, 0x40005123ull);
	CHECK_EQ(sim.seen[12].ia, 0x90001123ull);
	CHECK(!sim.seen[12].s1ptw);

	vmsa_walk_format(buf, sizeof(buf), &w);
	CHECK_STR(buf, "va 0x40005123 -> ipa 0x90001123 -> pa 0x40601123 "
		       "L3 4K s2 L2 2M NormalWB ISH r w x el0 - - x");
}

/* Combined permissions are the AND (stage 2 only restricts); combined
 * attributes take the weaker cacheability and the stronger Device. */
TEST(walk2_combined_perms_attrs)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;
	char buf[64];

	/* Stage 2 read-only, EL1 not executable (XN = 01). */
	sim_set(S2_L2_SLOT_DATA, s2_leaf(0x40600000, 2, 0x5, 1, D_S2XN0));
	CHECK(walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_PERMS(w.perms, 1, 0, 0, 0, 0, 1);
	vmsa_memattr_format(buf, sizeof(buf), &w.attr);
	CHECK_STR(buf, "NormalNC OSH");

	/* Stage 1 Device-nGnRnE (AttrIndx 1) over stage 2 Write-Back. */
	sim_set(S2_L2_SLOT_DATA, s2_leaf(0x40600000, 2, 0xf, 3, 0));
	sim_set(S1_L3_PA + 8 * 5, s1_page | D_ATTR(1));
	CHECK(walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.attr.type, VMSA_MT_DEVICE_nGnRnE);

	/* FWB: MemAttr 0b0110 forces Write-Back over a Device stage 1. */
	r.s2.fwb = true;
	sim_set(S2_L2_SLOT_DATA, s2_leaf(0x40600000, 2, 0x6, 3, 0));
	CHECK(walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_WB);
}

/* A stage-2 Translation fault on a stage-1 table fetch: stage 2, S1PTW,
 * the stage-2 level, the descriptor's IPA, the original VA. */
TEST(walk2_s1ptw_translation_fault)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;
	char buf[160];

	sim_set(S2_L3_SLOT(S1_L2_IPA), 0);
	CHECK(!walk2(&r, VA, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 3, 0x07);
	CHECK(w.fault.s1ptw);
	CHECK(w.fault.ipa_valid);
	CHECK_EQ(w.fault.ipa, S1_L2_IPA);
	CHECK_EQ(w.fault.va, VA);
	CHECK_EQ(w.fault.acc, VMSA_ACC_WRITE);
	CHECK_EQ(w.n_reads, 7);
	CHECK(!w.leaf[0].present);

	vmsa_walk_format(buf, sizeof(buf), &w);
	CHECK_STR(buf, "translation fault stage 2 L3 s1ptw fsc=0x07 write "
		       "va=0x40005123 ipa=0x80101000");

	/* Invalid at stage-2 level 1 for the tables: level 1. */
	r = fixture();
	sim_set(S2_L1_SLOT, 0);
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 1, 0x05);
	CHECK(w.fault.s1ptw);
	CHECK_EQ(w.fault.ipa, S1_L1_IPA + 8);
	CHECK_EQ(w.n_reads, 1);
}

/* The table fetch is a read at stage 2: S2AP without read permission
 * is a stage-2 Permission fault with S1PTW, whatever the access. */
TEST(walk2_s1ptw_permission_fault)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	sim_set(S2_L3_SLOT(S1_L3_IPA), s2_leaf(S1_L3_PA, 3, 0xf, 2, 0));
	CHECK(!walk2(&r, VA, VMSA_ACC_EXEC, 0, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE2, 3, 0x0f);
	CHECK(w.fault.s1ptw);
	CHECK_EQ(w.fault.ipa, S1_L3_IPA + 0x28);
	CHECK_EQ(w.fault.acc, VMSA_ACC_EXEC);
	CHECK_EQ(w.n_reads, 11);

	/* Read-only is enough for a walk, even for a write access. */
	sim_set(S2_L3_SLOT(S1_L3_IPA), s2_leaf(S1_L3_PA, 3, 0xf, 1, D_UXN));
	CHECK(walk2(&r, VA, VMSA_ACC_WRITE, 1, &w));
}

/* External abort on a stage-2 read for a stage-1 table: stage 2, S1PTW. */
TEST(walk2_s1ptw_external_abort)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	sim_abort_at(S2_L2_SLOT_TABLES);
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_EXTERNAL, VMSA_STAGE2, 2, 0x16);
	CHECK(w.fault.s1ptw);
	CHECK_EQ(w.n_reads, 2);
}

/* A stage-1 table IPA beyond the stage-2 IPA size: stage 2 level 0
 * Translation fault with S1PTW. */
TEST(walk2_s1ptw_ipa_out_of_range)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	r.s1.tt[0].root = 1ull << 40;
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 0, 0x04);
	CHECK(w.fault.s1ptw);
	CHECK_EQ(w.fault.ipa, (1ull << 40) + 8);
	CHECK_EQ(w.n_reads, 0);
}

/* A stage-2 Permission fault on the output IPA: no S1PTW, the access's
 * IPA; the stage-1 leaf is known. */
TEST(walk2_final_permission_fault)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	sim_set(S2_L2_SLOT_DATA, s2_leaf(0x40600000, 2, 0xf, 1, 0));
	CHECK(walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK(!walk2(&r, VA, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE2, 2, 0x0e);
	CHECK(!w.fault.s1ptw);
	CHECK(w.fault.ipa_valid);
	CHECK_EQ(w.fault.ipa, 0x90001123ull);
	CHECK_EQ(w.fault.va, VA);
	CHECK(w.leaf[0].present);
	CHECK(w.leaf[1].present);
	CHECK_EQ(w.n_reads, 14);

	/* Stage-2 XN = 10: no execution at EL1 or EL0. */
	sim_set(S2_L2_SLOT_DATA, s2_leaf(0x40600000, 2, 0xf, 3, D_UXN));
	CHECK(!walk2(&r, VA, VMSA_ACC_EXEC, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE2, 2, 0x0e);
}

/* Stage-1 faults, Permission included, come before any stage-2 fault on
 * the output address (RXCHFJ items 36, 37): no stage-2 walk happens. */
TEST(walk2_s1_fault_priority)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	sim_set(S2_L2_SLOT_DATA, 0);
	sim_set(S1_L3_PA + 8 * 5, s1_leaf(0x90001000, 3, AP_RO_EL1, 0));
	CHECK(!walk2(&r, VA, VMSA_ACC_WRITE, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 3, 0x0f);
	CHECK(!w.fault.s1ptw);
	CHECK(!w.fault.ipa_valid);
	CHECK_EQ(w.n_reads, 12);

	/* A read passes stage 1 and meets the stage-2 hole. */
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 2, 0x06);
	CHECK(!w.fault.s1ptw);
	CHECK_EQ(w.fault.ipa, 0x90001123ull);
	CHECK_EQ(w.n_reads, 14);

	/* An Access flag fault at stage 1 too. */
	sim_set(S1_L3_PA + 8 * 5, s1_page & ~D_AF);
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ACCESS_FLAG, VMSA_STAGE1, 3, 0x0b);
}

/* The stage-1 OA is checked against TCR_EL1.IPS at stage 1, and the IPA
 * against VTCR_EL2.T0SZ at stage 2 (level 0). */
TEST(walk2_output_sizes)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	sim_set(S1_L3_PA + 8 * 5, s1_leaf(0x10000000000ull, 3, AP_RW_EL1, 0));
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 0, 0x04);
	CHECK(!w.fault.s1ptw);
	CHECK_EQ(w.fault.ipa, 0x10000000123ull);
	CHECK_EQ(w.n_reads, 12);

	r.s1.oa_bits = 40;
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 3, 0x03);

	/* IPS above the PA size is treated as the PA size (RCLPQT). */
	r.s1.oa_bits = 48;
	r.pa_bits = 40;
	CHECK(!walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 3, 0x03);
}

/* ------------------------------------------------------------------ */
/* Disabled stages                                                     */
/* ------------------------------------------------------------------ */

/* Stage 1 off, stage 2 on: VA == IPA; data is Device-nGnRnE, fetches
 * Normal Non-cacheable (RWFZPW), then combined with stage 2. */
TEST(walk2_s1_disabled)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;
	char buf[200];

	r.s1.enabled = false;
	CHECK(walk2(&r, 0x90001123ull, VMSA_ACC_WRITE, 1, &w));
	CHECK_EQ(w.ipa, 0x90001123ull);
	CHECK_EQ(w.pa, 0x40601123ull);
	CHECK(!w.leaf[0].present);
	CHECK(w.leaf[1].present);
	CHECK_EQ(w.n_reads, 2);
	CHECK_EQ(w.attr.type, VMSA_MT_DEVICE_nGnRnE);
	CHECK_PERMS(w.perms, 1, 1, 1, 1, 1, 1);
	vmsa_walk_format(buf, sizeof(buf), &w);
	CHECK_STR(buf, "ipa 0x90001123 -> pa 0x40601123 s2 L2 2M "
		       "Device-nGnRnE r w x el0 r w x");

	CHECK(walk2(&r, 0x90001123ull, VMSA_ACC_EXEC, 1, &w));
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_NC);
	CHECK_EQ(w.attr.sh, VMSA_SH_OSH);

	/* HCR_EL2.DC = 1: Normal Write-Back, and stage 1 off even though
	 * SCTLR_EL1.M = 1 (RLBPTY). */
	r.s1.enabled = true;
	r.s1.dc = true;
	CHECK(walk2(&r, 0x90001123ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x40601123ull);
	CHECK_EQ(w.attr.type, VMSA_MT_NORMAL);
	CHECK_EQ(w.attr.inner, VMSA_CACHE_WB);
	CHECK_EQ(w.attr.sh, VMSA_SH_ISH);
}

/* Stage 1 off without stage 2: a VA above the PA size is a stage 1
 * level 0 Address size fault (RVCDSW). */
TEST(walk2_s1_disabled_address_size)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_stage_cfg_t c = r.s1;
	vmsa_walk_t w;
	char buf[120];

	r.s1.enabled = false;
	r.s2.enabled = false;
	r.pa_bits = 40;
	CHECK(walk2(&r, 0xffffffffffull, VMSA_ACC_READ, 0, &w));
	CHECK_EQ(w.pa, 0xffffffffffull);
	CHECK_EQ(w.n_reads, 0);
	vmsa_walk_format(buf, sizeof(buf), &w);
	CHECK_STR(buf, "va 0xffffffffff -> pa 0xffffffffff flat Device-nGnRnE "
		       "r w x el0 r w x");

	CHECK(!walk2(&r, 1ull << 40, VMSA_ACC_READ, 0, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 0, 0x00);
	/* The upper range has its top bits set: out of any PA. */
	CHECK(!walk2(&r, 0xffffffffff000000ull, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 0, 0x00);
	/* With TBI the top byte does not count. */
	r.s1.tt[0].tbi = true;
	CHECK(walk2(&r, 0xab00000000001000ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x1000);

	/* vmsa_walk_stage() has no PA size: it uses the stage's OA size. */
	c.enabled = false;
	c.oa_bits = 36;
	CHECK(!walk1(&c, 1ull << 36, VMSA_ACC_READ, 1, &w));
	CHECK_FAULT(&w, VMSA_FAULT_ADDRESS_SIZE, VMSA_STAGE1, 0, 0x00);
	CHECK(walk1(&c, 0x123456789ull, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x123456789ull);
}

/* Stage 2 off: the stage-1 result as it is (RQVLSD); tables are PAs. */
TEST(walk2_s2_disabled)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	r.s2.enabled = false;
	r.s1.tt[0].root = S1_L1_PA;
	sim_set(S1_L1_PA + 8, d_table(S1_L2_PA));
	sim_set(S1_L2_PA, d_table(S1_L3_PA));
	CHECK(walk2(&r, VA, VMSA_ACC_READ, 1, &w));
	CHECK_EQ(w.pa, 0x90001123ull);
	CHECK_EQ(w.ipa, 0x90001123ull);
	CHECK_EQ(w.n_reads, 3);
	CHECK(!w.leaf[1].present);
}

/* EL2 and EL2&0 have no stage 2, whatever s2 holds (RTSFYG). */
TEST(walk2_el2_ignores_s2)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_walk_t w;

	r.regime = VMSA_REGIME_EL2;
	r.s1 = s1_cfg(VMSA_REGIME_EL2, VMSA_GRANULE_4K, 39, 1, S1_L1_PA, 0);
	sim_set(S1_L1_PA + 8, d_table(S1_L2_PA));
	sim_set(S1_L2_PA, d_table(S1_L3_PA));
	CHECK(walk2(&r, VA, VMSA_ACC_WRITE, 2, &w));
	CHECK_EQ(w.pa, 0x90001123ull);
	CHECK_EQ(w.n_reads, 3);
	CHECK_PERMS(w.perms, 1, 1, 1, 0, 0, 0);
}

/* A TLB hit on a held stage-1 leaf: no stage-1 table is read, the leaf's
 * output IPA still goes through stage 2, and the reader sees the walk's
 * VA on every read. */
TEST(walk2_held_s1_leaf)
{
	vmsa_regime_cfg_t r = fixture();
	vmsa_access_t acc = {.addr = VA, .kind = VMSA_ACC_READ, .el = 1};
	/* A stale page for the same VA that mapped IPA 0x90003000. */
	vmsa_walk_leaf_t held = {
		.present = true, .level = 3, .size = 4096,
		.desc = (s1_page & ~0xfffff000ull) | 0x90003000ull,
		.desc_pa = S1_L3_PA + 8 * 5, .ia = 0x40005000ull,
	};
	vmsa_walk_t w;

	sim.n_reads = 0;
	CHECK(vmsa_walk_held(&r, sim_read, NULL, &acc, &held, &w));
	CHECK_EQ(w.ipa, 0x90003123ull);
	CHECK_EQ(w.pa, 0x40603123ull);
	CHECK_EQ(w.leaf[0].desc, held.desc);
	CHECK_EQ(w.leaf[0].level, 3);
	/* Only the stage-2 walk of the output IPA. */
	CHECK_EQ(w.n_reads, 2);
	CHECK_STEP(&w, 0, VMSA_STAGE2, 1, S2_L1_SLOT, false);
	CHECK_STEP(&w, 1, VMSA_STAGE2, 2, S2_L2_SLOT_DATA, false);
	CHECK_EQ(sim.seen[0].va, VA);
	CHECK_EQ(sim.seen[1].ia, 0x90003123ull);

	/* A held entry for another page does not translate this VA. */
	held.ia = 0x40006000ull;
	CHECK(!vmsa_walk_held(&r, sim_read, NULL, &acc, &held, &w));
	CHECK_EQ(w.fault.kind, VMSA_FAULT_TRANSLATION);
	CHECK_EQ(w.fault.level, 3);

	/* A held table entry is not a translation. */
	held.ia = 0x40005000ull;
	held.desc = 0x80102003ull;
	held.level = 2;
	CHECK(!vmsa_walk_held(&r, sim_read, NULL, &acc, &held, &w));
	CHECK_EQ(w.fault.kind, VMSA_FAULT_TRANSLATION);
	CHECK_EQ(w.fault.level, 2);
}
