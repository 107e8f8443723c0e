/*
 * tests/arch/test_bbm.c - the break-before-make rule (src/arch/bbm.c).
 *
 * One table: each row replaces an old entry by a new one and gives the
 * exact change mask, the rule ID, and the verdict and conflict-abort flag
 * expected at every FEAT_BBM configuration (level 0, 1, 2 that may abort,
 * 2 that never aborts). Rows follow ARCH-RULES.md sections 1-2 (RWHZWS,
 * RPVTFW, RKFLJB, RNGLXZ, RGPPYH, RXCLRD).
 */
#include "../harness.h"

#include <stdio.h>

#include "vmsa/arch.h"

#define G4 VMSA_GRANULE_4K
#define G16 VMSA_GRANULE_16K
#define G64 VMSA_GRANULE_64K
#define S1 VMSA_STAGE1
#define S2 VMSA_STAGE2

#define PA_A 0x40000000ull
#define PA_B 0x80000000ull
#define IA_2M 0x200000ull   /* a 2M block, and the L3 pages under it */
#define TBL_A 0x10000000ull /* next-level tables */
#define TBL_B 0x10001000ull

/* Feature configurations every row is checked at. */
static const vmsa_bbm_features_t configs[] = {
	{ .level = 0, .level2_may_abort = false },
	{ .level = 0, .level2_may_abort = true },
	{ .level = 1, .level2_may_abort = false },
	{ .level = 1, .level2_may_abort = true },
	{ .level = 2, .level2_may_abort = true },
	{ .level = 2, .level2_may_abort = false },
};
#define N_CONFIGS (sizeof(configs) / sizeof(configs[0]))

/* Index into a row's expectations for a configuration. */
static unsigned exp_index(const vmsa_bbm_features_t *f)
{
	if (f->level < 2)
		return f->level;
	return f->level2_may_abort ? 2 : 3;
}

struct expect {
	vmsa_bbm_verdict_t v;
	bool abort;
};

/* Expectations at level 0, level 1, level 2 (may abort), level 2 (never
 * aborts). */
#define X_NONE { { VMSA_BBM_NONE, 0 }, { VMSA_BBM_NONE, 0 }, \
		 { VMSA_BBM_NONE, 0 }, { VMSA_BBM_NONE, 0 } }
#define X_TLBI { { VMSA_BBM_TLBI, 0 }, { VMSA_BBM_TLBI, 0 }, \
		 { VMSA_BBM_TLBI, 0 }, { VMSA_BBM_TLBI, 0 } }
/* RWHZWS: a break at every level; a conflict abort unless noabort. */
#define X_BREAK { { VMSA_BBM_BREAK, 1 }, { VMSA_BBM_BREAK, 1 }, \
		  { VMSA_BBM_BREAK, 1 }, { VMSA_BBM_BREAK, 0 } }
/* RKFLJB: a size change without nT. */
#define X_SIZE { { VMSA_BBM_BREAK, 1 }, { VMSA_BBM_BREAK, 1 }, \
		 { VMSA_BBM_LEVEL2_OK, 1 }, { VMSA_BBM_LEVEL2_OK, 0 } }
/* RKFLJB + RMRRPW: a size change with nT = 1 on the block. */
#define X_SIZE_NT { { VMSA_BBM_BREAK, 1 }, { VMSA_BBM_NT_OK, 1 }, \
		    { VMSA_BBM_LEVEL2_OK, 1 }, { VMSA_BBM_LEVEL2_OK, 0 } }
/* RNGLXZ, RKHRBC, RFCPSG: a Contiguous-bit change. */
#define X_CONTIG { { VMSA_BBM_BREAK, 1 }, { VMSA_BBM_LEVEL2_OK, 1 }, \
		   { VMSA_BBM_LEVEL2_OK, 1 }, { VMSA_BBM_LEVEL2_OK, 0 } }

struct row {
	const char *name;
	vmsa_stage_t stage;
	vmsa_granule_t g;
	vmsa_bbm_entry_t old, new_;
	unsigned flags;
	unsigned changes;
	const char *rule;   /* NULL for VMSA_BBM_NONE */
	struct expect at[4];
};

/* Stage-1 leaf: AttrIndx 0, Inner Shareable, AF = 1. */
static uint64_t s1(vmsa_pa_t oa, int level, unsigned ap)
{
	return vmsa_desc_make_s1_leaf(oa, level, G4, 0, ap, VMSA_SH_ISH, true);
}

/* Stage-2 leaf: Normal Write-Back, Inner Shareable, AF = 1. */
static uint64_t s2(vmsa_pa_t oa, int level, unsigned s2ap)
{
	return vmsa_desc_make_s2_leaf(oa, level, G4, VMSA_S2_MEMATTR_NORMAL_WB,
				      s2ap, VMSA_SH_ISH, true);
}

static uint64_t tbl(vmsa_pa_t next)
{
	return vmsa_desc_make_table(next, G4);
}

#define RW1 VMSA_AP_RW_EL1
#define RO1 VMSA_AP_RO_EL1
#define RW2 VMSA_S2AP_RW
#define RO2 VMSA_S2AP_RO

#define E(d, l, ia) ((vmsa_bbm_entry_t){ (d), (l), (ia) })
/* Same location, level 3 page at 0x1000 or level 2 block at IA_2M. */
#define P(d) E(d, 3, 0x1000)
#define B(d) E(d, 2, IA_2M)

#define C_OA VMSA_CHG_OA
#define C_SIZE VMSA_CHG_SIZE
#define C_CONT VMSA_CHG_CONTIG
#define NT VMSA_D_NT
#define CONT VMSA_D_CONT
#define SW(v) ((uint64_t)(v) << VMSA_D_SW_SHIFT)

static void check_row(const struct row *r)
{
	for (unsigned i = 0; i < N_CONFIGS; i++) {
		const vmsa_bbm_features_t *f = &configs[i];
		const struct expect *x = &r->at[exp_index(f)];
		vmsa_bbm_result_t res = vmsa_bbm_check(&r->old, &r->new_,
						       r->stage, r->g, f,
						       r->flags);
		const char *why = res.reason ? res.reason : "(null)";

		CHECK_MSG(res.verdict == x->v,
			  "%s, BBM level %u%s: verdict %s, want %s (%s)",
			  r->name, f->level,
			  f->level2_may_abort ? " may-abort" : "",
			  vmsa_bbm_verdict_name(res.verdict),
			  vmsa_bbm_verdict_name(x->v), why);
		CHECK_MSG(res.changes == r->changes,
			  "%s, BBM level %u: changes 0x%x, want 0x%x",
			  r->name, f->level, res.changes, r->changes);
		CHECK_MSG(res.may_conflict_abort == x->abort,
			  "%s, BBM level %u%s: may_conflict_abort %d, want %d",
			  r->name, f->level,
			  f->level2_may_abort ? " may-abort" : "",
			  res.may_conflict_abort, x->abort);
		CHECK_MSG(!r->rule ? res.rule == NULL :
				     res.rule && !strcmp(res.rule, r->rule),
			  "%s, BBM level %u: rule %s, want %s", r->name,
			  f->level, res.rule ? res.rule : "(null)",
			  r->rule ? r->rule : "(null)");
		CHECK_MSG(res.reason && res.reason[0], "%s: no reason",
			  r->name);
		CHECK_MSG(vmsa_bbm_needs_break(&res) == (x->v == VMSA_BBM_BREAK),
			  "%s: needs_break disagrees with %s", r->name,
			  vmsa_bbm_verdict_name(res.verdict));
	}
}

static void check_rows(const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_row(&rows[i]);
}

/* ------------------------------------------------------------------ */

TEST(bbm_stage1_same_size)
{
	const struct row rows[] = {
		{ "s1 identical", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1)), 0, 0, NULL, X_NONE },
		{ "s1 AttrIndx 0 -> 1 (memory type)", S1, G4,
		  P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | (1ull << VMSA_D_ATTRINDX_SHIFT)), 0,
		  VMSA_CHG_MEMTYPE, "RWHZWS", X_BREAK },
		{ "s1 ISH -> OSH (shareability)", S1, G4, P(s1(PA_A, 3, RO1)),
		  P(vmsa_desc_make_s1_leaf(PA_A, 3, G4, 0, RO1, VMSA_SH_OSH,
					   true)),
		  0, VMSA_CHG_SH, "RWHZWS", X_BREAK },
		{ "s1 OA change, RW", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_B, 3, RW1)), VMSA_BBM_SAME_CONTENTS, C_OA, "RWHZWS",
		  X_BREAK },
		{ "s1 OA change, RW -> RO", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_B, 3, RO1)), VMSA_BBM_SAME_CONTENTS,
		  C_OA | VMSA_CHG_PERM, "RWHZWS", X_BREAK },
		{ "s1 OA change, RO, contents differ", S1, G4,
		  P(s1(PA_A, 3, RO1)), P(s1(PA_B, 3, RO1)), 0, C_OA, "RWHZWS",
		  X_BREAK },
		{ "s1 OA change, RO, same contents", S1, G4,
		  P(s1(PA_A, 3, RO1)), P(s1(PA_B, 3, RO1)),
		  VMSA_BBM_SAME_CONTENTS, C_OA, "RGPPYH", X_TLBI },
		{ "s1 OA change, RO with DBM = 1, same contents", S1, G4,
		  P(s1(PA_A, 3, RO1) | VMSA_D_DBM),
		  P(s1(PA_B, 3, RO1) | VMSA_D_DBM), VMSA_BBM_SAME_CONTENTS,
		  C_OA, "RWHZWS", X_BREAK },
		{ "s1 OA change, RO gains DBM, same contents", S1, G4,
		  P(s1(PA_A, 3, RO1)), P(s1(PA_B, 3, RO1) | VMSA_D_DBM),
		  VMSA_BBM_SAME_CONTENTS, C_OA | VMSA_CHG_DBM, "RWHZWS",
		  X_BREAK },
		{ "s1 NS 0 -> 1, RW", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | VMSA_D_NS), 0, C_OA, "RWHZWS", X_BREAK },
		{ "s1 NS 1 -> 0, RO", S1, G4, P(s1(PA_A, 3, RO1) | VMSA_D_NS),
		  P(s1(PA_A, 3, RO1)), 0, C_OA, "RWHZWS", X_BREAK },
		{ "s1 nG 1 -> 0", S1, G4, P(s1(PA_A, 3, RW1) | VMSA_D_NG),
		  P(s1(PA_A, 3, RW1)), 0, VMSA_CHG_NG_1TO0, "RWHZWS",
		  X_BREAK },
		{ "s1 nG 0 -> 1", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | VMSA_D_NG), 0, VMSA_CHG_NG_0TO1,
		  "RGPPYH", X_TLBI },
		{ "s1 AP RW -> RO", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RO1)), 0, VMSA_CHG_PERM, "RGPPYH", X_TLBI },
		{ "s1 AP EL1 -> EL0 too", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, VMSA_AP_RW_ALL)), 0, VMSA_CHG_PERM, "RGPPYH",
		  X_TLBI },
		{ "s1 PXN set", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | VMSA_D_PXN), 0, VMSA_CHG_PERM,
		  "RGPPYH", X_TLBI },
		{ "s1 UXN set", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | VMSA_D_UXN), 0, VMSA_CHG_PERM,
		  "RGPPYH", X_TLBI },
		{ "s1 GP set", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | VMSA_D_GP), 0, VMSA_CHG_PERM, "RGPPYH",
		  X_TLBI },
		{ "s1 AF 1 -> 0", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) & ~VMSA_D_AF), 0, VMSA_CHG_AF, "RGPPYH",
		  X_TLBI },
		{ "s1 DBM 0 -> 1", S1, G4, P(s1(PA_A, 3, RO1)),
		  P(s1(PA_A, 3, RO1) | VMSA_D_DBM), 0, VMSA_CHG_DBM, "RGPPYH",
		  X_TLBI },
		{ "s1 software bits", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | SW(0x9)), 0, VMSA_CHG_SW, "RGPPYH",
		  X_TLBI },
		{ "s1 perm + AF + software bits", S1, G4, P(s1(PA_A, 3, RW1)),
		  P((s1(PA_A, 3, RO1) & ~VMSA_D_AF) | SW(1)), 0,
		  VMSA_CHG_PERM | VMSA_CHG_AF | VMSA_CHG_SW, "RGPPYH",
		  X_TLBI },
		{ "s1 nT alone on a 2M block", S1, G4, B(s1(PA_A, 2, RW1)),
		  B(s1(PA_A, 2, RW1) | NT), 0, VMSA_CHG_NT, "RGPPYH", X_TLBI },
		{ "s1 RES0 bit 49 (other)", S1, G4, P(s1(PA_A, 3, RO1)),
		  P(s1(PA_A, 3, RO1) | (1ull << 49)), 0, VMSA_CHG_OTHER,
		  "RWHZWS", X_BREAK },
		{ "s1 PBHA (other)", S1, G4, P(s1(PA_A, 3, RO1)),
		  P(s1(PA_A, 3, RO1) | (1ull << VMSA_D_PBHA_SHIFT)), 0,
		  VMSA_CHG_OTHER, "RWHZWS", X_BREAK },
		{ "s1 memtype + perm: break wins", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(vmsa_desc_make_s1_leaf(PA_A, 3, G4, 2, RO1, VMSA_SH_ISH,
					   true)),
		  0, VMSA_CHG_MEMTYPE | VMSA_CHG_PERM, "RWHZWS", X_BREAK },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(bbm_stage2_same_size)
{
	const struct row rows[] = {
		{ "s2 identical", S2, G4, P(s2(PA_A, 3, RW2)),
		  P(s2(PA_A, 3, RW2)), 0, 0, NULL, X_NONE },
		{ "s2 MemAttr WB -> NC (cacheability)", S2, G4,
		  P(s2(PA_A, 3, RW2)),
		  P(vmsa_desc_make_s2_leaf(PA_A, 3, G4,
					   VMSA_S2_MEMATTR_NORMAL_NC, RW2,
					   VMSA_SH_ISH, true)),
		  0, VMSA_CHG_MEMTYPE, "RWHZWS", X_BREAK },
		{ "s2 MemAttr WB -> Device (memory type)", S2, G4,
		  P(s2(PA_A, 3, RO2)),
		  P(vmsa_desc_make_s2_leaf(PA_A, 3, G4,
					   VMSA_S2_MEMATTR_DEVICE_nGnRE, RO2,
					   VMSA_SH_ISH, true)),
		  0, VMSA_CHG_MEMTYPE, "RWHZWS", X_BREAK },
		{ "s2 ISH -> NSH (shareability)", S2, G4, P(s2(PA_A, 3, RW2)),
		  P(vmsa_desc_make_s2_leaf(PA_A, 3, G4,
					   VMSA_S2_MEMATTR_NORMAL_WB, RW2,
					   VMSA_SH_NSH, true)),
		  0, VMSA_CHG_SH, "RWHZWS", X_BREAK },
		{ "s2 OA change, RW", S2, G4, P(s2(PA_A, 3, RW2)),
		  P(s2(PA_B, 3, RW2)), VMSA_BBM_SAME_CONTENTS, C_OA, "RWHZWS",
		  X_BREAK },
		{ "s2 OA change, write-only", S2, G4,
		  P(s2(PA_A, 3, VMSA_S2AP_WO)), P(s2(PA_B, 3, VMSA_S2AP_WO)),
		  VMSA_BBM_SAME_CONTENTS, C_OA, "RWHZWS", X_BREAK },
		{ "s2 OA change, RO, contents differ", S2, G4,
		  P(s2(PA_A, 3, RO2)), P(s2(PA_B, 3, RO2)), 0, C_OA, "RWHZWS",
		  X_BREAK },
		{ "s2 OA change, RO, same contents", S2, G4,
		  P(s2(PA_A, 3, RO2)), P(s2(PA_B, 3, RO2)),
		  VMSA_BBM_SAME_CONTENTS, C_OA, "RGPPYH", X_TLBI },
		{ "s2 OA change, none -> RO, same contents", S2, G4,
		  P(s2(PA_A, 3, VMSA_S2AP_NONE)), P(s2(PA_B, 3, RO2)),
		  VMSA_BBM_SAME_CONTENTS, C_OA | VMSA_CHG_PERM, "RGPPYH",
		  X_TLBI },
		{ "s2 OA change, RO with DBM = 1, same contents", S2, G4,
		  P(s2(PA_A, 3, RO2) | VMSA_D_DBM),
		  P(s2(PA_B, 3, RO2) | VMSA_D_DBM), VMSA_BBM_SAME_CONTENTS,
		  C_OA, "RWHZWS", X_BREAK },
		{ "s2 S2AP RW -> RO", S2, G4, P(s2(PA_A, 3, RW2)),
		  P(s2(PA_A, 3, RO2)), 0, VMSA_CHG_PERM, "RGPPYH", X_TLBI },
		{ "s2 XN set", S2, G4, P(s2(PA_A, 3, RW2)),
		  P(s2(PA_A, 3, RW2) | (2ull << VMSA_D_S2XN_SHIFT)), 0,
		  VMSA_CHG_PERM, "RGPPYH", X_TLBI },
		{ "s2 AF 0 -> 1", S2, G4, P(s2(PA_A, 3, RW2) & ~VMSA_D_AF),
		  P(s2(PA_A, 3, RW2)), 0, VMSA_CHG_AF, "RGPPYH", X_TLBI },
		{ "s2 DBM 1 -> 0", S2, G4, P(s2(PA_A, 3, RO2) | VMSA_D_DBM),
		  P(s2(PA_A, 3, RO2)), 0, VMSA_CHG_DBM, "RGPPYH", X_TLBI },
		{ "s2 software bits", S2, G4, P(s2(PA_A, 3, RW2) | SW(2)),
		  P(s2(PA_A, 3, RW2) | SW(4)), 0, VMSA_CHG_SW, "RGPPYH",
		  X_TLBI },
		{ "s2 nT alone on a 2M block", S2, G4, B(s2(PA_A, 2, RW2) | NT),
		  B(s2(PA_A, 2, RW2)), 0, VMSA_CHG_NT, "RGPPYH", X_TLBI },
		/* Bit 11 is FnXS (FEAT_XS) at stage 2, not nG: undecoded. */
		{ "s2 bit 11 (other)", S2, G4, P(s2(PA_A, 3, RW2)),
		  P(s2(PA_A, 3, RW2) | VMSA_D_NG), 0, VMSA_CHG_OTHER, "RWHZWS",
		  X_BREAK },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(bbm_validity)
{
	const struct row rows[] = {
		{ "s1 valid -> invalid", S1, G4, P(s1(PA_A, 3, RW1)), P(0), 0,
		  VMSA_CHG_VALIDITY, "RGPPYH", X_TLBI },
		{ "s2 valid block -> invalid with software bits", S2, G4,
		  B(s2(PA_A, 2, RW2)), B(0x5ull << 1), 0, VMSA_CHG_VALIDITY,
		  "RGPPYH", X_TLBI },
		{ "s1 table -> invalid", S1, G4, B(tbl(TBL_A)), B(0), 0,
		  VMSA_CHG_VALIDITY, "RGPPYH", X_TLBI },
		{ "s1 invalid -> valid", S1, G4, P(0), P(s1(PA_A, 3, RW1)), 0,
		  VMSA_CHG_VALIDITY, NULL, X_NONE },
		{ "s2 invalid -> valid block", S2, G4, B(0x10), B(s2(PA_A, 2, RW2)),
		  0, VMSA_CHG_VALIDITY, NULL, X_NONE },
		{ "s1 invalid -> table", S1, G4, B(0), B(tbl(TBL_A)), 0,
		  VMSA_CHG_VALIDITY, NULL, X_NONE },
		{ "invalid -> invalid", S1, G4, P(0x2), P(0x4), 0, 0, NULL,
		  X_NONE },
		/* 0b01 at level 3 is reserved: faults, never cached. */
		{ "s1 reserved L3 -> valid page", S1, G4,
		  P(s1(PA_A, 3, RW1) & ~VMSA_D_TYPE), P(s1(PA_B, 3, RW1)), 0,
		  VMSA_CHG_VALIDITY, NULL, X_NONE },
		{ "s1 valid page -> reserved L3", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) & ~VMSA_D_TYPE), 0, VMSA_CHG_VALIDITY,
		  "RGPPYH", X_TLBI },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(bbm_tables)
{
	const struct row rows[] = {
		{ "s1 table, same next level", S1, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_A)), 0, 0, NULL, X_NONE },
		{ "s1 table -> table, new next level", S1, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_B)), 0, VMSA_CHG_TABLE, "RGPPYH", X_TLBI },
		{ "s2 table -> table, new next level", S2, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_B)), 0, VMSA_CHG_TABLE, "RGPPYH", X_TLBI },
		{ "s1 APTable set", S1, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_A) | (2ull << VMSA_D_APTABLE_SHIFT)), 0,
		  VMSA_CHG_TABLE, "RGPPYH", X_TLBI },
		{ "s1 PXNTable set", S1, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_A) | VMSA_D_PXNTABLE), 0, VMSA_CHG_TABLE, "RGPPYH",
		  X_TLBI },
		{ "s1 NSTable set (output address space)", S1, G4,
		  B(tbl(TBL_A)), B(tbl(TBL_A) | VMSA_D_NSTABLE), 0,
		  VMSA_CHG_TABLE | C_OA, "RWHZWS", X_BREAK },
		{ "s1 table software bits", S1, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_A) | SW(3)), 0, VMSA_CHG_SW, "RGPPYH", X_TLBI },
		{ "s1 table ignored bit 52 (other)", S1, G4, B(tbl(TBL_A)),
		  B(tbl(TBL_A) | (1ull << 52)), 0, VMSA_CHG_OTHER, "RWHZWS",
		  X_BREAK },
		/* A walk uses the L2 table and the L3 page under it together. */
		{ "s1 held L2 table vs new L3 page under it", S1, G4,
		  B(tbl(TBL_A)), E(s1(PA_A, 3, RW1), 3, IA_2M + 0x5000), 0, 0,
		  NULL, X_NONE },
		{ "s2 held L3 page vs new L2 table above it", S2, G4,
		  E(s2(PA_A, 3, RW2), 3, IA_2M), B(tbl(TBL_B)), 0, 0, NULL,
		  X_NONE },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* Block size changes, same location and across levels (RKFLJB). */
TEST(bbm_size_changes)
{
	const uint64_t blk1 = s1(PA_A, 2, RW1), blk2 = s2(PA_A, 2, RW2);
	const struct row rows[] = {
		{ "s1 split: L2 block -> table", S1, G4, B(blk1),
		  B(tbl(TBL_A)), 0, C_SIZE, "RKFLJB", X_SIZE },
		{ "s2 split: L2 block -> table", S2, G4, B(blk2),
		  B(tbl(TBL_A)), 0, C_SIZE, "RKFLJB", X_SIZE },
		{ "s1 split: L1 block -> table", S1, G4,
		  E(s1(PA_A, 1, RW1), 1, 0x40000000), E(tbl(TBL_A), 1, 0x40000000),
		  0, C_SIZE, "RKFLJB", X_SIZE },
		/* nT sequence, split: the block was first rewritten with
		 * nT = 1 and the nT = 0 copy invalidated. */
		{ "s1 split: L2 block nT = 1 -> table", S1, G4, B(blk1 | NT),
		  B(tbl(TBL_A)), 0, C_SIZE, "RKFLJB", X_SIZE_NT },
		{ "s2 split: L2 block nT = 1 -> table", S2, G4, B(blk2 | NT),
		  B(tbl(TBL_A)), 0, C_SIZE, "RKFLJB", X_SIZE_NT },
		{ "s1 collapse: table -> L2 block", S1, G4, B(tbl(TBL_A)),
		  B(blk1), 0, C_SIZE, "RKFLJB", X_SIZE },
		{ "s2 collapse: table -> L2 block", S2, G4, B(tbl(TBL_A)),
		  B(blk2), 0, C_SIZE, "RKFLJB", X_SIZE },
		{ "s1 collapse: table -> L2 block nT = 1", S1, G4,
		  B(tbl(TBL_A)), B(blk1 | NT), 0, C_SIZE, "RKFLJB", X_SIZE_NT },
		{ "s2 collapse: table -> L1 block nT = 1", S2, G4,
		  E(tbl(TBL_A), 1, 0x40000000),
		  E(s2(PA_A, 1, RW2) | NT, 1, 0x40000000), 0, C_SIZE, "RKFLJB",
		  X_SIZE_NT },
		/* Held entries at another level, same translation. */
		{ "s1 held 2M block vs new 4K page under it", S1, G4, B(blk1),
		  E(s1(PA_A + 0x3000, 3, RW1), 3, IA_2M + 0x3000), 0, C_SIZE,
		  "RKFLJB", X_SIZE },
		{ "s2 held 2M block vs new 4K page under it", S2, G4, B(blk2),
		  E(s2(PA_A + 0x1ff000, 3, RW2), 3, IA_2M + 0x1ff000), 0,
		  C_SIZE, "RKFLJB", X_SIZE },
		{ "s1 held 2M block nT = 1 vs new 4K page", S1, G4,
		  B(blk1 | NT), E(s1(PA_A + 0x3000, 3, RW1), 3, IA_2M + 0x3000),
		  0, C_SIZE, "RKFLJB", X_SIZE_NT },
		{ "s1 held 4K page vs new 2M block", S1, G4,
		  E(s1(PA_A + 0x8000, 3, RW1), 3, IA_2M + 0x8000), B(blk1), 0,
		  C_SIZE, "RKFLJB", X_SIZE },
		{ "s2 held 4K page vs new 2M block nT = 1", S2, G4,
		  E(s2(PA_A + 0x8000, 3, RW2), 3, IA_2M + 0x8000), B(blk2 | NT),
		  0, C_SIZE, "RKFLJB", X_SIZE_NT },
		/* The final step of a collapse: nT 1 -> 0 against held L3
		 * pages that were not invalidated is a level-1 violation. */
		{ "s1 held 4K page vs new 2M block nT 1 -> 0", S1, G4,
		  E(s1(PA_A, 3, RW1), 3, IA_2M), B(blk1), 0, C_SIZE, "RKFLJB",
		  X_SIZE },
		{ "s1 held L2 table (walk cache) vs new 1G block", S1, G4,
		  E(tbl(TBL_A), 2, IA_2M), E(s1(0, 1, RW1), 1, 0), 0, C_SIZE,
		  "RKFLJB", X_SIZE },
		/* Permission changes do not stop the BBM levels (RPVTFW). */
		{ "s1 2M block RW vs new 4K page RO", S1, G4, B(blk1),
		  E(s1(PA_A, 3, RO1), 3, IA_2M), 0, C_SIZE | VMSA_CHG_PERM,
		  "RKFLJB", X_SIZE },
		{ "s2 4K page vs 2M block, AF and software bits", S2, G4,
		  E(s2(PA_A, 3, RW2) | SW(1), 3, IA_2M), B(blk2 & ~VMSA_D_AF),
		  0, C_SIZE | VMSA_CHG_AF | VMSA_CHG_SW, "RKFLJB", X_SIZE },
		/* A size change with a break-requiring change (RPVTFW). */
		{ "s1 2M block vs 4K page, OA change RW", S1, G4, B(blk1),
		  E(s1(PA_B, 3, RW1), 3, IA_2M), 0, C_SIZE | C_OA, "RPVTFW",
		  X_BREAK },
		{ "s2 4K page vs 2M block nT = 1, OA change RW", S2, G4,
		  E(s2(PA_A + 0x4000, 3, RW2), 3, IA_2M + 0x4000),
		  B(s2(PA_B, 2, RW2) | NT), 0, C_SIZE | C_OA, "RPVTFW",
		  X_BREAK },
		{ "s2 split with memtype change", S2, G4, B(blk2),
		  E(vmsa_desc_make_s2_leaf(PA_A, 3, G4,
					   VMSA_S2_MEMATTR_NORMAL_NC, RW2,
					   VMSA_SH_ISH, true),
		    3, IA_2M),
		  0, C_SIZE | VMSA_CHG_MEMTYPE, "RPVTFW", X_BREAK },
		{ "s1 collapse with nG 1 -> 0", S1, G4,
		  E(s1(PA_A, 3, RW1) | VMSA_D_NG, 3, IA_2M), B(blk1 | NT), 0,
		  C_SIZE | VMSA_CHG_NG_1TO0, "RPVTFW", X_BREAK },
		/* Entries that do not overlap are unrelated. */
		{ "s1 2M block vs 4K page outside it", S1, G4, B(blk1),
		  E(s1(PA_B, 3, RW1), 3, IA_2M + 0x200000), 0, 0, NULL,
		  X_NONE },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* Contiguous bit as a size change (RNGLXZ, RKHRBC). */
TEST(bbm_contiguous)
{
	const struct row rows[] = {
		{ "s1 contiguous set", S1, G4, P(s1(PA_A, 3, RW1)),
		  P(s1(PA_A, 3, RW1) | CONT), 0, C_CONT, "RNGLXZ", X_CONTIG },
		{ "s1 contiguous clear", S1, G4, P(s1(PA_A, 3, RW1) | CONT),
		  P(s1(PA_A, 3, RW1)), 0, C_CONT, "RNGLXZ", X_CONTIG },
		{ "s2 contiguous set on a 2M block", S2, G4,
		  B(s2(PA_A, 2, RW2)), B(s2(PA_A, 2, RW2) | CONT), 0, C_CONT,
		  "RNGLXZ", X_CONTIG },
		{ "s2 contiguous clear", S2, G4, P(s2(PA_A, 3, RO2) | CONT),
		  P(s2(PA_A, 3, RO2)), 0, C_CONT, "RNGLXZ", X_CONTIG },
		/* Folding: a held non-contiguous page against a neighbour
		 * now marked contiguous: its range covers the held page. */
		{ "s1 held page vs contiguous neighbour", S1, G4,
		  E(s1(PA_A, 3, RW1), 3, 0x10000),
		  E(s1(PA_A + 0x5000, 3, RW1) | CONT, 3, 0x15000), 0, C_CONT,
		  "RNGLXZ", X_CONTIG },
		{ "s1 contiguous neighbours, consistent", S1, G4,
		  E(s1(PA_A, 3, RW1) | CONT, 3, 0x10000),
		  E(s1(PA_A + 0x5000, 3, RW1) | CONT, 3, 0x15000), 0, 0, NULL,
		  X_NONE },
		/* RJQQTC: consistent Contiguous bits, OA misprogrammed. */
		{ "s2 contiguous neighbours, OA misprogrammed, RW", S2, G4,
		  E(s2(PA_A, 3, RW2) | CONT, 3, 0x10000),
		  E(s2(PA_B + 0x5000, 3, RW2) | CONT, 3, 0x15000), 0, C_OA,
		  "RWHZWS", X_BREAK },
		{ "s1 contiguous set with OA change RW", S1, G4,
		  P(s1(PA_A, 3, RW1)), P(s1(PA_B, 3, RW1) | CONT), 0,
		  C_CONT | C_OA, "RPVTFW", X_BREAK },
		{ "s1 contiguous set with permission change", S1, G4,
		  P(s1(PA_A, 3, RW1)), P(s1(PA_A, 3, RO1) | CONT), 0,
		  C_CONT | VMSA_CHG_PERM, "RNGLXZ", X_CONTIG },
		/* Contiguous 4K pages (64K) vs a 2M block: size wins. */
		{ "s1 contiguous page vs 2M block", S1, G4,
		  E(s1(PA_A, 3, RW1) | CONT, 3, IA_2M), B(s1(PA_A, 2, RW1)), 0,
		  C_SIZE | C_CONT, "RKFLJB", X_SIZE },
		{ "s1 contiguous page vs 2M block nT = 1", S1, G4,
		  E(s1(PA_A, 3, RW1) | CONT, 3, IA_2M),
		  B(s1(PA_A, 2, RW1) | NT), 0, C_SIZE | C_CONT, "RKFLJB",
		  X_SIZE_NT },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* The same rules with the 16K and 64K granules. */
TEST(bbm_other_granules)
{
	const uint64_t blk16 = vmsa_desc_make_s2_leaf(
		PA_A, 2, G16, VMSA_S2_MEMATTR_NORMAL_WB, RW2, VMSA_SH_ISH, true);
	const uint64_t pg16 = vmsa_desc_make_s2_leaf(
		PA_A + 0x4000, 3, G16, VMSA_S2_MEMATTR_NORMAL_WB, RW2,
		VMSA_SH_ISH, true);
	const uint64_t blk64 = vmsa_desc_make_s1_leaf(PA_A, 2, G64, 0, RW1,
						      VMSA_SH_ISH, true);
	const uint64_t pg64 = vmsa_desc_make_s1_leaf(PA_A + 0x20000, 3, G64, 0,
						     RW1, VMSA_SH_ISH, true);
	const struct row rows[] = {
		{ "16K s2 32M block vs 16K page", S2, G16,
		  E(blk16, 2, 0x2000000), E(pg16, 3, 0x2004000), 0, C_SIZE,
		  "RKFLJB", X_SIZE },
		{ "16K s2 32M block nT = 1 -> table", S2, G16,
		  E(blk16 | NT, 2, 0x2000000),
		  E(vmsa_desc_make_table(TBL_A, G16), 2, 0x2000000), 0, C_SIZE,
		  "RKFLJB", X_SIZE_NT },
		/* 16K level 3: 128 contiguous pages, 2M range. */
		{ "16K s2 held page vs far contiguous neighbour", S2, G16,
		  E(pg16, 3, 0x2004000),
		  E((pg16 + 0x1f8000) | CONT, 3, 0x21fc000), 0, C_CONT, "RNGLXZ",
		  X_CONTIG },
		{ "64K s1 512M block vs 64K page", S1, G64,
		  E(blk64, 2, 0x20000000), E(pg64, 3, 0x20020000), 0, C_SIZE,
		  "RKFLJB", X_SIZE },
		{ "64K s1 512M block vs 64K page, OA change", S1, G64,
		  E(blk64, 2, 0x20000000), E(pg64, 3, 0x20040000), 0,
		  C_SIZE | C_OA, "RPVTFW", X_BREAK },
		/* In a 64K page, bit 16 is an address bit, not nT. */
		{ "64K s1 page bit 16 is address", S1, G64,
		  E(pg64, 3, 0x20020000), E(pg64 | NT, 3, 0x20020000), 0, C_OA,
		  "RWHZWS", X_BREAK },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(bbm_reasons)
{
	vmsa_bbm_features_t f2 = { .level = 2, .level2_may_abort = false };
	vmsa_bbm_entry_t old = P(s1(PA_A, 3, RW1)), nw = P(s1(PA_B, 3, RW1));
	vmsa_bbm_result_t r = vmsa_bbm_check(&old, &nw, S1, G4, &f2, 0);

	CHECK_STR(r.reason, "output address changed on a writable entry");
	CHECK_STR(r.rule, "RWHZWS");

	old = P(s1(PA_A, 3, RO1));
	nw = P(s1(PA_B, 3, RO1));
	r = vmsa_bbm_check(&old, &nw, S1, G4, &f2, 0);
	CHECK_STR(r.reason,
		  "output address changed and the contents there may differ");

	nw = P(s1(PA_A, 3, RO1) | VMSA_D_NS);
	r = vmsa_bbm_check(&old, &nw, S1, G4, &f2, 0);
	CHECK_STR(r.reason, "output address space (NS) changed");

	old = P(0);
	r = vmsa_bbm_check(&old, &nw, S1, G4, &f2, 0);
	CHECK(r.rule == NULL);
	CHECK_EQ(r.verdict, VMSA_BBM_NONE);
	CHECK(!vmsa_bbm_needs_break(&r));
}

TEST(bbm_verdict_names)
{
	CHECK_STR(vmsa_bbm_verdict_name(VMSA_BBM_NONE), "none");
	CHECK_STR(vmsa_bbm_verdict_name(VMSA_BBM_TLBI), "tlbi");
	CHECK_STR(vmsa_bbm_verdict_name(VMSA_BBM_NT_OK), "nT-ok");
	CHECK_STR(vmsa_bbm_verdict_name(VMSA_BBM_LEVEL2_OK), "level2-ok");
	CHECK_STR(vmsa_bbm_verdict_name(VMSA_BBM_BREAK), "break");
	CHECK_STR(vmsa_bbm_verdict_name((vmsa_bbm_verdict_t)99), "?");
}

TEST(bbm_needs_break)
{
	vmsa_bbm_result_t r = { .verdict = VMSA_BBM_BREAK };

	CHECK(vmsa_bbm_needs_break(&r));
	r.verdict = VMSA_BBM_NT_OK;
	CHECK(!vmsa_bbm_needs_break(&r));
	r.verdict = VMSA_BBM_LEVEL2_OK;
	CHECK(!vmsa_bbm_needs_break(&r));
	r.verdict = VMSA_BBM_TLBI;
	CHECK(!vmsa_bbm_needs_break(&r));
	r.verdict = VMSA_BBM_NONE;
	CHECK(!vmsa_bbm_needs_break(&r));
}
