/*
 * tests/arch/test_walk_perms.c - stage 1 and stage 2 permissions in the
 * walk (src/arch/perms.c): AP[2:1], UXN/PXN, implicit PXN, WXN, PAN,
 * hierarchical APTable/UXNTable/PXNTable and HPD, the single-privilege
 * EL2 regime, stage-2 S2AP and XN[1:0].
 *
 * Expected permission sets are Tables D8-65 and D8-66 (stage 1) and
 * D8-76 and D8-78 (stage 2).
 */
#include "test_walk_sim.h"

/* One 1GB block at VA 0 under a 39-bit, start-level-1 configuration. */
static vmsa_stage_cfg_t one_block(vmsa_regime_t regime, uint64_t block)
{
	sim_reset();
	sim_set(0x10000, block);
	return s1_cfg(regime, VMSA_GRANULE_4K, 39, 1, 0x10000, 0x20000);
}

/* Translate VA 0x1000 for `kind` at `el` with PSTATE.PAN = pan. */
static bool try(const vmsa_stage_cfg_t *c, vmsa_acc_kind_t kind, unsigned el,
		bool pan, vmsa_walk_t *w)
{
	vmsa_access_t a = acc_of(0x1000, kind, el);

	a.pan = pan;
	return vmsa_walk_stage(c, sim_read, NULL, &a, w);
}

/* The allowed accesses of a walk: EL1 r w x, EL0 r w x, as 6 bits. */
static unsigned allowed(const vmsa_stage_cfg_t *c)
{
	static const vmsa_acc_kind_t kinds[3] = {
		VMSA_ACC_READ, VMSA_ACC_WRITE, VMSA_ACC_EXEC,
	};
	unsigned bits = 0;
	vmsa_walk_t w;

	for (int el = 1; el >= 0; el--)
		for (int k = 0; k < 3; k++) {
			bits <<= 1;
			if (try(c, kinds[k], (unsigned)el, false, &w))
				bits |= 1;
			else if (w.fault.kind != VMSA_FAULT_PERMISSION ||
				 w.fault.level != 1 || w.fault.fsc != 0x0d)
				vt_fail(__FILE__, __LINE__, "unexpected fault");
		}
	return bits;
}

/* Bits of allowed(): EL1 rwx then EL0 rwx. */
#define R1 040u
#define W1 020u
#define X1 010u
#define R0 004u
#define W0 002u
#define X0 001u

/* Table D8-65 rows with UXN = PXN = 0, WXN = 0. */
TEST(perms_el10_ap)
{
	vmsa_stage_cfg_t c;
	vmsa_walk_t w;

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RW_EL1, 0));
	CHECK_EQ(allowed(&c), R1 | W1 | X1 | X0);
	CHECK(try(&c, VMSA_ACC_READ, 1, false, &w));
	CHECK_PERMS(w.perms, 1, 1, 1, 0, 0, 1);

	/* EL0 writable: no privileged execution (RVWLLR). */
	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	CHECK_EQ(allowed(&c), R1 | W1 | R0 | W0 | X0);
	CHECK(try(&c, VMSA_ACC_READ, 0, false, &w));
	CHECK_PERMS(w.perms, 1, 1, 0, 1, 1, 1);

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RO_EL1, 0));
	CHECK_EQ(allowed(&c), R1 | X1 | X0);

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RO_ALL, 0));
	CHECK_EQ(allowed(&c), R1 | X1 | R0 | X0);
}

/* UXN and PXN (RRBDFT, RLWPVL). */
TEST(perms_el10_xn)
{
	vmsa_stage_cfg_t c;

	c = one_block(VMSA_REGIME_EL10,
		      s1_leaf(0x40000000, 1, AP_RO_ALL, D_UXN));
	CHECK_EQ(allowed(&c), R1 | X1 | R0);
	c = one_block(VMSA_REGIME_EL10,
		      s1_leaf(0x40000000, 1, AP_RO_ALL, D_PXN));
	CHECK_EQ(allowed(&c), R1 | R0 | X0);
	c = one_block(VMSA_REGIME_EL10,
		      s1_leaf(0x40000000, 1, AP_RO_ALL, D_PXN | D_UXN));
	CHECK_EQ(allowed(&c), R1 | R0);
}

/* SCTLR_EL1.WXN: writable means not executable, per level (RSYMMB,
 * RFYMXJ); read-only memory keeps its execute permissions. */
TEST(perms_el10_wxn)
{
	vmsa_stage_cfg_t c;

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RW_EL1, 0));
	c.wxn = true;
	CHECK_EQ(allowed(&c), R1 | W1 | X0);

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	c.wxn = true;
	CHECK_EQ(allowed(&c), R1 | W1 | R0 | W0);

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RO_ALL, 0));
	c.wxn = true;
	CHECK_EQ(allowed(&c), R1 | X1 | R0 | X0);
}

/* PSTATE.PAN (RXTSQH): privileged data accesses to EL0-accessible
 * memory fault; instruction fetches (RPMTWB) and EL0 do not. */
TEST(perms_pan)
{
	vmsa_stage_cfg_t c;
	vmsa_walk_t w;

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	CHECK(try(&c, VMSA_ACC_READ, 1, false, &w));
	CHECK(!try(&c, VMSA_ACC_READ, 1, true, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 1, 0x0d);
	CHECK(!try(&c, VMSA_ACC_WRITE, 1, true, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 1, 0x0d);
	CHECK(try(&c, VMSA_ACC_WRITE, 0, true, &w));
	/* The perms reported are what a TLB may cache: PAN is not in them
	 * (RFBQWG). */
	CHECK_PERMS(w.perms, 1, 1, 0, 1, 1, 1);

	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RO_ALL, 0));
	CHECK(!try(&c, VMSA_ACC_READ, 1, true, &w));
	CHECK(try(&c, VMSA_ACC_EXEC, 1, true, &w));

	/* Memory EL0 cannot read or write: PAN changes nothing, even if
	 * EL0 may execute it (FEAT_PAN3's EPAN is not modelled). */
	c = one_block(VMSA_REGIME_EL10, s1_leaf(0x40000000, 1, AP_RW_EL1, 0));
	CHECK(try(&c, VMSA_ACC_READ, 1, true, &w));
	CHECK(try(&c, VMSA_ACC_WRITE, 1, true, &w));

	/* EL2&0 has PAN too; EL2 does not (RTBYDZ). */
	c = one_block(VMSA_REGIME_EL20, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	CHECK(!try(&c, VMSA_ACC_READ, 2, true, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 1, 0x0d);
	c = one_block(VMSA_REGIME_EL2, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	CHECK(try(&c, VMSA_ACC_READ, 2, true, &w));
}

/* EL2&0 has two privilege levels: same table as EL1&0, implicit PXN
 * included. */
TEST(perms_el20)
{
	vmsa_stage_cfg_t c;

	c = one_block(VMSA_REGIME_EL20, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	CHECK_EQ(allowed(&c), R1 | W1 | R0 | W0 | X0);
	c = one_block(VMSA_REGIME_EL20,
		      s1_leaf(0x40000000, 1, AP_RO_EL1, D_UXN));
	CHECK_EQ(allowed(&c), R1 | X1);
}

/* EL2 with E2H = 0 (Table D8-66): AP[1] means nothing, bit 54 is XN,
 * bit 53 is RES0, no EL0 access, no implicit PXN. */
TEST(perms_el2_single_privilege)
{
	vmsa_stage_cfg_t c;
	vmsa_walk_t w;

	c = one_block(VMSA_REGIME_EL2, s1_leaf(0x40000000, 1, AP_RW_ALL, 0));
	CHECK_EQ(allowed(&c), R1 | W1 | X1);
	CHECK(try(&c, VMSA_ACC_READ, 2, false, &w));
	CHECK_PERMS(w.perms, 1, 1, 1, 0, 0, 0);
	CHECK(!try(&c, VMSA_ACC_READ, 0, false, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 1, 0x0d);

	c = one_block(VMSA_REGIME_EL2, s1_leaf(0x40000000, 1, AP_RO_ALL, 0));
	CHECK_EQ(allowed(&c), R1 | X1);

	c = one_block(VMSA_REGIME_EL2, s1_leaf(0x40000000, 1, AP_RW_EL1, D_UXN));
	CHECK_EQ(allowed(&c), R1 | W1);
	c = one_block(VMSA_REGIME_EL2, s1_leaf(0x40000000, 1, AP_RW_EL1, D_PXN));
	CHECK_EQ(allowed(&c), R1 | W1 | X1);

	c = one_block(VMSA_REGIME_EL2, s1_leaf(0x40000000, 1, AP_RW_EL1, 0));
	c.wxn = true;
	CHECK_EQ(allowed(&c), R1 | W1);
}

/* ------------------------------------------------------------------ */
/* Hierarchical attributes (RYTXKB, RRLQFP) and HPD                    */
/* ------------------------------------------------------------------ */

/* L1 table (with `attrs`) -> L2 table (with `attrs2`) -> L3 page. */
static vmsa_stage_cfg_t chain(vmsa_regime_t regime, uint64_t attrs,
			      uint64_t attrs2, unsigned ap, uint64_t extra)
{
	sim_reset();
	sim_set(0x10000, d_table(0x11000) | attrs);
	sim_set(0x11000, d_table(0x12000) | attrs2);
	sim_set(0x12008, s1_leaf(0x40000000, 3, ap, extra));
	return s1_cfg(regime, VMSA_GRANULE_4K, 39, 1, 0x10000, 0x20000);
}

/* allowed() checks faults at level 1; here the leaf is at level 3. */
static unsigned allowed3(const vmsa_stage_cfg_t *c)
{
	static const vmsa_acc_kind_t kinds[3] = {
		VMSA_ACC_READ, VMSA_ACC_WRITE, VMSA_ACC_EXEC,
	};
	unsigned bits = 0;
	vmsa_walk_t w;

	for (int el = 1; el >= 0; el--)
		for (int k = 0; k < 3; k++) {
			bits <<= 1;
			if (try(c, kinds[k], (unsigned)el, false, &w))
				bits |= 1;
			else if (w.fault.kind != VMSA_FAULT_PERMISSION ||
				 w.fault.level != 3 || w.fault.fsc != 0x0f)
				vt_fail(__FILE__, __LINE__, "unexpected fault");
		}
	return bits;
}

TEST(perms_aptable)
{
	vmsa_stage_cfg_t c;

	c = chain(VMSA_REGIME_EL10, 0, 0, AP_RW_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | W1 | R0 | W0 | X0);

	/* 01: no EL0 data access; with EL0 write gone, EL1 may execute. */
	c = chain(VMSA_REGIME_EL10, D_APTABLE(1), 0, AP_RW_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | W1 | X1 | X0);

	/* 10: no writes. */
	c = chain(VMSA_REGIME_EL10, 0, D_APTABLE(2), AP_RW_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | X1 | R0 | X0);

	/* 11: read-only, EL1 only; and two levels combine (01 | 10). */
	c = chain(VMSA_REGIME_EL10, D_APTABLE(3), 0, AP_RW_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | X1 | X0);
	c = chain(VMSA_REGIME_EL10, D_APTABLE(1), D_APTABLE(2), AP_RW_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | X1 | X0);

	/* HPD0 = 1: APTable ignored (IPKGJC). */
	c = chain(VMSA_REGIME_EL10, D_APTABLE(3), 0, AP_RW_ALL, 0);
	c.tt[0].hpd = true;
	CHECK_EQ(allowed3(&c), R1 | W1 | R0 | W0 | X0);
}

TEST(perms_xntable)
{
	vmsa_stage_cfg_t c;
	vmsa_walk_t w;

	c = chain(VMSA_REGIME_EL10, D_UXNTABLE, 0, AP_RO_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | X1 | R0);
	c = chain(VMSA_REGIME_EL10, 0, D_PXNTABLE, AP_RO_ALL, 0);
	CHECK_EQ(allowed3(&c), R1 | R0 | X0);
	CHECK(try(&c, VMSA_ACC_READ, 1, false, &w));
	CHECK_PERMS(w.perms, 1, 0, 0, 1, 0, 1);
	/* The Permission fault names the leaf's level (RCSRQR). */
	CHECK(!try(&c, VMSA_ACC_EXEC, 1, false, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE1, 3, 0x0f);
	CHECK_EQ(w.leaf[0].level, 3);

	/* HPD: UXNTable and PXNTable ignored (INYWHQ). */
	c = chain(VMSA_REGIME_EL10, D_UXNTABLE | D_PXNTABLE, 0, AP_RO_ALL, 0);
	c.tt[0].hpd = true;
	CHECK_EQ(allowed3(&c), R1 | X1 | R0 | X0);
}

/* vmsa_walk_next_fault(): asked at the level-2 read of a walk, for
 * another table value at level 2 and a value below it. */
static struct {
	uint64_t table, next;
	vmsa_fault_kind_t got;
} nq[8];
static unsigned n_nq;

static int next_query_read(void *ctx, const vmsa_walk_read_t *r,
			   uint64_t *value)
{
	if (r->level == 2)
		for (unsigned i = 0; i < n_nq; i++)
			nq[i].got = vmsa_walk_next_fault(r, nq[i].table,
							 nq[i].next);
	return sim_read(ctx, r, value);
}

/* Walk VA 0x1000 of c for `kind` at EL1 with the queries set: the walk
 * translates if `ok`, else it takes a Permission fault. */
static void next_queries(const vmsa_stage_cfg_t *c, vmsa_acc_kind_t kind,
			 bool ok)
{
	vmsa_access_t a = acc_of(0x1000, kind, 1);
	vmsa_walk_t w;

	for (unsigned i = 0; i < n_nq; i++)
		nq[i].got = (vmsa_fault_kind_t)-1;
	CHECK_EQ(vmsa_walk_stage(c, next_query_read, NULL, &a, &w), ok);
	if (!ok)
		CHECK_EQ(w.fault.kind, VMSA_FAULT_PERMISSION);
}

TEST(perms_next_fault)
{
	const uint64_t rw = s1_leaf(0x50000000, 3, AP_RW_ALL, 0);
	const uint64_t t = d_table(0x13000);
	vmsa_stage_cfg_t c = chain(VMSA_REGIME_EL10, 0, 0, AP_RW_ALL, 0);
	vmsa_walk_read_t outside = {.stage = VMSA_STAGE1, .level = 2};

	n_nq = 7;
	nq[0].table = t | D_APTABLE(2), nq[0].next = rw;   /* no writes */
	nq[1].table = t, nq[1].next = rw;
	nq[2].table = t, nq[2].next = 0;                  /* invalid */
	nq[3].table = t, nq[3].next = rw & ~D_AF;
	nq[4].table = s1_leaf(0x40000000, 2, AP_RW_ALL, 0), nq[4].next = 0;
	nq[5].table = t | D_APTABLE(1), nq[5].next = rw; /* EL0 only */
	nq[6].table = t, nq[6].next = s1_leaf(0x50000000, 3, AP_RO_ALL, 0);
	next_queries(&c, VMSA_ACC_WRITE, true);
	CHECK_EQ(nq[0].got, VMSA_FAULT_PERMISSION);
	CHECK_EQ(nq[1].got, VMSA_FAULT_NONE);
	CHECK_EQ(nq[2].got, VMSA_FAULT_TRANSLATION);
	CHECK_EQ(nq[3].got, VMSA_FAULT_ACCESS_FLAG);
	CHECK_EQ(nq[4].got, VMSA_FAULT_NONE);	/* not a table */
	CHECK_EQ(nq[5].got, VMSA_FAULT_NONE);
	CHECK_EQ(nq[6].got, VMSA_FAULT_PERMISSION);

	/* The attributes met above count too: APTable = 0b10 at level 1
	 * refuses the write below any level-2 table (the walk's own leaf
	 * too), not a read. */
	c = chain(VMSA_REGIME_EL10, D_APTABLE(2), 0, AP_RW_ALL, 0);
	next_queries(&c, VMSA_ACC_WRITE, false);
	CHECK_EQ(nq[1].got, VMSA_FAULT_PERMISSION);
	next_queries(&c, VMSA_ACC_READ, true);
	CHECK_EQ(nq[1].got, VMSA_FAULT_NONE);

	/* HPD0 = 1: APTable ignored (IPKGJC). */
	c = chain(VMSA_REGIME_EL10, 0, 0, AP_RW_ALL, 0);
	c.tt[0].hpd = true;
	next_queries(&c, VMSA_ACC_WRITE, true);
	CHECK_EQ(nq[0].got, VMSA_FAULT_NONE);

	/* Outside a walk: nothing to tell. */
	CHECK_EQ(vmsa_walk_next_fault(&outside, t, 0), VMSA_FAULT_NONE);
	CHECK_EQ(vmsa_walk_next_fault(NULL, t, 0), VMSA_FAULT_NONE);
}

/* EL2 tables: APTable[0] and bit 59 are RES0 (IPCLHM), bit 60 is
 * XNTable. */
TEST(perms_el2_tables)
{
	vmsa_stage_cfg_t c;

	c = chain(VMSA_REGIME_EL2, D_APTABLE(1) | D_PXNTABLE, 0, AP_RW_EL1, 0);
	CHECK_EQ(allowed3(&c), R1 | W1 | X1);
	c = chain(VMSA_REGIME_EL2, D_APTABLE(2), 0, AP_RW_EL1, 0);
	CHECK_EQ(allowed3(&c), R1 | X1);
	c = chain(VMSA_REGIME_EL2, 0, D_UXNTABLE, AP_RW_EL1, 0);
	CHECK_EQ(allowed3(&c), R1 | W1);
}

/* ------------------------------------------------------------------ */
/* Stage 2: S2AP (Table D8-76), XN[1:0] (Table D8-78)                  */
/* ------------------------------------------------------------------ */

static vmsa_stage_cfg_t s2_block(unsigned s2ap, uint64_t xn)
{
	sim_reset();
	sim_set(0x10000, s2_leaf(0x40000000, 1, 0xf, s2ap, xn));
	return s2_cfg(VMSA_GRANULE_4K, 39, 1, 1, 0x10000);
}

TEST(perms_s2ap_xn)
{
	vmsa_stage_cfg_t c;
	vmsa_walk_t w;

	c = s2_block(0, 0);
	CHECK_EQ(allowed(&c), X1 | X0);
	CHECK(!try(&c, VMSA_ACC_READ, 1, false, &w));
	CHECK_FAULT(&w, VMSA_FAULT_PERMISSION, VMSA_STAGE2, 1, 0x0d);
	CHECK(w.fault.ipa_valid);
	CHECK_EQ(w.fault.ipa, 0x1000);
	CHECK(w.leaf[1].present);

	c = s2_block(1, 0);
	CHECK_EQ(allowed(&c), R1 | X1 | R0 | X0);
	c = s2_block(2, 0);
	CHECK_EQ(allowed(&c), W1 | X1 | W0 | X0);
	c = s2_block(3, 0);
	CHECK_EQ(allowed(&c), R1 | W1 | X1 | R0 | W0 | X0);
	CHECK(try(&c, VMSA_ACC_WRITE, 1, false, &w));
	CHECK_PERMS(w.perms, 1, 1, 1, 1, 1, 1);

	/* XN[1:0] = 01: EL0 only; 10: neither; 11: EL1 only. */
	c = s2_block(3, D_S2XN0);
	CHECK_EQ(allowed(&c), R1 | W1 | R0 | W0 | X0);
	c = s2_block(3, D_UXN);
	CHECK_EQ(allowed(&c), R1 | W1 | R0 | W0);
	c = s2_block(3, D_UXN | D_S2XN0);
	CHECK_EQ(allowed(&c), R1 | W1 | X1 | R0 | W0);
}
