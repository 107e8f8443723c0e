/*
 * tests/model/test_hwaf_order.c - where a hardware Access flag update
 * (FEAT_HAFDBS) sits in memory's order under Arm's ordering of data
 * accesses (features hafdbs and relaxed; docs/model.md, "Hardware Access
 * flag and dirty state"), run as small litmus tests (the front end maps
 * TTHM=HA to TCR_EL1.HA) with the exact final states:
 *  - D8.5.3 RPLLLM: the update a load causes is not ordered with the
 *    load; RMKHJS: it is ordered before the CPU's later loads (of the
 *    descriptor too) and stores only by a DSB that applies to loads and
 *    stores, so after a DSB LD or DSB ST (or a DMB) a later load may
 *    still read AF = 0, and another CPU may see a later store first;
 *    after a DSB ISH neither.
 *  - B2.3.7 DSB-ordered-before: a DSB that applies to loads and stores
 *    also orders the CPU's walks' reads before its later accesses, so a
 *    later load of the descriptor cannot read a value older than the one
 *    a walk read before the DSB;
 *  - FEAT_ETS2 orders a CPU's earlier explicit accesses before a walk
 *    that gives an Access flag fault, not another CPU's hardware update
 *    unless those accesses saw it (herd's ets-ob starts at an explicit
 *    access);
 *  - D8.5.1.2 RLHQRX, ILLCCB, IPJWQY: with HA the hardware may set AF
 *    speculatively, with no architecturally executed access (hwspec.c):
 *    for an initial value and for each value a CPU writes, at most once,
 *    right after it in memory's order; not without HA, and (a limit of
 *    the model) not on sequentially consistent memory (--sc).
 * The expected sets are herd7's (aarch64-VMSA coRR+HA-DSB.*, MP+HA-DSB.*,
 * SpecAF, NOP+AF, TwoPhantoms, STRx-LDRptex3), except the --sc ones.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "litmus/litmus_run.h"

/* Set by a test to run on sequentially consistent memory (--sc), or
 * with FEAT_ETS2. */
static bool run_sc, run_ets2;

/* Run text (variant vmsa,fatal, or vmsa,fatal,ets2 with run_ets2); res
 * filled, returns vmsa_litmus_run's code. */
static int run(const char *text, vmsa_litmus_result_t *res)
{
	return lit_run(text, run_ets2 ? "vmsa,fatal,ets2" : "vmsa,fatal",
		       run_sc, res);
}

/* The final states, joined by " | ". */
static const char *states(const vmsa_litmus_result_t *r)
{
	static char all[1024];
	size_t k = 0;

	all[0] = 0;
	for (unsigned i = 0; i < r->nstates && k < sizeof(all); i++)
		k += (size_t)snprintf(all + k, sizeof(all) - k, "%s%s",
				      i ? " | " : "", r->states[i]);
	return all;
}

/* Run text; check its observation and final states. */
#define EXPECT_RUN(text, outcome_, want)                                     \
	do {                                                                 \
		vmsa_litmus_result_t r_;                                     \
		CHECK_EQ(run(text, &r_), 0);                                 \
		CHECK_EQ(r_.outcome, outcome_);                              \
		CHECK_STR(states(&r_), want);                                \
		CHECK_STR(r_.config, run_sc     ? "hafdbs"                  \
				     : run_ets2 ? "ets2+hafdbs+relaxed"     \
						: "hafdbs+relaxed");        \
		vmsa_litmus_result_free(&r_);                                \
	} while (0)

/* P0 loads x through a descriptor with AF = 0 (the hardware sets AF),
 * then BARRIER, then loads the descriptor. */
#define CORR(barrier)                                                        \
	"AArch64 coRR+HA\nTTHM=HA\n"                                         \
	"{ pte_x=(oa:phy_x,af:0); 0:X1=x; 0:X4=pte_x; }\n"                   \
	" P0          ;\n"                                                   \
	" LDR W2,[X1] ;\n"                                                   \
	" " barrier " ;\n"                                                   \
	" LDR X3,[X4] ;\n"                                                   \
	"exists (0:X3=(oa:phy_x,af:0))\n"

/* RPLLLM, RMKHJS: a DSB LD or DSB ST does not order the update before the
 * later load of the descriptor; AF = 0 may still be read. */
TEST(hwaf_order_corr_dsb_ld_st)
{
	EXPECT_RUN(CORR("DSB LD"), VMSA_LITMUS_SOMETIMES,
		   "0:X3=(oa:PA(x)); | 0:X3=(oa:PA(x), af:0);");
	EXPECT_RUN(CORR("DSB ST"), VMSA_LITMUS_SOMETIMES,
		   "0:X3=(oa:PA(x)); | 0:X3=(oa:PA(x), af:0);");
	EXPECT_RUN(CORR("DMB SY"), VMSA_LITMUS_SOMETIMES,
		   "0:X3=(oa:PA(x)); | 0:X3=(oa:PA(x), af:0);");
}

/* RMKHJS: a DSB that applies to loads and stores does; and it orders
 * the walk that read AF = 1 (from the speculative update of the initial
 * value) before the later load too (B2.3.7 DSB-ordered-before). */
TEST(hwaf_order_corr_dsb_ish)
{
	EXPECT_RUN(CORR("DSB ISH"), VMSA_LITMUS_NEVER, "0:X3=(oa:PA(x));");
}

/* P0's load sets AF; BARRIER; P0 stores y. P1: y then (DMB LD) the
 * descriptor. */
#define MP(barrier)                                                          \
	"AArch64 MP+HA\nTTHM=HA\n"                                           \
	"{ pte_x=(oa:phy_x,af:0); 0:X1=x; 0:X3=1; 0:X4=y;\n"                 \
	"  1:X4=y; 1:X1=pte_x; }\n"                                          \
	" P0          | P1          ;\n"                                     \
	" LDR W2,[X1] | LDR W3,[X4] ;\n"                                     \
	" " barrier " | DMB LD      ;\n"                                     \
	" STR W3,[X4] | LDR X2,[X1] ;\n"                                     \
	"exists (1:X3=1 /\\ 1:X2=(oa:phy_x,af:0))\n"

/* RMKHJS: after a DSB ST the store of y may be observed before the
 * update; after a DSB ISH it may not. */
TEST(hwaf_order_mp)
{
	EXPECT_RUN(MP("DSB ST "), VMSA_LITMUS_SOMETIMES,
		   "1:X2=(oa:PA(x)); 1:X3=0; | 1:X2=(oa:PA(x)); 1:X3=1; | "
		   "1:X2=(oa:PA(x), af:0); 1:X3=0; | "
		   "1:X2=(oa:PA(x), af:0); 1:X3=1;");
	EXPECT_RUN(MP("DSB ISH"), VMSA_LITMUS_NEVER,
		   "1:X2=(oa:PA(x)); 1:X3=0; | 1:X2=(oa:PA(x)); 1:X3=1; | "
		   "1:X2=(oa:PA(x), af:0); 1:X3=0;");
}

/* P0 reads the descriptor of x and nothing else. */
#define SPEC(tthm)                                                           \
	"AArch64 SpecAF\n" tthm                                              \
	"{ int x=1; pte_x=(af:0); 0:X4=pte_x; }\n"                           \
	" P0          | P1  ;\n"                                             \
	" LDR X1,[X4] | NOP ;\n"                                             \
	"exists (0:X1=(oa:phy_x,af:1))\n"

/* RLHQRX, ILLCCB: AF may be found set with no access to x, also when
 * only the other CPU (which makes no access) has HA; never without HA. */
TEST(hwaf_order_spec_af_initial)
{
	EXPECT_RUN(SPEC("TTHM=HA\n"), VMSA_LITMUS_SOMETIMES,
		   "0:X1=(oa:PA(x)); | 0:X1=(oa:PA(x), af:0);");
	EXPECT_RUN(SPEC("TTHM=P1:HA\n"), VMSA_LITMUS_SOMETIMES,
		   "0:X1=(oa:PA(x)); | 0:X1=(oa:PA(x), af:0);");
}

TEST(hwaf_order_spec_af_needs_ha_and_relaxed)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(run(SPEC(""), &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	CHECK_STR(states(&r), "0:X1=(oa:PA(x), af:0);");
	vmsa_litmus_result_free(&r);
	run_sc = true;
	EXPECT_RUN(SPEC("TTHM=HA\n"), VMSA_LITMUS_NEVER,
		   "0:X1=(oa:PA(x), af:0);");
	run_sc = false;
}

/* The final value with no instruction at all (herd7's NOP+AF). */
TEST(hwaf_order_spec_af_final)
{
	EXPECT_RUN("AArch64 NOP+AF\nTTHM=HA\n{ int x=0; pte_x=(af:0); }\n"
		   " P0  ;\n NOP ;\nexists pte_x=(oa:phy_x,af:1)\n",
		   VMSA_LITMUS_SOMETIMES,
		   "[PTE(x)]=(oa:PA(x)); | [PTE(x)]=(oa:PA(x), af:0);");
}

/* One update per value written: the initial value's, then P1's SWP
 * writes AF = 0 again and that value gets its own (herd7's TwoPhantoms:
 * P0 sees 1, 0, 1 across its DSBs). Every combination is reachable; a
 * third 1-after-0 would need a third value with AF = 0. */
TEST(hwaf_order_spec_af_each_write)
{
	static const char two[] =
		"AArch64 TwoPhantoms\nTTHM=HA\n"
		"{ int x=0; pte_x=(af:0); 0:X0=pte_x; 1:X0=pte_x;\n"
		"  1:X1=(oa:phy_x,af:0); }\n"
		" P0          | P1             ;\n"
		" LDR X1,[X0] | SWP X1,X2,[X0] ;\n"
		" DSB ISH     |                ;\n"
		" LDR X2,[X0] |                ;\n"
		" DSB ISH     |                ;\n"
		" LDR X3,[X0] |                ;\n"
		"exists (0:X1=(oa:phy_x,af:1) /\\ 0:X2=(oa:phy_x,af:0) /\\\n"
		"        0:X3=(oa:phy_x,af:1))\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(two, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_SOMETIMES);
	CHECK_EQ(r.nstates, 8);
	vmsa_litmus_result_free(&r);
}

/* AF set without the dirty state (herd7's STRx-LDRptex3): the
 * speculative update of the initial value, before P0's store sets both. */
TEST(hwaf_order_spec_af_before_dirty)
{
	EXPECT_RUN("AArch64 STRx-LDRptex3\nTTHM=HA HD\n"
		   "{ pte_x=(oa:phy_x,af:0,db:0,dbm:1); 0:X2=x; 1:X4=pte_x; }\n"
		   " P0          | P1          ;\n"
		   " MOV W1,#1   | LDR X3,[X4] ;\n"
		   " STR W1,[X2] |             ;\n"
		   "exists (1:X3=(oa:phy_x,af:1,db:0,dbm:1))\n",
		   VMSA_LITMUS_SOMETIMES,
		   "1:X3=(oa:PA(x), af:0, db:0, dbm:1); | "
		   "1:X3=(oa:PA(x), db:0, dbm:1); | 1:X3=(oa:PA(x), dbm:1);");
}

/* P0 (HA) reads x, or the descriptor of x (AF = 1 can then only come
 * from a speculative update), then DMB SY and y = 1; P1 (no HA) sees
 * y = 1, DMB LD, then x: an Access flag fault if its walk reads AF = 0. */
#define NT(p0_first, r, cond)                                                \
	"AArch64 NT\nTTHM=P0:HA\nVariant=precise\n"                          \
	"{ pte_x=(af:0); x=1; 0:X0=" p0_first "; 0:X4=y; 1:X0=y; 1:X2=x; }\n" \
	" P0          | P1          ;\n"                                     \
	" LDR " r "1,[X0] | LDR W1,[X0] ;\n"                                 \
	" DMB SY      | DMB LD      ;\n"                                     \
	" MOV W3,#1   |L1:          ;\n"                                     \
	" STR W3,[X4] | LDR W3,[X2] ;\n"                                     \
	"exists (" cond "1:X1=1 /\\ fault(P1:L1,x))\n"

/* With ETS2: P0's update is not ordered before its store of y, so P1's
 * faulting walk may still read AF = 0 (herd7's NT-10-dmb); when P0's
 * load of the descriptor saw the update, it is (NT-13-dmb). */
TEST(hwaf_order_ets2_fault)
{
	run_ets2 = true;
	EXPECT_RUN(NT("x", "W", ""), VMSA_LITMUS_SOMETIMES,
		   "1:X1=0; Fault(P1:L1,x); | 1:X1=0; ~Fault(P1:L1,x); | "
		   "1:X1=1; Fault(P1:L1,x); | 1:X1=1; ~Fault(P1:L1,x);");
	{
		vmsa_litmus_result_t r;

		CHECK_EQ(run(NT("pte_x", "X", "0:X1=(oa:phy_x,af:1) /\\ "), &r),
			 0);
		CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
		CHECK_STR(states(&r),
			  "0:X1=(oa:PA(x)); 1:X1=0; Fault(P1:L1,x); | "
			  "0:X1=(oa:PA(x)); 1:X1=0; ~Fault(P1:L1,x); | "
			  "0:X1=(oa:PA(x)); 1:X1=1; ~Fault(P1:L1,x); | "
			  "0:X1=(oa:PA(x), af:0); 1:X1=0; Fault(P1:L1,x); | "
			  "0:X1=(oa:PA(x), af:0); 1:X1=0; ~Fault(P1:L1,x); | "
			  "0:X1=(oa:PA(x), af:0); 1:X1=1; Fault(P1:L1,x); | "
			  "0:X1=(oa:PA(x), af:0); 1:X1=1; ~Fault(P1:L1,x);");
		vmsa_litmus_result_free(&r);
	}
	run_ets2 = false;
}

/*
 * Where the update may go in memory's order: not below the place of
 * another CPU's walk that read the value it replaces and is ordered
 * after that place (order.c, seen_by_a_walk). P0's store to x sets AF
 * (its walk's update), then DSB SY, then y = 1; P1 writes y = 2, DMB ST,
 * then stores to x, whose walk reads AF = 0 and faults. With FEAT_ETS2
 * P1's faulting walk is ordered after its store of y, so y = 2 last
 * with the fault would need the update after y = 2 in memory's order
 * and P0's y = 1 (after the DSB SY, after the update) before it: herd7
 * Forbidden (its TLBuncacheable-ca); without ETS2 Allowed. Before
 * 2026-12-06 the update could take its earliest place below P1's y = 2,
 * as if the walk had not been ordered after it: Sometimes with ETS2.
 */
static const char w_huaf_fault[] =
	"AArch64 W+HUaf+fault\nVariant=precise\nTTHM=P0:HA\n"
	"{ pte_x=(af:0); 0:X2=x; 0:X4=y; 0:X5=2; 0:X6=1;\n"
	"  1:X2=x; 1:X4=y; 1:X5=2; 1:X6=1; }\n"
	" P0          | P1          ;\n"
	" STR W5,[X2] | STR W5,[X4] ;\n"
	" DSB SY      | DMB ST      ;\n"
	" STR W6,[X4] |L0:          ;\n"
	"             | STR W6,[X2] ;\n"
	"exists (y=2 /\\ fault(P1:L0,x))\n";

TEST(hwaf_order_update_below_a_walk)
{
	static const char *const all[] = {
		"[y]=1; Fault(P1:L0,x);", "[y]=1; ~Fault(P1:L0,x);",
		"[y]=2; Fault(P1:L0,x);", "[y]=2; ~Fault(P1:L0,x);"};
	static const char *const ets2[] = {
		"[y]=1; Fault(P1:L0,x);", "[y]=1; ~Fault(P1:L0,x);",
		"[y]=2; ~Fault(P1:L0,x);"};

	lit_expect(w_huaf_fault, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 30,
		   369, all, 4);
	lit_expect(w_huaf_fault, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0,
		   327, ets2, 3);
}
