/*
 * tests/model/test_isb_unordered.c - a context synchronisation event is
 * ordered after what IFB-ordered-before puts before it (a dependency or
 * a DSB), not after a load that only a DMB LD or DMB ST follows (B2.3.7;
 * herd7's IFB-ob), so a walk after an ISB may still have been done
 * before that load read its value (feature `relaxed`:
 * src/model/translate.c, tlbu_window; src/model/barrier.c,
 * keep_unordered_retired).
 *
 * Two consequences, each tested with its catalogue original (a DSB
 * before the ISB) as the control:
 *  - an early walk may read an invalid value overwritten before the
 *    load's value was written: its window is bounded by the views the
 *    ISB orders it after, not by the ISB's step;
 *  - an entry another CPU's TLBI retired stays usable after the ISB when
 *    the ISB is not ordered after that TLBI (what the CPU read is how it
 *    is ordered after the TLBI: the issuer's later writes, and its
 *    hardware updates after an IFB, are placed after the TLBI: hw_floor
 *    in src/model/order.c, test_hwdb_dsb_promise.c).
 *
 * Arm's D15347-M-load-DSB+DSB-ISB with a DMB LD for P1's DSB ISH, and
 * MP+bbm+DSB-ISB+VMALL with a DMB ST for P1's DSB SY; the verdicts in
 * the comments were checked with herd7 (herdtools7 5feffe4e8;
 * docs/litmus.md, "Beyond the catalogue: mutants against herd7"). Exact
 * states and counts.
 */

#include "harness.h"
#include "litmus/litmus_run.h"

/* P0 makes x valid (from invalid), DSB, writes z; P1 reads z, B, ISB,
 * loads x. With B a DMB LD the ISB is not ordered after the read of z,
 * so P1's walk may read the invalid value: herd7 Sometimes; with ETS2
 * the load's faulting walk is ordered after the read (ets-ob): Never.
 * With B a DSB ISH (the catalogue's): Never in both. */
#define LOAD_ISB(b)                                                          \
	"AArch64 D15347-M-load-DSB+" b "-ISB\n"                              \
	"{ pte_x=(valid:0); 0:X2=pte_x; 0:X1=(oa:phy_y); 1:X3=x; y=1;\n"     \
	"  pte_z=(af:1,db:1); 0:X8=z; 1:X8=z; }\n"                           \
	"P0          | P1;\n"                                                \
	"STR X1,[X2] | LDR W7,[X8]   ;\n"                                    \
	"DSB ISH     | " b "        ;\n"                                     \
	"MOV W7,#1   | ISB           ;\n"                                    \
	"STR W7,[X8] | L0:LDR W4,[X3];\n"                                    \
	"exists(1:X7=1 /\\ fault(P1:L0,x))\n"

/* P0 breaks x (invalid, DSB, TLBI VMALLE1IS, DSB), makes it point to
 * y's page, DSB, writes z; P1 reads z, B, ISB, loads x. With B a DMB ST
 * P1's load may use the entry the TLBI retired (the old page, 0) after
 * reading z = 1: herd7 Sometimes (both variants); with B a DSB SY (the
 * catalogue's): Never. */
#define BBM_ISB(b)                                                           \
	"AArch64 MP+bbm+" b "-ISB+VMALL\n"                                   \
	"{ 0:X2=pte_x; 0:X1=(oa:phy_x,valid:0); 0:X5=(oa:phy_y); 0:X3=x;\n"  \
	"  1:X3=x; y=1; pte_z=(af:1,db:1); 0:X8=z; 1:X8=z; }\n"              \
	"P0              | P1;\n"                                            \
	"STR X1,[X2]     | LDR W7,[X8]    ;\n"                               \
	"DSB ISH         | " b "         ;\n"                                \
	"TLBI VMALLE1IS  | ISB            ;\n"                               \
	"DSB ISH         | L0: LDR W4,[X3];\n"                               \
	"STR X5,[X2]     |                ;\n"                               \
	"DSB ISH         |                ;\n"                               \
	"MOV W7,#1       |                ;\n"                               \
	"STR W7,[X8]     |                ;\n"                               \
	"exists(1:X7=1 /\\ 1:X4=0 /\\ ~fault(P1:L0,x))\n"

static const char *const load_all[] = {
	"1:X7=0; Fault(P1:L0,x);",
	"1:X7=0; ~Fault(P1:L0,x);",
	"1:X7=1; Fault(P1:L0,x);",
	"1:X7=1; ~Fault(P1:L0,x);",
};

static const char *const load_never[] = {
	"1:X7=0; Fault(P1:L0,x);",
	"1:X7=0; ~Fault(P1:L0,x);",
	"1:X7=1; ~Fault(P1:L0,x);",
};

TEST(isb_after_dmb_ld_early_walk)
{
	lit_expect(LOAD_ISB("DMB LD "), "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 1,
		   8, load_all, 4);
	lit_expect(LOAD_ISB("DMB LD "), "vmsa,fatal,ets2", VMSA_LITMUS_NEVER,
		   0, 8, load_never, 3);
}

TEST(isb_after_dsb_early_walk)
{
	lit_expect(LOAD_ISB("DSB ISH"), "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 8,
		   load_never, 3);
	lit_expect(LOAD_ISB("DSB ISH"), "vmsa,fatal,ets2", VMSA_LITMUS_NEVER,
		   0, 10, load_never, 3);
}

TEST(isb_after_dmb_st_keeps_retired_entry)
{
	static const char *const st[] = {
		"1:X4=0; 1:X7=0; Fault(P1:L0,x);",
		"1:X4=0; 1:X7=0; ~Fault(P1:L0,x);",
		"1:X4=0; 1:X7=1; Fault(P1:L0,x);",
		"1:X4=0; 1:X7=1; ~Fault(P1:L0,x);",
		"1:X4=1; 1:X7=0; ~Fault(P1:L0,x);",
		"1:X4=1; 1:X7=1; ~Fault(P1:L0,x);",
	};

	lit_expect(BBM_ISB("DMB ST"), "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 1,
		   52, st, 6);
	lit_expect(BBM_ISB("DMB ST"), "vmsa,fatal,ets2",
		   VMSA_LITMUS_SOMETIMES, 1, 61,
		   (const char *const[]){st[0], st[1], st[3], st[4], st[5]},
		   5);
}

TEST(isb_after_dsb_drops_retired_entry)
{
	static const char *const st[] = {
		"1:X4=0; 1:X7=0; Fault(P1:L0,x);",
		"1:X4=0; 1:X7=0; ~Fault(P1:L0,x);",
		"1:X4=1; 1:X7=0; ~Fault(P1:L0,x);",
		"1:X4=1; 1:X7=1; ~Fault(P1:L0,x);",
	};

	lit_expect(BBM_ISB("DSB SY"), "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 51,
		   st, 4);
	lit_expect(BBM_ISB("DSB SY"), "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0,
		   102, st, 4);
}
