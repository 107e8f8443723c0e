/*
 * tests/model/test_tlb_refill.c - a walk after a completed TLBI may
 * refill the TLB with the old entry unless the TLBI is ordered after the
 * write that replaced it (feature relaxed; docs/model.md, "TLB refill
 * after a TLBI"), run as litmus tests with the exact final states:
 *  - B2.3.7 TLBI-coherence-after (herd's TLBI-ca): a walk's read of a
 *    TLB-cacheable value that a write W overwrote is ordered only through
 *    a completed TLBI covering the entry that W is ordered before; the
 *    CPU's own earlier load of W's value does not order the walk (without
 *    ETS2 a DSB does not reach Implicit TTD reads, and the entry may have
 *    been cached at any time before);
 *  - DSB-ordered-before: DSB LD orders that load before a later TLBI, DSB
 *    ST does not (it orders only stores); IFB-ordered-before: a ctrl
 *    dependency and an ISB do;
 *  - a TLBI's ordering is fixed at its issue: a DSB after it (here a DSB
 *    NSH, which does not complete a broadcast TLBI) orders nothing before
 *    it.
 * The expected sets are herd7's for the aarch64-VMSA tests
 * V2I-R-DSB.ST-TLBI-DSB.ISH-ISB-R+W, coRRExpNExp+DSB.ST-TLBI-DSB-ISB
 * (Allowed), coRRExpNExp+DSB.LD-TLBI-DSB-ISB and
 * V2I-W+R-CTRL-ISB-TLBI-DSB.ISH-ISB-R (Forbidden), written here in the
 * same shape.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "litmus/litmus_run.h"

/* P1 invalidates pte_x; P0 reads it, then BAR, TLBI VAAE1IS of x, TAIL
 * (completing the TLBI), ISB and a load of x. */
#define V2I(name, bar, tail)                                                 \
	"AArch64 " name "\n"                                                 \
	"{ 0:X1=pte_x; 0:X3=x;\n"                                            \
	"  1:X1=pte_x; 1:X2=(oa:phy_x,valid:0); }\n"                         \
	" P0              | P1          ;\n"                                 \
	" LDR X2,[X1]     | STR X2,[X1] ;\n"                                 \
	" " bar "         |             ;\n"                                 \
	" LSR X9,X3,#12   |             ;\n"                                 \
	" TLBI VAAE1IS,X9 |             ;\n"                                 \
	" " tail "        |             ;\n"                                 \
	" ISB             |             ;\n"                                 \
	"L1:              |             ;\n"                                 \
	" LDR W4,[X3]     |             ;\n"                                 \
	"exists(0:X2=(oa:phy_x,valid:0) /\\ ~fault(P0:L1,x))\n"

/* Every pair of (descriptor read, fault of the load of x). */
static const char *const all4[] = {
	"0:X2=(oa:PA(x)); Fault(P0:L1,x);",
	"0:X2=(oa:PA(x)); ~Fault(P0:L1,x);",
	"0:X2=(oa:PA(x), valid:0); Fault(P0:L1,x);",
	"0:X2=(oa:PA(x), valid:0); ~Fault(P0:L1,x);",
};

/* Run text under variant; check the outcome, the exact states (the
 * first n of all4) and the execution count. */
static void expect(const char *text, const char *variant,
		   vmsa_litmus_outcome_t outcome, unsigned n,
		   uint64_t executions)
{
	lit_expect_execs(text, variant, outcome, all4, n, executions);
}

/* DSB ST orders no load before the TLBI: a walk between the TLBI and the
 * load of the invalid value refills the TLB with the valid entry, which
 * the load of x uses (herd: Allowed in both variants). */
TEST(tlb_refill_dsb_st)
{
	const char *t = V2I("V2I-R-DSB.ST-TLBI", "DSB ST", "DSB ISH");
	const char *u = V2I("coRR-DSB.ISHST-TLBI", "DSB ISHST", "DSB ISH");

	expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 4, 7);
	expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 4, 7);
	expect(u, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 4, 7);
	expect(u, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 4, 7);
}

/* DSB LD orders the load before the TLBI: the TLBI is ordered after P1's
 * store, so no walk after it reads the valid value (herd: Forbidden). */
TEST(tlb_refill_dsb_ld)
{
	const char *t = V2I("coRR-DSB.ISHLD-TLBI", "DSB ISHLD", "DSB ISH");

	expect(t, "vmsa,fatal", VMSA_LITMUS_NEVER, 3, 6);
	expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 3, 6);
}

/* A DSB after the TLBI orders nothing before it: with the load ordered
 * only by a DSB NSH issued after the TLBI, the refill stays possible. */
TEST(tlb_refill_view_at_issue)
{
	const char *t = V2I("V2I-R-TLBI-DSB.NSH", "NOP",
			    "DSB NSH         |             ;\n DSB ISH");

	expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 4, 9);
}

/* ctrl; ISB orders the load before the TLBI (IFB-ordered-before): P1
 * seeing the invalid value, its load of x faults (herd: Forbidden). */
TEST(tlb_refill_ctrl_isb)
{
	const char *t =
		"AArch64 V2I-W+R-CTRL-ISB-TLBI\n"
		"{ pte_x=(valid:1); 0:X1=(oa:phy_x,valid:0); 0:X2=pte_x;\n"
		"  1:X2=pte_x; 1:X3=x; }\n"
		" P0          | P1              ;\n"
		" STR X1,[X2] | LDR X7,[X2]     ;\n"
		"             | CMP X7,#0       ;\n"
		"             | B.EQ over       ;\n"
		"             | ISB             ;\n"
		"             | LSR X9,X3,#12   ;\n"
		"             | TLBI VAAE1IS,X9 ;\n"
		"             | DSB ISH         ;\n"
		"             | ISB             ;\n"
		"             |L0:              ;\n"
		"             | LDR W4,[X3]     ;\n"
		"             |over:            ;\n"
		"exists(1:X7=(oa:phy_x,valid:0) /\\ ~fault(P1:L0,x))\n";
	static const char *const want[] = {
		"1:X7=(oa:PA(x)); Fault(P1:L0,x);",
		"1:X7=(oa:PA(x)); ~Fault(P1:L0,x);",
		"1:X7=(oa:PA(x), valid:0); Fault(P1:L0,x);",
	};
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(t, "vmsa,fatal", false, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	check_states(&r, want, 3);
	vmsa_litmus_result_free(&r);
}
